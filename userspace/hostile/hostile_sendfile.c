/*
 * hostile_sendfile: one sendfile call may move up to 2 GiB through a 4 KiB
 * kernel buffer; it must not stop the other processes, and a signal must
 * end it (docs/hostile.md).
 *
 * - zero_to_null: sendfile(/dev/null, /dev/zero, 64 MiB) while a watcher
 *   child takes turns (read the clock, sched_yield) until the sender closes
 *   its pipe.  Required: all 64 MiB moved, and the watcher had at least one
 *   turn per MiB (counted, so the verdict does not depend on the host's
 *   speed).  Before the fix it had none: the kernel copied with interrupts
 *   off until the call ended.
 * - pipe_to_itself: a pipe holding 4 KiB sent into itself with the largest
 *   count (0x7ffff000): every chunk read is written back, so the call would
 *   copy 2 GiB (seconds with every other process stopped).  A 20 ms
 *   ITIMER_REAL must end it (a watcher runs meanwhile, so the ticks are
 *   taken): a short count, the handler run.
 * Usage: hostile_sendfile [-v]
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "hostile.h"

#define ZERO_BYTES (64L << 20)
#define BYTES_PER_TURN (1L << 20)
#define MAX_RW_COUNT 0x7ffff000L
#define O_NONBLOCK 04000
#define O_WRONLY 1
#define ITIMER_REAL 0

/* The watcher: says it runs (a byte on ready), takes turns until EOF on
 * rd, sends its count of turns on ready. */
static void watch(long rd, long wr, long ready)
{
	long turns = 0;
	char c = 'r';

	SYS1(LOS_NR_close, wr);
	SYS3(LOS_NR_write, ready, &c, 1);
	while (SYS3(LOS_NR_read, rd, &c, 1) != 0) {
		turns++;
		SYS0(LOS_NR_sched_yield);
	}
	SYS3(LOS_NR_write, ready, &turns, sizeof(turns));
	hostile_exit(0);
}

struct watcher {
	long pid;
	int p[2], r[2];          /* its EOF pipe, its ready/result pipe */
};

/* Start a watcher; returns once it is taking turns.  0, or -1. */
static int watcher_start(struct watcher *w)
{
	char c;

	if (SYS2(LOS_NR_pipe2, w->p, O_NONBLOCK) < 0 || SYS1(LOS_NR_pipe, w->r) < 0)
		return -1;
	fflush(stdout);
	if ((w->pid = los_fork()) == 0)
		watch(w->p[0], w->p[1], w->r[1]);
	SYS3(LOS_NR_read, w->r[0], &c, 1);
	return w->pid > 0 ? 0 : -1;
}

/* Stop the watcher: its count of turns, or -1 when it failed. */
static long watcher_stop(struct watcher *w)
{
	long turns = -1;

	SYS1(LOS_NR_close, w->p[1]);
	SYS1(LOS_NR_close, w->p[0]);
	SYS1(LOS_NR_close, w->r[1]);
	if (hostile_wait(w->pid) != 0)
		turns = -2;
	else
		SYS3(LOS_NR_read, w->r[0], &turns, sizeof(turns));
	SYS1(LOS_NR_close, w->r[0]);
	return turns;
}

/* verbose: 1 says ok too, 0 only FAIL, -1 nothing (the warm-up). */
static int zero_to_null(int verbose)
{
	long in = SYS2(LOS_NR_open, "/dev/zero", 0), out = SYS2(LOS_NR_open, "/dev/null", O_WRONLY);
	long moved, turns;
	struct watcher w;
	int ok;

	if (in < 0 || out < 0 || watcher_start(&w) < 0)
		return 0;
	moved = SYS4(LOS_NR_sendfile, out, in, 0, ZERO_BYTES);
	turns = watcher_stop(&w);
	SYS1(LOS_NR_close, in);
	SYS1(LOS_NR_close, out);
	ok = moved == ZERO_BYTES && turns >= ZERO_BYTES / BYTES_PER_TURN;
	if (verbose >= 0 && (!ok || verbose))
		printf("hostile_sendfile: %s zero_to_null: moved %ld of %ld, the watcher had %ld turns"
		    " (at least %ld)\n", ok ? "ok" : "FAIL", moved, ZERO_BYTES, turns,
		    ZERO_BYTES / BYTES_PER_TURN);
	return ok;
}

static volatile int alarmed;

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

/* With a watcher running: the timer's ticks are taken while it runs (the
 * kernel runs with interrupts off, so a lone process's own timer could not
 * fire inside the call). */
static int pipe_to_itself(int verbose)
{
	static char fill[4096];
	struct sigaction sa;
	long it[4] = { 0, 0, 0, 20000 };                 /* once, after 20 ms */
	long moved, turns;
	struct watcher w;
	int p[2], ok;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;                        /* no SA_RESTART */
	alarmed = 0;
	if (sigaction(SIGALRM, &sa, NULL) != 0 || SYS2(LOS_NR_pipe2, p, O_NONBLOCK) < 0 ||
	    SYS3(LOS_NR_write, p[1], fill, sizeof fill) != sizeof fill || watcher_start(&w) < 0)
		return 0;
	SYS3(LOS_NR_setitimer, ITIMER_REAL, it, 0);
	moved = SYS4(LOS_NR_sendfile, p[1], p[0], 0, MAX_RW_COUNT);
	SYS3(LOS_NR_setitimer, ITIMER_REAL, (long[4]){ 0 }, 0);
	turns = watcher_stop(&w);
	SYS1(LOS_NR_close, p[0]);
	SYS1(LOS_NR_close, p[1]);
	signal(SIGALRM, SIG_DFL);
	ok = alarmed && moved > 0 && moved < MAX_RW_COUNT && turns > 0;
	if (!ok || verbose)
		printf("hostile_sendfile: %s pipe_to_itself: moved %ld of %ld, handler %s, "
		    "the watcher had %ld turns\n", ok ? "ok" : "FAIL", moved, MAX_RW_COUNT,
		    alarmed ? "ran" : "did not run", turns);
	return ok;
}

int main(int argc, char **argv)
{
	int verbose = argc > 1 && strcmp(argv[1], "-v") == 0, passed = 0;
	long before, after;

	hostile_start();
	zero_to_null(-1);                                /* warm up, quiet */
	before = hostile_settled_freeram();
	passed += zero_to_null(verbose);
	passed += pipe_to_itself(verbose);
	after = hostile_settled_freeram();
	printf("hostile_sendfile: 2 cases, 2 survived, %d passed, freeram before %ld after %ld\n",
	    passed, before, after);
	return passed == 2 && before == after ? 0 : 1;
}
