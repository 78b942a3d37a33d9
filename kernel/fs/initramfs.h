/* The initramfs as a read-only file tree: path resolution, open, stat. */
#ifndef FS_INITRAMFS_H
#define FS_INITRAMFS_H

#include "lib/types.h"
#include "fs/fs_abi.h"

struct file;

/* Boot: the cpio newc archive (it must stay mapped for the kernel's life). */
void initramfs_init(const void *archive, size_t len);

/* Paths: absolute, or relative to the directory base (a canonical path as
 * kept in an open directory or a process's cwd, "" or NULL for the root).
 * ".", ".." and repeated slashes are handled; there are no symlinks. */

/* open(2) of path with flags: 0 and *out (one reference), or -ENOENT,
 * -ENOTDIR, -EISDIR, -EEXIST, -EROFS, -ENAMETOOLONG, -ENOMEM. */
int initramfs_open(const char *base, const char *path, u64 flags, struct file **out);

/* stat(2) of path: 0 and *st filled, or a resolution error as above. */
int initramfs_stat(const char *base, const char *path, struct stat *st);

/* The canonical form of directory path (relative to base) into out (size
 * bytes, for a cwd): 0, -ENOTDIR for a non-directory, -ERANGE if it does not
 * fit, or a resolution error. */
int initramfs_dir(const char *base, const char *path, char *out, size_t size);

#endif
