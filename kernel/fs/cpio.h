/* Read-only access to cpio "newc" archives (magic 070701, or 070702 with a
 * checksum we do not verify), the initramfs format.
 *
 * Pure code: no allocation, no global state, every offset and size checked
 * against the archive length without overflow.  Built into the kernel and into
 * the host unit tests (kernel/tests/test_cpio.c).
 *
 * The initramfs unpacker (fs/initramfs.c) walks the members with cpio_next
 * and normalizes each name with cpio_strip_leading, so "/bin/echo" and
 * "./bin/echo" name the same file; the archive's "." entry is the root "". */
#ifndef FS_CPIO_H
#define FS_CPIO_H

#include "lib/types.h"

/* Linux st_mode bits as stored in the header's mode field. */
#define CPIO_S_IFMT 0170000
#define CPIO_S_IFDIR 0040000
#define CPIO_S_IFREG 0100000
#define CPIO_S_ISDIR(m) (((m) & CPIO_S_IFMT) == CPIO_S_IFDIR)

/* One member.  name/data point into the archive (nothing is copied).
 * name is namelen bytes, NUL-terminated. */
struct cpio_file {
	const char *name;
	size_t namelen;
	const void *data;
	size_t size;
	u32 mode;
};

/* Read the member at *off (start with *off = 0).
 * Returns 0 with *out filled and *off moved to the next member; 1 at the end
 * (a "TRAILER!!!" member or *off == len; *off is left unchanged); -EINVAL for
 * a malformed archive: bad magic, non-hex field, namesize 0, name or data
 * running past len, name not NUL-terminated (or with a NUL inside it), or
 * *off > len.  out->name is the raw archive name (not normalized). */
int cpio_next(const void *archive, size_t len, size_t *off, struct cpio_file *out);

/* Normalize a member name in place: strip leading "/" and "./" (a lone "."
 * becomes "", the root) from the n bytes at *s. */
void cpio_strip_leading(const char **s, size_t *n);

#endif
