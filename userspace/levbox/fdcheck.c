/*
 * fdcheck FD open|closed: exit 0 if descriptor FD is in that state, so a
 * parent can check which descriptors a child inherits; else 1.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "levbox.h"

int fdcheck_main(int argc, char **argv)
{
	int fd, want_open, is_open;

	if (argc != 3 || (strcmp(argv[2], "open") != 0 &&
	    strcmp(argv[2], "closed") != 0)) {
		fprintf(stderr, "usage: fdcheck FD open|closed\n");
		return 2;
	}
	fd = atoi(argv[1]);
	want_open = strcmp(argv[2], "open") == 0;
	is_open = fcntl(fd, F_GETFD) >= 0;
	if (is_open != want_open) {
		fprintf(stderr, "fdcheck: fd %d is %s, expected %s\n", fd,
		    is_open ? "open" : "closed", argv[2]);
		return 1;
	}
	return 0;
}
