/* Formatted output: %s %c %d %i %u %o %x %p with l/ll, '#', width and '0'. */
#ifndef LIB_KPRINTF_H
#define LIB_KPRINTF_H

#include <stdarg.h>
#include "lib/types.h"

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));   /* to the serial console */

/* A broken kernel invariant: report on the console and in the trace, power off
 * with the panic status.  Never for anything a user program can cause. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
