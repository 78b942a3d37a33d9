/* wltime: the timer of the workload bench (scripts/bench_workload.py), one
 * static musl program that runs unmodified on Levitate and on Linux, so both
 * are timed by the same code in the guest.
 *
 *   wltime [-o FILE] NAME PROG [ARG...]
 *       run PROG with its arguments as a child (stdout to FILE with -o), wait
 *       for it, print "WORKLOAD NAME NS STATUS": the wall time from fork to
 *       the end of wait by CLOCK_MONOTONIC, and the child's wait status.
 *   wltime as pid 1 (the Linux peer's /init), no arguments
 *       run "/bin/busybox sh /bench/run.sh", then power the machine off:
 *       init must never exit on Linux.  Levitate's own init runs the
 *       script instead, and powers off itself.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/reboot.h>
#include <sys/wait.h>

#define SCRIPT "/bench/run.sh"

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Start argv[0] with argv; stdout to out_path when not NULL.  The child's
 * pid, or -1. */
static pid_t start(char **argv, const char *out_path)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	if (out_path) {
		int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0) {
			perror(out_path);
			_exit(126);
		}
		close(fd);
	}
	execv(argv[0], argv);
	perror(argv[0]);
	_exit(127);
}

/* As the Linux peer's /init: the script, then power off. */
static int run_as_init(void)
{
	char *argv[] = { "/bin/busybox", "sh", SCRIPT, NULL };
	pid_t pid = start(argv, NULL);
	int status = 0;

	while (pid > 0 && waitpid(pid, &status, 0) < 0)
		;
	printf("WORKLOAD script status %d\n", status);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 1;
}

int main(int argc, char **argv)
{
	const char *out_path = NULL;
	long long t0, t1;
	int status = 0;
	pid_t pid;

	if (getpid() == 1 && argc == 1)
		return run_as_init();
	if (argc > 2 && strcmp(argv[1], "-o") == 0) {
		out_path = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: wltime [-o FILE] NAME PROG [ARG...]\n");
		return 2;
	}
	t0 = now_ns();
	pid = start(argv + 2, out_path);
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		perror("wltime");
		return 1;
	}
	t1 = now_ns();
	printf("WORKLOAD %s %lld %d\n", argv[1], t1 - t0, status);
	fflush(stdout);
	return status == 0 ? 0 : 1;
}
