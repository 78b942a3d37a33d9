/* A small vsnprintf: enough for panics and the boot banner. */
#include "lib/kprintf.h"
#include "lib/string.h"
#include "arch/x86_64/arch.h"
#include "arch/x86_64/serial.h"
#include "trace/trace.h"

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct out *o, u64 v, int base, int width, char pad, bool neg, const char *prefix)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	width -= n + neg + (int)strlen(prefix);
	if (pad == ' ')
		while (width-- > 0)
			put(o, ' ');
	if (neg)
		put(o, '-');
	while (*prefix)
		put(o, *prefix++);
	if (pad == '0')
		while (width-- > 0)
			put(o, '0');
	while (n)
		put(o, digits[--n]);
}

static u64 arg_unsigned(va_list *ap, int longs)
{
	return longs ? va_arg(*ap, u64) : va_arg(*ap, unsigned int);
}

static i64 arg_signed(va_list *ap, int longs)
{
	return longs ? va_arg(*ap, i64) : va_arg(*ap, int);
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list args;

	va_copy(args, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		bool alt = false;
		char pad = ' ';
		int width = 0, longs = 0;
		fmt++;
		if (*fmt == '#')
			alt = true, fmt++;
		if (*fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l')
			longs++, fmt++;
		switch (*fmt) {
		case 'd':
		case 'i': {
			i64 v = arg_signed(&args, longs);
			put_num(&o, v < 0 ? -(u64)v : (u64)v, 10, width, pad, v < 0, "");
			break;
		}
		case 'u':
			put_num(&o, arg_unsigned(&args, longs), 10, width, pad, false, "");
			break;
		case 'x':
			put_num(&o, arg_unsigned(&args, longs), 16, width, pad, false, alt ? "0x" : "");
			break;
		case 'p':
			put_num(&o, (u64)va_arg(args, void *), 16, width, pad, false, "0x");
			break;
		case 'c':
			put(&o, (char)va_arg(args, int));
			break;
		case 's': {
			const char *s = va_arg(args, const char *);
			for (s = s ? s : "(null)"; *s; s++)
				put(&o, *s);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			if (!*fmt)
				fmt--;
		}
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void kprintf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	serial_write(buf, MIN((size_t)n, sizeof(buf) - 1));
}

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf("\r\nkernel panic: %s\r\n", msg);
	trace_panic(msg);
	power_off(126);
}
