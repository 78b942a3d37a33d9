/* Path resolution over the inode tree (path.c), as Linux's namei: absolute
 * paths from the root, relative ones from a start directory; ".", "..",
 * repeated slashes and symbolic links (at most 40 per lookup: ELOOP). */
#ifndef FS_PATH_H
#define FS_PATH_H

#include "lib/types.h"

struct inode;

#define LOOKUP_FOLLOW 1        /* follow a symlink in the last component */
#define LOOKUP_DIRECTORY 2     /* the result must be a directory (as a trailing "/") */

/* The inode path names, with one reference (inode_put it): 0, or -ENOENT,
 * -ENOTDIR, -ELOOP, -ENAMETOOLONG, -ENOMEM.  start: the directory relative
 * paths begin at (NULL = the root). */
int path_lookup(struct inode *start, const char *path, int flags, struct inode **out);

/* For calls that create or remove a name: the directory that holds the last
 * component (one reference) and that component (*name, *len point into
 * path).  The last component is "" for "/" and may be "." or "..": callers
 * refuse those as Linux does.  *trailing says the path ended in "/". */
struct lastname {
	struct inode *dir;
	const char *name;
	size_t len;
	bool trailing;
};
int path_parent(struct inode *start, const char *path, struct lastname *ln);

/* One child of a directory (ramfs or procfs), with a reference: 0, -ENOENT. */
int path_child(struct inode *dir, const char *name, size_t len, struct inode **out);

/* The working directory of the current process, with a reference.  It
 * may have been removed: lookups from it then find nothing. */
struct inode *path_cwd(void);

#endif
