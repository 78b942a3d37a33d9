/* Host tests for kernel/fs/cpio.c: crafted newc archives (well-formed and
 * broken one field at a time) and real ones written by GNU cpio (fixtures
 * tree-newc.cpio and tree-crc.cpio from check.mk). */
#include "fs/cpio.h"
#include "lib/errno.h"
#include "ut.h"

#define HDR 110
#define FIELD(i) (6 + 8 * (i))     /* offset of header field i after the magic */
#define F_FILESIZE 6
#define F_NAMESIZE 11

struct ar {
	char buf[16384];
	size_t len;
};

static void ar_pad4(struct ar *a)
{
	while (a->len % 4)
		a->buf[a->len++] = 0;
}

/* Append one member the way cpio -H newc writes it. */
static void ar_add(struct ar *a, const char *name, unsigned mode, const char *data, size_t size)
{
	size_t namesize = strlen(name) + 1;

	ck_assert_uint_lt(a->len + HDR + namesize + size + 8, sizeof(a->buf));
	a->len += sprintf(a->buf + a->len,
	                  "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
	                  1u, mode, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u, namesize, 0u);
	memcpy(a->buf + a->len, name, namesize);
	a->len += namesize;
	ar_pad4(a);
	memcpy(a->buf + a->len, data, size);
	a->len += size;
	ar_pad4(a);
}

static void ar_file(struct ar *a, const char *name, const char *text)
{
	ar_add(a, name, 0100644, text, strlen(text));
}

static void ar_trailer(struct ar *a)
{
	ar_add(a, "TRAILER!!!", 0, "", 0);
}

/* Set 8-hex-digit field i of the member whose header starts at hdr. */
static void ar_set_field(struct ar *a, size_t hdr, int i, const char *eight)
{
	memcpy(a->buf + hdr + FIELD(i), eight, 8);
}

/* cpio_next on a copy of the first len bytes that ends at a guard page.
 * Only the return value and *off are meaningful afterwards (f points into
 * the freed copy). */
static int next_on_copy(const struct ar *a, size_t len, size_t *off, struct cpio_file *f)
{
	void *g = ut_guarded_copy(a->buf, len);
	int r = cpio_next(g, len, off, f);
	ut_guarded_free(g, len);
	return r;
}

/* Archive with two files and a trailer; the checks below refer to it. */
static void two_files(struct ar *a)
{
	a->len = 0;
	ar_file(a, "hello", "Hello, world\n");
	ar_add(a, "bin/x", 0100755, "\x7f" "ELF", 4);
	ar_trailer(a);
}

START_TEST(next_reads_members_then_trailer)
{
	struct ar a;
	struct cpio_file f;
	size_t off = 0, at_trailer;

	two_files(&a);
	ck_assert_int_eq(cpio_next(a.buf, a.len, &off, &f), 0);
	ck_assert_uint_eq(f.namelen, 5);
	ck_assert_str_eq(f.name, "hello");
	ck_assert_uint_eq(f.size, 13);
	ck_assert_mem_eq(f.data, "Hello, world\n", 13);
	ck_assert_uint_eq(f.mode, 0100644);
	ck_assert_uint_eq(off % 4, 0);

	ck_assert_int_eq(cpio_next(a.buf, a.len, &off, &f), 0);
	ck_assert_str_eq(f.name, "bin/x");
	ck_assert_uint_eq(f.mode, 0100755);
	ck_assert_uint_eq(f.size, 4);
	ck_assert_mem_eq(f.data, "\x7f" "ELF", 4);

	at_trailer = off;
	ck_assert_int_eq(cpio_next(a.buf, a.len, &off, &f), 1);
	ck_assert_uint_eq(off, at_trailer);
	ck_assert_int_eq(cpio_next(a.buf, a.len, &off, &f), 1);
}
END_TEST

