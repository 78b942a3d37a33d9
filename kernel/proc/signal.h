/* Signals with Linux x86_64 semantics (signal.c): per-process handlers, mask
 * and pending set; generation (kill, faults, the terminal, child exit) and
 * delivery on every return to user mode. */
#ifndef PROC_SIGNAL_H
#define PROC_SIGNAL_H

#include "lib/types.h"
#include "lib/errno.h"
#include "arch/x86_64/trapframe.h"

#define NSIG 64
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22

#define SIGBIT(s) (1ULL << ((s) - 1))

/* si_code values the kernel generates (Linux's). */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_TKILL (-6)
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/* struct sigaction as the x86_64 rt_sigaction call passes it. */
struct ksigaction {
	u64 handler;                  /* SIG_DFL (0), SIG_IGN (1) or an address */
	u64 flags;
	u64 restorer;
	u64 mask;
};

/* What the kernel knows about one pending signal: who sent it and why. */
struct ksiginfo {
	int code;                     /* si_code */
	int pid;                      /* sender (or the child, for SIGCHLD); 0 = kernel */
	int status;                   /* SIGCHLD: exit code or signal */
	u64 addr;                     /* faults: the address */
};

struct sigstate {
	struct ksigaction act[NSIG];  /* index sig - 1 */
	struct ksiginfo info[NSIG];   /* for each pending signal (standard signals do not queue) */
	u64 pending, blocked;
	u64 saved;                    /* rt_sigsuspend: mask to put back after it */
	bool restore_saved;
	u64 ss_sp, ss_size;           /* sigaltstack */
	int ss_flags;
	u64 alarm_at, alarm_every;    /* ITIMER_REAL: tick it fires at (0 = off), reload */
	int stop_report;              /* wait4 WUNTRACED: stop signal not yet reported */
	bool cont_report;             /* wait4 WCONTINUED: continue not yet reported */
	/* Linux's restart block: how restart_syscall resumes the interrupted
	 * sleep when no handler runs (NULL: the call restarts whole). */
	long (*restart_fn)(void);
	u64 restart_deadline;         /* clock_ns() the sleep ends at */
	uptr restart_rem;             /* where the time left goes (0: nowhere) */
};

struct proc;

/* An interruptible sleep is ending with -ERESTART_RESTARTBLOCK: if no handler
 * runs, restart_syscall calls fn, which reads the deadline and rem back. */
void signal_set_restart(long (*fn)(void), u64 deadline, uptr rem);

/* Send sig to p; info may be NULL (sent by the kernel).  from is the pid the
 * trace names as the sender (0 = kernel). */
void signal_send(struct proc *p, int sig, const struct ksiginfo *info);
/* Send sig to every process of group pgid; the count of processes. */
int signal_send_group(int pgid, int sig, const struct ksiginfo *info);
/* A CPU exception in user mode: sig is delivered even if blocked or ignored
 * (then with the default action, as Linux's force_sig). */
void signal_fault(struct trapframe *tf, int sig, u64 addr);
/* A child changed state: SIGCHLD to its parent (unless SA_NOCLDSTOP for stops). */
void signal_child(struct proc *child, int code, int status);

/* True when a signal the caller does not block is pending: blocking calls
 * return -ERESTARTSYS then. */
bool signal_pending(void);
/* sleep_on(chan), interruptible: 0, or -ERESTARTSYS when a signal is pending
 * (checked before sleeping and after each wakeup). */
int sleep_intr(void *chan);

/* rt_sigsuspend, ppoll: mask is the blocked set until the call returns to
 * user mode (signal_return_to_user puts the old one back, or the handler's
 * frame carries it). */
void signal_mask_while_waiting(u64 mask);

/* The return to user mode, from a syscall or a trap: finish an interrupted
 * call (EINTR or restart), take default actions, build a handler's frame.
 * May not return (the process dies or stops until continued). */
void signal_return_to_user(struct trapframe *tf);

/* Whether the return from a system call that left ret in tf->rax needs
 * signal_return_to_user: a signal to deliver, a call to restart or to end
 * with EINTR, a mask to put back.  Inline: every call asks (syscall.c). */
static inline bool signal_syscall_work(const struct sigstate *s, long ret)
{
	return (s->pending & ~s->blocked) || s->restore_saved ||
	       (ret >= -ERESTART_RESTARTBLOCK && ret <= -ERESTARTSYS);
}

/* The process the system call entry's fast path may return to without
 * reading its signal state (arch/x86_64/syscall.S, where it is defined beside
 * the entry's other words): the last one found with no signal work and no
 * restart block (signal_idle) at a system call's return (syscall.c, or the
 * entry's recheck after a context switch).
 * It saves the fast path a chain of loads through cpu_current (docs/bench.md,
 * "Where a system call's time goes").  So whatever can give any process
 * signal work (a signal made pending, a mask loosened, restore_saved or a
 * restart block set, a new process) calls signal_work_changed(); taking work
 * away needs nothing. */
extern struct proc *cpu_sigclean;

static inline void signal_work_changed(void)
{
	cpu_sigclean = NULL;
}

/* No signal work and no restart block: nothing pending and unblocked, no
 * mask to put back, restart_fn NULL (so the return need not clear it).
 * arch/x86_64/syscall.S (recheck) asks the same four questions. */
static inline bool signal_idle(const struct sigstate *s)
{
	return !(s->pending & ~s->blocked) && !s->restore_saved && !s->restart_fn;
}

/* The return from a system call with no signal work: what
 * signal_return_to_user would do then (finish_syscall with nothing to
 * restart): forget the restart block and mark the frame as no longer a
 * call's. */
static inline void signal_syscall_done(struct sigstate *s, struct trapframe *tf)
{
	if (tf->vector != SYSCALL_VECTOR)
		return;
	s->restart_fn = NULL;
	tf->error = (u64)-1;
}

/* fork: the child inherits handlers and mask, nothing pending. exec: caught
 * handlers go back to default, ignored ones and the mask stay. */
void signal_fork(struct proc *child, const struct proc *parent);
void signal_exec(struct proc *p);
/* Timer tick: fire due alarms. */
void signal_tick(u64 now);

#endif
