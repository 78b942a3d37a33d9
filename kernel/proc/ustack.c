/* Process start stack builder: see ustack.h for the layout and contract. */
#include "proc/ustack.h"
#include "lib/errno.h"
#include "lib/string.h"

#define SIZE_BAD ((size_t)-1)
#define RANDOM_LEN 16

/* The kernel buffer and the user addresses it will appear at. */
struct frame {
	u8 *kbase;
	u64 ubase;                /* user address of kbase[0] */
};

static u8 *kaddr(const struct frame *f, u64 uaddr)
{
	return f->kbase + (uaddr - f->ubase);
}

/* Store v at user address uaddr (memcpy: no alignment assumption on buf). */
static void put_u64(const struct frame *f, u64 uaddr, u64 v)
{
	memcpy(kaddr(f, uaddr), &v, sizeof(v));
}

/* *acc += n, or false when that would wrap. */
static bool add_size(size_t *acc, size_t n)
{
	if (n > SIZE_BAD - *acc)
		return false;
	*acc += n;
	return true;
}

/* Bytes of n NUL-terminated strings, or SIZE_BAD on overflow. */
static size_t strings_size(const char *const *v, int n)
{
	size_t total = 0;

	for (int i = 0; i < n; i++)
		if (!add_size(&total, strlen(v[i])) || !add_size(&total, 1))
			return SIZE_BAD;
	return total;
}

/* argc, argv[] + NULL, envp[] + NULL, auxv. */
static size_t table_size(const struct ustack_args *a)
{
	return 8 * (1 + ((size_t)a->argc + 1) + ((size_t)a->envc + 1)) + 16 * USTACK_NAUXV;
}

size_t ustack_size_needed(const struct ustack_args *a)
{
	size_t total = 0;

	if (a->argc < 0 || a->envc < 0)
		return SIZE_BAD;
	if (!add_size(&total, strings_size(a->argv, a->argc)) ||
	    !add_size(&total, strings_size(a->envp, a->envc)) ||
	    !add_size(&total, RANDOM_LEN) || !add_size(&total, table_size(a)) ||
	    !add_size(&total, 15))
		return SIZE_BAD;
	return ALIGN_DOWN(total, 16);
}

/* Copy n strings up from user address *str, storing each one's user address
 * in the pointer slots from user address slots; then the NULL slot. */
static void put_strings(const struct frame *f, const char *const *v, int n,
                        u64 *str, u64 slots)
{
	for (int i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;
		memcpy(kaddr(f, *str), v[i], len);
		put_u64(f, slots + 8 * (u64)i, *str);
		*str += len;
	}
	put_u64(f, slots + 8 * (u64)n, 0);
}

static void put_auxv(const struct frame *f, u64 auxv, const struct ustack_args *a, u64 random)
{
	const u64 pairs[USTACK_NAUXV][2] = {
		{ AT_PHDR, a->at_phdr },     { AT_PHENT, a->at_phent },
		{ AT_PHNUM, a->at_phnum },   { AT_PAGESZ, PAGE_SIZE },
		{ AT_ENTRY, a->at_entry },   { AT_UID, 0 },
		{ AT_EUID, 0 },              { AT_GID, 0 },
		{ AT_EGID, 0 },              { AT_SECURE, 0 },
		{ AT_RANDOM, random },       { AT_NULL, 0 },
	};

	for (int i = 0; i < USTACK_NAUXV; i++) {
		put_u64(f, auxv + 16 * (u64)i, pairs[i][0]);
		put_u64(f, auxv + 16 * (u64)i + 8, pairs[i][1]);
	}
}

long ustack_build(void *buf, size_t buflen, u64 stack_top, const struct ustack_args *a)
{
	size_t need;
	struct frame f;
	u64 rsp, argv, envp, auxv, str, random;

	if (a->argc < 0 || a->envc < 0 || stack_top % 16 != 0)
		return -EINVAL;
	need = ustack_size_needed(a);
	if (need == SIZE_BAD || need > buflen)
		return -E2BIG;
	if (stack_top < buflen)
		return -EINVAL;

	f.kbase = buf;
	f.ubase = stack_top - buflen;
	rsp = stack_top - need;
	argv = rsp + 8;
	envp = argv + 8 * ((u64)a->argc + 1);
	auxv = envp + 8 * ((u64)a->envc + 1);
	str = stack_top - strings_size(a->argv, a->argc) - strings_size(a->envp, a->envc);
	random = str - RANDOM_LEN;

	memset(kaddr(&f, rsp), 0, need);      /* padding reads as zeros, always */
	put_u64(&f, rsp, (u64)a->argc);
	put_strings(&f, a->argv, a->argc, &str, argv);
	put_strings(&f, a->envp, a->envc, &str, envp);
	if (a->random16)
		memcpy(kaddr(&f, random), a->random16, RANDOM_LEN);
	put_auxv(&f, auxv, a, random);
	return (long)rsp;
}
