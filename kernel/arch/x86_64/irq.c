/* Legacy interrupt hardware: the two 8259 PICs remapped to vectors 32-47, and
 * the 8254 PIT as the scheduler's clock at TIMER_HZ. */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu.h"
#include "lib/kprintf.h"
#include "mm/vm.h"

#define PIC1 0x20
#define PIC2 0xA0
#define PIT_HZ 1193182

static u64 ticks;

static void pic_remap(void)
{
	outb(PIC1, 0x11);              /* init, expect ICW4 */
	outb(PIC2, 0x11);
	outb(PIC1 + 1, IRQ_BASE);
	outb(PIC2 + 1, IRQ_BASE + 8);
	outb(PIC1 + 1, 4);             /* slave on IRQ2 */
	outb(PIC2 + 1, 2);
	outb(PIC1 + 1, 1);             /* 8086 mode */
	outb(PIC2 + 1, 1);
	/* Unmask only what we handle: timer, cascade, COM1. */
	outb(PIC1 + 1, (u8) ~((1 << IRQ_TIMER) | (1 << 2) | (1 << IRQ_COM1)));
	outb(PIC2 + 1, 0xFF);
}

static void pit_start(void)
{
	u16 div = PIT_HZ / TIMER_HZ;

	outb(0x43, 0x36);              /* channel 0, lo/hi, rate generator */
	outb(0x40, div & 0xFF);
	outb(0x40, div >> 8);
}

#define MSR_APIC_BASE 0x1B
#define LAPIC_SVR 0xF0
#define LAPIC_LVT0 0x350
#define LAPIC_LVT1 0x360
#define SVR_ENABLE 0x100
#define LVT_EXTINT 0x700
#define LVT_NMI 0x400

/* The PIC's interrupts reach the CPU through the local APIC's LINT0, which
 * must be ExtINT and unmasked ("virtual wire").  SeaBIOS leaves it so;
 * qboot, the firmware scripts/levitate-qemu boots with, leaves it masked, and
 * no interrupt (clock, serial input) arrived.  Set it here, whatever the
 * firmware did; a spurious interrupt of the local APIC comes as vector
 * IRQ_BASE + 7, which trap.c already ignores when the PIC has no IRQ 7. */
static void lapic_virtual_wire(void)
{
	u64 base = rdmsr(MSR_APIC_BASE) & ~0xFFFUL;
	volatile u32 *lapic = kmap_phys(base, 4096);

	if (!lapic)
		panic("irq: cannot map the local APIC");
	lapic[LAPIC_SVR / 4] = SVR_ENABLE | (IRQ_BASE + 7);
	lapic[LAPIC_LVT0 / 4] = LVT_EXTINT;
	lapic[LAPIC_LVT1 / 4] = LVT_NMI;
}

/* irq_init: route IRQs and start the clock (interrupts stay off until the
 * scheduler idles or returns to user mode). */
void irq_init(void)
{
	lapic_virtual_wire();
	pic_remap();
	pit_start();
}

void irq_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2, 0x20);
	outb(PIC1, 0x20);
}

/* Called from trap() for IRQ_TIMER. */
void timer_tick(void)
{
	ticks++;
}

u64 timer_ticks(void)
{
	return ticks;
}
