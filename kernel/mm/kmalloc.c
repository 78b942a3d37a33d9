/* Kernel heap.  Objects up to 2 KiB come from per-size-class slab pages; each
 * page counts its live objects and goes back to the frame allocator when the
 * count reaches zero, so free memory returns exactly to where it was once
 * everything is freed (the leak tests rely on that).  Larger requests get
 * whole contiguous frames with a header page-prefix. */
#include "mm/kmalloc.h"
#include "mm/pmm.h"
#include "arch/x86_64/memlayout.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define SLAB_MAGIC 0x51AB51ABu
#define LARGE_MAGIC 0x1A26E1A2u
#define NCLASSES 7                    /* 32 .. 2048 bytes */

struct slab {                         /* at the start of every slab page */
	u32 magic;
	u16 cls;
	u16 inuse;
	void *free;                       /* singly linked free objects */
	struct slab *next, *prev;         /* pages of this class with free objects */
};

struct large {                        /* at the start of a large allocation */
	u32 magic;
	u32 npages;
	u64 pad;
};

static struct slab *partial[NCLASSES];

static size_t class_size(int cls) { return 32UL << cls; }

static int size_class(size_t n)
{
	for (int c = 0; c < NCLASSES; c++)
		if (n <= class_size(c))
			return c;
	return -1;
}

/* Put a page with free objects on its class's list. */
static void slab_push(struct slab *s)
{
	s->prev = NULL;
	s->next = partial[s->cls];
	if (s->next)
		s->next->prev = s;
	partial[s->cls] = s;
}

static struct slab *slab_new(int cls)
{
	u64 pa = pmm_alloc();
	struct slab *s;
	size_t sz = class_size(cls);

	if (!pa)
		return NULL;
	s = P2V(pa);
	s->magic = SLAB_MAGIC;
	s->cls = (u16)cls;
	s->inuse = 0;
	s->free = NULL;
	/* Objects start at the first multiple of their size after the header. */
	for (u64 off = ALIGN_UP(sizeof(*s), sz); off + sz <= PAGE_SIZE; off += sz) {
		void **obj = (void **)((u8 *)s + off);
		*obj = s->free;
		s->free = obj;
	}
	slab_push(s);
	return s;
}

static void slab_unlink(struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[s->cls] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static void *large_alloc(size_t n)
{
	size_t npages = ALIGN_UP(n + sizeof(struct large), PAGE_SIZE) / PAGE_SIZE;
	u64 pa = pmm_alloc_contig_for_copy(npages);   /* kmalloc's memory is not cleared */
	struct large *l;

	if (!pa)
		return NULL;
	l = P2V(pa);
	l->magic = LARGE_MAGIC;
	l->npages = (u32)npages;
	return l + 1;
}

void *kmalloc(size_t n)
{
	int cls = size_class(n);
	struct slab *s;
	void **obj;

	if (cls < 0)
		return large_alloc(n);
	s = partial[cls] ? partial[cls] : slab_new(cls);
	if (!s)
		return NULL;
	obj = s->free;
	s->free = *obj;
	s->inuse++;
	if (!s->free)
		slab_unlink(s);
	return obj;
}

void *kzalloc(size_t n)
{
	void *p = kmalloc(n);

	if (p)
		memset(p, 0, n);
	return p;
}

void kfree(void *p)
{
	struct slab *s;

	if (!p)
		return;
	s = (struct slab *)ALIGN_DOWN((u64)p, PAGE_SIZE);
	if (s->magic == LARGE_MAGIC && (void *)((struct large *)s + 1) == p) {
		pmm_free_contig(V2P(s), ((struct large *)s)->npages);
		return;
	}
	if (s->magic != SLAB_MAGIC)
		panic("kfree: bad pointer %p", p);
	if (!s->free)
		slab_push(s);             /* it was full, so off the list */
	*(void **)p = s->free;
	s->free = p;
	if (--s->inuse == 0) {
		slab_unlink(s);
		s->magic = 0;
		pmm_free(V2P(s));
	}
}
