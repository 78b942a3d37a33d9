/* Pipes: a 4096-byte ring between a read end and a write end. */
#ifndef FS_PIPE_H
#define FS_PIPE_H

#include "lib/types.h"

struct file;

#define PIPE_BUF 4096     /* writes up to this size are atomic */

/* A new pipe: *rd and *wr each hold one reference; flags may carry
 * O_NONBLOCK (for both ends).  Returns 0 or -ENOMEM (nothing allocated). */
int pipe_create(struct file **rd, struct file **wr, u32 flags);

#endif
