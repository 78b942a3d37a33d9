/* trap(): every interrupt and exception lands here with the saved registers. */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/serial.h"
#include "lib/kprintf.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "mm/vm.h"
#include "lib/errno.h"

void timer_tick(void);

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor",
	"invalid TSS", "segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 error", "alignment check", "machine check",
	"SIMD error", "virtualization", "control protection",
};

/* The Linux signal a user exception maps to. */
static int exception_signal(u64 vector)
{
	switch (vector) {
	case 0: case 16: case 19: return 8;   /* SIGFPE */
	case 6: return 4;                     /* SIGILL */
	case 1: case 3: return 5;             /* SIGTRAP */
	case 17: return 7;                    /* SIGBUS */
	default: return 11;                   /* SIGSEGV */
	}
}

static void kernel_exception(struct trapframe *tf)
{
	const char *name = exception_names[tf->vector] ? exception_names[tf->vector] : "exception";

	panic("%s (vector %lu, error %#lx) at rip %#lx, cr2 %#lx, rsp %#lx",
	      name, tf->vector, tf->error, tf->rip, read_cr2(), tf->rsp);
}

static void irq(struct trapframe *tf)
{
	int n = (int)tf->vector - IRQ_BASE;

	if (n == 7 || n == 15) {
		/* Possibly spurious: the PIC raised it without a real request. */
		outb(n == 7 ? 0x20 : 0xA0, 0x0B);
		if (!(inb(n == 7 ? 0x20 : 0xA0) & 0x80)) {
			if (n == 15)
				irq_eoi(2);
			return;
		}
	}
	if (n == IRQ_TIMER) {
		timer_tick();
		cputime_tick(TF_FROM_USER(tf));
		sched_timer();
		signal_tick(timer_ticks());
	}
	else if (n == IRQ_COM1)
		serial_irq();
	irq_eoi(n);
	/* Preempt user code on a tick once it has had its minimum turn; kernel
	 * code is never preempted. */
	if (n == IRQ_TIMER && TF_FROM_USER(tf) && myproc() && sched_slice_used())
		yield();
}

/* Vectors no program can cause, whatever mode they interrupt: a double fault
 * (the kernel could not take an exception: e.g. its stack overflowed into the
 * guard page), a machine check.  A panic naming the vector, from their IST
 * stacks.  An NMI (QEMU's "nmi" command) is reported and ignored, as Linux
 * does for an NMI with no known source. */
static bool machine_vector(struct trapframe *tf)
{
	if (tf->vector == 2) {
		kprintf("kernel: NMI at rip %#lx, ignored\r\n", tf->rip);
		return true;
	}
	if (tf->vector == 8 || tf->vector == 18)
		kernel_exception(tf);
	return false;
}

/* SYSCALL from compatibility mode (syscall.S, syscall_compat_entry): already
 * on the kernel stack; the caller is ended as a bad instruction would be. */
void syscall_compat(struct trapframe *tf)
{
	proc_fault(tf, 11, 0);             /* SIGSEGV */
}

/* isr.S promises rflags 2 on entry: no user AC (SMAP off), DF or NT in the
 * kernel.  Checked on every trap, since a mistake there is silent. */
static void check_entry_flags(void)
{
	u64 f;

	__asm__ volatile("pushfq\n\tpopq %0" : "=r"(f));
	if (f & (RFLAGS_AC | RFLAGS_DF | RFLAGS_NT | RFLAGS_TF | RFLAGS_IF))
		panic("trap: entered with rflags %#lx", f);
}

/* A page fault in user mode: map what the process has but is not there yet
 * (mm/fault.c) and retry the instruction; SIGSEGV for a forbidden access.
 * When memory ran out while mapping, the process is killed (SIGKILL), as
 * Linux's OOM killer would end it: it cannot go on, and a handler could not
 * run without the memory either. */
static void user_page_fault(struct trapframe *tf)
{
	u64 addr = read_cr2();
	int r = vm_fault(myproc()->vm, addr, (tf->error & 2) != 0);

	if (r == -ENOMEM) {
		kprintf("levitate: out of memory: killed process %d (%s)\n", myproc()->pid,
			myproc()->name);
		signal_fault(tf, 9, addr);            /* SIGKILL */
	} else if (r < 0) {
		signal_fault(tf, 11, addr);           /* SIGSEGV */
	}
}

void trap(struct trapframe *tf)
{
	check_entry_flags();
	if (tf->vector >= 32)
		irq(tf);
	else if (machine_vector(tf))
		return;
	else if (!TF_FROM_USER(tf))
		kernel_exception(tf);
	else if (tf->vector == 14)
		user_page_fault(tf);
	else
		signal_fault(tf, exception_signal(tf->vector), 0);
	if (TF_FROM_USER(tf) && myproc())
		signal_return_to_user(tf);
}
