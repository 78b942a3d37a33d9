/* Host tests for kernel/mm/vm.c (with kernel/mm/pmm.c) on simulated memory
 * (shim/sim_machine.h): page tables live in a host buffer reached through a
 * simulated direct map, so the tests can read and write "physical" frames
 * and count every frame the address-space code takes and gives back.
 * vm and pmm keep static state: main forces Check's fork mode. */
#include "mm/vm.h"
#include "mm/pmm.h"
#include "lib/errno.h"
#include "ut.h"
#include "sim_machine.h"

#define BASE 0x100000UL            /* RAM the allocator manages starts at 1 MiB */
#define NFR 512                    /* frames in it: 2 MiB */
#define KERNEL_FRAMES 4            /* reserved frames the kernel half points at */
#define CODE 0x400000UL            /* a typical static binary's text */
#define DATA 0x5FF000UL            /* 3 pages from here cross a page-table boundary */
#define STACK (USER_STACK_TOP - 2 * PAGE_SIZE)

static size_t free0;               /* free frames when the test started */
static u64 hoard[NFR];             /* frames taken away to make pmm run short */
static size_t nhoard;

/* Reserved frame i of the simulated kernel. */
#define KFRAME(i) (BASE + (u64)(i) * PAGE_SIZE)

/*
 * A fresh allocator over simulated RAM, and a kernel half in boot_pml4
 * built from reserved frames: slot 256 maps USER_TOP and the page after it
 * through a PDPT, PD and PT, with the user bit set all the way (so only the
 * USER_TOP check keeps vm_translate off them); slot 511 points at a plain
 * frame.  vm must share these tables, never copy or free them.
 */
static void setup(void)
{
	u64 *pdpt, *pd, *pt;

	sim_ram_init(BASE + NFR * PAGE_SIZE);
	pmm_add_region(BASE, NFR * PAGE_SIZE);
	pmm_reserve(BASE, KERNEL_FRAMES * PAGE_SIZE);
	pdpt = P2V(KFRAME(0));
	pd = P2V(KFRAME(1));
	pt = P2V(KFRAME(2));
	boot_pml4[256] = KFRAME(0) | PTE_P | PTE_W | PTE_U;
	pdpt[0] = KFRAME(1) | PTE_P | PTE_W | PTE_U;
	pd[0] = KFRAME(2) | PTE_P | PTE_W | PTE_U;
	pt[0] = pt[1] = KFRAME(3) | PTE_P | PTE_W | PTE_U;
	boot_pml4[511] = KFRAME(3) | PTE_P | PTE_W;
	free0 = pmm_free_frames();
}

/* Take free frames until only keep are left. */
static void starve(size_t keep)
{
	while (pmm_free_frames() > keep) {
		hoard[nhoard] = pmm_alloc();
		ck_assert_uint_ne(hoard[nhoard], 0);
		nhoard++;
	}
}

/* Give back what starve took. */
static void feed(void)
{
	while (nhoard)
		pmm_free(hoard[--nhoard]);
}

/* The PTE for va, read through the simulated direct map; NULL if a table
 * on the way is missing. */
static u64 *pte_of(const struct vmspace *vm, u64 va)
{
	u64 *t = P2V(vm->pml4);

	for (int level = 3; level > 0; level--) {
		u64 e = t[(va >> (12 + 9 * level)) & 0x1FF];
		if (!(e & PTE_P))
			return NULL;
		t = P2V(e & PTE_ADDR);
	}
	return &t[(va >> 12) & 0x1FF];
}

/* The host address of user byte va (mapped, user). */
static u8 *user_byte(const struct vmspace *vm, u64 va)
{
	u64 pa;

	ck_assert_int_eq(vm_translate(vm, va, false, &pa), 0);
	return P2V(pa);
}

/* Fill [va, va + n) in vm with bytes derived from seed. */
static void fill(struct vmspace *vm, u64 va, size_t n, u8 seed)
{
	u8 buf[PAGE_SIZE];

	for (size_t done = 0; done < n; done += sizeof(buf)) {
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (u8)(seed + (done + i) * 31 + ((done + i) >> 12));
		ck_assert_int_eq(vm_write(vm, va + done, buf, MIN(sizeof(buf), n - done)), 0);
	}
}

/* Does [va, va + n) in vm hold fill's pattern for seed? */
static bool holds(const struct vmspace *vm, u64 va, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		if (*user_byte(vm, va + i) != (u8)(seed + i * 31 + (i >> 12)))
			return false;
	return true;
}

/* An address space with text (read-only), data across a table boundary,
 * a stack page and an mmap page: four PML4 slots, several tables. */
static struct vmspace *sample_space(void)
{
	struct vmspace *vm = vm_create();

