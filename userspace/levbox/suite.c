/*
 * The shared part of the in-guest test suites (suite.h): listing, running
 * one test by name, and the failure message every EXPECT prints.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "libsyscall.h"
#include "suite.h"

static const char *running_suite = "suite";

int test_fail(const char *func, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%s: %s line %d: ", running_suite, func, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return 1;
}

/* Print the test names (only portable ones if asked); returns 0. */
static int list(const struct suite_test *tests, size_t n, int portable_only)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!portable_only || tests[i].portable)
			printf("%s\n", tests[i].name);
	return 0;
}

int suite_main(const char *suite, const struct suite_test *tests, size_t n,
    int argc, char **argv)
{
	size_t i;

	running_suite = suite;
	los_map_image();          /* tests comparing freeram count their work only */
	if (argc == 2 && strcmp(argv[1], "--list") == 0)
		return list(tests, n, 0);
	if (argc == 2 && strcmp(argv[1], "--list-portable") == 0)
		return list(tests, n, 1);
	if (argc != 2) {
		fprintf(stderr, "usage: %s --list | --list-portable | NAME\n", suite);
		return 2;
	}
	for (i = 0; i < n; i++)
		if (strcmp(argv[1], tests[i].name) == 0)
			return tests[i].run() == 0 ? 0 : 1;
	fprintf(stderr, "%s: %s: no such test\n", suite, argv[1]);
	return 2;
}
