/* Per-CPU setup: SYSCALL entry, protection features, and switching the CPU's
 * notion of "current process" (kernel stack, FS base). */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu.h"
#include "lib/kprintf.h"

extern void syscall_entry(void);
extern u64 cpu_kstack_top;

/* syscall_init: SYSCALL jumps to syscall_entry with IF, DF, TF and AC masked. */
void syscall_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((u64)0x18 << 48) | ((u64)GDT_KCODE << 32));
	wrmsr(MSR_LSTAR, (u64)syscall_entry);
	wrmsr(MSR_FMASK, (1 << 9) | (1 << 10) | (1 << 8) | (1 << 18));
}

static u8 fpu_clean[512] __attribute__((aligned(16)));

/* cpu_features_init: SSE on for user programs (saved per process on switch).
 * SMEP and SMAP make any kernel access to user pages fault; the kernel
 * reaches user memory only through the direct map (usercopy.c). */
void cpu_features_init(void)
{
	u32 a, b, c, d;
	u64 cr4 = read_cr4(), cr0;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 = (cr0 & ~(1UL << 2)) | (1UL << 1);    /* no x87 emulation; monitor coprocessor */
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	cr4 |= (1UL << 9) | (1UL << 10);           /* OSFXSR, OSXMMEXCPT */

	cpuid(7, 0, &a, &b, &c, &d);
	if (b & (1 << 7))
		cr4 |= 1UL << 20;      /* SMEP */
	if (b & (1 << 20))
		cr4 |= 1UL << 21;      /* SMAP */
	write_cr4(cr4);
	__asm__ volatile("fninit");
	fpu_save(fpu_clean);
	/* What is really on, read back from the CPU (tests check this line). */
	kprintf("cpu: SMEP %s, SMAP %s, NX %s\r\n", (read_cr4() >> 20) & 1 ? "on" : "off",
		(read_cr4() >> 21) & 1 ? "on" : "off", rdmsr(MSR_EFER) & EFER_NXE ? "on" : "off");
}

void fpu_init_state(void *area)
{
	__builtin_memcpy(area, fpu_clean, sizeof(fpu_clean));
}

u32 fpu_mxcsr_mask(void)
{
	u32 mask;

	__builtin_memcpy(&mask, fpu_clean + 28, sizeof(mask));
	return mask ? mask : 0xFFBF;     /* 0 means the architectural default */
}

void fpu_save(void *area)
{
	__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

void fpu_restore(const void *area)
{
	__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

void arch_switch_to(u64 kstack_top, u64 fs_base)
{
	cpu_kstack_top = kstack_top;
	tss_set_kstack(kstack_top);
	wrmsr(MSR_FS_BASE, fs_base);
}
