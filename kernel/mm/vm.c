/* Page tables.  Everything is reached through the direct map (P2V), so the
 * kernel can build and tear down an address space that is not the current one:
 * exec builds the new image aside and only then switches (see proc/image.c). */
#include "mm/vm.h"
#include "mm/pmm.h"
#include "mm/kmalloc.h"
#include "mm/filemap.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/memlayout.h"
#include "lib/errno.h"
#include "lib/string.h"

#define TABLE_FLAGS (PTE_P | PTE_W | PTE_U)
#define USER_SLOTS 256

extern u64 boot_pml4[512];

static u64 *table(u64 entry) { return P2V(entry & PTE_ADDR); }

/* The space whose user half is in the live top table, or NULL.  CR3 holds
 * boot_pml4 from boot to power-off: a switch copies the next space's few
 * top-level entries in and drops the last one's pages from the TLB one
 * invlpg each (vm_activate).  Under QEMU's TCG every CR3 write empties the
 * whole software TLB and jump cache, the kernel's entries too, and a
 * context switch paid for refilling them. */
static const struct vmspace *loaded;

static void sync_top(u64 pml4, int i);

static int index_at(u64 va, int level)    /* level 3 = PML4 ... 0 = PT */
{
	return (va >> (12 + 9 * level)) & 0x1FF;
}

/* The PTE for va, creating intermediate tables when create is set; NULL when
 * absent (or out of memory while creating). */
static u64 *walk(u64 pml4, u64 va, bool create)
{
	u64 *t = P2V(pml4);

	for (int level = 3; level > 0; level--) {
		u64 *e = &t[index_at(va, level)];
		if (!(*e & PTE_P)) {
			u64 pa;
			if (!create || !(pa = pmm_alloc()))
				return NULL;
			*e = pa | TABLE_FLAGS;
			if (level == 3)
				sync_top(pml4, index_at(va, 3));
		}
		t = table(*e);
	}
	return &t[index_at(va, 0)];
}

struct vmspace *vm_create(void)
{
	struct vmspace *vm = kzalloc(sizeof(*vm));

	if (!vm)
		return NULL;
	vm->pml4 = pmm_alloc();
	if (!vm->pml4) {
		kfree(vm);
		return NULL;
	}
	vm->mmap_next = USER_MMAP_BASE;
	for (int z = 0; z < VM_ZONES; z++)
		vm->zone_lo[z] = USER_TOP;             /* empty */
	return vm;
}

static const u64 zone_start[VM_ZONES + 1] = {
	0, USER_MMAP_BASE, USER_STACK_BOTTOM, USER_TOP
};

/* Widen the zone extents to cover [start, end) and mark its top-level
 * slots: called before any table is made for it, so every table a space
 * owns lies in an extent, and every top-level entry in a marked slot
 * (set_top copies those). */
static void note_mapped(struct vmspace *vm, u64 start, u64 end)
{
	/* The top-level slots themselves: an extent may span slots it has no
	 * table in (MAP_FIXED far apart), so they come from the ranges. */
	for (u64 i = start >> 39; i <= (end - 1) >> 39 && i < USER_SLOTS; i++)
		vm->top_slots[i / 64] |= 1UL << (i % 64);
	/* Most calls map a page where the space has mapped before. */
	for (int z = 0; z < VM_ZONES; z++)
		if (start >= vm->zone_lo[z] && end <= vm->zone_hi[z])
			return;
	for (int z = 0; z < VM_ZONES; z++) {
		u64 a = MAX(start, zone_start[z]), b = MIN(end, zone_start[z + 1]);
		if (a >= b)
			continue;
		vm->zone_lo[z] = MIN(vm->zone_lo[z], a);
		vm->zone_hi[z] = MAX(vm->zone_hi[z], b);
	}
}

/* A listed page in one word: its PTE's physical address (page tables come
 * from pmm, below 1 GiB: 27 bits once 8-byte aligned) and its page number. */
#define PTE_PA_BITS 27

static u64 listed_page(const u64 *pte, u64 va)
{
	return (va >> 12) << PTE_PA_BITS | V2P(pte) >> 3;
}

static u64 *listed_pte(u64 e) { return P2V((e & ((1UL << PTE_PA_BITS) - 1)) << 3); }
static u64 listed_va(u64 e) { return (e >> PTE_PA_BITS) << 12; }

