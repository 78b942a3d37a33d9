/* System call dispatch, the slow path: look the number up in the generated
 * table, call the entry with the six argument registers, record it when
 * tracing.  The entry (arch/x86_64/syscall.S) comes here with a complete
 * trapframe when tracing is on, for calls that copy or rewrite the frame, and
 * for numbers with no handler; other calls take its fast path.
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
#include "syscall/fastpath.h"

/* The numbers the entry's fast path uses (fastpath.h) match the structures. */
#define OFF_OK(field, n) _Static_assert(__builtin_offsetof(struct proc, field) == (n), #field)
OFF_OK(sig.pending, PROC_SIG_PENDING);
OFF_OK(sig.blocked, PROC_SIG_BLOCKED);
OFF_OK(sig.restore_saved, PROC_SIG_RESTORE_SAVED);
OFF_OK(sig.restart_fn, PROC_SIG_RESTART_FN);
_Static_assert(sizeof(((struct proc *)0)->sig.restore_saved) == 1, "restore_saved: cmpb");
_Static_assert(sizeof(((struct proc *)0)->sig.restart_fn) == 8, "restart_fn: cmpq");
#define TF_OK(field, n) _Static_assert(__builtin_offsetof(struct trapframe, field) == (n), #field)
TF_OK(r11, TF_R11); TF_OK(rcx, TF_RCX); TF_OK(rax, TF_RAX); TF_OK(rdi, TF_RDI);
TF_OK(rsi, TF_RSI); TF_OK(rdx, TF_RDX); TF_OK(r10, TF_R10); TF_OK(r8, TF_R8);
TF_OK(r9, TF_R9); TF_OK(vector, TF_VECTOR); TF_OK(error, TF_ERROR); TF_OK(rip, TF_RIP);
TF_OK(cs, TF_CS); TF_OK(rflags, TF_RFLAGS); TF_OK(rsp, TF_RSP); TF_OK(ss, TF_SS);
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trapframe size");
_Static_assert(TF_CALLEE_SAVED == TF_R11, "callee-saved words come first");

/* The return's signal work, for a call numbered nr that left its result
 * in tf->rax: deliver a signal, put a mask back or set up a restart
 * (signal_return_to_user), or else mark the frame as no longer a call's.
 * Then, if the caller is left with no signal work, the entry's fast path
 * may skip the test next time (cpu_sigclean, proc/signal.h). */
static inline void syscall_finish(struct trapframe *tf, u64 nr)
{
	struct proc *p = myproc();

	if (signal_syscall_work(&p->sig, (long)tf->rax)) {
		tf->error = nr;         /* Linux's orig_rax: what a restart runs again */
		signal_return_to_user(tf);
	} else
		signal_syscall_done(&p->sig, tf);
	if (signal_idle(&p->sig))
		cpu_sigclean = p;
}

/* Returns nonzero when the return must restore every register (IRETQ):
 * after rt_sigreturn, which rewrote rcx and r11 too.  On the entry's page
 * (.text.entry, linker.ld), so the entry's call to it is a chained jump. */
__attribute__((section(".text.entry")))
int syscall_dispatch(struct trapframe *tf)
{
	u64 nr = tf->rax;
	const struct syscall_desc *d = syscall_desc_of(nr);
	long ret;

	if (trace_enabled && trace_at_entry(nr, d))
		trace_syscall_enter(nr, d, tf->args);
	ret = d && d->call ? d->call(tf->args) : -ENOSYS;
	tf->rax = (u64)ret;
	if (trace_enabled)
		trace_syscall_exit(nr, d, tf->args, ret);
	syscall_finish(tf, nr);
	return nr == SYS_rt_sigreturn;
}

/* The entry's fast path comes here, on a completed frame, when its tests
 * after the handler found work: the same end as syscall_dispatch's.  A rip
 * SYSRET must not return to is the entry's to handle (full_return). */
void syscall_fast_finish(struct trapframe *tf, u64 nr)
{
	syscall_finish(tf, nr);
}
