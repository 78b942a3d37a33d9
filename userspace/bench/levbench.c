/* levbench: the benchmark program, one static musl binary that runs unmodified
 * on Levitate and on Linux, so both are measured by the same code.
 *
 *   levbench            run every benchmark, print one JSON line "BENCH {...}"
 *   levbench -q         the same with a tenth of the iterations (traced runs,
 *                       where every syscall is slow)
 *   levbench nop        exit 0 at once (the exec target)
 *   levbench repeat OP N  run operation OP (getpid, fork, forkexec, pipe,
 *                       execbig) N times, untimed, and exit: what
 *                       scripts/tbprof.py profiles (two runs, N apart)
 *   levbench floor      on the bench's floor kernel (make floor-kernel): the
 *                       null call FLOOR_NR, which that kernel's entry answers
 *                       at once with SYSRET, and getpid, in alternating rounds
 *                       of one boot; prints "BENCH {"floor_ns":..,
 *                       "floor_getpid_ns":..}"
 *
 * It prints "LEVBENCH start" first: the host times boot-to-first-output by it.
 * Each figure is the median of ROUNDS rounds; a round times N operations with
 * CLOCK_MONOTONIC and divides.  Run as pid 1 (the Linux peer's /init) it powers
 * the machine off at the end, since init must never exit on Linux. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define ROUNDS 5
#define FLOOR_NR 1023          /* kernel/arch/x86_64/syscall.S, LEVITATE_FLOOR */
#define FLOOR_ROUNDS 21

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Linux's init must not exit (the kernel panics); power off instead.  On
 * Levitate levbench is never pid 1 (init runs it), so this is Linux only. */
static void end_as_init(void)
{
	if (getpid() != 1)
		return;
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
}

static void die(const char *what)
{
	fprintf(stderr, "levbench: %s failed\n", what);
	end_as_init();
	exit(1);
}

static void op_getpid(void)
{
	syscall(SYS_getpid);
}

static void op_floor(void)
{
	syscall(FLOOR_NR);
}

static void wait_child(pid_t pid)
{
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		die("child");
}

static void op_fork_exit(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	wait_child(pid);
}

static void exec_and_wait(const char *path)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { (char *)path, "nop", NULL };
		execv(path, argv);
		_exit(127);
	}
	wait_child(pid);
}

static void op_fork_exec(void)
{
	exec_and_wait("/bin/levbench");
}

static void op_exec_big(void)
{
	exec_and_wait("/bin/levbench-big");
}

static int ping[2], pong[2];

static void op_pipe_roundtrip(void)
{
	char c = 'x';

	if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
		die("pipe");
}

