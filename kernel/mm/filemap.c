/* Lazy exec: a program's segment pages are mapped when first touched, not
 * copied at exec (see filemap.h).  A program that touches a tenth of its
 * image pays for a tenth; exec itself costs a page table and the stack.
 *
 * The bytes come from a file that cannot change under the running program:
 * an initramfs file's archive bytes (never written: the RAM root copies a
 * file into frames at its first change, ramdata.c), or the copy exec made of
 * a file changed since boot, which the map owns.  So a file rewritten or
 * unlinked after exec never changes the image, as on Linux (ETXTBSY aside). */
#include "mm/filemap.h"
#include "mm/vm.h"
#include "mm/pmm.h"
#include "proc/textcache.h"
#include "arch/x86_64/memlayout.h"
#include "lib/errno.h"
#include "lib/string.h"

struct filemap *filemap_new(const u8 *file, void *owned, bool stable, const struct elf_image *elf)
{
	struct filemap *fm = kmalloc(sizeof(*fm));

	if (!fm)
		return NULL;
	fm->refs = 1;
	fm->file = file;
	fm->owned = owned;
	fm->stable = stable;
	fm->elf = *elf;
	return fm;
}

/* The PTE flags for a user page with these segment permissions. */
static u64 pte_flags(bool write, bool exec)
{
	return PTE_U | (write ? PTE_W : 0) | (exec ? 0 : PTE_NX);
}

/* The PTE flags of page va: the permissions of every segment in it
 * together (segments may share a page, never a byte, as the eager loader
 * ORed them); 0 when no segment is there.  *shareable says whether no
 * segment in it is writable (text_page_shareable, in the same pass). */
static u64 page_flags(const struct elf_image *elf, u64 va, bool *shareable)
{
	bool any = false, exec = false, write = false;

	for (int i = 0; i < elf->nsegs; i++) {
		const struct elf_seg *s = &elf->segs[i];
		if (s->vaddr >= va + PAGE_SIZE || s->vaddr + s->memsz <= va)
			continue;
		any = true;
		exec |= (s->flags & ELF_PF_X) != 0;
		write |= (s->flags & ELF_PF_W) != 0;
	}
	*shareable = any && !write;
	return any ? pte_flags(write, exec) : 0;
}

/* See filemap.h. */
u64 elf_page_frame(const u8 *file, const struct elf_image *elf, u64 va)
{
	u64 pa = pmm_alloc();

	for (int i = 0; pa && i < elf->nsegs; i++) {
		const struct elf_seg *s = &elf->segs[i];
		u64 from = MAX(va, s->vaddr), to = MIN(va + PAGE_SIZE, s->vaddr + s->filesz);
		if (from < to)
			memcpy((u8 *)P2V(pa) + (from - va), file + s->offset + (from - s->vaddr), to - from);
	}
	return pa;
}

/* Fault-around, as Linux's (64 KiB): a read-only page of an unchanging
 * file brings its cached neighbours in the same aligned 16 pages, so a
 * program's code costs one fault per 64 KiB it runs, not one per page.
 * Only frames already in the text cache (exec filled it): nothing is built
 * or copied, and a page that is not there just faults later. */
#define AROUND_PAGES 16

/* The pages wholly inside the first segment that meets page va, as
 * [*lo, *hi) (maybe empty), and their PTE flags: no other segment has a
 * byte in them, so page_flags would give the same for each. */
static u64 whole_pages(const struct elf_image *elf, u64 va, u64 *lo, u64 *hi)
{
	*lo = *hi = 0;
	for (int i = 0; i < elf->nsegs; i++) {
		const struct elf_seg *s = &elf->segs[i];
		if (s->vaddr >= va + PAGE_SIZE || s->vaddr + s->memsz <= va)
			continue;
		*lo = ALIGN_UP(s->vaddr, PAGE_SIZE);
		*hi = ALIGN_DOWN(s->vaddr + s->memsz, PAGE_SIZE);
		return pte_flags(s->flags & ELF_PF_W, s->flags & ELF_PF_X);
	}
	return 0;
}

/* The flags page a gets in fault-around, 0 when it is not a read-only page
 * of the program: the segment's [lo, hi) flags inside it, else a pass over
 * the segments. */
static u64 around_flags(const struct elf_image *elf, u64 a, u64 lo, u64 hi, u64 seg)
{
	bool shareable;
	u64 flags;

	if (a >= lo && a < hi)
		return (seg & PTE_W) ? 0 : seg;
	flags = page_flags(elf, a, &shareable);
	return shareable ? flags : 0;
}

static void map_around(struct vmspace *vm, const struct filemap *fm, u64 va)
{
	u64 start = ALIGN_DOWN(va, AROUND_PAGES * PAGE_SIZE), lo, hi;
	u64 seg = whole_pages(&fm->elf, va, &lo, &hi);

	for (u64 a = start; a < start + AROUND_PAGES * PAGE_SIZE; a += PAGE_SIZE) {
		u64 flags, pa;
		int err;
		if (a == va || !(flags = around_flags(&fm->elf, a, lo, hi, seg)) ||
		    !(pa = text_page_cached(fm->file, a)))
			continue;
		err = vm_map_frame(vm, a, pa, flags);
		if (err < 0)
			pmm_free(pa);       /* mapped already, or no memory: */
		if (err == -ENOMEM)
			return;             /* the pages come one by one then */
	}
}

int filemap_fault(struct vmspace *vm, u64 va)
{
	struct filemap *fm = vm->file;
	bool shared;
	u64 flags, pa;
	int err;

	if (!fm || !(flags = page_flags(&fm->elf, va, &shared)))
		return -EFAULT;
	/* Read-only bytes of an unchanging file: one frame for every process. */
	shared = shared && fm->stable;
	pa = shared ? text_page(fm->file, &fm->elf, va) : elf_page_frame(fm->file, &fm->elf, va);
	if (!pa)
		return -ENOMEM;
	if ((err = vm_map_frame(vm, va, pa, flags)) < 0) {
		pmm_free(pa);
		return err == -EEXIST ? 0 : err;    /* mapped already: just retry the access */
	}
	if (shared)
		map_around(vm, fm, va);
	return 0;
}
