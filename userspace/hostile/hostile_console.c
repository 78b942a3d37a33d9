/*
 * hostile_console: one writev of 1024 iovecs over a 1 MiB buffer to the
 * console must not stop the other processes (docs/hostile.md).
 *
 * A watcher child loops: read the clock, sched_yield; meanwhile this
 * process writes 1024 iovecs of BYTES each (all within one 1 MiB buffer) to
 * the console in one writev.  The watcher stops when the writer closes its
 * pipe.  The kernel writes to the UART byte by byte (about 1 us a byte under
 * QEMU): unless the console lets others run, the watcher gets no turn during
 * the whole write (256 KiB: a quarter of a second).
 *
 * Required: the write completes in full, and the watcher had a turn at least
 * every MAX_BYTES_PER_TURN bytes of output (counted, so the verdict does not
 * depend on how busy the host is).  The longest gap between two clock
 * readings is printed too, in ms: under QEMU it also holds the host's own
 * pauses, so it is reported, not judged (docs/hostile.md).
 * Usage: hostile_console [BYTES_PER_IOVEC]   (default 256)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostile.h"

#define NIOV 1024
#define BUF (1 << 20)
#define MAX_BYTES_PER_TURN (16 * 1024)     /* about 16 ms of UART output */
#define O_NONBLOCK 04000
#define CLOCK_MONOTONIC 1

static long now_ns(void)
{
	long ts[2];

	SYS2(LOS_NR_clock_gettime, CLOCK_MONOTONIC, ts);
	return ts[0] * 1000000000L + ts[1];
}

struct watch_result {
	long turns;       /* loop rounds until EOF */
	long worst_ns;    /* longest gap between two clock readings */
};

/* The watcher: says it runs (a byte on ready), then takes turns (each ends
 * in sched_yield) until EOF on rd; sends its result on ready. */
static void watch(long rd, long wr, long ready)
{
	struct watch_result res = { 0, 0 };
	long prev = now_ns();
	char c = 'r';

	SYS1(LOS_NR_close, wr);
	SYS3(LOS_NR_write, ready, &c, 1);
	while (SYS3(LOS_NR_read, rd, &c, 1) != 0) {
		long t = now_ns();

		if (t - prev > res.worst_ns)
			res.worst_ns = t - prev;
		prev = t;
		res.turns++;
		SYS0(LOS_NR_sched_yield);
	}
	SYS3(LOS_NR_write, ready, &res, sizeof(res));
	hostile_exit(0);
}

int main(int argc, char **argv)
{
	long per = argc > 1 ? atol(argv[1]) : 256, total = per * NIOV, w, st, pid;
	static long iov[NIOV][2];
	char *buf = malloc(BUF);
	int p[2], r[2], ok;
	long before, after;
	struct watch_result res = { 0, -1 };
	char c;

	hostile_start();
	if (!buf || per <= 0 || per > BUF)
		return 2;
	for (long i = 0; i < BUF; i++)
		buf[i] = i % 80 == 79 ? '\n' : '.';
	for (int i = 0; i < NIOV; i++) {
		iov[i][0] = (long)buf + (long)i * (BUF - per) / NIOV;
		iov[i][1] = per;
	}
	printf("hostile_console: writev of %d iovecs, %ld bytes\n", NIOV, total);
	fflush(stdout);
	before = hostile_settled_freeram();
	if (SYS2(LOS_NR_pipe2, p, O_NONBLOCK) < 0 || SYS1(LOS_NR_pipe, r) < 0)
		return 2;
	pid = los_fork();
	if (pid == 0)
		watch(p[0], p[1], r[1]);
	if (pid < 0)
		return 3;
	SYS3(LOS_NR_read, r[0], &c, 1);               /* the watcher is measuring */
	w = SYS3(LOS_NR_writev, 1, iov, NIOV);
	SYS1(LOS_NR_close, p[1]);
	SYS1(LOS_NR_close, p[0]);
	SYS1(LOS_NR_close, r[1]);
	st = hostile_wait(pid);
	SYS3(LOS_NR_read, r[0], &res, sizeof(res));
	SYS1(LOS_NR_close, r[0]);
	after = hostile_settled_freeram();
	ok = w == total && st == 0 && res.turns >= total / MAX_BYTES_PER_TURN;
	printf("\nhostile_console: %s: wrote %ld of %ld, the watcher had %ld turns (at least %ld:"
	    " one per %d bytes), longest gap %ld ms\n", ok ? "ok" : "FAIL", w, total, res.turns,
	    total / MAX_BYTES_PER_TURN, MAX_BYTES_PER_TURN, res.worst_ns / 1000000);
	printf("hostile_console: 1 cases, 1 survived, %d passed, freeram before %ld after %ld\n",
	    ok, before, after);
	return ok && before == after ? 0 : 1;
}
