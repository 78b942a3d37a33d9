/* Host tests for kernel/fs/ring.c: the byte FIFO under pipes and the console. */
#include "fs/ring.h"
#include "ut.h"

static struct ring r;

static void setup(void) { ring_init(&r); }

START_TEST(empty_ring)
{
	const u8 *p;
	u8 out[4];

	ck_assert_uint_eq(ring_len(&r), 0);
	ck_assert_uint_eq(ring_space(&r), RING_SIZE);
	ck_assert_uint_eq(ring_peek(&r, 0, &p), 0);
	ck_assert_uint_eq(ring_get(&r, out, sizeof(out)), 0);
}
END_TEST

START_TEST(fifo_order)
{
	char out[16] = { 0 };

	ck_assert_uint_eq(ring_put(&r, "abc", 3), 3);
	ck_assert_uint_eq(ring_put(&r, "defg", 4), 4);
	ck_assert_uint_eq(ring_get(&r, out, 2), 2);
	ck_assert_str_eq(out, "ab");
	ck_assert_uint_eq(ring_get(&r, out, sizeof(out) - 1), 5);
	out[5] = 0;
	ck_assert_str_eq(out, "cdefg");
	ck_assert_uint_eq(ring_len(&r), 0);
}
END_TEST

START_TEST(put_stops_when_full)
{
	static u8 big[RING_SIZE + 100];

	memset(big, 'x', sizeof(big));
	ck_assert_uint_eq(ring_put(&r, big, sizeof(big)), RING_SIZE);
	ck_assert_uint_eq(ring_space(&r), 0);
	ck_assert_uint_eq(ring_put(&r, "y", 1), 0);
}
END_TEST

/* Data that wraps past the end of the array comes back whole and in order,
 * and peek hands it out in two contiguous runs. */
START_TEST(wraps_around)
{
	static u8 in[RING_SIZE], out[RING_SIZE];
	const u8 *p;
	size_t run;

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (u8)(i * 7);
	ck_assert_uint_eq(ring_put(&r, in, RING_SIZE - 10), RING_SIZE - 10);
	ck_assert_uint_eq(ring_get(&r, out, RING_SIZE - 20), RING_SIZE - 20);
	/* 10 bytes stored just before the last 10 of the array; 100 more go
	 * across the edge: 10 at the end, 90 from the start */
	ck_assert_uint_eq(ring_put(&r, in + 1000, 100), 100);
	run = ring_peek(&r, 0, &p);
	ck_assert_uint_eq(run, 20);
	ck_assert_mem_eq(p + 10, in + 1000, 10);
	ck_assert_uint_eq(ring_peek(&r, 20, &p), 90);
	ck_assert_mem_eq(p, in + 1010, 90);
	ck_assert_uint_eq(ring_get(&r, out, sizeof(out)), 110);
	ck_assert_mem_eq(out, in + RING_SIZE - 20, 10);
	ck_assert_mem_eq(out + 10, in + 1000, 100);
}
END_TEST

/* Writers fill the free run in place and commit only what they wrote. */
START_TEST(free_run_commit)
{
	u8 *dst;
	size_t run = ring_free_run(&r, &dst);
	char out[8] = { 0 };

	ck_assert_uint_eq(run, RING_SIZE);
	memcpy(dst, "hello", 5);
	ring_commit(&r, 3);
	ck_assert_uint_eq(ring_len(&r), 3);
	ck_assert_uint_eq(ring_get(&r, out, sizeof(out)), 3);
	ck_assert_str_eq(out, "hel");
}
END_TEST

START_TEST(peek_skip_past_end)
{
	const u8 *p;

	ring_put(&r, "abc", 3);
	ck_assert_uint_eq(ring_peek(&r, 3, &p), 0);
	ck_assert_uint_eq(ring_peek(&r, 1, &p), 2);
	ck_assert_mem_eq(p, "bc", 2);
}
END_TEST

static Suite *ring_suite(void)
{
	Suite *s = suite_create("ring");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, empty_ring);
	tcase_add_test(tc, fifo_order);
	tcase_add_test(tc, put_stops_when_full);
	tcase_add_test(tc, wraps_around);
	tcase_add_test(tc, free_run_commit);
	tcase_add_test(tc, peek_skip_past_end);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_run(ring_suite());
}
