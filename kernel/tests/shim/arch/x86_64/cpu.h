/* Test shim for arch/x86_64/cpu.h (host unit tests of mm/vm.c, mm/pmm.c).
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

static inline u64 read_cr3(void) { return shim_cr3; }
static inline void write_cr3(u64 v) { shim_cr3 = v; shim_cr3_writes++; }
static inline void invlpg(u64 va)
{
	if (shim_invlpg_count < SHIM_INVLPG_LOG)
		shim_invlpg_log[shim_invlpg_count] = va;
	shim_invlpg_count++;
}

#endif