	ck_assert_ptr_nonnull(vm);
	ck_assert_int_eq(vm_alloc_range(vm, CODE, CODE + PAGE_SIZE, PTE_U | PTE_W), 0);
	fill(vm, CODE, PAGE_SIZE, 1);
	*pte_of(vm, CODE) &= ~PTE_W;                  /* text: read-only once loaded */
	ck_assert_int_eq(vm_alloc_range(vm, DATA, DATA + 3 * PAGE_SIZE, PTE_U | PTE_W | PTE_NX), 0);
	fill(vm, DATA, 3 * PAGE_SIZE, 2);
	ck_assert_int_eq(vm_alloc_range(vm, STACK, USER_STACK_TOP, PTE_U | PTE_W | PTE_NX), 0);
	fill(vm, STACK, 2 * PAGE_SIZE, 3);
	ck_assert_int_eq(vm_alloc_range(vm, USER_MMAP_BASE, USER_MMAP_BASE + PAGE_SIZE,
	                                PTE_U | PTE_W | PTE_NX), 0);
	fill(vm, USER_MMAP_BASE, PAGE_SIZE, 4);
	vm->brk_start = vm->brk = DATA + 3 * PAGE_SIZE;
	vm->mmap_next = USER_MMAP_BASE + PAGE_SIZE;
	return vm;
}

/* Every page of the sample, as (start, pages, seed). */
static const struct { u64 va; size_t pages; u8 seed; } sample_pages[] = {
	{ CODE, 1, 1 }, { DATA, 3, 2 }, { STACK, 2, 3 }, { USER_MMAP_BASE, 1, 4 },
};

/* A space's own top table holds user entries only: the kernel half is
 * boot_pml4's, which the CPU always runs on (vm_activate). */
START_TEST(create_is_empty_destroy_frees_all)
{
	struct vmspace *vm = vm_create();
	u64 *top;

	ck_assert_ptr_nonnull(vm);
	ck_assert_uint_eq(pmm_free_frames(), free0 - 1);     /* just the PML4 */
	top = P2V(vm->pml4);
	for (int i = 0; i < 512; i++)
		ck_assert_uint_eq(top[i], 0);
	ck_assert_uint_eq(vm->mmap_next, USER_MMAP_BASE);
	vm_destroy(vm);
	ck_assert_uint_eq(pmm_free_frames(), free0);
	ck_assert_int_eq(sim_kmalloc_live, 0);
	vm_destroy(NULL);                                     /* allowed */
}
END_TEST

