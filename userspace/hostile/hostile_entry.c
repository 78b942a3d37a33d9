/*
 * hostile_entry: attacks on the ways into the kernel (docs/hostile.md).
 * Each case runs in its own child, which must end as Linux would end it:
 *
 *   compat mode    far return to the user 32-bit code selector (0x1b) and
 *                  SYSCALL there, with rsp 0 or the user's stack: SIGSEGV
 *                  (there is no such segment), never ring 0 on a user stack.
 *   sysenter       SIGSEGV (SYSENTER is off) or SIGILL (CPUs without it).
 *   flags          NT set with popf, then sched_yield while a sibling is
 *                  preempted (it goes back through IRETQ): nobody panics.
 *                  DF set across a write: the kernel copies forwards.  AC
 *                  set while the timer ticks: the user keeps its AC.
 *   UMIP           sgdt, sidt, sldt, smsw, str: SIGSEGV when the CPU has
 *                  UMIP (QEMU -cpu max does; the program says which).
 *   x87            an unmasked x87 divide by zero: SIGFPE (CR0.NE).
 *   FS selector    a program loads %fs with the user data selector; its
 *                  FS base (now 0) stays so across a switch, as on Linux.
 *   long path      execve of a valid 300-byte path to /bin/true runs it.
 *   registers      every register but rax, rcx and r11 comes back from a
 *                  syscall as it went in (the kernel's trapframe order is its
 *                  own business): getpid; a nanosleep that blocks and
 *                  switches; a kill of itself whose handler scribbles on every
 *                  register before rt_sigreturn; a getpid whose SYSCALL is the
 *                  last two bytes of the highest page a program can map, so
 *                  it returns to the first address no program may map: the
 *                  kernel must not SYSRET there (on Intel CPUs a SYSRET to a
 *                  non-canonical address faults in kernel mode) but return by
 *                  IRETQ, and the caller's SIGSEGV frame then holds every
 *                  register as it went in, the pid in rax and the return
 *                  address in rcx.
 *
 * Afterwards a fork and exec still work.
 * Usage: hostile_entry [-v] [CASE]   (CASE: run only that one)
 */
#define _GNU_SOURCE            /* REG_* of ucontext_t */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "hostile.h"

#define SIGILL 4
#define SIGFPE 8
#define ALIVE 0
#define SIGILL_OR_SEGV 100     /* sysenter: either, depending on the CPU */
#define UMIP_SIGNAL 101        /* SIGSEGV when the CPU has UMIP, else alive */

#define USER32_CS 0x1b         /* GDT slot 3 with RPL 3: the STAR layout's 32-bit CS */
#define USER_DS 0x23
#define RFLAGS_NT (1UL << 14)
#define RFLAGS_AC (1UL << 18)

static int have_umip;

/* A far pointer (m16:32) for ljmpl. */
static struct { unsigned int off; unsigned short sel; } __attribute__((packed)) far_ptr;

/* Far-jump to USER32_CS at the 32-bit code after it and SYSCALL there;
 * with zero_rsp, with rsp 0.  Never comes back.  (A far jump, not a far
 * return: QEMU pops a far return's stack as a supervisor access, which SMAP
 * refuses, so lretq would fault before reaching compatibility mode.) */
static void compat_syscall(int zero_rsp)
{
	__asm__ volatile(
	    "leaq 1f(%%rip), %%rax\n\t"
	    "movl %%eax, (%2)\n\t"
	    "movw %0, 4(%2)\n\t"
	    "ljmpl *(%2)\n\t"
	    ".code32\n"
	    "1:\n\t"
	    "testl %1, %1\n\t"
	    "jz 2f\n\t"
	    "xorl %%esp, %%esp\n"
	    "2:\n\t"
	    "movl $39, %%eax\n\t"            /* getpid, if anything answered */
	    "syscall\n"
	    "3:\n\t"
	    "jmp 3b\n\t"
	    ".code64"
	    : : "i"(USER32_CS), "r"(zero_rsp), "r"(&far_ptr) : "rax", "rcx", "r11", "memory");
}

static void compat_syscall_rsp0(void) { compat_syscall(1); }
static void compat_syscall_user_stack(void) { compat_syscall(0); }

/* A far jump to the 32-bit selector whose code only exits: even reaching
 * compatibility mode is refused. */
static void compat_far_jump(void)
{
	__asm__ volatile(
	    "leaq 1f(%%rip), %%rax\n\t"
	    "movl %%eax, (%1)\n\t"
	    "movw %0, 4(%1)\n\t"
	    "ljmpl *(%1)\n\t"
	    ".code32\n"
	    "1:\n\t"
	    "hlt\n\t"                        /* SIGSEGV either way, but never ring 0 */
	    ".code64"
	    : : "i"(USER32_CS), "r"(&far_ptr) : "rax", "memory");
}

