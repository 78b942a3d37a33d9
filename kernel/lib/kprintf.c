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

/* A conversion's flags: "%#08lx" is alt, pad '0', width 8, longs 1, conv 'x'. */
struct spec {
	bool alt;
	char pad;
	int width, longs;
	char conv;
};

/* Parse the conversion after a '%'; returns where the format continues. */
static const char *parse_spec(const char *fmt, struct spec *sp)
{
	*sp = (struct spec){ false, ' ', 0, 0, 0 };
	if (*fmt == '#')
		sp->alt = true, fmt++;
	if (*fmt == '0')
		sp->pad = '0', fmt++;
	while (*fmt >= '0' && *fmt <= '9')
		sp->width = sp->width * 10 + (*fmt++ - '0');
	while (*fmt == 'l')
		sp->longs++, fmt++;
	sp->conv = *fmt;
	return *fmt ? fmt + 1 : fmt;
}

static void put_conversion(struct out *o, const struct spec *sp, va_list *args)
{
	switch (sp->conv) {
	case 'd':
	case 'i': {
		i64 v = arg_signed(args, sp->longs);
		put_num(o, v < 0 ? -(u64)v : (u64)v, 10, sp->width, sp->pad, v < 0, "");
		break;
	}
	case 'u':
		put_num(o, arg_unsigned(args, sp->longs), 10, sp->width, sp->pad, false, "");
		break;
	case 'o':
		put_num(o, arg_unsigned(args, sp->longs), 8, sp->width, sp->pad, false, sp->alt ? "0" : "");
		break;
	case 'x':
		put_num(o, arg_unsigned(args, sp->longs), 16, sp->width, sp->pad, false, sp->alt ? "0x" : "");
		break;
	case 'p':
		put_num(o, (u64)va_arg(*args, void *), 16, sp->width, sp->pad, false, "0x");
		break;
	case 'c':
		put(o, (char)va_arg(*args, int));
		break;
	case 's': {
		const char *s = va_arg(*args, const char *);
		for (s = s ? s : "(null)"; *s; s++)
			put(o, *s);
		break;
	}
	default:                          /* "%%", or an unknown conversion as written */
		if (sp->conv != '%')
			put(o, '%');
		if (sp->conv)
			put(o, sp->conv);
	}
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp);
		put_conversion(&o, &sp, &args);
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
	power_off(POWER_OFF_PANIC);
}
