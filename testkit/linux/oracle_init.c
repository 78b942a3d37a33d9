/*
 * The Linux oracle's /init: process 1 of Linux 6.1 in QEMU, never of Levitate
 * (docs/linux-oracle.md).
 *
 * As process 1 it runs the scenarios listed in /oracle/scenarios, one per line: "shell"
 * or "run WORD...", the words Levitate's kernel would give its own /bin/init.
 * For each, in one boot: it throws away console input left over from the one
 * before, prints a ready marker (the host types the scenario's input after it),
 * and runs strace, with the options listed in /oracle/strace.args (chosen by
 * testkit/testkit/strace_convert.py), on Levitate's /bin/init with those
 * words, an empty environment and the console as descriptors 0, 1 and 2,
 * just as Levitate's kernel starts its init.  Then it copies strace's output
 * to the console between two marker lines that carry init's wait status.
 * At the end it powers the machine off as Levitate's kernel does, with status
 * 0 when every scenario ran (whatever each one's own status) or 126.
 *
 * strace starts this same program again (not as process 1) to make it the
 * child subreaper of the scenario before it becomes Levitate's init by exec:
 * orphans are then re-parented to Levitate's init, as on Levitate, and not
 * to Linux's process 1.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define ARGS_FILE "/oracle/strace.args"
#define SCENARIOS "/oracle/scenarios"
#define STRACE "/usr/bin/strace"
#define OUTPUT "/oracle/strace.out"
#define LEV_INIT "/bin/init"
#define SELF "/init"
#define MAX_ARGS 512
#define EXIT_PORT 0xf4		/* QEMU's isa-debug-exit */
#define STATUS_PORT 0x4f4	/* the launcher's verdict line (kernel/arch/x86_64/power.c) */
#define POWER_OFF_DONE 0x2a

static char args_text[16384];
static char scenarios_text[65536];

/* Read a whole small file into buf (NUL-terminated); its length, -1 if unreadable. */
static int slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY), len = 0, n;

	if (fd < 0)
		return -1;
	while (len < (int)size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return len;
}

/* Split text at sep into out[0..max-1] (in place); returns the count. */
static int split(char *text, const char *sep, char **out, int max)
{
	int n = 0;
	char *save = NULL;

	for (char *p = strtok_r(text, sep, &save); p && n < max; p = strtok_r(NULL, sep, &save))
		out[n++] = p;
	return n;
}

/* Run strace on /bin/init WORDS; returns its wait status, or -1. */
static int run_traced(char **strace_args, int nargs, char **word, int words)
{
	static char *argv[MAX_ARGS];
	char *envp[] = { NULL };
	int n = 0, status;
	pid_t pid;

	if (nargs + words + 6 > MAX_ARGS)
		return -1;
	argv[n++] = "strace";
	for (int i = 0; i < nargs; i++)
		argv[n++] = strace_args[i];
	argv[n++] = "-o";
	argv[n++] = OUTPUT;
	argv[n++] = "--";
	argv[n++] = SELF;
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
static void dump_output(int k, int status)
{
	char buf[4096];
	ssize_t n;
	int fd = open(OUTPUT, O_RDONLY);

	dprintf(1, "\n@@ORACLE-STRACE-BEGIN %d %d@@\n", k, status);
	while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
		write(1, buf, n);
	if (fd >= 0)
		close(fd);
	unlink(OUTPUT);
	dprintf(1, "@@ORACLE-STRACE-END %d@@\n", k);
}

/* One scenario line: "shell" or "run WORD...".  Returns strace's wait status. */
static int run_scenario(int k, char *line, char **strace_args, int nargs)
{
	char *word[MAX_ARGS];
	int words = split(line, " ", word, MAX_ARGS);
	int status;

	if (words == 0 || (strcmp(word[0], "run") != 0 && strcmp(word[0], "shell") != 0))
		return -1;
	tcflush(0, TCIFLUSH);		/* input the scenario before did not read */
	dprintf(1, "@@ORACLE-READY %d@@\n", k);
	status = run_traced(strace_args, nargs, word + 1, words - 1);
	dump_output(k, status);
	return status;
}

/* Does not return: the verdict line "exit N" for the launcher, then QEMU's exit,
 * as Levitate's kernel powers off (kernel/arch/x86_64/power.c). */
static void power_off(int code)
{
	char line[32];
	int n = snprintf(line, sizeof line, "exit %d\n", code);

	if (iopl(3) == 0) {		/* port 0x4f4 is beyond ioperm's range */
		for (int i = 0; i < n; i++)
			outb(line[i], STATUS_PORT);
		outl(POWER_OFF_DONE, EXIT_PORT);
	}
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

/* Not process 1: strace's tracee.  Become the subreaper, then Levitate's init
 * with the same words and no environment.  Returns only if exec failed. */
static int become_init(char **argv)
{
	char *envp[] = { NULL };

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	argv[0] = LEV_INIT;
	execve(LEV_INIT, argv, envp);
	return 127;
}

/* Powers off with 0 when every scenario ran (whatever its status), 126 if one could not. */
int main(int argc, char **argv)
{
	static char *strace_args[MAX_ARGS], *line[1024];
	int nargs, lines, failed = 0;

	if (getpid() != 1)
		return argc > 0 ? become_init(argv) : 127;

	mount("proc", "/proc", "proc", 0, NULL);	/* strace -y reads /proc/PID/fd */
	if (slurp(ARGS_FILE, args_text, sizeof args_text) < 0 ||
	    slurp(SCENARIOS, scenarios_text, sizeof scenarios_text) < 0)
		power_off(126);
	nargs = split(args_text, "\n", strace_args, MAX_ARGS);
	lines = split(scenarios_text, "\n", line, 1024);
	for (int k = 0; k < lines; k++)
		failed |= run_scenario(k, line[k], strace_args, nargs) < 0;
	power_off(failed ? 126 : 0);
}
