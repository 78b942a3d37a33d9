/* The one gate between kernel and user memory.  Every user address is checked
 * (canonical, below the user limit, no wrap, mapped, user-accessible, writable
 * for copyout) against the current process's page table before it is touched.
 * All return 0 (or a length) on success and -EFAULT on a bad address. */
#ifndef MM_USERCOPY_H
#define MM_USERCOPY_H

#include "lib/types.h"

int copyin(void *dst, uptr usrc, size_t n);
int copyout(uptr udst, const void *src, size_t n);
/* Copy a NUL-terminated string of at most max-1 chars; returns its length,
 * -EFAULT, or -ENAMETOOLONG when no NUL is found within max bytes. */
long copyinstr(char *dst, uptr usrc, size_t max);
/* Read one user u64 (e.g. an argv[] slot). */
int fetch_u64(uptr uaddr, u64 *out);

#endif
