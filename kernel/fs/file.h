/* Open files and per-process descriptor tables.
 *
 * The functions below are the contract the rest of the kernel relies on; the
 * fs/ subsystem may add more.  Syscall handlers for files live in fs/sys_file.c
 * and follow the prototypes generated into gen/syscall_decl.h. */
#ifndef FS_FILE_H
#define FS_FILE_H

#include "lib/types.h"
#include "fs/fdtable.h"

struct proc;
struct file;

/* Set at boot by the "ro" command-line word: every change to the tree
 * fails with EROFS, as on a read-only mount. */
extern bool fs_readonly;

/* Boot: remember the initramfs (a cpio newc archive) and an optional console
 * input script (module 2); NULL/0 when absent. */
void fs_init(const void *initramfs, size_t len, const char *script, size_t script_len);

/* The program exec runs: its bytes, and whether those bytes never change
 * (archive bytes: the text cache may key on their address). */
struct exec_file {
	const void *data;
	size_t size;
	bool stable;
	void *copy;              /* kmalloc'ed copy of a changed file, or NULL */
	char path[256];          /* canonical absolute path, for /proc/PID/exe */
};
/* 0, or -ENOENT / -ENOTDIR / -ELOOP, -EISDIR for a directory, -EACCES for a
 * non-regular file or one without any execute bit, -ENOMEM. */
int vfs_exec_open(const char *path, struct exec_file *ef);
void vfs_exec_close(struct exec_file *ef);

struct file *file_dup(struct file *f);    /* one more reference */
void file_close(struct file *f);          /* one reference less; frees at zero */


/* True when fd of the current process reads the console (trace marks input). */
bool fd_is_console(int fd);

/* Serial interrupt: a byte typed on the console. */
void console_rx(char c);

#endif
