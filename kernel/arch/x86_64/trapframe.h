/* The user register state saved on the kernel stack by every entry to the kernel
 * (interrupt, exception, or SYSCALL); isr.S and syscall.S build it, trap_return
 * restores it. Order matters: it mirrors the push sequence. */
#ifndef ARCH_TRAPFRAME_H
#define ARCH_TRAPFRAME_H

#include "lib/types.h"

struct trapframe {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	/* pushed by the CPU on interrupts (synthesised by the syscall entry) */
	u64 rip, cs, rflags, rsp, ss;
};

#define TF_FROM_USER(tf) (((tf)->cs & 3) == 3)

#endif
