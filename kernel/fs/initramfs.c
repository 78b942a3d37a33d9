/* The initramfs file tree over the cpio archive (cpio.c): resolution of
 * paths to canonical archive names, open/read/lseek/fstat of files, and
 * getdents64 of directories (explicit members or implicit ones such as "bin"
 * for "bin/echo").  Canonical paths have no leading "/", "." or ".."; the
 * root is "". */
#include "fs/initramfs.h"
#include "fs/file.h"
#include "fs/fileops.h"
#include "fs/cpio.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "proc/proc.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"

#define RAMFS_DEV 1
#define IMPLICIT_DIR_MODE (S_IFDIR | 0555)   /* read-only tree */
#define DIRENT_MAX ALIGN_UP(sizeof(struct linux_dirent64) + NAME_MAX + 1, 8)

static const void *archive;
static size_t archive_len;

/* Boot (from fs_init): remember the archive; NULL/0 = an empty tree. */
void initramfs_init(const void *a, size_t len)
{
	archive = len ? a : NULL;
	archive_len = len;
}

/* ---- names and inode numbers ---- */

/* FNV-1a over more bytes of a path: inode numbers are a hash of the
 * canonical path, so they are stable across opens, boots and builds. */
static u32 fnv_add(u32 h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (u8)s[i]) * 16777619u;
	return h;
}

/* Inode number of canonical path[0, len). */
static u64 path_ino(const char *path, size_t len)
{
	return fnv_add(2166136261u, path, len);
}

/* Length of the canonical parent of path[0, len) ("" for top-level names). */
static size_t parent_len(const char *path, size_t len)
{
	while (len > 0 && path[len - 1] != '/')
		len--;
	return len ? len - 1 : 0;
}

/* What a canonical path names. */
struct node {
	u32 mode;
	const void *data;
	size_t size;
};

/* Look up a canonical path: an archive member, else an implicit directory;
 * 0 or -ENOENT. */
static int node_at(const char *path, struct node *n)
{
	struct cpio_file cf;

	if (cpio_find(archive, archive_len, path, &cf) == 0) {
		n->mode = cf.mode;
		n->data = cf.data;
		n->size = cf.size;
		return 0;
	}
	if (!cpio_is_dir(archive, archive_len, path))
		return -ENOENT;
	n->mode = IMPLICIT_DIR_MODE;
	n->data = NULL;
	n->size = 0;
	return 0;
}

/* ---- path resolution ---- */

struct walk {
	char *path;           /* PATH_MAX bytes: the canonical path so far */
	size_t len;
	struct node node;     /* what path names */
	bool missing_last;    /* -ENOENT came from the final component */
};

/* Apply one component (n bytes at comp) to w. */
static int walk_step(struct walk *w, const char *comp, size_t n)
{
	if (!S_ISDIR(w->node.mode))
		return -ENOTDIR;
	if (n > NAME_MAX)
		return -ENAMETOOLONG;
	if (n == 1 && comp[0] == '.')
		return 0;
	if (n == 2 && comp[0] == '.' && comp[1] == '.') {
		w->len = parent_len(w->path, w->len);    /* ".." of the root is the root */
	} else {
		size_t sep = w->len ? 1 : 0;

		if (w->len + sep + n >= PATH_MAX)
			return -ENAMETOOLONG;
		if (sep)
			w->path[w->len] = '/';
		memcpy(w->path + w->len + sep, comp, n);
		w->len += sep + n;
	}
	w->path[w->len] = '\0';
	return node_at(w->path, &w->node);
}

/* Resolve path (see initramfs.h) into w, whose path buffer is PATH_MAX. */
static int resolve(const char *base, const char *path, struct walk *w)
{
	const char *p = path;
	int r;

	w->len = 0;
	w->missing_last = false;
	if (!*path)
		return -ENOENT;
	if (*path != '/' && base) {
		w->len = strnlen(base, PATH_MAX - 1);
		memcpy(w->path, base, w->len);
	}
	w->path[w->len] = '\0';
	if ((r = node_at(w->path, &w->node)) < 0)
		return r;
	for (;;) {
		const char *comp;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		for (comp = p; *p && *p != '/'; p++)
			;
		if ((r = walk_step(w, comp, (size_t)(p - comp))) < 0) {
			while (*p == '/')
				p++;
			w->missing_last = r == -ENOENT && !*p;
			return r;
		}
	}
	/* "file/" names a directory that is not there */
	if (p[-1] == '/' && !S_ISDIR(w->node.mode))
		return -ENOTDIR;
	return 0;
}

/* resolve() with a heap path buffer the caller frees (w->path). */
static int resolve_alloc(const char *base, const char *path, struct walk *w)
{
	w->path = kmalloc(PATH_MAX);
	if (!w->path)
		return -ENOMEM;
	return resolve(base, path, w);
}

/* ---- open and stat ---- */

