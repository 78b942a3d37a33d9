/* Device memory in the kernel's address space: a physical range mapped with
 * 2 MiB pages into its own PML4 slot (KMAP_BASE), shared by every process
 * like the rest of the kernel half.  Boot only, before the first process. */
#include "mm/vm.h"
#include "mm/pmm.h"
#include "arch/x86_64/memlayout.h"
#include "lib/kprintf.h"

#define HUGE_PAGE (2UL << 20)

extern u64 boot_pml4[512];

static u64 *next_table(u64 *entry)
{
	if (!(*entry & PTE_P)) {
		u64 pa = pmm_alloc();
		if (!pa)
			return NULL;
		*entry = pa | PTE_P | PTE_W;
	}
	return P2V(*entry & PTE_ADDR);
}

void *kmap_phys(u64 pa, u64 size)
{
	static u64 next = KMAP_BASE;
	u64 va = next, start = ALIGN_DOWN(pa, HUGE_PAGE), end = ALIGN_UP(pa + size, HUGE_PAGE);

	if (end - start > KMAP_SIZE - (next - KMAP_BASE))
		return NULL;
	for (u64 p = start; p < end; p += HUGE_PAGE, next += HUGE_PAGE) {
		u64 *pdpt = next_table(&boot_pml4[(next >> 39) & 0x1FF]);
		u64 *pd = pdpt ? next_table(&pdpt[(next >> 30) & 0x1FF]) : NULL;
		if (!pd)
			return NULL;
		pd[(next >> 21) & 0x1FF] = p | PTE_P | PTE_W | PTE_PS | PTE_NX;
	}
	return (void *)(va + (pa - start));
}
