/* Physical frame allocator: one bit per 4 KiB frame of the direct-mapped RAM. */
#ifndef MM_PMM_H
#define MM_PMM_H

#include "lib/types.h"

#define PMM_MAX_BYTES (1UL << 30)     /* what the boot direct map covers */

void pmm_add_region(u64 base, u64 len);   /* usable RAM (from the memory map) */
void pmm_reserve(u64 base, u64 len);      /* never hand these frames out */

u64 pmm_alloc(void);                /* a zeroed frame's physical address, 0 if none */
u64 pmm_alloc_contig(size_t n);     /* n contiguous zeroed frames, 0 if none */
/* A frame NOT zeroed, for a caller that overwrites all of it at once (fork's
 * page copies): clearing it first would be wasted work. */
u64 pmm_alloc_for_copy(void);
u64 pmm_alloc_contig_for_copy(size_t n);   /* the same, n contiguous frames (kmalloc) */
void pmm_free(u64 pa);                  /* one reference less; freed at zero */
/* pmm_free of a frame the caller left all zeros (an emptied page table): a
 * later pmm_alloc may hand it out again without clearing it. */
void pmm_free_zeroed(u64 pa);
/* One more user of an allocated frame; false (nothing changed) when its count
 * is saturated: the caller must then use a copy of the frame, never share it. */
bool pmm_ref(u64 pa);
void pmm_free_contig(u64 pa, size_t n);  /* pmm_free of each of n frames from pa */
/* How many users an allocated frame has (1: the caller's reference is the
 * only one, so a copy-on-write page may simply be made writable). */
size_t pmm_refcount(u64 pa);

size_t pmm_free_frames(void);
size_t pmm_total_frames(void);

#endif
