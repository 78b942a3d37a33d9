/* Open files and per-process descriptor tables.
 *
 * The functions below are the contract the rest of the kernel relies on; the
 * fs/ subsystem may add more.  Syscall handlers for files live in fs/sys_file.c
 * and follow the prototypes generated into gen/syscall_decl.h. */
#ifndef FS_FILE_H
#define FS_FILE_H

#include "lib/types.h"

struct proc;
struct file;

/* Boot: remember the initramfs (a cpio newc archive) and an optional console
 * input script (module 2); NULL/0 when absent. */
void fs_init(const void *initramfs, size_t len, const char *script, size_t script_len);

/* Open fds 0, 1, 2 on the console for the first process. */
int fd_install_console(struct proc *p);

/* Find an executable in the initramfs: 0 and its bytes, or -ENOENT / -EISDIR / -EACCES. */
int initramfs_lookup(const char *path, const void **data, size_t *size);

struct file *file_dup(struct file *f);    /* one more reference */
void file_close(struct file *f);          /* one reference less; frees at zero */

void fdtable_close_all(struct proc *p);       /* at exit */
void fdtable_close_cloexec(struct proc *p);   /* at exec commit */
/* Copy every descriptor of src into dst (sharing the struct file, as fork does). */
void fdtable_clone(struct proc *dst, const struct proc *src);

/* True when fd of the current process reads the console (trace marks input). */
bool fd_is_console(int fd);

/* Serial interrupt: a byte typed on the console. */
void console_rx(char c);

#endif
