/* The user register state saved on the kernel stack by every entry to the kernel
 * (interrupt, exception, or SYSCALL); isr.S and syscall.S build it, trap_return
 * restores it. Order matters: it mirrors the push sequence. */
#ifndef ARCH_TRAPFRAME_H
#define ARCH_TRAPFRAME_H

#include "lib/types.h"

struct trapframe {
	u64 r15, r14, r13, r12, rbp, rbx, r11, rcx, rax;
	union {                          /* a system call's arguments, in order */
		struct { u64 rdi, rsi, rdx, r10, r8, r9; };
		u64 args[6];
	};
	u64 vector, error;
	/* pushed by the CPU on interrupts (synthesised by the syscall entry) */
	u64 rip, cs, rflags, rsp, ss;
};

#define TF_FROM_USER(tf) (((tf)->cs & 3) == 3)
#define SYSCALL_VECTOR 256      /* trapframe.vector of a syscall entry (syscall.S) */

#endif