/* Page va (its PTE pte) becomes present in vm: list it for unload, which
 * drops from the TLB the listed pages the CPU walked to (PTE_A) one invlpg
 * each, or all by a CR3 reload past VM_TLB_LIST (unmapped pages stay
 * listed, their PTE 0).  Every PTE that becomes present passes here, from
 * vm_alloc_range, vm_map_frame or clone_pte: a page missing from the list
 * could outlive its space in the TLB. */
static void note_mapped_page(struct vmspace *vm, const u64 *pte, u64 va)
{
	if (vm->ntlb >= VM_TLB_LIST)
		vm->ntlb = -1;
	if (vm->ntlb >= 0)
		vm->tlb_pages[vm->ntlb++] = listed_page(pte, va);
}

/* Bytes one entry of a table of the given level maps (level 3: a PDPT's
 * entries, 1 GiB ... level 1: a PT's, one page). */
static u64 entry_span(int level)
{
	return 1UL << (12 + 9 * (level - 1));
}

/* The entries [*first, *end) of a level-`level` table mapping from base
 * that meet [lo, hi) (which meets the table). */
static void entry_bounds(u64 base, int level, u64 lo, u64 hi, int *first, int *end)
{
	u64 span = entry_span(level), a = MAX(lo, base), b = MIN(hi, base + 512 * span);

	*first = (int)((a - base) / span);
	*end = (int)((b - 1 - base) / span) + 1;
}

/* The index of the first non-zero entry of table t at or after i and below
 * n (at most 512), n if none.  Tables are mostly empty, and fork and
 * exit walk whole tables: testing eight entries at once halved the
 * instructions of a fork + exit + wait (an absent entry is always 0 here:
 * unmapping writes 0). */
static int next_entry_scan(const u64 *t, int i, int n)
{
	for (; i < n && (i & 7); i++)
		if (t[i])
			return i;
	for (; i < n; i += 8)
		if (t[i] | t[i + 1] | t[i + 2] | t[i + 3] | t[i + 4] | t[i + 5] | t[i + 6] | t[i + 7])
			break;
	for (; i < n; i++)
		if (t[i])
			return i;
	return n;
}

/* next_entry, with the dense case (a program's pages, mapped side by side:
 * the next entry is there) inline in the walks. */
static inline int next_entry(const u64 *t, int i, int n)
{
	if (i < n && t[i])
		return i;
	return next_entry_scan(t, i, n);
}

/* Whether a zone after z has an extent meeting [b, e). */
static bool later_zone_meets(const struct vmspace *vm, int z, u64 b, u64 e)
{
	for (z++; z < VM_ZONES; z++)
		if (vm->zone_lo[z] < vm->zone_hi[z] && vm->zone_lo[z] < e && b < vm->zone_hi[z])
			return true;
	return false;
}

/* Free the frames mapped in [lo, hi) (zone z's extent) under *entry, a
 * level-`level` table mapping from base, then the table itself unless a
 * later zone still has to walk it (zones may share a table; the last frees
 * it). */
static void free_level(const struct vmspace *vm, int z, u64 *entry, int level, u64 base,
		       u64 lo, u64 hi)
{
	u64 *t = table(*entry), span = entry_span(level);
	int i, end;

	entry_bounds(base, level, lo, hi, &i, &end);
	for (i = next_entry(t, i, end); i < end; i = next_entry(t, i + 1, end)) {
		if (!(t[i] & PTE_P)) {
			t[i] = 0;
			continue;
		}
		if (level > 1) {
			free_level(vm, z, &t[i], level - 1, base + i * span, lo, hi);
		} else {
			pmm_free(t[i] & PTE_ADDR);
			t[i] = 0;
		}
	}
	/* Every entry is 0 by now (a table an entry still points to belongs
	 * to a later zone, and so does this one then): no clearing needed
	 * when the frame serves again. */
	if (!later_zone_meets(vm, z, base, base + 512 * span)) {
		pmm_free_zeroed(*entry & PTE_ADDR);
		*entry = 0;
	}
}

