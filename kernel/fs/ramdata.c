/* File contents of the RAM filesystem.  A file's bytes live in 4 KiB frames
 * from the frame allocator, so they count as used memory (sysinfo freeram)
 * and a write that finds none left fails with ENOSPC.  A two-level index of
 * frames maps page numbers to frames: the inode holds the frame of 512 leaf
 * frame addresses, each leaf 512 data frame addresses (1 GiB at most).  An
 * absent frame is a hole and reads as zeros.
 *
 * As tmpfs by default, files may hold at most half of the machine's frames
 * (counting index frames): past that a write fails with ENOSPC while the
 * rest of the system keeps the memory it needs.
 *
 * A file unpacked from the initramfs starts with no frames: it reads the
 * archive's bytes in place (reg.backing) until its first change, when those
 * bytes are copied into frames.  The archive itself never changes. */
#include "fs/inode.h"
#include "fs/fileops.h"
#include "mm/pmm.h"
#include "arch/x86_64/memlayout.h"
#include "lib/errno.h"
#include "lib/string.h"

#define FANOUT 512UL
#define MAX_PAGES (FANOUT * FANOUT)
#define RAMFS_MAXBYTES ((i64)(MAX_PAGES * PAGE_SIZE))

static size_t used_frames;

/* A zeroed frame for file data or an index, within the filesystem's
 * limit; 0 when over it or out of memory. */
static u64 frame_alloc(void)
{
	u64 pa;

	if (used_frames >= pmm_total_frames() / 2 || !(pa = pmm_alloc()))
		return 0;
	used_frames++;
	return pa;
}

static void frame_free(u64 pa)
{
	pmm_free(pa);
	used_frames--;
}

/* See inode.h. */
void ramdata_usage(size_t *used, size_t *limit)
{
	*used = used_frames;
	*limit = pmm_total_frames() / 2;
}

/* The frame slot for page pg of ip (creating index frames when create), or
 * NULL: no such page, or no memory for an index frame. */
static u64 *page_slot(struct inode *ip, u64 pg, bool create)
{
	u64 *top, *leaf;

	if (pg >= MAX_PAGES)
		return NULL;
	if (!ip->reg.index && (!create || !(ip->reg.index = frame_alloc())))
		return NULL;
	top = P2V(ip->reg.index);
	if (!top[pg / FANOUT] && (!create || !(top[pg / FANOUT] = frame_alloc())))
		return NULL;
	leaf = P2V(top[pg / FANOUT]);
	return &leaf[pg % FANOUT];
}

/* The data frame of page pg, allocating a zeroed one: its kernel address, or NULL. */
static u8 *page_for_write(struct inode *ip, u64 pg)
{
	u64 *slot = page_slot(ip, pg, true);

	if (!slot)
		return NULL;
	if (!*slot) {
		if (!(*slot = frame_alloc()))
			return NULL;
		ip->reg.pages++;
	}
	return P2V(*slot);
}

/* The kernel address of page pg's bytes, or NULL for a hole. */
static const u8 *page_for_read(struct inode *ip, u64 pg)
{
	u64 *slot = page_slot(ip, pg, false);

	return slot && *slot ? P2V(*slot) : NULL;
}

/* Archive-backed file: copy its bytes into frames before the first change.
 * 0, or -ENOSPC (the file is left as it was). */
static int materialize(struct inode *ip)
{
	const u8 *src = ip->reg.backing;
	i64 size = ip->size;

	if (!src)
		return 0;
	ip->reg.backing = NULL;
	ip->size = 0;
	if (ramdata_write(ip, 0, src, (size_t)size) == size)
		return 0;
	ramdata_free(ip);
	ip->reg.backing = src;
	ip->size = size;
	return -ENOSPC;
}

/* See inode.h. */
size_t ramdata_read(struct inode *ip, i64 off, void *buf, size_t n)
{
	size_t done = 0;

	if (off >= ip->size)
		return 0;
	n = MIN(n, (size_t)(ip->size - off));
	if (ip->reg.backing) {
		memcpy(buf, ip->reg.backing + off, n);
		return n;
	}
	while (done < n) {
		u64 pos = (u64)off + done, in = pos % PAGE_SIZE;
		size_t c = MIN(n - done, PAGE_SIZE - in);
		const u8 *pg = page_for_read(ip, pos / PAGE_SIZE);

		if (pg)
			memcpy((u8 *)buf + done, pg + in, c);
		else
			memset((u8 *)buf + done, 0, c);
		done += c;
	}
	return n;
}

