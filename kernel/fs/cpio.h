/* Read-only access to cpio "newc" archives (magic 070701, or 070702 with a
 * checksum we do not verify), the initramfs format.
 *
 * Pure code: no allocation, no global state, every offset and size checked
 * against the archive length without overflow.  Built into the kernel and into
 * the host unit tests (kernel/tests/test_cpio.c).
 *
 * Names are normalized before comparison: leading "/" and "./" are stripped
 * from both lookup paths and archive names, so "/bin/echo", "bin/echo" and an
 * archive entry "./bin/echo" all meet; the archive's "." entry is the root "".
 *
 * Directories may be implicit: an archive holding only "bin/echo" still has a
 * directory "bin" (cpio_is_dir, cpio_list_dir). */
#ifndef FS_CPIO_H
#define FS_CPIO_H

#include "lib/types.h"

/* Linux st_mode bits as stored in the header's mode field. */
#define CPIO_S_IFMT 0170000
#define CPIO_S_IFDIR 0040000
#define CPIO_S_IFREG 0100000
#define CPIO_S_ISDIR(m) (((m) & CPIO_S_IFMT) == CPIO_S_IFDIR)

/* Mode reported for a directory that exists only as a prefix of other names. */
#define CPIO_IMPLICIT_DIR_MODE (CPIO_S_IFDIR | 0755)

/* One member.  name/data point into the archive (nothing is copied).
 * name is namelen bytes; it is NUL-terminated when returned by cpio_next and
 * cpio_find, but NOT always by cpio_list_dir (see there): use namelen. */
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

/* Find the member whose normalized name equals the normalized path exactly.
 * Returns 0 and *out (out->name is the raw archive name), -ENOENT, or -EINVAL
 * when the archive is malformed before a match is found.  Implicit
 * directories have no member: they give -ENOENT (ask cpio_is_dir). */
int cpio_find(const void *archive, size_t len, const char *path, struct cpio_file *out);

/* True when path names a directory: the root ("", "/", "."), a member with
 * CPIO_S_IFDIR mode, or a proper prefix of some member's name ("bin" when
 * "bin/echo" exists).  Trailing "/" on path is ignored.  A malformed archive
 * answers from the members read before the damage. */
bool cpio_is_dir(const void *archive, size_t len, const char *path);

/* Directory listing for getdents.  Start with *off = 0 and call until it
 * returns 1; each 0 return fills *out with one direct child of dir and moves
 * *off on (pass the same *off back: it is a resume point the caller can keep
 * in its open file, e.g. as the file position).
 *   dir: "", "/" or "." for the root; "bin", "/bin", "bin/" for bin.
 *   out->name/namelen: the child's basename, suitable as d_name once copied
 *     with namelen (it is not NUL-terminated when the child is an implicit
 *     directory, since it then points into a longer member name).
 *   out->mode: the member's mode, or CPIO_IMPLICIT_DIR_MODE for an implicit
 *     directory (data NULL, size 0); derive d_type from it.
 * Each child is returned once, at the first member that names it (later
 * duplicates and deeper members under it are skipped); "." and ".." are not
 * returned (the caller adds them).  Returns 0, 1 at the end (also for a dir
 * that does not exist: check cpio_is_dir first), or -EINVAL when malformed. */
int cpio_list_dir(const void *archive, size_t len, const char *dir, size_t *off,
                  struct cpio_file *out);

#endif
