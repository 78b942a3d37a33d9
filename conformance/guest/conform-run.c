/*
 * conform-run: the in-guest half of the conformance battery (docs/conformance.md).
 *
 *   conform-run [--linux] [--first N] [--count M] [--list FILE]
 *   conform-run [--linux] --tty
 *
 * Reads scenario names from FILE (default /conf/list, one a line), and for
 * names N .. N+M-1 runs `/bin/busybox sh /conf/NAME.sh` with a fixed
 * environment, stdin an empty pipe, stdout and stderr each into a pipe of its
 * own.  For each it prints on its stdout (the console) one framed record:
 *
 *   @@CONF begin NAME
 *   @@CONF out HEX          (the scenario's stdout, 64 bytes a line)
 *   @@CONF err HEX          (its stderr, likewise)
 *   @@CONF status exit N    (or: status signal N)
 *   @@CONF end NAME
 *
 * and "@@CONF done" after the last.  Hex keeps every byte intact through the
 * serial line (Linux's tty turns \n into \r\n).  The host (conformance/guestrun.py)
 * parses the records and times each scenario: a scenario that hangs or takes
 * the guest down is the host's to judge, so nothing here needs signals.
 *
 * With --tty it runs one interactive `/bin/busybox sh -i` on the console
 * instead (the host types into it, conformance/interactive.py), then prints
 * its "@@CONF status" and "@@CONF done".
 *
 * The same static musl binary runs on both kernels.  On Linux it is pid 1
 * (--linux): it mounts /proc, /sys and /dev first, as a booted system has
 * them, and powers the machine off at the end (Linux's init must not exit).
 * It uses only fork, pipe, dup2, execve, read, write and wait4, so it works
 * on Levitate whatever BusyBox still needs there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BUSYBOX "/bin/busybox"
#define SCENARIO_DIR "/conf"
#define DEFAULT_LIST "/conf/list"
#define MAX_CAPTURE (256 * 1024)   /* bytes kept of one stream; more are drained */
#define MAX_NAMES 1024
#define HEX_LINE 64                 /* data bytes per "@@CONF out" line */

/* The environment every scenario starts with, the same on both kernels. */
static char *scenario_env[] = {
	"PATH=/sbin:/usr/sbin:/bin:/usr/bin",
	"HOME=/",
	"LOGNAME=root",
	"USER=root",
	NULL,
};

struct capture {
	char *buf;
	size_t len;
	size_t total;     /* bytes the stream carried, kept or not */
};

