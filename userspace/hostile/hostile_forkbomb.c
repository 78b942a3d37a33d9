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
 * Rounds: a warm-up (not counted), three process rounds, and a memory
 * round: a child first maps an eighth of free memory, so each of its forks
 * copies it and fork runs out of memory (ENOMEM) after a few forks.
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

/* Map bytes of memory (its address in *at); the size mapped, 0 if none. */
static long hog(long bytes, long *at)
{
	bytes &= ~4095L;
	*at = los_syscall6(LOS_NR_mmap, 0, bytes, 3, 0x22, -1, 0);
	return *at < 0 ? 0 : bytes;
}

/*
 * The memory round, in a child of its own: map an eighth of free memory,
 * so that every fork copies it, then bomb.  In a child because the mapping
 * leaves page tables behind in the process that made it (mmap hands out
 * fresh addresses); the child's exit returns them, so the parent's reading
 * shows only what the kernel itself lost.  Exits 0 when the round passed.
 */
static int memory_round(void *unused)
{
	struct round r;
	long at, size = hog(hostile_freeram() / 8, &at);

	(void)unused;
	bomb(&r, "hostile_forkbomb: echo runs after the memory bomb");
	if (size)
		SYS2(LOS_NR_munmap, at, size);
	fflush(stdout);
	return judge("memory", &r, -ENOMEM, -1, -1) ? 0 : 1;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3, passed = 0, cases = 0, forks = 0;
	struct round r;
	long before, after, first, st;

	bomb(&r, "hostile_forkbomb: warm-up done");
	first = before = hostile_settled_freeram();
	for (int i = 0; i < rounds; i++) {
		bomb(&r, "hostile_forkbomb: echo runs after the bomb");
		after = hostile_settled_freeram();
		passed += judge("processes", &r, EAGAIN_OR_ENOMEM, before, after);
		cases++, forks += r.forks;
		before = after;
	}
	st = hostile_run_child(memory_round, NULL);
	after = hostile_settled_freeram();
	cases++;
	passed += st == 0 && before == after;
	printf("hostile_forkbomb: memory round: status %ld, freeram before %ld after %ld\n",
	    st, before, after);
	printf("hostile_forkbomb: %d cases, %d survived, %d passed, %d forks, "
	    "freeram before %ld after %ld\n", cases, cases, passed, forks, first, after);
	return passed == cases && first == after ? 0 : 1;
}