void vm_destroy(struct vmspace *vm)
{
	u64 *top;

	if (!vm)
		return;
	if (vm == loaded)
		vm_activate(NULL);   /* its pages leave the TLB before their frames are freed */
	top = P2V(vm->pml4);
	for (int z = 0; z < VM_ZONES; z++) {
		u64 lo = vm->zone_lo[z], hi = vm->zone_hi[z];
		int i, end;
		if (lo >= hi)
			continue;
		entry_bounds(0, 4, lo, hi, &i, &end);
		for (i = next_entry(top, i, end); i < end; i = next_entry(top, i + 1, end))
			if (top[i] & PTE_P)
				free_level(vm, z, &top[i], 3, (u64)i << 39, lo, hi);
	}
	pmm_free_zeroed(vm->pml4);     /* only user entries, all cleared above */
	filemap_put(vm->file);
	kfree(vm);
}

/* Copy (load) or clear the live top table's entries in the slots space vm
 * may use. */
static void set_top(const struct vmspace *vm, bool load)
{
	const u64 *src = P2V(vm->pml4);

	for (int w = 0; w < USER_SLOTS / 64; w++)
		for (u64 bits = vm->top_slots[w]; bits; bits &= bits - 1) {
			int i = w * 64 + __builtin_ctzl(bits);
			boot_pml4[i] = load ? src[i] : 0;
		}
}
/* Take the loaded space out of the live table and the TLB.  Only its pages
 * can be there: every other space's left when it was unloaded, and a page
 * unmapped or changed while loaded was invlpg'd then.  Of its listed pages
 * only those whose accessed bit is set can be cached (the CPU sets it before
 * caching a translation); clearing it with the invlpg keeps that true. */
static void unload(void)
{
	int dropped = 0;

	set_top(loaded, false);
	if (loaded->ntlb < 0)
		write_cr3(V2P(boot_pml4));
	for (int i = 0; i < loaded->ntlb; i++) {
		u64 e = loaded->tlb_pages[i], *pte = listed_pte(e);
		if (*pte & PTE_A) {
			*pte &= ~PTE_A;
			invlpg(listed_va(e));
			dropped++;
		}
	}
	if (loaded->ntlb >= 0 && dropped == 0)
		invlpg(0);   /* the top entries changed: an invlpg drops the paging-structure caches */
	loaded = NULL;
}

void vm_activate(const struct vmspace *vm)
{
	if (vm == loaded)
		return;
	if (loaded)
		unload();
	if (vm)
		set_top(vm, true);
	loaded = vm;
}

/* walk() made top-level entry i of the table pml4: the live table needs it
 * too when that is the loaded space's. */
static void sync_top(u64 pml4, int i)
{
	if (loaded && loaded->pml4 == pml4)
		boot_pml4[i] = ((const u64 *)P2V(pml4))[i];
}

void vm_free_range(struct vmspace *vm, u64 start, u64 end)
{
	for (u64 va = start; va < end; va += PAGE_SIZE) {
		u64 *pte = walk(vm->pml4, va, false);
		if (pte && (*pte & PTE_P)) {
			pmm_free(*pte & PTE_ADDR);
			*pte = 0;
			invlpg(va);
		}
	}
}

/* Whether any page of [start, end) is mapped. */
static bool range_mapped(const struct vmspace *vm, u64 start, u64 end)
{
	for (u64 va = start; va < end; va += PAGE_SIZE) {
		u64 *pte = walk(vm->pml4, va, false);
		if (pte && (*pte & PTE_P))
			return true;
	}
	return false;
}

int vm_alloc_range(struct vmspace *vm, u64 start, u64 end, u64 flags)
{
	/* Never over an existing mapping: its frame (perhaps shared) would be
	 * lost and the program's bytes silently replaced by zeros. */
	if (range_mapped(vm, start, end))
		return -EEXIST;
	note_mapped(vm, start, end);
	for (u64 va = start; va < end; va += PAGE_SIZE) {
		u64 *pte = walk(vm->pml4, va, true);
		u64 pa = pte ? pmm_alloc() : 0;
		if (!pa) {
			vm_free_range(vm, start, va);
			return -ENOMEM;
		}
		*pte = pa | flags | PTE_P;
		note_mapped_page(vm, pte, va);
	}
	return 0;
}

int vm_map_frame(struct vmspace *vm, u64 va, u64 pa, u64 flags)
{
	u64 *pte;

	note_mapped(vm, va, va + PAGE_SIZE);
	pte = walk(vm->pml4, va, true);
	if (!pte)
		return -ENOMEM;
	if (*pte & PTE_P)
		return -EEXIST;
	*pte = pa | flags | PTE_P;
	note_mapped_page(vm, pte, va);
	return 0;
}

