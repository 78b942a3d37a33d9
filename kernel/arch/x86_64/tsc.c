/* Time: the TSC, calibrated once at boot against PIT channel 2, gives
 * nanoseconds since boot for clock_gettime and sleeping deadlines
 * (benchmarks time themselves in the guest with it). */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu.h"

#define PIT_HZ 1193182
#define CALIBRATE_TICKS 2386          /* 2 ms of PIT input clock */

static u64 tsc_boot, ns_mult;         /* ns = (cycles * ns_mult) >> 32 */

void tsc_calibrate(void)
{
	u64 t0, t1, hz;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01);   /* gate channel 2 on, speaker off */
	outb(0x43, 0xB0);                          /* channel 2, lo/hi, mode 0 */
	outb(0x42, CALIBRATE_TICKS & 0xFF);
	outb(0x42, CALIBRATE_TICKS >> 8);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20))                /* OUT2 rises when the count ends */
		;
	t1 = rdtsc();
	hz = (t1 - t0) * PIT_HZ / CALIBRATE_TICKS;
	ns_mult = hz ? (1000000000UL << 32) / hz : 0;
	tsc_boot = t1;
}

u64 clock_ns(void)
{
	unsigned __int128 cycles = rdtsc() - tsc_boot;

	return (u64)((cycles * ns_mult) >> 32);
}
