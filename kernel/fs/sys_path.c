/* System calls on names: mkdir, rmdir, unlink, rename, link, symlink,
 * readlink, access, chmod, chown, utimensat, truncate, statfs, chdir.
 * Linux's semantics and errnos; everyone is root.  The work is in the tree
 * (ramfs.c) and the resolver (path.c). */
#include "gen/syscall_decl.h"
#include "fs/file.h"
#include "fs/fileops.h"
#include "fs/inode.h"
#include "fs/path.h"
#include "fs/sys_common.h"
#include "fs/vfs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "mm/pmm.h"
#include "mm/usercopy.h"
#include "proc/proc.h"

#define AT_REMOVEDIR 0x200
#define AT_SYMLINK_FOLLOW 0x400
#define AT_EACCESS 0x200
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#define UTIME_NOW ((1L << 30) - 1)
#define UTIME_OMIT ((1L << 30) - 2)
#define TMPFS_MAGIC 0x01021994
#define PROC_SUPER_MAGIC 0x9fa0

/* "." or ".." (or "" for the root): names no call may create or remove. */
static bool dot_name(const struct lastname *ln)
{
	return ln->len == 0 || (ln->len == 1 && ln->name[0] == '.') ||
	       (ln->len == 2 && ln->name[0] == '.' && ln->name[1] == '.');
}

/* The parent and last name of user path upath relative to dirfd. */
static int fetch_parent(int dirfd, uptr upath, struct lastname *ln, char **path)
{
	struct inode *start;
	int r;

	if ((r = fetch_path(upath, path)) < 0)
		return r;
	if ((r = at_start(dirfd, *path, &start)) == 0) {
		r = path_parent(start, *path, ln);
		if (start)
			inode_put(start);
	}
	if (r < 0)
		kfree(*path);
	return r;
}

static void parent_done(struct lastname *ln, char *path)
{
	inode_put(ln->dir);
	kfree(path);
}

/* Link a new inode of mode under ln: 0, -EEXIST, -ENOSPC, -EACCES in /proc. */
static int create_at(struct lastname *ln, u32 mode, struct inode **out)
{
	struct inode *ip;

	if (dot_name(ln) || dir_lookup(ln->dir, ln->name, ln->len))
		return -EEXIST;
	if (ln->dir->is_proc)
		return -EACCES;
	if (!ln->dir->nlink)
		return -ENOENT;                /* a removed directory takes no names */
	if (fs_readonly)
		return -EROFS;
	if (!(ip = inode_new(mode)))
		return -ENOSPC;
	if (dir_link(ln->dir, ln->name, ln->len, ip) < 0) {
		inode_put(ip);
		return -ENOSPC;
	}
	*out = ip;
	return 0;
}

/* mkdirat(2): 0, -EEXIST, -ENOENT, -ENOTDIR, -ENOSPC, ... */
long sys_mkdirat(int dirfd, uptr upath, u64 mode)
{
	struct lastname ln;
	struct inode *ip;
	char *path;
	long r;

	if ((r = fetch_parent(dirfd, upath, &ln, &path)) < 0)
		return r;
	r = create_at(&ln, S_IFDIR | ((u32)mode & 07777 & ~vfs_umask()), &ip);
	parent_done(&ln, path);
	return r;
}

long sys_mkdir(uptr path, u64 mode)
{
	return sys_mkdirat(AT_FDCWD, path, mode);
}

/* Drop a name's inode once nothing else holds it. */
static void drop(struct inode *ip)
{
	inode_get(ip);
	inode_put(ip);
}

/* Why name d of ln may not be removed as a directory (rmdir), or 0. */
static int check_rmdir(const struct lastname *ln, struct dentry *d)
{
	struct inode *ip = d->inode;

	if (!S_ISDIR(ip->mode))
		return -ENOTDIR;
	if (ip->is_proc || ln->dir->is_proc)
		return -EBUSY;
	if (!dir_is_empty(ip))
		return -ENOTEMPTY;
	return 0;
}

