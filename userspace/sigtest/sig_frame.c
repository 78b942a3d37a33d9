/*
 * suite_test_signal: the signal frame.  What a handler sees (siginfo of a
 * fault, the alternate stack, clean SSE state) and what rt_sigreturn takes
 * back: the interrupted registers and FPU state, but nothing a user may not
 * set.  Forged frames (a kernel code selector, IOPL/NT flags, a
 * non-canonical rip, a bad MXCSR, a frame of zeros) are refused with SIGSEGV
 * or filtered, and the kernel lives on.  The same tests pass on Linux.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "suite.h"
#include "sigtest.h"

/* address, through a volatile: the compiler cannot see the bad pointer. */
static void *laundered(long address)
{
	volatile long v = address;

	return (void *)v;
}

static sigjmp_buf escape;
static void *volatile fault_addr;
static volatile int fault_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	siglongjmp(escape, 1);
}

int test_sig_segv_caught(void)
{
	EXPECT_EQ(catch_siginfo(SIGSEGV, on_segv), 0);
	if (sigsetjmp(escape, 1) == 0) {
		*(volatile int *)laundered(16) = 1;
		return test_fail(__func__, __LINE__, "the store to address 16 did not fault");
	}
	EXPECT_EQ((long)fault_addr, 16);
	EXPECT_EQ(fault_code, SEGV_MAPERR);
	/* The handler's mask (SIGSEGV) was undone by siglongjmp: a second fault is caught too. */
	if (sigsetjmp(escape, 1) == 0)
		*(volatile int *)laundered(32) = 1;
	EXPECT_EQ((long)fault_addr, 32);
	return 0;
}

static char altstack[16384];
static volatile uintptr_t handler_sp;

static void on_alt(int sig)
{
	volatile char here;

	(void)sig;
	handler_sp = (uintptr_t)&here;
}

int test_sig_altstack(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack }, old;

	EXPECT_EQ(sigaltstack(&ss, NULL), 0);
	EXPECT_EQ(sigaltstack(NULL, &old), 0);
	EXPECT(old.ss_sp == altstack && old.ss_size == sizeof altstack && old.ss_flags == 0);
	EXPECT_EQ(catch_signal(SIGUSR1, on_alt, SA_ONSTACK), 0);
	EXPECT_EQ(raise(SIGUSR1), 0);
	EXPECT(handler_sp > (uintptr_t)altstack && handler_sp < (uintptr_t)altstack + sizeof altstack);
	EXPECT_EQ(catch_signal(SIGUSR2, on_alt, 0), 0);
	EXPECT_EQ(raise(SIGUSR2), 0);             /* no SA_ONSTACK: the normal stack */
	EXPECT(handler_sp < (uintptr_t)altstack || handler_sp >= (uintptr_t)altstack + sizeof altstack);
	ss.ss_size = 100;
	EXPECT_ERRNO(sigaltstack(&ss, NULL), ENOMEM);
	return 0;
}

static volatile unsigned handler_mxcsr;

static void on_clobber_sse(int sig)
{
	unsigned m;

	(void)sig;
	__asm__ volatile("stmxcsr %0" : "=m"(m));
	handler_mxcsr = m;
	__asm__ volatile("mov $0x1234, %%eax\n\tmovq %%rax, %%xmm7\n\t"
	    "movl $0x7f80, %0\n\tldmxcsr %0" : "=m"(m) : : "rax", "xmm7");
}

/* xmm7 and MXCSR survive a handler that changes both; the handler starts
 * with the default MXCSR (0x1f80). */
int test_sig_fpu_restored(void)
{
	unsigned long before = 0x5555aaaa5555aaaaUL, after;
	unsigned mine = 0x3f80, m;                 /* rounding toward zero */
	long pid = getpid();

	EXPECT_EQ(catch_signal(SIGUSR1, on_clobber_sse, 0), 0);
	__asm__ volatile("ldmxcsr %0" : : "m"(mine));
	__asm__ volatile(
	    "movq %[v], %%xmm7\n\t"
	    "mov $62, %%eax\n\t"                   /* kill(pid, SIGUSR1) */
	    "mov %[pid], %%rdi\n\t"
	    "mov $10, %%esi\n\t"
	    "syscall\n\t"
	    "movq %%xmm7, %[out]\n\t"
	    : [out] "=r"(after)
	    : [v] "r"(before), [pid] "r"(pid)
	    : "rax", "rdi", "rsi", "rcx", "r11", "xmm7", "memory");
	__asm__ volatile("stmxcsr %0" : "=m"(m));
	EXPECT_EQ(handler_mxcsr, 0x1f80);
	EXPECT_EQ(after, before);
	EXPECT_EQ(m, mine);
	return 0;
}

