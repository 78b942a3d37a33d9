/* Kernel heap: small objects from size classes, large ones from whole frames. */
#ifndef MM_KMALLOC_H
#define MM_KMALLOC_H

#include "lib/types.h"

void *kmalloc(size_t n);   /* NULL when out of memory */
void *kzalloc(size_t n);   /* zeroed */
void kfree(void *p);       /* NULL is fine */

#endif
