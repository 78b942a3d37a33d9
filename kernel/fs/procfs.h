/* /proc, generated on read (procfs.c).  Its inodes are made on lookup and
 * freed when the last user lets go; nothing is stored. */
#ifndef FS_PROCFS_H
#define FS_PROCFS_H

#include "lib/types.h"

struct inode;
struct dent;

void procfs_init(void);                 /* boot: the /proc directory */

/* A child of a /proc directory, with one reference: 0 or -ENOENT/-ENOMEM. */
int procfs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out);
/* ".." of a /proc directory, with no reference yet (NULL: gone). */
struct inode *procfs_parent(struct inode *dir);
/* The getdents entry at position pos of a /proc directory: 0, or 1 at the end. */
int procfs_entry(struct inode *dir, i64 pos, struct dent *d);
/* The text of a /proc file, kmalloc'ed: 0, -ESRCH (process gone), -ENOMEM. */
int procfs_generate(struct inode *ip, char **text, size_t *len);
/* The target of a /proc symlink, kmalloc'ed: 0 or -errno. */
int procfs_readlink(struct inode *ip, char **out);
/* /proc/PID/fd/N names the open file itself: its inode, with a reference,
 * when it has one (0); 1 when ip is not such a link; -errno. */
int procfs_fd_inode(struct inode *ip, struct inode **out);

#endif
