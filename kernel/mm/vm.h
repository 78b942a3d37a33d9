/* User address spaces: the user half of a 4-level page table (its top table
 * holds only user entries: the CPU runs on boot_pml4, see vm_activate), plus
 * the bookkeeping brk and mmap need. */
#ifndef MM_VM_H
#define MM_VM_H

#include "lib/types.h"

#define PTE_P (1UL << 0)
#define PTE_W (1UL << 1)
#define PTE_U (1UL << 2)
#define PTE_A (1UL << 5)   /* accessed: set by the CPU when it walks to the page */
#define PTE_PS (1UL << 7)
#define PTE_SHARED (1UL << 9)   /* software bit: MAP_SHARED, fork shares the frame */
/* Software bit: copy-on-write.  The page is writable for its program, but W
 * is clear because the frame may be shared (fork): the first write faults
 * and vm_cow_fault gives the page a frame of its own.  Never set with W. */
#define PTE_COW (1UL << 10)
#define PTE_NX (1UL << 63)
#define PTE_ADDR 0x000FFFFFFFFFF000UL

struct filemap;

/* The user half in three zones, each with the extent of what was ever
 * mapped in it: the program and its heap (below the mmap region), the mmap
 * region, the stack.  fork and exit walk only those extents. */
#define VM_ZONES 3
#define VM_TLB_LIST 64

struct vmspace {
	u64 pml4;          /* physical address of the top table */
	u64 zone_lo[VM_ZONES], zone_hi[VM_ZONES];  /* extents: [lo, hi), empty when lo >= hi; they never shrink */
	u64 top_slots[4];  /* the top-level slots (512 GiB each) the extents meet: a bit each */
	struct filemap *file;  /* the program's file-backed pages, mapped on first touch (mm/filemap.c), or NULL */
	u64 brk_start;     /* end of the loaded image (page aligned) */
	u64 brk;           /* current program break */
	u64 mmap_next;     /* next address for an anonymous mapping */
	/* Every page ever mapped (tlb_pages[0..ntlb), each its PTE and address
	 * in one word), for vm_activate to drop from the TLB; ntlb -1 when more
	 * than VM_TLB_LIST: a CR3 reload then. */
	int ntlb;
	u64 tlb_pages[VM_TLB_LIST];
};

struct vmspace *vm_create(void);           /* empty; NULL on ENOMEM */
void vm_destroy(struct vmspace *vm);       /* frees every frame it owns */
/* Make vm the user half the CPU translates (NULL: none).  CR3 never changes:
 * the live top table takes vm's top-level entries, and the previous space's
 * pages leave the TLB by invlpg (or one CR3 reload when it mapped more than
 * VM_TLB_LIST).  A no-op when vm is already loaded. */
void vm_activate(const struct vmspace *vm);

/* Map fresh zeroed frames over [start, end) (page aligned) with PTE flags.
 * -EEXIST, mapping nothing, when any page of the range is already mapped:
 * no caller ever replaces a mapping by accident.  On -ENOMEM unmaps what it
 * mapped. */
int vm_alloc_range(struct vmspace *vm, u64 start, u64 end, u64 flags);
/* Map the existing frame pa at va (page aligned); the mapping takes over
 * one reference to pa.  0, -EEXIST (a page is mapped there: nothing
 * changed, the reference is still the caller's) or -ENOMEM. */
int vm_map_frame(struct vmspace *vm, u64 va, u64 pa, u64 flags);
/* Unmap and free whatever is mapped in [start, end). */
void vm_free_range(struct vmspace *vm, u64 start, u64 end);
/* Add permissions to an already-mapped page (segments sharing a page). */
int vm_add_flags(struct vmspace *vm, u64 va, u64 flags);
/* Set the protection (PTE_U, PTE_W, PTE_NX bits of flags) of every page in
 * [start, end), in order.  -ENOMEM at the first page that is not mapped,
 * with the pages before it changed, as Linux leaves them.  A private page
 * gaining write permission whose frame is shared (fork, the text cache)
 * becomes copy-on-write: it gets its own frame at its first write. */
int vm_protect_range(struct vmspace *vm, u64 start, u64 end, u64 flags);
/* True when a page (accessible or not) is mapped at va. */
bool vm_is_mapped(const struct vmspace *vm, u64 va);
/* Physical address behind a user address if it is mapped, user-accessible and
 * (when write) writable; -EFAULT otherwise. */
int vm_translate(const struct vmspace *vm, u64 va, bool write, u64 *pa);
/* A new address space with src's pages (fork); NULL on ENOMEM.  Nothing is
 * copied: read-only and MAP_SHARED frames are shared, and private writable
 * ones become copy-on-write in both (one more reference each; a frame whose
 * count is saturated is copied).  src's write permissions change (their
 * TLB entries are dropped when src is the active space). */
struct vmspace *vm_clone(struct vmspace *src);
/* A write to page va met a copy-on-write PTE: give it a frame of its own
 * (or, when no one else holds the frame any more, just write permission).
 * 0; -EFAULT when va is not a copy-on-write user page; -ENOMEM. */
int vm_cow_fault(struct vmspace *vm, u64 va);

/* Map physical device memory into the kernel half (boot only); NULL on failure. */
void *kmap_phys(u64 pa, u64 size);

/* A user access to va failed (a page fault, or usercopy's check; write says
 * which kind): map what should be there (a demand-zero stack page, a page of
 * the program file, a copy-on-write page's own frame) so the access can be
 * retried.  0 when done; -EFAULT when the access is really forbidden;
 * -ENOMEM when memory ran out (mm/fault.c). */
int vm_fault(struct vmspace *vm, u64 va, bool write);

/* Copy bytes into a (not necessarily active) address space through the
 * direct map; the range must be mapped (copy-on-write pages get their own
 * frame first).  Used to build images aside. */
int vm_write(struct vmspace *vm, u64 va, const void *src, size_t n);

#endif
