/* Open, stat and exec over the inode tree (vfs.h).  Everyone is root here,
 * so permission bits do not refuse anything but what Linux refuses root:
 * exec without any execute bit, and writing generated /proc files. */
#include "fs/vfs.h"
#include "fs/inode.h"
#include "fs/path.h"
#include "fs/file.h"
#include "fs/fileops.h"
#include "fs/devfs.h"
#include "fs/procfs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "proc/proc.h"

#define RAMFS_DEV 1
#define PROCFS_DEV 4

bool fs_readonly;

u32 vfs_umask(void)
{
	return myproc()->umask;
}

/* umask(2): the caller's old mask; the new one is the caller's alone (a
 * child got a copy at fork). */
long sys_umask(u64 mask)
{
	u32 old = myproc()->umask;

	myproc()->umask = (u16)(mask & 0777);
	return old;
}

/* Create a regular file name in ln->dir: 0 and *out (no reference yet). */
static int create_file(const struct lastname *ln, u32 mode, struct inode **out)
{
	struct inode *ip;

	if (ln->dir->is_proc)
		return -EACCES;
	if (ln->trailing)
		return -EISDIR;
	if (fs_readonly)
		return -EROFS;
	if (!ln->dir->nlink)
		return -ENOENT;               /* a removed directory takes no names */
	if (!(ip = inode_new(S_IFREG | (mode & 07777 & ~vfs_umask()))))
		return -ENOSPC;
	if (dir_link(ln->dir, ln->name, ln->len, ip) < 0) {
		inode_put(ip);
		return -ENOSPC;
	}
	*out = ip;
	return 0;
}

/* O_CREAT: the existing file, or a new one.  *out has a reference. */
static int open_create(struct inode *start, const char *path, u64 flags, u32 mode,
		       struct inode **out)
{
	struct lastname ln;
	struct inode *ip;
	int r;

	if ((r = path_parent(start, path, &ln)) < 0)
		return r;
	if (ln.len == 0 || (ln.len == 1 && ln.name[0] == '.') ||
	    (ln.len == 2 && ln.name[0] == '.' && ln.name[1] == '.'))
		r = -EISDIR;
	else if ((r = path_child(ln.dir, ln.name, ln.len, &ip)) == 0) {
		if (flags & O_EXCL)
			r = -EEXIST;
		else if (S_ISLNK(ip->mode) && (flags & O_NOFOLLOW))
			r = -ELOOP;
		inode_put(ip);
		if (r == 0)
			r = path_lookup(start, path, LOOKUP_FOLLOW, out);
	} else if (r == -ENOENT && (r = create_file(&ln, mode, &ip)) == 0) {
		inode_get(ip);
		*out = ip;
	}
	inode_put(ln.dir);
	return r;
}

/* What the flags ask of the inode, in the order Linux's do_open checks. */
static int check_open(struct inode *ip, u64 flags)
{
	bool dir = S_ISDIR(ip->mode);

	if (S_ISLNK(ip->mode))
		return -ELOOP;                     /* O_NOFOLLOW on a link */
	if ((flags & O_DIRECTORY) && !dir)
		return -ENOTDIR;
	if (dir && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT)))
		return -EISDIR;
	if (ip->is_proc && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)))
		return -EACCES;
	if (fs_readonly && S_ISREG(ip->mode) && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)))
		return -EROFS;
	return 0;
}

