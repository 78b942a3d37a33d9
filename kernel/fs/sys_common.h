/* Helpers the file system calls share (sys_file.c, sys_path.c). */
#ifndef FS_SYS_COMMON_H
#define FS_SYS_COMMON_H

#include "lib/types.h"

struct inode;

/* A user path copied into a PATH_MAX heap buffer (*out, caller frees):
 * 0, -EFAULT, -ENAMETOOLONG or -ENOMEM. */
int fetch_path(uptr upath, char **out);

/* Where a relative path starts: *start (referenced, or NULL = the root for
 * absolute paths) is the working directory for AT_FDCWD, else the
 * directory open on dirfd.  0, -EBADF, -ENOTDIR. */
int at_start(int dirfd, const char *path, struct inode **start);

/* The inode user path upath names relative to dirfd (LOOKUP_* flags), with
 * a reference.  empty_ok: "" names dirfd itself (AT_EMPTY_PATH), and the
 * working directory for AT_FDCWD. */
int lookup_user(int dirfd, uptr upath, int flags, bool empty_ok, struct inode **out);

#endif
