/* kargs: argv/envp arrays held in kernel memory. */
#include "proc/args.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"
#include "lib/errno.h"
#include "lib/string.h"

static int kargs_init(struct kargs *a)
{
	a->count = 0;
	a->used = 0;
	a->buf = kmalloc(ARGS_MAX_BYTES);
	a->v = kmalloc((ARGS_MAX_COUNT + 1) * sizeof(char *));
	if (!a->buf || !a->v) {
		kargs_free(a);
		return -ENOMEM;
	}
	a->v[0] = NULL;
	return 0;
}

/* Append a string already in kernel memory at buf + used (len bytes + NUL). */
static int kargs_push(struct kargs *a, size_t len)
{
	if (a->count == ARGS_MAX_COUNT)
		return -E2BIG;
	a->v[a->count++] = a->buf + a->used;
	a->v[a->count] = NULL;
	a->used += len + 1;
	return 0;
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
		len = copyinstr(out->buf + out->used, ustr, ARGS_MAX_BYTES - out->used);
		if (len < 0)
			err = len == -ENAMETOOLONG ? -E2BIG : (int)len;
		else
			err = kargs_push(out, (size_t)len);
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
		if (len + 1 > ARGS_MAX_BYTES - out->used)
			err = -E2BIG;
		else {
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