START_TEST(next_clean_end_without_trailer)
{
	struct ar a = { .len = 0 };
	struct cpio_file f;
	size_t off = 0;

	ar_file(&a, "a", "x");
	ck_assert_int_eq(next_on_copy(&a, a.len, &off, &f), 0);
	ck_assert_uint_eq(off, a.len);
	ck_assert_int_eq(next_on_copy(&a, a.len, &off, &f), 1);
	off = 0;
	ck_assert_int_eq(cpio_next(a.buf, 0, &off, &f), 1);
}
END_TEST

/* A last member whose final data padding is missing still reads. */
START_TEST(next_tolerates_missing_final_pad)
{
	struct ar a = { .len = 0 };
	struct cpio_file f;
	size_t off = 0, len;
	void *g;

	ar_file(&a, "a", "x");         /* data at 112, one byte, padded to 116 */
	len = a.len - 3;
	g = ut_guarded_copy(a.buf, len);
	ck_assert_int_eq(cpio_next(g, len, &off, &f), 0);
	ck_assert_mem_eq(f.data, "x", 1);
	ck_assert_uint_eq(off, len);
	ck_assert_int_eq(cpio_next(g, len, &off, &f), 1);
	ut_guarded_free(g, len);
}
END_TEST

/* Every name length (header+name padding) with every data length mod 4. */
START_TEST(next_handles_every_alignment)
{
	static const char name[] = "abcdefghij";
	static const char data[] = "0123456789";
	struct ar a = { .len = 0 };
	struct cpio_file f;
	size_t off = 0;
	char nm[16];
	void *g;

	for (int n = 1; n <= 8; n++)
		for (int d = 0; d <= 5; d++) {
			memcpy(nm, name, n);
			nm[n] = 0;
			ar_add(&a, nm, 0100644, data, d);
		}
	ar_trailer(&a);
	g = ut_guarded_copy(a.buf, a.len);
	for (int n = 1; n <= 8; n++)
		for (int d = 0; d <= 5; d++) {
			ck_assert_int_eq(cpio_next(g, a.len, &off, &f), 0);
			ck_assert_uint_eq(f.namelen, n);
			ck_assert_mem_eq(f.name, name, n);
			ck_assert_uint_eq(f.size, d);
			if (d)
				ck_assert_mem_eq(f.data, data, d);
		}
	ck_assert_int_eq(cpio_next(g, a.len, &off, &f), 1);
	ut_guarded_free(g, a.len);
}
END_TEST

START_TEST(next_accepts_crc_magic_and_lowercase_hex)
{
	struct ar a;
	struct cpio_file f;
	size_t off = 0;

	two_files(&a);
	a.buf[5] = '2';
	ar_set_field(&a, 0, 1, "000081a4");
	ck_assert_int_eq(cpio_next(a.buf, a.len, &off, &f), 0);
	ck_assert_uint_eq(f.mode, 0100644);
}
END_TEST

START_TEST(next_rejects_bad_magic)
{
	static const char *bad[] = { "070707", "070700", "170701", "07070 ", "\0\0\0\0\0\0" };
	struct ar a;
	struct cpio_file f;

	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		size_t off = 0;
		two_files(&a);
		memcpy(a.buf, bad[i], 6);
		ck_assert_int_eq(cpio_next(a.buf, a.len, &off, &f), -EINVAL);
		ck_assert_uint_eq(off, 0);
	}
}
END_TEST

/* A non-hex digit in any of the 13 fields, at the first or last digit. */
START_TEST(next_rejects_non_hex_field)
{
	struct ar a;
	struct cpio_file f;
	size_t off;

	for (int field = 0; field < 13; field++)
		for (int digit = 0; digit < 8; digit += 7) {
			static const char bad[] = "gG x-+";
			for (size_t b = 0; b < sizeof(bad) - 1; b++) {
				two_files(&a);
				a.buf[FIELD(field) + digit] = bad[b];
				off = 0;
				ck_assert_msg(cpio_next(a.buf, a.len, &off, &f) == -EINVAL,
				              "field %d digit %d char '%c'", field, digit, bad[b]);
			}
		}
}
END_TEST

