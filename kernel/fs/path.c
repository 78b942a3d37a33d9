/* Path resolution (path.h).  The walk holds one reference on the inode it
 * stands on, so a /proc inode generated for one step lives exactly as long
 * as the walk needs it.  Nothing here sleeps, so the tree cannot change
 * under a walk (the kernel is not preempted). */
#include "fs/path.h"
#include "fs/inode.h"
#include "fs/procfs.h"
#include "fs/vfs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "proc/proc.h"

#define MAXSYMLINKS 40
#define MAXNESTING 8        /* links inside links: bounds the kernel stack */

struct links {
	int total;
	int depth;
};

static int walk(struct inode *start, const char *path, int flags, struct links *links, struct inode **out);

/* See path.h. */
int path_child(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct dentry *d;

	if (dir->is_proc)
		return procfs_lookup(dir, name, len, out);
	if (!(d = dir_lookup(dir, name, len)))
		return -ENOENT;
	inode_get(d->inode);
	*out = d->inode;
	return 0;
}

/* ".." of dir, with a reference: -ENOENT once dir was removed. */
static int parent_of(struct inode *dir, struct inode **out)
{
	struct inode *up = dir->is_proc ? procfs_parent(dir) : dir->dir.parent;

	if (!up)
		return -ENOENT;
	inode_get(up);
	*out = up;
	return 0;
}

/* Replace *cur (a symlink found under dir) by what it points to. */
static int follow(struct inode *dir, struct inode **cur, struct links *links)
{
	struct inode *target;
	char *text;
	int r;

	if (++links->total > MAXSYMLINKS || links->depth >= MAXNESTING)
		return -ELOOP;
	/* /proc/PID/fd/N leads to the open file itself, whatever its name */
	if ((r = procfs_fd_inode(*cur, &target)) <= 0) {
		if (r == 0) {
			inode_put(*cur);
			*cur = target;
		}
		return r;
	}
	if ((r = symlink_text(*cur, &text)) < 0)
		return r;
	links->depth++;
	r = walk(dir, text, LOOKUP_FOLLOW, links, &target);
	links->depth--;
	symlink_text_done(*cur, text);
	if (r < 0)
		return r;
	inode_put(*cur);
	*cur = target;
	return 0;
}

/* Step from *cur (a directory, referenced) to its child comp[0, n). */
static int step(struct inode **cur, const char *comp, size_t n, bool last, int flags, struct links *links)
{
	struct inode *next;
	int r;

	if (!S_ISDIR((*cur)->mode))
		return -ENOTDIR;
	if (n > NAME_MAX)
		return -ENAMETOOLONG;
	if (n == 1 && comp[0] == '.')
		return 0;
	if (n == 2 && comp[0] == '.' && comp[1] == '.')
		r = parent_of(*cur, &next);
	else
		r = path_child(*cur, comp, n, &next);
	if (r < 0)
		return r;
	if (S_ISLNK(next->mode) && (!last || (flags & LOOKUP_FOLLOW))) {
		r = follow(*cur, &next, links);
		if (r < 0) {
			inode_put(next);
			return r;
		}
	}
	inode_put(*cur);
	*cur = next;
	return 0;
}

/* Resolve path from start, counting symlinks in *links. */
static int walk(struct inode *start, const char *path, int flags, struct links *links, struct inode **out)
{
	struct inode *cur = *path == '/' || !start ? ramfs_root() : start;
	const char *p = path;
	int r = 0;

	if (!*path)
		return -ENOENT;
	inode_get(cur);
	while (r == 0) {
		const char *comp;
		size_t n;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		for (comp = p; *p && *p != '/'; p++)
			;
		n = (size_t)(p - comp);
		while (*p == '/')
			p++;
		/* "name/" needs a directory: follow a link there too */
		r = step(&cur, comp, n, !*p, (p[-1] == '/' ? LOOKUP_FOLLOW : 0) | flags, links);
		if (!*p)
			break;
	}
	if (r == 0 && (path[strlen(path) - 1] == '/' || (flags & LOOKUP_DIRECTORY)) &&
	    !S_ISDIR(cur->mode))
		r = -ENOTDIR;
	if (r < 0) {
		inode_put(cur);
		return r;
	}
	*out = cur;
	return 0;
}

/* See path.h. */
int path_lookup(struct inode *start, const char *path, int flags, struct inode **out)
{
	struct links links = { 0, 0 };

	return walk(start, path, flags, &links, out);
}

/* See path.h. */
int path_parent(struct inode *start, const char *path, struct lastname *ln)
{
	const char *end = path + strlen(path), *base;
	char *dir;
	size_t dlen;
	struct links links = { 0, 0 };
	int r;

	if (!*path)
		return -ENOENT;
	ln->trailing = end > path && end[-1] == '/';
	while (end > path && end[-1] == '/')
		end--;
	for (base = end; base > path && base[-1] != '/'; base--)
		;
	ln->name = base;
	ln->len = (size_t)(end - base);
	if (ln->len > NAME_MAX)
		return -ENAMETOOLONG;
	dlen = (size_t)(base - path);
	if (dlen == 0) {
		ln->dir = *path == '/' || !start ? ramfs_root() : start;
		inode_get(ln->dir);
		return 0;
	}
	if (!(dir = kmalloc(dlen + 1)))
		return -ENOMEM;
	memcpy(dir, path, dlen);
	dir[dlen] = '\0';
	r = walk(start, dir, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &links, &ln->dir);
	kfree(dir);
	return r;
}

/* See path.h. */
struct inode *path_cwd(void)
{
	struct proc *p = myproc();
	struct inode *ip = p && p->cwd ? p->cwd : ramfs_root();

	inode_get(ip);
	return ip;
}
