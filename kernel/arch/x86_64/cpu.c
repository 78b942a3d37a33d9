/* Per-CPU setup: SYSCALL entry, protection features, and switching the CPU's
 * notion of "current process" (kernel stack, FS base). */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu.h"
#include "lib/kprintf.h"

extern void syscall_entry(void);
extern void syscall_entry_traced(void);
extern void syscall_compat_entry(void);
extern u64 cpu_kstack_top;

/* RFLAGS bits SYSCALL clears, as Linux: the kernel runs without a user's trap
 * flag, interrupts, direction, I/O privilege, alignment check (AC would switch
 * SMAP off) or nested task (NT would make the next IRETQ fault, in whichever
 * process returns next).  The user's own flags come back from r11 at SYSRET. */
#define SYSCALL_FLAGS_CLEARED (RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_IOPL | \
			       RFLAGS_AC | RFLAGS_NT)

/* syscall_init: SYSCALL from 64-bit mode enters syscall_entry, or with
 * every call traced syscall_entry_traced, which always takes the full path
 * (so the fast path tests nothing for tracing: syscall.S); from
 * compatibility mode (unreachable: no user 32-bit segment, gdt.c) it enters
 * syscall_compat_entry, which also leaves the user stack at once and kills the
 * caller.  SYSENTER stays off (SYSENTER_CS 0: #GP). */
void syscall_init(bool traced)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((u64)0x18 << 48) | ((u64)GDT_KCODE << 32));
	wrmsr(MSR_LSTAR, (u64)(traced ? syscall_entry_traced : syscall_entry));
	wrmsr(MSR_CSTAR, (u64)syscall_compat_entry);
	wrmsr(MSR_FMASK, SYSCALL_FLAGS_CLEARED);
	wrmsr(MSR_SYSENTER_CS, 0);
	wrmsr(MSR_SYSENTER_ESP, 0);
	wrmsr(MSR_SYSENTER_EIP, 0);
}

static u8 fpu_clean[512] __attribute__((aligned(16)));

static const char *on_off(bool on) { return on ? "on" : "off"; }

/* cpu_features_init: SSE on for user programs (saved per process on switch).
 * SMEP and SMAP make any kernel access to user pages fault; the kernel
 * reaches user memory only through the direct map (usercopy.c).  UMIP makes
 * sgdt, sidt, sldt, smsw and str fault in user mode (they would show where
 * the kernel's tables are).  CR0.NE: x87 errors are #MF (SIGFPE), as on
 * Linux, not the legacy FERR# interrupt that nobody handles. */
void cpu_features_init(void)
{
	u32 a, b, c, d;
	u64 cr4 = read_cr4(), cr0;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 = (cr0 & ~CR0_EM) | CR0_MP | CR0_NE;   /* no x87 emulation; monitor coprocessor */
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;

	cpuid(7, 0, &a, &b, &c, &d);
	if (b & (1 << 7))
		cr4 |= CR4_SMEP;
	if (b & (1 << 20))
		cr4 |= CR4_SMAP;
	if (c & (1 << 2))
		cr4 |= CR4_UMIP;
	write_cr4(cr4);
	__asm__ volatile("fninit");
	fpu_save(fpu_clean);
	/* What is really on, read back from the CPU (tests check this line). */
	cr4 = read_cr4();
	kprintf("cpu: SMEP %s, SMAP %s, NX %s, UMIP %s\r\n", on_off(cr4 & CR4_SMEP),
		on_off(cr4 & CR4_SMAP), on_off(rdmsr(MSR_EFER) & EFER_NXE), on_off(cr4 & CR4_UMIP));
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

/* The selectors a user may have loaded: null (any RPL) or the user data and
 * code segments.  Anything else is never loaded in ring 0 (it could fault). */
static u16 user_selector(u16 sel)
{
	u16 index = sel & ~3;

	return index == 0 || index == (GDT_UDATA & ~3) || index == (GDT_UCODE & ~3) ? sel : 0;
}

/* arch_user_segs_save: read what the program left in FS, GS and the FS base. */
void arch_user_segs_save(struct user_segs *s)
{
	__asm__ volatile("mov %%fs, %0" : "=r"(s->fs));
	__asm__ volatile("mov %%gs, %0" : "=r"(s->gs));
	s->fs_base = rdmsr(MSR_FS_BASE);
}

/* arch_user_segs_load: put them back.  Loading a selector sets its base from
 * the descriptor, so the saved FS base is written last: the CPU is left
 * exactly as the program left it. */
void arch_user_segs_load(const struct user_segs *s)
{
	u16 fs = user_selector(s->fs), gs = user_selector(s->gs);

	__asm__ volatile("mov %0, %%fs" : : "r"(fs));
	__asm__ volatile("mov %0, %%gs" : : "r"(gs));
	wrmsr(MSR_FS_BASE, s->fs_base);
}
