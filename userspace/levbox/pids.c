/* pids: print "PID PPID\n", so a parent can check both. */
#include <stdio.h>
#include <unistd.h>

#include "levbox.h"

int pids_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("%d %d\n", (int)getpid(), (int)getppid());
	return 0;
}
