/* A program's file-backed pages, mapped on first touch (mm/filemap.c).
 * exec validates the ELF and attaches one of these to the new address
 * space instead of loading its segments; a page fault in a segment maps that
 * page: read-only pages of an unchanging file from the text cache (shared),
 * every other page a private frame filled from the file (zeros for .bss).
 * fork shares the map (it never changes after exec); the last address space
 * to drop it frees it. */
#ifndef MM_FILEMAP_H
#define MM_FILEMAP_H

#include "proc/elf.h"
#include "mm/kmalloc.h"

struct vmspace;

struct filemap {
	int refs;                 /* address spaces using it */
	const u8 *file;           /* the program's bytes: an initramfs file, or `owned` */
	void *owned;              /* kmalloc'ed copy of a file changed since boot, or NULL */
	bool stable;              /* file is initramfs bytes, which never change */
	struct elf_image elf;     /* the validated load plan */
};

/* A map of elf over file (stable: initramfs bytes; otherwise a kmalloc'ed
 * copy the map takes over and frees), one reference; NULL when no memory
 * (owned is then still the caller's). */
struct filemap *filemap_new(const u8 *file, void *owned, bool stable, const struct elf_image *elf);
/* A new zeroed frame holding the bytes every segment of elf has in page va
 * (zeros elsewhere: .bss, gaps), read from file; 0 when out of memory. */
u64 elf_page_frame(const u8 *file, const struct elf_image *elf, u64 va);
/* Map page va if a segment of vm's program covers it: 0, -EFAULT when none
 * does (or va is mapped already), -ENOMEM. */
int filemap_fault(struct vmspace *vm, u64 va);

static inline struct filemap *filemap_get(struct filemap *fm)
{
	if (fm)
		fm->refs++;
	return fm;
}

/* One reference less; freed (with its file copy) by the last. */
static inline void filemap_put(struct filemap *fm)
{
	if (fm && --fm->refs == 0) {
		kfree(fm->owned);
		kfree(fm);
	}
}

#endif
