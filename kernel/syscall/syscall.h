/* System call descriptors.  gen/syscall_table.c (generated from abi/syscalls.tbl
 * by `make abi`) fills one per table row; dispatch and tracing both read them. */
#ifndef SYSCALL_SYSCALL_H
#define SYSCALL_SYSCALL_H

#include "lib/types.h"
#include "gen/syscall_nr.h"

enum arg_kind {
	ARG_INT, ARG_UINT, ARG_FD, ARG_PID, ARG_SIZE, ARG_OFF, ARG_FLAGS,
	ARG_PTR, ARG_CSTR, ARG_ARGV, ARG_BUF_IN, ARG_BUF_OUT, ARG_IOV_IN,
	ARG_FDS_OUT,
};
enum ret_kind { RET_INT, RET_SIZE, RET_FD, RET_PID, RET_PTR, RET_OFF, RET_NORETURN };
enum syscall_status { SC_ACTIVE, SC_STUB, SC_REMOVED };

struct syscall_arg {
	const char *name;
	u8 kind;          /* enum arg_kind */
	i8 len;           /* BUF_IN/BUF_OUT/IOV_IN: index of the length argument, else -1 */
};

struct syscall_desc {
	u32 nr;
	const char *name;
	long (*call)(const u64 *args);   /* NULL when removed: the kernel answers ENOSYS */
	u8 nargs;
	u8 ret;                          /* enum ret_kind */
	u8 status;                       /* enum syscall_status */
	struct syscall_arg args[6];
};

/* Generated: the descriptor for nr, or NULL when the table has no such row. */
const struct syscall_desc *syscall_lookup(u64 nr);
/* Generated: the same by number, read-only; syscall_desc_of is syscall_lookup
 * inline (the dispatcher's: a call costs QEMU's TCG more than the lookup). */
extern const struct syscall_desc *const syscall_table[SYSCALL_TABLE_LEN];
static inline const struct syscall_desc *syscall_desc_of(u64 nr)
{
	return nr < SYSCALL_TABLE_LEN ? syscall_table[nr] : NULL;
}
/* Generated: the handlers themselves by number, for the entry's fast path
 * (arch/x86_64/syscall.S calls them with the argument registers as they
 * came); NULL where the slow path must run (no row, or a row that needs the
 * whole trapframe: fork, clone, execve, rt_sigreturn). */
typedef void (*syscall_fast_fn)(void);
extern const syscall_fast_fn syscall_fast[SYSCALL_TABLE_LEN];
struct trapframe;
/* The entry's fast path, when the return has work to do (syscall.c). */
void syscall_fast_finish(struct trapframe *tf, u64 nr);
extern const char abi_hash[];        /* first 16 hex digits of sha256(abi/syscalls.tbl) */

#endif
