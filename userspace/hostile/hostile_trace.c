/*
 * hostile_trace: calls whose arguments are as large as a program can make
 * them, for a traced run (docs/hostile.md): every record must still be one
 * valid JSON line, with what did not fit cut and marked "trunc".
 *
 *   execve with argv = { a 600 KiB string, then 20,000 more elements } and
 *   the same envp; execve with 200,000 empty strings; open with a 600 KiB
 *   path; writev of 1024 iovecs over a 1 MiB buffer, to a pipe nobody
 *   fills up (O_NONBLOCK: a short write).
 *
 * The kernel's answers must be as on Linux (E2BIG, ENAMETOOLONG, a short
 * write), and the program goes on.  Usage: hostile_trace [-v]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostile.h"

#define E2BIG 7
#define ENAMETOOLONG 36
#define BIG (600 * 1024)
#define MANY 20000
#define EMPTIES 200000
#define O_NONBLOCK 04000

static char *big_string(char fill)
{
	char *s = malloc(BIG + 1);

	if (!s)
		hostile_exit(3);
	memset(s, fill, BIG);
	s[BIG] = 0;
	return s;
}

/* { big, "a0", "a1", ... } with n elements after big, NULL-terminated. */
static char **big_vector(char *big, int n, int empty)
{
	char **v = malloc(sizeof(char *) * (size_t)(n + 2));

	if (!v)
		hostile_exit(3);
	v[0] = big;
	for (int i = 1; i <= n; i++)
		v[i] = empty ? "" : "element";
	v[n + 1] = NULL;
	return v;
}

struct tcase {
	const char *name;
	long got, want;
};

int main(int argc, char **argv)
{
	int verbose = argc > 1 && strcmp(argv[1], "-v") == 0, passed = 0;
	char *big = big_string('A'), *path = big_string('/');
	char **av = big_vector(big, MANY, 0), **ev = big_vector(big, MANY, 0);
	char **empties = big_vector("", EMPTIES, 1);
	char *buf = calloc(1, 1 << 20);
	static long iov[1024][2];          /* not on the stack: it would grow after the reading */
	int fds[2];
	struct tcase cases[4];
	long before, after;

	hostile_start();
	printf("hostile_trace: calls of %d KiB strings, %d elements\n", BIG / 1024, MANY);
	fflush(stdout);                    /* stdout's buffer exists before the reading */
	before = hostile_freeram();
	if (!buf || SYS2(LOS_NR_pipe2, fds, O_NONBLOCK) < 0)
		hostile_exit(3);
	for (int i = 0; i < 1024; i++) {
		iov[i][0] = (long)buf;
		iov[i][1] = 1 << 20;
	}
	cases[0] = (struct tcase){ "execve_huge_argv",
	    SYS3(LOS_NR_execve, "/usr/lib/badelf/bad_magic", av, ev), -E2BIG };
	cases[1] = (struct tcase){ "execve_many_empty_strings",
	    SYS3(LOS_NR_execve, "/usr/lib/badelf/bad_magic", empties, empties), -E2BIG };
	cases[2] = (struct tcase){ "open_huge_path", SYS2(LOS_NR_open, path, 0), -ENAMETOOLONG };
	cases[3] = (struct tcase){ "writev_1024_iovecs_of_1mib",
	    SYS3(LOS_NR_writev, fds[1], iov, 1024), -1 };
	for (int i = 0; i < 4; i++) {
		/* writev: a short write (the pipe's capacity), never an error. */
		int ok = cases[i].want == -1 ? cases[i].got > 0 && cases[i].got < (1L << 30)
					     : cases[i].got == cases[i].want;
		if (!ok || verbose)
			printf("hostile_trace: %s %s: %ld\n", ok ? "ok" : "FAIL", cases[i].name,
			    cases[i].got);
		passed += ok;
	}
	SYS1(LOS_NR_close, fds[0]);
	SYS1(LOS_NR_close, fds[1]);
	after = hostile_freeram();
	printf("hostile_trace: 4 cases, 4 survived, %d passed, freeram before %ld after %ld\n",
	    passed, before, after);
	return passed == 4 ? 0 : 1;
}
