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

/* Interrupt stack table slots (gdt.c): vectors that get a stack of their own. */
#define IST_DF 1
#define IST_NMI 2
#define IST_MC 3

#define IRQ_BASE 32
#define IRQ_TIMER 0
#define IRQ_COM1 4
#define TIMER_HZ 100

void gdt_init(void);
void tss_set_kstack(u64 top);
void idt_init(void);
void irq_init(void);               /* PIC remap + PIT */
void irq_eoi(int irq);
void syscall_init(bool traced);     /* SYSCALL MSRs */
void cpu_features_init(void);      /* SSE for users; SMEP/SMAP when the CPU has them */
void fpu_init_state(void *area);   /* a fresh process's x87/SSE state */
void fpu_save(void *area);
void fpu_restore(const void *area);
u32 fpu_mxcsr_mask(void);          /* MXCSR bits FXRSTOR accepts */
u64 timer_ticks(void);
void tsc_calibrate(void);           /* before clock_ns() */
u64 clock_ns(void);                /* nanoseconds since boot */
void rtc_init(void);               /* read the CMOS clock (after tsc_calibrate) */
i64 wall_clock_offset_ns(void);    /* wall clock = this + clock_ns() */

/* Point the CPU at a process: kernel stack for traps and syscalls, FS base. */
void arch_switch_to(u64 kstack_top, u64 fs_base);

/* A process's user segment state, which no kernel entry saves: the FS and GS
 * selectors a program may load (mov to %fs) and the FS base.  Saved when the
 * process leaves the CPU and put back when it returns, so one program's
 * choice never reaches another and a selector load is not undone (as Linux). */
struct user_segs {
	u64 fs_base;
	u16 fs, gs;
};
void arch_user_segs_save(struct user_segs *s);
void arch_user_segs_load(const struct user_segs *s);

/* The kernel's own page tables (kpage.c): W^X mappings of the image and the
 * direct map, replacing boot.S's; then a check that nothing is both writable
 * and executable, printed on the console. */
void kpage_init(void);
void kpage_audit(void);

/* Test build only (crashtest.c, -DLEVITATE_CRASH_TESTS): break a kernel
 * stack on purpose; in the shipped kernel it does nothing. */
void crashtest_run(const char *name);

/* Power off with init's wait status (Linux encoding), or POWER_OFF_PANIC,
 * as the verdict scripts/levitate-qemu reports (see power.c). */
#define POWER_OFF_PANIC (-1)
void power_off(int wait_status) __attribute__((noreturn));

void trap(struct trapframe *tf);
/* Nonzero when the return must restore every register (IRET, not SYSRET). */
int syscall_dispatch(struct trapframe *tf);
void syscall_compat(struct trapframe *tf) __attribute__((noreturn));
extern void trap_return(void);

#endif