/* The other end of the pipe benchmark: echo every byte back until EOF. */
static pid_t start_echoer(void)
{
	pid_t pid;

	if (pipe(ping) || pipe(pong))
		die("pipe");
	pid = fork();
	if (pid == 0) {
		char c;
		close(ping[1]);
		close(pong[0]);
		while (read(ping[0], &c, 1) == 1)
			if (write(pong[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(ping[0]);
	close(pong[1]);
	return pid;
}

/* The mean cost of one op over n of them, in nanoseconds. */
static double time_op(void (*op)(void), int n)
{
	double t0 = now_ns();

	for (int i = 0; i < n; i++)
		op();
	return (now_ns() - t0) / n;
}

/* Median over ROUNDS of the mean cost of one op, in nanoseconds. */
static double measure(void (*op)(void), int n)
{
	double per[ROUNDS];

	op();                                  /* warm up */
	for (int r = 0; r < ROUNDS; r++)
		per[r] = time_op(op, n);
	qsort(per, ROUNDS, sizeof(per[0]), cmp_double);
	return per[ROUNDS / 2];
}

/* The floor kernel's figures: the null call and getpid in alternating
 * rounds, so both see the same host load; the median of each and of the
 * rounds' getpid/floor ratios.  The null call must come back with its own
 * number (the floor kernel's entry leaves rax alone): any other kernel
 * answers ENOSYS, and that is refused. */
static void measure_floor(int n)
{
	double floor_ns[FLOOR_ROUNDS], getpid_ns[FLOOR_ROUNDS], times[FLOOR_ROUNDS];

	if (syscall(FLOOR_NR) != FLOOR_NR)
		die("floor call (not the floor kernel?)");
	time_op(op_getpid, n);                 /* warm up */
	for (int r = 0; r < FLOOR_ROUNDS; r++) {
		floor_ns[r] = time_op(op_floor, n);
		getpid_ns[r] = time_op(op_getpid, n);
		times[r] = getpid_ns[r] / floor_ns[r];
	}
	qsort(floor_ns, FLOOR_ROUNDS, sizeof(floor_ns[0]), cmp_double);
	qsort(getpid_ns, FLOOR_ROUNDS, sizeof(getpid_ns[0]), cmp_double);
	qsort(times, FLOOR_ROUNDS, sizeof(times[0]), cmp_double);
	printf("BENCH {\"floor_ns\": %.1f, \"floor_getpid_ns\": %.1f, "
	       "\"getpid_over_floor\": %.3f}\n", floor_ns[FLOOR_ROUNDS / 2],
	       getpid_ns[FLOOR_ROUNDS / 2], times[FLOOR_ROUNDS / 2]);
}

/* levbench repeat OP N: the named operation N times, nothing else. */
static int repeat(const char *name, int n)
{
	static const struct { const char *name; void (*op)(void); } ops[] = {
		{ "getpid", op_getpid }, { "fork", op_fork_exit }, { "forkexec", op_fork_exec },
		{ "pipe", op_pipe_roundtrip }, { "execbig", op_exec_big },
	};
	void (*op)(void) = NULL;
	pid_t echoer = 0;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(name, ops[i].name) == 0)
			op = ops[i].op;
	if (!op || n < 0) {
		fprintf(stderr, "levbench: repeat wants an operation (getpid fork forkexec pipe execbig) and a count\n");
		return 2;
	}
	if (op == op_pipe_roundtrip)
		echoer = start_echoer();
	for (int i = 0; i < n; i++)
		op();
	if (echoer) {
		close(ping[1]);
		close(pong[0]);
		wait_child(echoer);
	}
	return 0;
}

/* The iteration count for one figure: full, or in quick mode a tenth of it
 * but at least 5, so the slowest figures still average a few operations. */
static int iters(int full, int quick)
{
	if (!quick)
		return full;
	return full / 10 > 5 ? full / 10 : 5;
}

int main(int argc, char **argv)
{
	int quick = argc > 1 && strcmp(argv[1], "-q") == 0;
	double getpid_ns, fork_exit_ns, fork_exec_ns, pipe_ns, exec_big_ns;
	pid_t echoer;

	if (argc > 1 && strcmp(argv[1], "nop") == 0)
		return 0;
	if (argc > 1 && strcmp(argv[1], "repeat") == 0)
		return repeat(argc > 2 ? argv[2] : "", argc > 3 ? atoi(argv[3]) : -1);
	printf("LEVBENCH start\n");
	fflush(stdout);
	if (argc > 1 && strcmp(argv[1], "floor") == 0) {
		measure_floor(4000);
		return 0;
	}
	echoer = start_echoer();
	pipe_ns = measure(op_pipe_roundtrip, iters(500, quick));
	close(ping[1]);
	close(pong[0]);
	wait_child(echoer);
	getpid_ns = measure(op_getpid, iters(20000, quick));
	fork_exit_ns = measure(op_fork_exit, iters(50, quick));
	fork_exec_ns = measure(op_fork_exec, iters(50, quick));
	exec_big_ns = measure(op_exec_big, iters(10, quick));
	printf("BENCH {\"getpid_ns\": %.0f, \"fork_exit_wait_ns\": %.0f, "
	       "\"fork_exec_wait_ns\": %.0f, \"pipe_roundtrip_ns\": %.0f, "
	       "\"exec_big_ns\": %.0f}\n",
	       getpid_ns, fork_exit_ns, fork_exec_ns, pipe_ns, exec_big_ns);
	end_as_init();
	return 0;
}
