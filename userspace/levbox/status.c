/* true, false, status N: programs that only exit, with 0, 1 and N. */
#include <stdio.h>
#include <stdlib.h>

#include "levbox.h"

int true_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int false_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 1;
}

/* status N: exit with N (0..255); 2 after a usage error. */
int status_main(int argc, char **argv)
{
	char *end;
	long n;

	if (argc != 2) {
		fprintf(stderr, "usage: status N\n");
		return 2;
	}
	n = strtol(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || n < 0 || n > 255) {
		fprintf(stderr, "status: %s: expected a number 0..255\n",
		    argv[1]);
		return 2;
	}
	return (int)n;
}
