/* Helpers shared by the host unit tests (Check).  Header-only: each test is
 * one .c file plus the kernel module it tests (see check.mk). */
#ifndef TESTS_UT_H
#define TESTS_UT_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A copy of data[0, len) that ends exactly where an inaccessible page begins,
 * so a read one byte past the end kills the (forked) test with SIGSEGV.
 * Free with ut_guarded_free(p, len). */
static inline void *ut_guarded_copy(const void *data, size_t len)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t span = (len + pg - 1) / pg * pg;
	char *base = mmap(NULL, span + pg, PROT_READ | PROT_WRITE,
	                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ck_assert_ptr_ne(base, MAP_FAILED);
	ck_assert_int_eq(mprotect(base + span, pg, PROT_NONE), 0);
	if (len)
		memcpy(base + span - len, data, len);
	return base + span - len;
}

static inline void ut_guarded_free(void *p, size_t len)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t span = (len + pg - 1) / pg * pg;

	munmap((char *)p + len - span, span + pg);
}

/* Path of a fixture that check.mk built: $UT_DATA_DIR/name
 * (default build/host-tests/data, relative to the repo root). */
static inline void ut_data_path(char *out, size_t outlen, const char *name)
{
	const char *dir = getenv("UT_DATA_DIR");

	snprintf(out, outlen, "%s/%s", dir ? dir : "build/host-tests/data", name);
}

/* The whole fixture file `name`, malloc'ed; fails the test when missing. */
static inline void *ut_read_fixture(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *buf;
	long n;

	ut_data_path(path, sizeof(path), name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "missing fixture %s (build it with check.mk)", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = malloc(n ? n : 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(fread(buf, 1, n, f), n);
	fclose(f);
	*len = n;
	return buf;
}

/* Run every test of s (fork mode unless CK_FORK=no); exit status for main. */
static inline int ut_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
