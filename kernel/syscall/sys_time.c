/* Clocks and sleeping.  Time since boot is the TSC (clock_ns); the wall
 * clock is that plus the CMOS clock read at boot (arch/x86_64/rtc.c).
 * Sleeps end on the first timer tick after their deadline (10 ms ticks). */
#include "arch/x86_64/arch.h"
#include "proc/proc.h"
#include "mm/usercopy.h"
#include "lib/errno.h"
#include "gen/syscall_decl.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_TAI 11
#define TIMER_ABSTIME 1
#define NS 1000000000L

struct timespec {
	i64 tv_sec;
	i64 tv_nsec;
};

struct timeval {
	i64 tv_sec;
	i64 tv_usec;
};

static char sleep_chan;          /* nothing wakes it: sleepers wait for their deadline */

static i64 realtime_ns(void)
{
	return wall_clock_offset_ns() + (i64)clock_ns();
}

/* A clock's reading in ns, or -EINVAL for an unknown id.  CPU-time clocks
 * read as time since boot: nothing counts CPU time per process yet. */
static i64 clock_read(long clockid)
{
	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		return realtime_ns();
	case CLOCK_MONOTONIC:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return (i64)clock_ns();
	default:
		return -EINVAL;
	}
}

static struct timespec to_timespec(i64 ns)
{
	return (struct timespec){ ns / NS, ns % NS };
}

long sys_clock_gettime(long clockid, uptr tp)
{
	i64 ns = clock_read(clockid);
	struct timespec ts;

	if (ns < 0)
		return -EINVAL;
	ts = to_timespec(ns);
	return copyout(tp, &ts, sizeof(ts));
}

/* Every clock ticks in nanoseconds. */
long sys_clock_getres(long clockid, uptr res)
{
	struct timespec one = { 0, 1 };

	if (clock_read(clockid) < 0)
		return -EINVAL;
	return res ? copyout(res, &one, sizeof(one)) : 0;
}

long sys_gettimeofday(uptr tv, uptr tz)
{
	i64 ns = realtime_ns();
	struct timeval t = { ns / NS, (ns % NS) / 1000 };
	u32 zone[2] = { 0, 0 };    /* UTC, no daylight saving */

	if (tv && copyout(tv, &t, sizeof(t)) < 0)
		return -EFAULT;
	if (tz && copyout(tz, zone, sizeof(zone)) < 0)
		return -EFAULT;
	return 0;
}

/* Seconds since the epoch, also stored at tloc when it is not NULL. */
long sys_time(uptr tloc)
{
	i64 sec = realtime_ns() / NS;

	if (tloc && copyout(tloc, &sec, sizeof(sec)) < 0)
		return -EFAULT;
	return sec;
}

/* A user timespec as ns: -EFAULT, or -EINVAL out of range (Linux's rule). */
static i64 timespec_in(uptr uts)
{
	struct timespec ts;

	if (copyin(&ts, uts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NS)
		return -EINVAL;
	if (ts.tv_sec > (i64)(~0UL >> 2) / NS)
		return (i64)(~0UL >> 2);     /* far future: sleep "forever" */
	return ts.tv_sec * NS + ts.tv_nsec;
}

/* Sleep until clock_ns() reaches deadline: 0, or -ERESTART_RESTARTBLOCK
 * when a signal ends the sleep first: EINTR after a handler; with no handler
 * (a stop, an ignored signal) restart_syscall resumes it, same deadline. */
static long sleep_until_ns(u64 deadline)
{
	while (clock_ns() < deadline) {
		if (signal_pending())
			return -ERESTART_RESTARTBLOCK;
		sleep_until(&sleep_chan, deadline);
	}
	return 0;
}

/* After an interrupted sleep: the time left to *rem (if asked), as Linux. */
static long sleep_left(long r, u64 deadline, uptr rem)
{
	u64 now = clock_ns(), left = deadline > now ? deadline - now : 0;
	struct timespec ts = { (i64)(left / NS), (i64)(left % NS) };

	if (r < 0 && rem && copyout(rem, &ts, sizeof(ts)) < 0)
		return -EFAULT;
	return r;
}

static long sleep_resume(void);

/* Sleep to deadline; if interrupted, leave restart_syscall the way back. */
static long sleep_to(u64 deadline, uptr rem)
{
	long r = sleep_left(sleep_until_ns(deadline), deadline, rem);

	if (r == -ERESTART_RESTARTBLOCK)
		signal_set_restart(sleep_resume, deadline, rem);
	return r;
}

/* restart_syscall after an interrupted nanosleep or clock_nanosleep. */
static long sleep_resume(void)
{
	const struct sigstate *s = &myproc()->sig;

	return sleep_to(s->restart_deadline, s->restart_rem);
}

long sys_nanosleep(uptr req, uptr rem)
{
	i64 ns = timespec_in(req);
	u64 deadline;

	if (ns < 0)
		return ns;
	deadline = clock_ns() + (u64)ns;
	return sleep_to(deadline, rem);
}

/* Relative, or with TIMER_ABSTIME until the clock reads the given time. */
long sys_clock_nanosleep(long clockid, u64 flags, uptr req, uptr rem)
{
	i64 now = clock_read(clockid), ns;
	u64 deadline;

	if (now < 0 || clockid == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;
	if ((ns = timespec_in(req)) < 0)
		return ns;
	if (flags & TIMER_ABSTIME)
		ns = ns > now ? ns - now : 0;
	deadline = clock_ns() + (u64)ns;
	/* An absolute sleep has no time left to report. */
	return sleep_to(deadline, (flags & TIMER_ABSTIME) ? 0 : rem);
}