START_TEST(next_rejects_namesize_zero)
{
	struct ar a;
	struct cpio_file f;
	size_t off = 0;

	two_files(&a);
	ar_set_field(&a, 0, F_NAMESIZE, "00000000");
	ck_assert_int_eq(cpio_next(a.buf, a.len, &off, &f), -EINVAL);
}
END_TEST

START_TEST(next_rejects_name_past_end)
{
	struct ar a;
	struct cpio_file f;
	size_t off = 0;

	two_files(&a);
	ar_set_field(&a, 0, F_NAMESIZE, "FFFFFFFF");
	ck_assert_int_eq(next_on_copy(&a, a.len, &off, &f), -EINVAL);
	two_files(&a);                    /* cut inside the first name */
	off = 0;
	ck_assert_int_eq(next_on_copy(&a, HDR + 3, &off, &f), -EINVAL);
}
END_TEST

START_TEST(next_rejects_name_without_nul)
{
	struct ar a;
	struct cpio_file f;
	size_t off = 0;

	two_files(&a);
	a.buf[HDR + 5] = 'x';             /* "hello" NUL becomes 'x' */
	ck_assert_int_eq(cpio_next(a.buf, a.len, &off, &f), -EINVAL);
	two_files(&a);
	a.buf[HDR + 2] = 0;               /* "he\0lo": NUL inside the name */
	ck_assert_int_eq(cpio_next(a.buf, a.len, &off, &f), -EINVAL);
}
END_TEST

START_TEST(next_rejects_data_past_end)
{
	struct ar a = { .len = 0 };
	struct cpio_file f;
	size_t off = 0;

	ar_file(&a, "a", "abcd");
	ck_assert_int_eq(next_on_copy(&a, a.len - 1, &off, &f), -EINVAL);
	ar_set_field(&a, 0, F_FILESIZE, "00000005");
	ck_assert_int_eq(next_on_copy(&a, a.len, &off, &f), -EINVAL);
	ar_set_field(&a, 0, F_FILESIZE, "FFFFFFFF");
	ck_assert_int_eq(next_on_copy(&a, a.len, &off, &f), -EINVAL);
	ck_assert_uint_eq(off, 0);
}
END_TEST

START_TEST(next_rejects_short_header_and_bad_offset)
{
	struct ar a;
	struct cpio_file f;
	size_t off = 0;

	two_files(&a);
	for (size_t len = 1; len < HDR; len++) {
		off = 0;
		ck_assert_int_eq(next_on_copy(&a, len, &off, &f), -EINVAL);
	}
	off = a.len + 1;
	ck_assert_int_eq(cpio_next(a.buf, a.len, &off, &f), -EINVAL);
	off = (size_t)-1;
	ck_assert_int_eq(cpio_next(a.buf, a.len, &off, &f), -EINVAL);
}
END_TEST

/* Every prefix of a valid archive reads a prefix of its members, then ends
 * cleanly or with -EINVAL: never a read past len (guard page), never a loop. */
START_TEST(next_every_truncation_is_safe)
{
	struct ar a;
	struct cpio_file f;

	two_files(&a);
	for (size_t len = 0; len <= a.len; len++) {
		void *g = ut_guarded_copy(a.buf, len);
		size_t off = 0;
		int r, n = 0;
		while ((r = cpio_next(g, len, &off, &f)) == 0) {
			ck_assert_int_lt(++n, 3);
			ck_assert_uint_le((const char *)f.data - (const char *)g + f.size, len);
		}
		ck_assert_msg(r == 1 || r == -EINVAL, "len %zu r %d", len, r);
		if (len == a.len)
			ck_assert_int_eq(n, 2);
		ut_guarded_free(g, len);
	}
}
END_TEST

/* What the initramfs unpacker does to each member name before it looks
 * the path up: archives name the root ".", members "./bin" or "/bin". */
