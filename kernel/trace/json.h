/* A bounded JSON writer for trace records.  Data strings stop at the soft
 * limit (setting .cut), and so do repeated elements (json_room); what a
 * record adds after a cut is a bounded closing (the rest of its keys, its
 * result), which fits in the slack above the soft limit; and the line's end
 * ("}\n", json_end) has two bytes of its own.  So every record stays one
 * valid JSON line whatever a program passes. */
#ifndef TRACE_JSON_H
#define TRACE_JSON_H

#include "lib/types.h"

#define JSON_SLACK 1024

struct json {
	char *buf;
	size_t len;
	size_t soft;       /* data stops here */
	size_t hard;       /* buffer size */
	bool cut;          /* some data did not fit */
};

struct json json_init(char *buf, size_t size);
bool json_room(struct json *j);                    /* below the soft limit; else sets .cut */
void json_end(struct json *j);                     /* "}\n": always fits */
void json_raw(struct json *j, const char *s);
void json_u64(struct json *j, u64 v);
void json_i64(struct json *j, i64 v);
void json_hex(struct json *j, u64 v);              /* "0x1f" */
void json_str(struct json *j, const char *s);      /* quoted, escaped */
void json_bytes(struct json *j, const void *p, size_t n);        /* quoted, escaped */
void json_bytes_inner(struct json *j, const void *p, size_t n);  /* escaped, no quotes */
void json_name(struct json *j, const char *name);  /* "name", whole even after a cut */
void json_key(struct json *j, const char *name);   /* [,]"name": */

#endif
