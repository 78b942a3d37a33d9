/*
 * What every in-guest test suite shares (suite.h): the failure report, the
 * --list / --list-portable / NAME command line, small helpers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>

#include "suite.h"

static const char *suite_name = "suite";

/* Returns 1 (a failed verdict) after printing where and why. */
int test_fail(const char *func, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%s: %s line %d: ", suite_name, func, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return 1;
}

/* address, laundered through a volatile (see suite.h). */
void *hostile(long address)
{
	volatile long v = address;

	return (void *)v;
}

/* Lowest descriptor number not in use. */
int lowest_free_fd(void)
{
	int fd = 0;

	while (fcntl(fd, F_GETFD) >= 0)
		fd++;
	return fd;
}

/* Print the test names (only portable ones if asked); returns 0. */
static int list(const struct suite_test *tests, size_t n, int portable_only)
{
	for (size_t i = 0; i < n; i++)
		if (!portable_only || tests[i].portable)
			printf("%s\n", tests[i].name);
	return 0;
}

int suite_main(const char *name, const struct suite_test *tests, size_t n,
    int argc, char **argv)
{
	suite_name = name;
	if (argc == 2 && strcmp(argv[1], "--list") == 0)
		return list(tests, n, 0);
	if (argc == 2 && strcmp(argv[1], "--list-portable") == 0)
		return list(tests, n, 1);
	if (argc != 2) {
		fprintf(stderr, "usage: %s --list | --list-portable | NAME\n", name);
		return 2;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(argv[1], tests[i].name) == 0)
			return tests[i].run() == 0 ? 0 : 1;
	fprintf(stderr, "%s: %s: no such test\n", name, argv[1]);
	return 2;
}
