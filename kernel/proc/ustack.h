/* The Linux x86-64 process start stack (System V ABI, "Process Initialization").
 *
 * From stack_top down:
 *   argv strings, then envp strings (each NUL-terminated)
 *   16 bytes for AT_RANDOM
 *   padding to 16 bytes
 *   auxv (type, value) pairs ending with AT_NULL
 *   envp[0..envc-1], NULL
 *   argv[0..argc-1], NULL
 *   argc                      <- returned rsp, 16-byte aligned
 * Pure code (no allocation, no state); host tests: kernel/tests/test_ustack.c. */
#ifndef PROC_USTACK_H
#define PROC_USTACK_H

#include "lib/types.h"

/* auxv types (Linux include/uapi/linux/auxvec.h) */
#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_SECURE 23
#define AT_RANDOM 25

#define USTACK_NAUXV 12           /* pairs written, AT_NULL included */

/* Everything the stack carries.  Strings are kernel copies (exec copies them
 * in from the caller before building anything); argv may be NULL when argc is
 * 0, envp when envc is 0; random16 NULL gives 16 zero bytes. */
struct ustack_args {
	const char *const *argv;
	int argc;
	const char *const *envp;
	int envc;
	u64 at_phdr, at_phent, at_phnum, at_entry;
	const u8 *random16;
};

/* Bytes ustack_build uses below a 16-byte aligned stack_top; (size_t)-1 when
 * a count is negative or the total does not fit in a size_t. */
size_t ustack_size_needed(const struct ustack_args *a);

/* Write the start stack into buf, which will be mapped at user addresses
 * [stack_top - buflen, stack_top); every pointer written is a user address.
 * Returns the user rsp for process entry (points at argc, 16-byte aligned),
 * -E2BIG when ustack_size_needed(a) > buflen, or -EINVAL when stack_top is
 * not 16-byte aligned or lies below buflen.  Only the top
 * ustack_size_needed(a) bytes of buf are written. */
long ustack_build(void *buf, size_t buflen, u64 stack_top, const struct ustack_args *a);

#endif
