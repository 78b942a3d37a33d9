/* Virtual memory layout.
 *
 *   0x0000000000001000 .. USER_TOP       user space (PML4 slots 0..255), per process;
 *                                         its top USER_STACK_MAX is the demand-zero stack
 *   DMAP_BASE ..                          all physical memory, mapped 1:1 (slot 256)
 *   KMAP_BASE ..                          device memory, e.g. the trace buffer (slot 258)
 *   KSTACK_BASE ..                        kernel stacks, each above an unmapped guard
 *                                         page (slot 259, mm/kstack.c)
 *   KERNEL_VMA + 1 MiB                    the kernel image (slot 511, -2 GiB)
 */
#ifndef ARCH_MEMLAYOUT_H
#define ARCH_MEMLAYOUT_H

#define KERNEL_VMA 0xFFFFFFFF80000000
#define DMAP_BASE 0xFFFF800000000000
#define DMAP_SIZE (1UL << 30)          /* boot maps the first 1 GiB of RAM */
#define KMAP_BASE 0xFFFF810000000000   /* device memory (mm/kmap.c), PML4 slot 258 */
#define KMAP_SIZE (1UL << 39)
#define KSTACK_BASE 0xFFFF818000000000 /* kernel stacks (mm/kstack.c), PML4 slot 259 */
#define KSTACK_AREA (1UL << 39)
#define USER_TOP 0x0000800000000000UL  /* first non-user address */
#define USER_STACK_TOP 0x00007FFFFFFFF000UL
#define USER_STACK_MAX (8UL << 20)     /* reserved for the stack, mapped when touched */
#define USER_STACK_BOTTOM (USER_STACK_TOP - USER_STACK_MAX)
#define USER_MMAP_BASE 0x0000100000000000UL
#define KSTACK_SIZE (16 * 1024)

#ifndef __ASSEMBLER__
#include "lib/types.h"
static inline void *P2V(u64 pa) { return (void *)(pa + DMAP_BASE); }
static inline u64 V2P(const void *va)
{
	u64 v = (u64)va;
	return v >= KERNEL_VMA ? v - KERNEL_VMA : v - DMAP_BASE;
}
#endif

#endif
