/* Argument vectors copied into the kernel before anything is built from them
 * (exec): bounded, so a huge or hostile argv costs an E2BIG, not memory. */
#ifndef PROC_ARGS_H
#define PROC_ARGS_H

#include "lib/types.h"

#define ARGS_MAX_BYTES (64 * 1024)   /* strings + NULs; the stack has 128 KiB */
#define ARGS_MAX_COUNT 4096

struct kargs {
	int count;
	char **v;          /* count pointers + NULL, into buf */
	char *buf;
	size_t used;       /* bytes of buf holding strings */
	size_t buf_cap;    /* bytes allocated for buf */
	size_t v_cap;      /* pointers allocated for v */
};

/* Copy a NULL-terminated user char *[] (uargv 0 = empty). 0, -EFAULT, -E2BIG, -ENOMEM. */
int kargs_from_user(uptr uargv, struct kargs *out);
/* Copy n kernel strings. 0, -E2BIG, -ENOMEM. */
int kargs_from_kernel(const char *const v[], int n, struct kargs *out);
void kargs_free(struct kargs *a);

#endif
