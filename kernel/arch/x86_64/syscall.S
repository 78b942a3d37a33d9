/* SYSCALL entry.  The CPU left the user rip in rcx and rflags in r11, cleared
 * the flags in FMASK (cpu.c: IF, TF, DF, AC, NT, IOPL), and kept the user
 * stack.  One CPU, so a plain global holds the user rsp for the few
 * instructions until it is on the kernel stack; nothing can interrupt them
 * (IF is off; NMI and #MC have their own IST stacks, idt.c).  We build the
 * same struct trapframe an interrupt would, so fork and exec can treat every
 * entry alike.
 *
 * Exit: back through SYSRET when the saved rip is a canonical user address,
 * else through trap_return (IRETQ).  Work to do on the way back to user mode
 * (signal delivery, later) belongs after the C call, before the choice. */
#include "arch/x86_64/trapframe.inc"

#define USER_CS (0x28 | 3)
#define USER_SS (0x20 | 3)
#define TF_RIP (17 * 8)                 /* offsetof(struct trapframe, rip) */
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
	SYSCALL_ENTER 256               /* vector 256 marks a syscall */
	mov %rsp, %rdi
	call syscall_dispatch
	test %eax, %eax                 /* after rt_sigreturn: every register, by IRET */
	jnz trap_return

	/* Return with SYSRET, cheaper than IRET, unless the saved rip is not a
	 * canonical user address (SYSRET would then fault in kernel mode).
	 * Like Linux, rcx and r11 come back holding rip and rflags. */
	mov TF_RIP(%rsp), %rcx
	movabs $0x00007FFFFFFFF000, %r11
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
