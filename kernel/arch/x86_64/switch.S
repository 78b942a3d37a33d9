/* swtch(u64 *save_rsp, u64 load_rsp): save callee-saved registers and rflags
 * on this kernel stack, store its rsp, switch to the other stack and resume
 * it.  rflags travel with the stack (as Linux's switch_to), so no flag of one
 * process's kernel path (whatever an entry let through) reaches another. */
	.text
	.globl swtch
swtch:
	pushfq
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
	popfq
	ret

	.section .note.GNU-stack, "", @progbits
