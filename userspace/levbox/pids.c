/*
 * pids: exit 0 when this process's ids are consistent: a parent other than
 * itself and init, and a thread id equal to its pid.  It prints nothing:
 * pid values depend on what ran before, so they never go into output that
 * a golden trace compares (the suite checks relations, not numbers).
 */
#include <unistd.h>

#include "levbox.h"
#include "libsyscall.h"

int pids_main(int argc, char **argv)
{
	pid_t me = getpid(), parent = getppid();

	(void)argc;
	(void)argv;
	return parent > 1 && parent != me && los_syscall6(LOS_NR_gettid, 0, 0, 0, 0, 0, 0) == me ? 0 : 1;
}
