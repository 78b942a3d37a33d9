/*
 * forkexec: an ordinary POSIX program, built with musl-gcc -static and not
 * changed for Levitate, that starts processes with fork(), execve() and
 * waitpid() and prints what happened.  The same binary runs on Linux, so a
 * test can compare the two (pids aside).
 *
 *   forkexec                 run the three scenarios below; exit 0 if each
 *                            went as POSIX says, 1 otherwise
 *   forkexec child PPID ARG  (what the first scenario execs) print the
 *                            arguments and environment that arrived; exit 7
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILD_STATUS 7
#define MISSING "/nonexistent/program"

static int value = 1;

/* The exec'ed child: report argv, the environment and the parent. */
static int child_main(int argc, char **argv)
{
	const char *env = getenv("FORKEXEC");
	long want_ppid = argc > 2 ? strtol(argv[2], NULL, 10) : -1;

	printf("forkexec: child: argc %d, argv[3] \"%s\", FORKEXEC=%s, "
	    "parent %s\n", argc, argc > 3 ? argv[3] : "(none)",
	    env ? env : "(unset)",
	    (long)getppid() == want_ppid ? "matches" : "differs");
	return CHILD_STATUS;
}

/* Wait for pid and print how it ended; returns its exit status, or -1. */
static int wait_and_report(pid_t pid, const char *what)
{
	int status;

	if (waitpid(pid, &status, 0) != pid) {
		printf("forkexec: %s: waitpid: %s\n", what, strerror(errno));
		return -1;
	}
	if (WIFEXITED(status)) {
		printf("forkexec: %s: exited with status %d\n", what,
		    WEXITSTATUS(status));
		return WEXITSTATUS(status);
	}
	printf("forkexec: %s: killed by signal %d\n", what,
	    WIFSIGNALED(status) ? WTERMSIG(status) : -1);
	return -1;
}

/* fork, then execve(path, argv, envp) in the child; a child whose execve
 * failed says why and exits with fail_code.  Returns the child's exit status
 * as wait_and_report gives it, or -1 when fork fails. */
static int fork_execve_wait(const char *path, char *argv[], char *envp[], int fail_code,
    const char *what)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("forkexec: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		execve(path, argv, envp);
		printf("forkexec: execve %s: %s\n", path, strerror(errno));
		fflush(stdout);
		_exit(fail_code);
	}
	return wait_and_report(pid, what);
}

/* fork, then exec self (at path) as "child" with an argument and one
 * environment variable.  Returns the child's exit status, or -1. */
static int exec_self(const char *path)
{
	char ppid[32];
	char *argv[] = { (char *)path, "child", ppid, "hello world", NULL };
	char *envp[] = { "FORKEXEC=yes", NULL };

	snprintf(ppid, sizeof ppid, "%ld", (long)getpid());
	return fork_execve_wait(path, argv, envp, 126, "exec'ed child");
}

/* fork, then exec a program that does not exist.  Returns the exit status
 * the child chose after execve failed (127), or -1. */
static int exec_missing(void)
{
	char *argv[] = { MISSING, NULL };
	char *envp[] = { NULL };

	return fork_execve_wait(MISSING, argv, envp, 127, "failed exec");
}

/* fork without exec: the child changes a global and exits 3; the parent's
 * copy must stay as it was.  Returns 0 if so, -1 otherwise. */
static int fork_only(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		value = 2;
		_exit(value + 1);
	}
	if (wait_and_report(pid, "forked child") != 3)
		return -1;
	printf("forkexec: parent's value is still %d\n", value);
	return value == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *self = argc > 0 && strchr(argv[0], '/') ? argv[0] :
	    "/bin/forkexec";
	int ok;

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child_main(argc, argv);
	printf("forkexec: parent starting\n");
	ok = exec_self(self) == CHILD_STATUS;
	ok &= exec_missing() == 127;
	ok &= fork_only() == 0;
	printf("forkexec: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
