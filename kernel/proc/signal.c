/* Signals, Linux x86_64 semantics.
 *
 * Generation (signal_send) marks a signal pending in its target and wakes the
 * target if it sleeps interruptibly; a signal its target ignores is dropped
 * at once, as Linux drops it.  Delivery happens on every return to user mode
 * (signal_return_to_user, called by syscall dispatch and by trap()): the
 * lowest pending unblocked signal (faults first) takes its default action or
 * gets a handler frame on the user stack.  The frame is Linux's rt_sigframe
 * (return address = sa_restorer, ucontext with the registers in sigcontext
 * order and a pointer to an fxsave image, siginfo), so libc restorers work.
 * rt_sigreturn takes back only what a user may set.
 *
 * Kernel code runs with interrupts off (proc.h), so nothing here needs locks. */
#include "proc/sched.h"
#include "mm/usercopy.h"
#include "arch/x86_64/arch.h"
#include "trace/trace.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "gen/syscall_decl.h"

#define SIG_DFL 0
#define SIG_IGN 1
#define SA_NOCLDSTOP 1
#define SA_SIGINFO 4
#define SA_RESTORER 0x04000000
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000UL

#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define STOP_SIGS (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))
#define SYNC_SIGS (SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | \
		   SIGBIT(SIGFPE) | SIGBIT(31))
#define USER_LIMIT 0x00007FFFFFFFF000UL     /* first address above user space */
#define NR_RESTART_SYSCALL 219              /* restart_syscall, Linux's number */

enum sigdefault { DEF_TERM, DEF_CORE, DEF_IGN, DEF_STOP, DEF_CONT };

/* Linux's default action for each signal (signal(7)); real-time ones terminate. */
static enum sigdefault default_action(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case 24: case 25: case 31:
		return DEF_CORE;                 /* 24 XCPU, 25 XFSZ, 31 SYS */
	case SIGCHLD: case 23: case 28:
		return DEF_IGN;                  /* 23 URG, 28 WINCH */
	case SIGCONT:
		return DEF_CONT;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return DEF_STOP;
	default:
		return DEF_TERM;
	}
}

static const char *const action_names[] = {
	[DEF_TERM] = "terminate", [DEF_CORE] = "core", [DEF_IGN] = "ignore",
	[DEF_STOP] = "stop", [DEF_CONT] = "continue",
};

/* Whether p drops sig the moment it is sent.  Blocked signals are kept (the
 * handler may change before they are unblocked); init ignores every signal it
 * has no handler for, as Linux's init does, unless a fault forces it. */
static bool ignored_now(const struct proc *p, int sig, bool forced)
{
	const struct ksigaction *ka = &p->sig.act[sig - 1];

	if ((p->sig.blocked & SIGBIT(sig)) && !(UNBLOCKABLE & SIGBIT(sig)))
		return false;
	if (ka->handler == SIG_IGN)
		return true;
	if (ka->handler != SIG_DFL)
		return false;
	if (p->pid == 1 && !forced)
		return true;
	return default_action(sig) == DEF_IGN || default_action(sig) == DEF_CONT;
}

/* SIGCONT and SIGKILL resume a stopped process and cancel pending stops; a
 * stop signal cancels a pending SIGCONT (Linux's prepare_signal). */
static void stop_or_continue(struct proc *p, int sig)
{
	if (STOP_SIGS & SIGBIT(sig)) {
		p->sig.pending &= ~SIGBIT(SIGCONT);
		return;
	}
	if (sig != SIGCONT && sig != SIGKILL)
		return;
	p->sig.pending &= ~STOP_SIGS;
	if (p->state != P_STOPPED)
		return;
	p->state = P_RUNNABLE;
	if (sig == SIGCONT) {
		p->sig.stop_report = 0;
		p->sig.cont_report = true;
		signal_child(p, CLD_CONTINUED, SIGCONT);
	}
}

static void post(struct proc *p, int sig, const struct ksiginfo *info, bool forced)
{
	static const struct ksiginfo from_kernel = { .code = SI_KERNEL };
	struct proc *me = myproc();
	bool ignored;

	if (p->state == P_ZOMBIE || p->state == P_EMBRYO)
		return;
	stop_or_continue(p, sig);
	ignored = ignored_now(p, sig, forced);
	info = info ? info : &from_kernel;
	trace_signal(info->code == SI_KERNEL || !me ? 0 : me->pid, p->pid, sig, info->code, ignored);
	if (ignored)
		return;
	p->sig.pending |= SIGBIT(sig);
	p->sig.info[sig - 1] = *info;
	signal_work_changed();
	if (!(p->sig.blocked & SIGBIT(sig)) && p->state == P_SLEEPING)
		p->state = P_RUNNABLE;       /* its sleep_intr() returns -ERESTARTSYS */
}

