/* /dev: device nodes in the RAM filesystem (devfs.c). */
#ifndef FS_DEVFS_H
#define FS_DEVFS_H

#include "lib/types.h"

struct inode;

/* Boot, after the initramfs is unpacked: /dev with null, zero, full,
 * random, urandom, tty, console, and the fd, stdin, stdout, stderr links. */
void devfs_init(void);

/* /dev/tty and /dev/console open as the console itself. */
bool devfs_is_console(const struct inode *ip);

/* The /dev/console inode (what /proc/PID/fd/N shows for the console). */
struct inode *devfs_console(void);

#endif