START_TEST(create_fails_cleanly)
{
	sim_kmalloc_fail = 1;
	ck_assert_ptr_null(vm_create());
	starve(0);
	ck_assert_ptr_null(vm_create());
	ck_assert_int_eq(sim_kmalloc_live, 0);                /* the struct went back */
	feed();
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

START_TEST(alloc_range_maps_zeroed_private_frames)
{
	struct vmspace *vm = vm_create();
	u64 pa[3];
	size_t before = pmm_free_frames();

	ck_assert_int_eq(vm_alloc_range(vm, DATA, DATA + 3 * PAGE_SIZE, PTE_U | PTE_W), 0);
	/* 3 data frames; PDPT, PD and two page tables (the range crosses 2 MiB). */
	ck_assert_uint_eq(pmm_free_frames(), before - 3 - 4);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(vm_translate(vm, DATA + i * PAGE_SIZE + 5, true, &pa[i]), 0);
		ck_assert_uint_eq(pa[i] % PAGE_SIZE, 5);
		for (int j = 0; j < i; j++)
			ck_assert_uint_ne(pa[i], pa[j]);
		for (size_t b = 0; b < PAGE_SIZE; b++)
			ck_assert_uint_eq(*user_byte(vm, DATA + i * PAGE_SIZE + b), 0);
	}
	shim_invlpg_count = 0;
	vm_free_range(vm, DATA, DATA + 3 * PAGE_SIZE);
	ck_assert_uint_eq(shim_invlpg_count, 3);
	ck_assert_uint_eq(pmm_free_frames(), before - 4);     /* tables stay till destroy */
	ck_assert_int_eq(vm_translate(vm, DATA, false, &pa[0]), -EFAULT);
	vm_destroy(vm);
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

/* A range with a page mapped already is refused whole: nothing replaced,
 * nothing mapped, no frame taken. */
START_TEST(alloc_range_never_replaces_a_mapping)
{
	struct vmspace *vm = vm_create();
	u64 pa, pa2;
	size_t before;

	ck_assert_int_eq(vm_alloc_range(vm, DATA + PAGE_SIZE, DATA + 2 * PAGE_SIZE, PTE_U | PTE_W), 0);
	ck_assert_int_eq(vm_translate(vm, DATA + PAGE_SIZE, true, &pa), 0);
	before = pmm_free_frames();
	ck_assert_int_eq(vm_alloc_range(vm, DATA, DATA + 3 * PAGE_SIZE, PTE_U | PTE_W), -EEXIST);
	ck_assert_uint_eq(pmm_free_frames(), before);
	ck_assert_int_eq(vm_translate(vm, DATA + PAGE_SIZE, true, &pa2), 0);
	ck_assert_uint_eq(pa, pa2);
	ck_assert_int_eq(vm_translate(vm, DATA, false, &pa2), -EFAULT);
	vm_destroy(vm);
}
END_TEST

START_TEST(translate_refuses_what_user_may_not_touch)
{
	struct vmspace *vm = sample_space();
	u64 pa, *pte;

	ck_assert_int_eq(vm_translate(vm, CODE, false, &pa), 0);
	ck_assert_int_eq(vm_translate(vm, CODE, true, &pa), -EFAULT);     /* read-only */
	ck_assert_int_eq(vm_translate(vm, DATA, true, &pa), 0);
	ck_assert_int_eq(vm_translate(vm, CODE + PAGE_SIZE, false, &pa), -EFAULT);  /* unmapped */
	ck_assert_int_eq(vm_translate(vm, 0, false, &pa), -EFAULT);
	ck_assert_int_eq(vm_translate(NULL, DATA, false, &pa), -EFAULT);
	/* Present but not user (a kernel page in the user half). */
	pte = pte_of(vm, DATA);
	*pte &= ~PTE_U;
	ck_assert_int_eq(vm_translate(vm, DATA, false, &pa), -EFAULT);
	*pte |= PTE_U;
	/* A user entry whose present bit is clear. */
	*pte &= ~PTE_P;
	ck_assert_int_eq(vm_translate(vm, DATA, false, &pa), -EFAULT);
	*pte |= PTE_P;
	ck_assert_int_eq(vm_translate(vm, DATA, false, &pa), 0);
	/* The kernel half and beyond, even where the kernel's tables map. */
	ck_assert_int_eq(vm_translate(vm, USER_TOP, false, &pa), -EFAULT);
	ck_assert_int_eq(vm_translate(vm, USER_TOP + 0x1000, false, &pa), -EFAULT);
	ck_assert_int_eq(vm_translate(vm, DMAP_BASE, false, &pa), -EFAULT);
	ck_assert_int_eq(vm_translate(vm, KERNEL_VMA, false, &pa), -EFAULT);
	ck_assert_int_eq(vm_translate(vm, ~0UL, false, &pa), -EFAULT);
	vm_destroy(vm);
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

START_TEST(add_flags_and_write)
{
	struct vmspace *vm = sample_space();
	u64 pa;
	char msg[] = "across the page boundary";

	ck_assert_int_eq(vm_add_flags(vm, CODE, PTE_W), 0);
	ck_assert_int_eq(vm_translate(vm, CODE, true, &pa), 0);
	ck_assert_uint_ne(*pte_of(vm, DATA) & PTE_NX, 0);
	ck_assert_int_eq(vm_add_flags(vm, DATA, PTE_U), 0);   /* executable now */
	ck_assert_uint_eq(*pte_of(vm, DATA) & PTE_NX, 0);
	ck_assert_int_eq(vm_add_flags(vm, CODE + PAGE_SIZE, PTE_W), -EFAULT);
	ck_assert_int_eq(vm_write(vm, DATA + PAGE_SIZE - 6, msg, sizeof(msg)), 0);
	for (size_t i = 0; i < sizeof(msg); i++)
		ck_assert_int_eq(*user_byte(vm, DATA + PAGE_SIZE - 6 + i), msg[i]);
	ck_assert_int_eq(vm_write(vm, CODE + PAGE_SIZE - 2, msg, 4), -EFAULT);
	vm_destroy(vm);
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

#define SAMPLE_PAGES 7               /* user pages of sample_space; the rest are tables */
#define SHARED_VA (USER_MMAP_BASE + 2 * PAGE_SIZE)

START_TEST(clone_is_an_independent_copy)
{
	struct vmspace *parent = sample_space(), *child;
	size_t parent_frames = free0 - pmm_free_frames();
	u64 ppa, cpa;

	child = vm_clone(parent);
	ck_assert_ptr_nonnull(child);
	/* Copy-on-write: the child costs its page tables, no page. */
	ck_assert_uint_eq(free0 - pmm_free_frames(), 2 * parent_frames - SAMPLE_PAGES);
	ck_assert_uint_eq(child->brk_start, parent->brk_start);
	ck_assert_uint_eq(child->brk, parent->brk);
	ck_assert_uint_eq(child->mmap_next, parent->mmap_next);
	for (int i = 256; i < 512; i++)
		ck_assert_uint_eq(((u64 *)P2V(child->pml4))[i], 0);
	for (size_t s = 0; s < ARRAY_LEN(sample_pages); s++) {
		u64 va = sample_pages[s].va;
		size_t n = sample_pages[s].pages * PAGE_SIZE;
		ck_assert(holds(child, va, n, sample_pages[s].seed));
		for (u64 p = va; p < va + n; p += PAGE_SIZE) {
			ck_assert_int_eq(vm_translate(parent, p, false, &ppa), 0);
			ck_assert_int_eq(vm_translate(child, p, false, &cpa), 0);
			ck_assert_uint_eq(ppa, cpa);                  /* one frame, two users */
			ck_assert_uint_eq(pmm_refcount(ppa & PTE_ADDR), 2);
			ck_assert_uint_eq(*pte_of(child, p), *pte_of(parent, p));
			/* Writable pages lost W in both and are copy-on-write;
			 * the read-only one (CODE) is just shared. */
			ck_assert_uint_eq(*pte_of(child, p) & PTE_W, 0);
			ck_assert_uint_eq(!!(*pte_of(child, p) & PTE_COW), va != CODE);
			ck_assert_int_eq(vm_translate(child, p, true, &cpa), -EFAULT);
		}
	}
	/* Writes on either side stay on that side (vm_write breaks COW as a
	 * user write's fault would). */
	fill(child, DATA, 3 * PAGE_SIZE, 99);
	fill(child, STACK, 2 * PAGE_SIZE, 98);
	ck_assert(holds(parent, DATA, 3 * PAGE_SIZE, 2));
	ck_assert(holds(parent, STACK, 2 * PAGE_SIZE, 3));
	fill(parent, USER_MMAP_BASE, PAGE_SIZE, 97);
	ck_assert(holds(child, USER_MMAP_BASE, PAGE_SIZE, 4));
	/* Each can go without the other. */
	vm_destroy(parent);
	ck_assert(holds(child, DATA, 3 * PAGE_SIZE, 99));
	ck_assert(holds(child, USER_MMAP_BASE, PAGE_SIZE, 4));
	vm_destroy(child);
	ck_assert_uint_eq(pmm_free_frames(), free0);
	ck_assert_int_eq(sim_kmalloc_live, 0);
}
END_TEST

/* The first write copies; the last user of a frame keeps it, no copy. */
START_TEST(cow_fault_copies_once_then_the_last_user_keeps_the_frame)
{
	struct vmspace *parent = sample_space(), *child = vm_clone(parent);
	u64 before, ppa, cpa;

	ck_assert_ptr_nonnull(child);
	ck_assert_int_eq(vm_translate(parent, DATA, false, &ppa), 0);
	before = pmm_free_frames();
	ck_assert_int_eq(vm_cow_fault(child, DATA + 123), 0);
	ck_assert_uint_eq(pmm_free_frames(), before - 1);           /* one copy */
	ck_assert_int_eq(vm_translate(child, DATA, true, &cpa), 0);
	ck_assert_uint_ne(cpa, ppa);
	ck_assert_uint_eq(*pte_of(child, DATA) & (PTE_W | PTE_COW), PTE_W);
	ck_assert(holds(child, DATA, 3 * PAGE_SIZE, 2));            /* the bytes came along */
	ck_assert_uint_eq(pmm_refcount(ppa), 1);
	/* The parent is now the frame's only user: write permission, no copy. */
	ck_assert_int_eq(vm_cow_fault(parent, DATA), 0);
	ck_assert_uint_eq(pmm_free_frames(), before - 1);
	ck_assert_int_eq(vm_translate(parent, DATA, true, &cpa), 0);
	ck_assert_uint_eq(cpa, ppa);
	/* Not copy-on-write: a read-only page, a writable one, an unmapped one. */
	ck_assert_int_eq(vm_cow_fault(child, CODE), -EFAULT);
	ck_assert_int_eq(vm_cow_fault(child, DATA), -EFAULT);
	ck_assert_int_eq(vm_cow_fault(child, CODE + PAGE_SIZE), -EFAULT);
	ck_assert_int_eq(vm_cow_fault(child, USER_TOP), -EFAULT);
	/* A page made inaccessible (PROT_NONE) is not writable either. */
	*pte_of(child, DATA + PAGE_SIZE) &= ~PTE_U;
	ck_assert_int_eq(vm_cow_fault(child, DATA + PAGE_SIZE), -EFAULT);
	vm_destroy(child);
	vm_destroy(parent);
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

/* No frame for the copy: -ENOMEM, both sides exactly as they were. */
START_TEST(cow_fault_out_of_memory_changes_nothing)
{
	struct vmspace *parent = sample_space(), *child = vm_clone(parent);
	u64 pte;

	ck_assert_ptr_nonnull(child);
	pte = *pte_of(child, STACK);
	starve(0);
	ck_assert_int_eq(vm_cow_fault(child, STACK), -ENOMEM);
	ck_assert_uint_eq(*pte_of(child, STACK), pte);
	ck_assert_uint_eq(*pte_of(parent, STACK), pte);
	ck_assert_uint_eq(pmm_refcount(pte & PTE_ADDR), 2);
	feed();
	ck_assert_int_eq(vm_cow_fault(child, STACK), 0);
	vm_destroy(child);
	vm_destroy(parent);
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

/* MAP_SHARED pages stay one writable page for both; a saturated count
 * makes fork copy a private page instead of sharing it. */
START_TEST(clone_keeps_shared_mappings_shared_and_copies_saturated_frames)
{
	struct vmspace *parent = sample_space(), *child;
	u64 ppa, cpa, data;
	size_t n = 0;

	ck_assert_int_eq(vm_alloc_range(parent, SHARED_VA, SHARED_VA + PAGE_SIZE,
	                                PTE_U | PTE_W | PTE_NX | PTE_SHARED), 0);
	ck_assert_int_eq(vm_translate(parent, DATA, false, &data), 0);
	while (pmm_ref(data))
		n++;
	child = vm_clone(parent);
	ck_assert_ptr_nonnull(child);
	ck_assert_int_eq(vm_translate(parent, SHARED_VA, true, &ppa), 0);
	ck_assert_int_eq(vm_translate(child, SHARED_VA, true, &cpa), 0);
	ck_assert_uint_eq(ppa, cpa);
	ck_assert_uint_eq(*pte_of(child, SHARED_VA) & PTE_COW, 0);
	/* DATA's count was full: the child got a copy, writable at once. */
	ck_assert_int_eq(vm_translate(child, DATA, true, &cpa), 0);
	ck_assert_uint_ne(cpa, data);
	ck_assert(holds(child, DATA, PAGE_SIZE, 2));
	ck_assert_uint_eq(*pte_of(parent, DATA) & PTE_W, PTE_W);     /* not shared: kept */
	while (n--)
		pmm_free(data);
	vm_destroy(child);
	vm_destroy(parent);
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

/* mprotect after fork: write permission on a frame someone else holds is
 * copy-on-write, not W; on a frame held alone it is W; taking write
 * permission away ends copy-on-write. */
START_TEST(protect_after_clone_never_writes_a_shared_frame)
{
	struct vmspace *parent = sample_space(), *child = vm_clone(parent);
	u64 rw = PTE_U | PTE_W | PTE_NX;

	ck_assert_ptr_nonnull(child);
	ck_assert_int_eq(vm_protect_range(child, DATA, DATA + PAGE_SIZE, PTE_U | PTE_NX), 0);
	ck_assert_uint_eq(*pte_of(child, DATA) & (PTE_W | PTE_COW), 0);
	ck_assert_int_eq(vm_cow_fault(child, DATA), -EFAULT);        /* read-only now */
	ck_assert_int_eq(vm_protect_range(child, DATA, DATA + PAGE_SIZE, rw), 0);
	ck_assert_uint_eq(*pte_of(child, DATA) & (PTE_W | PTE_COW), PTE_COW);
	ck_assert_int_eq(vm_protect_range(child, CODE, CODE + PAGE_SIZE, rw), 0);
	ck_assert_uint_eq(*pte_of(child, CODE) & (PTE_W | PTE_COW), PTE_COW);
	fill(child, CODE, PAGE_SIZE, 77);
	ck_assert(holds(parent, CODE, PAGE_SIZE, 1));
	ck_assert_uint_eq(*pte_of(parent, CODE) & (PTE_W | PTE_COW), 0);
	/* PROT_NONE and back: the page is still the parent's too. */
	ck_assert_int_eq(vm_protect_range(child, STACK, STACK + PAGE_SIZE, PTE_NX), 0);
	ck_assert_uint_eq(*pte_of(child, STACK) & (PTE_U | PTE_W | PTE_COW), 0);
	ck_assert_int_eq(vm_protect_range(child, STACK, STACK + PAGE_SIZE, rw), 0);
	fill(child, STACK, PAGE_SIZE, 76);
	ck_assert(holds(parent, STACK, PAGE_SIZE, 3));
	/* Held alone (the parent gone): write permission at once. */
	vm_destroy(parent);
	ck_assert_int_eq(vm_protect_range(child, DATA + PAGE_SIZE, DATA + 2 * PAGE_SIZE,
	                                  PTE_U | PTE_NX), 0);
	ck_assert_int_eq(vm_protect_range(child, DATA + PAGE_SIZE, DATA + 2 * PAGE_SIZE, rw), 0);
	ck_assert_uint_eq(*pte_of(child, DATA + PAGE_SIZE) & (PTE_W | PTE_COW), PTE_W);
	vm_destroy(child);
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

/* fork and exit walk only the extents of three zones (program and heap,
 * mmap, stack); pages on both sides of a zone boundary share page tables,
 * which each walk must make or free once. */
START_TEST(clone_and_destroy_across_zone_boundaries)
{
	static const u64 va[] = {
		USER_MMAP_BASE - PAGE_SIZE, USER_MMAP_BASE,          /* two PML4 slots */
		USER_STACK_BOTTOM - PAGE_SIZE, USER_STACK_BOTTOM,    /* one page table */
		USER_STACK_TOP - PAGE_SIZE,
	};
	struct vmspace *parent = vm_create(), *child;

	ck_assert_ptr_nonnull(parent);
	for (size_t i = 0; i < ARRAY_LEN(va); i++) {
		ck_assert_int_eq(vm_alloc_range(parent, va[i], va[i] + PAGE_SIZE, PTE_U | PTE_W | PTE_NX), 0);
		fill(parent, va[i], PAGE_SIZE, (u8)(10 + i));
	}
	child = vm_clone(parent);
	ck_assert_ptr_nonnull(child);
	for (size_t i = 0; i < ARRAY_LEN(va); i++)
		ck_assert(holds(child, va[i], PAGE_SIZE, (u8)(10 + i)));
	fill(child, USER_STACK_BOTTOM, PAGE_SIZE, 99);
	vm_destroy(parent);
	for (size_t i = 0; i < ARRAY_LEN(va); i++)
		ck_assert(holds(child, va[i], PAGE_SIZE, va[i] == USER_STACK_BOTTOM ? 99 : (u8)(10 + i)));
	vm_destroy(child);
	ck_assert_uint_eq(pmm_free_frames(), free0);
	ck_assert_int_eq(sim_kmalloc_live, 0);
}
END_TEST

START_TEST(alloc_range_failure_gives_back_its_pages)
{
	/* 3 pages across a table boundary need up to 4 tables and 3 frames:
	 * run out after each possible number of frames. */
	for (size_t keep = 0; keep < 4 + 3; keep++) {
		struct vmspace *vm = vm_create();
		u64 pa;

		ck_assert_ptr_nonnull(vm);
		starve(keep);
		ck_assert_int_eq(vm_alloc_range(vm, DATA, DATA + 3 * PAGE_SIZE, PTE_U | PTE_W),
		                 -ENOMEM);
		for (int i = 0; i < 3; i++)
			ck_assert_int_eq(vm_translate(vm, DATA + i * PAGE_SIZE, false, &pa), -EFAULT);
		/* Only page tables may stay (vm owns them; destroy frees them). */
		ck_assert_uint_le(keep - pmm_free_frames(), 4);
		feed();
		vm_destroy(vm);
		ck_assert_uint_eq(pmm_free_frames(), free0);
	}
	/* With exactly enough it succeeds. */
	{
		struct vmspace *vm = vm_create();
		starve(4 + 3);
		ck_assert_int_eq(vm_alloc_range(vm, DATA, DATA + 3 * PAGE_SIZE, PTE_U | PTE_W), 0);
		ck_assert_uint_eq(pmm_free_frames(), 0);
		feed();
		vm_destroy(vm);
		ck_assert_uint_eq(pmm_free_frames(), free0);
	}
}
END_TEST

START_TEST(clone_failure_frees_everything)
{
	struct vmspace *parent = sample_space(), *child;
	size_t need = free0 - pmm_free_frames() - SAMPLE_PAGES;  /* the tables, no page */

	for (size_t keep = 0; keep < need; keep++) {
		starve(keep);
		ck_assert_ptr_null(vm_clone(parent));
		ck_assert_uint_eq(pmm_free_frames(), keep);     /* every frame back */
		ck_assert_int_eq(sim_kmalloc_live, 1);          /* only the parent's */
		feed();
	}
	sim_kmalloc_fail = 1;
	ck_assert_ptr_null(vm_clone(parent));
	starve(need);
	child = vm_clone(parent);
	ck_assert_ptr_nonnull(child);
	ck_assert_uint_eq(pmm_free_frames(), 0);
	feed();
	ck_assert(holds(child, DATA, 3 * PAGE_SIZE, 2));
	ck_assert(holds(parent, DATA, 3 * PAGE_SIZE, 2));  /* the parent never changed */
	/* The failed clones' copy-on-write marks on the parent are harmless:
	 * its frames have no other user, a write just gets W back. */
	fill(parent, DATA, 3 * PAGE_SIZE, 5);
	ck_assert(holds(child, DATA, 3 * PAGE_SIZE, 2));
	vm_destroy(child);
	vm_destroy(parent);
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

START_TEST(destroy_leaves_kernel_half_alone)
{
	struct vmspace *vm = sample_space();

	vm_destroy(vm);
	/* The kernel's reserved frames are still reserved: a free of one of them
	 * would have raised the count above free0. */
	ck_assert_uint_eq(pmm_free_frames(), free0);
	ck_assert_uint_eq(boot_pml4[256] & PTE_ADDR, KFRAME(0));
	ck_assert_uint_eq(((u64 *)P2V(KFRAME(2)))[0] & PTE_ADDR, KFRAME(3));
}
END_TEST

/* Whether va is among the addresses invlpg'd since the log was cleared. */
static bool invlpg_logged(u64 va)
{
	for (unsigned long i = 0; i < shim_invlpg_count && i < SHIM_INVLPG_LOG; i++)
		if (shim_invlpg_log[i] == va)
			return true;
	return false;
}

/* What the CPU does when it walks to a page of the loaded space (and may
 * cache the translation): set the PTE's accessed bit. */
static void touch(const struct vmspace *vm, u64 va)
{
	*pte_of(vm, va) |= PTE_A;
}

static void clear_tlb_log(void)
{
	shim_invlpg_count = 0;
	shim_cr3_writes = 0;
}

/* A switch never writes CR3: the live table (boot_pml4) takes the space's
 * top-level entries, the kernel half stays as it is. */
START_TEST(activate_loads_top_entries_not_cr3)
{
	struct vmspace *vm = vm_create();
	u64 *top;

	ck_assert_int_eq(vm_alloc_range(vm, CODE, CODE + PAGE_SIZE, PTE_U), 0);
	ck_assert_int_eq(vm_alloc_range(vm, STACK, STACK + PAGE_SIZE, PTE_U | PTE_W), 0);
	top = P2V(vm->pml4);
	clear_tlb_log();
	vm_activate(vm);
	ck_assert_uint_eq(shim_cr3_writes, 0);
	ck_assert_uint_eq(boot_pml4[0], top[0]);
	ck_assert_uint_eq(boot_pml4[255], top[255]);
	ck_assert_uint_ne(boot_pml4[255] & PTE_P, 0);
	ck_assert_uint_eq(boot_pml4[256] & PTE_ADDR, KFRAME(0));
	vm_activate(vm);                     /* already loaded: nothing to do */
	ck_assert_uint_eq(shim_invlpg_count, 0);
	vm_activate(NULL);
	ck_assert_uint_eq(boot_pml4[0], 0);
	ck_assert_uint_eq(boot_pml4[255], 0);
	ck_assert_uint_eq(shim_cr3_writes, 0);
	vm_destroy(vm);
}
END_TEST

/* Leaving a space drops each of its present pages from the TLB, and only
 * those (not its page tables' empty slots, not the next space's). */
START_TEST(switch_drops_every_page_of_the_last_space)
{
	struct vmspace *a = vm_create(), *b = vm_create();

	ck_assert_int_eq(vm_alloc_range(a, DATA, DATA + 3 * PAGE_SIZE, PTE_U | PTE_W), 0);
	ck_assert_int_eq(vm_alloc_range(a, STACK, STACK + PAGE_SIZE, PTE_U | PTE_W), 0);
	ck_assert_int_eq(vm_alloc_range(a, CODE, CODE + PAGE_SIZE, PTE_U), 0);
	ck_assert_int_eq(vm_alloc_range(b, CODE, CODE + PAGE_SIZE, PTE_U), 0);
	vm_activate(a);
	for (int i = 0; i < 3; i++)
		touch(a, DATA + i * PAGE_SIZE);
	touch(a, STACK);                       /* a's CODE page: never walked to */
	clear_tlb_log();
	vm_activate(b);
	ck_assert_uint_eq(shim_invlpg_count, 4);
	for (int i = 0; i < 3; i++)
		ck_assert(invlpg_logged(DATA + i * PAGE_SIZE));
	ck_assert(invlpg_logged(STACK));
	ck_assert_uint_eq(*pte_of(a, STACK) & PTE_A, 0);
	ck_assert_uint_eq(shim_cr3_writes, 0);
	ck_assert_uint_eq(boot_pml4[255], 0);  /* a's stack slot: b has none */
	ck_assert_uint_eq(boot_pml4[0], ((u64 *)P2V(b->pml4))[0]);
	/* Back and forth: only what was walked to since. */
	vm_activate(a);
	touch(a, CODE);
	clear_tlb_log();
	vm_activate(b);
	ck_assert_uint_eq(shim_invlpg_count, 1);
	ck_assert(invlpg_logged(CODE));
	/* Nothing walked to: one invlpg still, for the paging-structure caches. */
	vm_activate(a);
	clear_tlb_log();
	vm_activate(b);
	ck_assert_uint_eq(shim_invlpg_count, 1);
	vm_activate(NULL);
	vm_destroy(a);
	vm_destroy(b);
}
END_TEST

/* A forked space inherits its parent's pages, and drops them when it
 * leaves; a frame mapped by vm_map_frame (a page of the program file) is
 * dropped too. */
START_TEST(a_clone_drops_the_pages_it_inherited)
{
	struct vmspace *a = vm_create(), *c;
	u64 pa = pmm_alloc();

	ck_assert_int_eq(vm_alloc_range(a, DATA, DATA + 2 * PAGE_SIZE, PTE_U | PTE_W), 0);
	ck_assert_int_eq(vm_map_frame(a, CODE, pa, PTE_U), 0);
	vm_activate(a);
	touch(a, DATA);                        /* the parent's: not the child's */
	c = vm_clone(a);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(*pte_of(c, DATA) & PTE_A, 0);
	vm_activate(c);
	touch(c, DATA);
	touch(c, DATA + PAGE_SIZE);
	touch(c, CODE);
	clear_tlb_log();
	vm_activate(NULL);
	ck_assert_uint_eq(shim_invlpg_count, 3);
	ck_assert(invlpg_logged(DATA));
	ck_assert(invlpg_logged(DATA + PAGE_SIZE));
	ck_assert(invlpg_logged(CODE));
	ck_assert_uint_eq(shim_cr3_writes, 0);
	vm_destroy(c);
	vm_destroy(a);
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

/* Mapping a frame where a page is mapped changes nothing and says so
 * (fault-around maps a window's pages whether or not some are there). */
START_TEST(map_frame_over_a_mapped_page_is_eexist)
{
	struct vmspace *vm = vm_create();
	u64 pa = pmm_alloc(), before, *pte;

	ck_assert_int_eq(vm_alloc_range(vm, CODE, CODE + PAGE_SIZE, PTE_U), 0);
	before = *(pte = pte_of(vm, CODE));
	ck_assert_int_eq(vm_map_frame(vm, CODE, pa, PTE_U | PTE_W), -EEXIST);
	ck_assert_uint_eq(*pte, before);
	ck_assert_uint_eq(pmm_refcount(pa), 1);
	pmm_free(pa);
	vm_destroy(vm);
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

/* A page mapped in a top-level slot between two others of the same zone
 * (MAP_FIXED anywhere in the mmap region) is in the live table after the
 * space is switched out and back in. */
START_TEST(every_slot_a_space_uses_is_loaded)
{
	struct vmspace *vm = vm_create();
	u64 lo = USER_MMAP_BASE, hi = USER_MMAP_BASE + (8UL << 39), mid = USER_MMAP_BASE + (3UL << 39);
	int slot = (int)(mid >> 39);

	ck_assert_int_eq(vm_alloc_range(vm, lo, lo + PAGE_SIZE, PTE_U), 0);
	ck_assert_int_eq(vm_alloc_range(vm, hi, hi + PAGE_SIZE, PTE_U), 0);
	ck_assert_int_eq(vm_alloc_range(vm, mid, mid + PAGE_SIZE, PTE_U), 0);
	vm_activate(vm);
	ck_assert_uint_ne(boot_pml4[slot] & PTE_P, 0);
	ck_assert_uint_eq(boot_pml4[slot], ((u64 *)P2V(vm->pml4))[slot]);
	vm_activate(NULL);
	ck_assert_uint_eq(boot_pml4[slot], 0);
	vm_destroy(vm);
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

/* A space that mapped more pages than it lists leaves by one CR3 reload. */
START_TEST(switch_from_a_big_space_reloads_cr3)
{
	struct vmspace *a = vm_create(), *b = vm_create();

	ck_assert_int_eq(vm_alloc_range(a, DATA, DATA + (VM_TLB_LIST + 1) * PAGE_SIZE,
					 PTE_U | PTE_W), 0);
	vm_activate(a);
	clear_tlb_log();
	vm_activate(b);
	ck_assert_uint_eq(shim_cr3_writes, 1);
	ck_assert_uint_eq(shim_cr3, V2P(boot_pml4));
	ck_assert_uint_eq(boot_pml4[0], 0);
	vm_destroy(a);
	vm_destroy(b);
}
END_TEST

/* A top-level table made while the space is loaded reaches the live table
 * at once; destroying the loaded space unloads it before freeing frames. */
START_TEST(loaded_space_grows_and_dies_in_the_live_table)
{
	struct vmspace *vm = vm_create();

	vm_activate(vm);
	ck_assert_int_eq(vm_alloc_range(vm, STACK, STACK + PAGE_SIZE, PTE_U | PTE_W), 0);
	ck_assert_uint_ne(boot_pml4[255] & PTE_P, 0);
	ck_assert_uint_eq(boot_pml4[255], ((u64 *)P2V(vm->pml4))[255]);
	touch(vm, STACK);
	clear_tlb_log();
	vm_destroy(vm);
	ck_assert_uint_eq(boot_pml4[255], 0);
	ck_assert(invlpg_logged(STACK));
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

/* fork of the loaded space drops the pages it made copy-on-write from the
 * TLB (else the parent would go on writing the shared frame); fork of a
 * space not loaded has nothing in the TLB to drop. */
START_TEST(clone_drops_cow_pages_only_of_the_loaded_space)
{
	struct vmspace *a = vm_create(), *b = vm_create(), *c;

	ck_assert_int_eq(vm_alloc_range(a, DATA, DATA + 2 * PAGE_SIZE, PTE_U | PTE_W), 0);
	ck_assert_int_eq(vm_alloc_range(b, DATA, DATA + 2 * PAGE_SIZE, PTE_U | PTE_W), 0);
	vm_activate(a);
	clear_tlb_log();
	c = vm_clone(a);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(shim_invlpg_count, 2);
	vm_destroy(c);
	clear_tlb_log();
	c = vm_clone(b);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(shim_invlpg_count, 0);
	vm_destroy(c);
	vm_activate(NULL);
	vm_destroy(a);
	vm_destroy(b);
}
END_TEST

/* Page tables go back to pmm as known-zero frames, handed out again
 * without clearing: every frame pmm_alloc gives after spaces came and went
 * must still be all zeros (a table freed with an entry left in it would
 * not be). */
START_TEST(freed_tables_come_back_as_zero_frames)
{
	struct vmspace *a = sample_space(), *b = vm_clone(a);
	size_t n;

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(vm_write(b, DATA, "dirty", 5), 0);
	vm_destroy(a);
	vm_destroy(b);
	ck_assert_uint_eq(pmm_free_frames(), free0);
	n = pmm_free_frames();
	for (size_t k = 0; k < n; k++) {
		u64 pa = pmm_alloc();
		const u64 *w = P2V(pa);
		ck_assert_uint_ne(pa, 0);
		for (int i = 0; i < 512; i++)
			ck_assert_uint_eq(w[i], 0);
		hoard[nhoard++] = pa;
	}
	ck_assert_uint_eq(pmm_alloc(), 0);
	feed();
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

static Suite *vm_suite(void)
{
	Suite *s = suite_create("vm");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, create_is_empty_destroy_frees_all);
	tcase_add_test(tc, create_fails_cleanly);
	tcase_add_test(tc, alloc_range_maps_zeroed_private_frames);
	tcase_add_test(tc, alloc_range_never_replaces_a_mapping);
	tcase_add_test(tc, translate_refuses_what_user_may_not_touch);
	tcase_add_test(tc, add_flags_and_write);
	tcase_add_test(tc, clone_is_an_independent_copy);
	tcase_add_test(tc, cow_fault_copies_once_then_the_last_user_keeps_the_frame);
	tcase_add_test(tc, cow_fault_out_of_memory_changes_nothing);
	tcase_add_test(tc, clone_keeps_shared_mappings_shared_and_copies_saturated_frames);
	tcase_add_test(tc, protect_after_clone_never_writes_a_shared_frame);
	tcase_add_test(tc, clone_and_destroy_across_zone_boundaries);
	tcase_add_test(tc, alloc_range_failure_gives_back_its_pages);
	tcase_add_test(tc, clone_failure_frees_everything);
	tcase_add_test(tc, destroy_leaves_kernel_half_alone);
	tcase_add_test(tc, activate_loads_top_entries_not_cr3);
	tcase_add_test(tc, freed_tables_come_back_as_zero_frames);
	tcase_add_test(tc, switch_drops_every_page_of_the_last_space);
	tcase_add_test(tc, switch_from_a_big_space_reloads_cr3);
	tcase_add_test(tc, a_clone_drops_the_pages_it_inherited);
	tcase_add_test(tc, map_frame_over_a_mapped_page_is_eexist);
	tcase_add_test(tc, every_slot_a_space_uses_is_loaded);
	tcase_add_test(tc, loaded_space_grows_and_dies_in_the_live_table);
	tcase_add_test(tc, clone_drops_cow_pages_only_of_the_loaded_space);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	setenv("CK_FORK", "yes", 1);       /* fresh vm and pmm state per test */
	return ut_run(vm_suite());
}
