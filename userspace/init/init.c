/*
 * init: process 1.
 *
 * The kernel starts it as ["/bin/init", words after " -- " on the kernel
 * command line...].  With no words, init shows /etc/motd and starts the
 * interactive shell; with words, it runs them as a program (test mode).
 * Either way it reaps every child, orphans included (the kernel re-parents
 * them to init), and exits with its one child's exit code when that child
 * ends; the kernel then powers the machine off with that status.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libsyscall.h"

#define SHELL "/bin/shell"
#define MOTD "/etc/motd"

/* Copy MOTD to the console, if there is one; a missing motd is fine. */
static void show_motd(void)
{
	char buf[512];
	ssize_t n;
	int fd = open(MOTD, O_RDONLY);

	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		write(1, buf, n);
	close(fd);
}

/* Shell convention for a wait status: exit code, or 128 + signal. */
static int status_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 1;
}

/*
 * Reap children until pid ends (any other child is an orphan: its status
 * is dropped).  Returns pid's status code; 127 if wait4 fails, which only
 * happens if pid was never our child.
 */
static int reap_until(pid_t pid)
{
	int wstatus;
	pid_t got;

	for (;;) {
		got = wait4(-1, &wstatus, 0, NULL);
		if (got < 0) {
			fprintf(stderr, "init: wait4: %s\n", strerror(errno));
			return 127;
		}
		if (got == pid)
			return status_code(wstatus);
	}
}

/* Does not return: exits with the started program's status code. */
int main(int argc, char **argv)
{
	const char *path = SHELL;
	long pid;

	if (argc > 1) {
		path = argv[1];
		pid = los_fork_exec(path, &argv[1]);
	} else {
		char *shell_argv[] = { (char *)path, NULL };
		show_motd();
		pid = los_fork_exec(path, shell_argv);
	}
	if (pid < 0) {
		fprintf(stderr, "init: cannot run %s: %s\n", path,
		    strerror((int)-pid));
		return 127;
	}
	return reap_until((pid_t)pid);
}
