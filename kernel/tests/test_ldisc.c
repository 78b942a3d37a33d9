/* Host tests for kernel/fs/ldisc.c: the console's line discipline, in
 * canonical mode (editing, echo, one line per read, Ctrl-D) and raw mode
 * (bytes readable at once, ECHO and ICRNL as set). */
#include "fs/ldisc.h"
#include "ut.h"

static struct ldisc ld;
static char echoed[8192];
static size_t echo_len;

static void echo(const char *s, size_t n)
{
	ck_assert_uint_le(echo_len + n, sizeof(echoed));
	memcpy(echoed + echo_len, s, n);
	echo_len += n;
}

static void setup(void)
{
	ldisc_init(&ld);
	echo_len = 0;
	memset(echoed, 0, sizeof(echoed));
}

/* Type every byte of s; returns how many inputs completed a line. */
static int type(const char *s)
{
	int lines = 0;

	for (; *s; s++)
		lines += ldisc_input(&ld, (u8)*s, echo);
	return lines;
}

/* One read of up to n bytes as a NUL-terminated string in buf. */
static size_t rd(char *buf, size_t n)
{
	size_t got = ldisc_read(&ld, buf, n);

	buf[got] = 0;
	return got;
}

START_TEST(nothing_until_enter)
{
	char buf[64];

	ck_assert_int_eq(type("ls"), 0);
	ck_assert(!ldisc_ready(&ld));
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 0);
	ck_assert_int_eq(type("\r"), 1);
	ck_assert(ldisc_ready(&ld));
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 3);
	ck_assert_str_eq(buf, "ls\n");
	ck_assert(!ldisc_ready(&ld));
}
END_TEST

START_TEST(echo_as_typed)
{
	type("ab\r");
	ck_assert_uint_eq(echo_len, 4);
	ck_assert_mem_eq(echoed, "ab\r\n", 4);
}
END_TEST

START_TEST(newline_also_ends_line)
{
	char buf[64];

	ck_assert_int_eq(type("x\n"), 1);
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 2);
	ck_assert_str_eq(buf, "x\n");
}
END_TEST

START_TEST(backspace_and_delete_erase)
{
	char buf[64];

	type("abc\x7f" "d\x08" "e\r");
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 4);
	ck_assert_str_eq(buf, "abe\n");
	ck_assert_uint_eq(echo_len, 13);
	ck_assert_mem_eq(echoed, "abc\b \bd\b \be\r\n", 13);
}
END_TEST

START_TEST(backspace_on_empty_line_does_nothing)
{
	char buf[64];

	type("\x7f\x7f" "a\r");
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 2);
	ck_assert_str_eq(buf, "a\n");
	ck_assert_mem_eq(echoed, "a\r\n", 3);
}
END_TEST

/* A read takes at most one line, even with room for more. */
START_TEST(one_line_per_read)
{
	char buf[64];

	ck_assert_int_eq(type("one\rtwo\r"), 2);
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 4);
	ck_assert_str_eq(buf, "one\n");
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 4);
	ck_assert_str_eq(buf, "two\n");
}
END_TEST

/* A short read leaves the rest of the line for the next read. */
START_TEST(short_read_keeps_rest)
{
	char buf[64];

	type("hello\rnext\r");
	ck_assert_uint_eq(rd(buf, 2), 2);
	ck_assert_str_eq(buf, "he");
	ck_assert_uint_eq(rd(buf, 10), 4);
	ck_assert_str_eq(buf, "llo\n");
	ck_assert_uint_eq(rd(buf, 10), 5);
	ck_assert_str_eq(buf, "next\n");
}
END_TEST

START_TEST(ctrl_d_on_empty_line_is_eof)
{
	char buf[64];

	ck_assert_int_eq(type("\x04"), 1);
	ck_assert(ldisc_ready(&ld));
	ck_assert(ldisc_at_eof(&ld));
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 0);
	ck_assert(!ldisc_ready(&ld));      /* the EOF was consumed */
}
END_TEST

START_TEST(ctrl_d_delivers_partial_line)
{
	char buf[64];

	ck_assert_int_eq(type("abc\x04"), 1);
	ck_assert(!ldisc_at_eof(&ld));
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 3);
	ck_assert_str_eq(buf, "abc");
	ck_assert(!ldisc_ready(&ld));
}
END_TEST

START_TEST(eof_between_lines)
{
	char buf[64];

	type("a\r\x04" "b\r");
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 2);
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 0);
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 2);
	ck_assert_str_eq(buf, "b\n");
}
END_TEST

START_TEST(empty_line_is_just_newline)
{
	char buf[64];

	ck_assert_int_eq(type("\r"), 1);
	ck_assert(!ldisc_at_eof(&ld));
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 1);
	ck_assert_str_eq(buf, "\n");
}
END_TEST

START_TEST(control_bytes_ignored)
{
	char buf[64];

	type("a\x01\x1b" "b\tc\r");
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 5);
	ck_assert_str_eq(buf, "ab\tc\n");
}
END_TEST

/* A line longer than the edit buffer keeps its first LDISC_EDIT_MAX bytes. */
START_TEST(overlong_line_is_cut)
{
	static char buf[LDISC_EDIT_MAX + 8];

	for (int i = 0; i < LDISC_EDIT_MAX + 5; i++)
		ldisc_input(&ld, 'x', echo);
	ck_assert_int_eq(type("\r"), 1);
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), LDISC_EDIT_MAX + 1);
	ck_assert_int_eq(buf[LDISC_EDIT_MAX], '\n');
	ck_assert(memchr(echoed, '\a', echo_len) != NULL);
}
END_TEST

