/*
 * suite_test_core: processes.  Starting programs (los_fork_exec; the tests
 * keep the names they had when this was the spawn syscall, so the spawn-era
 * golden of this suite still judges them), exit and fault
 * statuses, failed spawns that leave the caller intact, argv, pids,
 * inherited descriptors, wait4.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libsyscall.h"
#include "levbox.h"
#include "suite.h"

#define KERNEL_HALF ((long)0xffff800000000000UL)

/* Wait for pid; returns its wait status, or -1 if wait4 does not give pid. */
static int reap(long pid)
{
	int wstatus;

	if (wait4((pid_t)pid, &wstatus, 0, NULL) != pid)
		return -1;
	return wstatus;
}

int test_spawn_exit_status(void)
{
	char *argv[] = { "status", "42", NULL };
	long pid = los_fork_exec("/bin/status", argv);
	int ws;

	EXPECT_OK(pid);
	ws = reap(pid);
	EXPECT(ws != -1 && WIFEXITED(ws));
	EXPECT_EQ(WEXITSTATUS(ws), 42);
	pid = start_program("/bin/true");
	EXPECT_OK(pid);
	EXPECT_EQ(reap(pid), 0);
	pid = start_program("/bin/false");
	EXPECT_OK(pid);
	ws = reap(pid);
	EXPECT(ws != -1 && WIFEXITED(ws));
	EXPECT_EQ(WEXITSTATUS(ws), 1);
	return 0;
}

int test_spawn_segv(void)
{
	long pid = start_program("/bin/segv");
	int ws;

	EXPECT_OK(pid);
	ws = reap(pid);
	EXPECT(ws != -1 && WIFSIGNALED(ws));
	EXPECT_EQ(WTERMSIG(ws), SIGSEGV);
	return 0;
}

int test_spawn_missing(void)
{
	char *argv[] = { "nothere", NULL };

	EXPECT_EQ(start_program("/bin/nothere"), -ENOENT);
	EXPECT_EQ(los_fork_exec("/bin/nothere", argv), -ENOENT);
	EXPECT_EQ(start_program("/no/such/dir/prog"), -ENOENT);
	/* A failed spawn must not leave a child behind. */
	EXPECT_ERRNO(wait4(-1, NULL, 0, NULL), ECHILD);
	return 0;
}

int test_spawn_badelf(void)
{
	pid_t me = getpid();

	EXPECT_EQ(start_program("/bin/badelf"), -ENOEXEC);
	/* A real ELF header whose program headers are cut off. */
	EXPECT_EQ(start_program("/bin/truncelf"), -ENOEXEC);
	EXPECT_ERRNO(wait4(-1, NULL, 0, NULL), ECHILD);
	/* Still ourselves, still running. */
	EXPECT_EQ(getpid(), me);
	return 0;
}

int test_spawn_args_100(void)
{
	static char words[100][8];
	char *argv[103];
	int i, ws;
	long pid;

	argv[0] = "argcheck";
	argv[1] = "100";
	for (i = 0; i < 100; i++) {
		snprintf(words[i], sizeof words[i], "a%d", i + 1);
		argv[i + 2] = words[i];
	}
	argv[102] = NULL;
	pid = los_fork_exec("/bin/argcheck", argv);
	EXPECT_OK(pid);
	ws = reap(pid);
	EXPECT(ws != -1 && WIFEXITED(ws));
	EXPECT_EQ(WEXITSTATUS(ws), 0);
	return 0;
}

/* The child's ids are consistent (pids checks itself) and wait4 names it. */
int test_spawn_pids(void)
{
	char *argv[] = { "pids", NULL };
	int ws;
	long pid = run_wait("/bin/pids", argv, &ws);

	EXPECT_OK(pid);
	EXPECT(pid != getpid());
	EXPECT_EQ(status_code(ws), 0);
	EXPECT_EQ(syscall(SYS_gettid), getpid());
	return 0;
}

/* Run "fdcheck FD want" and return its status code (0: as expected). */
static int fdcheck(int fd, const char *want)
{
	char num[16], *argv[] = { "fdcheck", num, (char *)want, NULL };
	int ws;

	snprintf(num, sizeof num, "%d", fd);
	if (run_wait("/bin/fdcheck", argv, &ws) < 0)
		return -1;
	return status_code(ws);
}

int test_spawn_inherit_fds(void)
{
	int p[2], q[2];

	EXPECT_EQ(pipe(p), 0);
	EXPECT_EQ(pipe2(q, O_CLOEXEC), 0);
	EXPECT_EQ(fdcheck(p[0], "open"), 0);
	EXPECT_EQ(fdcheck(p[1], "open"), 0);
	EXPECT_EQ(fdcheck(q[0], "closed"), 0);
	EXPECT_EQ(fcntl(p[1], F_SETFD, FD_CLOEXEC), 0);
	EXPECT_EQ(fdcheck(p[1], "closed"), 0);
	EXPECT_EQ(fdcheck(p[0], "open"), 0);
	return 0;
}

int test_spawn_efault(void)
{
	char *bad_entry[] = { "true", hostile(KERNEL_HALF), NULL };

	EXPECT_EQ(start_program(hostile(1)), -EFAULT);
	EXPECT_EQ(start_program(hostile(KERNEL_HALF)), -EFAULT);
	EXPECT_EQ(los_fork_exec("/bin/true", hostile(1)), -EFAULT);
	EXPECT_EQ(los_fork_exec("/bin/true", bad_entry), -EFAULT);
	EXPECT_ERRNO(wait4(-1, NULL, 0, NULL), ECHILD);
	return 0;
}

int test_wait4_nochild(void)
{
	int ws;

	EXPECT_ERRNO(wait4(-1, &ws, 0, NULL), ECHILD);
	EXPECT_ERRNO(wait4(-1, &ws, WNOHANG, NULL), ECHILD);
	EXPECT_ERRNO(wait4(12345, &ws, 0, NULL), ECHILD);
	return 0;
}
