/* Data calls beyond read and write: positioned I/O (pread64, pwrite64),
 * scattered reads (readv), sendfile, fsync.  They go through each file's
 * read and write operations like read(2) and write(2) do. */
#include "gen/syscall_decl.h"
#include "fs/file.h"
#include "fs/fileops.h"
#include "fs/inode.h"
#include "lib/errno.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"
#include "proc/sched.h"

#define MAX_RW_COUNT 0x7ffff000UL
#define UIO_MAXIOV 1024
#define SENDFILE_CHUNK 4096

struct iovec {
	u64 base;
	u64 len;
};

/* op (read or write) of f at position pos, leaving f's own offset alone:
 * what pread64/pwrite64 do.  -ESPIPE for files without positions. */
static long at_position(struct file *f, long (*op)(struct file *, uptr, size_t),
			uptr buf, size_t n, i64 pos)
{
	i64 saved = f->off;
	long r;

	if (!f->ops->lseek)
		return -ESPIPE;
	if (pos < 0)
		return -EINVAL;
	f->off = pos;
	r = op(f, buf, MIN(n, MAX_RW_COUNT));
	f->off = saved;
	return r;
}

long sys_pread64(int fd, uptr buf, u64 count, i64 pos)
{
	struct file *f = fd_file(fd);

	if (!f || (f->flags & O_ACCMODE) == O_WRONLY || !f->ops->read)
		return -EBADF;
	return at_position(f, f->ops->read, buf, count, pos);
}

long sys_pwrite64(int fd, uptr buf, u64 count, i64 pos)
{
	struct file *f = fd_file(fd);

	if (!f || (f->flags & O_ACCMODE) == O_RDONLY || !f->ops->write)
		return -EBADF;
	if (count == 0)
		return 0;
	return at_position(f, f->ops->write, buf, count, pos);
}

/* readv(2): the iovecs filled in order, stopping at a short read. */
long sys_readv(int fd, uptr iov, long iovcnt)
{
	struct file *f = fd_file(fd);
	size_t total = 0;
	struct iovec v;

	if (!f || (f->flags & O_ACCMODE) == O_WRONLY || !f->ops->read)
		return -EBADF;
	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return -EINVAL;
	for (long i = 0; i < iovcnt && total < MAX_RW_COUNT; i++) {
		long got;

		if (copyin(&v, iov + (u64)i * sizeof(v), sizeof(v)) < 0)
			return total ? (long)total : -EFAULT;
		if ((i64)v.len < 0)
			return total ? (long)total : -EINVAL;
		if (v.len == 0)
			continue;
		got = f->ops->read(f, v.base, MIN(v.len, MAX_RW_COUNT - total));
		if (got < 0)
			return total ? (long)total : got;
		total += (size_t)got;
		if ((size_t)got < v.len)
			break;
	}
	return (long)total;
}

/* One sendfile chunk: read from in (at *pos when pos, else its offset),
 * write all of it to out.  The bytes moved, 0 at the end, or -errno. */
static long send_chunk(struct file *out, struct file *in, i64 *pos, u8 *buf, size_t n)
{
	i64 saved = in->off;
	long got, put;

	if (pos)
		in->off = *pos;
	got = in->ops->read(in, (uptr)buf, n);
	if (pos) {
		if (got > 0)
			*pos += got;
		in->off = saved;
	}
	if (got <= 0)
		return got;
	put = out->ops->write(out, (uptr)buf, (size_t)got);
	if (put >= 0 && put < got && !pos)
		in->off -= got - put;          /* give back what was not written */
	return put;
}

/* Between two sendfile chunks: whether to stop (a signal is pending: the
 * bytes moved so far are the answer, as Linux's), after letting the others
 * run.  Kernel code is not preemptible, and one call may move 2 GiB (a pipe
 * sent into itself): seconds in which no other process would run. */
static bool sendfile_pause(void)
{
	if (proc_others_runnable())
		yield();
	return signal_pending();
}

/* sendfile(2): up to count bytes from in_fd to out_fd through a kernel
 * buffer; *offset (when given) is where to read, and is updated. */
long sys_sendfile(int out_fd, int in_fd, uptr offset, u64 count)
{
	struct file *in = fd_file(in_fd), *out = fd_file(out_fd);
	i64 pos, *posp = NULL;
	size_t total = 0;
	long r = 0;
	u8 *buf;

	if (!in || !out || (in->flags & O_ACCMODE) == O_WRONLY || (out->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!in->ops->read || !out->ops->write || (out->flags & O_APPEND))
		return -EINVAL;
	if (offset) {
		if (!in->ops->lseek)
			return -ESPIPE;
		if (copyin(&pos, offset, sizeof(pos)) < 0)
			return -EFAULT;
		if (pos < 0)
			return -EINVAL;
		posp = &pos;
	}
	if (!(buf = kmalloc(SENDFILE_CHUNK)))
		return -ENOMEM;
	fs_kernel_io(true);
	count = MIN(count, MAX_RW_COUNT);
	while (total < count) {
		size_t want = MIN(count - total, SENDFILE_CHUNK);

		if ((r = send_chunk(out, in, posp, buf, want)) <= 0)
			break;
		total += (size_t)r;
		if ((size_t)r < want || sendfile_pause())
			break;              /* the end of in, out is full, or a signal */
	}
	fs_kernel_io(false);
	kfree(buf);
	if (posp && copyout(offset, &pos, sizeof(pos)) < 0)
		return -EFAULT;
	return total ? (long)total : r;
}

/* fsync(2), fdatasync(2): everything is in RAM already; -EINVAL for pipes
 * and the console, as Linux. */
long sys_fsync(int fd)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	return f->ip ? 0 : -EINVAL;
}

long sys_fdatasync(int fd)
{
	return sys_fsync(fd);
}
