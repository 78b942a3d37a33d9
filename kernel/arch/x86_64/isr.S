/* Interrupt and exception entry: every vector pushes (error, vector) so the
 * stack holds a struct trapframe, then trap() decides what happens.
 *
 * Flags on entry: the interrupt gate cleared IF and TF, but not AC (which
 * would switch SMAP off in the kernel), DF or NT (which would make a later
 * IRETQ fault).  isr_common sets rflags to a known value before any C runs.
 * The user's flags are in the trapframe and come back with IRETQ.
 *
 * Exit: trap_return.  Work to do on the way back to user mode (signal
 * delivery, later) belongs after the C call, before POP_REGS. */

#include "arch/x86_64/trapframe.inc"

.macro ISR_NOERR n
isr\n:
	pushq $0
	pushq $\n
	jmp isr_common
.endm
.macro ISR_ERR n
isr\n:
	pushq $\n
	jmp isr_common
.endm

	.text
isr_common:
	pushq $2                        /* rflags: only the always-one bit */
	popfq
	PUSH_REGS
	mov %rsp, %rdi
	call trap
	/* fall through */

/* Restore a struct trapframe at %rsp and return to where it says. New
 * processes start here too (proc.c puts its address on their stacks). */
	.globl trap_return
trap_return:
	POP_REGS
	add $16, %rsp
	iretq

ISR_NOERR 0
ISR_NOERR 1
ISR_NOERR 2
ISR_NOERR 3
ISR_NOERR 4
ISR_NOERR 5
ISR_NOERR 6
ISR_NOERR 7
ISR_ERR 8
ISR_NOERR 9
ISR_ERR 10
ISR_ERR 11
ISR_ERR 12
ISR_ERR 13
ISR_ERR 14
ISR_NOERR 15
ISR_NOERR 16
ISR_ERR 17
ISR_NOERR 18
ISR_NOERR 19
ISR_NOERR 20
ISR_ERR 21
ISR_NOERR 22
ISR_NOERR 23
ISR_NOERR 24
ISR_NOERR 25
ISR_NOERR 26
ISR_NOERR 27
ISR_NOERR 28
ISR_ERR 29
ISR_ERR 30
ISR_NOERR 31
ISR_NOERR 32
ISR_NOERR 33
ISR_NOERR 34
ISR_NOERR 35
ISR_NOERR 36
ISR_NOERR 37
ISR_NOERR 38
ISR_NOERR 39
ISR_NOERR 40
ISR_NOERR 41
ISR_NOERR 42
ISR_NOERR 43
ISR_NOERR 44
ISR_NOERR 45
ISR_NOERR 46
ISR_NOERR 47

	.section .rodata
	.globl isr_table
isr_table:
	.quad isr0
	.quad isr1
	.quad isr2
	.quad isr3
	.quad isr4
	.quad isr5
	.quad isr6
	.quad isr7
	.quad isr8
	.quad isr9
	.quad isr10
	.quad isr11
	.quad isr12
	.quad isr13
	.quad isr14
	.quad isr15
	.quad isr16
	.quad isr17
	.quad isr18
	.quad isr19
	.quad isr20
	.quad isr21
	.quad isr22
	.quad isr23
	.quad isr24
	.quad isr25
	.quad isr26
	.quad isr27
	.quad isr28
	.quad isr29
	.quad isr30
	.quad isr31
	.quad isr32
	.quad isr33
	.quad isr34
	.quad isr35
	.quad isr36
	.quad isr37
	.quad isr38
	.quad isr39
	.quad isr40
	.quad isr41
	.quad isr42
	.quad isr43
	.quad isr44
	.quad isr45
	.quad isr46
	.quad isr47

	.section .note.GNU-stack, "", @progbits
