/* The RAM filesystem's tree: inodes and directories (inode.h).  As Linux's
 * ramfs, the tree is the storage: an inode lives while a name links it
 * (nlink) or something holds it open (refs), and the last of those to go
 * frees it and its data frames, so memory comes back exactly.
 *
 * Directories keep their entries in creation order (what getdents shows,
 * and the order the initramfs listed them); each entry has a cookie, its
 * getdents position, that no later entry reuses. */
#include "fs/inode.h"
#include "arch/x86_64/arch.h"
#include "mm/kmalloc.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define FIRST_COOKIE 2          /* 0 is ".", 1 is ".." */

static struct inode *root;
static u64 next_ino = 1;

/* Timestamps: the wall clock (the CMOS clock read at boot, advanced by the
 * TSC), as CLOCK_REALTIME reads it, so ls -l shows today's date. */
void fs_time_now(struct ktime *t)
{
	u64 ns = (u64)(wall_clock_offset_ns() + (i64)clock_ns());

	t->sec = (i64)(ns / 1000000000UL);
	t->nsec = (i64)(ns % 1000000000UL);
}

/* See inode.h. */
struct inode *inode_new(u32 mode)
{
	struct inode *ip = kzalloc(sizeof(*ip));

	if (!ip)
		return NULL;
	ip->ino = next_ino++;
	ip->mode = mode;
	fs_time_now(&ip->mtime);
	ip->atime = ip->ctime = ip->mtime;
	if (S_ISDIR(mode)) {
		ip->dir.next_cookie = FIRST_COOKIE;
		ip->dir.parent = ip;
	}
	return ip;
}

/* Boot: the root directory, "/" (linked once, by itself, as Linux's). */
void ramfs_init(void)
{
	root = inode_new(S_IFDIR | 0755);
	if (!root)
		panic("ramfs_init: no memory for the root");
	root->nlink = 2;
	root->refs = 1;
}

struct inode *ramfs_root(void)
{
	return root;
}

/* See inode.h. */
void inode_get(struct inode *ip)
{
	ip->refs++;
}

/* Free what an inode owns, then the inode. */
static void inode_free(struct inode *ip)
{
	if (S_ISREG(ip->mode) && !ip->is_proc)
		ramdata_free(ip);
	else if (S_ISLNK(ip->mode) && !ip->is_proc)
		kfree(ip->lnk.target);
	kfree(ip);
}

/* See inode.h. */
void inode_put(struct inode *ip)
{
	if (--ip->refs <= 0 && ip->nlink == 0)
		inode_free(ip);
}

/* See inode.h. */
struct dentry *dir_lookup(struct inode *dir, const char *name, size_t len)
{
	for (struct dentry *d = dir->dir.first; d; d = d->next)
		if (d->namelen == len && memcmp(d->name, name, len) == 0)
			return d;
	return NULL;
}

/* Change and modification time of a directory whose entries changed. */
static void dir_touch(struct inode *dir)
{
	fs_time_now(&dir->mtime);
	dir->ctime = dir->mtime;
}

/* See inode.h. */
int dir_link(struct inode *dir, const char *name, size_t len, struct inode *ip)
{
	struct dentry *d = kmalloc(sizeof(*d) + len + 1);

	if (!d)
		return -ENOMEM;
	d->next = NULL;
	d->inode = ip;
	d->cookie = dir->dir.next_cookie++;
	d->namelen = (u16)len;
	memcpy(d->name, name, len);
	d->name[len] = '\0';
	if (dir->dir.last)
		dir->dir.last->next = d;
	else
		dir->dir.first = d;
	dir->dir.last = d;
	ip->nlink++;
	if (S_ISDIR(ip->mode)) {
		ip->nlink++;          /* its own "." */
		ip->dir.parent = dir;
		dir->nlink++;         /* its ".." */
	}
	dir_touch(dir);
	return 0;
}

/* See inode.h.  The caller holds or drops the inode (inode_put frees it
 * when this was its last name and nothing holds it). */
struct inode *dir_unlink(struct inode *dir, struct dentry *d)
{
	struct dentry **pp = &dir->dir.first, *prev = NULL;
	struct inode *ip = d->inode;

	while (*pp != d) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	*pp = d->next;
	if (dir->dir.last == d)
		dir->dir.last = prev;
	kfree(d);
	ip->nlink--;
	if (S_ISDIR(ip->mode)) {
		ip->nlink--;          /* "." goes with it */
		ip->dir.parent = NULL;  /* removed: no ".." (its old parent may go) */
		dir->nlink--;
	}
	fs_time_now(&ip->ctime);
	dir_touch(dir);
	return ip;
}

/* A directory ip named in from moves to to: its ".." and both link counts. */
static void move_dir_parent(struct inode *ip, struct inode *from, struct inode *to)
{
	if (!S_ISDIR(ip->mode) || from == to)
		return;
	from->nlink--;
	to->nlink++;
	ip->dir.parent = to;
}

/* See inode.h.  Nothing is allocated, so nothing can fail half-way. */
void dir_exchange(struct inode *adir, struct dentry *a, struct inode *bdir, struct dentry *b)
{
	struct inode *ai = a->inode, *bi = b->inode;

	if (ai == bi)
		return;
	a->inode = bi;
	b->inode = ai;
	move_dir_parent(ai, adir, bdir);
	move_dir_parent(bi, bdir, adir);
	fs_time_now(&ai->ctime);
	fs_time_now(&bi->ctime);
	dir_touch(adir);
	dir_touch(bdir);
}

/* See inode.h. */
bool dir_is_empty(const struct inode *dir)
{
	return dir->dir.first == NULL;
}

/* See inode.h. */
struct dentry *dir_entry_from(struct inode *dir, u64 pos)
{
	struct dentry *d = dir->dir.first;

	while (d && d->cookie < pos)
		d = d->next;
	return d;
}

/* See inode.h. */
struct dentry *dir_name_of(struct inode *ip)
{
	struct inode *parent = S_ISDIR(ip->mode) ? ip->dir.parent : NULL;

	if (!parent || parent == ip)
		return NULL;
	for (struct dentry *d = parent->dir.first; d; d = d->next)
		if (d->inode == ip)
			return d;
	return NULL;
}

/* See inode.h.  Builds the path from the end of buf backwards. */
int dir_path(struct inode *ip, char *buf, size_t size)
{
	size_t pos = size;
	int depth = 0;

	if (size < 2)
		return -ERANGE;
	buf[--pos] = '\0';
	for (; ip != ip->dir.parent; ip = ip->dir.parent) {
		struct dentry *d = ip->dir.parent ? dir_name_of(ip) : NULL;

		if (!d || ++depth > 4096)
			return -ENOENT;       /* removed while someone was in it */
		if (pos < (size_t)d->namelen + 1)
			return -ERANGE;
		pos -= d->namelen;
		memcpy(buf + pos, d->name, d->namelen);
		buf[--pos] = '/';
	}
	if (pos == size - 1)
		buf[--pos] = '/';
	memmove(buf, buf + pos, size - pos);
	return (int)(size - pos - 1);
}
