/* Power off with a verdict for scripts/levitate-qemu, in two steps because
 * QEMU's isa-debug-exit (port 0xF4) carries only 7 bits of status:
 *   1. the verdict as one line on the status port (an isa-debugcon at 0x4F4
 *      that the launcher reads back): "exit N" (init exited with code
 *      0..255), "signal N" (init was killed by signal N) or "panic";
 *   2. POWER_OFF_DONE to isa-debug-exit: QEMU exits with (value << 1) | 1,
 *      which tells the launcher the guest powered off on purpose (a reset,
 *      a QEMU error or a quit ends QEMU with another status). */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu.h"
#include "lib/kprintf.h"

#define DEBUG_EXIT_PORT 0xF4
#define STATUS_PORT 0x4F4
#define POWER_OFF_DONE 0x2A     /* QEMU's exit status 85 */

/* Write the verdict line for a wait status (or POWER_OFF_PANIC) to the status port. */
static void write_verdict(int wait_status)
{
	char line[32];
	int n;

	if (wait_status == POWER_OFF_PANIC)
		n = ksnprintf(line, sizeof(line), "panic\n");
	else if (wait_status & 0x7F)
		n = ksnprintf(line, sizeof(line), "signal %d\n", wait_status & 0x7F);
	else
		n = ksnprintf(line, sizeof(line), "exit %d\n", (wait_status >> 8) & 0xFF);
	for (int i = 0; i < n && i < (int)sizeof(line) - 1; i++)
		outb(STATUS_PORT, (u8)line[i]);
}

void power_off(int wait_status)
{
	cli();
	write_verdict(wait_status);
	outl(DEBUG_EXIT_PORT, POWER_OFF_DONE);
	/* Without the device (plain QEMU run) just stop. */
	for (;;)
		hlt();
}
