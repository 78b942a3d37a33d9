/* Legacy interrupt hardware: the two 8259 PICs remapped to vectors 32-47, and
 * the 8254 PIT as the scheduler's clock at TIMER_HZ. */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu.h"

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

/* irq_init: route IRQs and start the clock (interrupts stay off until the
 * scheduler idles or returns to user mode). */
void irq_init(void)
{
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
