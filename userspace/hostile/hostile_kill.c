/*
 * hostile_kill: user code that does what user code must not, each in its
 * own child, which the kernel must end with the right signal status (and
 * nothing else: the kernel goes on, memory comes back).
 *
 * Kernel memory read, written or jumped to (direct map and kernel image),
 * non-canonical addresses, data executed (stack, heap, .data, a mapping
 * without PROT_EXEC: NX), .text written, NULL, privileged instructions
 * (hlt, cli, port I/O to the power-off port, wrmsr, CR3, lgdt, int 0x80
 * int 14 and int 0x20 through kernel-only gates), a stack overflow: SIGSEGV.  The
 * other exception mappings: ud2 SIGILL, int3 SIGTRAP, divide by zero
 * SIGFPE.  Controls that must NOT be killed: a syscall made with a kernel
 * address in rsp, code in a PROT_EXEC mapping.  Usage: hostile_kill [-v]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostile.h"

#define SIGILL 4
#define SIGTRAP 5
#define SIGFPE 8
#define ALIVE 0            /* expected: exits 0, not killed */

static unsigned char data_code[16] = { 0xc3 };    /* ret */

typedef void (*fn_t)(void);

/* a, hidden from the compiler so it neither warns about nor folds the access. */
static unsigned long launder(unsigned long a)
{
	__asm__ volatile("" : "+r"(a));
	return a;
}

static void load(unsigned long a) { (void)*(volatile long *)launder(a); }
static void store(unsigned long a) { *(volatile long *)launder(a) = 1; }
static void jump(unsigned long a) { ((fn_t)launder(a))(); }

static void read_kernel_dmap(void) { load(BAD_KERNEL_DMAP); }
static void write_kernel_dmap(void) { store(BAD_KERNEL_DMAP); }
static void read_kernel_text(void) { load(BAD_KERNEL_TEXT); }
static void write_kernel_text(void) { store(BAD_KERNEL_TEXT); }
static void jump_kernel_text(void) { jump(BAD_KERNEL_TEXT); }
static void jump_kernel_dmap(void) { jump(BAD_KERNEL_DMAP); }
static void read_noncanonical(void) { load(BAD_NONCANON_HI); }
static void write_noncanonical(void) { store(BAD_NONCANON_LO); }
static void jump_noncanonical(void) { jump(BAD_NONCANON_LO); }
static void read_null(void) { load(0); }
static void write_null(void) { store(8); }
static void jump_null(void) { jump(0); }
static void read_unmapped(void) { load(BAD_UNMAPPED); }
static void write_text(void) { *(volatile unsigned char *)launder((unsigned long)&load) = 0xc3; }

static void exec_stack(void)
{
	volatile unsigned char code[16] = { 0xc3 };

	jump((unsigned long)code);
}

static void exec_heap(void)
{
	unsigned char *code = malloc(16);

	code[0] = 0xc3;
	jump((unsigned long)code);
}

static void exec_data(void) { jump((unsigned long)data_code); }

/* A mapping with prot; a ret written at its start. */
static unsigned long map_ret(long prot)
{
	long p = los_syscall6(LOS_NR_mmap, 0, 4096, prot, 0x22, -1, 0);

	if (p < 0)
		hostile_exit(3);
	*(volatile unsigned char *)p = 0xc3;
	return (unsigned long)p;
}

static void exec_mmap_noexec(void) { jump(map_ret(3)); }
static void exec_mmap_exec(void) { jump(map_ret(7)); }   /* control: allowed */

static void priv_hlt(void) { __asm__ volatile("hlt"); }
static void priv_cli(void) { __asm__ volatile("cli"); }
static void priv_out_poweroff(void)
{
	/* isa-debug-exit: would end QEMU if user code could reach it. */
	__asm__ volatile("outb %%al, %%dx" : : "a"(0x55), "d"(0xf4));
}
static void priv_in(void)
{
	unsigned char v;

	__asm__ volatile("inb %%dx, %%al" : "=a"(v) : "d"(0x3f8));
}
static void priv_wrmsr(void)
{
	__asm__ volatile("wrmsr" : : "c"(0xc0000082), "a"(0), "d"(0));   /* LSTAR */
}
static void priv_cr3(void) { __asm__ volatile("mov %0, %%cr3" : : "r"(0UL)); }
static void priv_lgdt(void)
{
	static unsigned char gdtr[10];

	__asm__ volatile("lgdt %0" : : "m"(gdtr));
}
static void int_0x80(void) { __asm__ volatile("int $0x80"); }
static void int_14(void) { __asm__ volatile("int $14"); }
static void int_timer(void) { __asm__ volatile("int $0x20"); }
static void ud2(void) { __asm__ volatile("ud2"); }
static void int3(void) { __asm__ volatile("int3"); }

static void divide_by_zero(void)
{
	volatile int zero = 0, one = 1;

	one /= zero;
}

static int overflow_depth(int n)
{
	volatile char pad[1024];

	pad[0] = (char)n;
	if (n < 0)              /* never: the stack ends first */
		return 0;
	return overflow_depth(n + 1) + pad[0];
}