/* Write all of buf to fd (the console); errors are ignored: nowhere to report. */
static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* One "@@CONF ..." line on stdout. */
static void record(const char *fmt, const char *arg)
{
	char line[512];
	int n = snprintf(line, sizeof line, fmt, arg);

	if (n > 0)
		write_all(1, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* Read fd until EOF into c (keeping at most MAX_CAPTURE bytes). */
static void capture_fd(int fd, struct capture *c)
{
	char chunk[4096];
	ssize_t n;

	c->buf = malloc(MAX_CAPTURE);
	c->len = c->total = 0;
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		size_t keep = (size_t)n;
		if (c->buf == NULL || c->len + keep > MAX_CAPTURE)
			keep = c->buf ? MAX_CAPTURE - c->len : 0;
		if (keep)
			memcpy(c->buf + c->len, chunk, keep);
		c->len += keep;
		c->total += (size_t)n;
	}
}

/* Print c as "@@CONF STREAM HEX" lines (none when it is empty). */
static void print_hex(const char *stream, const struct capture *c)
{
	static const char digits[] = "0123456789abcdef";
	char line[32 + 2 * HEX_LINE];

	for (size_t off = 0; off < c->len; off += HEX_LINE) {
		size_t n = c->len - off < HEX_LINE ? c->len - off : HEX_LINE;
		int k = snprintf(line, sizeof line, "@@CONF %s ", stream);
		for (size_t i = 0; i < n; i++) {
			unsigned char b = (unsigned char)c->buf[off + i];
			line[k++] = digits[b >> 4];
			line[k++] = digits[b & 15];
		}
		line[k++] = '\n';
		write_all(1, line, (size_t)k);
	}
	if (c->total > c->len) {
		char note[64];
		snprintf(note, sizeof note, "%zu", c->total);
		record(strcmp(stream, "out") == 0 ? "@@CONF outtotal %s\n"
		    : "@@CONF errtotal %s\n", note);
	}
}

/*
 * The stderr collector: a child that drains the scenario's stderr pipe into
 * memory (so the scenario never blocks on it while we read stdout), then
 * hands it all over through `back` when the scenario's side closes.
 * Does not return.
 */
static void collector(int err_rd, int back_wr)
{
	struct capture c;

	capture_fd(err_rd, &c);
	write_all(back_wr, c.buf, c.len);
	_exit(c.total > c.len ? 1 : 0);
}

/* The scenario's child side: wire its descriptors and exec BusyBox's sh.
 * Does not return. */
static void scenario_child(const char *script, int in_rd, int out_wr, int err_wr)
{
	char *argv[] = { "sh", (char *)script, NULL };

	dup2(in_rd, 0);
	dup2(out_wr, 1);
	dup2(err_wr, 2);
	for (int fd = 3; fd < 64; fd++)
		close(fd);
	if (chdir("/") < 0)
		_exit(126);
	execve(BUSYBOX, argv, scenario_env);
	dprintf(2, "conform-run: cannot execute %s: %s\n", BUSYBOX, strerror(errno));
	_exit(127);
}

/* Print the "status" record for a wait status. */
static void print_status(int wstatus)
{
	char num[16];

	if (WIFSIGNALED(wstatus)) {
		snprintf(num, sizeof num, "%d", WTERMSIG(wstatus));
		record("@@CONF status signal %s\n", num);
	} else {
		snprintf(num, sizeof num, "%d", WEXITSTATUS(wstatus));
		record("@@CONF status exit %s\n", num);
	}
}

/* fork, or report the failure as the scenario's record and return -1. */
static pid_t fork_or_report(const char *what)
{
	pid_t pid = fork();

	if (pid < 0)
		record("@@CONF error fork %s\n", what);
	return pid;
}

/* Run one scenario and print its whole record. */
static void run_scenario(const char *name)
{
	char script[256];
	int in[2], out[2], err[2], back[2], wstatus = 0;
	struct capture o, e;
	pid_t s, h;

	snprintf(script, sizeof script, "%s/%s.sh", SCENARIO_DIR, name);
	record("@@CONF begin %s\n", name);
	if (pipe(in) < 0 || pipe(out) < 0 || pipe(err) < 0 || pipe(back) < 0) {
		record("@@CONF error pipe %s\n", strerror(errno));
		record("@@CONF end %s\n", name);
		return;
	}
	close(in[1]);                       /* stdin: an empty pipe, EOF at once */
	if ((h = fork_or_report("collector")) == 0) {
		close(in[0]); close(out[0]); close(out[1]); close(err[1]); close(back[0]);
		collector(err[0], back[1]);
	}
	close(back[1]);
	if ((s = fork_or_report("scenario")) == 0)
		scenario_child(script, in[0], out[1], err[1]);
	close(in[0]); close(out[1]); close(err[0]); close(err[1]);
	capture_fd(out[0], &o);
	close(out[0]);
	if (s > 0)
		waitpid(s, &wstatus, 0);
	capture_fd(back[0], &e);
	close(back[0]);
	if (h > 0)
		waitpid(h, NULL, 0);
	print_hex("out", &o);
	print_hex("err", &e);
	if (s > 0)
		print_status(wstatus);
	record("@@CONF end %s\n", name);
	free(o.buf);
	free(e.buf);
}

/* --tty: an interactive shell on our own descriptors (the console); print
 * its status when it ends. */
static void run_tty(void)
{
	char *argv[] = { "sh", "-i", NULL };
	int wstatus = 0;
	pid_t pid = fork_or_report("tty");

	if (pid == 0) {
		if (chdir("/") < 0)
			_exit(126);
		execve(BUSYBOX, argv, scenario_env);
		dprintf(2, "conform-run: cannot execute %s: %s\n", BUSYBOX, strerror(errno));
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &wstatus, 0) == pid)
		print_status(wstatus);
}

/* Read the list file into names[]; returns how many, or -1. */
static int read_list(const char *path, char *names[], int max)
{
	static char text[64 * 1024];
	int fd = open(path, O_RDONLY), n = 0;
	ssize_t len = 0, r;

	if (fd < 0)
		return -1;
	while (len < (ssize_t)sizeof text - 1 &&
	    (r = read(fd, text + len, sizeof text - 1 - (size_t)len)) > 0)
		len += r;
	close(fd);
	text[len] = 0;
	for (char *p = strtok(text, "\n"); p && n < max; p = strtok(NULL, "\n"))
		if (*p)
			names[n++] = p;
	return n;
}

/* Linux as pid 1: the mounts a booted system has (errors are reported by the
 * scenarios that need them, not here). */
static void linux_setup(void)
{
	mkdir("/proc", 0555);
	mkdir("/sys", 0555);
	mkdir("/dev", 0755);
	mkdir("/tmp", 01777);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
}

/* At the end: Linux's init powers off (it must not exit); elsewhere exit. */
static int finish(int linux_init, int status)
{
	record("@@CONF done%s\n", "");
	if (linux_init && getpid() == 1) {
		sync();
		reboot(RB_POWER_OFF);
	}
	return status;
}

int main(int argc, char **argv)
{
	static char *names[MAX_NAMES];
	const char *list = DEFAULT_LIST;
	int linux_init = 0, tty = 0, first = 0, count = MAX_NAMES, n;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--linux") == 0)
			linux_init = 1;
		else if (strcmp(argv[i], "--tty") == 0)
			tty = 1;
		else if (strcmp(argv[i], "--first") == 0 && i + 1 < argc)
			first = atoi(argv[++i]);
		else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
			count = atoi(argv[++i]);
		else if (strcmp(argv[i], "--list") == 0 && i + 1 < argc)
			list = argv[++i];
		else {
			record("@@CONF error usage %s\n", argv[i]);
			return finish(linux_init, 2);
		}
	}
	if (linux_init)
		linux_setup();
	if (tty) {
		run_tty();
		return finish(linux_init, 0);
	}
	n = read_list(list, names, MAX_NAMES);
	if (n < 0) {
		record("@@CONF error list %s\n", list);
		return finish(linux_init, 2);
	}
	for (int i = first; i < n && i < first + count; i++)
		run_scenario(names[i]);
	return finish(linux_init, 0);
}
