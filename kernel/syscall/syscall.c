/* System call dispatch: look the number up in the generated table, call the
 * entry with the six argument registers, record it when tracing. */
#include "syscall/syscall.h"
#include "arch/x86_64/arch.h"
#include "trace/trace.h"
#include "proc/signal.h"
#include "gen/syscall_nr.h"
#include "lib/errno.h"

int syscall_dispatch(struct trapframe *tf)
{
	const u64 args[6] = { tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9 };
	u64 nr = tf->rax;
	const struct syscall_desc *d = syscall_lookup(nr);
	long ret;

	if (trace_enabled)
		trace_syscall_enter(nr, d, args);
	ret = d && d->call ? d->call(args) : -ENOSYS;
	tf->rax = (u64)ret;
	if (trace_enabled)
		trace_syscall_exit(nr, d, args, ret);
	tf->error = nr;                 /* Linux's orig_rax: what a restart runs again */
	signal_return_to_user(tf);
	/* rt_sigreturn rewrote every register, rcx and r11 too: SYSRET would lose them. */
	return nr == SYS_rt_sigreturn;
}
