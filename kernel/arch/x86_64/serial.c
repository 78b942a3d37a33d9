/* COM1 (16550 UART): polled output, interrupt-driven input handed to the
 * console line discipline. */
#include "arch/x86_64/serial.h"
#include "arch/x86_64/cpu.h"
#include "fs/file.h"

#define COM1 0x3F8

/* serial_init: 115200 8N1, FIFOs on, receive interrupt enabled. */
void serial_init(void)
{
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x80);          /* DLAB */
	outb(COM1 + 0, 0x01);          /* divisor 1: 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);          /* 8N1 */
	outb(COM1 + 2, 0xC7);          /* FIFO on, cleared */
	outb(COM1 + 4, 0x0B);          /* DTR, RTS, OUT2 (IRQ line) */
	outb(COM1 + 1, 0x01);          /* interrupt on received data */
}

static void serial_putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (u8)c);
}

void serial_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		serial_putc(s[i]);
}

/* serial_irq: drain every received byte into the console. */
void serial_irq(void)
{
	while (inb(COM1 + 5) & 0x01)
		console_rx((char)inb(COM1));
}