void signal_send(struct proc *p, int sig, const struct ksiginfo *info)
{
	post(p, sig, info, false);
}

int signal_send_group(int pgid, int sig, const struct ksiginfo *info)
{
	struct proc *p;
	int n = 0;

	for_each_proc(p) {
		if (p->state == P_ZOMBIE || p->state == P_EMBRYO || p->pgid != pgid)
			continue;
		if (sig)
			post(p, sig, info, false);
		n++;
	}
	return n;
}

/* Make sig kill or reach the current process whatever its mask and handler
 * say, as Linux's force_sig: blocked or ignored becomes default, unblocked. */
static void force_signal(int sig, const struct ksiginfo *info)
{
	struct proc *p = myproc();
	struct ksigaction *ka = &p->sig.act[sig - 1];

	if (ka->handler == SIG_IGN || (p->sig.blocked & SIGBIT(sig))) {
		ka->handler = SIG_DFL;
		p->sig.blocked &= ~SIGBIT(sig);
		signal_work_changed();
	}
	post(p, sig, info, true);
}

void signal_fault(struct trapframe *tf, int sig, u64 addr)
{
	struct ksiginfo info = { .code = SI_KERNEL, .addr = addr };

	if (tf->vector == 14)
		info.code = (tf->error & 1) ? 2 : 1;     /* SEGV_ACCERR : SEGV_MAPERR */
	trace_fault(myproc()->pid, tf, sig, addr);
	force_signal(sig, &info);
	myproc()->sig.info[sig - 1].code = info.code;
}

void signal_child(struct proc *child, int code, int status)
{
	struct proc *parent = child->parent;
	struct ksiginfo info = { .code = code, .pid = child->pid, .status = status };

	if (!parent)
		return;
	wakeup(parent);                  /* wait4 sleeps on the parent */
	if (code != CLD_EXITED && code != CLD_KILLED &&
	    (parent->sig.act[SIGCHLD - 1].flags & SA_NOCLDSTOP))
		return;
	post(parent, SIGCHLD, &info, false);
}

bool signal_pending(void)
{
	struct proc *p = myproc();

	return (p->sig.pending & ~p->sig.blocked) != 0;
}

int sleep_intr(void *chan)
{
	if (signal_pending())
		return -ERESTARTSYS;
	sleep_on(chan);
	return signal_pending() ? -ERESTARTSYS : 0;
}

/* ---- The frame on the user stack (Linux's struct rt_sigframe, x86_64) ---- */

struct usigcontext {
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	u16 cs, gs, fs, ss;
	u64 err, trapno, oldmask, cr2;
	u64 fpstate;                      /* user address of the fxsave image, 0 = none */
	u64 reserved1[8];
};

struct ustack {
	u64 ss_sp;
	i32 ss_flags;
	u32 pad;
	u64 ss_size;
};

struct uucontext {
	u64 uc_flags;
	u64 uc_link;
	struct ustack uc_stack;
	struct usigcontext uc_mcontext;
	u64 uc_sigmask;
};

struct usiginfo {
	i32 si_signo, si_errno, si_code, pad;
	union {
		struct { i32 pid; u32 uid; i32 status; } kill;   /* and SIGCHLD */
		u64 addr;                                         /* faults */
		u8 bytes[112];
	} u;
};

struct rt_sigframe {
	u64 pretcode;                     /* sa_restorer: the handler returns into it */
	struct uucontext uc;
	struct usiginfo info;
};

_Static_assert(sizeof(struct usigcontext) == 256, "sigcontext is Linux's 256 bytes");
_Static_assert(sizeof(struct usiginfo) == 128, "siginfo is 128 bytes");
_Static_assert(__builtin_offsetof(struct rt_sigframe, info) == 312, "rt_sigframe layout");

#define UC_SIGCONTEXT_SS 2
#define UC_STRICT_RESTORE_SS 4
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define MINSIGSTKSZ 2048
#define FXSAVE_SIZE 512
#define MXCSR_OFFSET 24
/* The RFLAGS bits a frame may change (Linux's FIX_EFLAGS): arithmetic flags,
 * DF, TF, RF, AC.  IF, IOPL, NT, VM and the rest keep the kernel's values. */
#define USER_RFLAGS 0x50DD5UL

static bool on_altstack(const struct proc *p, u64 sp)
{
	return p->sig.ss_size && sp > p->sig.ss_sp && sp - p->sig.ss_sp <= p->sig.ss_size;
}