static void stack_overflow(void) { overflow_depth(0); }

/* A syscall with rsp in the kernel half: the kernel must not use the user
 * stack, and must return normally. */
static void syscall_kernel_rsp(void)
{
	long ret;

	__asm__ volatile(
	    "mov %%rsp, %%r12\n\t"
	    "mov %2, %%rsp\n\t"
	    "syscall\n\t"
	    "mov %%r12, %%rsp"
	    : "=a"(ret) : "a"((long)LOS_NR_getpid), "r"(BAD_KERNEL_DMAP)
	    : "rcx", "r11", "r12", "memory");
	if (ret <= 0)
		hostile_exit(4);
}

/* The trap flag set across a syscall: the kernel masks it on entry and the
 * user's rflags come back with it, so the next user instruction traps. */
static void trap_flag_syscall(void)
{
	__asm__ volatile(
	    "pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\t"
	    "syscall\n\tnop\n\tnop"
	    : : "a"((long)LOS_NR_getpid) : "rcx", "r11", "memory");
}

struct kcase {
	const char *name;
	void (*fn)(void);
	int signal;        /* expected WTERMSIG, or ALIVE */
};

static const struct kcase cases[] = {
	{ "read_kernel_dmap", read_kernel_dmap, SIGSEGV },
	{ "write_kernel_dmap", write_kernel_dmap, SIGSEGV },
	{ "read_kernel_text", read_kernel_text, SIGSEGV },
	{ "write_kernel_text", write_kernel_text, SIGSEGV },
	{ "jump_kernel_text", jump_kernel_text, SIGSEGV },
	{ "jump_kernel_dmap", jump_kernel_dmap, SIGSEGV },
	{ "read_noncanonical", read_noncanonical, SIGSEGV },
	{ "write_noncanonical", write_noncanonical, SIGSEGV },
	{ "jump_noncanonical", jump_noncanonical, SIGSEGV },
	{ "read_null", read_null, SIGSEGV },
	{ "write_null", write_null, SIGSEGV },
	{ "jump_null", jump_null, SIGSEGV },
	{ "read_unmapped", read_unmapped, SIGSEGV },
	{ "write_text", write_text, SIGSEGV },
	{ "exec_stack", exec_stack, SIGSEGV },
	{ "exec_heap", exec_heap, SIGSEGV },
	{ "exec_data", exec_data, SIGSEGV },
	{ "exec_mmap_noexec", exec_mmap_noexec, SIGSEGV },
	{ "priv_hlt", priv_hlt, SIGSEGV },
	{ "priv_cli", priv_cli, SIGSEGV },
	{ "priv_out_poweroff", priv_out_poweroff, SIGSEGV },
	{ "priv_in", priv_in, SIGSEGV },
	{ "priv_wrmsr", priv_wrmsr, SIGSEGV },
	{ "priv_cr3", priv_cr3, SIGSEGV },
	{ "priv_lgdt", priv_lgdt, SIGSEGV },
	{ "int_0x80", int_0x80, SIGSEGV },
	{ "int_14", int_14, SIGSEGV },
	{ "int_timer", int_timer, SIGSEGV },
	{ "stack_overflow", stack_overflow, SIGSEGV },
	{ "ud2", ud2, SIGILL },
	{ "int3", int3, SIGTRAP },
	{ "divide_by_zero", divide_by_zero, SIGFPE },
	{ "trap_flag_syscall", trap_flag_syscall, SIGTRAP },
	{ "exec_mmap_exec", exec_mmap_exec, ALIVE },
	{ "syscall_kernel_rsp", syscall_kernel_rsp, ALIVE },
};

#define NCASES (sizeof cases / sizeof cases[0])

static int run_case(void *arg)
{
	((const struct kcase *)arg)->fn();
	return 0;
}

/* One case; 1 when the child ended as expected. */
static int judge(const struct kcase *k, long st, int verbose)
{
	int ok = st >= 0 && (k->signal == ALIVE ? st == 0 :
	    !HOSTILE_EXITED(st) && HOSTILE_TERMSIG(st) == k->signal);

	if (!ok || verbose)
		printf("hostile_kill: %s %s: status %#lx, want %s %d\n", ok ? "ok" : "FAIL",
		    k->name, st, k->signal == ALIVE ? "exit" : "signal", k->signal);
	return ok;
}

int main(int argc, char **argv)
{
	int verbose = argc > 1 && strcmp(argv[1], "-v") == 0, passed = 0, survived = 0;
	long before, after;

	hostile_start();

	hostile_run_child(run_case, (void *)&cases[0]);    /* warm up */
	before = hostile_settled_freeram();
	for (size_t i = 0; i < NCASES; i++) {
		long st = hostile_run_child(run_case, (void *)&cases[i]);

		passed += judge(&cases[i], st, verbose);
		survived += SYS0(LOS_NR_getpid) > 0;    /* this process, the kernel: still here */
	}
	after = hostile_settled_freeram();
	printf("hostile_kill: %zu cases, %d survived, %d passed, freeram before %ld after %ld\n",
	    NCASES, survived, passed, before, after);
	return (size_t)passed == NCASES && before == after ? 0 : 1;
}