int vm_add_flags(struct vmspace *vm, u64 va, u64 flags)
{
	u64 *pte = walk(vm->pml4, va, false);

	if (!pte || !(*pte & PTE_P))
		return -EFAULT;
	*pte |= flags & (PTE_W | PTE_U);
	if (!(flags & PTE_NX))
		*pte &= ~PTE_NX;
	return 0;
}

bool vm_is_mapped(const struct vmspace *vm, u64 va)
{
	u64 *pte = vm ? walk(vm->pml4, va, false) : NULL;

	return pte && (*pte & PTE_P);
}

/* Give the page behind pte a private copy of its frame (same flags). */
static int unshare_page(u64 *pte)
{
	u64 frame = pmm_alloc_for_copy();

	if (!frame)
		return -ENOMEM;
	memcpy(P2V(frame), P2V(*pte & PTE_ADDR), PAGE_SIZE);
	pmm_free(*pte & PTE_ADDR);
	*pte = frame | (*pte & ~PTE_ADDR);
	return 0;
}

/* The protection bits pte gets for flags.  Write permission on a private
 * page whose frame someone else holds too is copy-on-write: the frame is
 * shared until the first write (a page already writable is its owner's
 * alone).  Without write permission a page is never copy-on-write. */
static u64 protection(u64 pte, u64 flags)
{
	u64 f = flags & (PTE_U | PTE_W | PTE_NX);

	if ((f & PTE_W) && !(pte & (PTE_W | PTE_SHARED)) && pmm_refcount(pte & PTE_ADDR) > 1)
		f = (f & ~PTE_W) | PTE_COW;
	return f;
}

int vm_protect_range(struct vmspace *vm, u64 start, u64 end, u64 flags)
{
	for (u64 va = start; va < end; va += PAGE_SIZE) {
		u64 *pte = walk(vm->pml4, va, false);
		if (!pte || !(*pte & PTE_P))
			return -ENOMEM;
		*pte = (*pte & ~(PTE_U | PTE_W | PTE_NX | PTE_COW)) | protection(*pte, flags);
		invlpg(va);
	}
	return 0;
}

int vm_cow_fault(struct vmspace *vm, u64 va)
{
	u64 *pte = va < USER_TOP ? walk(vm->pml4, va, false) : NULL;

	if (!pte || (*pte & (PTE_P | PTE_U | PTE_COW)) != (PTE_P | PTE_U | PTE_COW))
		return -EFAULT;
	/* The last holder keeps the frame: the others copied it or went away. */
	if (pmm_refcount(*pte & PTE_ADDR) > 1 && unshare_page(pte) < 0)
		return -ENOMEM;
	*pte = (*pte & ~PTE_COW) | PTE_W;
	invlpg(va);
	return 0;
}

int vm_translate(const struct vmspace *vm, u64 va, bool write, u64 *pa)
{
	u64 *pte;

	if (!vm || va >= USER_TOP)
		return -EFAULT;
	pte = walk(vm->pml4, va, false);
	if (!pte || !(*pte & PTE_P) || !(*pte & PTE_U) || (write && !(*pte & PTE_W)))
		return -EFAULT;
	*pa = (*pte & PTE_ADDR) | (va & (PAGE_SIZE - 1));
	return 0;
}

int vm_write(struct vmspace *vm, u64 va, const void *src, size_t n)
{
	const u8 *s = src;

	while (n) {
		u64 *pte = walk(vm->pml4, va, false);
		size_t off = va & (PAGE_SIZE - 1), chunk = MIN(n, PAGE_SIZE - off);
		if (!pte || !(*pte & PTE_P))
			return -EFAULT;
		if ((*pte & PTE_COW) && vm_cow_fault(vm, va) < 0)
			return -ENOMEM;
		memcpy((u8 *)P2V(*pte & PTE_ADDR) + off, s, chunk);
		va += chunk, s += chunk, n -= chunk;
	}
	return 0;
}

/* One leaf of fork: the PTE the child gets for src's PTE *s of page va
 * (which may change: a private writable page becomes copy-on-write in both,
 * and if src is the active space its TLB entry goes, one page: a whole
 * flush would cost the kernel every translation it has).  A frame whose
 * reference count is saturated is copied instead.  0 or -ENOMEM. */
