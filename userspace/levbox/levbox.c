/*
 * levbox: dispatch to the applet named by basename(argv[0]), or by argv[1]
 * when invoked as "levbox APPLET ARGS...".  Run with no applet, it lists
 * the applets (the build makes one copy of the binary per name).
 */
#include <stdio.h>
#include <string.h>

#include "levbox.h"

struct applet {
	const char *name;
	int (*main)(int, char **);
};

static const struct applet applets[] = {
	{ "echo", echo_main },
	{ "cat", cat_main },
	{ "ls", ls_main },
	{ "true", true_main },
	{ "false", false_main },
	{ "status", status_main },
	{ "segv", segv_main },
	{ "argcheck", argcheck_main },
	{ "pids", pids_main },
	{ "fdcheck", fdcheck_main },
	{ "spawnwait", spawnwait_main },
	{ "execcheck", execcheck_main },
	{ "syscall", syscall_main },
	{ "test_runner", test_runner_main },
	{ "suite_test_core", suite_test_core_main },
	{ "suite_test_linux", suite_test_linux_main },
	{ "suite_test_fs", suite_test_fs_main },
};

#define NAPPLETS (sizeof applets / sizeof applets[0])

/* The part of path after its last '/'. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Print the applet names, one per line, to f; returns status 2 (usage). */
static int usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: levbox APPLET [ARGS...]; applets:\n");
	for (i = 0; i < NAPPLETS; i++)
		fprintf(f, "%s\n", applets[i].name);
	return 2;
}

int main(int argc, char **argv)
{
	const char *name;
	size_t i;

	if (argc < 1)
		return usage(stderr);
	name = base_name(argv[0]);
	if (strcmp(name, "levbox") == 0) {
		if (argc < 2)
			return usage(stdout);
		argc--;
		argv++;
		name = argv[0];
	}
	for (i = 0; i < NAPPLETS; i++)
		if (strcmp(name, applets[i].name) == 0)
			return applets[i].main(argc, argv);
	fprintf(stderr, "levbox: %s: no such applet (\"levbox\" lists them)\n",
	    name);
	return 127;
}
