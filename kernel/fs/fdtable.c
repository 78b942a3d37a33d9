/* Per-process descriptor tables (fdtable.h): lowest-free allocation, growth
 * up to RLIMIT_NOFILE, and the table operations fork, exec and exit use. */
#include "fs/fdtable.h"
#include "fs/file.h"
#include "fs/fileops.h"
#include "fs/inode.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "proc/proc.h"

#define RLIMIT_NOFILE 7

void fdtable_init(struct fdtable *t)
{
	t->size = NOFILE_INLINE;
	t->ofile = t->inline_ofile;
	t->flags = t->inline_flags;
	memset(t->inline_ofile, 0, sizeof(t->inline_ofile));
	memset(t->inline_flags, 0, sizeof(t->inline_flags));
}

/* The heap arrays of t, if it grew (the pointers are left as they are). */
static void free_heap_arrays(struct fdtable *t)
{
	if (t->ofile != t->inline_ofile) {
		kfree(t->ofile);
		kfree(t->flags);
	}
}

/* t back to the empty inline table, its heap arrays freed. */
static void fdtable_free(struct fdtable *t)
{
	free_heap_arrays(t);
	fdtable_init(t);
}

static long limit_of(const struct proc *p)
{
	u64 cur = p->cred.rlim[RLIMIT_NOFILE].cur;

	return cur > NR_OPEN ? NR_OPEN : (long)cur;
}

long fd_limit(void)
{
	return limit_of(myproc());
}

/* Grow t to hold slot fd: the size doubles until it does.  0 or -ENOMEM. */
static int fdtable_grow(struct fdtable *t, int fd)
{
	int size = t->size;
	struct file **ofile;
	u8 *flags;

	while (size <= fd)
		size *= 2;
	ofile = kzalloc((size_t)size * sizeof(*ofile));
	flags = kzalloc((size_t)size);
	if (!ofile || !flags) {
		kfree(ofile);
		kfree(flags);
		return -ENOMEM;
	}
	memcpy(ofile, t->ofile, (size_t)t->size * sizeof(*ofile));
	memcpy(flags, t->flags, (size_t)t->size);
	free_heap_arrays(t);
	t->ofile = ofile;
	t->flags = flags;
	t->size = size;
	return 0;
}

/* Slot fd of p exists afterwards: 0, -EMFILE past p's limit, -ENOMEM. */
static int fd_make_room(struct proc *p, int fd)
{
	if (fd >= limit_of(p))
		return -EMFILE;
	return fd < p->fdt.size ? 0 : fdtable_grow(&p->fdt, fd);
}

struct file *fd_of(struct proc *p, int fd)
{
	return fd >= 0 && fd < p->fdt.size ? p->fdt.ofile[fd] : NULL;
}

int fd_next_open(struct proc *p, int fd)
{
	for (; fd < p->fdt.size; fd++)
		if (p->fdt.ofile[fd])
			return fd;
	return -1;
}

struct file *fd_file(int fd)
{
	return fd_of(myproc(), fd);
}

/* Lowest free descriptor >= lowest in p, growing the table if every slot is
 * taken; -EMFILE at the limit, -ENOMEM. */
static int fd_alloc(struct proc *p, int lowest)
{
	int fd = lowest < 0 ? 0 : lowest, err;

	while (fd < p->fdt.size && p->fdt.ofile[fd])
		fd++;
	if ((err = fd_make_room(p, fd)) < 0)
		return err;
	return fd;
}

int fd_lowest_free(int lowest)
{
	return fd_alloc(myproc(), lowest);
}

/* Put f (its reference passes to the table) in the lowest free slot >= lowest
 * of the current process.  Returns the fd, or an error leaving f to the caller. */
int fd_install(struct file *f, int lowest, bool cloexec)
{
	struct proc *p = myproc();
	int fd = fd_alloc(p, lowest);

	if (fd < 0)
		return fd;
	p->fdt.ofile[fd] = f;
	p->fdt.flags[fd] = cloexec ? FD_CLOEXEC : 0;
	return fd;
}

int fd_reserve(int fd)
{
	int err = fd < 0 ? -EBADF : fd_make_room(myproc(), fd);

	return err == -EMFILE ? -EBADF : err;
}

/* Free one slot of p, dropping its reference. */
static void fd_release(struct proc *p, int fd)
{
	struct file *f = p->fdt.ofile[fd];

	p->fdt.ofile[fd] = NULL;
	p->fdt.flags[fd] = 0;
	file_close(f);
}

/* dup2: slot fd (made by fd_reserve) now holds f, taking the reference; the
 * file it held before, if any, loses one. */
void fd_replace(int fd, struct file *f, bool cloexec)
{
	struct proc *p = myproc();
	struct file *old = p->fdt.ofile[fd];

	p->fdt.ofile[fd] = f;
	p->fdt.flags[fd] = cloexec ? FD_CLOEXEC : 0;
	if (old)
		file_close(old);
}

int fd_close(int fd)
{
	if (!fd_file(fd))
		return -EBADF;
	fd_release(myproc(), fd);
	return 0;
}

int fd_flags(int fd)
{
	return myproc()->fdt.flags[fd];
}

void fd_set_flags(int fd, int flags)
{
	myproc()->fdt.flags[fd] = (u8)flags;
}

void fdtable_close_all(struct proc *p)
{
	for (int fd = 0; fd < p->fdt.size; fd++)
		if (p->fdt.ofile[fd])
			fd_release(p, fd);
	fdtable_free(&p->fdt);
	if (p->cwd)
		inode_put(p->cwd);
	p->cwd = NULL;
}

void fdtable_close_cloexec(struct proc *p)
{
	for (int fd = 0; fd < p->fdt.size; fd++)
		if (p->fdt.ofile[fd] && (p->fdt.flags[fd] & FD_CLOEXEC))
			fd_release(p, fd);
}

/* The table is copied at the size that holds src's highest open fd, so a
 * process that once opened many descriptors forks cheaply after closing them. */
int fdtable_clone(struct proc *dst, const struct proc *src)
{
	int top = src->fdt.size - 1;

	while (top >= 0 && !src->fdt.ofile[top])
		top--;
	if (top >= dst->fdt.size && fdtable_grow(&dst->fdt, top) < 0)
		return -ENOMEM;
	for (int fd = 0; fd <= top; fd++) {
		dst->fdt.ofile[fd] = src->fdt.ofile[fd] ? file_dup(src->fdt.ofile[fd]) : NULL;
		dst->fdt.flags[fd] = src->fdt.flags[fd];
	}
	dst->cwd = src->cwd;
	if (dst->cwd)
		inode_get(dst->cwd);
	return 0;
}

int fd_install_console(struct proc *p)
{
	struct file *f = file_alloc(FT_CONSOLE, O_RDWR);

	if (!f)
		return -ENOMEM;
	for (int fd = 0; fd < 3; fd++) {
		if (p->fdt.ofile[fd])
			file_close(p->fdt.ofile[fd]);
		p->fdt.ofile[fd] = fd ? file_dup(f) : f;
		p->fdt.flags[fd] = 0;
	}
	return 0;
}
