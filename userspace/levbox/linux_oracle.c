/*
 * suite_test_linux: the divergences the Linux oracle found
 * (docs/linux-oracle-results.md), each pinned to what Linux 6.1 does.
 * Portable: every test here also passes natively on the host's Linux.
 */
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libsyscall.h"
#include "levbox.h"
#include "suite.h"
#include "suite_linux.h"

#define WAIT4(pid, ws) los_syscall6(LOS_NR_wait4, (long)(pid), (long)(ws), 0, 0, 0, 0)

/* Linux reaps the child in do_wait and only then copies the status out
 * (kernel/exit.c, kernel_wait4): a bad status pointer costs the report.
 * wait4 says EFAULT and the child is gone: nothing is left to wait for. */
int test_wait4_efault_reaps(void)
{
	pid_t pid = fork();
	int ws;

	if (pid == 0)
		_exit(3);
	EXPECT(pid > 0);
	EXPECT_EQ(WAIT4(pid, 0x10), -EFAULT);
	EXPECT_EQ(WAIT4(pid, &ws), -ECHILD);
	EXPECT_EQ(WAIT4(-1, &ws), -ECHILD);
	return 0;
}
