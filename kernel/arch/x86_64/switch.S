/* swtch(u64 *save_rsp, u64 load_rsp): save callee-saved registers on this
 * kernel stack, store its rsp, switch to the other stack and resume it. */
	.text
	.globl swtch
swtch:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, (%rdi)
	mov %rsi, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret

	.section .note.GNU-stack, "", @progbits
