/* Kernel heap: small objects from size classes, large ones from whole frames. */
#ifndef MM_KMALLOC_H
#define MM_KMALLOC_H

#include "lib/types.h"

/* NULL when out of memory.  The contents are whatever was there before
 * (another object, or any frame): never copy what was not written to a
 * program; kzalloc when it may be. */
void *kmalloc(size_t n);
void *kzalloc(size_t n);   /* zeroed */
void kfree(void *p);       /* NULL is fine */

#endif
