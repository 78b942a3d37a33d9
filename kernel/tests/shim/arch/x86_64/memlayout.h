/* Test shim for arch/x86_64/memlayout.h: the real layout constants, but a
 * simulated direct map.  Physical address pa lives at shim_ram + pa, a host
 * buffer of shim_ram_size bytes (sim_machine.h); touching a physical address
 * outside it is a bug in the code under test and aborts the test. */
#ifndef SHIM_ARCH_MEMLAYOUT_H
#define SHIM_ARCH_MEMLAYOUT_H

/* The real header, its direct-map helpers renamed out of the way. */
#define P2V real_P2V
#define V2P real_V2P
#include "../../../../arch/x86_64/memlayout.h"
#undef P2V
#undef V2P

extern u8 *shim_ram;
extern u64 shim_ram_size;
void shim_bad_address(u64 pa) __attribute__((noreturn));

static inline void *P2V(u64 pa)
{
	if (pa >= shim_ram_size)
		shim_bad_address(pa);
	return shim_ram + pa;
}

/* Inverse of P2V inside the simulated RAM; other addresses (the kernel's
 * own tables, such as boot_pml4) pass through unchanged. */
static inline u64 V2P(const void *va)
{
	const u8 *v = va;

	if (v >= shim_ram && v < shim_ram + shim_ram_size)
		return (u64)(v - shim_ram);
	return (u64)v;
}

#endif
