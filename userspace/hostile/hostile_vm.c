/*
 * hostile_vm: no mapping call may replace another mapping (docs/hostile.md).
 *
 * This program is linked 16 MiB below the start of the mmap region
 * (userspace.mk), so its program break can be pushed into the region where
 * mmap puts its pages.  Each case runs in a child:
 *
 *   brk_over_mmap      map a page, write a marker, move the break past it:
 *                      brk must refuse (return the old break) and the page
 *                      keep its marker.
 *   brk_to_mmap_base   grow the break up to the mmap region, then mmap: the
 *                      new mapping lies outside the heap and both hold their
 *                      own bytes.
 *   brk_shrink_regrow  shrink and grow the break across the same pages again
 *                      and again, with a mapping just above it: nothing leaks.
 *
 * The parent compares freeram before and after all cases (a replaced page's
 * frame would be lost for good), then checks that fork and exec still work.
 * Usage: hostile_vm [-v]
 */
#include <stdio.h>
#include <string.h>

#include "hostile.h"

#define PAGE 4096UL
#define MMAP_BASE 0x0000100000000000UL    /* kernel/arch/x86_64/memlayout.h */
#define MARKER 0x6d61726b6572UL

static unsigned long map_page(void)
{
	long p = los_syscall6(LOS_NR_mmap, 0, PAGE, 3, 0x22, -1, 0);

	if (p < 0)
		hostile_exit(3);
	*(volatile unsigned long *)p = MARKER;
	return (unsigned long)p;
}

static unsigned long brk_now(void) { return (unsigned long)SYS1(LOS_NR_brk, 0); }

static int brk_over_mmap(void)
{
	unsigned long m = map_page(), cur = brk_now(), r;

	if (m < cur)
		return 4;                  /* the layout this test needs */
	r = (unsigned long)SYS1(LOS_NR_brk, m + PAGE);
	if (r != cur)
		return 5;                  /* the break moved over the mapping */
	return *(volatile unsigned long *)m == MARKER ? 0 : 6;
}

static int brk_to_mmap_base(void)
{
	unsigned long cur = brk_now(), top = (unsigned long)SYS1(LOS_NR_brk, MMAP_BASE), m;

	if (top != MMAP_BASE && top != cur)
		return 4;                  /* moved, but not where asked */
	*(volatile unsigned long *)(top - 8) = 1;      /* the heap's last word is ours */
	m = map_page();
	if (m < top)
		return 5;                  /* mmap handed out heap addresses */
	*(volatile unsigned long *)(top - 8) = 2;
	return *(volatile unsigned long *)m == MARKER ? 0 : 6;
}

static int brk_shrink_regrow(void)
{
	unsigned long m = map_page(), cur = brk_now();

	for (int i = 0; i < 200; i++) {
		SYS1(LOS_NR_brk, m + 64 * PAGE);          /* refused: over the mapping */
		SYS1(LOS_NR_brk, cur + 16 * PAGE);
		*(volatile unsigned long *)(cur + 15 * PAGE) = 7;
		SYS1(LOS_NR_brk, cur);
	}
	return *(volatile unsigned long *)m == MARKER ? 0 : 6;
}

struct vcase {
	const char *name;
	int (*fn)(void);
};

static const struct vcase cases[] = {
	{ "brk_over_mmap", brk_over_mmap },
	{ "brk_to_mmap_base", brk_to_mmap_base },
	{ "brk_shrink_regrow", brk_shrink_regrow },
};

#define NCASES (sizeof cases / sizeof cases[0])

static int run_case(void *arg)
{
	return ((const struct vcase *)arg)->fn();
}

int main(int argc, char **argv)
{
	int verbose = argc > 1 && strcmp(argv[1], "-v") == 0, passed = 0, survived = 0;
	long before, after;

	hostile_start();
	hostile_fork_still_works();                               /* warm up */
	before = hostile_settled_freeram();
	for (size_t i = 0; i < NCASES; i++) {
		long st = hostile_run_child(run_case, (void *)&cases[i]);
		int ok = st == 0;

		if (!ok || verbose)
			printf("hostile_vm: %s %s: status %#lx\n", ok ? "ok" : "FAIL", cases[i].name, st);
		passed += ok;
		survived += SYS0(LOS_NR_getpid) > 0;
	}
	if (hostile_fork_still_works())
		printf("hostile_vm: fork and exec still work\n");
	after = hostile_settled_freeram();
	printf("hostile_vm: %zu cases, %d survived, %d passed, freeram before %ld after %ld\n",
	    NCASES, survived, passed, before, after);
	return (size_t)passed == NCASES && before == after ? 0 : 1;
}

/* A page of the image placed 16 MiB below the mmap region (userspace.mk:
 * --section-start), so the program break starts there: never referenced. */
static char high_page[PAGE] __attribute__((section(".hostile_high"), used, aligned(4096))) = { 1 };
