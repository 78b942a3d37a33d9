/*
 * init: process 1.
 *
 * The kernel starts it as ["/bin/init", words after " -- " on the kernel
 * command line...].  With no words, init shows /etc/motd and starts the
 * interactive shell; with words, it runs them as a program (test mode).
 * Either way it reaps every child, orphans included (the kernel re-parents
 * them to init), and exits with its one child's exit code when that child
 * ends (128 + N, with a console line naming the signal, when signal N killed
 * it); the kernel then powers the machine off with that status.
 *
 * The kernel command line splits words at spaces, so scripts/levitate-qemu
 * writes a space, tab, newline, double quote or backslash inside a word as
 * \ooo (three octal digits, as /proc/mounts does) and an empty word as \000;
 * init decodes them before running the program.
 */
#include <errno.h>
#include <signal.h>
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
	int fd = openat(AT_FDCWD, MOTD, O_RDONLY);

	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		write(1, buf, n);
	close(fd);
}

/* The signal's name ("SIGSEGV"), or NULL for one without a name here. */
static const char *signal_name(int sig)
{
	static const char *const names[] = {
		[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
		[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
		[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
		[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
		[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
	};

	if (sig > 0 && sig < (int)(sizeof names / sizeof names[0]))
		return names[sig];
	return NULL;
}

/*
 * Shell convention for a wait status: exit code, or 128 + signal.  A death
 * by signal is said on the console too, since 128 + N alone could be an
 * exit code.
 */
static int status_code(const char *path, int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus)) {
		const char *name = signal_name(WTERMSIG(wstatus));
		fprintf(stderr, "init: %s killed by signal %d%s%s%s\n", path,
		    WTERMSIG(wstatus), name ? " (" : "", name ? name : "",
		    name ? ")" : "");
		return 128 + WTERMSIG(wstatus);
	}
	return 1;
}

/* Decode a command-line word in place: \ooo is the byte with that octal value. */
static void decode_word(char *w)
{
	char *out = w;

	for (; *w; w++) {
		if (w[0] == '\\' && w[1] >= '0' && w[1] <= '3' && w[2] >= '0' &&
		    w[2] <= '7' && w[3] >= '0' && w[3] <= '7') {
			char c = (char)((w[1] - '0') * 64 + (w[2] - '0') * 8 + (w[3] - '0'));
			w += 3;
			if (c != 0)          /* \000 stands for an empty word */
				*out++ = c;
		} else {
			*out++ = *w;
		}
	}
	*out = 0;
}

/*
 * Reap children until pid ends (any other child is an orphan: its status
 * is dropped).  Returns pid's status code; 127 if wait4 fails, which only
 * happens if pid was never our child.
 */
static int reap_until(const char *path, pid_t pid)
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
			return status_code(path, wstatus);
	}
}

/* Does not return: exits with the started program's status code. */
int main(int argc, char **argv)
{
	const char *path = SHELL;
	long pid;

	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			decode_word(argv[i]);
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
	return reap_until(path, (pid_t)pid);
}
