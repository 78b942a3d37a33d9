/*
 * ls [PATH...]: list each directory's names (sorted, dot files hidden),
 * one per line; a file is listed as its own path.  No PATH: "/".
 * With several PATHs each directory gets a "PATH:" heading.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "levbox.h"

#define MAX_NAMES 1024

struct names {
	char *name[MAX_NAMES];
	int count;
	int dropped;
};

/* for_each_entry callback: keep a copy of every visible name. */
static void keep_name(const char *name, void *ctx)
{
	struct names *n = ctx;

	if (name[0] == '.')
		return;
	if (n->count == MAX_NAMES || !(n->name[n->count] = strdup(name)))
		n->dropped = 1;
	else
		n->count++;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* List directory path.  Returns 0, or 1 after printing an error. */
static int list_dir(const char *path)
{
	struct names n = { .count = 0 };
	int err = for_each_entry(path, keep_name, &n), i;

	qsort(n.name, (size_t)n.count, sizeof n.name[0], by_name);
	for (i = 0; i < n.count; i++) {
		printf("%s\n", n.name[i]);
		free(n.name[i]);
	}
	if (err < 0 || n.dropped) {
		fprintf(stderr, "ls: %s: %s\n", path,
		    err < 0 ? strerror(-err) : "too many names");
		return 1;
	}
	return 0;
}

/* Is path a directory?  Returns 1, 0, or -errno. */
static int is_dir(const char *path)
{
	struct stat st;
	int fd = openat(AT_FDCWD, path, O_RDONLY), ret;

	if (fd < 0)
		return -errno;
	ret = fstat(fd, &st) < 0 ? -errno : S_ISDIR(st.st_mode);
	close(fd);
	return ret;
}

/* List one operand.  Returns 0, or 1 after printing an error. */
static int ls_one(const char *path, int heading)
{
	int dir = is_dir(path);

	if (dir < 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(-dir));
		return 1;
	}
	if (!dir) {
		printf("%s\n", path);
		return 0;
	}
	if (heading)
		printf("%s:\n", path);
	return list_dir(path);
}

int ls_main(int argc, char **argv)
{
	int i, status = 0;

	if (argc < 2)
		return ls_one("/", 0);
	for (i = 1; i < argc; i++)
		status |= ls_one(argv[i], argc > 2);
	return status;
}
