/* Host tests for kernel/mm/pmm.c on simulated memory (shim/sim_machine.h):
 * counts, zeroed frames, exhaustion, contiguous runs, and the panics that
 * catch a double or bogus free.  The allocator is a static singleton, so
 * each test needs a fresh process: main forces Check's fork mode. */
#include "mm/pmm.h"
#include "ut.h"
#include "sim_machine.h"

#define BASE 0x100000UL            /* the region starts at 1 MiB, as on a PC */
#define NFR 64                     /* frames in the region */
#define PA(i) (BASE + (u64)(i) * PAGE_SIZE)

static size_t free0;               /* free frames when the test started */

static void setup(void)
{
	if (!shim_ram)
		sim_ram_init(BASE + NFR * PAGE_SIZE + PAGE_SIZE);
	pmm_add_region(BASE, NFR * PAGE_SIZE);
	free0 = pmm_free_frames();
}

/* Allocate every free frame into out (room for NFR); returns how many. */
static size_t alloc_all(u64 *out)
{
	size_t n = 0;
	u64 pa;

	while ((pa = pmm_alloc()) != 0) {
		ck_assert_uint_lt(n, NFR);
		out[n++] = pa;
	}
	return n;
}

static void free_all(const u64 *pas, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pmm_free(pas[i]);
}

START_TEST(region_counts)
{
	ck_assert_uint_eq(free0, NFR);
	ck_assert_uint_eq(pmm_total_frames(), NFR);
	/* Adding the same region again adds nothing. */
	pmm_add_region(BASE, NFR * PAGE_SIZE);
	ck_assert_uint_eq(pmm_free_frames(), NFR);
	/* An unaligned region only counts its whole frames. */
	pmm_add_region(BASE + NFR * PAGE_SIZE - 100, PAGE_SIZE + 50);
	ck_assert_uint_eq(pmm_total_frames(), NFR);
	/* Reserving takes frames out of both counts, once. */
	pmm_reserve(PA(10), 2 * PAGE_SIZE);
	pmm_reserve(PA(10) + 5, 1);
	ck_assert_uint_eq(pmm_free_frames(), NFR - 2);
	ck_assert_uint_eq(pmm_total_frames(), NFR - 2);
}
END_TEST

START_TEST(alloc_is_aligned_distinct_in_region_zeroed)
{
	u64 pas[NFR];
	size_t n = alloc_all(pas);

	ck_assert_uint_eq(n, NFR);
	ck_assert_uint_eq(pmm_free_frames(), 0);
	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_eq(pas[i] % PAGE_SIZE, 0);
		ck_assert(pas[i] >= BASE && pas[i] < PA(NFR));
		for (size_t j = 0; j < i; j++)
			ck_assert_uint_ne(pas[i], pas[j]);
		memset(P2V(pas[i]), 0xAB, PAGE_SIZE);      /* dirty it */
	}
	free_all(pas, n);
	ck_assert_uint_eq(pmm_free_frames(), free0);
	/* Frames come back zeroed, whoever wrote to them before. */
	n = alloc_all(pas);
	for (size_t i = 0; i < n; i++) {
		const u8 *p = P2V(pas[i]);
		for (size_t b = 0; b < PAGE_SIZE; b++)
			ck_assert_uint_eq(p[b], 0);
	}
	free_all(pas, n);
}
END_TEST

