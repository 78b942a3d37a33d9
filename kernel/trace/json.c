/* JSON text for trace records.  Bytes map to U+0000..U+00FF, one character
 * each, so the host decodes data with .encode("latin-1").
 *
 * Speed: under QEMU's TCG every loop iteration and every call costs about as
 * much as the work in it, so text goes in as whole runs (json_put, json.h: a
 * few word-sized moves) rather than a byte at a time, and only bytes that
 * need an escape take the slow road.  What a record holds, and where a full buffer
 * cuts it, is the same as byte-at-a-time writing (kernel/tests/test_json.c
 * compares the two). */
#include "trace/json.h"
#include "lib/string.h"

/* Whether more data or another element may go in: false (and the record
 * marked cut) once the soft limit is reached, so loops over a program's
 * arrays stop there instead of filling the slack. */
bool json_room(struct json *j)
{
	if (j->len >= j->soft)
		j->cut = true;
	return !j->cut;
}

/* A run of structure bytes past the hard limit: what fits, then .cut. */
void json_put_slow(struct json *j, const char *s, size_t n)
{
	size_t room = j->len < j->hard ? j->hard - j->len : 0;

	if (n > room) {
		n = room;
		j->cut = true;
	}
	json_copy(j->buf + j->len, s, n);
	j->len += n;
}

void json_hex(struct json *j, u64 v)
{
	char d[24];
	char *p = d + sizeof(d);

	*--p = '"';
	do {
		*--p = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	*--p = '"';
	json_put(j, p, (size_t)(d + sizeof(d) - p));
}

/* One byte as JSON string content; whole escapes or nothing. */
static void put_escaped(struct json *j, u8 c)
{
	static const char hex[] = "0123456789abcdef";
	char e[7];
	size_t n = 0;

	if (c == '"' || c == '\\')
		e[n++] = '\\', e[n++] = (char)c;
	else if (c == '\n')
		e[n++] = '\\', e[n++] = 'n';
	else if (c == '\r')
		e[n++] = '\\', e[n++] = 'r';
	else if (c == '\t')
		e[n++] = '\\', e[n++] = 't';
	else if (c < 0x20 || c >= 0x7F) {
		/* \u00XX: JSON text is UTF-8, so bytes >= 0x80 are escaped too. */
		__builtin_memcpy(e, "\\u00", 4);
		e[4] = hex[c >> 4];
		e[5] = hex[c & 15];
		n = 6;
	} else
		e[n++] = (char)c;
	if (j->len + n > j->soft) {
		j->cut = true;
		return;
	}
	json_copy(j->buf + j->len, e, n);
	j->len += n;
}

static bool plain(u8 c)
{
	return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
}

/* The longest run of plain bytes at p (at most n) that fits below the soft
 * limit goes in at once; an escape, or the limit, is put_escaped's. */
void json_bytes_inner(struct json *j, const void *p, size_t n)
{
	const u8 *b = p;
	size_t i = 0;

	while (i < n && !j->cut) {
		size_t room = j->len < j->soft ? j->soft - j->len : 0, k = i;
		while (k < n && k - i < room && plain(b[k]))
			k++;
		if (k > i) {
			json_copy(j->buf + j->len, (const char *)b + i, k - i);
			j->len += k - i;
			i = k;
			continue;
		}
		put_escaped(j, b[i++]);
	}
}

void json_bytes(struct json *j, const void *p, size_t n)
{
	json_put(j, "\"", 1);
	json_bytes_inner(j, p, n);
	json_put(j, "\"", 1);
}

void json_str(struct json *j, const char *s)
{
	json_bytes(j, s, strlen(s));
}

/* A name of the kernel's own (a key, an errno): structure, not data, so it
 * is written whole even after the record's data was cut (no escaping: names
 * are plain identifiers). */
void json_name(struct json *j, const char *name)
{
	json_put(j, "\"", 1);
	json_raw(j, name);
	json_put(j, "\"", 1);
}

void json_key(struct json *j, const char *name)
{
	if (j->len && j->buf[j->len - 1] != '{')
		json_put(j, ",", 1);
	json_name(j, name);
	json_put(j, ":", 1);
}