/* See inode.h.  Goes a chunk at a time so a fault is found where it is. */
long ramdata_read_user(struct inode *ip, i64 off, uptr buf, size_t n)
{
	u8 chunk[FS_CHUNK];
	size_t done = 0;

	if (off >= ip->size)
		return 0;
	n = MIN(n, (size_t)(ip->size - off));
	while (done < n) {
		size_t c = fs_chunk(buf + done, n - done);

		ramdata_read(ip, off + (i64)done, chunk, c);
		if (fs_copyout(buf + done, chunk, c) < c)
			return done ? (long)done : -EFAULT;
		done += c;
	}
	return (long)done;
}

/* Copy c bytes (within one page) to file position pos: 0 or -ENOSPC. */
static int put_bytes(struct inode *ip, u64 pos, const void *src, size_t c)
{
	u8 *pg = page_for_write(ip, pos / PAGE_SIZE);

	if (!pg)
		return -ENOSPC;
	memcpy(pg + pos % PAGE_SIZE, src, c);
	if ((i64)(pos + c) > ip->size)
		ip->size = (i64)(pos + c);
	return 0;
}

/* See inode.h. */
long ramdata_write(struct inode *ip, i64 off, const void *buf, size_t n)
{
	size_t done = 0;

	if (off + (i64)n > RAMFS_MAXBYTES)
		return -EFBIG;
	while (done < n) {
		u64 pos = (u64)off + done;
		size_t c = MIN(n - done, PAGE_SIZE - pos % PAGE_SIZE);

		if (put_bytes(ip, pos, (const u8 *)buf + done, c) < 0)
			return done ? (long)done : -ENOSPC;
		done += c;
	}
	return (long)done;
}

/* See inode.h. */
long ramdata_write_user(struct inode *ip, i64 off, uptr buf, size_t n)
{
	u8 chunk[FS_CHUNK];
	size_t done = 0;
	int r;

	if (off >= RAMFS_MAXBYTES)
		return -EFBIG;
	n = MIN(n, (size_t)(RAMFS_MAXBYTES - off));
	if ((r = materialize(ip)) < 0)
		return r;
	while (done < n) {
		size_t c = fs_chunk(buf + done, n - done);
		u64 pos = (u64)off + done;

		c = MIN(c, PAGE_SIZE - pos % PAGE_SIZE);
		if (fs_copyin(chunk, buf + done, c) < c)
			return done ? (long)done : -EFAULT;
		if (put_bytes(ip, pos, chunk, c) < 0)
			return done ? (long)done : -ENOSPC;
		done += c;
	}
	return (long)done;
}

/* Free the data frames of pages >= first (and index frames left empty). */
static void free_pages_from(struct inode *ip, u64 first)
{
	u64 *top;

	if (!ip->reg.index)
		return;
	top = P2V(ip->reg.index);
	for (u64 t = first / FANOUT; t < FANOUT; t++) {
		u64 *leaf = top[t] ? P2V(top[t]) : NULL;
		u64 from = t == first / FANOUT ? first % FANOUT : 0;

		for (u64 i = from; leaf && i < FANOUT; i++)
			if (leaf[i]) {
				frame_free(leaf[i]);
				leaf[i] = 0;
				ip->reg.pages--;
			}
		if (leaf && from == 0) {
			frame_free(top[t]);
			top[t] = 0;
		}
	}
	if (first == 0) {
		frame_free(ip->reg.index);
		ip->reg.index = 0;
	}
}

/* Clear the bytes of the last page past size, so growing again reads zeros. */
static void zero_tail(struct inode *ip, i64 size)
{
	u64 *slot = size % PAGE_SIZE ? page_slot(ip, (u64)size / PAGE_SIZE, false) : NULL;

	if (slot && *slot)
		memset((u8 *)P2V(*slot) + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
}

/* See inode.h. */
int ramdata_truncate(struct inode *ip, i64 size)
{
	int r;

	if (size > RAMFS_MAXBYTES)
		return -EFBIG;
	if (size == ip->size)
		return 0;
	if (size == 0)
		ip->reg.backing = NULL;
	if ((r = materialize(ip)) < 0)
		return r;
	if (size < ip->size) {
		free_pages_from(ip, ALIGN_UP((u64)size, PAGE_SIZE) / PAGE_SIZE);
		zero_tail(ip, size);
	}
	ip->size = size;
	return 0;
}

/* See inode.h. */
void ramdata_free(struct inode *ip)
{
	free_pages_from(ip, 0);
	ip->reg.backing = NULL;
}
