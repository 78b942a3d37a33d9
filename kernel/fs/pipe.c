/* Pipes.  Both ends sleep on the pipe itself: a reader waits while the ring
 * is empty and a writer exists, a writer while the ring lacks room and a
 * reader exists, and each side wakes the other after it moves data or
 * closes.  Never both wait at once, so one channel is enough. */
#include "fs/pipe.h"
#include "fs/fileops.h"
#include "fs/ring.h"
#include "lib/errno.h"
#include "mm/kmalloc.h"
#include "proc/proc.h"

struct pipe {
	struct ring ring;
	int readers, writers;     /* open files on each end */
	u64 ino;                  /* for fstat */
};

static u64 next_pipe_ino = 1;

/* See pipe.h: both ends, one reference each, or -ENOMEM. */
int pipe_create(struct file **rd, struct file **wr, u32 flags)
{
	struct pipe *p = kmalloc(sizeof(*p));

	if (!p)
		return -ENOMEM;
	*rd = file_alloc(FT_PIPE_READ, O_RDONLY | (flags & O_NONBLOCK));
	*wr = file_alloc(FT_PIPE_WRITE, O_WRONLY | (flags & O_NONBLOCK));
	if (!*rd || !*wr) {
		kfree(*rd);
		kfree(*wr);
		kfree(p);
		return -ENOMEM;
	}
	ring_init(&p->ring);
	p->readers = p->writers = 1;
	p->ino = next_pipe_ino++;
	(*rd)->pipe = (*wr)->pipe = p;
	return 0;
}

/* Wait until the ring has data: 0, -EAGAIN (non-blocking), -ERESTARTSYS
 * (a signal), or 1 for EOF (empty and no writer left). */
static int wait_readable(struct file *f)
{
	struct pipe *p = f->pipe;
	int err;

	while (ring_len(&p->ring) == 0) {
		if (p->writers == 0)
			return 1;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if ((err = sleep_intr(p)) < 0)
			return err;
	}
	return 0;
}

/* Up to n bytes, whatever is there once something is. */
static long pipe_read(struct file *f, uptr buf, size_t n)
{
	struct pipe *p = f->pipe;
	size_t got = 0;
	int r;
	const u8 *src;

	if (n == 0)
		return 0;      /* as Linux: no wait, even on an empty pipe */
	if ((r = wait_readable(f)) != 0)
		return r < 0 ? r : 0;
	while (got < n) {
		size_t run = MIN(ring_peek(&p->ring, 0, &src), n - got);
		size_t c;

		if (run == 0)
			break;
		c = fs_copyout(buf + got, src, run);
		ring_consume(&p->ring, c);
		got += c;
		if (c < run)
			break;
	}
	wakeup(p);
	return got || !n ? (long)got : -EFAULT;
}

/* Wait for room for need bytes: 0, -EPIPE (no reader: SIGPIPE is sent, as
 * Linux does), -EAGAIN, or -ERESTARTSYS (a signal). */
static int wait_writable(struct file *f, size_t need)
{
	struct pipe *p = f->pipe;
	int err;

	for (;;) {
		if (p->readers == 0) {
			struct ksiginfo info = { .code = SI_USER, .pid = myproc()->pid };
			signal_send(myproc(), SIGPIPE, &info);
			return -EPIPE;
		}
		if (ring_space(&p->ring) >= need)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if ((err = sleep_intr(p)) < 0)
			return err;
	}
}

/* Copy up to n user bytes into the ring's free space, committing only what
 * copied; returns the count (short means a fault or a full ring). */
static size_t fill_ring(struct pipe *p, uptr buf, size_t n)
{
	size_t done = 0;
	u8 *dst;

	while (done < n) {
		size_t run = MIN(ring_free_run(&p->ring, &dst), n - done);
		size_t c;

		if (run == 0)
			break;
		c = fs_copyin(dst, buf + done, run);
		ring_commit(&p->ring, c);
		done += c;
		if (c < run)
			break;
	}
	return done;
}

/* Linux semantics: a write of at most PIPE_BUF bytes goes in whole (it waits
 * for room for all of it); a larger one in pieces as room appears.  Returns
 * the bytes written, or -EPIPE / -EAGAIN / -EFAULT when there are none. */
static long pipe_write(struct file *f, uptr buf, size_t n)
{
	struct pipe *p = f->pipe;
	size_t done = 0;

	while (done < n) {
		size_t left = n - done;
		int r = wait_writable(f, left <= PIPE_BUF ? left : 1);
		size_t c;

		if (r < 0)
			return done ? (long)done : r;
		c = fill_ring(p, buf + done, left);
		done += c;
		wakeup(p);
		if (c < left && ring_space(&p->ring) > 0)   /* the copy faulted */
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

/* poll(): data, or every writer gone (POLLHUP), on the read end; room, or
 * every reader gone (POLLERR), on the write end. */
static u32 pipe_poll_read(struct file *f)
{
	struct pipe *p = f->pipe;

	return (ring_len(&p->ring) ? POLLIN | POLLRDNORM : 0) | (p->writers == 0 ? POLLHUP : 0);
}

static u32 pipe_poll_write(struct file *f)
{
	struct pipe *p = f->pipe;

	if (p->readers == 0)
		return POLLOUT | POLLWRNORM | POLLERR;
	return ring_space(&p->ring) ? POLLOUT | POLLWRNORM : 0;
}

/* fstat(): a FIFO with a per-pipe inode number. */
static void pipe_stat(struct file *f, struct stat *st)
{
	st->st_dev = 12;
	st->st_ino = f->pipe->ino;
	st->st_mode = S_IFIFO | 0600;
	st->st_blksize = PIPE_BUF;
}

/* Free the pipe with its last end; wake the other side, which now sees EOF
 * (readers) or -EPIPE (writers). */
static void pipe_release_end(struct file *f, int *count)
{
	struct pipe *p = f->pipe;

	(*count)--;
	wakeup(p);
	if (p->readers == 0 && p->writers == 0)
		kfree(p);
}

static void pipe_release_read(struct file *f) { pipe_release_end(f, &f->pipe->readers); }
static void pipe_release_write(struct file *f) { pipe_release_end(f, &f->pipe->writers); }

const struct file_ops pipe_read_ops = {
	.read = pipe_read,
	.stat = pipe_stat,
	.poll = pipe_poll_read,
	.release = pipe_release_read,
};

const struct file_ops pipe_write_ops = {
	.write = pipe_write,
	.stat = pipe_stat,
	.poll = pipe_poll_write,
	.release = pipe_release_write,
};
