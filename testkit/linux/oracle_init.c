/*
 * The Linux oracle's /init: process 1 of Linux 6.1 in QEMU, never of Levitate
 * (docs/linux-oracle.md).
 *
 * Linux starts it as ["/init", words after " -- " on its command line...],
 * the words Levitate's kernel gives its own /bin/init.  It runs strace, with
 * the options listed in /oracle/strace.args (one per line, chosen by
 * testkit/testkit/linux_oracle.py), on Levitate's /bin/init with those words,
 * an empty environment and the console as descriptors 0, 1 and 2, just as
 * Levitate's kernel starts its init.  Then it copies strace's output to the
 * console between two marker lines and powers the machine off through QEMU's
 * isa-debug-exit with the status code Levitate's kernel would give.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

#define ARGS_FILE "/oracle/strace.args"
#define STRACE "/usr/bin/strace"
#define OUTPUT "/oracle/strace.out"
#define LEV_INIT "/bin/init"
#define MAX_ARGS 256
#define EXIT_PORT 0xf4

static char args_text[16384];

/* Split ARGS_FILE into argv[0..]; returns the count, -1 if unreadable. */
static int read_strace_args(char **argv, int max)
{
	int fd = open(ARGS_FILE, O_RDONLY), n = 0;
	ssize_t len;
	char *p;

	if (fd < 0)
		return -1;
	len = read(fd, args_text, sizeof args_text - 1);
	close(fd);
	if (len <= 0)
		return -1;
	args_text[len] = '\0';
	for (p = strtok(args_text, "\n"); p && n < max; p = strtok(NULL, "\n"))
		argv[n++] = p;
	return n;
}

/* Run strace on /bin/init WORDS; returns strace's wait status, or -1. */
static int run_traced(int words, char **word)
{
	static char *argv[MAX_ARGS];
	char *envp[] = { NULL };
	int n = read_strace_args(argv + 1, MAX_ARGS - words - 6), status;
	pid_t pid;

	if (n < 0)
		return -1;
	argv[0] = "strace";
	n++;
	argv[n++] = "-o";
	argv[n++] = OUTPUT;
	argv[n++] = "--";
	argv[n++] = LEV_INIT;
	for (int i = 0; i < words; i++)
		argv[n++] = word[i];
	argv[n] = NULL;
	pid = fork();
	if (pid == 0) {
		execve(STRACE, argv, envp);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* Copy strace's output to the console between the markers the host looks for. */
static void dump_output(void)
{
	char buf[4096];
	ssize_t n;
	int fd = open(OUTPUT, O_RDONLY);

	dprintf(1, "\n@@ORACLE-STRACE-BEGIN@@\n");
	while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
		write(1, buf, n);
	dprintf(1, "@@ORACLE-STRACE-END@@\n");
}

/* Levitate's power-off codes (kernel/arch/x86_64/power.c). */
static int exit_code(int status)
{
	if (status < 0)
		return 126;
	if (WIFEXITED(status))
		return WEXITSTATUS(status) > 124 ? 124 : WEXITSTATUS(status);
	return 125;
}

/* Does not return: QEMU exits with (code << 1) | 1. */
static void power_off(int code)
{
	if (ioperm(EXIT_PORT, 4, 1) == 0)
		outl(code, EXIT_PORT);
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	int status;

	mount("proc", "/proc", "proc", 0, NULL);	/* strace -y reads /proc/PID/fd */
	dprintf(1, "@@ORACLE-READY@@\n");	/* the host may type input now */
	status = run_traced(argc - 1, argv + 1);
	dump_output();
	power_off(exit_code(status));
}
