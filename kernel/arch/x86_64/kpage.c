/* The kernel's own page tables, W^X.  boot.S maps the first GiB of RAM with
 * 2 MiB pages, writable and executable, three times (identity, direct map,
 * image).  kpage_init replaces that before the first process exists (every
 * address space copies the kernel half of boot_pml4 then):
 *
 *   image (-2 GiB)   text read-only and executable; rodata read-only; data
 *                    and bss writable; the last two non-executable.  The page
 *                    below the boot stack is left unmapped (a guard).
 *   direct map       all RAM writable and non-executable, except the kernel
 *                    image's text and rodata, read-only there too.
 *   identity         gone.
 *
 * kpage_audit walks the whole kernel half once boot is done and prints how
 * many pages are both writable and executable (the tests require 0). */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/memlayout.h"
#include "mm/pmm.h"
#include "mm/vm.h"
#include "lib/kprintf.h"

#define HUGE_PAGE (2UL << 20)
#define TABLE (PTE_P | PTE_W)          /* intermediate entries: leaves decide */

extern u64 boot_pml4[512], boot_pdpt_high[512];
extern char _kernel_start[], _text_end[], _rodata_end[], _kernel_end[], boot_stack_guard[];

static u64 phys_of(const char *sym) { return (u64)sym - KERNEL_VMA; }

static u64 *new_table(u64 *pa)
{
	*pa = pmm_alloc();
	if (!*pa)
		panic("kpage: out of memory for the kernel's page tables");
	return P2V(*pa);
}

/* Leaf flags of physical page pa seen through the image (image = true) or
 * the direct map; 0 leaves it unmapped. */
static u64 page_flags(u64 pa, bool image)
{
	bool in_image = pa >= phys_of(_kernel_start) && pa < phys_of(_kernel_end);

	if (!in_image)
		return image ? 0 : PTE_P | PTE_W | PTE_NX;
	if (image && pa == phys_of(boot_stack_guard))
		return 0;
	if (pa < phys_of(_text_end))
		return image ? PTE_P : PTE_P | PTE_NX;
	if (pa < phys_of(_rodata_end))
		return PTE_P | PTE_NX;
	return PTE_P | PTE_W | PTE_NX;
}

/* A page table of 4 KiB pages for the 2 MiB at physical base. */
static u64 small_pages(u64 base, bool image)
{
	u64 pa, *pt = new_table(&pa);

	for (int i = 0; i < 512; i++) {
		u64 page = base + (u64)i * PAGE_SIZE, f = page_flags(page, image);
		pt[i] = f ? page | f : 0;
	}
	return pa | TABLE;
}

/* The direct map of the first GiB: 2 MiB pages, but 4 KiB ones where the
 * kernel image lies.  Returns the new PDPT's physical address. */
static u64 build_direct_map(void)
{
	u64 pdpt_pa, pd_pa, *pdpt = new_table(&pdpt_pa), *pd = new_table(&pd_pa);
	u64 img_lo = ALIGN_DOWN(phys_of(_kernel_start), HUGE_PAGE), img_hi = phys_of(_kernel_end);

	for (int i = 0; i < 512; i++) {
		u64 base = (u64)i * HUGE_PAGE;
		pd[i] = base >= img_lo && base < img_hi ? small_pages(base, false)
						      : base | PTE_P | PTE_W | PTE_PS | PTE_NX;
	}
	pdpt[0] = pd_pa | TABLE;
	return pdpt_pa;
}

/* The image at -2 GiB: only its own pages.  Returns the new PD. */
static u64 build_image_map(void)
{
	u64 pd_pa, *pd = new_table(&pd_pa);

	for (u64 base = 0; base < phys_of(_kernel_end); base += HUGE_PAGE)
		pd[base / HUGE_PAGE] = small_pages(base, true);
	return pd_pa;
}

void kpage_init(void)
{
	u64 dmap = build_direct_map(), image = build_image_map();

	boot_pml4[0] = 0;                                  /* identity: boot only */
	boot_pml4[(DMAP_BASE >> 39) & 0x1FF] = dmap | TABLE;
	boot_pdpt_high[510] = image | TABLE;
	write_cr3(read_cr3());
}

/* Leaf entries under entry (at level: 3 PDPT, 2 PD, 1 PT) that are writable
 * and executable, counted in 4 KiB pages. */
static u64 count_wx(u64 entry, int level)
{
	u64 *t = P2V(entry & PTE_ADDR), n = 0;

	for (int i = 0; i < 512; i++) {
		u64 e = t[i];
		if (!(e & PTE_P))
			continue;
		if (level > 1 && !(e & PTE_PS))
			n += count_wx(e, level - 1);
		else if ((e & PTE_W) && !(e & PTE_NX))
			n += 1UL << (9 * (level - 1));
	}
	return n;
}

void kpage_audit(void)
{
	u64 wx = 0;

	for (int i = 256; i < 512; i++)
		if (boot_pml4[i] & PTE_P)
			wx += count_wx(boot_pml4[i], 3);
	kprintf("kpage: kernel W^X: %lu writable and executable pages\r\n", wx);
}