/* Why name d of ln may not be unlinked, or 0. */
static int check_unlink(const struct lastname *ln, struct dentry *d)
{
	if (S_ISDIR(d->inode->mode))
		return -EISDIR;
	if (ln->trailing)
		return -ENOTDIR;
	return ln->dir->is_proc ? -EACCES : 0;
}

/* unlink or rmdir of user path: 0 or -errno. */
static long remove_name(int dirfd, uptr upath, bool rmdir)
{
	struct lastname ln;
	struct dentry *d = NULL;
	char *path;
	long r;

	if ((r = fetch_parent(dirfd, upath, &ln, &path)) < 0)
		return r;
	if (ln.len == 0)
		r = rmdir ? -EBUSY : -EISDIR;
	else if (dot_name(&ln))
		r = !rmdir ? -EISDIR : ln.len == 1 ? -EINVAL : -ENOTEMPTY;
	else if (ln.dir->is_proc)
		r = -EACCES;
	else if (!(d = dir_lookup(ln.dir, ln.name, ln.len)))
		r = -ENOENT;
	else
		r = rmdir ? check_rmdir(&ln, d) : check_unlink(&ln, d);
	if (r == 0 && fs_readonly)
		r = -EROFS;
	if (r == 0)
		drop(dir_unlink(ln.dir, d));
	parent_done(&ln, path);
	return r;
}

/* unlinkat(2): AT_REMOVEDIR makes it rmdir. */
long sys_unlinkat(int dirfd, uptr path, u64 flags)
{
	if (flags & ~(u64)AT_REMOVEDIR)
		return -EINVAL;
	return remove_name(dirfd, path, (flags & AT_REMOVEDIR) != 0);
}

long sys_unlink(uptr path)
{
	return remove_name(AT_FDCWD, path, false);
}

long sys_rmdir(uptr path)
{
	return remove_name(AT_FDCWD, path, true);
}

/* Is dir ip (or one of its ancestors) the directory anc? */
static bool inside(struct inode *ip, struct inode *anc)
{
	for (int depth = 0; ip && depth < 4096; depth++) {
		if (ip == anc)
			return true;
		if (ip->is_proc || ip->dir.parent == ip)
			return false;
		ip = ip->dir.parent;
	}
	return false;
}

/* Whether old (moving) may replace the entry nd: 0 or -errno. */
static int check_replace(struct inode *old, struct dentry *nd, u64 flags)
{
	/* NOREPLACE refuses any existing name, even the same file's (Linux
	 * checks it before it sees that source and target are one inode). */
	if (nd && (flags & RENAME_NOREPLACE))
		return -EEXIST;
	if (!nd || nd->inode == old)
		return 0;
	if (S_ISDIR(old->mode) && !S_ISDIR(nd->inode->mode))
		return -ENOTDIR;
	if (!S_ISDIR(old->mode) && S_ISDIR(nd->inode->mode))
		return -EISDIR;
	if (S_ISDIR(old->mode) && !dir_is_empty(nd->inode))
		return -ENOTEMPTY;
	return 0;
}

/* Everything rename checks before it changes anything. */
/* What every rename checks of its two names first: "." or ".." (EBUSY), a
 * name in /proc (EXDEV: another filesystem).  0 or -errno. */
static int check_names(struct lastname *o, struct lastname *n)
{
	if (dot_name(o) || dot_name(n))
		return -EBUSY;
	if (o->dir->is_proc || n->dir->is_proc)
		return -EXDEV;
	return 0;
}

/* Would entry d, moved into dir, be a directory inside itself? */
static bool into_itself(struct dentry *d, struct inode *dir)
{
	return S_ISDIR(d->inode->mode) && inside(dir, d->inode);
}

static int check_rename(struct lastname *o, struct dentry *od, struct lastname *n,
			struct dentry *nd, u64 flags)
{
	int r = check_names(o, n);

	if (r < 0)
		return r;
	if (!od)
		return -ENOENT;
	if ((o->trailing || n->trailing) && !S_ISDIR(od->inode->mode))
		return -ENOTDIR;
	if (into_itself(od, n->dir))
		return -EINVAL;
	if (!n->dir->nlink)
		return -ENOENT;
	if (fs_readonly)
		return -EROFS;
	return check_replace(od->inode, nd, flags);
}