static void sysenter(void) { __asm__ volatile("sysenter" ::: "rcx", "rdx", "memory"); }

static unsigned long read_flags(void)
{
	unsigned long f;

	__asm__ volatile("pushfq\n\tpopq %0" : "=r"(f));
	return f;
}

static void write_flags(unsigned long f)
{
	__asm__ volatile("pushq %0\n\tpopfq" : : "r"(f) : "cc", "memory");
}

/* A sibling that the timer preempts (it goes back to user mode through
 * IRETQ) while we yield with NT set. */
static void nt_flag_yield(void)
{
	long pid = los_fork();

	if (pid == 0) {
		for (volatile long i = 0; i < 20000000; i++)
			;
		hostile_exit(0);
	}
	if (pid < 0)
		hostile_exit(3);
	for (int i = 0; i < 200; i++) {
		write_flags(read_flags() | RFLAGS_NT);
		SYS0(LOS_NR_sched_yield);
		write_flags(read_flags() & ~RFLAGS_NT);
	}
	if (hostile_wait(pid) != 0)
		hostile_exit(4);
}

/* DF set across a syscall that copies memory: the bytes arrive in order. */
static void df_flag_write(void)
{
	int fds[2];
	char out[9] = "abcdefgh", in[9] = { 0 };
	long w;

	if (SYS1(LOS_NR_pipe, fds) < 0)
		hostile_exit(3);
	__asm__ volatile("std");
	w = SYS3(LOS_NR_write, fds[1], out, 8);
	__asm__ volatile("cld");
	if (w != 8 || SYS3(LOS_NR_read, fds[0], in, 8) != 8 || memcmp(in, out, 8) != 0)
		hostile_exit(4);
}

/* AC set while timer ticks and syscalls come and go: the user keeps it. */
static void ac_flag_kept(void)
{
	unsigned long f;

	write_flags(read_flags() | RFLAGS_AC);
	for (volatile long i = 0; i < 3000000; i++)
		;
	SYS0(LOS_NR_getpid);
	f = read_flags();
	write_flags(f & ~RFLAGS_AC);
	if (!(f & RFLAGS_AC))
		hostile_exit(4);
}

static void umip_sgdt(void)
{
	unsigned char b[10];

	__asm__ volatile("sgdt %0" : "=m"(b));
}

static void umip_sidt(void)
{
	unsigned char b[10];

	__asm__ volatile("sidt %0" : "=m"(b));
}

static void umip_sldt(void) { unsigned short v; __asm__ volatile("sldt %0" : "=r"(v)); }
static void umip_smsw(void) { unsigned long v; __asm__ volatile("smsw %0" : "=r"(v)); }
static void umip_str(void) { unsigned short v; __asm__ volatile("str %0" : "=r"(v)); }

/* 1.0 / 0.0 on the x87 with the zero-divide exception unmasked. */
static void x87_divide_by_zero(void)
{
	unsigned short cw;
	double one = 1.0, zero = 0.0, r;

	__asm__ volatile("fnstcw %0" : "=m"(cw));
	cw &= ~(unsigned short)0x4;                /* ZM: unmask zero divide */
	__asm__ volatile("fldcw %0" : : "m"(cw));
	__asm__ volatile("fldl %1\n\tfdivl %2\n\tfstpl %0\n\tfwait"
			 : "=m"(r) : "m"(one), "m"(zero));
}

/* Load %fs with the user data selector (FS base becomes the descriptor's,
 * 0), let other processes run, and read through %fs: still base 0. */
static void fs_selector_kept(void)
{
	static volatile long marker = 0x5eed;
	long before, after;
	unsigned short sel;

	__asm__ volatile("movw %w0, %%fs" : : "r"(USER_DS));
	__asm__ volatile("movq %%fs:(%1), %0" : "=r"(before) : "r"(&marker));
	for (int i = 0; i < 20; i++)
		SYS0(LOS_NR_sched_yield);
	for (volatile long i = 0; i < 3000000; i++)     /* and timer ticks */
		;
	__asm__ volatile("movq %%fs:(%1), %0" : "=r"(after) : "r"(&marker));
	__asm__ volatile("movw %%fs, %0" : "=r"(sel));
	if (before != 0x5eed || after != 0x5eed || sel != USER_DS)
		hostile_exit(4);
}