/* Permission checks in the order Linux's do_open makes them.  The tree is
 * read-only, so anything that would write answers -EROFS (as Linux does on a
 * read-only mount), not -EACCES: the mode bits would allow it. */
static int check_open(const struct node *n, u64 flags)
{
	bool dir = S_ISDIR(n->mode);

	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	if ((flags & O_CREAT) && dir)
		return -EISDIR;
	if ((flags & O_DIRECTORY) && !dir)
		return -ENOTDIR;
	if (!dir && (flags & O_TRUNC))
		return -EROFS;
	if ((flags & O_ACCMODE) != O_RDONLY)
		return dir ? -EISDIR : -EROFS;
	return 0;
}

/* The open file for a resolved, permitted walk. */
static int make_file(const struct walk *w, u64 flags, struct file **out)
{
	bool dir = S_ISDIR(w->node.mode);
	/* F_GETFL shows what Linux keeps: no creation flags, O_LARGEFILE added. */
	u32 fl = (u32)(flags & ~(u64)(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) | O_LARGEFILE;
	struct file *f = file_alloc(dir ? FT_RAMDIR : FT_RAMFILE, fl);

	if (!f)
		return -ENOMEM;
	f->node.data = w->node.data;
	f->node.size = w->node.size;
	f->node.mode = w->node.mode;
	f->node.ino = path_ino(w->path, w->len);
	if (dir) {
		f->node.path = kmalloc(w->len + 1);
		if (!f->node.path) {
			kfree(f);
			return -ENOMEM;
		}
		memcpy(f->node.path, w->path, w->len + 1);
	}
	*out = f;
	return 0;
}

/* See initramfs.h. */
int initramfs_open(const char *base, const char *path, u64 flags, struct file **out)
{
	struct walk w;
	int r = resolve_alloc(base, path, &w);

	if (r == 0)
		r = check_open(&w.node, flags);
	else if (r == -ENOENT && w.missing_last && (flags & O_CREAT))
		r = -EROFS;      /* it would be created, on a read-only tree */
	if (r == 0)
		r = make_file(&w, flags, out);
	kfree(w.path);
	return r;
}

/* See initramfs.h. */
int initramfs_dir(const char *base, const char *path, char *out, size_t size)
{
	struct walk w;
	int r = resolve_alloc(base, path, &w);

	if (r == 0 && !S_ISDIR(w.node.mode))
		r = -ENOTDIR;
	if (r == 0 && w.len >= size)
		r = -ERANGE;
	if (r == 0)
		memcpy(out, w.path, w.len + 1);
	kfree(w.path);
	return r;
}

/* The fields stat reports for an initramfs node. */
static void fill_stat(struct stat *st, u32 mode, size_t size, u64 ino)
{
	st->st_dev = RAMFS_DEV;
	st->st_ino = ino;
	st->st_mode = mode;
	st->st_size = (i64)size;
	st->st_blocks = (i64)((size + 511) / 512);
}

/* See initramfs.h. */
int initramfs_stat(const char *base, const char *path, struct stat *st)
{
	struct walk w;
	int r = resolve_alloc(base, path, &w);

	if (r == 0)
		fill_stat(st, w.node.mode, w.node.size, path_ino(w.path, w.len));
	kfree(w.path);
	return r;
}

/* Find an executable for exec: its bytes, or -ENOENT / -ENOTDIR,
 * -EISDIR for a directory, -EACCES for a non-regular file or one without
 * any execute bit (as Linux's execve). */
int initramfs_lookup(const char *path, const void **data, size_t *size)
{
	struct walk w;
	int r = resolve_alloc(myproc() ? myproc()->cwd : NULL, path, &w);   /* none at boot */

	kfree(w.path);
	if (r < 0)
		return r;
	if (S_ISDIR(w.node.mode))
		return -EISDIR;
	if (!S_ISREG(w.node.mode) || !(w.node.mode & 0111))
		return -EACCES;
	*data = w.node.data;
	*size = w.node.size;
	return 0;
}

/* ---- open files: read, lseek, fstat ---- */

/* read(): up to n bytes from the offset, which moves past them; 0 at EOF. */
static long ramfile_read(struct file *f, uptr buf, size_t n)
{
	size_t want, got;

	if (f->off >= (i64)f->node.size)
		return 0;
	want = MIN(n, f->node.size - (size_t)f->off);
	got = fs_copyout(buf, (const char *)f->node.data + f->off, want);
	f->off += (i64)got;
	return got || !want ? (long)got : -EFAULT;
}

/* Move f->off relative to 0, itself or end; a negative or overflowing
 * result is -EINVAL.  Past the end is fine: reads there return 0. */
static i64 seek_to(struct file *f, i64 off, int whence, i64 end)
{
	i64 from, to;

	if (whence == SEEK_SET)
		from = 0;
	else if (whence == SEEK_CUR)
		from = f->off;
	else if (whence == SEEK_END)
		from = end;
	else
		return -EINVAL;
	if (__builtin_add_overflow(from, off, &to) || to < 0)
		return -EINVAL;
	f->off = to;
	return to;
}

/* lseek() on a file: SEEK_END is relative to its size. */
static i64 ramfile_lseek(struct file *f, i64 off, int whence)
{
	return seek_to(f, off, whence, (i64)f->node.size);
}

/* Directory positions are getdents cookies (see dir_entry_at); as Linux's
 * ramfs, SEEK_END is not supported. */
static i64 ramdir_lseek(struct file *f, i64 off, int whence)
{
	if (whence == SEEK_END)
		return -EINVAL;
	return seek_to(f, off, whence, 0);
}

/* fstat() of an open initramfs file or directory. */
static void ram_stat(struct file *f, struct stat *st)
{
	fill_stat(st, f->node.mode, f->node.size, f->node.ino);
}

/* read() of a directory is -EISDIR, as on Linux. */
static long ramdir_read(struct file *f, uptr buf, size_t n)
{
	(void)f, (void)buf, (void)n;
	return -EISDIR;
}

/* Last close of a directory: free its path. */
static void ramdir_release(struct file *f)
{
	kfree(f->node.path);
}

/* ---- getdents64 ---- */

struct dent {
	const char *name;
	size_t namelen;
	u64 ino;
	u8 type;
	i64 next;             /* position after this entry: d_off */
};

/* Inode number of child name of directory dir. */
static u64 child_ino(const char *dir, const char *name, size_t namelen)
{
	u32 h = fnv_add(2166136261u, dir, strlen(dir));

	if (*dir)
		h = fnv_add(h, "/", 1);
	return fnv_add(h, name, namelen);
}

/* The entry at directory position pos: 0 is ".", 1 is "..", and 2 + k is
 * resume point k of cpio_list_dir.  Returns 0, 1 at the end, or -EINVAL. */
static int dir_entry_at(struct file *f, i64 pos, struct dent *d)
{
	const char *dir = f->node.path;
	struct cpio_file cf;
	size_t off;
	int r;

	d->type = S_IFDIR >> 12;
	if (pos < 2) {
		d->name = pos ? ".." : ".";
		d->namelen = (size_t)pos + 1;
		d->ino = pos ? path_ino(dir, parent_len(dir, strlen(dir))) : f->node.ino;
		d->next = pos + 1;
		return 0;
	}
	off = (size_t)(pos - 2);
	do {
		if ((r = cpio_list_dir(archive, archive_len, dir, &off, &cf)) != 0)
			return r;
	} while (cf.namelen > NAME_MAX);   /* Linux could not show it either */
	d->name = cf.name;
	d->namelen = cf.namelen;
	d->ino = child_ino(dir, cf.name, cf.namelen);
	d->type = (u8)((cf.mode & S_IFMT) >> 12);
	d->next = (i64)off + 2;
	return 0;
}

/* Copy one record to buf + *total if it fits in count: 1 done, 0 no room,
 * -EFAULT. */
static int put_dirent(uptr buf, size_t count, size_t *total, const struct dent *d)
{
	u8 rec[DIRENT_MAX];
	struct linux_dirent64 *de = (struct linux_dirent64 *)rec;
	size_t reclen = ALIGN_UP(sizeof(*de) + d->namelen + 1, 8);

	if (*total + reclen > count)
		return 0;
	memset(rec, 0, reclen);
	de->d_ino = d->ino;
	de->d_off = d->next;
	de->d_reclen = (u16)reclen;
	de->d_type = d->type;
	memcpy(de->d_name, d->name, d->namelen);
	if (copyout(buf + *total, rec, reclen) < 0)
		return -EFAULT;
	*total += reclen;
	return 1;
}

/* As many whole records as fit in count; -EINVAL when not even one does. */
static long ramdir_getdents(struct file *f, uptr buf, size_t count)
{
	size_t total = 0;
	struct dent d;
	int r;

	/* Ends with r = 1 (no more entries), 0 (no room for the next record:
	 * it stays for the next call) or -errno. */
	for (;;) {
		if ((r = dir_entry_at(f, f->off, &d)) != 0)
			break;
		if ((r = put_dirent(buf, count, &total, &d)) <= 0)
			break;
		f->off = d.next;
	}
	if (r == 0 && total == 0)
		return -EINVAL;     /* the buffer cannot hold the next record */
	if (r < 0 && total == 0)
		return r;
	return (long)total;
}

const struct file_ops ramfile_ops = {
	.read = ramfile_read,
	.lseek = ramfile_lseek,
	.stat = ram_stat,
};

const struct file_ops ramdir_ops = {
	.read = ramdir_read,
	.lseek = ramdir_lseek,
	.stat = ram_stat,
	.getdents = ramdir_getdents,
	.release = ramdir_release,
};
