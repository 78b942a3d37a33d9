/*
 * hostile_signal: signal delivery attacked through what a program chooses:
 * the handler address, the restorer, the stack the frame goes on.  Each
 * case runs in its own child, which must end with the status Linux gives
 * it (SIGSEGV for a handler frame that cannot be built or a handler that
 * cannot run); the kernel must neither panic nor hang, and memory comes back.
 *
 * - handler_noncanonical_*: a handler at a non-canonical address.  Returning
 *   to it would make IRETQ fault in ring 0; Linux turns that into SIGSEGV.
 * - handler_kernel_text: a canonical kernel address: the user fetch faults.
 * - segv_handler_bad_stack: a SIGSEGV handler, and a fault with rsp on an
 *   unmapped page.  The SIGSEGV frame cannot be written; the kernel must not
 *   keep retrying the same handler (Linux's force_sigsegv resets it).
 * - segv_handler_no_restorer: the same loop through a handler without
 *   SA_RESTORER (x86_64 frames need one).
 * - usr1_bad_stack: a SIGUSR1 sent to itself with rsp unmapped and a SIGSEGV
 *   handler installed: both frames fail.
 * - altstack_past_user_top, altstack_wraps: an alternate stack ending above
 *   the user half, or wrapping past 2^64 to page 0.
 * - handler_runs: the control: a good handler, restorer and stack; exits 0.
 *
 * Usage: hostile_signal [-v] [CASE]   (CASE: run that case alone)
 */
#include <stdio.h>
#include <string.h>

#include "hostile.h"

#define SIGUSR1 10
#define SA_RESTORER 0x04000000UL
#define SA_ONSTACK 0x08000000UL
#define ALIVE 0            /* expected: exits 0, not killed */

/* struct sigaction as the kernel reads it (x86_64). */
struct ksigaction {
	unsigned long handler, flags, restorer, mask;
};

/* The restorer: rt_sigreturn from the frame the handler returned into. */
__asm__(".text\n\t.globl hostile_sig_restorer\n"
	"hostile_sig_restorer:\n\tmov $15, %eax\n\tsyscall\n\tud2\n");
void hostile_sig_restorer(void);

static volatile int handled;

static void on_signal(int sig)
{
	(void)sig;
	handled = 1;
}

/* Install handler for sig with flags (plus SA_RESTORER when restorer). */
static void catch(int sig, unsigned long handler, unsigned long flags, int restorer)
{
	struct ksigaction sa = { handler, flags, 0, 0 };

	if (restorer) {
		sa.flags |= SA_RESTORER;
		sa.restorer = (unsigned long)hostile_sig_restorer;
	}
	if (SYS4(LOS_NR_rt_sigaction, sig, &sa, 0, 8) != 0)
		hostile_exit(3);
}

/* Send sig to this process. */
static void raise_self(int sig)
{
	SYS2(LOS_NR_kill, SYS0(LOS_NR_getpid), sig);
}

static void handler_at(unsigned long addr)
{
	catch(SIGUSR1, addr, 0, 1);
	raise_self(SIGUSR1);
	hostile_exit(4);                /* the handler "ran" and returned here */
}

static void handler_noncanonical_lo(void) { handler_at(BAD_NONCANON_LO); }
static void handler_noncanonical_hi(void) { handler_at(BAD_NONCANON_HI); }
static void handler_noncanonical_top(void) { handler_at(0xffff7ffffffff000UL); }
static void handler_kernel_text(void) { handler_at(BAD_KERNEL_TEXT); }

/* A store through rsp pointing at an unmapped page: #PF, SIGSEGV. */
static void fault_on_bad_stack(void)
{
	__asm__ volatile("mov %0, %%rsp\n\tpushq $0\n\tud2" : : "r"(BAD_UNMAPPED) : "memory");
}

static void segv_handler_bad_stack(void)
{
	catch(SIGSEGV, (unsigned long)on_signal, 0, 1);
	fault_on_bad_stack();
}

static void segv_handler_no_restorer(void)
{
	volatile unsigned long null = 0;

	catch(SIGSEGV, (unsigned long)on_signal, 0, 0);
	*(volatile long *)null = 1;     /* SIGSEGV, whose handler cannot get a frame */
	hostile_exit(4);
}