static const char *stripped(const char *name)
{
	static char out[64];
	const char *s = name;
	size_t n = strlen(name);

	cpio_strip_leading(&s, &n);
	memcpy(out, s, n);
	out[n] = 0;
	return out;
}

START_TEST(strip_leading_slash_and_dot_slash)
{
	ck_assert_str_eq(stripped("./bin/echo"), "bin/echo");
	ck_assert_str_eq(stripped("/etc/motd"), "etc/motd");
	ck_assert_str_eq(stripped(".//./bin"), "bin");
	ck_assert_str_eq(stripped("."), "");
	ck_assert_str_eq(stripped("./"), "");
	ck_assert_str_eq(stripped("bin/."), "bin/.");      /* only leading parts */
	ck_assert_str_eq(stripped("..x"), "..x");
}
END_TEST

/* Archives written by GNU cpio from the tree check.mk builds:
 * bin/echo ("echo-data\n"), bin/sh, etc/motd ("hello\n"), empty/. */
static void check_real_archive(const char *fixture)
{
	size_t len, off = 0;
	char *raw = ut_read_fixture(fixture, &len);
	void *buf = ut_guarded_copy(raw, len);
	struct cpio_file f;
	char got[512] = "";
	int r, echo = 0, motd = 0;

	while ((r = cpio_next(buf, len, &off, &f)) == 0) {
		const char *n = f.name;
		size_t nn = f.namelen;

		cpio_strip_leading(&n, &nn);
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%.*s:%o ", (int)nn, n,
		         (unsigned)f.mode & CPIO_S_IFMT);
		if (nn == 8 && memcmp(n, "bin/echo", 8) == 0) {
			ck_assert_uint_eq(f.size, 10);
			ck_assert_mem_eq(f.data, "echo-data\n", 10);
			echo = 1;
		}
		if (nn == 8 && memcmp(n, "etc/motd", 8) == 0) {
			ck_assert_mem_eq(f.data, "hello\n", 6);
			motd = 1;
		}
	}
	ck_assert_int_eq(r, 1);
	ck_assert(echo && motd);
	/* check.mk feeds the names to cpio sorted */
	ck_assert_str_eq(got, ":40000 bin:40000 bin/echo:100000 bin/sh:100000 empty:40000 "
	                 "etc:40000 etc/motd:100000 ");
	ut_guarded_free(buf, len);
	free(raw);
}

START_TEST(real_newc_archive)
{
	check_real_archive("tree-newc.cpio");
}
END_TEST

START_TEST(real_crc_archive)
{
	check_real_archive("tree-crc.cpio");
}
END_TEST

static Suite *cpio_suite(void)
{
	Suite *s = suite_create("cpio");
	TCase *next = tcase_create("next");
	TCase *names = tcase_create("names");
	TCase *real = tcase_create("real");

	tcase_add_test(next, next_reads_members_then_trailer);
	tcase_add_test(next, next_clean_end_without_trailer);
	tcase_add_test(next, next_tolerates_missing_final_pad);
	tcase_add_test(next, next_handles_every_alignment);
	tcase_add_test(next, next_accepts_crc_magic_and_lowercase_hex);
	tcase_add_test(next, next_rejects_bad_magic);
	tcase_add_test(next, next_rejects_non_hex_field);
	tcase_add_test(next, next_rejects_namesize_zero);
	tcase_add_test(next, next_rejects_name_past_end);
	tcase_add_test(next, next_rejects_name_without_nul);
	tcase_add_test(next, next_rejects_data_past_end);
	tcase_add_test(next, next_rejects_short_header_and_bad_offset);
	tcase_add_test(next, next_every_truncation_is_safe);
	tcase_add_test(names, strip_leading_slash_and_dot_slash);
	tcase_add_test(real, real_newc_archive);
	tcase_add_test(real, real_crc_archive);
	suite_add_tcase(s, next);
	suite_add_tcase(s, names);
	suite_add_tcase(s, real);
	return s;
}

int main(void)
{
	return ut_run(cpio_suite());
}