static void fill_context(struct usigcontext *sc, const struct trapframe *tf, u64 mask, u64 addr)
{
	*sc = (struct usigcontext){
		.r8 = tf->r8, .r9 = tf->r9, .r10 = tf->r10, .r11 = tf->r11,
		.r12 = tf->r12, .r13 = tf->r13, .r14 = tf->r14, .r15 = tf->r15,
		.rdi = tf->rdi, .rsi = tf->rsi, .rbp = tf->rbp, .rbx = tf->rbx,
		.rdx = tf->rdx, .rax = tf->rax, .rcx = tf->rcx, .rsp = tf->rsp,
		.rip = tf->rip, .eflags = tf->rflags, .cs = GDT_UCODE, .ss = GDT_UDATA,
		.oldmask = mask, .cr2 = addr,
	};
	if (tf->vector < 32) {
		sc->err = tf->error;
		sc->trapno = tf->vector;
	}
}

static void fill_info(struct usiginfo *si, int sig, const struct ksiginfo *info)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = info->code;
	if (SYNC_SIGS & SIGBIT(sig) && info->code != SI_USER && info->code != SI_TKILL) {
		si->u.addr = info->addr;
		return;
	}
	si->u.kill.pid = info->pid;
	si->u.kill.status = info->status;
}

/* Where the frame goes: the alternate stack if the handler asks for it and we
 * are not on it yet, else below the red zone of the interrupted stack. */
static u64 frame_top(const struct proc *p, const struct ksigaction *ka, u64 sp)
{
	if ((ka->flags & SA_ONSTACK) && p->sig.ss_size && !on_altstack(p, sp))
		return p->sig.ss_sp + p->sig.ss_size;
	return sp - 128;
}

/* Write the frame for sig below the user stack and point the registers at
 * the handler; -EFAULT (nothing changed) when the stack cannot take it. */
static int setup_frame(struct trapframe *tf, int sig, const struct ksigaction *ka,
		       const struct ksiginfo *info, u64 oldmask)
{
	struct proc *p = myproc();
	struct rt_sigframe f;
	u64 fp = (frame_top(p, ka, tf->rsp) - FXSAVE_SIZE) & ~63UL;
	u64 sp = ((fp - sizeof(f) + 8) & ~15UL) - 8;   /* as after a call: rsp+8 aligned */

	/* A handler outside the user half would make IRETQ fault in ring 0 on a
	 * non-canonical rip (real CPUs check; QEMU's TCG does not): refused,
	 * which ends in SIGSEGV as Linux's bad-IRET fixup does. */
	if (!(ka->flags & SA_RESTORER) || ka->handler >= USER_LIMIT || fp >= USER_LIMIT || sp >= fp)
		return -EFAULT;
	memset(&f, 0, sizeof(f));
	f.pretcode = ka->restorer;
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	f.uc.uc_stack.ss_sp = p->sig.ss_sp;
	f.uc.uc_stack.ss_size = p->sig.ss_size;
	f.uc.uc_stack.ss_flags = !p->sig.ss_size ? SS_DISABLE : on_altstack(p, tf->rsp) ? SS_ONSTACK : 0;
	fill_context(&f.uc.uc_mcontext, tf, oldmask, info->addr);
	f.uc.uc_mcontext.fpstate = fp;
	f.uc.uc_sigmask = oldmask;
	fill_info(&f.info, sig, info);
	fpu_save(p->fpu);
	if (copyout(fp, p->fpu, FXSAVE_SIZE) < 0 || copyout(sp, &f, sizeof(f)) < 0)
		return -EFAULT;
	tf->rdi = (u64)sig;
	tf->rsi = sp + __builtin_offsetof(struct rt_sigframe, info);
	tf->rdx = sp + __builtin_offsetof(struct rt_sigframe, uc);
	tf->rax = 0;
	tf->rsp = sp;
	tf->rip = ka->handler;
	tf->cs = GDT_UCODE;
	tf->ss = GDT_UDATA;
	tf->rflags &= ~((1UL << 8) | (1UL << 10) | (1UL << 16));   /* TF, DF, RF */
	fpu_init_state(p->fpu);          /* the handler starts with clean x87/SSE */
	fpu_restore(p->fpu);
	return 0;
}

/* ---- rt_sigreturn: take back only what a user may set ---- */

/* The fxsave image at ufp into p->fpu, refused (-EFAULT) when FXRSTOR would
 * fault on it (reserved MXCSR bits).  ufp 0 means a clean state. */
