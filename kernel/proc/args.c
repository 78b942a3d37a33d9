/* kargs: argv/envp arrays held in kernel memory.  Buffers start small and
 * double up to the limits, so a typical exec copies a few hundred bytes
 * instead of clearing the worst case. */
#include "proc/args.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"
#include "lib/errno.h"
#include "lib/string.h"

#define FIRST_BYTES 512
#define FIRST_COUNT 16

/* Grow *p (elem bytes each, *cap of them) to hold at least need, up to max. */
static int grow(void **p, size_t *cap, size_t need, size_t max, size_t elem)
{
	size_t n = *cap;
	void *q;

	if (need <= n)
		return 0;
	if (need > max)
		return -E2BIG;
	while (n < need)
		n *= 2;
	n = MIN(n, max);
	q = kmalloc(n * elem);
	if (!q)
		return -ENOMEM;
	memcpy(q, *p, *cap * elem);
	kfree(*p);
	*p = q;
	*cap = n;
	return 0;
}

static int kargs_init(struct kargs *a)
{
	a->count = 0;
	a->used = 0;
	a->buf_cap = FIRST_BYTES;
	a->v_cap = FIRST_COUNT + 1;
	a->buf = kmalloc(a->buf_cap);
	a->v = kmalloc(a->v_cap * sizeof(char *));
	if (!a->buf || !a->v) {
		kargs_free(a);
		return -ENOMEM;
	}
	a->v[0] = NULL;
	return 0;
}

/* Room for a string of up to len bytes + NUL at buf + used. */
static int kargs_reserve(struct kargs *a, size_t len)
{
	char *old = a->buf;
	int err = grow((void **)&a->buf, &a->buf_cap, a->used + len + 1, ARGS_MAX_BYTES, 1);

	if (err)
		return err;
	/* Moving the strings moves what the pointers point at. */
	for (int i = 0; i < a->count; i++)
		a->v[i] = a->buf + (a->v[i] - old);
	return 0;
}

/* Append the string already copied to buf + used (len bytes + NUL). */
static int kargs_push(struct kargs *a, size_t len)
{
	int err = grow((void **)&a->v, &a->v_cap, (size_t)a->count + 2, ARGS_MAX_COUNT + 1, sizeof(char *));

	if (err)
		return err;
	a->v[a->count++] = a->buf + a->used;
	a->v[a->count] = NULL;
	a->used += len + 1;
	return 0;
}

/* Copy one user string to the end of buf, growing buf as needed; its length or -errno. */
static long copy_user_string(struct kargs *a, uptr ustr)
{
	for (;;) {
		size_t room = a->buf_cap - a->used;
		long len = copyinstr(a->buf + a->used, ustr, room);
		if (len != -ENAMETOOLONG)
			return len;
		if (a->buf_cap == ARGS_MAX_BYTES)
			return -E2BIG;
		int err = kargs_reserve(a, a->buf_cap);   /* double and try again */
		if (err)
			return err;
	}
}

int kargs_from_user(uptr uargv, struct kargs *out)
{
	int err = kargs_init(out);

	for (uptr slot = uargv; !err && uargv; slot += sizeof(u64)) {
		u64 ustr;
		long len;
		if (fetch_u64(slot, &ustr) < 0) {
			err = -EFAULT;
			break;
		}
		if (!ustr)
			return 0;
		len = copy_user_string(out, ustr);
		err = len < 0 ? (int)len : kargs_push(out, (size_t)len);
	}
	if (err)
		kargs_free(out);
	return err;
}

int kargs_from_kernel(const char *const v[], int n, struct kargs *out)
{
	int err = kargs_init(out);

	for (int i = 0; !err && i < n; i++) {
		size_t len = strlen(v[i]);
		err = kargs_reserve(out, len);
		if (!err) {
			memcpy(out->buf + out->used, v[i], len + 1);
			err = kargs_push(out, len);
		}
	}
	if (err)
		kargs_free(out);
	return err;
}

void kargs_free(struct kargs *a)
{
	kfree(a->buf);
	kfree(a->v);
	a->buf = NULL;
	a->v = NULL;
	a->count = 0;
}
