/* Host tests for kernel/proc/ustack.c: build a start stack, then decode it
 * back the way a process would (user pointers translated into the buffer,
 * every access bounds-checked) and compare with what went in. */
#include "proc/ustack.h"
#include "lib/errno.h"
#include "ut.h"

#define TOP 0x7ffffffff000UL       /* a typical user stack top */
#define CANARY 64                  /* bytes below buf that must stay untouched */

static const u8 rnd[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

/* buf seen as the user memory [top - len, top). */
struct view {
	const u8 *buf;
	size_t len;
	u64 top;
};

/* Kernel address of user bytes [u, u+n), which must lie in the buffer. */
static const u8 *at(const struct view *v, u64 u, size_t n)
{
	u64 lo = v->top - v->len;

	ck_assert_msg(u >= lo && u <= v->top && n <= v->top - u,
	              "user range %#lx+%zu outside the stack [%#lx, %#lx)", u, n, lo, v->top);
	return v->buf + (u - lo);
}

static u64 get64(const struct view *v, u64 u)
{
	u64 x;

	memcpy(&x, at(v, u, 8), 8);
	return x;
}

/* The string at user address u, checked to end (NUL) inside the buffer. */
static const char *ustr(const struct view *v, u64 u)
{
	const char *s = (const char *)at(v, u, 1);

	ck_assert_msg(memchr(s, 0, v->top - u) != NULL, "string at %#lx runs off the stack", u);
	return s;
}

/* Check strings vector vec[0..n) at user address slots, NULL-terminated;
 * strings must follow each other from *next.  Returns the slot after NULL. */
static u64 check_vector(const struct view *v, u64 slots, const char *const *vec, int n, u64 *next)
{
	for (int i = 0; i < n; i++) {
		u64 p = get64(v, slots + 8 * (u64)i);
		ck_assert_msg(p == *next, "string %d at %#lx, expected %#lx", i, p, *next);
		ck_assert_str_eq(ustr(v, p), vec[i]);
		*next += strlen(vec[i]) + 1;
	}
	ck_assert_uint_eq(get64(v, slots + 8 * (u64)n), 0);
	return slots + 8 * ((u64)n + 1);
}

/* Decode the whole stack at rsp and compare it with a. */
static void check_stack(const struct view *v, long rsp, const struct ustack_args *a)
{
	u64 sp = (u64)rsp, next, random, auxv;
	size_t strbytes = 0;

	ck_assert_int_gt(rsp, 0);
	ck_assert_uint_eq(sp % 16, 0);
	ck_assert_uint_eq(sp, v->top - ustack_size_needed(a));
	ck_assert_uint_eq(get64(v, sp), (u64)a->argc);

	for (int i = 0; i < a->argc; i++)
		strbytes += strlen(a->argv[i]) + 1;
	for (int i = 0; i < a->envc; i++)
		strbytes += strlen(a->envp[i]) + 1;
	next = v->top - strbytes;          /* argv strings, then envp strings, up to top */
	random = next - 16;
	auxv = check_vector(v, sp + 8, a->argv, a->argc, &next);
	auxv = check_vector(v, auxv, a->envp, a->envc, &next);
	ck_assert_uint_eq(next, v->top);

	const u64 want[][2] = {
		{ AT_PHDR, a->at_phdr }, { AT_PHENT, a->at_phent }, { AT_PHNUM, a->at_phnum },
		{ AT_PAGESZ, 4096 },     { AT_ENTRY, a->at_entry }, { AT_UID, 0 },
		{ AT_EUID, 0 },          { AT_GID, 0 },             { AT_EGID, 0 },
		{ AT_SECURE, 0 },        { AT_RANDOM, random },     { AT_NULL, 0 },
	};
	ck_assert_int_eq(ARRAY_LEN(want), USTACK_NAUXV);
	for (size_t i = 0; i < ARRAY_LEN(want); i++) {
		ck_assert_msg(get64(v, auxv + 16 * i) == want[i][0], "auxv[%zu] type", i);
		ck_assert_msg(get64(v, auxv + 16 * i + 8) == want[i][1], "auxv[%zu] (type %lu) value",
		              i, want[i][0]);
	}
	ck_assert_uint_le(auxv + 16 * ARRAY_LEN(want), random);   /* table below the bytes */
	ck_assert_uint_lt(random - (auxv + 16 * ARRAY_LEN(want)), 16);  /* only alignment pad */
	if (a->random16)
		ck_assert_mem_eq(at(v, random, 16), a->random16, 16);
	else
		ck_assert_mem_eq(at(v, random, 16), (u8[16]){ 0 }, 16);
}

/* A stack buffer of buflen bytes whose end touches a guard page and whose
 * CANARY bytes below are 0xAA; returns buf (base + CANARY). */
static u8 *stack_alloc(size_t buflen)
{
	u8 *fill = malloc(buflen + CANARY);
	u8 *g;

	memset(fill, 0xAA, buflen + CANARY);
	g = ut_guarded_copy(fill, buflen + CANARY);
	free(fill);
	return g + CANARY;
}

static void stack_free(u8 *buf, size_t buflen)
{
	for (int i = 1; i <= CANARY; i++)
		ck_assert_msg(buf[-i] == 0xAA, "wrote %d bytes below the buffer", i);
	ut_guarded_free(buf - CANARY, buflen + CANARY);
}

/* Build into a fresh buflen buffer and check it; returns rsp. */
static long build_and_check(const struct ustack_args *a, size_t buflen, u64 top)
{
	u8 *buf = stack_alloc(buflen);
	struct view v = { buf, buflen, top };
	long rsp = ustack_build(buf, buflen, top, a);

	ck_assert_msg(rsp >= 0, "ustack_build: %ld", rsp);
	check_stack(&v, rsp, a);
	for (u64 u = top - buflen; u < (u64)rsp; u++)   /* below rsp: untouched */
		ck_assert_uint_eq(buf[u - (top - buflen)], 0xAA);
	stack_free(buf, buflen);
	return rsp;
}

static struct ustack_args sample(void)
{
	static const char *const argv[] = { "/bin/prog", "-x", "hello world", "" };
	static const char *const envp[] = { "HOME=/", "PATH=/bin", "TERM=vt100" };

	return (struct ustack_args){ .argv = argv, .argc = 4, .envp = envp, .envc = 3,
	                             .at_phdr = 0x400040, .at_phent = 56, .at_phnum = 7,
	                             .at_entry = 0x40102b, .random16 = rnd };
}

START_TEST(layout_decodes_back)
{
	struct ustack_args a = sample();

	build_and_check(&a, 8192, TOP);
	build_and_check(&a, 8192, 0x10010);             /* any 16-aligned top */
	build_and_check(&a, 8192, 8192);                /* buffer reaching address 0 */
}
END_TEST

START_TEST(exact_size_boundary)
{
	struct ustack_args a = sample();
	size_t need = ustack_size_needed(&a);
	u8 *buf;

	ck_assert_uint_eq(need % 16, 0);
	buf = stack_alloc(need - 1);
	ck_assert_int_eq(ustack_build(buf, need - 1, TOP, &a), -E2BIG);
	for (size_t i = 0; i < need - 1; i++)
		ck_assert_uint_eq(buf[i], 0xAA);            /* nothing written on failure */
	stack_free(buf, need - 1);
	ck_assert_int_eq(build_and_check(&a, need, TOP), (long)(TOP - need));
	{
		u8 *none = stack_alloc(0);
		ck_assert_int_eq(ustack_build(none, 0, TOP, &a), -E2BIG);
		stack_free(none, 0);
	}
}
END_TEST

/* needed is the smallest 16-multiple holding strings, random bytes and table,
 * for every string length mod 16; rsp does not depend on the buffer size. */
START_TEST(size_needed_is_tight)
{
	char arg[64];
	const char *argv[1] = { arg };
	struct ustack_args a = { .argv = argv, .argc = 1, .random16 = rnd };

	for (int n = 0; n < 40; n++) {
		memset(arg, 'a', n);
		arg[n] = 0;
		size_t raw = (n + 1) + 16 + 8 * (1 + 2 + 1) + 16 * USTACK_NAUXV;
		size_t need = ustack_size_needed(&a);
		ck_assert_uint_ge(need, raw);
		ck_assert_uint_lt(need - raw, 16);
		ck_assert_uint_eq(need % 16, 0);
		long r1 = build_and_check(&a, need, TOP);
		long r2 = build_and_check(&a, need + 48, TOP);
		ck_assert_int_eq(r1, r2);
	}
}
END_TEST

START_TEST(argc_zero)
{
	static const char *const envp[] = { "A=1" };
	struct ustack_args a = { .argv = NULL, .argc = 0, .envp = envp, .envc = 1,
	                         .at_entry = 0x401000, .random16 = rnd };

	build_and_check(&a, 4096, TOP);
	a.envp = NULL;
	a.envc = 0;                                     /* nothing at all */
	build_and_check(&a, 4096, TOP);
}
END_TEST

START_TEST(thousand_args)
{
	static char store[1000][16];
	static char estore[100][24];
	const char *argv[1000], *envp[100];
	struct ustack_args a = { .argv = argv, .argc = 1000, .envp = envp, .envc = 100,
	                         .at_phdr = 1, .at_phent = 2, .at_phnum = 3, .at_entry = 4,
	                         .random16 = rnd };

	for (int i = 0; i < 1000; i++) {
		snprintf(store[i], sizeof(store[i]), "arg%d", i);
		argv[i] = store[i];
	}
	for (int i = 0; i < 100; i++) {
		snprintf(estore[i], sizeof(estore[i]), "VAR%d=value%d", i, i * 7);
		envp[i] = estore[i];
	}
	build_and_check(&a, ustack_size_needed(&a), TOP);
	build_and_check(&a, 64 * 1024, TOP);
}
END_TEST

START_TEST(null_random_gives_zeros)
{
	struct ustack_args a = sample();

	a.random16 = NULL;
	build_and_check(&a, 4096, TOP);
}
END_TEST

START_TEST(rejects_bad_arguments)
{
	struct ustack_args a = sample();
	u8 *buf = stack_alloc(4096);

	ck_assert_int_eq(ustack_build(buf, 4096, TOP + 8, &a), -EINVAL);   /* unaligned top */
	ck_assert_int_eq(ustack_build(buf, 4096, TOP + 1, &a), -EINVAL);
	ck_assert_int_eq(ustack_build(buf, 4096, 2048, &a), -EINVAL);      /* below address 0 */
	a.argc = -1;
	ck_assert_uint_eq(ustack_size_needed(&a), (size_t)-1);
	ck_assert_int_eq(ustack_build(buf, 4096, TOP, &a), -EINVAL);
	a = sample();
	a.envc = -5;
	ck_assert_uint_eq(ustack_size_needed(&a), (size_t)-1);
	ck_assert_int_eq(ustack_build(buf, 4096, TOP, &a), -EINVAL);
	for (size_t i = 0; i < 4096; i++)
		ck_assert_uint_eq(buf[i], 0xAA);
	stack_free(buf, 4096);
}
END_TEST

static Suite *ustack_suite(void)
{
	Suite *s = suite_create("ustack");
	TCase *tc = tcase_create("build");

	tcase_add_test(tc, layout_decodes_back);
	tcase_add_test(tc, exact_size_boundary);
	tcase_add_test(tc, size_needed_is_tight);
	tcase_add_test(tc, argc_zero);
	tcase_add_test(tc, thousand_args);
	tcase_add_test(tc, null_random_gives_zeros);
	tcase_add_test(tc, rejects_bad_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_run(ustack_suite());
}
