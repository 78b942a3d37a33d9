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
