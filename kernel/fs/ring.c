/* Byte ring: see ring.h. */
#include "fs/ring.h"
#include "lib/string.h"

/* Contiguous stored bytes from head + skip up to the end of the data or the
 * end of the array, whichever comes first. */
size_t ring_peek(const struct ring *r, size_t skip, const u8 **p)
{
	size_t start, run;

	if (skip >= r->len)
		return 0;
	start = (r->head + skip) % RING_SIZE;
	run = RING_SIZE - start;
	*p = r->buf + start;
	return MIN(run, r->len - skip);
}

/* Drop the n oldest bytes (n <= len). */
void ring_consume(struct ring *r, size_t n)
{
	r->head = (r->head + n) % RING_SIZE;
	r->len -= n;
	if (r->len == 0)
		r->head = 0;      /* keep runs long: an empty ring starts over */
}

/* Free bytes from the tail up to the head or the end of the array. */
size_t ring_free_run(struct ring *r, u8 **p)
{
	size_t tail = (r->head + r->len) % RING_SIZE;
	size_t run = RING_SIZE - tail;

	*p = r->buf + tail;
	return MIN(run, ring_space(r));
}

/* Append n bytes already written at the free run. */
void ring_commit(struct ring *r, size_t n)
{
	r->len += n;
}

/* Copy in as much of src as fits; returns the count. */
size_t ring_put(struct ring *r, const void *src, size_t n)
{
	size_t done = 0;
	u8 *p;

	while (done < n) {
		size_t run = MIN(ring_free_run(r, &p), n - done);

		if (run == 0)
			break;
		memcpy(p, (const u8 *)src + done, run);
		ring_commit(r, run);
		done += run;
	}
	return done;
}

/* Copy out and drop up to n of the oldest bytes; returns the count. */
size_t ring_get(struct ring *r, void *dst, size_t n)
{
	size_t done = 0;
	const u8 *p;

	while (done < n) {
		size_t run = MIN(ring_peek(r, 0, &p), n - done);

		if (run == 0)
			break;
		memcpy((u8 *)dst + done, p, run);
		ring_consume(r, run);
		done += run;
	}
	return done;
}
