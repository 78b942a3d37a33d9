/* Per-process descriptor tables.
 *
 * A table starts with NOFILE_INLINE slots inside struct proc, so fork copies
 * a small table without allocating, and grows (doubling, on the heap) up to
 * the process's RLIMIT_NOFILE when a descriptor above its size is asked for.
 * The limit starts at Linux's 1024 (hard 4096) and may be raised to NR_OPEN. */
#ifndef FS_FDTABLE_H
#define FS_FDTABLE_H

#include "lib/types.h"

#define NOFILE_INLINE 32         /* slots without an allocation */
#define NOFILE_DEFAULT 1024      /* RLIMIT_NOFILE soft limit at boot (Linux's INR_OPEN_CUR) */
#define NOFILE_HARD 4096         /* and its hard limit (INR_OPEN_MAX) */
#define NR_OPEN (1 << 20)        /* highest hard limit (Linux's default fs.nr_open) */
#define FD_CLOEXEC 1             /* bit in fdtable.flags[] */

struct file;
struct proc;

struct fdtable {
	int size;                         /* slots in ofile[] and flags[] */
	struct file **ofile;              /* open files; NULL = free slot */
	u8 *flags;                        /* FD_CLOEXEC per slot */
	struct file *inline_ofile[NOFILE_INLINE];
	u8 inline_flags[NOFILE_INLINE];
};

void fdtable_init(struct fdtable *t);              /* empty, inline slots */

/* Descriptors of the current process. */
struct file *fd_file(int fd);                      /* NULL when fd is not open */
int fd_install(struct file *f, int lowest, bool cloexec);  /* fd, or -EMFILE/-ENOMEM (f untouched) */
int fd_close(int fd);                              /* 0 or -EBADF */
int fd_lowest_free(int lowest);                    /* fd, or -EMFILE/-ENOMEM */
/* Make slot fd exist: 0, -EBADF past RLIMIT_NOFILE, -ENOMEM.  dup2/dup3 call
 * it before fd_replace, which then cannot fail. */
int fd_reserve(int fd);
void fd_replace(int fd, struct file *f, bool cloexec);  /* slot fd (reserved) holds f */
int fd_flags(int fd);                              /* FD_CLOEXEC bits of an open fd */
void fd_set_flags(int fd, int flags);
long fd_limit(void);                               /* the current RLIMIT_NOFILE soft limit */

/* Descriptors of any process p (procfs). */
struct file *fd_of(struct proc *p, int fd);        /* NULL when not open */
int fd_next_open(struct proc *p, int fd);          /* lowest open fd >= fd, or -1 */

void fdtable_close_all(struct proc *p);       /* at exit; drops the working directory too */
void fdtable_close_cloexec(struct proc *p);   /* at exec commit */
/* fork: dst gets every descriptor of src (sharing the struct file) and the
 * working directory.  0, or -ENOMEM with dst's table left empty. */
int fdtable_clone(struct proc *dst, const struct proc *src);
/* fds 0, 1, 2 of p on one shared console file.  0, or -ENOMEM. */
int fd_install_console(struct proc *p);

#endif
