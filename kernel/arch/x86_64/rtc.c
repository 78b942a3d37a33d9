/* The CMOS real-time clock, read once at boot: the wall clock's starting
 * point (CLOCK_REALTIME = this + time since boot, see syscall/sys_time.c). */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu.h"
#include "lib/string.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define REG_A 0x0A                 /* bit 7: an update is in progress */
#define REG_B 0x0B                 /* bit 2: binary (else BCD); bit 1: 24-hour */
#define REG_CENTURY 0x32           /* the usual (ACPI FADT default) place */

static u8 cmos(u8 reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static u32 bcd(u8 v, bool binary)
{
	return binary ? v : (v >> 4) * 10 + (v & 0x0F);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static i64 days_from_civil(i64 y, u32 m, u32 d)
{
	i64 era;
	u32 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (u32)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (i64)doe - 719468;
}

/* One consistent reading of the clock as seconds since the epoch (UTC, as
 * QEMU keeps it by default).  Read twice until equal, after any update. */
static i64 rtc_read(void)
{
	u8 r[7], prev[7];
	u8 regs[7] = { 0x00, 0x02, 0x04, 0x07, 0x08, 0x09, REG_CENTURY };
	bool binary, pm, h24;
	u32 hour, year;

	do {
		while (cmos(REG_A) & 0x80)
			;
		for (int i = 0; i < 7; i++)
			prev[i] = cmos(regs[i]);
		while (cmos(REG_A) & 0x80)
			;
		for (int i = 0; i < 7; i++)
			r[i] = cmos(regs[i]);
	} while (memcmp(r, prev, sizeof(r)) != 0);
	binary = cmos(REG_B) & 0x04;
	h24 = cmos(REG_B) & 0x02;
	pm = !h24 && (r[2] & 0x80);
	hour = bcd(r[2] & 0x7F, binary);
	if (!h24)
		hour = hour % 12 + (pm ? 12 : 0);
	year = bcd(r[5], binary) + 100 * (r[6] ? bcd(r[6], binary) : 20);
	return days_from_civil(year, bcd(r[4], binary), bcd(r[3], binary)) * 86400 +
	    hour * 3600 + bcd(r[1], binary) * 60 + bcd(r[0], binary);
}

static i64 boot_epoch_ns;

void rtc_init(void)
{
	boot_epoch_ns = rtc_read() * 1000000000L - (i64)clock_ns();
}

i64 wall_clock_offset_ns(void)
{
	return boot_epoch_ns;
}
