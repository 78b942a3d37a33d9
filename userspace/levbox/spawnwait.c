/*
 * spawnwait PATH [ARGS...]: run PATH with argv [PATH, ARGS...] through
 * spawn_args, wait, report how it ended and exit with its status code
 * (128 + signal when killed; 127 when it cannot be started).
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "levbox.h"

int spawnwait_main(int argc, char **argv)
{
	int wstatus;
	long pid;

	if (argc < 2) {
		fprintf(stderr, "usage: spawnwait PATH [ARGS...]\n");
		return 2;
	}
	pid = run_wait(argv[1], &argv[1], &wstatus);
	if (pid < 0) {
		fprintf(stderr, "spawnwait: cannot run %s: %s\n", argv[1],
		    strerror((int)-pid));
		return 127;
	}
	if (WIFSIGNALED(wstatus))
		printf("spawnwait: child killed by signal %d\n",
		    WTERMSIG(wstatus));
	else
		printf("spawnwait: child exited %d\n", status_code(wstatus));
	return status_code(wstatus);
}
