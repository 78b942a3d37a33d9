#ifndef ARCH_SERIAL_H
#define ARCH_SERIAL_H

#include "lib/types.h"

void serial_init(void);
void serial_write(const char *s, size_t n);
void serial_irq(void);

#endif