/* Move od from o->dir to n (replacing nd): the new name first, so a failure
 * leaves everything as it was. */
static int do_rename(struct lastname *o, struct dentry *od, struct lastname *n, struct dentry *nd)
{
	struct inode *ip = od->inode;
	int r;

	if (nd && nd->inode == ip)
		return 0;                      /* both names are one file: nothing to do */
	if ((r = dir_link(n->dir, n->name, n->len, ip)) < 0)
		return -ENOSPC;
	if (nd)
		drop(dir_unlink(n->dir, nd));
	dir_unlink(o->dir, od);
	if (S_ISDIR(ip->mode))
		ip->dir.parent = n->dir;
	return 0;
}

/* RENAME_EXCHANGE's checks: both names exist, neither directory would end up
 * inside itself (EINVAL either way, as Linux answers an exchange). */
static int check_exchange(struct lastname *o, struct dentry *od, struct lastname *n,
			  struct dentry *nd)
{
	int r = check_names(o, n);

	if (r < 0)
		return r;
	if (!od || !nd)
		return -ENOENT;
	if ((o->trailing && !S_ISDIR(od->inode->mode)) || (n->trailing && !S_ISDIR(nd->inode->mode)))
		return -ENOTDIR;
	if (into_itself(od, n->dir) || into_itself(nd, o->dir))
		return -EINVAL;
	return fs_readonly ? -EROFS : 0;
}

/* The checks and the change of one renameat2 on looked-up names. */
static int rename_names(struct lastname *o, struct lastname *n, u64 flags)
{
	struct dentry *od = o->dir->is_proc || dot_name(o) ? NULL : dir_lookup(o->dir, o->name, o->len);
	struct dentry *nd = n->dir->is_proc || dot_name(n) ? NULL : dir_lookup(n->dir, n->name, n->len);
	int r;

	if (flags & RENAME_EXCHANGE) {
		if ((r = check_exchange(o, od, n, nd)) == 0)
			dir_exchange(o->dir, od, n->dir, nd);
		return r;
	}
	if ((r = check_rename(o, od, n, nd, flags)) == 0)
		r = do_rename(o, od, n, nd);
	return r;
}

/* renameat2(2): RENAME_NOREPLACE or RENAME_EXCHANGE (not both); other flags
 * (RENAME_WHITEOUT) -EINVAL. */
