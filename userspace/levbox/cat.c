/* cat [FILE...]: copy the files ("-" or none: standard input) to stdout. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "levbox.h"

/* Copy fd to stdout until end of file.  Returns 0, or -errno. */
static int copy_fd(int fd)
{
	char buf[4096];
	ssize_t n;
	int err;

	while ((n = read(fd, buf, sizeof buf)) > 0)
		if ((err = write_all(1, buf, (size_t)n)) < 0)
			return err;
	return n < 0 ? -errno : 0;
}

/* Copy the file at path (or stdin for "-") to stdout.  Returns 0 or 1. */
static int cat_one(const char *path)
{
	int fd = 0, err;

	if (strcmp(path, "-") != 0 && (fd = openat(AT_FDCWD, path, O_RDONLY)) < 0) {
		fprintf(stderr, "cat: %s: %s\n", path, strerror(errno));
		return 1;
	}
	err = copy_fd(fd);
	if (fd != 0)
		close(fd);
	if (err < 0) {
		fprintf(stderr, "cat: %s: %s\n", path, strerror(-err));
		return 1;
	}
	return 0;
}

int cat_main(int argc, char **argv)
{
	int i, status = 0;

	if (argc < 2)
		return cat_one("-");
	for (i = 1; i < argc; i++)
		status |= cat_one(argv[i]);
	return status;
}
