/* System call dispatch: look the number up in the generated table, call the
 * entry with the six argument registers, record it when tracing.
 *
 * Speed: every call and return in this path costs QEMU's TCG a lookup of the
 * next translated block, about as much as the rest of a getpid (docs/bench.md,
 * "getpid / floor").  So the arguments are read in place in the trapframe
 * (no copy), and the common return, with no signal work, is decided inline. */
#include "syscall/syscall.h"
#include "arch/x86_64/arch.h"
#include "trace/trace.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "gen/syscall_nr.h"
#include "lib/errno.h"

/* Returns nonzero when the return must restore every register (IRETQ):
 * after rt_sigreturn, which rewrote rcx and r11 too.  On the entry's page
 * (.text.entry, linker.ld), so the entry's call to it is a chained jump. */
__attribute__((section(".text.entry")))
int syscall_dispatch(struct trapframe *tf)
{
	u64 nr = tf->rax;
	const struct syscall_desc *d = syscall_desc_of(nr);
	struct proc *p;
	long ret;

	if (trace_enabled && trace_at_entry(nr, d))
		trace_syscall_enter(nr, d, tf->args);
	ret = d && d->call ? d->call(tf->args) : -ENOSYS;
	tf->rax = (u64)ret;
	if (trace_enabled)
		trace_syscall_exit(nr, d, tf->args, ret);
	p = myproc();
	if (signal_syscall_work(&p->sig, ret)) {
		tf->error = nr;         /* Linux's orig_rax: what a restart runs again */
		signal_return_to_user(tf);
	} else
		signal_syscall_done(&p->sig, tf);
	return nr == SYS_rt_sigreturn;
}
