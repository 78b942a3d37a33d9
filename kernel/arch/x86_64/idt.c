/* Interrupt descriptor table: 32 exceptions and 16 legacy IRQs, all interrupt
 * gates (IF cleared on entry: the kernel runs with interrupts off). */
#include "arch/x86_64/arch.h"

struct idt_gate {
	u16 off_lo;
	u16 sel;
	u8 ist;
	u8 type;
	u16 off_mid;
	u32 off_hi;
	u32 zero;
} __attribute__((packed));

extern const u64 isr_table[48];
static struct idt_gate idt[48];

static void idt_set(int v, u64 handler)
{
	idt[v].off_lo = handler & 0xFFFF;
	idt[v].sel = GDT_KCODE;
	idt[v].ist = 0;
	idt[v].type = 0x8E;            /* present, DPL 0, 64-bit interrupt gate */
	idt[v].off_mid = (handler >> 16) & 0xFFFF;
	idt[v].off_hi = handler >> 32;
	idt[v].zero = 0;
}

/* idt_init: install every vector and load the table. */
void idt_init(void)
{
	struct {
		u16 limit;
		u64 base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (u64)idt };

	for (int v = 0; v < 48; v++)
		idt_set(v, isr_table[v]);
	idt[3].type = 0xEE;            /* DPL 3: user int3 is a breakpoint (SIGTRAP), as on Linux */
	/* Their own stacks (gdt.c): #DF comes from a kernel stack that is full or
	 * bad; NMI and #MC can arrive before the SYSCALL entry has left the user
	 * stack, or after SYSRET's path has gone back to it. */
	idt[8].ist = IST_DF;
	idt[2].ist = IST_NMI;
	idt[18].ist = IST_MC;
	__asm__ volatile("lidt %0" : : "m"(idtr));
}
