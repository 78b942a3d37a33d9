/* Open files on the inode tree: regular files (read, write, lseek), and
 * directories (getdents64).  A directory's position is the cookie of the
 * next entry to report (0 ".", 1 "..", then each entry's own, see ramfs.c),
 * never a byte offset into anything, so a position a program made up or
 * kept while the directory changed just resumes at the next entry. */
#include "fs/inode.h"
#include "fs/fileops.h"
#include "fs/procfs.h"
#include "fs/vfs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"

#define DIRENT_MAX ALIGN_UP(sizeof(struct linux_dirent64) + NAME_MAX + 1, 8)

/* read(): up to n bytes from the offset, which moves past them; 0 at EOF. */
static long ramfile_read(struct file *f, uptr buf, size_t n)
{
	long r = ramdata_read_user(f->ip, f->off, buf, n);

	if (r > 0) {
		f->off += r;
		fs_time_now(&f->ip->atime);
	}
	return r;
}

/* write(): at the offset, or at the end for O_APPEND; moves the offset. */
static long ramfile_write(struct file *f, uptr buf, size_t n)
{
	struct inode *ip = f->ip;
	long r;

	if (f->flags & O_APPEND)
		f->off = ip->size;
	r = ramdata_write_user(ip, f->off, buf, n);
	if (r > 0) {
		f->off += r;
		fs_time_now(&ip->mtime);
		ip->ctime = ip->mtime;
	}
	return r;
}

/* Move f->off relative to 0, itself or end; a negative or overflowing
 * result is -EINVAL.  Past the end is fine: reads there return 0, and a
 * write there leaves a hole. */
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

static i64 ramfile_lseek(struct file *f, i64 off, int whence)
{
	return seek_to(f, off, whence, f->ip->size);
}

/* As Linux's ramfs, SEEK_END on a directory is not supported. */
static i64 ramdir_lseek(struct file *f, i64 off, int whence)
{
	if (whence == SEEK_END)
		return -EINVAL;
	return seek_to(f, off, whence, 0);
}

static void node_stat(struct file *f, struct stat *st)
{
	vfs_stat(f->ip, st);
}

/* read() of a directory is -EISDIR, as on Linux. */
static long ramdir_read(struct file *f, uptr buf, size_t n)
{
	(void)f, (void)buf, (void)n;
	return -EISDIR;
}

/* The entry of a RAM directory at position pos: 0, or 1 at the end. */
static int ramdir_entry(struct inode *dir, i64 pos, struct dent *d)
{
	struct dentry *e;

	d->type = S_IFDIR >> 12;
	if (pos < 2) {
		struct inode *up = dir->dir.parent ? dir->dir.parent : dir;

		d->name = pos ? ".." : ".";
		d->namelen = (size_t)pos + 1;
		d->ino = pos ? up->ino : dir->ino;
		d->next = pos + 1;
		return 0;
	}
	if (!(e = dir_entry_from(dir, (u64)pos)))
		return 1;
	d->name = e->name;
	d->namelen = e->namelen;
	d->ino = e->inode->ino;
	d->type = (u8)((e->inode->mode & S_IFMT) >> 12);
	d->next = (i64)e->cookie + 1;
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
		if (f->ip->is_proc)
			r = procfs_entry(f->ip, f->off, &d);
		else
			r = ramdir_entry(f->ip, f->off, &d);
		if (r != 0)
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

/* read() of a generated /proc file: from the text made at open. */
static long procfile_read(struct file *f, uptr buf, size_t n)
{
	size_t want, got;

	if (f->off >= (i64)f->gen.len)
		return 0;
	want = MIN(n, f->gen.len - (size_t)f->off);
	got = fs_copyout(buf, f->gen.text + f->off, want);
	f->off += (i64)got;
	return got || !want ? (long)got : -EFAULT;
}

static i64 procfile_lseek(struct file *f, i64 off, int whence)
{
	return seek_to(f, off, whence, (i64)f->gen.len);
}

static void procfile_release(struct file *f)
{
	kfree(f->gen.text);
}

const struct file_ops ramfile_ops = {
	.read = ramfile_read,
	.write = ramfile_write,
	.lseek = ramfile_lseek,
	.stat = node_stat,
};

const struct file_ops ramdir_ops = {
	.read = ramdir_read,
	.lseek = ramdir_lseek,
	.stat = node_stat,
	.getdents = ramdir_getdents,
};

const struct file_ops procfile_ops = {
	.read = procfile_read,
	.lseek = procfile_lseek,
	.stat = node_stat,
	.release = procfile_release,
};
