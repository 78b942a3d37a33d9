/* Read-only program pages, built once per program and shared by every
 * process that runs it. */
#ifndef PROC_TEXTCACHE_H
#define PROC_TEXTCACHE_H

#include "proc/elf.h"

/* Whether page va of elf holds only read-only segment bytes (no writable
 * segment touches it), so one frame can serve every process. */
bool text_page_shareable(const struct elf_image *elf, u64 va);
/* The frame for page va of the program whose file bytes are `file` (an
 * initramfs file: it never changes), with one reference for the caller; built
 * on first use and cached.  0 when out of memory. */
u64 text_page(const u8 *file, const struct elf_image *elf, u64 va);
/* The cached frame of page va of file with one reference for the caller,
 * or 0 when it is not cached (nothing is built). */
u64 text_page_cached(const u8 *file, u64 va);
/* Build every shareable page of the program at once (exec: nothing is
 * mapped then, mm/filemap.c), so the cache's memory is taken when a program
 * starts, as it always was, and not in the middle of a run, where a test
 * would count it as lost.  Cheap for a program seen before. */
void text_cache_fill(const u8 *file, const struct elf_image *elf);

#endif