/* See vfs.h. */
int vfs_open(struct inode *start, const char *path, u64 flags, u32 mode, struct file **out)
{
	struct inode *ip;
	int r;

	if (flags & O_CREAT)
		r = open_create(start, path, flags, mode, &ip);
	else
		r = path_lookup(start, path, (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &ip);
	if (r < 0)
		return r;
	if ((r = check_open(ip, flags)) == 0 && (flags & O_TRUNC) && S_ISREG(ip->mode)) {
		r = ramdata_truncate(ip, 0);
		fs_time_now(&ip->mtime);
		ip->ctime = ip->mtime;
	}
	if (r == 0)
		r = vfs_open_inode(ip, flags, out);
	inode_put(ip);
	return r;
}

/* The file type an inode opens as. */
static enum file_type type_of(const struct inode *ip)
{
	if (S_ISDIR(ip->mode))
		return FT_RAMDIR;
	if (S_ISCHR(ip->mode))
		return devfs_is_console(ip) ? FT_CONSOLE : FT_DEV;
	return ip->is_proc ? FT_PROCFILE : FT_RAMFILE;
}

/* See vfs.h. */
int vfs_open_inode(struct inode *ip, u64 flags, struct file **out)
{
	/* F_GETFL shows what Linux keeps: no creation flags, O_LARGEFILE added. */
	u32 fl = (u32)(flags & ~(u64)(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) | O_LARGEFILE;
	struct file *f = file_alloc(type_of(ip), fl);
	int r;

	if (!f)
		return -ENOMEM;
	inode_get(ip);
	f->ip = ip;
	if (f->type == FT_DEV)
		f->ops = ip->dev.ops;
	if (f->type == FT_PROCFILE && (r = procfs_generate(ip, &f->gen.text, &f->gen.len)) < 0) {
		file_close(f);
		return r;
	}
	*out = f;
	return 0;
}

/* See vfs.h. */
void vfs_stat(struct inode *ip, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = ip->is_proc ? PROCFS_DEV : RAMFS_DEV;
	st->st_ino = ip->ino;
	st->st_nlink = ip->nlink;
	if (ip->is_proc)
		st->st_nlink = S_ISDIR(ip->mode) ? 2 : 1;
	st->st_mode = ip->mode;
	st->st_uid = ip->uid;
	st->st_gid = ip->gid;
	st->st_rdev = ip->rdev;
	st->st_size = ip->size;
	st->st_blksize = 4096;
	if (S_ISREG(ip->mode) && !ip->is_proc)
		st->st_blocks = ip->reg.backing ? (i64)(ALIGN_UP((u64)ip->size, PAGE_SIZE) / 512)
						: (i64)(ip->reg.pages * (PAGE_SIZE / 512));
	st->st_atime = (u64)ip->atime.sec, st->st_atime_nsec = (u64)ip->atime.nsec;
	st->st_mtime = (u64)ip->mtime.sec, st->st_mtime_nsec = (u64)ip->mtime.nsec;
	st->st_ctime = (u64)ip->ctime.sec, st->st_ctime_nsec = (u64)ip->ctime.nsec;
}

/* See vfs.h. */
int symlink_text(struct inode *ip, char **out)
{
	if (ip->is_proc)
		return procfs_readlink(ip, out);
	*out = ip->lnk.target;
	return *out ? 0 : -ENOMEM;
}

void symlink_text_done(struct inode *ip, char *text)
{
	if (ip->is_proc)
		kfree(text);
}

/* The canonical absolute path of what path names (following symlinks in
 * every component) into buf, and the inode with a reference.  0 or -errno. */
static int real_path(const char *path, char *buf, size_t size, struct inode **out)
{
	char *cur = kmalloc(PATH_MAX), *text;
	struct inode *start = path_cwd(), *ip = NULL;
	struct lastname ln;
	int r, hops = 0;

	if (!cur) {
		inode_put(start);
		return -ENOMEM;
	}
	strlcpy(cur, path, PATH_MAX);
	for (;;) {
		if ((r = path_parent(start, cur, &ln)) < 0)
			break;
		inode_put(start);
		start = ln.dir;
		if (ln.len == 0 || (r = path_child(ln.dir, ln.name, ln.len, &ip)) < 0 ||
		    !S_ISLNK(ip->mode))
			break;
		if (++hops > 40 || (r = symlink_text(ip, &text)) < 0) {
			r = r < 0 ? r : -ELOOP;
			break;
		}
		strlcpy(cur, text, PATH_MAX);
		symlink_text_done(ip, text);
		inode_put(ip);
		ip = NULL;
	}
	if (r == 0 && ln.len == 0)
		r = path_lookup(start, cur, LOOKUP_FOLLOW, &ip);    /* "/" or "dir/" */
	if (r == 0 && (r = dir_path(start, buf, size)) >= 0 && ln.len && !S_ISDIR(ip->mode)) {
		size_t n = (size_t)r;

		if (n + 1 + ln.len + 1 > size)
			r = -ENAMETOOLONG;
		else {
			if (n > 1)
				buf[n++] = '/';
			memcpy(buf + n, ln.name, ln.len);
			buf[n + ln.len] = '\0';
		}
	}
	inode_put(start);
	kfree(cur);
	if (r < 0 && ip)
		inode_put(ip);
	if (r >= 0)
		*out = ip;
	return r < 0 ? r : 0;
}

/* See vfs.h. */
int vfs_exec_open(const char *path, struct exec_file *ef)
{
	struct inode *ip;
	int r = real_path(path, ef->path, sizeof(ef->path), &ip);

	ef->copy = NULL;
	if (r < 0)
		return r == -ERANGE ? -ENAMETOOLONG : r;
	if (S_ISDIR(ip->mode))
		r = -EISDIR;
	else if (!S_ISREG(ip->mode) || !(ip->mode & 0111) || ip->is_proc)
		r = -EACCES;
	else if (ip->reg.backing) {
		ef->data = ip->reg.backing;
		ef->size = (size_t)ip->size;
		ef->stable = true;
	} else if (!(ef->copy = kmalloc(ip->size ? (size_t)ip->size : 1))) {
		r = -ENOMEM;
	} else {
		ef->size = ramdata_read(ip, 0, ef->copy, (size_t)ip->size);
		ef->data = ef->copy;
		ef->stable = false;
	}
	inode_put(ip);
	return r;
}

void vfs_exec_close(struct exec_file *ef)
{
	kfree(ef->copy);
	ef->copy = NULL;
}
