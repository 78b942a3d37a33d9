/* SYSCALL entry.  The CPU left the user rip in rcx and rflags in r11, cleared
 * the flags in FMASK (cpu.c: IF, TF, DF, AC, NT, IOPL), and kept the user
 * stack.  One CPU, so a plain global holds the user rsp for the few
 * instructions until it is on the kernel stack; nothing can interrupt them
 * (IF is off; NMI and #MC have their own IST stacks, idt.c).  The frame is a
 * struct trapframe at the same place an interrupt's would be, so fork and
 * exec can treat every entry alike.
 *
 * Two paths (as Linux before 4.x; docs/bench.md "Where a system call's time
 * goes"): under QEMU's TCG every push, call and return costs, so the fast
 * path saves only what the C calling convention lets a handler clobber and
 * leaves the callee-saved slots (r15..rbx) unwritten: the handler keeps those
 * registers for us.  It calls the handler itself (syscall_fast[], generated)
 * with the argument registers as they came.  Everything else completes the
 * frame first and goes through syscall_dispatch: a number with no fast
 * handler (no row, or fork, clone, execve, rt_sigreturn, which copy or
 * rewrite the whole frame); and after a fast call, a return with signal work
 * (a handler's frame holds every register) or to a rip at or above
 * USER_LIMIT ends as syscall_dispatch does.  With tracing on, SYSCALL enters
 * syscall_entry_traced instead (syscall_init, cpu.c), which always goes
 * through syscall_dispatch, so the fast path tests nothing for tracing.
 *
 * Exit: back through SYSRET when the saved rip is below USER_LIMIT, else
 * through trap_return (IRETQ).  Like Linux, rcx and r11 come back
 * holding rip and rflags; every other register but rax is the caller's. */
#include "arch/x86_64/trapframe.inc"
#include "syscall/fastpath.h"
#include "gen/syscall_nr.h"
#include "lib/errno.h"

#define USER_CS (0x28 | 3)
#define USER_SS (0x20 | 3)
/* SYSRET only to a rip below this: the last user page, which no program can
 * map (USER_STACK_TOP), and above it the non-canonical addresses, to which a
 * SYSRET faults in kernel mode on Intel CPUs. */
#define USER_LIMIT 0x00007FFFFFFFF000
#define FLOOR_NR 1023                   /* the floor kernel's null call (docs/bench.md) */

/* Leave the user stack first, then push the trapframe: the hardware part as
 * an interrupt would, then (error 0, vector), then the general registers. */
.macro SYSCALL_ENTER vector
	mov %rsp, cpu_user_rsp(%rip)
	mov cpu_kstack_top(%rip), %rsp
	pushq $USER_SS
	pushq cpu_user_rsp(%rip)
	pushq %r11
	pushq $USER_CS
	pushq %rcx
	pushq $0                        /* error */
	pushq $\vector
	PUSH_REGS
.endm

/* The fast path's frame: only what the fast path needs and a C handler may
 * clobber (rip, rflags, the user rsp, the number, the six arguments), stored
 * at their places in a struct trapframe; COMPLETE_FRAME fills in the rest.
 * Under TCG each store costs, so the constant words wait too. */
.macro SYSCALL_ENTER_PARTIAL
	mov %rsp, cpu_user_rsp(%rip)
	mov cpu_kstack_top(%rip), %rsp
	sub $TF_SIZE, %rsp
	mov %rcx, TF_RIP(%rsp)
	mov %r11, TF_RFLAGS(%rsp)
	mov cpu_user_rsp(%rip), %rcx
	mov %rcx, TF_RSP(%rsp)
	mov %rax, TF_RAX(%rsp)
	mov %rdi, TF_RDI(%rsp)
	mov %rsi, TF_RSI(%rsp)
	mov %rdx, TF_RDX(%rsp)
	mov %r10, TF_R10(%rsp)
	mov %r8, TF_R8(%rsp)
	mov %r9, TF_R9(%rsp)
.endm

/* Complete a partial frame into what SYSCALL_ENTER builds, but the error
 * word (each caller sets it): the callee-saved registers still hold the
 * user's values (C code keeps them); rcx and r11 held rip and rflags at
 * entry.  Clobbers rcx. */
.macro COMPLETE_FRAME
	mov %r15, 0(%rsp)
	mov %r14, 8(%rsp)
	mov %r13, 16(%rsp)
	mov %r12, 24(%rsp)
	mov %rbp, 32(%rsp)
	mov %rbx, 40(%rsp)
	mov TF_RIP(%rsp), %rcx
	mov %rcx, TF_RCX(%rsp)
	mov TF_RFLAGS(%rsp), %rcx
	mov %rcx, TF_R11(%rsp)
	movq $USER_CS, TF_CS(%rsp)
	movq $USER_SS, TF_SS(%rsp)
	movq $256, TF_VECTOR(%rsp)      /* vector 256 marks a syscall */
.endm

/* The bench's floor kernel only (make floor-kernel, docs/bench.md): the
 * reserved number FLOOR_NR goes straight back by SYSRET, rax unchanged, so
 * levbench times QEMU's own SYSCALL+SYSRET.  The same canonical-rip check as
 * the return's; the shipped kernel has none of this. */
.macro FLOOR_CALL
#ifdef LEVITATE_FLOOR
	cmp $FLOOR_NR, %rax
	jne 1f
	movabs $USER_LIMIT, %rax
	cmp %rax, %rcx
	mov $FLOOR_NR, %eax
	jae 1f
	sysretq
