/* The program text cache.  Copying a program's code into fresh frames at
 * every exec costs the copy and, under QEMU, translating the same code again
 * for its new physical address.  Read-only pages are instead built once, kept
 * (the cache holds a reference), and mapped into each process that runs the
 * program.  Bounded: a full cache just stops caching.  The frames it keeps
 * are counted as used by sysinfo. */
#include "proc/textcache.h"
#include "mm/pmm.h"
#include "arch/x86_64/memlayout.h"
#include "lib/string.h"

#define SLOTS 2048                  /* power of two: 8 MiB of text at most */

struct text_page {
	const u8 *file;
	u64 va;
	u64 pa;
};

static struct text_page cache[SLOTS];

bool text_page_shareable(const struct elf_image *elf, u64 va)
{
	bool mapped = false;

	for (int i = 0; i < elf->nsegs; i++) {
		const struct elf_seg *s = &elf->segs[i];
		if (s->vaddr >= va + PAGE_SIZE || s->vaddr + s->memsz <= va)
			continue;
		if (s->flags & ELF_PF_W)
			return false;
		mapped = true;
	}
	return mapped;
}

/* A new frame with the bytes every segment has in page va (zeros elsewhere). */
static u64 build_page(const u8 *file, const struct elf_image *elf, u64 va)
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

static size_t slot_of(const u8 *file, u64 va)
{
	u64 h = ((u64)file ^ (va * 0x9E3779B97F4A7C15UL)) >> 12;

	return (size_t)(h ^ (h >> 17)) & (SLOTS - 1);
}

u64 text_page(const u8 *file, const struct elf_image *elf, u64 va)
{
	size_t i = slot_of(file, va);
	u64 pa;

	for (size_t n = 0; n < SLOTS; n++, i = (i + 1) & (SLOTS - 1)) {
		struct text_page *t = &cache[i];
		if (t->file == file && t->va == va)
			return pmm_ref(t->pa) ? t->pa : build_page(file, elf, va);
		if (!t->file)
			break;
	}
	pa = build_page(file, elf, va);
	if (!pa || cache[i].file)        /* out of memory, or the cache is full */
		return pa;
	cache[i] = (struct text_page){ file, va, pa };
	(void)pmm_ref(pa);               /* the cache's own reference: a fresh frame has room */
	return pa;
}
