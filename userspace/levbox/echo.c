/* echo [-n] WORDS...: print the words separated by spaces; -n: no newline. */
#include <stdio.h>
#include <string.h>

#include "levbox.h"

int echo_main(int argc, char **argv)
{
	int newline = 1, i = 1;

	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		newline = 0;
		i = 2;
	}
	for (; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? " " : "");
	if (newline)
		printf("\n");
	return fflush(stdout) == 0 ? 0 : 1;
}