1:
#endif
.endm

	.section .text.entry, "ax"      /* beside syscall_dispatch (linker.ld) */
	.globl syscall_entry
syscall_entry:
	FLOOR_CALL
	SYSCALL_ENTER_PARTIAL
	cmp $SYSCALL_TABLE_LEN, %rax
	jae slow
	mov syscall_fast(,%rax,8), %r11
	test %r11, %r11
	jz slow
	mov %r10, %rcx                  /* the C convention's 4th argument */
	call *%r11

	/* The return's work, one test for all of it: a caller that is not
	 * cpu_sigclean (proc/signal.h: another process's call returned since,
	 * or some signal state changed), a restart code, or a saved rip SYSRET
	 * must not return to.  Each leaves bits in rdx; the argument registers
	 * are free until reloaded. */
	mov TF_RIP(%rsp), %rcx
	mov cpu_current(%rip), %rdx
	sub cpu_sigclean(%rip), %rdx
	lea ERESTART_RESTARTBLOCK(%rax), %rsi
	cmp $(ERESTART_RESTARTBLOCK - ERESTARTSYS + 1), %rsi
	sbb %rsi, %rsi                  /* -1 for a restart code */
	or %rsi, %rdx
	movabs $(USER_LIMIT - 1), %rsi
	cmp %rcx, %rsi
	sbb %rsi, %rsi                  /* -1 for rip >= USER_LIMIT */
	or %rsi, %rdx
	jnz recheck
fast_return:
	mov TF_RDI(%rsp), %rdi
	mov TF_RSI(%rsp), %rsi
	mov TF_RDX(%rsp), %rdx
	mov TF_R10(%rsp), %r10
	mov TF_R8(%rsp), %r8
	mov TF_R9(%rsp), %r9
	mov TF_RFLAGS(%rsp), %r11
	mov TF_RSP(%rsp), %rsp          /* user rsp; IF stays off until SYSRET */
	sysretq

	/* The test above, one part at a time.  A caller that is only not
	 * cpu_sigclean (the first return after a context switch, mostly) is
	 * asked signal_idle's questions here, and becomes cpu_sigclean if it
	 * has no signal work: cheaper than the work path's C call and full
	 * frame, which a pipe's ping-pong would take twice a round trip. */
recheck:
	lea ERESTART_RESTARTBLOCK(%rax), %rsi
	cmp $(ERESTART_RESTARTBLOCK - ERESTARTSYS), %rsi
	jbe work
	movabs $USER_LIMIT, %rsi
	cmp %rsi, %rcx
	jae work
	mov cpu_current(%rip), %rdx
	mov PROC_SIG_BLOCKED(%rdx), %rsi
	not %rsi
	and PROC_SIG_PENDING(%rdx), %rsi
	jnz work
	cmpb $0, PROC_SIG_RESTORE_SAVED(%rdx)
	jne work
	cmpq $0, PROC_SIG_RESTART_FN(%rdx)
	jne work
	mov %rdx, cpu_sigclean(%rip)
	jmp fast_return

	/* Work after a fast call: what syscall_dispatch does then, on a
	 * completed frame (a handler's frame holds every register, IRETQ takes
	 * every register from it); full_return sorts out the rip. */
work:
	COMPLETE_FRAME
	mov TF_RAX(%rsp), %rsi          /* the number, for a restart */
	mov %rax, TF_RAX(%rsp)
	mov %rsp, %rdi
	call syscall_fast_finish        /* sets the error word */
	jmp full_return

slow:
	COMPLETE_FRAME
	movq $0, TF_ERROR(%rsp)
dispatch:
	mov %rsp, %rdi
	call syscall_dispatch
	test %eax, %eax                 /* after rt_sigreturn: every register, by IRET */
	jnz trap_return

	/* Return with SYSRET, cheaper than IRET, unless the saved rip is at or
	 * above USER_LIMIT. */
full_return:
	mov TF_RIP(%rsp), %rcx
	movabs $USER_LIMIT, %r11
	cmp %r11, %rcx
	jae trap_return
	POP_REGS
	mov 16(%rsp), %rcx              /* rip (after vector, error) */
	mov 32(%rsp), %r11              /* rflags */
	mov 40(%rsp), %rsp              /* user rsp; IF stays off until SYSRET */
	sysretq

/* SYSCALL when tracing is on (syscall_init): every call builds the whole
 * frame and goes through syscall_dispatch, which records it. */
	.globl syscall_entry_traced
syscall_entry_traced:
	FLOOR_CALL
	SYSCALL_ENTER 256               /* vector 256 marks a syscall */
	jmp dispatch

/* SYSCALL from 32-bit compatibility mode (MSR_CSTAR).  Levitate has no user
 * 32-bit code segment, so no program should get here; if one does, it must
 * not make the kernel run a single instruction on its stack: switch stacks
 * exactly as above, then end the caller (trap.c).  Never returns. */
	.globl syscall_compat_entry
syscall_compat_entry:
	SYSCALL_ENTER 257               /* vector 257: a compat-mode SYSCALL */
	mov %rsp, %rdi
	call syscall_compat
	ud2

	.bss
	.globl cpu_user_rsp, cpu_kstack_top, cpu_sigclean
	.align 8
cpu_user_rsp: .quad 0
cpu_kstack_top: .quad 0
cpu_sigclean: .quad 0                   /* proc/signal.h */

	.section .note.GNU-stack, "", @progbits
