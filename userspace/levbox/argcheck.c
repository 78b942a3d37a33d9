/*
 * argcheck N a1 ... aN: exit 0 if exactly those arguments arrived, so a
 * parent can check that fork + exec passed them intact; else say what is
 * wrong and exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "levbox.h"

int argcheck_main(int argc, char **argv)
{
	char want[32];
	long n, i;

	if (argc < 2) {
		fprintf(stderr, "usage: argcheck N a1 ... aN\n");
		return 2;
	}
	n = strtol(argv[1], NULL, 10);
	if (argc != n + 2 || argv[argc] != NULL) {
		fprintf(stderr, "argcheck: argc is %d, expected %ld\n", argc,
		    n + 2);
		return 1;
	}
	for (i = 1; i <= n; i++) {
		snprintf(want, sizeof want, "a%ld", i);
		if (strcmp(argv[i + 1], want) != 0) {
			fprintf(stderr, "argcheck: argv[%ld] is \"%s\", "
			    "expected \"%s\"\n", i + 1, argv[i + 1], want);
			return 1;
		}
	}
	return 0;
}