/* ---- Forged frames: each in a child, which must die by SIGSEGV ---- */

enum forge { FORGE_KERNEL_CS, FORGE_DATA_CS, FORGE_RIP, FORGE_MXCSR, FORGE_FPSTATE, FORGE_FLAGS };
static volatile enum forge forging;

static void on_forge(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;

	(void)sig;
	(void)si;
	switch (forging) {
	case FORGE_KERNEL_CS: g[REG_CSGSFS] = (g[REG_CSGSFS] & ~0xffffL) | 0x08; break;
	case FORGE_DATA_CS: g[REG_CSGSFS] = (g[REG_CSGSFS] & ~0xffffL) | 0x23; break;
	case FORGE_RIP: g[REG_RIP] = 0x0000800000000000L; break;
	case FORGE_MXCSR: uc->uc_mcontext.fpregs->mxcsr = 0xffffffffU; break;
	case FORGE_FPSTATE: uc->uc_mcontext.fpregs = laundered((long)0xffff800000001000UL); break;
	case FORGE_FLAGS: g[REG_EFL] |= 0x3000 | 0x4000 | 0x20000 | 0x80000; break;
	}
}

static unsigned long read_rflags(void)
{
	unsigned long f;

	__asm__ volatile("pushfq\n\tpopq %0" : "=r"(f));
	return f;
}

/* The child: forge one way, return through the frame.  Exit 0 only when
 * the frame was taken and filtered (the flags case). */
static int forge_child(void)
{
	unsigned long f;

	catch_siginfo(SIGUSR1, on_forge);
	raise(SIGUSR1);
	f = read_rflags();
	if (forging != FORGE_FLAGS)
		return 3;                        /* a refused frame came back */
	if (f & (0x3000 | 0x4000 | 0x20000 | 0x80000))
		return 4;                        /* IOPL, NT, VM or VIF reached user mode */
	return (f & 0x200) ? 0 : 5;              /* interrupts stay on */
}

static int forged_status(enum forge how)
{
	pid_t pid;
	int st;

	forging = how;
	pid = fork_child(forge_child);
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

int test_sig_forged_kernel_cs(void)
{
	int st = forged_status(FORGE_KERNEL_CS);

	EXPECT(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	st = forged_status(FORGE_DATA_CS);
	EXPECT(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	return 0;
}

int test_sig_forged_noncanonical_rip(void)
{
	int st = forged_status(FORGE_RIP);

	EXPECT(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	return 0;
}

int test_sig_forged_fpu_state(void)
{
	int st = forged_status(FORGE_MXCSR);

	EXPECT(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	st = forged_status(FORGE_FPSTATE);
	EXPECT(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	return 0;
}

int test_sig_forged_flags_filtered(void)
{
	int st = forged_status(FORGE_FLAGS);

	EXPECT(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	return 0;
}

/* rt_sigreturn with no handler frame at all: the stack points at zeros.
 * Should the call come back, the child exits 3 at once (exit_group from the
 * same asm: the stack is no longer one to return on). */
static int sigreturn_on_zeros(void)
{
	static unsigned long zeros[512] __attribute__((aligned(16)));

	__asm__ volatile("mov %0, %%rsp\n\tmov $15, %%eax\n\tsyscall\n\t"
	    "mov $231, %%eax\n\tmov $3, %%edi\n\tsyscall"
	    : : "r"(&zeros[256]) : "rax", "rdi", "memory");
	return 4;
}

int test_sig_forged_zero_frame(void)
{
	pid_t pid = fork_child(sigreturn_on_zeros);
	int st;

	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	return 0;
}