/* A 300-byte path naming /bin/true ("/bin/" + "./" * 146 + "true"). */
static void exec_long_path(void)
{
	char path[320] = "/bin/";
	char *argv[] = { "true", NULL }, *envp[] = { NULL };

	for (int i = 0; i < 146; i++)
		strcat(path, "./");
	strcat(path, "true");
	if (strlen(path) != 301)
		hostile_exit(5);
	hostile_exit(10 + (int)-SYS3(LOS_NR_execve, path, argv, envp));   /* 10 + errno */
}

struct ecase {
	const char *name;
	void (*fn)(void);
	int expect;          /* WTERMSIG, ALIVE, SIGILL_OR_SEGV or UMIP_SIGNAL */
};

/* entry_probe(nr, a0, a1): SYSCALL nr with a0, a1 in rdi, rsi and a known
 * value in every other register a syscall must keep (rdx, r10, r8, r9, rbx,
 * rbp, r12-r15); returns a bit per register that came back different. */
__asm__(".text\n"
	"entry_probe:\n"
	"\tpush %rbx\n\tpush %rbp\n\tpush %r12\n\tpush %r13\n\tpush %r14\n\tpush %r15\n"
	"\tpush %rsi\n\tpush %rdx\n"            /* a0, a1 as they must come back */
	"\tmov %rdi, %rax\n\tmov %rsi, %rdi\n\tmov %rdx, %rsi\n"
	"\tmovabs $0x1111111111111103, %rdx\n\tmovabs $0x2222222222222210, %r10\n"
	"\tmovabs $0x3333333333333308, %r8\n\tmovabs $0x4444444444444409, %r9\n"
	"\tmovabs $0x5555555555555503, %rbx\n\tmovabs $0x6666666666666605, %rbp\n"
	"\tmovabs $0x7777777777777712, %r12\n\tmovabs $0x8888888888888813, %r13\n"
	"\tmovabs $0x9999999999999914, %r14\n\tmovabs $0xaaaaaaaaaaaaaa15, %r15\n"
	"\tsyscall\n"
	"\txor %ecx, %ecx\n"
	"\tcmp 8(%rsp), %rdi\n\tje 1f\n\tor $0x001, %ecx\n1:\n"
	"\tcmp (%rsp), %rsi\n\tje 1f\n\tor $0x002, %ecx\n1:\n"
	"\tmovabs $0x1111111111111103, %r11\n\tcmp %r11, %rdx\n\tje 1f\n\tor $0x004, %ecx\n1:\n"
	"\tmovabs $0x2222222222222210, %r11\n\tcmp %r11, %r10\n\tje 1f\n\tor $0x008, %ecx\n1:\n"
	"\tmovabs $0x3333333333333308, %r11\n\tcmp %r11, %r8\n\tje 1f\n\tor $0x010, %ecx\n1:\n"
	"\tmovabs $0x4444444444444409, %r11\n\tcmp %r11, %r9\n\tje 1f\n\tor $0x020, %ecx\n1:\n"
	"\tmovabs $0x5555555555555503, %r11\n\tcmp %r11, %rbx\n\tje 1f\n\tor $0x040, %ecx\n1:\n"
	"\tmovabs $0x6666666666666605, %r11\n\tcmp %r11, %rbp\n\tje 1f\n\tor $0x080, %ecx\n1:\n"
	"\tmovabs $0x7777777777777712, %r11\n\tcmp %r11, %r12\n\tje 1f\n\tor $0x100, %ecx\n1:\n"
	"\tmovabs $0x8888888888888813, %r11\n\tcmp %r11, %r13\n\tje 1f\n\tor $0x200, %ecx\n1:\n"
	"\tmovabs $0x9999999999999914, %r11\n\tcmp %r11, %r14\n\tje 1f\n\tor $0x400, %ecx\n1:\n"
	"\tmovabs $0xaaaaaaaaaaaaaa15, %r11\n\tcmp %r11, %r15\n\tje 1f\n\tor $0x800, %ecx\n1:\n"
	"\tadd $16, %rsp\n"
	"\tpop %r15\n\tpop %r14\n\tpop %r13\n\tpop %r12\n\tpop %rbp\n\tpop %rbx\n"
	"\tmov %rcx, %rax\n\tret\n");
long entry_probe(long nr, long a0, long a1);

/* A signal handler that overwrites every general register (but rsp) and
 * returns into its restorer: what the kernel restores must be the frame's. */
