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

static void ar_dir(struct ar *a, const char *name)
{
	ar_add(a, name, 0040755, "", 0);
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

/* Offset of the second member of a well-formed archive. */
static size_t second_member(const struct ar *a)
{
	struct cpio_file f;
	size_t off = 0;

	ck_assert_int_eq(cpio_next(a->buf, a->len, &off, &f), 0);
	return off;
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

static void sample_tree(struct ar *a)
{
	a->len = 0;
	ar_dir(a, ".");
	ar_dir(a, "./bin");
	ar_add(a, "./bin/echo", 0100755, "echo!", 5);
	ar_file(a, "./bin/cat", "cat!");
	ar_file(a, "etc/motd", "welcome");       /* etc is implicit */
	ar_file(a, "/README", "read me");        /* absolute name */
	ar_dir(a, "empty");
	ar_file(a, "usr/share/doc/x", "deep");   /* usr, usr/share, ... implicit */
	ar_trailer(a);
}

START_TEST(find_strips_slash_and_dot_slash)
{
	struct ar a;
	struct cpio_file f;

	sample_tree(&a);
	ck_assert_int_eq(cpio_find(a.buf, a.len, "/bin/echo", &f), 0);
	ck_assert_uint_eq(f.size, 5);
	ck_assert_mem_eq(f.data, "echo!", 5);
	ck_assert_str_eq(f.name, "./bin/echo");
	ck_assert_int_eq(cpio_find(a.buf, a.len, "bin/cat", &f), 0);
	ck_assert_mem_eq(f.data, "cat!", 4);
	ck_assert_int_eq(cpio_find(a.buf, a.len, "/etc/motd", &f), 0);
	ck_assert_int_eq(cpio_find(a.buf, a.len, "README", &f), 0);
	ck_assert_int_eq(cpio_find(a.buf, a.len, "./usr/share/doc/x", &f), 0);
	ck_assert_mem_eq(f.data, "deep", 4);
	ck_assert_int_eq(cpio_find(a.buf, a.len, "/bin", &f), 0);
	ck_assert(CPIO_S_ISDIR(f.mode));
}
END_TEST

START_TEST(find_is_exact)
{
	static const char *absent[] = { "bin/ech", "bin/echo2", "bin/echo/", "usr", "etc",
	                                "BIN/ECHO", "in/echo", "TRAILER!!!", "//bin/cat/" };
	struct ar a;
	struct cpio_file f;

	sample_tree(&a);
	ck_assert_int_eq(cpio_find(a.buf, a.len, "bin", &f), 0);   /* explicit dir */
	for (size_t i = 0; i < ARRAY_LEN(absent); i++)
		ck_assert_msg(cpio_find(a.buf, a.len, absent[i], &f) == -ENOENT, "%s", absent[i]);
	/* "" and "/" are the root, which the "." member names. */
	ck_assert_int_eq(cpio_find(a.buf, a.len, "/", &f), 0);
	ck_assert_str_eq(f.name, ".");
	two_files(&a);
	ck_assert_int_eq(cpio_find(a.buf, a.len, "/", &f), -ENOENT);
	ck_assert_int_eq(cpio_find(a.buf, a.len, "hell", &f), -ENOENT);
}
END_TEST

START_TEST(find_reports_malformed_before_match)
{
	struct ar a;
	struct cpio_file f;
	size_t second;

	two_files(&a);
	second = second_member(&a);
	ck_assert_uint_eq(second, 132);  /* "hello\0" pads to 116, 13 data bytes to 132 */
	ck_assert_int_eq(memcmp(a.buf + second, "070701", 6), 0);
	a.buf[second] = 'X';
	ck_assert_int_eq(cpio_find(a.buf, a.len, "hello", &f), 0);   /* before the damage */
	ck_assert_int_eq(cpio_find(a.buf, a.len, "bin/x", &f), -EINVAL);
	ck_assert_int_eq(cpio_find(a.buf, a.len, "nothere", &f), -EINVAL);
}
END_TEST

START_TEST(is_dir_explicit_implicit_and_root)
{
	static const char *dirs[] = { "", "/", ".", "./", "bin", "/bin", "bin/", "./bin",
	                              "etc", "/etc/", "empty", "usr", "usr/share",
	                              "/usr/share/doc" };
	static const char *not_dirs[] = { "bin/echo", "README", "bi", "et", "etc/motd/",
	                                  "nothere", "usr/share/doc/x", "usr/sha", "empty/x" };
	struct ar a;

	sample_tree(&a);
	for (size_t i = 0; i < ARRAY_LEN(dirs); i++)
		ck_assert_msg(cpio_is_dir(a.buf, a.len, dirs[i]), "%s should be a dir", dirs[i]);
	for (size_t i = 0; i < ARRAY_LEN(not_dirs); i++)
		ck_assert_msg(!cpio_is_dir(a.buf, a.len, not_dirs[i]), "%s is not a dir", not_dirs[i]);
}
END_TEST

/* Collect a whole listing as "name:mode" words joined by spaces. */
static int list_all(const struct ar *a, const char *dir, char *out, size_t outlen)
{
	struct cpio_file f;
	size_t off = 0;
	int r;

	out[0] = 0;
	while ((r = cpio_list_dir(a->buf, a->len, dir, &off, &f)) == 0) {
		size_t used = strlen(out);
		snprintf(out + used, outlen - used, "%s%.*s:%o", used ? " " : "",
		         (int)f.namelen, f.name, f.mode);
	}
	return r;
}

START_TEST(list_dir_root_and_subdirs)
{
	struct ar a;
	char got[512];

	sample_tree(&a);
	ck_assert_int_eq(list_all(&a, "/", got, sizeof(got)), 1);
	ck_assert_str_eq(got, "bin:40755 etc:40755 README:100644 empty:40755 usr:40755");
	ck_assert_int_eq(list_all(&a, "", got, sizeof(got)), 1);
	ck_assert_str_eq(got, "bin:40755 etc:40755 README:100644 empty:40755 usr:40755");
	ck_assert_int_eq(list_all(&a, "bin", got, sizeof(got)), 1);
	ck_assert_str_eq(got, "echo:100755 cat:100644");
	ck_assert_int_eq(list_all(&a, "/bin/", got, sizeof(got)), 1);
	ck_assert_str_eq(got, "echo:100755 cat:100644");
	ck_assert_int_eq(list_all(&a, "etc", got, sizeof(got)), 1);
	ck_assert_str_eq(got, "motd:100644");
	ck_assert_int_eq(list_all(&a, "usr/share", got, sizeof(got)), 1);
	ck_assert_str_eq(got, "doc:40755");
	ck_assert_int_eq(list_all(&a, "empty", got, sizeof(got)), 1);
	ck_assert_str_eq(got, "");
	ck_assert_int_eq(list_all(&a, "nothere", got, sizeof(got)), 1);
	ck_assert_str_eq(got, "");
	ck_assert_int_eq(list_all(&a, "bin/echo", got, sizeof(got)), 1);
	ck_assert_str_eq(got, "");
}
END_TEST

START_TEST(list_dir_entry_fields)
{
	struct ar a;
	struct cpio_file f;
	size_t off = 0;

	sample_tree(&a);
	/* explicit file: basename is the NUL-terminated tail of the member name */
	ck_assert_int_eq(cpio_list_dir(a.buf, a.len, "bin", &off, &f), 0);
	ck_assert_uint_eq(f.namelen, 4);
	ck_assert_str_eq(f.name, "echo");
	ck_assert_uint_eq(f.size, 5);
	ck_assert_mem_eq(f.data, "echo!", 5);
	/* implicit dir: name points into "etc/motd", not NUL-terminated */
	off = 0;
	ck_assert_int_eq(cpio_list_dir(a.buf, a.len, "/", &off, &f), 0);   /* bin */
	ck_assert_int_eq(cpio_list_dir(a.buf, a.len, "/", &off, &f), 0);   /* etc */
	ck_assert_uint_eq(f.namelen, 3);
	ck_assert_mem_eq(f.name, "etc/motd", 8);
	ck_assert_ptr_null(f.data);
	ck_assert_uint_eq(f.size, 0);
	ck_assert_uint_eq(f.mode, CPIO_IMPLICIT_DIR_MODE);
}
END_TEST

START_TEST(list_dir_returns_each_child_once)
{
	struct ar a = { .len = 0 };
	char got[512];

	ar_file(&a, "d/x/1", "");
	ar_file(&a, "a", "first");
	ar_file(&a, "d/x/2", "");
	ar_file(&a, "./a", "second");      /* same name again (an appended archive) */
	ar_dir(&a, "d");                   /* explicit, after its implicit uses */
	ar_file(&a, "d/y", "");
	ar_file(&a, "/d/x/3", "");
	ar_trailer(&a);
	ck_assert_int_eq(list_all(&a, "/", got, sizeof(got)), 1);
	ck_assert_str_eq(got, "d:40755 a:100644");
	ck_assert_int_eq(list_all(&a, "d", got, sizeof(got)), 1);
	ck_assert_str_eq(got, "x:40755 y:100644");
	ck_assert_int_eq(list_all(&a, "d/x", got, sizeof(got)), 1);
	ck_assert_str_eq(got, "1:100644 2:100644 3:100644");
}
END_TEST

/* The cursor is the only state: two listings interleave, and a finished one
 * keeps answering 1. */
START_TEST(list_dir_is_resumable)
{
	struct ar a;
	struct cpio_file f1, f2;
	size_t o1 = 0, o2 = 0;

	sample_tree(&a);
	ck_assert_int_eq(cpio_list_dir(a.buf, a.len, "/", &o1, &f1), 0);
	ck_assert_int_eq(cpio_list_dir(a.buf, a.len, "bin", &o2, &f2), 0);
	ck_assert_mem_eq(f1.name, "bin", 3);
	ck_assert_str_eq(f2.name, "echo");
	ck_assert_int_eq(cpio_list_dir(a.buf, a.len, "/", &o1, &f1), 0);
	ck_assert_mem_eq(f1.name, "etc", 3);
	ck_assert_int_eq(cpio_list_dir(a.buf, a.len, "bin", &o2, &f2), 0);
	ck_assert_str_eq(f2.name, "cat");
	ck_assert_int_eq(cpio_list_dir(a.buf, a.len, "bin", &o2, &f2), 1);
	ck_assert_int_eq(cpio_list_dir(a.buf, a.len, "bin", &o2, &f2), 1);
}
END_TEST

START_TEST(list_dir_reports_malformed)
{
	struct ar a;
	struct cpio_file f;
	size_t off = 0;

	two_files(&a);
	a.buf[second_member(&a)] = 'X';   /* second member's magic */
	ck_assert_int_eq(cpio_list_dir(a.buf, a.len, "/", &off, &f), 0);
	ck_assert_str_eq(f.name, "hello");
	ck_assert_int_eq(cpio_list_dir(a.buf, a.len, "/", &off, &f), -EINVAL);
}
END_TEST

/* Archives written by GNU cpio from the tree check.mk builds:
 * bin/echo ("echo-data\n"), bin/sh, etc/motd ("hello\n"), empty/. */
static void check_real_archive(const char *fixture)
{
	size_t len;
	char *raw = ut_read_fixture(fixture, &len);
	void *buf = ut_guarded_copy(raw, len);
	struct cpio_file f;
	struct ar a;
	char got[512];

	ck_assert_int_eq(cpio_find(buf, len, "/bin/echo", &f), 0);
	ck_assert_uint_eq(f.size, 10);
	ck_assert_mem_eq(f.data, "echo-data\n", 10);
	ck_assert_uint_eq(f.mode & CPIO_S_IFMT, CPIO_S_IFREG);
	ck_assert_int_eq(cpio_find(buf, len, "etc/motd", &f), 0);
	ck_assert_mem_eq(f.data, "hello\n", 6);
	ck_assert_int_eq(cpio_find(buf, len, "/nope", &f), -ENOENT);
	ck_assert(cpio_is_dir(buf, len, "/empty"));
	ck_assert(cpio_is_dir(buf, len, "bin"));
	ck_assert(!cpio_is_dir(buf, len, "bin/echo"));

	ck_assert_uint_le(len, sizeof(a.buf));
	memcpy(a.buf, buf, len);
	a.len = len;
	ck_assert_int_eq(list_all(&a, "/", got, sizeof(got)), 1);
	/* check.mk feeds the names to cpio sorted */
	ck_assert_str_eq(got, "bin:40755 empty:40755 etc:40755");
	ck_assert_int_eq(list_all(&a, "/bin", got, sizeof(got)), 1);
	ck_assert_str_eq(got, "echo:100755 sh:100755");
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
	TCase *find = tcase_create("find");
	TCase *dirs = tcase_create("dirs");
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
	tcase_add_test(find, find_strips_slash_and_dot_slash);
	tcase_add_test(find, find_is_exact);
	tcase_add_test(find, find_reports_malformed_before_match);
	tcase_add_test(dirs, is_dir_explicit_implicit_and_root);
	tcase_add_test(dirs, list_dir_root_and_subdirs);
	tcase_add_test(dirs, list_dir_entry_fields);
	tcase_add_test(dirs, list_dir_returns_each_child_once);
	tcase_add_test(dirs, list_dir_is_resumable);
	tcase_add_test(dirs, list_dir_reports_malformed);
	tcase_add_test(real, real_newc_archive);
	tcase_add_test(real, real_crc_archive);
	suite_add_tcase(s, next);
	suite_add_tcase(s, find);
	suite_add_tcase(s, dirs);
	suite_add_tcase(s, real);
	return s;
}

int main(void)
{
	return ut_run(cpio_suite());
}