long sys_renameat2(int olddirfd, uptr uold, int newdirfd, uptr unew, u64 flags)
{
	struct lastname o, n;
	char *opath, *npath;
	long r;

	if ((flags & ~(u64)(RENAME_NOREPLACE | RENAME_EXCHANGE)) ||
	    flags == (RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -EINVAL;
	if ((r = fetch_parent(olddirfd, uold, &o, &opath)) < 0)
		return r;
	if ((r = fetch_parent(newdirfd, unew, &n, &npath)) == 0) {
		r = rename_names(&o, &n, flags);
		parent_done(&n, npath);
	}
	parent_done(&o, opath);
	return r;
}

long sys_renameat(int olddirfd, uptr oldpath, int newdirfd, uptr newpath)
{
	return sys_renameat2(olddirfd, oldpath, newdirfd, newpath, 0);
}

long sys_rename(uptr oldpath, uptr newpath)
{
	return sys_renameat2(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

/* linkat(2): a second name for a non-directory. */
long sys_linkat(int olddirfd, uptr uold, int newdirfd, uptr unew, u64 flags)
{
	struct inode *ip;
	struct lastname n;
	char *npath;
	long r;

	if (flags & ~(u64)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((r = lookup_user(olddirfd, uold, (flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW : 0,
			     flags & AT_EMPTY_PATH, &ip)) < 0)
		return r;
	if (S_ISDIR(ip->mode))
		r = -EPERM;
	else if ((r = fetch_parent(newdirfd, unew, &n, &npath)) == 0) {
		if (ip->is_proc || n.dir->is_proc)
			r = -EXDEV;
		else if (dot_name(&n) || dir_lookup(n.dir, n.name, n.len))
			r = -EEXIST;
		else if (!ip->nlink)
			r = -ENOENT;
		else if (fs_readonly)
			r = -EROFS;
		else if (dir_link(n.dir, n.name, n.len, ip) < 0)
			r = -ENOSPC;
		else
			fs_time_now(&ip->ctime);
		parent_done(&n, npath);
	}
	inode_put(ip);
	return r;
}

long sys_link(uptr oldpath, uptr newpath)
{
	return sys_linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

/* symlinkat(2): linkpath becomes a link whose text is target. */
long sys_symlinkat(uptr utarget, int newdirfd, uptr ulink)
{
	struct lastname ln;
	struct inode *ip;
	char *target, *path;
	long r;

	if ((r = fetch_path(utarget, &target)) < 0)
		return r;
	if (!*target)
		r = -ENOENT;
	else if ((r = fetch_parent(newdirfd, ulink, &ln, &path)) == 0) {
		if ((r = create_at(&ln, S_IFLNK | 0777, &ip)) == 0) {
			ip->size = (i64)strlen(target);
			ip->lnk.target = target;     /* the link keeps the buffer */
			target = NULL;
		}
		parent_done(&ln, path);
	}
	kfree(target);
	return r;
}

long sys_symlink(uptr target, uptr linkpath)
{
	return sys_symlinkat(target, AT_FDCWD, linkpath);
}

/* readlinkat(2): the link's text (no NUL) cut to bufsiz; -EINVAL for a
 * non-link or bufsiz <= 0. */
long sys_readlinkat(int dirfd, uptr upath, uptr buf, long bufsiz)
{
	struct inode *ip;
	char *text;
	long r;

	if (bufsiz <= 0)
		return -EINVAL;
	if ((r = lookup_user(dirfd, upath, 0, true, &ip)) < 0)
		return r;
	if (!S_ISLNK(ip->mode))
		r = -EINVAL;
	else if ((r = symlink_text(ip, &text)) == 0) {
		size_t n = MIN(strlen(text), (size_t)bufsiz);

		r = copyout(buf, text, n) < 0 ? -EFAULT : (long)n;
		symlink_text_done(ip, text);
	}
	inode_put(ip);
	return r;
}

long sys_readlink(uptr path, uptr buf, long bufsiz)
{
	return sys_readlinkat(AT_FDCWD, path, buf, bufsiz);
}

/* faccessat2(2): root may do anything but execute a file without any x bit. */
long sys_faccessat2(int dirfd, uptr upath, u64 mode, u64 flags)
{
	struct inode *ip;
	long r;

	if (mode & ~7UL)
		return -EINVAL;
	if (flags & ~(u64)(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((r = lookup_user(dirfd, upath, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW,
			     flags & AT_EMPTY_PATH, &ip)) < 0)
		return r;
	if ((mode & 1) && !S_ISDIR(ip->mode) && !(ip->mode & 0111))
		r = -EACCES;
	inode_put(ip);
	return r;
}

long sys_faccessat(int dirfd, uptr path, u64 mode)
{
	return sys_faccessat2(dirfd, path, mode, 0);
}

long sys_access(uptr path, u64 mode)
{
	return sys_faccessat2(AT_FDCWD, path, mode, 0);
}

/* The inode open on fd, for the f-calls: 0 and *ip (no new reference), -EBADF. */
static int fd_inode(int fd, struct inode **ip)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	*ip = f->ip ? f->ip : NULL;
	return 0;
}

/* Set the permission bits of ip (its type stays). */
static long set_mode(struct inode *ip, u64 mode)
{
	if (!ip || ip->is_proc)
		return -EPERM;
	if (fs_readonly)
		return -EROFS;
	ip->mode = (ip->mode & S_IFMT) | ((u32)mode & 07777);
	fs_time_now(&ip->ctime);
	return 0;
}

/* fchmodat(2): flags must be 0 (Linux refuses AT_SYMLINK_NOFOLLOW here). */
long sys_fchmodat(int dirfd, uptr upath, u64 mode)
{
	struct inode *ip;
	long r = lookup_user(dirfd, upath, LOOKUP_FOLLOW, false, &ip);

	if (r < 0)
		return r;
	r = set_mode(ip, mode);
	inode_put(ip);
	return r;
}

long sys_chmod(uptr path, u64 mode)
{
	return sys_fchmodat(AT_FDCWD, path, mode);
}

long sys_fchmod(int fd, u64 mode)
{
	struct inode *ip;
	long r = fd_inode(fd, &ip);

	return r < 0 ? r : set_mode(ip, mode);
}

/* Record owner and group (-1 leaves one as it is); root may set any. */
static long set_owner(struct inode *ip, u64 uid, u64 gid)
{
	if (!ip || ip->is_proc)
		return -EPERM;
	if (fs_readonly)
		return -EROFS;
	if ((u32)uid != (u32)-1)
		ip->uid = (u32)uid;
	if ((u32)gid != (u32)-1)
		ip->gid = (u32)gid;
	fs_time_now(&ip->ctime);
	return 0;
}

/* fchownat(2): AT_SYMLINK_NOFOLLOW changes a link itself; AT_EMPTY_PATH. */
long sys_fchownat(int dirfd, uptr upath, u64 uid, u64 gid, u64 flags)
{
	struct inode *ip;
	long r;

	if (flags & ~(u64)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((r = lookup_user(dirfd, upath, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW,
			     flags & AT_EMPTY_PATH, &ip)) < 0)
		return r;
	r = set_owner(ip, uid, gid);
	inode_put(ip);
	return r;
}

long sys_chown(uptr path, u64 uid, u64 gid)
{
	return sys_fchownat(AT_FDCWD, path, uid, gid, 0);
}

long sys_lchown(uptr path, u64 uid, u64 gid)
{
	return sys_fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

long sys_fchown(int fd, u64 uid, u64 gid)
{
	struct inode *ip;
	long r = fd_inode(fd, &ip);

	return r < 0 ? r : set_owner(ip, uid, gid);
}

struct utimespec {
	i64 sec;
	i64 nsec;
};

/* One time from utimensat's array: now, omitted, or as given. */
static int pick_time(const struct utimespec *u, struct ktime *t)
{
	if (u->nsec == UTIME_OMIT)
		return 0;
	if (u->nsec == UTIME_NOW) {
		fs_time_now(t);
		return 0;
	}
	if (u->nsec < 0 || u->nsec > 999999999)
		return -EINVAL;
	t->sec = u->sec;
	t->nsec = u->nsec;
	return 0;
}

/* Apply times (NULL = now) to ip. */
static long set_times(struct inode *ip, const struct utimespec *times)
{
	struct utimespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	struct ktime a = ip->atime, m = ip->mtime;

	if (!times)
		times = now;
	if (pick_time(&times[0], &a) < 0 || pick_time(&times[1], &m) < 0)
		return -EINVAL;
	if (ip->is_proc)
		return -EPERM;
	if (fs_readonly)
		return -EROFS;
	ip->atime = a;
	ip->mtime = m;
	fs_time_now(&ip->ctime);
	return 0;
}

/* utimensat(2): a NULL path means dirfd itself (futimens). */
long sys_utimensat(int dirfd, uptr upath, uptr utimes, u64 flags)
{
	struct utimespec times[2];
	struct inode *ip;
	long r;

	if (flags & ~(u64)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (utimes && copyin(times, utimes, sizeof(times)) < 0)
		return -EFAULT;
	if (!upath && dirfd == AT_FDCWD)
		return -EFAULT;                /* a path is needed then, as Linux */
	if (!upath) {
		if ((r = fd_inode(dirfd, &ip)) < 0)
			return r;
		if (!ip)
			return -EPERM;
		inode_get(ip);
	} else if ((r = lookup_user(dirfd, upath, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW,
				    flags & AT_EMPTY_PATH, &ip)) < 0) {
		return r;
	}
	r = set_times(ip, utimes ? times : NULL);
	inode_put(ip);
	return r;
}

/* Set a regular file's size (truncate, ftruncate, O_TRUNC). */
long vfs_truncate(struct inode *ip, i64 length)
{
	long r;

	if (length < 0)
		return -EINVAL;
	if (S_ISDIR(ip->mode))
		return -EISDIR;
	if (!S_ISREG(ip->mode) || ip->is_proc)
		return -EINVAL;
	if (fs_readonly)
		return -EROFS;
	if ((r = ramdata_truncate(ip, length)) == 0) {
		fs_time_now(&ip->mtime);
		ip->ctime = ip->mtime;
	}
	return r;
}

long sys_truncate(uptr upath, i64 length)
{
	struct inode *ip;
	long r = lookup_user(AT_FDCWD, upath, LOOKUP_FOLLOW, false, &ip);

	if (r < 0)
		return r;
	r = vfs_truncate(ip, length);
	inode_put(ip);
	return r;
}

/* ftruncate(2): -EINVAL unless fd is a regular file open for writing. */
long sys_ftruncate(int fd, i64 length)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if (!f->ip || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	return vfs_truncate(f->ip, length);
}

struct statfs {
	i64 f_type, f_bsize;
	u64 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	i32 f_fsid[2];
	i64 f_namelen, f_frsize, f_flags;
	i64 f_spare[4];
};
_Static_assert(sizeof(struct statfs) == 120, "struct statfs must match Linux x86-64");

/* The filesystem figures of ip's filesystem: for the root, the frames files
 * may hold (half of RAM, as tmpfs) and what is left of them; nothing for /proc. */
static long put_statfs(struct inode *ip, uptr buf)
{
	struct statfs s;

	memset(&s, 0, sizeof(s));
	s.f_bsize = s.f_frsize = PAGE_SIZE;
	s.f_namelen = NAME_MAX;
	if (ip && ip->is_proc) {
		s.f_type = PROC_SUPER_MAGIC;
	} else {
		size_t used, limit;

		ramdata_usage(&used, &limit);
		s.f_type = TMPFS_MAGIC;
		s.f_blocks = limit;
		s.f_bfree = s.f_bavail = MIN(limit - MIN(used, limit), pmm_free_frames());
		s.f_files = pmm_total_frames();
		s.f_ffree = pmm_free_frames();
	}
	return copyout(buf, &s, sizeof(s)) < 0 ? -EFAULT : 0;
}

long sys_statfs(uptr upath, uptr buf)
{
	struct inode *ip;
	long r = lookup_user(AT_FDCWD, upath, LOOKUP_FOLLOW, false, &ip);

	if (r < 0)
		return r;
	r = put_statfs(ip, buf);
	inode_put(ip);
	return r;
}

long sys_fstatfs(int fd, uptr buf)
{
	struct inode *ip;
	long r = fd_inode(fd, &ip);

	return r < 0 ? r : put_statfs(ip, buf);
}

/* Make directory ip the working directory (held by the process). */
static long set_cwd(struct inode *ip)
{
	struct proc *p = myproc();

	if (!S_ISDIR(ip->mode))
		return -ENOTDIR;
	inode_get(ip);
	if (p->cwd)
		inode_put(p->cwd);
	p->cwd = ip;
	return 0;
}

/* chdir(2): the working directory becomes path (a directory), or -errno. */
long sys_chdir(uptr upath)
{
	struct inode *ip;
	long r = lookup_user(AT_FDCWD, upath, LOOKUP_FOLLOW, false, &ip);

	if (r < 0)
		return r;
	r = set_cwd(ip);
	inode_put(ip);
	return r;
}

long sys_fchdir(int fd)
{
	struct inode *ip;
	long r = fd_inode(fd, &ip);

	if (r < 0)
		return r;
	return ip ? set_cwd(ip) : -ENOTDIR;
}

/* getcwd(2): the working directory's absolute path into buf; the length
 * with its NUL, -ERANGE when size is too small, -ENOENT once it was removed. */
long sys_getcwd(uptr buf, u64 size)
{
	struct inode *cwd = path_cwd();
	char *path = kmalloc(PATH_MAX);
	long r = path ? dir_path(cwd, path, PATH_MAX) : -ENOMEM;

	inode_put(cwd);
	if (r >= 0)
		r = (u64)r + 1 > size ? -ERANGE : copyout(buf, path, (size_t)r + 1) < 0 ? -EFAULT : r + 1;
	kfree(path);
	return r;
}