START_TEST(exhaustion_and_reuse)
{
	u64 pas[NFR], again;
	size_t n = alloc_all(pas);

	ck_assert_uint_eq(n, NFR);
	ck_assert_uint_eq(pmm_alloc(), 0);
	ck_assert_uint_eq(pmm_alloc_contig(1), 0);
	pmm_free(pas[17]);
	ck_assert_uint_eq(pmm_free_frames(), 1);
	again = pmm_alloc();
	ck_assert_uint_eq(again, pas[17]);       /* found even behind the hint */
	ck_assert_uint_eq(pmm_free_frames(), 0);
	free_all(pas, n);
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

START_TEST(reserved_frames_never_handed_out)
{
	u64 pas[NFR];
	size_t n;

	pmm_reserve(PA(0), 8 * PAGE_SIZE);
	n = alloc_all(pas);
	ck_assert_uint_eq(n, NFR - 8);
	for (size_t i = 0; i < n; i++)
		ck_assert(pas[i] >= PA(8));
	free_all(pas, n);
}
END_TEST

START_TEST(contig_runs)
{
	u64 pas[NFR], run, one;

	ck_assert_uint_eq(pmm_alloc_contig(0), 0);
	ck_assert_uint_eq(pmm_alloc_contig(NFR + 1), 0);
	run = pmm_alloc_contig(5);
	ck_assert_uint_ne(run, 0);
	ck_assert_uint_eq(pmm_free_frames(), free0 - 5);
	/* No later single frame lands inside the run. */
	one = pmm_alloc();
	ck_assert_uint_ne(one, 0);
	ck_assert(one < run || one >= run + 5 * PAGE_SIZE);
	pmm_free(one);
	pmm_free_contig(run, 5);
	ck_assert_uint_eq(pmm_free_frames(), free0);
	/* Fragment: every even frame free.  Half the memory is free, yet no
	 * run of two exists until two neighbours are freed. */
	ck_assert_uint_eq(alloc_all(pas), NFR);
	for (size_t f = 0; f < NFR; f += 2)
		pmm_free(PA(f));
	ck_assert_uint_eq(pmm_free_frames(), NFR / 2);
	ck_assert_uint_eq(pmm_alloc_contig(2), 0);
	ck_assert_uint_eq(pmm_free_frames(), NFR / 2);
	pmm_free(PA(41));                     /* 40 was free already */
	ck_assert_uint_eq(pmm_alloc_contig(2), PA(40));
	pmm_free_contig(PA(40), 2);
	for (size_t f = 1; f < NFR; f += 2)
		if (f != 41)
			pmm_free(PA(f));
	ck_assert_uint_eq(pmm_free_frames(), free0);
	/* The whole region is one run again. */
	run = pmm_alloc_contig(NFR);
	ck_assert_uint_eq(run, PA(0));
	pmm_free_contig(run, NFR);
}
END_TEST

START_TEST(double_free_panics)
{
	u64 pa = pmm_alloc();

	ck_assert_uint_ne(pa, 0);
	pmm_free(pa);
	SIM_EXPECT_PANIC(pmm_free(pa), "pmm_free");
	ck_assert_uint_eq(pmm_free_frames(), free0);   /* the count did not move */
}
END_TEST

START_TEST(bogus_frees_panic)
{
	u64 pa = pmm_alloc();

	SIM_EXPECT_PANIC(pmm_free(PA(NFR - 1)), "pmm_free");      /* never allocated */
	SIM_EXPECT_PANIC(pmm_free(pa + 8), "pmm_free");           /* not a frame start */
	SIM_EXPECT_PANIC(pmm_free(PMM_MAX_BYTES), "pmm_free");    /* beyond the bitmap */
	pmm_free(pa);
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

/* A shared frame (fork, the text cache) is freed only by its last user. */
START_TEST(shared_frame_freed_by_last_reference)
{
	u64 pa = pmm_alloc();

	ck_assert_uint_ne(pa, 0);
	pmm_ref(pa);
	pmm_ref(pa);
	pmm_free(pa);
	pmm_free(pa);
	ck_assert_uint_eq(pmm_free_frames(), free0 - 1);   /* one user left */
	pmm_free(pa);
	ck_assert_uint_eq(pmm_free_frames(), free0);
	SIM_EXPECT_PANIC(pmm_free(pa), "pmm_free");
	SIM_EXPECT_PANIC(pmm_ref(pa), "pmm_ref");          /* free frames have no users */
}
END_TEST

/* A reference count never wraps: at its limit pmm_ref refuses (the caller
 * copies the frame) and the count stays where it was. */
START_TEST(reference_count_saturates_instead_of_wrapping)
{
	u64 pa = pmm_alloc();
	int n = 1;

	while (pmm_ref(pa))
		n++;
	ck_assert_int_eq(n, 0xFFFF);
	ck_assert(!pmm_ref(pa));
	for (int i = 0; i < n - 1; i++)
		pmm_free(pa);
	ck_assert_uint_eq(pmm_free_frames(), free0 - 1);   /* one user left */
	pmm_free(pa);
	ck_assert_uint_eq(pmm_free_frames(), free0);
}
END_TEST

/* A frame freed as known-zero counts as free at once and serves the next
 * pmm_alloc as it is (the caller promised zeros: poisoning it shows it is
 * not cleared again); the pool never hides frames from a contiguous run
 * or a copy frame when memory is short; a shared frame just loses a
 * reference. */
START_TEST(zeroed_frames_are_reused_without_clearing)
{
	u64 all[NFR], pa = pmm_alloc(), q;
	size_t n;

	pmm_free_zeroed(pa);
	ck_assert_uint_eq(pmm_free_frames(), free0);
	*(u64 *)P2V(pa) = 0x5A;          /* breaks the promise, to see reuse */
	ck_assert_uint_eq(pmm_alloc(), pa);
	ck_assert_uint_eq(*(u64 *)P2V(pa), 0x5A);
	*(u64 *)P2V(pa) = 0;
	ck_assert(pmm_ref(pa));
	pmm_free_zeroed(pa);             /* one of two references */
	ck_assert_uint_eq(pmm_refcount(pa), 1);
	pmm_free_zeroed(pa);
	ck_assert_uint_eq(pmm_free_frames(), free0);

	n = alloc_all(all);
	ck_assert_uint_eq(n, NFR);
	pmm_free_zeroed(all[3]);
	pmm_free_zeroed(all[4]);
	ck_assert_uint_eq(pmm_free_frames(), 2);
	q = pmm_alloc_contig(2);         /* only the pool's frames are free */
	ck_assert_uint_eq(q, all[3]);
	pmm_free_zeroed(all[7]);
	ck_assert_uint_eq(pmm_alloc_for_copy(), all[7]);
	ck_assert_uint_eq(pmm_free_frames(), 0);
	ck_assert_uint_eq(pmm_alloc(), 0);
}
END_TEST

static Suite *pmm_suite(void)
{
	Suite *s = suite_create("pmm");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, region_counts);
	tcase_add_test(tc, alloc_is_aligned_distinct_in_region_zeroed);
	tcase_add_test(tc, exhaustion_and_reuse);
	tcase_add_test(tc, reserved_frames_never_handed_out);
	tcase_add_test(tc, contig_runs);
	tcase_add_test(tc, double_free_panics);
	tcase_add_test(tc, bogus_frees_panic);
	tcase_add_test(tc, shared_frame_freed_by_last_reference);
	tcase_add_test(tc, reference_count_saturates_instead_of_wrapping);
	tcase_add_test(tc, zeroed_frames_are_reused_without_clearing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	setenv("CK_FORK", "yes", 1);       /* a fresh allocator per test */
	return ut_run(pmm_suite());
}
