/* Inside the fs/ subsystem: what an open file is, the operations each kind of
 * file provides, and descriptor helpers the syscall handlers share.  The rest
 * of the kernel sees struct file only as an opaque pointer (fs/file.h). */
#ifndef FS_FILEOPS_H
#define FS_FILEOPS_H

#include "lib/types.h"
#include "fs/fdtable.h"
#include "fs/fs_abi.h"

/* poll(2) event bits (Linux's values). */
#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020
#define POLLRDNORM 0x040
#define POLLWRNORM 0x100

struct proc;
struct pipe;

enum file_type {
	FT_CONSOLE, FT_RAMFILE, FT_RAMDIR, FT_PIPE_READ, FT_PIPE_WRITE,
	FT_DEV,             /* a /dev node: ops from its inode (devfs.c) */
	FT_PROCFILE,        /* a /proc file: text generated at open (procfs.c) */
	FT_NTYPES
};

/* One open file description: shared (with its offset) by every descriptor
 * that dup, dup2, fcntl(F_DUPFD) or fork made from the same open. */
struct file {
	enum file_type type;
	const struct file_ops *ops;
	int ref;
	u32 flags;          /* what F_GETFL reports: access mode, O_NONBLOCK, ... */
	i64 off;            /* position: bytes in a file, a dentry cookie in a directory */
	struct inode *ip;   /* the inode it was opened on (held), or NULL (pipes, the boot console) */
	union {
		struct pipe *pipe;
		struct {            /* FT_PROCFILE */
			char *text;     /* kmalloc'ed */
			size_t len;
		} gen;
	};
};

/* Per-type behaviour.  read/write move data straight between the user
 * address and the file's own storage (through fs_copyin/fs_copyout) and
 * return a byte count or -errno.  A NULL entry gives the errno the syscall
 * layer documents: lseek -ESPIPE, getdents -ENOTDIR, ioctl -ENOTTY. */
struct file_ops {
	long (*read)(struct file *f, uptr buf, size_t n);
	long (*write)(struct file *f, uptr buf, size_t n);
	i64 (*lseek)(struct file *f, i64 off, int whence);
	void (*stat)(struct file *f, struct stat *st);
	long (*getdents)(struct file *f, uptr buf, size_t n);
	long (*ioctl)(struct file *f, u64 req, uptr arg);
	/* Readiness now, as POLL* bits; NULL: always readable and writable. */
	u32 (*poll)(struct file *f);
	void (*release)(struct file *f);        /* the last reference is gone */
};

extern const struct file_ops console_ops, ramfile_ops, ramdir_ops, pipe_read_ops, pipe_write_ops,
	procfile_ops;

/* A new file of the given type with one reference and zeroed state, or NULL. */
struct file *file_alloc(enum file_type type, u32 flags);

/* Descriptors of the current process: fs/fdtable.h. */

/* Bounded copies between user and kernel memory, in chunks that never cross
 * a 512-byte user boundary (so a fault is found at its page).  Return the
 * bytes copied: fewer than n means the next chunk faulted. */
#define FS_CHUNK 512
size_t fs_copyin(void *dst, uptr src, size_t n);
size_t fs_copyout(uptr dst, const void *src, size_t n);
/* sendfile: while on, fs_copyin/fs_copyout of the current process accept
 * kernel addresses (its bounce buffer) as well as user ones. */
void fs_kernel_io(bool on);
/* Bytes of the next chunk at user address addr with left bytes to go. */
static inline size_t fs_chunk(uptr addr, size_t left)
{
	size_t room = FS_CHUNK - (addr % FS_CHUNK);

	return left < room ? left : room;
}

#endif