static int restore_fpu(struct proc *p, u64 ufp)
{
	u8 img[FXSAVE_SIZE] __attribute__((aligned(16)));
	u32 mxcsr;

	if (!ufp) {
		fpu_init_state(p->fpu);
		return 0;
	}
	if ((ufp & 15) || copyin(img, ufp, sizeof(img)) < 0)
		return -EFAULT;
	memcpy(&mxcsr, img + MXCSR_OFFSET, sizeof(mxcsr));
	if (mxcsr & ~fpu_mxcsr_mask())
		return -EFAULT;
	memcpy(p->fpu, img, sizeof(img));
	return 0;
}

/* Registers from a user sigcontext, refusing a kernel code selector and a
 * non-canonical rip (IRET would fault in ring 0). */
static int restore_context(struct trapframe *tf, const struct usigcontext *sc)
{
	if ((sc->cs | 3) != GDT_UCODE || sc->rip >= USER_LIMIT)
		return -EFAULT;
	tf->r8 = sc->r8; tf->r9 = sc->r9; tf->r10 = sc->r10; tf->r11 = sc->r11;
	tf->r12 = sc->r12; tf->r13 = sc->r13; tf->r14 = sc->r14; tf->r15 = sc->r15;
	tf->rdi = sc->rdi; tf->rsi = sc->rsi; tf->rbp = sc->rbp; tf->rbx = sc->rbx;
	tf->rdx = sc->rdx; tf->rax = sc->rax; tf->rcx = sc->rcx; tf->rsp = sc->rsp;
	tf->rip = sc->rip;
	tf->rflags = (tf->rflags & ~USER_RFLAGS) | (sc->eflags & USER_RFLAGS);
	tf->cs = GDT_UCODE;
	tf->ss = GDT_UDATA;
	tf->error = (u64)-1;             /* not in a syscall: nothing to restart */
	return 0;
}

long sys_rt_sigreturn(void)
{
	struct proc *p = myproc();
	struct trapframe *tf = p->tf;
	struct uucontext uc;
	u64 frame = tf->rsp - 8;         /* the handler's ret popped pretcode */

	if (copyin(&uc, frame + __builtin_offsetof(struct rt_sigframe, uc), sizeof(uc)) < 0 ||
	    restore_fpu(p, uc.uc_mcontext.fpstate) < 0 ||
	    restore_context(tf, &uc.uc_mcontext) < 0) {
		force_signal(SIGSEGV, NULL);
		return 0;                     /* Linux's answer to a refused frame */
	}
	fpu_restore(p->fpu);
	p->sig.blocked = uc.uc_sigmask & ~UNBLOCKABLE;
	signal_work_changed();
	return (long)tf->rax;
}

/* ---- Delivery on return to user mode ---- */

/* The lowest pending signal not blocked, faults first; 0 when none. */
static int dequeue(struct proc *p, struct ksiginfo *info)
{
	u64 ready = p->sig.pending & ~p->sig.blocked;
	int sig;

	if (!ready)
		return 0;
	if (ready & SYNC_SIGS)
		ready &= SYNC_SIGS;
	sig = __builtin_ctzll(ready) + 1;
	p->sig.pending &= ~SIGBIT(sig);
	*info = p->sig.info[sig - 1];
	return sig;
}

/* A syscall that returned a restart code: EINTR, or back up over the
 * SYSCALL instruction (2 bytes) to run it again (an interrupted sleep as
 * restart_syscall, which keeps its deadline).  ka is the handler about to
 * run, NULL when none runs.  Once per syscall. */
static void finish_syscall(struct trapframe *tf, const struct ksigaction *ka)
{
	long ret = (long)tf->rax;
	bool resume = false;

	if (tf->vector != SYSCALL_VECTOR || (i64)tf->error < 0)
		return;
	switch (-ret) {
	case ERESTART_RESTARTBLOCK:
		if (!ka && myproc()->sig.restart_fn) {
			tf->rax = NR_RESTART_SYSCALL;    /* resume, keeping the deadline */
			tf->rip -= 2;
			resume = true;
			break;
		}
		/* fallthrough */
	case ERESTARTNOHAND:
		if (ka) {
			tf->rax = (u64)-EINTR;
			break;
		}
		/* fallthrough */
	case ERESTARTSYS:
		if (ka && !(ka->flags & SA_RESTART)) {
			tf->rax = (u64)-EINTR;
			break;
		}
		/* fallthrough */
	case ERESTARTNOINTR:
		tf->rax = tf->error;
		tf->rip -= 2;
		break;
	}
	if (!resume)
		myproc()->sig.restart_fn = NULL;      /* not to be used */
	tf->error = (u64)-1;
}

