/* JSON text for trace records.  Bytes map to U+0000..U+00FF, one character
 * each, so the host decodes data with .encode("latin-1"). */
#include "trace/json.h"
#include "lib/string.h"

/* The last two bytes of buf are json_end's alone; the slack is JSON_SLACK,
 * or half of a small buffer. */
struct json json_init(char *buf, size_t size)
{
	struct json j = { buf, 0, size - MIN(JSON_SLACK, size / 2), size - 2, false };
	return j;
}

/* Whether more data or another element may go in: false (and the record
 * marked cut) once the soft limit is reached, so loops over a program's
 * arrays stop there instead of filling the slack. */
bool json_room(struct json *j)
{
	if (j->len >= j->soft)
		j->cut = true;
	return !j->cut;
}

void json_end(struct json *j)
{
	j->buf[j->len++] = '}';
	j->buf[j->len++] = '\n';
}

static void put(struct json *j, char c, size_t limit)
{
	if (j->len < limit)
		j->buf[j->len++] = c;
	else
		j->cut = true;
}

void json_raw(struct json *j, const char *s)
{
	while (*s)
		put(j, *s++, j->hard);
}

void json_u64(struct json *j, u64 v)
{
	char d[24];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		put(j, d[--n], j->hard);
}

void json_i64(struct json *j, i64 v)
{
	if (v < 0) {
		put(j, '-', j->hard);
		json_u64(j, -(u64)v);
	} else
		json_u64(j, (u64)v);
}

void json_hex(struct json *j, u64 v)
{
	char d[20];
	int n = 0;

	do {
		d[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	json_raw(j, "\"0x");
	while (n)
		put(j, d[--n], j->hard);
	put(j, '"', j->hard);
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
		memcpy(e, "\\u00", 4);
		e[4] = hex[c >> 4];
		e[5] = hex[c & 15];
		n = 6;
	} else
		e[n++] = (char)c;
	if (j->len + n > j->soft) {
		j->cut = true;
		return;
	}
	memcpy(j->buf + j->len, e, n);
	j->len += n;
}

void json_bytes_inner(struct json *j, const void *p, size_t n)
{
	const u8 *b = p;

	for (size_t i = 0; i < n && !j->cut; i++)
		put_escaped(j, b[i]);
}

void json_bytes(struct json *j, const void *p, size_t n)
{
	put(j, '"', j->hard);
	json_bytes_inner(j, p, n);
	put(j, '"', j->hard);
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
	put(j, '"', j->hard);
	json_raw(j, name);
	put(j, '"', j->hard);
}

void json_key(struct json *j, const char *name)
{
	if (j->len && j->buf[j->len - 1] != '{')
		put(j, ',', j->hard);
	json_name(j, name);
	put(j, ':', j->hard);
}
