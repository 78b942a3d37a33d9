/* Host tests for kernel/lib/string.c's memcpy and memset: every length up
 * to a few blocks of the unrolled loop, every alignment of source and
 * destination, against byte loops; the bytes around the target must stay as
 * they were.  check.mk renames the kernel's functions (k_memcpy, ...) so the
 * test links against libc without a clash, and this file uses no libc
 * string function. */
#include "lib/string.h"
#include "ut.h"

#define AREA 512
#define MAXLEN 300

static u8 dst[AREA], src[AREA], want[AREA];

static void fill(u8 *buf, u8 seed)
{
	for (int i = 0; i < AREA; i++)
		buf[i] = (u8)(seed + i * 7);
}

static void expect_area(size_t len, size_t off)
{
	for (int i = 0; i < AREA; i++)
		if (dst[i] != want[i])
			ck_abort_msg("len %zu off %zu: byte %d is %#x, want %#x", len, off, i, dst[i], want[i]);
}

START_TEST(memset_fills_exactly_its_range)
{
	for (size_t off = 0; off < 16; off++)
		for (size_t len = 0; len <= MAXLEN; len++) {
			fill(dst, 1);
			fill(want, 1);
			for (size_t i = 0; i < len; i++)
				want[off + i] = 0xA5;
			ck_assert_ptr_eq(memset(dst + off, 0xA5, len), dst + off);
			expect_area(len, off);
		}
}
END_TEST

START_TEST(memcpy_copies_exactly_its_range)
{
	fill(src, 99);
	for (size_t so = 0; so < 16; so++)
		for (size_t doff = 0; doff < 16; doff++)
			for (size_t len = 0; len <= MAXLEN; len += (len < 140 ? 1 : 13)) {
				fill(dst, 3);
				fill(want, 3);
				for (size_t i = 0; i < len; i++)
					want[doff + i] = src[so + i];
				ck_assert_ptr_eq(memcpy(dst + doff, src + so, len), dst + doff);
				expect_area(len, doff);
			}
}
END_TEST

static Suite *string_suite(void)
{
	Suite *s = suite_create("string");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, memset_fills_exactly_its_range);
	tcase_add_test(tc, memcpy_copies_exactly_its_range);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_run(string_suite());
}
