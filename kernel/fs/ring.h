/* A fixed byte ring (FIFO) for pipes and the console line discipline.
 * Pure code: no allocation, no kernel services, so host tests link it alone.
 * Readers and writers work in place: peek a contiguous run, copy it, then
 * consume/commit only what was really copied. */
#ifndef FS_RING_H
#define FS_RING_H

#include "lib/types.h"

#define RING_SIZE 4096

struct ring {
	u8 buf[RING_SIZE];
	size_t head;      /* index of the oldest byte */
	size_t len;       /* bytes stored */
};

static inline void ring_init(struct ring *r) { r->head = r->len = 0; }
static inline size_t ring_len(const struct ring *r) { return r->len; }
static inline size_t ring_space(const struct ring *r) { return RING_SIZE - r->len; }

/* The contiguous stored bytes starting skip bytes after the head: sets *p and
 * returns their count (0 when skip >= len). */
size_t ring_peek(const struct ring *r, size_t skip, const u8 **p);
/* Drop the n oldest bytes (n <= len). */
void ring_consume(struct ring *r, size_t n);

/* The contiguous free bytes after the newest one: sets *p, returns the count. */
size_t ring_free_run(struct ring *r, u8 **p);
/* Make n bytes written at the free run part of the contents (n <= that run). */
void ring_commit(struct ring *r, size_t n);

/* Convenience copies: put up to n bytes (returns how many fit); get up to n
 * bytes (returns how many there were). */
size_t ring_put(struct ring *r, const void *src, size_t n);
size_t ring_get(struct ring *r, void *dst, size_t n);

#endif
