/*
 * test_runner [SUITE]: run every test of an in-guest test suite
 * (default suite_test_core), each in its own process.
 *
 * A suite is a program that prints its test names with --list and runs one
 * test with NAME as its argument, exiting 0 on pass.  SUITE is /bin/SUITE,
 * or a path when it contains '/'.  Prints "PASS name" or
 * "FAIL name (status S)" per test, then "SUITE: N passed, M failed".
 * Exits 0 only if every test passed (and there was at least one).
 */
#include <stdio.h>
#include <string.h>

#include "levbox.h"

#define DEFAULT_SUITE "suite_test_core"

/* Run test name of suite at path, print its verdict.  Returns 1 if passed. */
static int run_test(const char *path, const char *suite, char *name)
{
	char *argv[] = { (char *)suite, name, NULL };
	int wstatus;
	long pid = run_wait(path, argv, &wstatus);

	if (pid < 0) {
		printf("FAIL %s (cannot run %s: %s)\n", name, path,
		    strerror((int)-pid));
		return 0;
	}
	if (status_code(wstatus) != 0) {
		printf("FAIL %s (status %d)\n", name, status_code(wstatus));
		return 0;
	}
	printf("PASS %s\n", name);
	return 1;
}

/* Ask the suite at path for its test names, into c.  Returns 0 or 1. */
static int list_tests(const char *path, const char *suite, struct capture *c)
{
	char *argv[] = { (char *)suite, "--list", NULL };
	long pid = run_capture(path, argv, c);

	if (pid < 0) {
		fprintf(stderr, "test_runner: cannot run %s: %s\n", path,
		    strerror((int)-pid));
		return 1;
	}
	if (status_code(c->wstatus) != 0 || c->truncated) {
		fprintf(stderr, "test_runner: %s --list failed (status %d%s)\n",
		    path, status_code(c->wstatus),
		    c->truncated ? ", output too long" : "");
		return 1;
	}
	return 0;
}

int test_runner_main(int argc, char **argv)
{
	static struct capture c;
	const char *suite = argc > 1 ? argv[1] : DEFAULT_SUITE;
	const char *base = strrchr(suite, '/') ? strrchr(suite, '/') + 1 : suite;
	char path[256], *name, *save;
	int passed = 0, failed = 0;

	snprintf(path, sizeof path, "%s%s", strchr(suite, '/') ? "" : "/bin/",
	    suite);
	if (list_tests(path, base, &c))
		return 1;
	for (name = strtok_r(c.out, "\n", &save); name;
	    name = strtok_r(NULL, "\n", &save)) {
		if (run_test(path, base, name))
			passed++;
		else
			failed++;
	}
	printf("%s: %d passed, %d failed\n", base, passed, failed);
	if (passed + failed == 0)
		fprintf(stderr, "test_runner: %s lists no tests\n", path);
	return failed == 0 && passed > 0 ? 0 : 1;
}
