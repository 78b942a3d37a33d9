/* Time: the TSC, calibrated once at boot against PIT channel 2, gives
 * nanoseconds since boot for clock_gettime and sleeping deadlines
 * (benchmarks time themselves in the guest with it). */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu.h"

#define PIT_HZ 1193182
#define WINDOW_TICKS 597              /* 0.5 ms of PIT input clock */
#define WINDOWS 7

static u64 tsc_boot, ns_mult;         /* ns = (cycles * ns_mult) >> 32 */

/* TSC cycles per second over one PIT window.  Under QEMU the TSC is the
 * host's and the PIT follows the host's clock, so the count is right unless
 * the host deschedules QEMU between a TSC read and the PIT event beside it:
 * late after the edge makes the figure too high (seen: 2%, 36%, 20 times on
 * a loaded host), late after the start too low. */
static u64 window_hz(void)
{
	u64 t0, t1;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01);   /* gate channel 2 on, speaker off */
	outb(0x43, 0xB0);                          /* channel 2, lo/hi, mode 0 */
	outb(0x42, WINDOW_TICKS & 0xFF);
	outb(0x42, WINDOW_TICKS >> 8);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20))                /* OUT2 rises when the count ends */
		;
	t1 = rdtsc();
	return (t1 - t0) * PIT_HZ / WINDOW_TICKS;
}

/* The second lowest of WINDOWS windows: the disturbed ones are nearly all
 * too high, and one too low is passed over.  One 2 ms window gave boots
 * whose clocks differed by a fifth and more, which moved every figure a
 * benchmark timed in that boot. */
void tsc_calibrate(void)
{
	u64 hz[WINDOWS], h;

	for (int i = 0; i < WINDOWS; i++) {
		h = window_hz();
		int j = i;
		for (; j > 0 && hz[j - 1] > h; j--)
			hz[j] = hz[j - 1];
		hz[j] = h;
	}
	h = hz[1];
	ns_mult = h ? (1000000000UL << 32) / h : 0;
	tsc_boot = rdtsc();
}

u64 clock_ns(void)
{
	unsigned __int128 cycles = rdtsc() - tsc_boot;

	return (u64)((cycles * ns_mult) >> 32);
}
