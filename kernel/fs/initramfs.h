/* The initramfs: the boot archive (cpio newc, read by cpio.c) unpacked into
 * the RAM filesystem, as Linux's populate_rootfs does. */
#ifndef FS_INITRAMFS_H
#define FS_INITRAMFS_H

#include "lib/types.h"

/* Boot: create every member of the archive under the root (the archive must
 * stay mapped: file contents are read from it in place until changed).
 * Returns the members unpacked; a malformed archive stops the unpacking
 * where the damage starts, keeping what came before. */
int initramfs_unpack(const void *archive, size_t len);

#endif
