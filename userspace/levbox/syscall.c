/*
 * syscall NR [ARG...]: make system call NR raw and print what the kernel
 * answered (a number; negative values are -errno).  A numeric ARG is passed
 * as a number, anything else as a pointer to the string.  For poking the
 * kernel by hand and for tests of calls libc does not offer, such as the
 * removed spawn (1024) and spawn_args (1025), which answer -38 (ENOSYS).
 * Exits 0 when the call returned >= 0, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>

#include "levbox.h"
#include "libsyscall.h"

/* A number if s is one entirely, else the address of the string. */
static long arg_value(char *s)
{
	char *end;
	long v = strtol(s, &end, 0);

	return *s && !*end ? v : (long)s;
}

int syscall_main(int argc, char **argv)
{
	long a[6] = { 0 }, nr, ret;

	if (argc < 2 || argc > 8) {
		fprintf(stderr, "usage: syscall NR [ARG...] (at most 6 arguments)\n");
		return 2;
	}
	nr = strtol(argv[1], NULL, 0);
	for (int i = 2; i < argc; i++)
		a[i - 2] = arg_value(argv[i]);
	ret = los_syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	printf("%ld\n", ret);
	return ret < 0;
}
