/* Open files and descriptor tables: reference counting, lowest-free fd
 * allocation, and the per-process table operations fork, exec and exit use.
 * What a file does is in its file_ops (console.c, ramfile.c, devfs.c, pipe.c). */
#include "fs/file.h"
#include "fs/fileops.h"
#include "fs/console.h"
#include "fs/initramfs.h"
#include "fs/inode.h"
#include "fs/devfs.h"
#include "fs/procfs.h"
#include "lib/errno.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "arch/x86_64/memlayout.h"
#include "lib/string.h"

static const struct file_ops *const ops_of[FT_NTYPES] = {
	[FT_CONSOLE] = &console_ops,
	[FT_RAMFILE] = &ramfile_ops,
	[FT_RAMDIR] = &ramdir_ops,
	[FT_PIPE_READ] = &pipe_read_ops,
	[FT_PIPE_WRITE] = &pipe_write_ops,
	[FT_PROCFILE] = &procfile_ops,
	/* FT_DEV: the ops of the device's inode (vfs_open_inode) */
};

/* Boot: the root in RAM filled from the initramfs, /dev and /proc on it,
 * and the console input script to the console. */
void fs_init(const void *initramfs, size_t len, const char *script, size_t script_len)
{
	ramfs_init();
	initramfs_unpack(initramfs, len);
	devfs_init();
	procfs_init();
	console_init(script, script_len);
}

/* A new file with one reference, or NULL when the heap is exhausted. */
struct file *file_alloc(enum file_type type, u32 flags)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->type = type;
	f->ops = ops_of[type];
	f->ref = 1;
	f->flags = flags;
	return f;
}

/* One more reference to f; returns f. */
struct file *file_dup(struct file *f)
{
	f->ref++;
	return f;
}

/* Drop one reference; the last one lets the type clean up, then frees f. */
void file_close(struct file *f)
{
	if (--f->ref > 0)
		return;
	if (f->ops->release)
		f->ops->release(f);
	if (f->ip)
		inode_put(f->ip);
	kfree(f);
}

/* The open file behind fd in the current process, or NULL. */
struct file *fd_file(int fd)
{
	if (fd < 0 || fd >= NOFILE)
		return NULL;
	return myproc()->ofile[fd];
}

/* Lowest free descriptor >= lowest in p, or -EMFILE. */
static int fd_alloc(struct proc *p, int lowest)
{
	for (int fd = lowest < 0 ? 0 : lowest; fd < NOFILE; fd++)
		if (!p->ofile[fd])
			return fd;
	return -EMFILE;
}

/* Put f (its reference passes to the table) in the lowest free slot >= lowest
 * of the current process.  Returns the fd, or -EMFILE leaving f to the caller. */
int fd_install(struct file *f, int lowest, bool cloexec)
{
	struct proc *p = myproc();
	int fd = fd_alloc(p, lowest);

	if (fd < 0)
		return fd;
	p->ofile[fd] = f;
	p->fdflags[fd] = cloexec ? FD_CLOEXEC : 0;
	return fd;
}

/* Free one slot of p, dropping its reference. */
static void fd_release(struct proc *p, int fd)
{
	struct file *f = p->ofile[fd];

	p->ofile[fd] = NULL;
	p->fdflags[fd] = 0;
	file_close(f);
}

/* Lowest free descriptor >= lowest in the current process, or -EMFILE. */
int fd_lowest_free(int lowest)
{
	return fd_alloc(myproc(), lowest);
}

/* dup2: slot fd of the current process now holds f (the table takes the
 * reference); the file it held before, if any, loses one. */
void fd_replace(int fd, struct file *f, bool cloexec)
{
	struct proc *p = myproc();
	struct file *old = p->ofile[fd];

	p->ofile[fd] = f;
	p->fdflags[fd] = cloexec ? FD_CLOEXEC : 0;
	if (old)
		file_close(old);
}

/* close(fd) for the current process: 0 or -EBADF. */
int fd_close(int fd)
{
	if (!fd_file(fd))
		return -EBADF;
	fd_release(myproc(), fd);
	return 0;
}

/* Close every descriptor of p and let go of its working directory
 * (process exit). */
void fdtable_close_all(struct proc *p)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (p->ofile[fd])
			fd_release(p, fd);
	if (p->cwd)
		inode_put(p->cwd);
	p->cwd = NULL;
}

/* Close the descriptors marked FD_CLOEXEC (exec commit). */
void fdtable_close_cloexec(struct proc *p)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (p->ofile[fd] && (p->fdflags[fd] & FD_CLOEXEC))
			fd_release(p, fd);
}

/* fork: dst gets every descriptor of src, sharing the open files (and so
 * their offsets), with the same FD_CLOEXEC flags, and its working
 * directory.  dst's table must be empty. */
void fdtable_clone(struct proc *dst, const struct proc *src)
{
	dst->cwd = src->cwd;
	if (dst->cwd)
		inode_get(dst->cwd);
	for (int fd = 0; fd < NOFILE; fd++) {
		dst->ofile[fd] = src->ofile[fd] ? file_dup(src->ofile[fd]) : NULL;
		dst->fdflags[fd] = src->fdflags[fd];
	}
}

/* fds 0, 1, 2 of p on one shared console file, as a login shell gets them.
 * Returns 0, or -ENOMEM. */
int fd_install_console(struct proc *p)
{
	struct file *f = file_alloc(FT_CONSOLE, O_RDWR);

	if (!f)
		return -ENOMEM;
	for (int fd = 0; fd < 3; fd++) {
		if (p->ofile[fd])
			file_close(p->ofile[fd]);
		p->ofile[fd] = fd ? file_dup(f) : f;
		p->fdflags[fd] = 0;
	}
	return 0;
}

/* True when fd of the current process is open on the console. */
bool fd_is_console(int fd)
{
	struct file *f = fd_file(fd);

	return f && f->type == FT_CONSOLE;
}

/* A process inside sendfile: its file operations move kernel buffers
 * (addresses no user can pass, >= USER_TOP) through the same read and write
 * paths as user ones.  Per process, since a write may sleep. */
static bool kernel_io_on(uptr addr)
{
	struct proc *p = myproc();

	return addr >= USER_TOP && p && p->kernel_io;
}

/* See fileops.h. */
void fs_kernel_io(bool on)
{
	myproc()->kernel_io = on;
}

/* Copy n user bytes at src into dst chunk by chunk; returns the bytes copied
 * before the first faulting chunk (n when all went well). */
size_t fs_copyin(void *dst, uptr src, size_t n)
{
	size_t done = 0;

	if (kernel_io_on(src)) {
		memcpy(dst, (const void *)src, n);
		return n;
	}
	while (done < n) {
		size_t c = fs_chunk(src + done, n - done);

		if (copyin((char *)dst + done, src + done, c) < 0)
			break;
		done += c;
	}
	return done;
}

/* Copy n kernel bytes to user dst chunk by chunk; returns the bytes copied
 * before the first faulting chunk. */
size_t fs_copyout(uptr dst, const void *src, size_t n)
{
	size_t done = 0;

	if (kernel_io_on(dst)) {
		memcpy((void *)dst, src, n);
		return n;
	}
	while (done < n) {
		size_t c = fs_chunk(dst + done, n - done);

		if (copyout(dst + done, (const char *)src + done, c) < 0)
			break;
		done += c;
	}
	return done;
}
