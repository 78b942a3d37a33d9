/* A bitmap of frames (bit set = in use) with a rotating search hint, and a
 * reference count per frame so read-only user pages can be shared (fork, the
 * program text cache).  Frames are zeroed on allocation, so no user process
 * ever sees another's data; a frame freed known to be zero (an emptied page
 * table) waits in a small pool and is handed out again without clearing. */
#include "mm/pmm.h"
#include "arch/x86_64/memlayout.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define NFRAMES (PMM_MAX_BYTES / PAGE_SIZE)

static u64 bitmap[NFRAMES / 64];
#define REFS_MAX 0xFFFF
static u16 refs[NFRAMES];           /* users of an allocated frame, never past REFS_MAX */
static size_t nfree, ntotal, hint;
static bool bitmap_ready;

/* Free frames known to hold only zeros, last in first out.  They stay
 * marked used in the bitmap (take_run must not hand them out as well) but
 * count as free: freeram stays exact. */
#define ZERO_POOL 64
static u64 zero_pool[ZERO_POOL];
static size_t nzero;

static bool frame_used(size_t f) { return bitmap[f / 64] & (1UL << (f % 64)); }
static void frame_set(size_t f) { bitmap[f / 64] |= 1UL << (f % 64); }
static void frame_clear(size_t f) { bitmap[f / 64] &= ~(1UL << (f % 64)); }

static void bitmap_init(void)
{
	if (!bitmap_ready) {
		memset(bitmap, 0xFF, sizeof(bitmap));
		bitmap_ready = true;
	}
}

void pmm_add_region(u64 base, u64 len)
{
	u64 start = ALIGN_UP(base, PAGE_SIZE), end = ALIGN_DOWN(base + len, PAGE_SIZE);

	bitmap_init();
	if (end > PMM_MAX_BYTES)
		end = PMM_MAX_BYTES;
	for (u64 pa = start; pa < end; pa += PAGE_SIZE) {
		size_t f = pa / PAGE_SIZE;
		if (frame_used(f)) {
			frame_clear(f);
			nfree++, ntotal++;
		}
	}
}

void pmm_reserve(u64 base, u64 len)
{
	u64 start = ALIGN_DOWN(base, PAGE_SIZE), end = ALIGN_UP(base + len, PAGE_SIZE);

	bitmap_init();
	for (u64 pa = start; pa < end && pa < PMM_MAX_BYTES; pa += PAGE_SIZE) {
		size_t f = pa / PAGE_SIZE;
		if (!frame_used(f)) {
			frame_set(f);
			nfree--, ntotal--;
		}
	}
}

/* First free frame at or after f, a word at a time; NFRAMES if none. */
static size_t next_free(size_t f)
{
	while (f < NFRAMES) {
		u64 word = bitmap[f / 64] | ((1UL << (f % 64)) - 1);   /* ignore bits below f */
		if (~word)
			return f - f % 64 + (size_t)__builtin_ctzl(~word);
		f = f - f % 64 + 64;
	}
	return NFRAMES;
}

/* First run of n free frames at or after the hint, wrapping once; NFRAMES if none. */
static size_t find_run(size_t n)
{
	for (size_t pass = 0, start = hint; pass < 2; pass++, start = 0) {
		for (size_t f = next_free(start); f + n <= NFRAMES; f = next_free(f + 1)) {
			size_t run = 1;
			while (run < n && !frame_used(f + run))
				run++;
			if (run == n)
				return f;
			f += run;
		}
	}
	return NFRAMES;
}

/* Give the pool's frames back to the bitmap: a run that needs them. */
static void drain_zero_pool(void)
{
	while (nzero) {
		size_t f = zero_pool[--nzero] / PAGE_SIZE;
		frame_clear(f);
		if (f < hint)
			hint = f;
	}
}

/* Take n contiguous frames, contents as they were; 0 if none. */
static u64 take_run(size_t n)
{
	size_t f;

	if (n == 0 || n > nfree)
		return 0;
	f = find_run(n);
	if (f == NFRAMES && nzero) {
		drain_zero_pool();
		f = find_run(n);
	}
	if (f == NFRAMES)
		return 0;
	for (size_t i = 0; i < n; i++) {
		frame_set(f + i);
		refs[f + i] = 1;
	}
	nfree -= n;
	hint = f + n;
	return f * PAGE_SIZE;
}

u64 pmm_alloc_contig(size_t n)
{
	u64 pa = take_run(n);

	if (pa)
		memset(P2V(pa), 0, n * PAGE_SIZE);
	return pa;
}

u64 pmm_alloc(void)
{
	if (nzero) {
		u64 pa = zero_pool[--nzero];
		refs[pa / PAGE_SIZE] = 1;
		nfree--;
		return pa;
	}
	return pmm_alloc_contig(1);
}

u64 pmm_alloc_for_copy(void)
{
	return take_run(1);
}

u64 pmm_alloc_contig_for_copy(size_t n)
{
	return take_run(n);
}

/* The frame number of pa, which must be a frame someone holds (a reference
 * count above 0): anything else is a kernel bug (a double free, a bogus
 * address) and panics.  One test, not four: this runs for every page fork
 * shares and exit frees (NFRAMES is a power of two, so the masked index
 * never reads outside refs[]). */
static size_t held_frame(u64 pa, const char *who)
{
	size_t f = pa / PAGE_SIZE;

	_Static_assert((NFRAMES & (NFRAMES - 1)) == 0, "NFRAMES must be a power of two");
	if ((pa % PAGE_SIZE) | (f & ~(size_t)(NFRAMES - 1)) | (refs[f & (NFRAMES - 1)] == 0))
		panic("%s: bad frame %#lx", who, pa);
	return f;
}

/* Drop one reference to frame f; it is free when none is left. */
static inline void drop_ref(size_t f)
{
	if (--refs[f] == 0) {
		frame_clear(f);
		nfree++;
	}
}

void pmm_free_contig(u64 pa, size_t n)
{
	for (size_t i = 0; i < n; i++)
		drop_ref(held_frame(pa + i * PAGE_SIZE, "pmm_free"));
}

bool pmm_ref(u64 pa)
{
	size_t f = held_frame(pa, "pmm_ref");

	if (refs[f] == REFS_MAX)
		return false;          /* saturated: the caller copies the frame instead */
	refs[f]++;
	return true;
}

size_t pmm_refcount(u64 pa)
{
	return refs[held_frame(pa, "pmm_refcount")];
}

void pmm_free(u64 pa)
{
	drop_ref(held_frame(pa, "pmm_free"));
}

void pmm_free_zeroed(u64 pa)
{
	size_t f = held_frame(pa, "pmm_free");

	if (nzero == ZERO_POOL || refs[f] != 1) {
		drop_ref(f);            /* pool full, or not the last reference: as usual */
		return;
	}
	refs[f] = 0;
	zero_pool[nzero++] = pa;
	nfree++;
}

size_t pmm_free_frames(void) { return nfree; }
size_t pmm_total_frames(void) { return ntotal; }
