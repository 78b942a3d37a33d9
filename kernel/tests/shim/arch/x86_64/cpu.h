/* Test shim for arch/x86_64/cpu.h (host unit tests of mm/vm.c, mm/pmm.c,
 * arch/x86_64/tsc.c).
 * check.mk puts kernel/tests/shim before kernel on the include path, so the
 * module under test gets these instead of privileged instructions: CR3 is a
 * variable (its writes counted) and invlpg a counter with a log of the first
 * SHIM_INVLPG_LOG addresses, all defined by sim_machine.h. */
#ifndef SHIM_ARCH_CPU_H
#define SHIM_ARCH_CPU_H

#include "lib/types.h"

#define SHIM_INVLPG_LOG 256

extern u64 shim_cr3;                 /* what the "CPU" would have loaded */
extern unsigned long shim_cr3_writes;
extern unsigned long shim_invlpg_count;
extern u64 shim_invlpg_log[SHIM_INVLPG_LOG];

/* Port I/O and the TSC, for the tests of arch/x86_64/tsc.c: the test file
 * defines these (a simulated PIT and clock). */
u8 shim_inb(u16 port);
void shim_outb(u16 port, u8 v);
u64 shim_rdtsc(void);
static inline u8 inb(u16 port) { return shim_inb(port); }
static inline void outb(u16 port, u8 v) { shim_outb(port, v); }
static inline u64 rdtsc(void) { return shim_rdtsc(); }

static inline u64 read_cr3(void) { return shim_cr3; }
static inline void write_cr3(u64 v) { shim_cr3 = v; shim_cr3_writes++; }
static inline void invlpg(u64 va)
{
	if (shim_invlpg_count < SHIM_INVLPG_LOG)
		shim_invlpg_log[shim_invlpg_count] = va;
	shim_invlpg_count++;
}

#endif
