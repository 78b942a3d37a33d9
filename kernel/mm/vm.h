/* User address spaces: a 4-level page table whose upper half is the kernel's
 * (shared PDPTs), plus the bookkeeping brk and mmap need. */
#ifndef MM_VM_H
#define MM_VM_H

#include "lib/types.h"

#define PTE_P (1UL << 0)
#define PTE_W (1UL << 1)
#define PTE_U (1UL << 2)
#define PTE_PS (1UL << 7)
#define PTE_SHARED (1UL << 9)   /* software bit: MAP_SHARED, fork shares the frame */
#define PTE_NX (1UL << 63)
#define PTE_ADDR 0x000FFFFFFFFFF000UL

struct vmspace {
	u64 pml4;          /* physical address of the top table */
	u64 brk_start;     /* end of the loaded image (page aligned) */
	u64 brk;           /* current program break */
	u64 mmap_next;     /* next address for an anonymous mapping */
};

struct vmspace *vm_create(void);           /* empty user half; NULL on ENOMEM */
void vm_destroy(struct vmspace *vm);       /* frees every frame it owns */
void vm_activate(const struct vmspace *vm);/* NULL: the kernel-only table */

/* Map fresh zeroed frames over [start, end) (page aligned) with PTE flags.
 * -EEXIST, mapping nothing, when any page of the range is already mapped:
 * no caller ever replaces a mapping by accident.  On -ENOMEM unmaps what it
 * mapped. */
int vm_alloc_range(struct vmspace *vm, u64 start, u64 end, u64 flags);
/* Map the existing frame pa at va (page aligned, not yet mapped); the
 * mapping takes over one reference to pa.  0 or -ENOMEM. */
int vm_map_frame(struct vmspace *vm, u64 va, u64 pa, u64 flags);
/* Unmap and free whatever is mapped in [start, end). */
void vm_free_range(struct vmspace *vm, u64 start, u64 end);
/* Add permissions to an already-mapped page (segments sharing a page). */
int vm_add_flags(struct vmspace *vm, u64 va, u64 flags);
/* Set the protection (PTE_U, PTE_W, PTE_NX bits of flags) of every page in
 * [start, end), in order.  -ENOMEM at the first page that is not mapped,
 * with the pages before it changed, as Linux leaves them.  A private page
 * gaining write permission first gets a frame of its own (while read-only it
 * may have been shared by fork or the text cache); -ENOMEM when none is left. */
int vm_protect_range(struct vmspace *vm, u64 start, u64 end, u64 flags);
/* True when a page (accessible or not) is mapped at va. */
bool vm_is_mapped(const struct vmspace *vm, u64 va);
/* Physical address behind a user address if it is mapped, user-accessible and
 * (when write) writable; -EFAULT otherwise. */
int vm_translate(const struct vmspace *vm, u64 va, bool write, u64 *pa);
/* Copy every user page of src into a new address space (fork); NULL on ENOMEM. */
struct vmspace *vm_clone(const struct vmspace *src);

/* Map physical device memory into the kernel half (boot only); NULL on failure. */
void *kmap_phys(u64 pa, u64 size);

/* Map the missing page at va if va lies in a demand-zero region (the stack);
 * 0 when mapped, -EFAULT otherwise (mm/fault.c). */
int vm_fault_in(struct vmspace *vm, u64 va);

/* Copy bytes into a (not necessarily active) address space through the
 * direct map; the range must be mapped.  Used to build images aside. */
int vm_write(struct vmspace *vm, u64 va, const void *src, size_t n);

#endif
