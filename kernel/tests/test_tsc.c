/* Host tests for kernel/arch/x86_64/tsc.c's calibration, on a simulated
 * machine: a TSC at a known rate and PIT channel 2 counting down in
 * simulated time, each port read taking a microsecond.  The host may
 * "deschedule" QEMU right before chosen TSC reads (a delay added to the
 * simulated time), as a loaded host does: the clock must still be right. */
#include "arch/x86_64/arch.h"
#include "ut.h"

#define TSC_HZ 2100000000ULL
#define PIT_HZ 1193182ULL

static u64 now_ps;                 /* simulated time, picoseconds */
static u64 pit_end_ps;             /* when OUT2 rises */
static u8 pit_lo, pit_bytes;
static unsigned rdtsc_calls;
static u64 delay_before[64];       /* ps added before rdtsc call i */

u8 shim_inb(u16 port)
{
	now_ps += 1000000;             /* an I/O exit: 1 us */
	if (port == 0x61)
		return now_ps >= pit_end_ps ? 0x20 : 0;
	return 0;
}

void shim_outb(u16 port, u8 v)
{
	now_ps += 1000000;
	if (port == 0x43)
		pit_bytes = 0;
	if (port != 0x42)
		return;
	if (pit_bytes++ == 0) {
		pit_lo = v;
		return;
	}
	pit_end_ps = now_ps + (u64)(pit_lo | v << 8) * 1000000000000ULL / PIT_HZ;
}

u64 shim_rdtsc(void)
{
	if (rdtsc_calls < 64)
		now_ps += delay_before[rdtsc_calls];
	rdtsc_calls++;
	return (u64)((unsigned __int128)now_ps * TSC_HZ / 1000000000000ULL);
}

/* clock_ns over one simulated second after calibration, in ns. */
static u64 measured_second(void)
{
	u64 a, b;

	tsc_calibrate();
	a = clock_ns();
	now_ps += 1000000000000ULL;
	b = clock_ns();
	return b - a;
}

static void expect_within(u64 ns, u64 want, u64 tolerance)
{
	u64 off = ns > want ? ns - want : want - ns;

	ck_assert_msg(off <= tolerance, "one second measured as %lu ns", (unsigned long)ns);
}

START_TEST(undisturbed_calibration_is_exact)
{
	expect_within(measured_second(), 1000000000, 5000000);      /* 0.5% */
}
END_TEST

/* Delays before the TSC read after a window's edge make that window's
 * figure too high (the first: 80 us, as a cold first window costs; another
 * 20 ms, a descheduled QEMU); one before a window's first read makes it too
 * low.  None may move the clock by more than 0.5% (the
 * granularity of a 0.5 ms window polled every microsecond). */
START_TEST(disturbed_windows_do_not_move_the_clock)
{
	delay_before[1] = 80000000;        /* first window's end */
	delay_before[5] = 20000000000ULL;  /* third window's end */
	delay_before[8] = 100000000;       /* fifth window's start */
	expect_within(measured_second(), 1000000000, 5000000);
}
END_TEST

static Suite *tsc_suite(void)
{
	Suite *s = suite_create("tsc");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, undisturbed_calibration_is_exact);
	tcase_add_test(tc, disturbed_windows_do_not_move_the_clock);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	setenv("CK_FORK", "yes", 1);       /* fresh calibration state per test */
	return ut_run(tsc_suite());
}
