/* Unpacking the initramfs into the RAM filesystem.  Each member becomes an
 * inode at its path: directories, regular files (whose bytes stay in the
 * archive until first changed, see ramdata.c) and symbolic links (the
 * member's data is the target).  A directory that appears only as a prefix
 * ("bin" for "bin/echo") is created where first needed, so a directory's
 * entries come in archive order, as they always have.  The first member of
 * a name wins; names with "." or ".." components or other file types are
 * skipped. */
#include "fs/initramfs.h"
#include "fs/inode.h"
#include "fs/cpio.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/kmalloc.h"

#define IMPLICIT_DIR_MODE (S_IFDIR | 0755)

/* Is comp[0, n) a name a directory may hold? */
static bool plain_name(const char *comp, size_t n)
{
	if (n == 0 || n > NAME_MAX)
		return false;
	return !(n == 1 && comp[0] == '.') && !(n == 2 && comp[0] == '.' && comp[1] == '.');
}

/* The directory comp[0, n) in dir, created when missing: NULL when the name
 * is taken by a non-directory or memory is out. */
static struct inode *subdir(struct inode *dir, const char *comp, size_t n)
{
	struct dentry *d = dir_lookup(dir, comp, n);
	struct inode *ip;

	if (d)
		return S_ISDIR(d->inode->mode) ? d->inode : NULL;
	if (!(ip = inode_new(IMPLICIT_DIR_MODE)))
		return NULL;
	if (dir_link(dir, comp, n, ip) < 0) {
		inode_put(ip);
		return NULL;
	}
	return ip;
}

/* The inode a member of mode m becomes, or NULL to skip it. */
static struct inode *member_inode(const struct cpio_file *cf)
{
	u32 type = cf->mode & S_IFMT;
	struct inode *ip;

	if (type != S_IFDIR && type != S_IFREG && type != S_IFLNK)
		return NULL;
	if (!(ip = inode_new(cf->mode)))
		return NULL;
	if (type == S_IFREG) {
		ip->reg.backing = cf->data;
		ip->size = (i64)cf->size;
	} else if (type == S_IFLNK) {
		ip->lnk.target = kmalloc(cf->size + 1);
		if (!ip->lnk.target || cf->size == 0 || strnlen(cf->data, cf->size) != cf->size) {
			kfree(ip->lnk.target);
			kfree(ip);
			return NULL;
		}
		memcpy(ip->lnk.target, cf->data, cf->size);
		ip->lnk.target[cf->size] = '\0';
		ip->size = (i64)cf->size;
	}
	return ip;
}

/* Create one member at its (normalized) name n[0, nn). 1 created, 0 skipped. */
static int unpack_member(const struct cpio_file *cf, const char *n, size_t nn)
{
	struct inode *dir = ramfs_root(), *ip;
	const char *end = n + nn, *comp = n;
	struct dentry *d;

	for (const char *p = n; p < end; p++) {
		if (*p != '/')
			continue;
		if (!plain_name(comp, (size_t)(p - comp)) || !(dir = subdir(dir, comp, (size_t)(p - comp))))
			return 0;
		comp = p + 1;
	}
	if (!plain_name(comp, (size_t)(end - comp)))
		return 0;
	if ((d = dir_lookup(dir, comp, (size_t)(end - comp)))) {
		/* an explicit directory after the prefix that created it */
		if (S_ISDIR(d->inode->mode) && S_ISDIR(cf->mode))
			d->inode->mode = cf->mode;
		return 0;
	}
	if (!(ip = member_inode(cf)))
		return 0;
	if (dir_link(dir, comp, (size_t)(end - comp), ip) < 0) {
		inode_put(ip);
		return 0;
	}
	return 1;
}

/* See initramfs.h. */
int initramfs_unpack(const void *archive, size_t len)
{
	struct cpio_file cf;
	size_t off = 0;
	int r, count = 0;

	while (len && (r = cpio_next(archive, len, &off, &cf)) == 0) {
		const char *n = cf.name;
		size_t nn = cf.namelen;

		cpio_strip_leading(&n, &nn);
		while (nn > 0 && n[nn - 1] == '/')
			nn--;
		if (nn == 0)
			continue;       /* "." is the root itself */
		count += unpack_member(&cf, n, nn);
	}
	if (len && r < 0)
		kprintf("initramfs: malformed archive at offset %lu; the rest is skipped\n", off);
	return count;
}
