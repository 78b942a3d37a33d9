/* cpio "newc" archive reader: see cpio.h for the contracts.
 *
 * Member layout (all numbers are 8 ASCII hex digits):
 *   "070701" ino mode uid gid nlink mtime filesize devmajor devminor
 *   rdevmajor rdevminor namesize check      (110 bytes)
 *   name (namesize bytes, NUL included), padded to a multiple of 4
 *   data (filesize bytes), padded to a multiple of 4
 * Padding is counted from the start of the archive. */
#include "fs/cpio.h"
#include "lib/errno.h"
#include "lib/string.h"

#define HDR_LEN 110
#define MAGIC_LEN 6
#define NFIELDS 13            /* the 8-digit fields after the magic */
#define F_MODE 1
#define F_FILESIZE 6
#define F_NAMESIZE 11

static const char trailer[] = "TRAILER!!!";

/* Parse 8 hex digits at p into *out; -EINVAL on any other character. */
static int parse_hex8(const char *p, u32 *out)
{
	u32 v = 0;

	for (int i = 0; i < 8; i++) {
		char c = p[i];
		u32 d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/* Offset x rounded up to 4, or len if that would pass len (a missing final
 * pad is tolerated).  Requires x <= len, so nothing can overflow. */
static size_t pad4_within(size_t x, size_t len)
{
	size_t pad = (4 - (x & 3)) & 3;

	return pad > len - x ? len : x + pad;
}

/* Check the magic and decode the header fields at a (HDR_LEN bytes). */
static int parse_header(const char *a, u32 f[NFIELDS])
{
	if (memcmp(a, "07070", 5) != 0 || (a[5] != '1' && a[5] != '2'))
		return -EINVAL;
	for (int i = 0; i < NFIELDS; i++)
		if (parse_hex8(a + MAGIC_LEN + 8 * i, &f[i]) < 0)
			return -EINVAL;
	return 0;
}

int cpio_next(const void *archive, size_t len, size_t *off, struct cpio_file *out)
{
	const char *a = archive;
	size_t pos = *off, namesize, size, data;
	const char *name;
	u32 f[NFIELDS];

	if (pos > len)
		return -EINVAL;
	if (pos == len)
		return 1;
	if (len - pos < HDR_LEN || parse_header(a + pos, f) < 0)
		return -EINVAL;

	namesize = f[F_NAMESIZE];
	size = f[F_FILESIZE];
	if (namesize == 0 || namesize > len - pos - HDR_LEN)
		return -EINVAL;
	name = a + pos + HDR_LEN;
	/* Exactly one NUL, at the end: an inner NUL would make two names equal. */
	if (strnlen(name, namesize) != namesize - 1)
		return -EINVAL;
	if (namesize == sizeof(trailer) && memcmp(name, trailer, namesize) == 0)
		return 1;

	data = pad4_within(pos + HDR_LEN + namesize, len);
	if (size > len - data)
		return -EINVAL;

	out->name = name;
	out->namelen = namesize - 1;
	out->data = a + data;
	out->size = size;
	out->mode = f[F_MODE];
	*off = pad4_within(data + size, len);
	return 0;
}

/* See cpio.h. */
void cpio_strip_leading(const char **s, size_t *n)
{
	for (;;) {
		if (*n >= 1 && (*s)[0] == '/') {
			*s += 1, *n -= 1;
		} else if (*n >= 2 && (*s)[0] == '.' && (*s)[1] == '/') {
			*s += 2, *n -= 2;
		} else {
			if (*n == 1 && (*s)[0] == '.')
				*n = 0;
			return;
		}
	}
}

/* A caller's directory path, normalized: no leading "/" or "./", no trailing "/". */
static void normalize_dir(const char **s, size_t *n)
{
	cpio_strip_leading(s, n);
	while (*n > 0 && (*s)[*n - 1] == '/')
		*n -= 1;
}

static bool same_name(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && memcmp(a, b, an) == 0;
}

int cpio_find(const void *archive, size_t len, const char *path, struct cpio_file *out)
{
	const char *p = path;
	size_t pn = strlen(path), off = 0;
	struct cpio_file f;
	int r;

	cpio_strip_leading(&p, &pn);
	while ((r = cpio_next(archive, len, &off, &f)) == 0) {
		const char *n = f.name;
		size_t nn = f.namelen;
		cpio_strip_leading(&n, &nn);
		if (same_name(n, nn, p, pn)) {
			*out = f;
			return 0;
		}
	}
	return r < 0 ? r : -ENOENT;
}

bool cpio_is_dir(const void *archive, size_t len, const char *path)
{
	const char *p = path;
	size_t pn = strlen(path), off = 0;
	struct cpio_file f;

	normalize_dir(&p, &pn);
	if (pn == 0)
		return true;
	while (cpio_next(archive, len, &off, &f) == 0) {
		const char *n = f.name;
		size_t nn = f.namelen;
		cpio_strip_leading(&n, &nn);
		if (same_name(n, nn, p, pn) && CPIO_S_ISDIR(f.mode))
			return true;
		if (nn > pn && n[pn] == '/' && memcmp(n, p, pn) == 0)
			return true;
	}
	return false;
}

/* If the normalized member name n names something directly under dir d,
 * set *c and *cn to that child's basename and *implicit when n lies deeper (so
 * the child is a directory known only as a prefix).  Returns false when n is
 * not under d, is d itself, or has an empty component. */
static bool child_of(const char *n, size_t nn, const char *d, size_t dn,
                     const char **c, size_t *cn, bool *implicit)
{
	size_t i;

	if (dn > 0) {
		if (nn <= dn + 1 || n[dn] != '/' || memcmp(n, d, dn) != 0)
			return false;
		n += dn + 1, nn -= dn + 1;
	}
	for (i = 0; i < nn && n[i] != '/'; i++)
		;
	if (i == 0)
		return false;
	*c = n, *cn = i, *implicit = i < nn;
	return true;
}

/* Same, starting from a raw member. */
static bool member_child(const struct cpio_file *f, const char *d, size_t dn,
                         const char **c, size_t *cn, bool *implicit)
{
	const char *n = f->name;
	size_t nn = f->namelen;

	cpio_strip_leading(&n, &nn);
	return child_of(n, nn, d, dn, c, cn, implicit);
}

/* True when a member before offset end already named child c of d.  This
 * rescan is what keeps cpio_list_dir stateless; it makes a full listing
 * quadratic in the number of members, fine for an initramfs. */
static bool child_seen_before(const void *archive, size_t len, size_t end,
                              const char *d, size_t dn, const char *c, size_t cn)
{
	size_t off = 0;
	struct cpio_file f;
	const char *oc;
	size_t ocn;
	bool implicit;

	while (off < end && cpio_next(archive, len, &off, &f) == 0)
		if (member_child(&f, d, dn, &oc, &ocn, &implicit) && same_name(oc, ocn, c, cn))
			return true;
	return false;
}

int cpio_list_dir(const void *archive, size_t len, const char *dir, size_t *off,
                  struct cpio_file *out)
{
	const char *d = dir, *c;
	size_t dn = strlen(dir), cn, pos = *off, start;
	struct cpio_file f;
	bool implicit;
	int r;

	normalize_dir(&d, &dn);
	for (;;) {
		start = pos;
		r = cpio_next(archive, len, &pos, &f);
		if (r != 0)
			return r;
		if (!member_child(&f, d, dn, &c, &cn, &implicit))
			continue;
		if (child_seen_before(archive, len, start, d, dn, c, cn))
			continue;
		out->name = c;
		out->namelen = cn;
		out->data = implicit ? NULL : f.data;
		out->size = implicit ? 0 : f.size;
		out->mode = implicit ? CPIO_IMPLICIT_DIR_MODE : f.mode;
		*off = pos;
		return 0;
	}
}
