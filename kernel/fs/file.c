/* Open files: allocation and reference counting, boot of the file system,
 * and the chunked user copies file operations use (descriptor tables are
 * fdtable.c).
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
