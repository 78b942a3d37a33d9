/*
 * hostile_forkbomb: fork until the kernel refuses, then let everything go.
 *
 * Every child blocks reading a pipe, so all of them are alive at once.  A
 * round forks until fork fails; the failure must be ENOMEM or EAGAIN (there
 * is no process table: memory is the limit, over 2000 processes in 128 MiB).
 * While memory is full this process must still be able to make calls, and
 * starting a program must be refused cleanly.  Then the pipe's last writer closes, every child reads EOF and
 * exits 0, all are reaped, /bin/echo must run, and free memory must be
 * back exactly where it was.
 *
 * Fork copies nothing (copy-on-write): a child costs its kernel stack, its
 * page tables and the pages it writes.  So besides the process rounds (a
 * warm-up, not counted, then ROUNDS rounds) there are:
 *   - the cost case: a process with 1 MiB written forks; the child reads
 *     sysinfo's freeram before writing anything (a few pages gone, where an
 *     eager copy took over 256), then a second child writes the 1 MiB
 *     (at least 256 pages: the copies are real);
 *   - the copy round: a process writes an eighth of free memory, then forks
 *     children that each write all of it, one after the other, until one
 *     runs out of memory in a copy fault and is killed (SIGKILL, as Linux's
 *     OOM killer would end it).  The others, and the kernel, go on; all the
 *     memory comes back.
 * Usage: hostile_forkbomb [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>

#include "hostile.h"

#define EAGAIN 11
#define ENOMEM 12
#define MAX_CHILDREN 1000000      /* far above what RAM holds: a bomb never refused fails */
#define EAGAIN_OR_ENOMEM 0        /* judge's want: either refusal */

struct round {
	int forks;        /* children started */
	long refusal;     /* what fork answered at the end */
	int reaped_ok;    /* children that exited 0 */
	int echo_status;  /* /bin/echo's wait status after the round */
	int busy_ok;      /* calls worked while the table was full */
};

/* The child: wait for EOF on rd (the parent closing the last writer), exit 0. */
static void child_block(long rd, long wr)
{
	char c;

	SYS1(LOS_NR_close, wr);
	while (SYS3(LOS_NR_read, rd, &c, 1) > 0)
		;
	hostile_exit(0);
}

/* With memory full of processes: calls still work (sysinfo may rightly say
 * 0 bytes free) and starting a program is refused. */
static int busy_checks(void)
{
	char *argv[] = { "echo", "must not run", NULL };
	long pid = SYS0(LOS_NR_getpid), r;

	if (SYS0(LOS_NR_getpid) != pid || hostile_freeram() < 0)
		return 0;
	r = los_fork_exec("/bin/echo", argv);
	if (r >= 0) {
		hostile_wait(r);
		return 0;
	}
	return r == -EAGAIN || r == -ENOMEM;
}

/* Run /bin/echo MSG; its wait status. */
static int run_echo(const char *msg)
{
	char *argv[] = { "echo", (char *)msg, NULL };
	long pid;

	fflush(stdout);
	pid = los_fork_exec("/bin/echo", argv);
	return pid < 0 ? (int)pid : (int)hostile_wait(pid);
}

static void bomb(struct round *r, const char *echo_msg)
{
	int p[2];
	long pid;

	*r = (struct round){ 0 };
	if (SYS1(LOS_NR_pipe, p) < 0)
		return;
	fflush(stdout);
	while (r->forks < MAX_CHILDREN) {
		pid = los_fork();
		if (pid == 0)
			child_block(p[0], p[1]);
		if (pid < 0) {
			r->refusal = pid;
			break;
		}
		r->forks++;
	}
	r->busy_ok = busy_checks();
	SYS1(LOS_NR_close, p[1]);
	SYS1(LOS_NR_close, p[0]);
	for (int i = 0; i < r->forks; i++)
		r->reaped_ok += hostile_wait(-1) == 0;
	r->echo_status = run_echo(echo_msg);
}

/* A round's verdict, printed; 1 when every check held.  before < 0: the
 * freeram figures are the caller's to compare (pass equal values). */