static int clone_pte(struct vmspace *vm, u64 *d, u64 *s, u64 va, bool active)
{
	u64 pa = *s & PTE_ADDR, frame;

	/* The child has never run: none of its pages is in the TLB (PTE_A). */
	note_mapped_page(vm, d, va);
	if (pmm_ref(pa)) {
		/* MAP_SHARED stays the same page in both; read-only needs nothing. */
		if ((*s & PTE_W) && !(*s & PTE_SHARED)) {
			*s = (*s & ~PTE_W) | PTE_COW;
			if (active)
				invlpg(va);
		}
		*d = *s & ~PTE_A;
		return 0;
	}
	if (*s & PTE_SHARED)
		return -ENOMEM;             /* cannot be copied: it would stop being shared */
	frame = pmm_alloc_for_copy();
	if (!frame)
		return -ENOMEM;
	memcpy(P2V(frame), P2V(pa), PAGE_SIZE);
	/* The copy is the child's alone: writable if the page is. */
	*d = frame | (*s & ~(PTE_ADDR | PTE_A));
	if (*d & PTE_COW)
		*d = (*d & ~PTE_COW) | PTE_W;
	return 0;
}

/* What a fork's walk of one zone carries: the child, the zone's extent,
 * and whether the parent is the loaded space (its TLB entries of pages made
 * copy-on-write must go). */
struct clone_walk {
	struct vmspace *vm;
	u64 lo, hi;
	bool active;
};

/* Copy the part of src's level-`level` table src_entry (mapping from base)
 * that meets the zone into the table *dst_entry (made if absent: zones may
 * share a table); leaves by clone_pte.  Sharing instead of copying costs
 * fork only page tables, and under QEMU keeps translated code valid (the
 * same physical text). */
static int clone_level(const struct clone_walk *w, u64 *dst_entry, u64 src_entry, int level,
		       u64 base)
{
	u64 *s = table(src_entry), *d, span = entry_span(level);
	int i, end;

	if (!(*dst_entry & PTE_P)) {
		u64 pa = pmm_alloc();
		if (!pa)
			return -ENOMEM;
		*dst_entry = pa | (src_entry & ~PTE_ADDR);
	}
	d = table(*dst_entry);
	entry_bounds(base, level, w->lo, w->hi, &i, &end);
	for (i = next_entry(s, i, end); i < end; i = next_entry(s, i + 1, end)) {
		if (!(s[i] & PTE_P))
			continue;
		u64 va = base + i * span;
		if (level > 1 ? clone_level(w, &d[i], s[i], level - 1, va) < 0
			      : clone_pte(w->vm, &d[i], &s[i], va, w->active) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* Clone src's zone z into vm: 0 or -ENOMEM. */
static int clone_zone(struct vmspace *vm, struct vmspace *src, int z)
{
	struct clone_walk w = { vm, src->zone_lo[z], src->zone_hi[z], src == loaded };
	u64 *s = P2V(src->pml4), *d = P2V(vm->pml4);
	int i, end;

	if (w.lo >= w.hi)
		return 0;
	entry_bounds(0, 4, w.lo, w.hi, &i, &end);
	for (i = next_entry(s, i, end); i < end; i = next_entry(s, i + 1, end))
		if ((s[i] & PTE_P) && clone_level(&w, &d[i], s[i], 3, (u64)i << 39) < 0)
			return -ENOMEM;
	return 0;
}

struct vmspace *vm_clone(struct vmspace *src)
{
	struct vmspace *vm = vm_create();

	if (!vm)
		return NULL;
	vm->brk_start = src->brk_start;
	vm->brk = src->brk;
	vm->mmap_next = src->mmap_next;
	vm->file = filemap_get(src->file);
	memcpy(vm->top_slots, src->top_slots, sizeof(vm->top_slots));
	vm->ntlb = src->ntlb < 0 ? -1 : 0;     /* clone_pte lists the child's pages */
	for (int z = 0; z < VM_ZONES; z++) {
		vm->zone_lo[z] = src->zone_lo[z];
		vm->zone_hi[z] = src->zone_hi[z];
	}
	for (int z = 0; z < VM_ZONES; z++) {
		if (clone_zone(vm, src, z) < 0) {
			/* Everything taken so far hangs off vm's table: one free.
			 * src keeps its copy-on-write marks: harmless, a write
			 * finds the frame unshared and just makes it writable. */
			vm_destroy(vm);
			return NULL;
		}
	}
	return vm;
}