static void usr1_bad_stack(void)
{
	long pid = SYS0(LOS_NR_getpid);

	catch(SIGUSR1, (unsigned long)on_signal, 0, 1);
	catch(SIGSEGV, (unsigned long)on_signal, 0, 1);
	__asm__ volatile("mov %0, %%rsp\n\tsyscall\n\tud2"
	    : : "r"(BAD_UNMAPPED), "a"((long)LOS_NR_kill), "D"(pid), "S"((long)SIGUSR1)
	    : "rcx", "r11", "memory");
}

/* Deliver SIGUSR1 on the alternate stack ss (sp, flags, size). */
static void altstack_case(unsigned long ss[3])
{
	if (SYS2(LOS_NR_sigaltstack, ss, 0) != 0)
		hostile_exit(5);
	catch(SIGUSR1, (unsigned long)on_signal, SA_ONSTACK, 1);
	raise_self(SIGUSR1);
	hostile_exit(4);
}

/* An alternate stack that starts just above this program's stack (so the
 * program is not on it) and ends past the last user page: the frame would
 * straddle the kernel half. */
static void altstack_past_user_top(void)
{
	unsigned long ss[3] = { BAD_USER_TOP - 64, 0, 0x10000 };

	altstack_case(ss);
}

/* An alternate stack whose end wraps past 2^64 to page 0. */
static void altstack_wraps(void)
{
	unsigned long ss[3] = { BAD_WRAP, 0, 0x2000 };

	altstack_case(ss);
}

static void handler_runs(void)
{
	catch(SIGUSR1, (unsigned long)on_signal, 0, 1);
	raise_self(SIGUSR1);
	if (!handled)
		hostile_exit(6);
}

struct scase {
	const char *name;
	void (*fn)(void);
	int signal;        /* expected WTERMSIG, or ALIVE */
};

static const struct scase cases[] = {
	{ "handler_runs", handler_runs, ALIVE },
	{ "handler_noncanonical_lo", handler_noncanonical_lo, SIGSEGV },
	{ "handler_noncanonical_hi", handler_noncanonical_hi, SIGSEGV },
	{ "handler_noncanonical_top", handler_noncanonical_top, SIGSEGV },
	{ "handler_kernel_text", handler_kernel_text, SIGSEGV },
	{ "segv_handler_bad_stack", segv_handler_bad_stack, SIGSEGV },
	{ "segv_handler_no_restorer", segv_handler_no_restorer, SIGSEGV },
	{ "usr1_bad_stack", usr1_bad_stack, SIGSEGV },
	{ "altstack_past_user_top", altstack_past_user_top, SIGSEGV },
	{ "altstack_wraps", altstack_wraps, SIGSEGV },
};

#define NCASES (sizeof cases / sizeof cases[0])

static int run_case(void *arg)
{
	((const struct scase *)arg)->fn();
	return 0;
}

/* One case; 1 when the child ended as expected. */
static int judge(const struct scase *k, long st, int verbose)
{
	int ok = st >= 0 && (k->signal == ALIVE ? st == 0 :
	    !HOSTILE_EXITED(st) && HOSTILE_TERMSIG(st) == k->signal);

	if (!ok || verbose)
		printf("hostile_signal: %s %s: status %#lx, want %s %d\n", ok ? "ok" : "FAIL",
		    k->name, st, k->signal == ALIVE ? "exit" : "signal", k->signal);
	return ok;
}

int main(int argc, char **argv)
{
	int verbose = argc > 1 && strcmp(argv[1], "-v") == 0, passed = 0, survived = 0;
	const char *only = argc > 1 + verbose ? argv[1 + verbose] : NULL;
	size_t n = 0;
	long before, after;

	hostile_start();
	hostile_run_child(run_case, (void *)&cases[0]);    /* warm up */
	hostile_fork_still_works();
	before = hostile_settled_freeram();
	for (size_t i = 0; i < NCASES; i++) {
		long st;

		if (only && strcmp(only, cases[i].name) != 0)
			continue;
		st = hostile_run_child(run_case, (void *)&cases[i]);
		n++;
		passed += judge(&cases[i], st, verbose);
		survived += SYS0(LOS_NR_getpid) > 0;    /* this process, the kernel: still here */
	}
	survived -= !hostile_fork_still_works();
	after = hostile_settled_freeram();
	printf("hostile_signal: %zu cases, %d survived, %d passed, freeram before %ld after %ld\n",
	    n, survived, passed, before, after);
	return n > 0 && (size_t)passed == n && before == after ? 0 : 1;
}