__asm__(".text\n"
	"entry_scribbler:\n"
	"\tmovl $1, entry_scribbled(%rip)\n"
	"\tmovabs $0xdeaddeaddeaddead, %rax\n"
	"\tmov %rax, %rbx\n\tmov %rax, %rcx\n\tmov %rax, %rdx\n\tmov %rax, %rsi\n"
	"\tmov %rax, %rdi\n\tmov %rax, %rbp\n\tmov %rax, %r8\n\tmov %rax, %r9\n"
	"\tmov %rax, %r10\n\tmov %rax, %r11\n\tmov %rax, %r12\n\tmov %rax, %r13\n"
	"\tmov %rax, %r14\n\tmov %rax, %r15\n\tret\n"
	"entry_restorer:\n\tmov $15, %eax\n\tsyscall\n\tud2\n");
void entry_scribbler(int sig);
void entry_restorer(void);
volatile int entry_scribbled;

static void registers_kept_getpid(void)
{
	long changed = entry_probe(LOS_NR_getpid, 0x0123456789abcdef, 0x0fedcba987654321);

	if (changed)
		hostile_exit(10);
}

static void registers_kept_blocking(void)
{
	long ts[2] = { 0, 2000000 };       /* 2 ms: the process sleeps, another runs */

	if (entry_probe(LOS_NR_nanosleep, (long)ts, 0))
		hostile_exit(11);
}

static void registers_kept_signal(void)
{
	struct { unsigned long handler, flags, restorer, mask; } sa = {
		(unsigned long)entry_scribbler, 0x04000000UL /* SA_RESTORER */,
		(unsigned long)entry_restorer, 0 };
	long pid = SYS0(LOS_NR_getpid);

	if (SYS4(LOS_NR_rt_sigaction, 10 /* SIGUSR1 */, &sa, 0, 8) != 0)
		hostile_exit(12);
	if (entry_probe(LOS_NR_kill, pid, 10))
		hostile_exit(13);
	if (!entry_scribbled)
		hostile_exit(14);
}

/* top_probe(nr, at): SYSCALL nr at address at with entry_probe's values
 * in every register a syscall must keep; never returns (at + 2 must fault). */
__asm__(".text\n"
	"top_probe:\n"
	"\tmov %rdi, %rax\n\tmov %rsi, %rcx\n"
	"\tmovabs $0x0123456789abcdef, %rdi\n\tmovabs $0x0fedcba987654321, %rsi\n"
	"\tmovabs $0x1111111111111103, %rdx\n\tmovabs $0x2222222222222210, %r10\n"
	"\tmovabs $0x3333333333333308, %r8\n\tmovabs $0x4444444444444409, %r9\n"
	"\tmovabs $0x5555555555555503, %rbx\n\tmovabs $0x6666666666666605, %rbp\n"
	"\tmovabs $0x7777777777777712, %r12\n\tmovabs $0x8888888888888813, %r13\n"
	"\tmovabs $0x9999999999999914, %r14\n\tmovabs $0xaaaaaaaaaaaaaa15, %r15\n"
	"\tjmp *%rcx\n");
void top_probe(long nr, unsigned long at) __attribute__((noreturn));

static const struct { int reg; unsigned long val; } top_kept[] = {
	{ REG_RDI, 0x0123456789abcdefUL }, { REG_RSI, 0x0fedcba987654321UL },
	{ REG_RDX, 0x1111111111111103UL }, { REG_R10, 0x2222222222222210UL },
	{ REG_R8, 0x3333333333333308UL }, { REG_R9, 0x4444444444444409UL },
	{ REG_RBX, 0x5555555555555503UL }, { REG_RBP, 0x6666666666666605UL },
	{ REG_R12, 0x7777777777777712UL }, { REG_R13, 0x8888888888888813UL },
	{ REG_R14, 0x9999999999999914UL }, { REG_R15, 0xaaaaaaaaaaaaaa15UL },
};
static long top_pid;

/* The fetch at BAD_USER_TOP faulted: what the kernel returned with is in
 * the frame.  Exits 0 when all of it is right, 15 when not. */
static void top_fault(int sig, siginfo_t *si, void *ctx)
{
	const greg_t *g = ((const ucontext_t *)ctx)->uc_mcontext.gregs;
	int bad = (unsigned long)g[REG_RIP] != BAD_USER_TOP ||
	    (unsigned long)g[REG_RCX] != BAD_USER_TOP || g[REG_RAX] != top_pid;

	(void)sig;
	(void)si;
	for (size_t i = 0; i < sizeof top_kept / sizeof top_kept[0]; i++)
		bad |= (unsigned long)g[top_kept[i].reg] != top_kept[i].val;
	hostile_exit(bad ? 15 : 0);
}

