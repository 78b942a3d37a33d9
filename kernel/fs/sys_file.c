/* File system calls, with Linux's semantics and errnos.  Descriptors come
 * from file.c, the work from each file's ops; user memory is only touched
 * through mm/usercopy.h (or the bounded fs_copyin/fs_copyout). */
#include "gen/syscall_decl.h"
#include "fs/file.h"
#include "fs/fileops.h"
#include "fs/inode.h"
#include "fs/path.h"
#include "fs/sys_common.h"
#include "fs/vfs.h"
#include "fs/pipe.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"
#include "proc/proc.h"

#define MAX_RW_COUNT 0x7ffff000UL   /* Linux caps one read/write at this */
#define UIO_MAXIOV 1024

struct iovec {
	u64 base;
	u64 len;
};

/* Opened for reading (F_GETFL access mode O_RDONLY or O_RDWR)? */
static bool can_read(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

/* Opened for writing? */
static bool can_write(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY;
}

/* read(2): bytes read, 0 at EOF, -EBADF for a fd not open for reading. */
long sys_read(int fd, uptr buf, u64 count)
{
	struct file *f = fd_file(fd);

	if (!f || !can_read(f) || !f->ops->read)
		return -EBADF;
	return f->ops->read(f, buf, MIN(count, MAX_RW_COUNT));
}

/* write(2): bytes written (short after a fault part-way), -EBADF, -EFAULT, ... */
long sys_write(int fd, uptr buf, u64 count)
{
	struct file *f = fd_file(fd);

	if (!f || !can_write(f) || !f->ops->write)
		return -EBADF;
	if (count == 0)
		return 0;
	return f->ops->write(f, buf, MIN(count, MAX_RW_COUNT));
}

/* Check every iovec before writing anything, as Linux does: -EFAULT for an
 * unreadable array, -EINVAL for a negative length. */
static int check_iov(uptr iov, long iovcnt)
{
	struct iovec v;

	for (long i = 0; i < iovcnt; i++) {
		if (copyin(&v, iov + (u64)i * sizeof(v), sizeof(v)) < 0)
			return -EFAULT;
		if ((i64)v.len < 0)
			return -EINVAL;
	}
	return 0;
}

/* Gathered write: the iovecs in order, stopping at the first short write;
 * the bytes written, or the first error when there are none. */
long sys_writev(int fd, uptr iov, long iovcnt)
{
	struct file *f = fd_file(fd);
	size_t total = 0;
	struct iovec v;
	int r;

	if (!f || !can_write(f) || !f->ops->write)
		return -EBADF;
	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return -EINVAL;
	if ((r = check_iov(iov, iovcnt)) < 0)
		return r;
	for (long i = 0; i < iovcnt && total < MAX_RW_COUNT; i++) {
		size_t len;
		long w;

		if (copyin(&v, iov + (u64)i * sizeof(v), sizeof(v)) < 0)
			return total ? (long)total : -EFAULT;
		len = MIN(v.len, MAX_RW_COUNT - total);
		if (len == 0)
			continue;
		w = f->ops->write(f, v.base, len);
		if (w < 0)
			return total ? (long)total : w;
		total += (size_t)w;
		if ((size_t)w < len)
			break;
	}
	return (long)total;
}

/* See sys_common.h. */
int fetch_path(uptr upath, char **out)
{
	long r;

	*out = kmalloc(PATH_MAX);
	if (!*out)
		return -ENOMEM;
	r = copyinstr(*out, upath, PATH_MAX);
	if (r < 0) {
		kfree(*out);
		*out = NULL;
		return (int)r;
	}
	return 0;
}

/* See sys_common.h. */
int at_start(int dirfd, const char *path, struct inode **start)
{
	struct file *d;

	*start = NULL;
	if (path[0] == '/')
		return 0;
	if (dirfd == AT_FDCWD) {
		*start = path_cwd();
		return 0;
	}
	if (!(d = fd_file(dirfd)))
		return -EBADF;
	if (!d->ip || !S_ISDIR(d->ip->mode))
		return -ENOTDIR;
	inode_get(d->ip);
	*start = d->ip;
	return 0;
}

/* The inode for "" with AT_EMPTY_PATH: dirfd's, or the working directory. */
static int empty_path_inode(int dirfd, struct inode **out)
{
	struct file *f;

	if (dirfd == AT_FDCWD) {
		*out = path_cwd();
		return 0;
	}
	if (!(f = fd_file(dirfd)))
		return -EBADF;
	if (!f->ip)
		return -EBADF;      /* pipes and the boot console: callers use fstat */
	inode_get(f->ip);
	*out = f->ip;
	return 0;
}

/* See sys_common.h. */
int lookup_user(int dirfd, uptr upath, int flags, bool empty_ok, struct inode **out)
{
	struct inode *start;
	char *path;
	int r;

	if ((r = fetch_path(upath, &path)) < 0)
		return r;
	if (!*path)
		r = empty_ok ? empty_path_inode(dirfd, out) : -ENOENT;
	else if ((r = at_start(dirfd, path, &start)) == 0) {
		r = path_lookup(start, path, flags, out);
		if (start)
			inode_put(start);
	}
	kfree(path);
	return r;
}

/* open path (fetched) relative to dirfd and install it on the lowest fd. */
static long open_path(int dirfd, const char *path, u64 flags, u32 mode)
{
	struct inode *start;
	struct file *f;
	int r, fd;

	if (!*path)
		return -ENOENT;
	if (fd_lowest_free(0) < 0)
		return -EMFILE;
	if ((r = at_start(dirfd, path, &start)) < 0)
		return r;
	r = vfs_open(start, path, flags, mode, &f);
	if (start)
		inode_put(start);
	if (r < 0)
		return r;
	fd = fd_install(f, 0, (flags & O_CLOEXEC) != 0);
	if (fd < 0)
		file_close(f);
	return fd;
}

/* openat(2): the new fd (O_CLOEXEC honoured), or -errno. */
long sys_openat(int dirfd, uptr upath, u64 flags, u64 mode)
{
	char *path;
	long r;

	if ((r = fetch_path(upath, &path)) < 0)
		return r;
	r = open_path(dirfd, path, flags, (u32)mode);
	kfree(path);
	return r;
}

/* open(2): openat(AT_FDCWD, ...). */
long sys_open(uptr path, u64 flags, u64 mode)
{
	return sys_openat(AT_FDCWD, path, flags, mode);
}

/* creat(2): open(path, O_CREAT | O_WRONLY | O_TRUNC, mode). */
long sys_creat(uptr path, u64 mode)
{
	return sys_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

/* close(2): 0 or -EBADF. */
long sys_close(int fd)
{
	return fd_close(fd);
}

/* lseek(2): the new offset; -EINVAL for a bad whence, -ESPIPE on pipes and the console. */
long sys_lseek(int fd, i64 offset, long whence)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if (whence < SEEK_SET || whence > SEEK_END)
		return -EINVAL;
	if (!f->ops->lseek)
		return -ESPIPE;
	return f->ops->lseek(f, offset, (int)whence);
}

/* What every stat starts from; the file type fills in the rest. */
static void stat_init(struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_nlink = 1;
	st->st_blksize = 4096;
}

/* Fill a struct stat for f and copy it to statbuf: 0 or -EFAULT. */
static long stat_file(struct file *f, uptr statbuf)
{
	struct stat st;

	stat_init(&st);
	f->ops->stat(f, &st);
	return copyout(statbuf, &st, sizeof(st)) < 0 ? -EFAULT : 0;
}

/* fstat(2): 0, -EBADF or -EFAULT. */
long sys_fstat(int fd, uptr statbuf)
{
	struct file *f = fd_file(fd);

	return f ? stat_file(f, statbuf) : -EBADF;
}

/* newfstatat(2) (stat, lstat, fstatat): 0 or -errno.  "" with
 * AT_EMPTY_PATH is dirfd itself, or the working directory for AT_FDCWD. */
long sys_newfstatat(int dirfd, uptr upath, uptr statbuf, u64 flags)
{
	struct inode *ip;
	struct stat st;
	char first;
	long r;

	if (flags & ~(u64)(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -EINVAL;
	/* fstat answers for descriptors without an inode (pipes, the console) */
	if ((flags & AT_EMPTY_PATH) && dirfd != AT_FDCWD && copyin(&first, upath, 1) == 0 &&
	    !first && fd_file(dirfd) && !fd_file(dirfd)->ip)
		return sys_fstat(dirfd, statbuf);
	r = lookup_user(dirfd, upath, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW,
			flags & AT_EMPTY_PATH, &ip);
	if (r < 0)
		return r;
	vfs_stat(ip, &st);
	inode_put(ip);
	return copyout(statbuf, &st, sizeof(st)) < 0 ? -EFAULT : 0;
}

/* stat(2) */
long sys_stat(uptr path, uptr statbuf)
{
	return sys_newfstatat(AT_FDCWD, path, statbuf, 0);
}

/* lstat(2): a link itself */
long sys_lstat(uptr path, uptr statbuf)
{
	return sys_newfstatat(AT_FDCWD, path, statbuf, AT_SYMLINK_NOFOLLOW);
}

/* getdents64(2): bytes of records, 0 at the end, -ENOTDIR for a non-directory. */
long sys_getdents64(int fd, uptr dirp, u64 count)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if (!f->ops->getdents)
		return -ENOTDIR;
	return f->ops->getdents(f, dirp, MIN(count, MAX_RW_COUNT));
}

/* ioctl(2): the file's answer; -ENOTTY for files that have no ioctls. */
long sys_ioctl(int fd, u64 request, uptr arg)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if (!f->ops->ioctl)
		return -ENOTTY;
	return f->ops->ioctl(f, request, arg);
}

/* Both pipe ends on the two lowest free fds, their numbers to fds[2]. */
long sys_pipe2(uptr ufds, u64 flags)
{
	struct file *rd, *wr;
	int fds[2], r;
	bool cloexec = (flags & O_CLOEXEC) != 0;

	if (flags & ~(u64)(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	if ((r = pipe_create(&rd, &wr, (u32)flags)) < 0)
		return r;
	fds[0] = fd_install(rd, 0, cloexec);
	fds[1] = fds[0] < 0 ? -EMFILE : fd_install(wr, 0, cloexec);
	if (fds[1] < 0) {
		if (fds[0] < 0)
			file_close(rd);
		else
			fd_close(fds[0]);
		file_close(wr);
		return -EMFILE;
	}
	if (copyout(ufds, fds, sizeof(fds)) < 0) {
		fd_close(fds[0]);
		fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

/* pipe(2): pipe2 without flags. */
long sys_pipe(uptr fds)
{
	return sys_pipe2(fds, 0);
}

/* f on the lowest free fd >= lowest (one more reference), or -EMFILE. */
static long dup_from(struct file *f, int lowest, bool cloexec)
{
	int fd = fd_install(file_dup(f), lowest, cloexec);

	if (fd < 0)
		file_close(f);
	return fd;
}

/* dup(2): the lowest free fd, sharing the open file (FD_CLOEXEC clear). */
long sys_dup(int oldfd)
{
	struct file *f = fd_file(oldfd);

	return f ? dup_from(f, 0, false) : -EBADF;
}

/* dup2(2): newfd (closing what it held), or -EBADF; equal fds just check oldfd. */
long sys_dup2(int oldfd, int newfd)
{
	struct file *f = fd_file(oldfd);
	int err;

	if (!f)
		return -EBADF;
	if (newfd == oldfd)
		return newfd;
	if ((err = fd_reserve(newfd)) < 0)
		return err;
	fd_replace(newfd, file_dup(f), false);
	return newfd;
}

/* dup3(2): dup2 with O_CLOEXEC as its only flag; equal fds are -EINVAL. */
long sys_dup3(int oldfd, int newfd, u64 flags)
{
	struct file *f = fd_file(oldfd);
	int err;

	if (flags & ~(u64)O_CLOEXEC)
		return -EINVAL;
	if (!f)
		return -EBADF;
	if (newfd == oldfd)
		return -EINVAL;
	if ((err = fd_reserve(newfd)) < 0)
		return err;
	fd_replace(newfd, file_dup(f), (flags & O_CLOEXEC) != 0);
	return newfd;
}

/* fcntl(2): F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL; else -EINVAL. */
long sys_fcntl(int fd, long cmd, u64 arg)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= (u64)fd_limit())
			return -EINVAL;
		return dup_from(f, (int)arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return fd_flags(fd) & FD_CLOEXEC;
	case F_SETFD:
		fd_set_flags(fd, arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->flags;
	default:
		return -EINVAL;
	}
}
