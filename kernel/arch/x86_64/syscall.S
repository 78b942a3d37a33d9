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
 * frame first and goes through syscall_dispatch: tracing on, a number with
 * no fast handler (no row, or fork, clone, execve, rt_sigreturn, which copy
 * or rewrite the whole frame), and a return with signal work (a handler's
 * frame holds every register) or to a non-canonical rip.
 *
 * Exit: back through SYSRET when the saved rip is a canonical user address,
 * else through trap_return (IRETQ).  Like Linux, rcx and r11 come back
 * holding rip and rflags; every other register but rax is the caller's. */
#include "arch/x86_64/trapframe.inc"
#include "syscall/fastpath.h"
#include "gen/syscall_nr.h"
#include "lib/errno.h"

#define USER_CS (0x28 | 3)
#define USER_SS (0x20 | 3)
#define USER_LIMIT 0x00007FFFFFFFF000    /* first address above user space */
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

	.section .text.entry, "ax"      /* beside syscall_dispatch (linker.ld) */
	.globl syscall_entry
syscall_entry:
#ifdef LEVITATE_FLOOR
	/* The bench's floor kernel only (make floor-kernel, docs/bench.md): the
	 * reserved number FLOOR_NR goes straight back by SYSRET, rax unchanged,
	 * so levbench times QEMU's own SYSCALL+SYSRET.  The same canonical-rip
	 * check as below; the shipped kernel has none of this. */
	cmp $FLOOR_NR, %rax
	jne 1f
	movabs $0x00007FFFFFFFF000, %rax
	cmp %rax, %rcx
	mov $FLOOR_NR, %eax
	jae 1f
	sysretq
1:
#endif
	SYSCALL_ENTER_PARTIAL
	cmp $SYSCALL_TABLE_LEN, %rax
	jae slow
	cmpb $0, trace_enabled(%rip)    /* traced: syscall_dispatch records it */
	jne slow
	mov syscall_fast(,%rax,8), %r11
	test %r11, %r11
	jz slow
	mov %r10, %rcx                  /* the C convention's 4th argument */
	call *%r11

	/* signal_syscall_work, inline: a pending unblocked signal, a mask to
	 * put back, or a restart code means the slow return. */
	mov cpu_current(%rip), %rdx
	mov PROC_SIG_BLOCKED(%rdx), %rcx
	not %rcx
	and PROC_SIG_PENDING(%rdx), %rcx
	jnz work
	cmpb $0, PROC_SIG_RESTORE_SAVED(%rdx)
	jne work
	lea ERESTART_RESTARTBLOCK(%rax), %rcx
	cmp $(ERESTART_RESTARTBLOCK - ERESTARTSYS), %rcx
	jbe work
	movq $0, PROC_SIG_RESTART_FN(%rdx)      /* signal_syscall_done */
	mov TF_RIP(%rsp), %rcx
	movabs $USER_LIMIT, %r11
	cmp %r11, %rcx
	jae noncanonical
	mov TF_RDI(%rsp), %rdi
	mov TF_RSI(%rsp), %rsi
	mov TF_RDX(%rsp), %rdx
	mov TF_R10(%rsp), %r10
	mov TF_R8(%rsp), %r8
	mov TF_R9(%rsp), %r9
	mov TF_RFLAGS(%rsp), %r11
	mov TF_RSP(%rsp), %rsp          /* user rsp; IF stays off until SYSRET */
	sysretq

	/* What syscall_dispatch does then: the frame says "no call to
	 * restart", and IRETQ takes every register from it. */
noncanonical:
	COMPLETE_FRAME
	movq $-1, TF_ERROR(%rsp)
	mov %rax, TF_RAX(%rsp)
	jmp trap_return

	/* Signal work after a fast call: what syscall_dispatch does then, on a
	 * completed frame (a handler's frame saves every register). */
work:
	COMPLETE_FRAME
	mov TF_RAX(%rsp), %rcx
	mov %rcx, TF_ERROR(%rsp)        /* Linux's orig_rax: what a restart runs again */
	mov %rax, TF_RAX(%rsp)
	mov %rsp, %rdi
	call signal_return_to_user
	jmp full_return

slow:
	COMPLETE_FRAME
	movq $0, TF_ERROR(%rsp)
	mov %rsp, %rdi
	call syscall_dispatch
	test %eax, %eax                 /* after rt_sigreturn: every register, by IRET */
	jnz trap_return

	/* Return with SYSRET, cheaper than IRET, unless the saved rip is not a
	 * canonical user address (SYSRET would then fault in kernel mode). */
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
	.globl cpu_user_rsp, cpu_kstack_top
	.align 8
cpu_user_rsp: .quad 0
cpu_kstack_top: .quad 0

	.section .note.GNU-stack, "", @progbits
