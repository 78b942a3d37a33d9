/* Syscall tracing: one JSON line per record on the debug port (docs/trace-format.md). */
#ifndef TRACE_TRACE_H
#define TRACE_TRACE_H

#include "lib/types.h"
#include "arch/x86_64/trapframe.h"
#include "syscall/syscall.h"
#include "gen/syscall_nr.h"

#define TRACE_FORMAT 3         /* 3: signal records; 2: strings whole (1 cut them at 255 bytes) */
#define TRACE_BUF_CUT 4096      /* buffer bytes recorded before "trunc" */

extern bool trace_enabled;      /* set once at boot from the command line, before
                                  * syscall_init picks the entry by it (cpu.c) */

/* The output channel (channel.c): shared memory when QEMU provides it, else
 * the debug console port. */
void trace_channel_init(void);
void trace_write(const void *buf, size_t n);

void trace_boot(const char *cmdline);
/* Called around every system call when tracing is on.  d is NULL for a number
 * the table does not know.  Entry has work only where trace_at_entry says. */
void trace_syscall_enter(u64 nr, const struct syscall_desc *d, const u64 *args);
/* execve (its arguments are decoded before it replaces them) and calls that
 * never return (recorded at entry). */
static inline bool trace_at_entry(u64 nr, const struct syscall_desc *d)
{
	return nr == SYS_execve || (d && d->ret == RET_NORETURN && d->call);
}
void trace_syscall_exit(u64 nr, const struct syscall_desc *d, const u64 *args, long ret);
void trace_proc_exit(int pid, int status);
void trace_fault(int pid, const struct trapframe *tf, int signal, u64 addr);
/* A signal was sent: by process from (0: by the kernel, the terminal or a
 * timer) to process to; ignored when its target dropped it at once. */
void trace_signal(int from, int to, int sig, int code, bool ignored);
/* A signal reached pid: action is "handler", "ignore", "terminate", "core",
 * "stop" or "continue". */
void trace_sigdeliver(int pid, int sig, const char *action);
void trace_panic(const char *msg);
void trace_halt(int status);

#endif
