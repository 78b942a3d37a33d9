/* A bounded JSON writer for trace records.  Data strings stop at the soft
 * limit (setting .cut), and so do repeated elements (json_room); what a
 * record adds after a cut is a bounded closing (the rest of its keys, its
 * result), which fits in the slack above the soft limit; and the line's end
 * ("}\n", json_end) has two bytes of its own.  So every record stays one
 * valid JSON line whatever a program passes.
 *
 * The writers every record uses (structure, numbers) are inline here: under
 * QEMU's TCG a call and its return cost more than writing a short run, and a
 * traced system call makes a dozen of them (docs/bench.md). */
#ifndef TRACE_JSON_H
#define TRACE_JSON_H

#include "lib/types.h"
#include "lib/string.h"

#define JSON_SLACK 1024

struct json {
	char *buf;
	size_t len;
	size_t soft;       /* data stops here */
	size_t hard;       /* buffer size */
	bool cut;          /* some data did not fit */
};

/* The last two bytes of buf are json_end's alone; the slack is JSON_SLACK,
 * or half of a small buffer. */
static inline struct json json_init(char *buf, size_t size)
{
	struct json j = { buf, 0, size - MIN(JSON_SLACK, size / 2), size - 2, false };
	return j;
}

/* "}\n": always fits. */
static inline void json_end(struct json *j)
{
	j->buf[j->len++] = '}';
	j->buf[j->len++] = '\n';
}

/* n bytes from s to d (not overlapping): 32 at a time, then 8 at a time,
 * the last eight overlapping the ones before (n >= 8); a short run a byte at
 * a time.  Not memcpy: the kernel's uses rep movs, and TCG runs one block
 * per iteration of it, eight bytes each. */
static inline void json_copy(char *d, const char *s, size_t n)
{
	u64 w[4];
	size_t i = 0;

	if (n < 8) {
		while (n--)
			*d++ = *s++;
		return;
	}
	for (; i + 32 <= n; i += 32) {
		__builtin_memcpy(w, s + i, 32);
		__builtin_memcpy(d + i, w, 32);
	}
	for (; i + 8 <= n; i += 8) {
		__builtin_memcpy(w, s + i, 8);
		__builtin_memcpy(d + i, w, 8);
	}
	__builtin_memcpy(w, s + n - 8, 8);
	__builtin_memcpy(d + n - 8, w, 8);
}

/* Structure past the hard limit: what fits, then .cut (json.c). */
void json_put_slow(struct json *j, const char *s, size_t n);

/* n bytes of structure (no escaping), bounded by the hard limit: what a
 * byte at a time would give, in one run. */
static inline void json_put(struct json *j, const char *s, size_t n)
{
	if (j->len > j->hard || n > j->hard - j->len) {
		json_put_slow(j, s, n);
		return;
	}
	json_copy(j->buf + j->len, s, n);
	j->len += n;
}

/* A NUL-terminated run of structure (a literal: its length is folded). */
static inline void json_raw(struct json *j, const char *s)
{
	json_put(j, s, __builtin_strlen(s));
}

/* v's decimal digits, written backwards ending at end; returns the first.
 * Two at a time from a table: half the loop's TCG blocks. */
static inline char *json_digits(char *end, u64 v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";

	while (v >= 100) {
		u64 r = v % 100;
		v /= 100;
		end -= 2;
		end[0] = pairs[2 * r];
		end[1] = pairs[2 * r + 1];
	}
	if (v >= 10) {
		end -= 2;
		end[0] = pairs[2 * v];
		end[1] = pairs[2 * v + 1];
	} else
		*--end = (char)('0' + v);
	return end;
}

static inline void json_u64(struct json *j, u64 v)
{
	char d[24];
	char *p = json_digits(d + sizeof(d), v);

	json_put(j, p, (size_t)(d + sizeof(d) - p));
}

static inline void json_i64(struct json *j, i64 v)
{
	char d[24];
	char *p = json_digits(d + sizeof(d), v < 0 ? -(u64)v : (u64)v);

	if (v < 0)
		*--p = '-';
	json_put(j, p, (size_t)(d + sizeof(d) - p));
}

bool json_room(struct json *j);                    /* below the soft limit; else sets .cut */
void json_hex(struct json *j, u64 v);              /* "0x1f" */
void json_str(struct json *j, const char *s);      /* quoted, escaped */
void json_bytes(struct json *j, const void *p, size_t n);        /* quoted, escaped */
void json_bytes_inner(struct json *j, const void *p, size_t n);  /* escaped, no quotes */
void json_name(struct json *j, const char *name);  /* "name", whole even after a cut */
void json_key(struct json *j, const char *name);   /* [,]"name": */

#endif
