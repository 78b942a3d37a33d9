/* SYSCALL entry.  The CPU left the user rip in rcx and rflags in r11, masked IF
 * (FMASK), and kept the user stack.  One CPU, so a plain global holds the user
 * rsp for the few instructions until it is on the kernel stack.  We build the
 * same struct trapframe an interrupt would, so fork and exec can treat every
 * entry alike, and leave through trap_return (iretq). */
#include "arch/x86_64/trapframe.inc"

#define USER_CS (0x28 | 3)
#define USER_SS (0x20 | 3)
#define TF_RIP (17 * 8)                 /* offsetof(struct trapframe, rip) */

	.text
	.globl syscall_entry
syscall_entry:
	mov %rsp, cpu_user_rsp(%rip)
	mov cpu_kstack_top(%rip), %rsp
	pushq $USER_SS
	pushq cpu_user_rsp(%rip)
	pushq %r11
	pushq $USER_CS
	pushq %rcx
	pushq $0                        /* error */
	pushq $256                      /* vector: 256 marks a syscall */
	cld
	PUSH_REGS
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

	.bss
	.globl cpu_user_rsp, cpu_kstack_top
	.align 8
cpu_user_rsp: .quad 0
cpu_kstack_top: .quad 0

	.section .note.GNU-stack, "", @progbits