/* The peek/consume pair the kernel uses: runs never cross a line's end. */
START_TEST(peek_stops_at_line_end)
{
	const u8 *p;

	type("ab\rcd\r");
	ck_assert_uint_eq(ldisc_line_left(&ld), 3);
	ck_assert_uint_eq(ldisc_peek(&ld, &p), 3);
	ck_assert_mem_eq(p, "ab\n", 3);
	ldisc_consume(&ld, 1);
	ck_assert_uint_eq(ldisc_peek(&ld, &p), 2);
	ldisc_consume(&ld, 2);
	ck_assert_uint_eq(ldisc_line_left(&ld), 3);
	ck_assert_uint_eq(ldisc_peek(&ld, &p), 3);
	ck_assert_mem_eq(p, "cd\n", 3);
}
END_TEST

/* When LDISC_LINES lines wait unread, more input is refused, not lost. */
START_TEST(full_queue_refuses_lines)
{
	char buf[8];

	for (int i = 0; i < LDISC_LINES; i++)
		ck_assert_int_eq(type("q\r"), 1);
	ck_assert_int_eq(type("z\r"), 0);
	for (int i = 0; i < LDISC_LINES; i++) {
		ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 2);
		ck_assert_str_eq(buf, "q\n");
	}
	ck_assert(!ldisc_ready(&ld));
	ck_assert_int_eq(type("\r"), 1);     /* "z" was kept in the edit line */
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 2);
	ck_assert_str_eq(buf, "z\n");
}
END_TEST

static const struct ldisc_mode raw_noecho = { .canon = false, .echo = false, .icrnl = true };

/* Raw mode: each byte is readable as soon as it is typed, unedited, and a
 * read takes every byte typed so far (up to n). */
START_TEST(raw_bytes_readable_at_once)
{
	char buf[16];

	ldisc_set_mode(&ld, raw_noecho);
	ck_assert_int_eq(type("a"), 1);
	ck_assert(ldisc_ready(&ld));
	ck_assert_int_eq(type("b\x7f\x04\r"), 4);
	ck_assert_uint_eq(ldisc_unread(&ld), 5);
	ck_assert_uint_eq(rd(buf, 2), 2);
	ck_assert_str_eq(buf, "ab");
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 3);
	ck_assert_mem_eq(buf, "\x7f\x04\n", 3);     /* DEL, Ctrl-D as data; CR -> NL */
	ck_assert(!ldisc_ready(&ld));
	ck_assert_uint_eq(echo_len, 0);                /* ECHO off */
}
END_TEST

START_TEST(raw_echo_and_no_icrnl)
{
	char buf[8];
	struct ldisc_mode m = { .canon = false, .echo = true, .icrnl = false };

	ldisc_set_mode(&ld, m);
	type("x\r");
	ck_assert_uint_eq(echo_len, 2);
	ck_assert_mem_eq(echoed, "x\r", 2);
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 2);
	ck_assert_str_eq(buf, "x\r");
}
END_TEST

/* Leaving canonical mode hands over the half-typed line; coming back, lines
 * are edited again and queue after what raw mode left. */
START_TEST(mode_switches_keep_input)
{
	char buf[16];
	struct ldisc_mode canon = { .canon = true, .echo = true, .icrnl = true };

	type("ls");
	ck_assert(!ldisc_ready(&ld));
	ldisc_set_mode(&ld, raw_noecho);
	ck_assert_uint_eq(ldisc_unread(&ld), 2);
	type("-l");
	ldisc_set_mode(&ld, canon);
	type("pw\x7f" "d\r");
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 4);
	ck_assert_str_eq(buf, "ls-l");
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 3);
	ck_assert_str_eq(buf, "pd\n");
}
END_TEST

/* Canonical mode with ECHO off (a password prompt): edited, not echoed. */
START_TEST(canonical_without_echo)
{
	char buf[8];
	struct ldisc_mode m = { .canon = true, .echo = false, .icrnl = true };

	ldisc_set_mode(&ld, m);
	type("ab\x7f" "c\r");
	ck_assert_uint_eq(echo_len, 0);
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 3);
	ck_assert_str_eq(buf, "ac\n");
}
END_TEST

START_TEST(flush_drops_everything)
{
	char buf[8];

	type("one\rtw");
	ldisc_flush(&ld);
	ck_assert(!ldisc_ready(&ld));
	type("o\r");
	ck_assert_uint_eq(rd(buf, sizeof(buf) - 1), 2);
	ck_assert_str_eq(buf, "o\n");
}
END_TEST

static Suite *ldisc_suite(void)
{
	Suite *s = suite_create("ldisc");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, nothing_until_enter);
	tcase_add_test(tc, echo_as_typed);
	tcase_add_test(tc, newline_also_ends_line);
	tcase_add_test(tc, backspace_and_delete_erase);
	tcase_add_test(tc, backspace_on_empty_line_does_nothing);
	tcase_add_test(tc, one_line_per_read);
	tcase_add_test(tc, short_read_keeps_rest);
	tcase_add_test(tc, ctrl_d_on_empty_line_is_eof);
	tcase_add_test(tc, ctrl_d_delivers_partial_line);
	tcase_add_test(tc, eof_between_lines);
	tcase_add_test(tc, empty_line_is_just_newline);
	tcase_add_test(tc, control_bytes_ignored);
	tcase_add_test(tc, overlong_line_is_cut);
	tcase_add_test(tc, peek_stops_at_line_end);
	tcase_add_test(tc, full_queue_refuses_lines);
	tcase_add_test(tc, raw_bytes_readable_at_once);
	tcase_add_test(tc, raw_echo_and_no_icrnl);
	tcase_add_test(tc, mode_switches_keep_input);
	tcase_add_test(tc, canonical_without_echo);
	tcase_add_test(tc, flush_drops_everything);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_run(ldisc_suite());
}
