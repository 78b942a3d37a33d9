/*
 * execcheck: exit 0 if the argv and envp this process received are exactly
 * the ones its parent meant to pass to execve, else say what arrived and
 * exit 1 (2: no expectation given).
 *
 * The expectation travels in the environment as EXECCHECK_DIGEST=HEX, the
 * execcheck_digest of every argv string and every other environment
 * string, in order.  A digest instead of a copy keeps the check exact for
 * argument lists of any size (a 64 KiB argv cannot be repeated in envp).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "levbox.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

extern char **environ;

/* h extended by the bytes of s and its terminating NUL (FNV-1a). */
static unsigned long long digest_add(unsigned long long h, const char *s)
{
	do {
		h ^= (unsigned char)*s;
		h *= FNV_PRIME;
	} while (*s++);
	return h;
}

/* Is s the digest variable itself (skipped by the digest)? */
static int is_digest_var(const char *s)
{
	return strncmp(s, EXECCHECK_VAR, strlen(EXECCHECK_VAR)) == 0;
}

/* h extended by "TAG N" and then the n strings of v that count. */
static unsigned long long digest_vector(unsigned long long h, const char *tag,
    char *const v[], int skip_digest_var)
{
	char head[32];
	long i, n = 0;

	for (i = 0; v && v[i]; i++)
		if (!skip_digest_var || !is_digest_var(v[i]))
			n++;
	snprintf(head, sizeof head, "%s %ld", tag, n);
	h = digest_add(h, head);
	for (i = 0; v && v[i]; i++)
		if (!skip_digest_var || !is_digest_var(v[i]))
			h = digest_add(h, v[i]);
	return h;
}

/* The digest of argv and envp (envp's EXECCHECK_DIGEST= entry left out). */
unsigned long long execcheck_digest(char *const argv[], char *const envp[])
{
	return digest_vector(digest_vector(FNV_OFFSET, "argv", argv, 0),
	    "envp", envp, 1);
}

/* Print what arrived (sizes and the first strings) to stderr. */
static void describe(int argc, char **argv, unsigned long long got)
{
	size_t bytes = 0;
	int i, envc = 0;

	for (i = 0; i < argc; i++)
		bytes += strlen(argv[i]) + 1;
	while (environ[envc])
		envc++;
	fprintf(stderr, "execcheck: got digest %016llx: argc %d (%zu bytes), "
	    "envc %d\n", got, argc, bytes, envc);
	for (i = 0; i < argc && i < 4; i++)
		fprintf(stderr, "execcheck: argv[%d] = \"%.60s\"\n", i, argv[i]);
	for (i = 0; i < envc && i < 4; i++)
		fprintf(stderr, "execcheck: envp[%d] = \"%.60s\"\n", i,
		    environ[i]);
}

int execcheck_main(int argc, char **argv)
{
	const char *want = NULL;
	unsigned long long got;
	char hex[32];
	int i;

	for (i = 0; environ[i]; i++)
		if (is_digest_var(environ[i]))
			want = environ[i] + strlen(EXECCHECK_VAR);
	if (!want) {
		fprintf(stderr, "usage: EXECCHECK_DIGEST=HEX execcheck ARGS...\n");
		return 2;
	}
	got = execcheck_digest(argv, environ);
	snprintf(hex, sizeof hex, "%016llx", got);
	if (argv[argc] != NULL || strcmp(hex, want) != 0) {
		fprintf(stderr, "execcheck: expected digest %s\n", want);
		describe(argc, argv, got);
		return 1;
	}
	return 0;
}
