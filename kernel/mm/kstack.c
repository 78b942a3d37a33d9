/* Kernel stacks with guard pages: see kstack.h.  Slot i occupies
 * [KSTACK_BASE + i * STRIDE, + STRIDE): one unmapped guard page, then the
 * stack.  The page tables of every slot are made at boot, so a stack costs
 * exactly its own frames and gives them all back when freed (freeram is
 * exact whatever number of processes came and went). */
#include "mm/kstack.h"
#include "mm/pmm.h"
#include "mm/vm.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/memlayout.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define KSTACK_PAGES ((int)(KSTACK_SIZE / PAGE_SIZE))
#define STRIDE (KSTACK_SIZE + PAGE_SIZE)
#define MAX_SLOTS (PMM_MAX_BYTES / KSTACK_SIZE)     /* RAM cannot hold more */

extern u64 boot_pml4[512];

static u64 slot_used[MAX_SLOTS / 64];
static size_t nslots, hint;

/* The PTE of kernel address va in the stack region; tables made on the way
 * when create (boot only).  NULL when absent. */
static u64 *kwalk(u64 va, bool create)
{
	u64 *t = boot_pml4;

	for (int level = 3; level > 0; level--) {
		u64 *e = &t[(va >> (12 + 9 * level)) & 0x1FF];
		if (!(*e & PTE_P)) {
			u64 pa = create ? pmm_alloc() : 0;
			if (!pa)
				return NULL;
			*e = pa | PTE_P | PTE_W;
		}
		t = P2V(*e & PTE_ADDR);
	}
	return &t[(va >> 12) & 0x1FF];
}

static u64 slot_base(size_t i) { return KSTACK_BASE + i * STRIDE + PAGE_SIZE; }

void kstack_init(void)
{
	nslots = MIN(MAX_SLOTS, pmm_total_frames() / (size_t)KSTACK_PAGES);
	for (size_t i = 0; i < nslots; i++)
		for (int k = 0; k < KSTACK_PAGES; k++)
			if (!kwalk(slot_base(i) + (u64)k * PAGE_SIZE, true))
				panic("kstack: no memory for the stack region's tables");
}

/* A free slot (marked used), or nslots when none. */
static size_t take_slot(void)
{
	for (size_t n = 0; n < nslots; n++) {
		size_t i = (hint + n) % nslots;
		if (!(slot_used[i / 64] & (1UL << (i % 64)))) {
			slot_used[i / 64] |= 1UL << (i % 64);
			hint = i + 1;
			return i;
		}
	}
	return nslots;
}

static void unmap_pages(u64 base, int n)
{
	for (int k = 0; k < n; k++) {
		u64 *pte = kwalk(base + (u64)k * PAGE_SIZE, false);
		pmm_free(*pte & PTE_ADDR);
		*pte = 0;
		invlpg(base + (u64)k * PAGE_SIZE);
	}
}

void *kstack_alloc(void)
{
	size_t i = take_slot();
	u64 base;

	if (i == nslots)
		return NULL;
	base = slot_base(i);
	for (int k = 0; k < KSTACK_PAGES; k++) {
		u64 pa = pmm_alloc();
		if (!pa) {
			unmap_pages(base, k);
			slot_used[i / 64] &= ~(1UL << (i % 64));
			return NULL;
		}
		*kwalk(base + (u64)k * PAGE_SIZE, false) = pa | PTE_P | PTE_W | PTE_NX;
	}
	return (void *)base;
}

void kstack_free(void *p)
{
	u64 base = (u64)p;
	size_t i = (base - KSTACK_BASE) / STRIDE;

	if (base < KSTACK_BASE || i >= nslots || base != slot_base(i) ||
	    !(slot_used[i / 64] & (1UL << (i % 64))))
		panic("kstack_free: bad stack %p", p);
	unmap_pages(base, KSTACK_PAGES);
	slot_used[i / 64] &= ~(1UL << (i % 64));
}
