/* Segments: flat 64-bit code/data for kernel and user, plus the TSS that tells
 * the CPU which stack to use when an interrupt arrives from user mode, and the
 * separate (IST) stacks of the vectors that may arrive on a bad kernel stack.
 * The order is fixed by SYSCALL/SYSRET (STAR): kernel CS, kernel SS, then the
 * slot of a user 32-bit CS, user SS, user CS.
 *
 * There is no user 32-bit code segment: slot 0x18 is a null descriptor.  A
 * program that far-jumps or far-returns to 0x1b gets #GP (SIGSEGV), so it can
 * never run in compatibility mode, where SYSCALL enters the kernel through
 * MSR_CSTAR on the user's own stack (docs/hostile.md).  SYSRET to 64-bit mode
 * never reads the descriptor (it loads fixed values), so nothing needs it. */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu.h"
#include "lib/string.h"

struct tss {
	u32 reserved0;
	u64 rsp0, rsp1, rsp2;
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __attribute__((packed));

static u64 gdt[7 + 1];
static struct tss tss;

/* One stack per IST vector (IST_DF, IST_NMI, IST_MC in arch.h): they run when
 * the kernel stack itself may be the problem (an overflow into its guard page
 * ends in #DF), or at any instruction, even between SYSCALL and the switch to
 * the kernel stack (NMI, #MC). */
#define IST_STACK_SIZE 8192
static u8 ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

static void gdt_load(void)
{
	struct {
		u16 limit;
		u64 base;
	} __attribute__((packed)) gdtr = { sizeof(gdt) - 1, (u64)gdt };

	__asm__ volatile("lgdt %0" : : "m"(gdtr));
	/* Reload CS with a far return, then the data segments and the TSS. */
	__asm__ volatile("pushq %0\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w1, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 : : "i"((u64)GDT_KCODE), "i"(GDT_KDATA) : "rax", "memory");
	__asm__ volatile("ltr %w0" : : "r"((u16)GDT_TSS));
}

/* gdt_init: install the final GDT and TSS. */
void gdt_init(void)
{
	u64 base = (u64)&tss, limit = sizeof(tss) - 1;

	gdt[0] = 0;
	gdt[1] = 0x00AF9A000000FFFF;   /* 0x08 kernel code, 64-bit */
	gdt[2] = 0x00CF92000000FFFF;   /* 0x10 kernel data */
	gdt[3] = 0;                    /* 0x18 no user 32-bit code (see above) */
	gdt[4] = 0x00CFF2000000FFFF;   /* 0x20 user data */
	gdt[5] = 0x00AFFA000000FFFF;   /* 0x28 user code, 64-bit */
	/* 0x30: 16-byte TSS descriptor */
	gdt[6] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89UL << 40) |
		 (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
	gdt[7] = base >> 32;
	memset(&tss, 0, sizeof(tss));
	tss.iomap_base = sizeof(tss);  /* no I/O bitmap: every port is privileged */
	for (int i = 0; i < 3; i++)
		tss.ist[i] = (u64)ist_stacks[i] + IST_STACK_SIZE;    /* IST1..IST3 */
	gdt_load();
}

/* tss_set_kstack: the stack the CPU switches to on an interrupt from user mode. */
void tss_set_kstack(u64 top)
{
	tss.rsp0 = top;
}
