/* The program text cache.  Copying a program's code into fresh frames at
 * every exec costs the copy and, under QEMU, translating the same code again
 * for its new physical address.  Read-only pages are instead built once, kept
 * (the cache holds a reference), and mapped into each process that runs the
 * program.  Bounded: a full cache just stops caching.  The frames it keeps
 * are counted as used by sysinfo. */
#include "proc/textcache.h"
#include "mm/pmm.h"
#include "mm/filemap.h"
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

static size_t slot_of(const u8 *file, u64 va)
{
	u64 h = ((u64)file ^ (va * 0x9E3779B97F4A7C15UL)) >> 12;

	return (size_t)(h ^ (h >> 17)) & (SLOTS - 1);
}

/* The slot holding page va of file, or the empty slot where it would go;
 * NULL when it is not there and the cache is full. */
static struct text_page *slot_for(const u8 *file, u64 va)
{
	size_t i = slot_of(file, va);

	for (size_t n = 0; n < SLOTS; n++, i = (i + 1) & (SLOTS - 1)) {
		struct text_page *t = &cache[i];
		if ((t->file == file && t->va == va) || !t->file)
			return t;
	}
	return NULL;
}

/* Put a new frame for page va of file into the empty slot t: false when out of memory. */
static bool cache_page(struct text_page *t, const u8 *file, const struct elf_image *elf, u64 va)
{
	u64 pa = elf_page_frame(file, elf, va);

	if (!pa)
		return false;
	*t = (struct text_page){ file, va, pa };
	return true;
}

u64 text_page(const u8 *file, const struct elf_image *elf, u64 va)
{
	struct text_page *t = slot_for(file, va);

	if (t && !t->file && !cache_page(t, file, elf, va))
		return 0;
	if (t && pmm_ref(t->pa))
		return t->pa;
	return elf_page_frame(file, elf, va);    /* cache full, or the count saturated */
}

u64 text_page_cached(const u8 *file, u64 va)
{
	struct text_page *t = slot_for(file, va);

	return t && t->file && pmm_ref(t->pa) ? t->pa : 0;
}

/* Files whose every shareable page is cached (pages never leave the cache). */
#define FILLED_MAX 64
static const u8 *filled[FILLED_MAX];
static size_t nfilled;

void text_cache_fill(const u8 *file, const struct elf_image *elf)
{
	for (size_t i = 0; i < nfilled; i++)
		if (filled[i] == file)
			return;
	for (int i = 0; i < elf->nsegs; i++) {
		const struct elf_seg *s = &elf->segs[i];
		u64 end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
		for (u64 va = ALIGN_DOWN(s->vaddr, PAGE_SIZE); va < end; va += PAGE_SIZE) {
			struct text_page *t;
			if (!text_page_shareable(elf, va))
				continue;
			t = slot_for(file, va);
			if (!t || (!t->file && !cache_page(t, file, elf, va)))
				return;             /* full, or no memory: pages come one by one */
		}
	}
	if (nfilled < FILLED_MAX)
		filled[nfilled++] = file;
}
