/* What the generic kernel calls in arch/x86_64. */
#ifndef ARCH_ARCH_H
#define ARCH_ARCH_H

#include "lib/types.h"
#include "arch/x86_64/trapframe.h"

#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_UDATA (0x20 | 3)
#define GDT_UCODE (0x28 | 3)
#define GDT_TSS 0x30

#define IRQ_BASE 32
#define IRQ_TIMER 0
#define IRQ_COM1 4
#define TIMER_HZ 100

void gdt_init(void);
void tss_set_kstack(u64 top);
void idt_init(void);
void irq_init(void);               /* PIC remap + PIT */
void irq_eoi(int irq);
void syscall_init(void);           /* SYSCALL MSRs */
void cpu_features_init(void);      /* SSE for users; SMEP/SMAP when the CPU has them */
void fpu_init_state(void *area);   /* a fresh process's x87/SSE state */
void fpu_save(void *area);
void fpu_restore(const void *area);
u32 fpu_mxcsr_mask(void);          /* MXCSR bits FXRSTOR accepts */
u64 timer_ticks(void);
void tsc_calibrate(void);           /* before clock_ns() */
u64 clock_ns(void);                /* nanoseconds since boot */

/* Point the CPU at a process: kernel stack for traps and syscalls, FS base. */
void arch_switch_to(u64 kstack_top, u64 fs_base);

/* Power off through QEMU's isa-debug-exit with a guest status (see power.c). */
void power_off(int code) __attribute__((noreturn));

void trap(struct trapframe *tf);
/* Nonzero when the return must restore every register (IRET, not SYSRET). */
int syscall_dispatch(struct trapframe *tf);
extern void trap_return(void);

#endif
