/*
 * suite_test_linux: clocks, sleeping and CPU time.  The wall clock is
 * today's date, not 1970; sleeps last at least what was asked (never judged
 * for speed: only the lower bound is a correctness property); CPU time
 * spent computing shows up as user time, of the process and, once reaped,
 * of its parent's children.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

static long usec_of(const struct timeval *tv)
{
	return tv->tv_sec * 1000000L + tv->tv_usec;
}

/* Compute until getrusage says at least ms of user time were spent (at
 * most 20 s of wall time, for a machine that never charges any): 0 when
 * it got there. */
static int burn_user_ms(long ms)
{
	struct timespec start, now;
	struct rusage ru;
	volatile unsigned long x = 1;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		for (int i = 0; i < 100000; i++)
			x = x * 6364136223846793005UL + 1;
		if (getrusage(RUSAGE_SELF, &ru) == 0 && usec_of(&ru.ru_utime) >= ms * 1000)
			return 0;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (ns_between(&start, &now) > 20000000000L)
			return -1;
	}
}

/* The 14th field of /proc/self/stat (utime, clock ticks), -1 if unreadable. */
static long stat_utime(void)
{
	char buf[1024], *p;
	FILE *f = fopen("/proc/self/stat", "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	long v = -1;

	if (f)
		fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');
	if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld", &v) != 1)
		v = -1;
	return v;
}

/* getrusage, times and /proc/PID/stat charge computing to user time; a
 * reaped child's time goes to wait4's rusage and the children times. */
int test_cpu_times(void)
{
	struct rusage ru, kids;
	struct tms t;
	clock_t t0, t1;
	pid_t pid;
	int st;

	t0 = times(&t);
	EXPECT_EQ(burn_user_ms(300), 0);
	t1 = times(&t);
	EXPECT(t1 - t0 >= 20);                          /* 300 ms passed: >= 30 ticks */
	EXPECT(t.tms_utime >= 30);
	EXPECT(stat_utime() >= 30);
	EXPECT_EQ(getrusage(RUSAGE_SELF, &ru), 0);
	EXPECT(usec_of(&ru.ru_stime) < usec_of(&ru.ru_utime));
	EXPECT(times(NULL) >= t1);
	pid = fork();
	if (pid == 0)
		_exit(burn_user_ms(200) == 0 ? 0 : 1);
	EXPECT_EQ(wait4(pid, &st, 0, &ru), pid);
	EXPECT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	EXPECT(usec_of(&ru.ru_utime) >= 200000);
	EXPECT_EQ(getrusage(RUSAGE_CHILDREN, &kids), 0);
	EXPECT(usec_of(&kids.ru_utime) >= 200000);
	EXPECT_EQ(times(&t) >= t1, 1);
	EXPECT(t.tms_cutime >= 20);
	EXPECT_EQ(RAW(SYS_getrusage, 42, &ru, 0, 0), -EINVAL);
	EXPECT_EQ(RAW(SYS_getrusage, RUSAGE_SELF, 8, 0, 0), -EFAULT);
	EXPECT_EQ(RAW(SYS_times, 8, 0, 0, 0), -EFAULT);
	return 0;
}