void signal_set_restart(long (*fn)(void), u64 deadline, uptr rem)
{
	struct sigstate *s = &myproc()->sig;

	s->restart_fn = fn;
	s->restart_deadline = deadline;
	s->restart_rem = rem;
	signal_work_changed();
}

/* restart_syscall(2): the interrupted sleep's own continuation, once; EINTR
 * when there is none (Linux's do_no_restart_syscall). */
long sys_restart_syscall(void)
{
	struct sigstate *s = &myproc()->sig;
	long (*fn)(void) = s->restart_fn;

	s->restart_fn = NULL;
	return fn ? fn() : -EINTR;
}

/* Stop until SIGCONT or SIGKILL (stop_or_continue makes us runnable). */
static void stop(struct proc *p, int sig)
{
	p->sig.stop_report = sig;
	p->sig.cont_report = false;
	signal_child(p, CLD_STOPPED, sig);
	p->state = P_STOPPED;
	sched();
}

/* Run sig's handler: 0, or -EFAULT when its frame could not be written. */
static int run_handler(struct trapframe *tf, int sig, struct ksigaction *ka,
		       const struct ksiginfo *info)
{
	struct proc *p = myproc();
	u64 oldmask = p->sig.restore_saved ? p->sig.saved : p->sig.blocked;

	finish_syscall(tf, ka);
	if (setup_frame(tf, sig, ka, info, oldmask) < 0)
		return -EFAULT;
	p->sig.restore_saved = false;
	p->sig.blocked |= ka->mask | ((ka->flags & SA_NODEFER) ? 0 : SIGBIT(sig));
	p->sig.blocked &= ~UNBLOCKABLE;
	if (ka->flags & SA_RESETHAND)
		*ka = (struct ksigaction){ 0 };
	trace_sigdeliver(p->pid, sig, "handler");
	return 0;
}

/* sig's default action for p; returns only for ignore, continue and stop. */
static void take_default(struct proc *p, int sig)
{
	enum sigdefault d = default_action(sig);

	trace_sigdeliver(p->pid, sig, action_names[d]);
	if (d == DEF_STOP)
		stop(p, sig);
	else if (d == DEF_TERM || d == DEF_CORE)
		proc_exit(sig);          /* no core is written, so no 0x80 bit (RLIMIT_CORE 0) */
}

/* sig's handler frame could not be built (bad stack, no restorer): SIGSEGV,
 * as Linux's force_sigsegv.  When sig is SIGSEGV itself its handler goes
 * back to the default first: its frame would fail the same way, and this
 * loop would retry it for ever with interrupts off (the machine hung). */
static void frame_failed(struct proc *p, int sig)
{
	if (sig == SIGSEGV)
		p->sig.act[SIGSEGV - 1].handler = SIG_DFL;
	force_signal(SIGSEGV, NULL);
}

void signal_return_to_user(struct trapframe *tf)
{
	struct proc *p = myproc();
	struct ksiginfo info;
	int sig;

	while ((sig = dequeue(p, &info)) != 0) {
		struct ksigaction *ka = &p->sig.act[sig - 1];

		if (ka->handler == SIG_IGN) {
			trace_sigdeliver(p->pid, sig, "ignore");
		} else if (ka->handler != SIG_DFL) {
			if (run_handler(tf, sig, ka, &info) == 0)
				return;
			frame_failed(p, sig);
		} else if (p->pid == 1 && !(SYNC_SIGS & SIGBIT(sig))) {
			trace_sigdeliver(p->pid, sig, "ignore");
		} else {
			take_default(p, sig);
		}
	}
	finish_syscall(tf, NULL);
	if (p->sig.restore_saved) {
		p->sig.blocked = p->sig.saved;
		p->sig.restore_saved = false;
		signal_work_changed();
	}
}

/* ---- Inheritance ---- */

void signal_fork(struct proc *child, const struct proc *parent)
{
	child->sig = parent->sig;
	child->sig.pending = 0;
	child->sig.restore_saved = false;
	child->sig.alarm_at = child->sig.alarm_every = 0;   /* timers are not inherited */
	child->sig.stop_report = 0;
	child->sig.cont_report = false;
	child->sig.restart_fn = NULL;
	signal_work_changed();         /* child may reuse a freed proc's address */
}

void signal_exec(struct proc *p)
{
	for (int i = 0; i < NSIG; i++)
		if (p->sig.act[i].handler != SIG_IGN)
			p->sig.act[i] = (struct ksigaction){ 0 };
	p->sig.ss_sp = p->sig.ss_size = 0;
	p->sig.ss_flags = 0;
}