static int judge(const char *name, const struct round *r, long want, long before, long after)
{
	int refused = want == EAGAIN_OR_ENOMEM ? r->refusal == -EAGAIN || r->refusal == -ENOMEM
					       : r->refusal == want;
	int ok = refused && r->reaped_ok == r->forks && r->busy_ok &&
	    r->echo_status == 0 && before == after;

	printf("hostile_forkbomb: %s: %d forks, refused with %ld (want %ld), %d reaped, "
	    "busy checks %s, echo status %d, ", name, r->forks, r->refusal, want,
	    r->reaped_ok, r->busy_ok ? "ok" : "FAIL", r->echo_status);
	if (before < 0)
		printf("freeram: the parent checks: %s\n", ok ? "ok" : "FAIL");
	else
		printf("freeram before %ld after %ld: %s\n", before, after, ok ? "ok" : "FAIL");
	return ok;
}

/* Map bytes of memory (its address in *at) and write every page of it, so
 * it is the process's own; the size mapped, 0 if none. */
static long hog(long bytes, long *at)
{
	bytes &= ~4095L;
	*at = los_syscall6(LOS_NR_mmap, 0, bytes, 3, 0x22, -1, 0);
	if (*at < 0)
		return 0;
	for (long off = 0; off < bytes; off += 4096)
		((volatile char *)*at)[off] = 1;
	return bytes;
}

/* Write one byte in every page of [at, at + size): a copy fault each. */
static void touch(long at, long size)
{
	for (long off = 0; off < size; off += 4096)
		((volatile char *)at)[off] = 2;
}

/* Fork a child that (after writing [at, at + size) when size) sends its
 * freeram reading back; that reading, or -1. */
static long child_freeram(long at, long size)
{
	int p[2];
	long pid, free = -1;

	if (SYS1(LOS_NR_pipe, p) < 0)
		return -1;
	pid = los_fork();
	if (pid == 0) {
		touch(at, size);
		free = hostile_freeram();
		SYS3(LOS_NR_write, p[1], &free, sizeof(free));
		hostile_exit(0);
	}
	if (pid > 0 && SYS3(LOS_NR_read, p[0], &free, sizeof(free)) != sizeof(free))
		free = -1;
	SYS1(LOS_NR_close, p[0]);
	SYS1(LOS_NR_close, p[1]);
	if (pid > 0)
		hostile_wait(pid);
	return free;
}

/*
 * The cost case, in a child of its own (its mappings' page tables go at its
 * exit): what a forked child of a process with 1 MiB written costs before
 * it writes (a few pages: kernel stack, page tables, the stack page it
 * writes) and after writing the 1 MiB (256 pages more).  Exits 0 when the
 * first is at most 32 pages and the second at least 256.
 */
static int cost_case(void *unused)
{
	long at, size = hog(1L << 20, &at), before, forked, written;

	(void)unused;
	child_freeram(at, 0);                    /* warm-up: the code path once */
	before = hostile_freeram();
	forked = child_freeram(at, 0);
	written = child_freeram(at, size);
	forked = (before - forked) / 4096;
	written = (before - written) / 4096;
	printf("hostile_forkbomb: fork of a 1 MiB process: the child costs %ld pages, "
	    "%ld once it wrote the 1 MiB: %s\n", forked, written,
	    size && forked <= 32 && written >= 256 ? "ok" : "FAIL");
	fflush(stdout);
	return size && forked <= 32 && written >= 256 ? 0 : 1;
}

struct copy_round {
	int finished;     /* children that wrote all their copies */
	int oom_killed;   /* children killed by SIGKILL in a copy fault */
	int other;        /* children that ended any other way */
	long refusal;     /* fork's error if it refused first, else 0 */
	int reaped_ok;    /* finished children that exited 0 once released */
};

/* A copy-round child: write the whole hog, say so on done, wait for EOF on hold. */
static void copy_child(long at, long size, int done, const int hold[2])
{
	char c = 'w';

	SYS1(LOS_NR_close, hold[1]);
	touch(at, size);
	SYS3(LOS_NR_write, done, &c, 1);
	SYS1(LOS_NR_close, done);
	while (SYS3(LOS_NR_read, hold[0], &c, 1) > 0)
		;
	hostile_exit(0);
}

