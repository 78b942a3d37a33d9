/*
 * suite_test_linux: clocks and sleeping.  The wall clock is today's date,
 * not 1970; sleeps last at least what was asked (never judged for speed:
 * only the lower bound is a correctness property).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/time.h>
#include <time.h>

#include "libsyscall.h"
#include "levbox.h"
#include "suite.h"
#include "suite_linux.h"

#define RAW(nr, a, b, c, d) los_syscall6((nr), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define Y2024 1704067200L     /* 2024-01-01T00:00:00Z */

static long ns_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000000L + (b->tv_nsec - a->tv_nsec);
}

int test_wall_clock(void)
{
	struct timespec ts;
	struct timeval tv;
	long t, tl = 0;

	EXPECT_EQ(clock_gettime(CLOCK_REALTIME, &ts), 0);
	EXPECT(ts.tv_sec > Y2024);
	t = RAW(LOS_NR_time, &tl, 0, 0, 0);
	/* Linux's time() reads the clock as of the last tick: just after a
	 * second begins it may still say the one before. */
	EXPECT(t >= ts.tv_sec - 1 && t <= ts.tv_sec + 5);
	EXPECT_EQ(tl, t);
	EXPECT_EQ(gettimeofday(&tv, NULL), 0);
	EXPECT(tv.tv_sec >= ts.tv_sec && tv.tv_usec < 1000000);
	EXPECT_EQ(RAW(LOS_NR_clock_gettime, 99, &ts, 0, 0), -EINVAL);
	EXPECT_EQ(clock_getres(CLOCK_MONOTONIC, &ts), 0);
	EXPECT(ts.tv_sec == 0 && ts.tv_nsec > 0);
	EXPECT_EQ(RAW(LOS_NR_time, 8, 0, 0, 0), -EFAULT);
	return 0;
}

int test_nanosleep_sleeps(void)
{
	struct timespec a, b, req = { 0, 100000000 };

	EXPECT_EQ(clock_gettime(CLOCK_MONOTONIC, &a), 0);
	EXPECT_EQ(nanosleep(&req, NULL), 0);
	EXPECT_EQ(clock_gettime(CLOCK_MONOTONIC, &b), 0);
	EXPECT(ns_between(&a, &b) >= 100000000L);
	req.tv_nsec = 1000000000L;
	EXPECT_ERRNO(nanosleep(&req, NULL), EINVAL);
	req.tv_sec = -1;
	req.tv_nsec = 0;
	EXPECT_ERRNO(nanosleep(&req, NULL), EINVAL);
	EXPECT_EQ(RAW(LOS_NR_nanosleep, 8, 0, 0, 0), -EFAULT);
	return 0;
}

int test_clock_nanosleep_abs(void)
{
	struct timespec a, b, until;

	EXPECT_EQ(clock_gettime(CLOCK_MONOTONIC, &a), 0);
	until = a;
	until.tv_nsec += 50000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	EXPECT_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL), 0);
	EXPECT_EQ(clock_gettime(CLOCK_MONOTONIC, &b), 0);
	EXPECT(ns_between(&until, &b) >= 0);
	/* A time already past returns at once. */
	EXPECT_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &a, NULL), 0);
	b.tv_sec = 0;
	b.tv_nsec = 20000000L;
	EXPECT_EQ(clock_nanosleep(CLOCK_REALTIME, 0, &b, NULL), 0);
	EXPECT_EQ(clock_nanosleep(99, 0, &b, NULL), EINVAL);
	return 0;
}