static void registers_kept_at_user_top(void)
{
	unsigned long page = BAD_USER_TOP - 4096;     /* the stack's top page */
	struct { unsigned long handler, flags, restorer, mask; } sa = {
		(unsigned long)top_fault, 0x04000004UL /* SA_RESTORER | SA_SIGINFO */,
		(unsigned long)entry_restorer, 0 };

	top_pid = SYS0(LOS_NR_getpid);
	if (SYS4(LOS_NR_rt_sigaction, SIGSEGV, &sa, 0, 8) != 0)
		hostile_exit(12);
	if (SYS3(LOS_NR_mprotect, page, 4096, 7 /* PROT_READ | PROT_WRITE | PROT_EXEC */) != 0)
		hostile_exit(16);
	memcpy((void *)(BAD_USER_TOP - 2), "\x0f\x05", 2);     /* SYSCALL */
	top_probe(LOS_NR_getpid, BAD_USER_TOP - 2);
}

static const struct ecase cases[] = {
	{ "compat_syscall_rsp0", compat_syscall_rsp0, SIGSEGV },
	{ "compat_syscall_user_stack", compat_syscall_user_stack, SIGSEGV },
	{ "compat_far_jump", compat_far_jump, SIGSEGV },
	{ "sysenter", sysenter, SIGILL_OR_SEGV },
	{ "nt_flag_yield", nt_flag_yield, ALIVE },
	{ "df_flag_write", df_flag_write, ALIVE },
	{ "ac_flag_kept", ac_flag_kept, ALIVE },
	{ "umip_sgdt", umip_sgdt, UMIP_SIGNAL },
	{ "umip_sidt", umip_sidt, UMIP_SIGNAL },
	{ "umip_sldt", umip_sldt, UMIP_SIGNAL },
	{ "umip_smsw", umip_smsw, UMIP_SIGNAL },
	{ "umip_str", umip_str, UMIP_SIGNAL },
	{ "x87_divide_by_zero", x87_divide_by_zero, SIGFPE },
	{ "fs_selector_kept", fs_selector_kept, ALIVE },
	{ "registers_kept_getpid", registers_kept_getpid, ALIVE },
	{ "registers_kept_blocking", registers_kept_blocking, ALIVE },
	{ "registers_kept_signal", registers_kept_signal, ALIVE },
	{ "registers_kept_at_user_top", registers_kept_at_user_top, ALIVE },
	{ "exec_long_path", exec_long_path, ALIVE },
};

#define NCASES (sizeof cases / sizeof cases[0])

static int run_case(void *arg)
{
	((const struct ecase *)arg)->fn();
	return 0;
}

static int judge(const struct ecase *e, long st, int verbose)
{
	int sig = !HOSTILE_EXITED(st) ? HOSTILE_TERMSIG(st) : 0, ok;

	if (st < 0)
		ok = 0;
	else if (e->expect == SIGILL_OR_SEGV)
		ok = sig == SIGILL || sig == SIGSEGV;
	else if (e->expect == UMIP_SIGNAL)
		ok = have_umip ? sig == SIGSEGV : st == 0;
	else
		ok = e->expect == ALIVE ? st == 0 : sig == e->expect;
	if (!ok || verbose)
		printf("hostile_entry: %s %s: status %#lx, want %d\n", ok ? "ok" : "FAIL", e->name,
		    st, e->expect);
	return ok;
}

static int cpu_has_umip(void)
{
	unsigned a = 7, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (c >> 2) & 1;
}

int main(int argc, char **argv)
{
	int verbose = argc > 1 && strcmp(argv[1], "-v") == 0, passed = 0, survived = 0;
	const char *only = argc > 1 + verbose ? argv[1 + verbose] : NULL;
	size_t ran = 0;
	long before, after;

	hostile_start();
	have_umip = cpu_has_umip();
	printf("hostile_entry: UMIP %s\n", have_umip ? "yes" : "no");
	hostile_run_child(run_case, (void *)&cases[NCASES - 1]);    /* warm up, exec too */
	hostile_fork_still_works();
	before = hostile_settled_freeram();
	for (size_t i = 0; i < NCASES; i++) {
		if (only && strcmp(only, cases[i].name) != 0)
			continue;
		long st = hostile_run_child(run_case, (void *)&cases[i]);

		passed += judge(&cases[i], st, verbose);
		survived += SYS0(LOS_NR_getpid) > 0;
		ran++;
	}
	if (hostile_fork_still_works())
		printf("hostile_entry: fork and exec still work\n");
	after = hostile_settled_freeram();
	printf("hostile_entry: %zu cases, %d survived, %d passed, freeram before %ld after %ld\n",
	    ran, survived, passed, before, after);
	return ran > 0 && (size_t)passed == ran && before == after ? 0 : 1;
}