/* Start one copy child and wait until it wrote everything (1) or died (0,
 * reaped and counted); -1 when fork refused. */
static int copy_one(struct copy_round *r, long at, long size, const int hold[2])
{
	int done[2];
	long pid, st, n;
	char c;

	if (SYS1(LOS_NR_pipe, done) < 0)
		return -1;
	pid = los_fork();
	if (pid == 0) {
		SYS1(LOS_NR_close, done[0]);
		copy_child(at, size, done[1], hold);
	}
	SYS1(LOS_NR_close, done[1]);
	n = pid > 0 ? SYS3(LOS_NR_read, done[0], &c, 1) : 0;
	SYS1(LOS_NR_close, done[0]);
	if (pid < 0) {
		r->refusal = pid;
		return -1;
	}
	if (n == 1) {
		r->finished++;
		return 1;
	}
	st = hostile_wait(pid);                  /* EOF: it died before writing all */
	if (st >= 0 && !HOSTILE_EXITED(st) && HOSTILE_TERMSIG(st) == 9)
		r->oom_killed++;
	else
		r->other++;
	return 0;
}

/*
 * The copy round, in a child of its own: write an eighth of free memory,
 * then children each write all of it until one is killed for memory (or
 * fork refuses).  Then calls still work, the finished children are
 * released and exit 0, a program runs.  Exits 0 when exactly one child was
 * killed by SIGKILL and nothing else went wrong.
 */
static int copy_round(void *unused)
{
	struct copy_round r = { 0 };
	long at, size = hog(hostile_freeram() / 8, &at);
	int hold[2], echo, ok;

	(void)unused;
	if (!size || SYS1(LOS_NR_pipe, hold) < 0)
		return 1;
	fflush(stdout);
	for (int i = 0; i < 64 && copy_one(&r, at, size, hold) == 1; i++)
		;
	ok = SYS0(LOS_NR_getpid) > 0 && hostile_freeram() > 0;
	SYS1(LOS_NR_close, hold[1]);
	SYS1(LOS_NR_close, hold[0]);
	for (int i = 0; i < r.finished; i++)
		r.reaped_ok += hostile_wait(-1) == 0;
	echo = run_echo("hostile_forkbomb: echo runs after the copy round");
	ok = ok && r.oom_killed == 1 && r.other == 0 && r.refusal == 0 && r.finished >= 1 &&
	    r.reaped_ok == r.finished && echo == 0;
	printf("hostile_forkbomb: copies: %d children wrote %ld KiB each, %d killed for memory "
	    "(signal 9), %d ended otherwise, fork refused with %ld, %d reaped, echo status %d: %s\n",
	    r.finished, size >> 10, r.oom_killed, r.other, r.refusal, r.reaped_ok, echo,
	    ok ? "ok" : "FAIL");
	fflush(stdout);
	return ok ? 0 : 1;
}

/* Run fn in a child of its own; 1 when it exited 0 and freeram came back
 * exactly (*before is updated to the reading after). */
static int settled_case(const char *name, int (*fn)(void *), long *before)
{
	long st = hostile_run_child(fn, NULL), after = hostile_settled_freeram();
	int ok = st == 0 && *before == after;

	printf("hostile_forkbomb: %s: status %ld, freeram before %ld after %ld\n", name, st,
	    *before, after);
	*before = after;
	return ok;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3, passed = 0, cases = 0, forks = 0;
	struct round r;
	long before, after, first;

	bomb(&r, "hostile_forkbomb: warm-up done");
	first = before = hostile_settled_freeram();
	for (int i = 0; i < rounds; i++) {
		bomb(&r, "hostile_forkbomb: echo runs after the bomb");
		after = hostile_settled_freeram();
		passed += judge("processes", &r, EAGAIN_OR_ENOMEM, before, after);
		cases++, forks += r.forks;
		before = after;
	}
	passed += settled_case("cost case", cost_case, &before);
	passed += settled_case("copy round", copy_round, &before);
	cases += 2;
	after = before;
	printf("hostile_forkbomb: %d cases, %d survived, %d passed, %d forks, "
	    "freeram before %ld after %ld\n", cases, cases, passed, forks, first, after);
	return passed == cases && first == after ? 0 : 1;
}
