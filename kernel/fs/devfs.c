/* /dev: character devices as inodes of the RAM filesystem (so ls, stat and
 * mknod-free scripts see them as Linux's devtmpfs shows them), each with
 * its file operations.  /dev/tty and /dev/console open as the console
 * (console.c); the rest are here:
 *   null     reads end at once, writes vanish
 *   zero     reads zeros, writes vanish
 *   full     reads zeros, writes fail with ENOSPC
 *   random, urandom  reads a pseudo-random stream, writes vanish.  The
 *            stream starts from a fixed seed, as AT_RANDOM does: recordings
 *            must repeat, and nothing here depends on secrecy. */
#include "fs/devfs.h"
#include "fs/inode.h"
#include "fs/fileops.h"
#include "fs/vfs.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/kmalloc.h"

/* Linux's dev_t encoding for major/minor below 256. */
#define MKDEV(ma, mi) ((u64)(ma) << 8 | (u64)(mi))
#define TTY_DEV MKDEV(5, 0)
#define CONSOLE_DEV MKDEV(5, 1)

static struct inode *console_inode;
static u64 rng_state = 0x9E3779B97F4A7C15UL;

/* Zeros (zero, full) or the random stream (random, urandom) into buf. */
static long fill_user(uptr buf, size_t n, bool random)
{
	u8 chunk[FS_CHUNK];
	size_t done = 0;

	while (done < n) {
		size_t c = fs_chunk(buf + done, n - done);

		memset(chunk, 0, c);
		for (size_t i = 0; random && i < c; i++) {
			rng_state ^= rng_state << 13;   /* xorshift64 */
			rng_state ^= rng_state >> 7;
			rng_state ^= rng_state << 17;
			chunk[i] = (u8)(rng_state >> 32);
		}
		if (fs_copyout(buf + done, chunk, c) < c)
			return done ? (long)done : -EFAULT;
		done += c;
	}
	return (long)done;
}

static long null_read(struct file *f, uptr buf, size_t n)
{
	(void)f, (void)buf, (void)n;
	return 0;
}

static long sink_write(struct file *f, uptr buf, size_t n)
{
	(void)f, (void)buf;
	return (long)n;
}

static long zero_read(struct file *f, uptr buf, size_t n)
{
	(void)f;
	return fill_user(buf, n, false);
}

static long full_write(struct file *f, uptr buf, size_t n)
{
	(void)f, (void)buf, (void)n;
	return -ENOSPC;
}

static long random_read(struct file *f, uptr buf, size_t n)
{
	(void)f;
	return fill_user(buf, n, true);
}

/* Seeking a device that has no position succeeds and stays at 0, as Linux's. */
static i64 dev_lseek(struct file *f, i64 off, int whence)
{
	(void)f, (void)off, (void)whence;
	return 0;
}

static void dev_stat(struct file *f, struct stat *st)
{
	vfs_stat(f->ip, st);
}

static const struct file_ops null_ops = {
	.read = null_read, .write = sink_write, .lseek = dev_lseek, .stat = dev_stat,
};
static const struct file_ops zero_ops = {
	.read = zero_read, .write = sink_write, .lseek = dev_lseek, .stat = dev_stat,
};
static const struct file_ops full_ops = {
	.read = zero_read, .write = full_write, .lseek = dev_lseek, .stat = dev_stat,
};
static const struct file_ops random_ops = {
	.read = random_read, .write = sink_write, .lseek = dev_lseek, .stat = dev_stat,
};

static const struct {
	const char *name;
	u64 rdev;
	u32 perm;
	const struct file_ops *ops;     /* NULL: the console */
} devices[] = {
	{ "null", MKDEV(1, 3), 0666, &null_ops },
	{ "zero", MKDEV(1, 5), 0666, &zero_ops },
	{ "full", MKDEV(1, 7), 0666, &full_ops },
	{ "random", MKDEV(1, 8), 0666, &random_ops },
	{ "urandom", MKDEV(1, 9), 0666, &random_ops },
	{ "tty", TTY_DEV, 0666, NULL },
	{ "console", CONSOLE_DEV, 0600, NULL },
};

static const struct {
	const char *name, *target;
} links[] = {
	{ "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
};

/* Link a new inode of mode under name in dir; the inode, or NULL. */
static struct inode *add_node(struct inode *dir, const char *name, u32 mode)
{
	struct inode *ip;

	if (dir_lookup(dir, name, strlen(name)) || !(ip = inode_new(mode)))
		return NULL;             /* the initramfs brought its own */
	if (dir_link(dir, name, strlen(name), ip) < 0) {
		inode_put(ip);
		return NULL;
	}
	return ip;
}

/* See devfs.h. */
void devfs_init(void)
{
	struct dentry *d = dir_lookup(ramfs_root(), "dev", 3);
	struct inode *dev = d ? d->inode : add_node(ramfs_root(), "dev", S_IFDIR | 0755);

	if (!dev || !S_ISDIR(dev->mode)) {
		kprintf("devfs: no /dev directory\n");
		return;
	}
	for (size_t i = 0; i < ARRAY_LEN(devices); i++) {
		struct inode *ip = add_node(dev, devices[i].name, S_IFCHR | devices[i].perm);

		if (!ip)
			continue;
		ip->rdev = devices[i].rdev;
		ip->dev.ops = devices[i].ops;
		if (devices[i].rdev == CONSOLE_DEV)
			console_inode = ip;
	}
	for (size_t i = 0; i < ARRAY_LEN(links); i++) {
		struct inode *ip = add_node(dev, links[i].name, S_IFLNK | 0777);
		size_t n = strlen(links[i].target);

		if (ip && (ip->lnk.target = kmalloc(n + 1))) {
			memcpy(ip->lnk.target, links[i].target, n + 1);
			ip->size = (i64)n;
		}
	}
}

/* See devfs.h. */
bool devfs_is_console(const struct inode *ip)
{
	return S_ISCHR(ip->mode) && !ip->is_proc && (ip->rdev == TTY_DEV || ip->rdev == CONSOLE_DEV);
}

struct inode *devfs_console(void)
{
	return console_inode;
}
