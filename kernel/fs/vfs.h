/* The file layer over the inode tree (vfs.c): open with Linux's flags and
 * errnos, stat fields, symlink text, the files exec reads.  Paths here are
 * kernel strings; sys_file.c and sys_path.c fetch them from users. */
#ifndef FS_VFS_H
#define FS_VFS_H

#include "lib/types.h"
#include "fs/fs_abi.h"

struct inode;
struct file;

/* The umask of the current process (umask(2)). */
u32 vfs_umask(void);

/* open(2) of path relative to start (NULL = root) with flags and a creation
 * mode: 0 and *out (one reference), or -errno as Linux gives it. */
int vfs_open(struct inode *start, const char *path, u64 flags, u32 mode, struct file **out);

/* An open file on inode ip (already checked), taking a new reference on ip. */
int vfs_open_inode(struct inode *ip, u64 flags, struct file **out);

/* truncate/ftruncate of ip to length: 0, -EINVAL, -EISDIR, -ENOSPC, -EFBIG. */
long vfs_truncate(struct inode *ip, i64 length);

/* The struct stat fields of ip. */
void vfs_stat(struct inode *ip, struct stat *st);

/* The text of symlink ip: *out points at it until symlink_text_done. */
int symlink_text(struct inode *ip, char **out);
void symlink_text_done(struct inode *ip, char *text);


#endif
