/* Kernel stacks: KSTACK_SIZE bytes each, mapped in their own region of the
 * kernel half with an unmapped guard page below every one.  A kernel stack
 * overflow faults on the guard; the fault cannot be pushed on the full stack,
 * so it becomes a double fault on its own IST stack: a panic naming it
 * (arch/x86_64/trap.c), never a silent overwrite of a neighbour. */
#ifndef MM_KSTACK_H
#define MM_KSTACK_H

#include "lib/types.h"

/* Reserve the region's page tables for as many stacks as RAM could hold
 * (boot, before the first address space is made: they are shared). */
void kstack_init(void);
/* A fresh zeroed stack's lowest address, or NULL (no memory, no slot). */
void *kstack_alloc(void);
/* Give back a stack kstack_alloc returned. */
void kstack_free(void *base);

#endif
