/* Host tests for kernel/trace/json.c: the trace's JSON writer.  It writes
 * whole runs at once for speed; these tests hold it to what writing a byte at
 * a time gave (the reference below, the writer as it was before), byte for
 * byte and cut for cut, on every buffer size a record can meet. */
#include "trace/json.h"
#include "ut.h"

/* The reference: every byte through ref_put, limit-checked on its own. */
static void ref_put(struct json *j, char c, size_t limit)
{
	if (j->len < limit)
		j->buf[j->len++] = c;
	else
		j->cut = true;
}

static void ref_raw(struct json *j, const char *s)
{
	while (*s)
		ref_put(j, *s++, j->hard);
}

static void ref_u64(struct json *j, u64 v)
{
	char d[24];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		ref_put(j, d[--n], j->hard);
}

static void ref_i64(struct json *j, i64 v)
{
	if (v < 0) {
		ref_put(j, '-', j->hard);
		ref_u64(j, -(u64)v);
	} else
		ref_u64(j, (u64)v);
}

static void ref_hex(struct json *j, u64 v)
{
	char d[20];
	int n = 0;

	do {
		d[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	ref_raw(j, "\"0x");
	while (n)
		ref_put(j, d[--n], j->hard);
	ref_put(j, '"', j->hard);
}

static void ref_escaped(struct json *j, unsigned char c)
{
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
	else if (c < 0x20 || c >= 0x7F)
		n = (size_t)sprintf(e, "\\u%04x", c);
	else
		e[n++] = (char)c;
	if (j->len + n > j->soft) {
		j->cut = true;
		return;
	}
	memcpy(j->buf + j->len, e, n);
	j->len += n;
}

static void ref_bytes_inner(struct json *j, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n && !j->cut; i++)
		ref_escaped(j, b[i]);
}

static void ref_bytes(struct json *j, const void *p, size_t n)
{
	ref_put(j, '"', j->hard);
	ref_bytes_inner(j, p, n);
	ref_put(j, '"', j->hard);
}

static void ref_key(struct json *j, const char *name)
{
	if (j->len && j->buf[j->len - 1] != '{')
		ref_put(j, ',', j->hard);
	ref_put(j, '"', j->hard);
	ref_raw(j, name);
	ref_put(j, '"', j->hard);
	ref_put(j, ':', j->hard);
}

/* One record's worth of calls, the same on both writers: keys, numbers of
 * every kind, structure, data with escapes, as trace.c writes them. */
static void new_record(struct json *j, const void *data, size_t n)
{
	json_raw(j, "\"type\":\"syscall\",\"pid\":");
	json_i64(j, -42);
	json_raw(j, ",\"nr\":");
	json_u64(j, 18446744073709551615UL);
	json_key(j, "buf");
	json_raw(j, "{\"data\":\"");
	json_bytes_inner(j, data, n);
	json_raw(j, "\",\"len\":");
	json_u64(j, 0);
	json_key(j, "addr");
	json_hex(j, 0x7ffe12345678UL);
	json_key(j, "s");
	json_bytes(j, data, n);
	json_i64(j, (i64)0x8000000000000000UL);
}

static void ref_record(struct json *j, const void *data, size_t n)
{
	ref_raw(j, "\"type\":\"syscall\",\"pid\":");
	ref_i64(j, -42);
	ref_raw(j, ",\"nr\":");
	ref_u64(j, 18446744073709551615UL);
	ref_key(j, "buf");
	ref_raw(j, "{\"data\":\"");
	ref_bytes_inner(j, data, n);
	ref_raw(j, "\",\"len\":");
	ref_u64(j, 0);
	ref_key(j, "addr");
	ref_hex(j, 0x7ffe12345678UL);
	ref_key(j, "s");
	ref_bytes(j, data, n);
	ref_i64(j, (i64)0x8000000000000000UL);
}

/* Both writers on a fresh buffer of `size`; the same bytes, length and cut. */
static void check_same(size_t size, const void *data, size_t n)
{
	static char a[4096], b[4096];
	struct json ja, jb;

	memset(a, 0x55, sizeof(a));
	memset(b, 0x55, sizeof(b));
	ja = json_init(a, size);
	jb = json_init(b, size);
	new_record(&ja, data, n);
	ref_record(&jb, data, n);
	json_end(&ja);
	json_end(&jb);
	ck_assert_msg(ja.len == jb.len && ja.cut == jb.cut,
		      "size %zu, data %zu: len %zu/%zu cut %d/%d", size, n, ja.len, jb.len,
		      ja.cut, jb.cut);
	ck_assert_msg(memcmp(a, b, sizeof(a)) == 0, "size %zu, data %zu: bytes differ", size, n);
}

START_TEST(whole_record_as_reference)
{
	const char *text = "hello \"world\"\\\n\r\t\x01\x7f\xff end";

	check_same(4096, text, strlen(text));
	check_same(4096, "", 0);
}
END_TEST

/* Every buffer size from tiny (the hard limit cuts structure) through the
 * soft limit cutting data at each byte, with plain runs and escapes mixed. */
START_TEST(every_cut_as_reference)
{
	unsigned char data[700];

	srand(7);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (rand() % 4) ? (unsigned char)('a' + rand() % 26) : (unsigned char)rand();
	for (size_t size = 4; size < 1400; size++)
		check_same(size, data, sizeof(data));
	for (size_t n = 0; n < 64; n++)
		check_same(300, data, n);
}
END_TEST

START_TEST(numbers_and_escapes)
{
	char buf[256];
	struct json j = json_init(buf, sizeof(buf));

	json_u64(&j, 0);
	json_raw(&j, " ");
	json_i64(&j, -1);
	json_raw(&j, " ");
	json_hex(&j, 0);
	json_raw(&j, " ");
	json_bytes(&j, "a\"\\\n\x80", 5);
	buf[j.len] = 0;
	ck_assert_str_eq(buf, "0 -1 \"0x0\" \"a\\\"\\\\\\n\\u0080\"");
	ck_assert(!j.cut);
}
END_TEST

/* Decimal digits as printf writes them, at every length and its edges. */
START_TEST(decimal_like_printf)
{
	char buf[64], want[32];
	u64 v = 1;

	for (int k = 0; k < 20; k++, v *= 10) {
		u64 cases[] = { v - 1, v, v + 1, v * 3 + 7 };
		for (size_t c = 0; c < 4; c++) {
			struct json j = json_init(buf, sizeof(buf));
			json_u64(&j, cases[c]);
			buf[j.len] = 0;
			snprintf(want, sizeof(want), "%lu", (unsigned long)cases[c]);
			ck_assert_str_eq(buf, want);
		}
	}
	for (u64 n = 0; n < 20000; n += 7) {
		struct json j = json_init(buf, sizeof(buf));
		json_i64(&j, -(i64)n);
		buf[j.len] = 0;
		snprintf(want, sizeof(want), "%ld", -(long)n);
		ck_assert_str_eq(buf, want);
	}
}
END_TEST

static Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, whole_record_as_reference);
	tcase_add_test(tc, every_cut_as_reference);
	tcase_add_test(tc, numbers_and_escapes);
	tcase_add_test(tc, decimal_like_printf);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_run(json_suite());
}
