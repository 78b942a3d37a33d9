/* The signal system calls: handlers, mask, waiting, sending, alarms.
 * The machinery they drive (generation, delivery, frames) is in signal.c. */
#include "proc/sched.h"
#include "mm/usercopy.h"
#include "arch/x86_64/arch.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "gen/syscall_decl.h"

#define SIG_DFL 0
#define SIG_IGN 1
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1U << 31)
#define MINSIGSTKSZ 2048
#define ITIMER_REAL 0
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define TICK_US (1000000 / TIMER_HZ)

static bool valid_signal(long sig)
{
	return sig >= 1 && sig <= NSIG;
}

/* Whether the default action of sig is to ignore it (SIGCHLD, SIGURG,
 * SIGWINCH; SIGCONT's only effect happens when it is sent). */
static bool default_ignores(int sig)
{
	return sig == SIGCHLD || sig == 23 || sig == 28 || sig == SIGCONT;
}

long sys_rt_sigaction(long sig, uptr act, uptr oldact, u64 sigsetsize)
{
	struct proc *p = myproc();
	struct ksigaction new, *ka;

	if (sigsetsize != sizeof(u64) || !valid_signal(sig))
		return -EINVAL;
	if (act && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (act && copyin(&new, act, sizeof(new)) < 0)
		return -EFAULT;
	ka = &p->sig.act[sig - 1];
	if (oldact && copyout(oldact, ka, sizeof(*ka)) < 0)
		return -EFAULT;
	if (!act)
		return 0;
	new.mask &= ~UNBLOCKABLE;
	*ka = new;
	/* Setting a signal to be ignored discards it if pending (POSIX). */
	if (new.handler == SIG_IGN || (new.handler == SIG_DFL && default_ignores((int)sig)))
		p->sig.pending &= ~SIGBIT(sig);
	return 0;
}

long sys_rt_sigprocmask(long how, uptr set, uptr oldset, u64 sigsetsize)
{
	struct proc *p = myproc();
	u64 old = p->sig.blocked, new;

	if (sigsetsize != sizeof(u64))
		return -EINVAL;
	if (set) {
		if (copyin(&new, set, sizeof(new)) < 0)
			return -EFAULT;
		if (how == SIG_BLOCK)
			new = old | new;
		else if (how == SIG_UNBLOCK)
			new = old & ~new;
		else if (how != SIG_SETMASK)
			return -EINVAL;
		p->sig.blocked = new & ~UNBLOCKABLE;
		signal_work_changed();
	}
	if (oldset && copyout(oldset, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

long sys_rt_sigpending(uptr set, u64 sigsetsize)
{
	struct proc *p = myproc();
	u64 pending = p->sig.pending & p->sig.blocked;

	if (sigsetsize > sizeof(u64))
		return -EINVAL;
	return copyout(set, &pending, sigsetsize) < 0 ? -EFAULT : 0;
}

void signal_mask_while_waiting(u64 mask)
{
	struct proc *p = myproc();

	p->sig.saved = p->sig.blocked;
	p->sig.restore_saved = true;
	p->sig.blocked = mask & ~UNBLOCKABLE;
	signal_work_changed();
}

/* Sleep with the given mask until a signal is delivered; the old mask comes
 * back after the handler (the frame carries it) or at once if none runs. */
long sys_rt_sigsuspend(uptr mask, u64 sigsetsize)
{
	struct proc *p = myproc();
	u64 m;

	if (sigsetsize != sizeof(u64))
		return -EINVAL;
	if (copyin(&m, mask, sizeof(m)) < 0)
		return -EFAULT;
	signal_mask_while_waiting(m);
	while (!signal_pending())
		sleep_on(&p->sig);
	return -ERESTARTNOHAND;
}

long sys_pause(void)
{
	struct proc *p = myproc();

	while (!signal_pending())
		sleep_on(&p->sig);
	return -ERESTARTNOHAND;
}

struct ustack_t {
	u64 ss_sp;
	i32 ss_flags;
	u32 pad;
	u64 ss_size;
};

static bool on_altstack(const struct proc *p, u64 sp)
{
	return p->sig.ss_size && sp > p->sig.ss_sp && sp - p->sig.ss_sp <= p->sig.ss_size;
}

long sys_sigaltstack(uptr uss, uptr uold)
{
	struct proc *p = myproc();
	bool on = on_altstack(p, p->tf->rsp);
	struct ustack_t old = { p->sig.ss_sp, on ? SS_ONSTACK : p->sig.ss_size ? 0 : SS_DISABLE, 0,
				p->sig.ss_size }, ss;

	if (uss && copyin(&ss, uss, sizeof(ss)) < 0)
		return -EFAULT;
	if (uss) {
		u32 mode = (u32)ss.ss_flags & ~SS_AUTODISARM;
		if (on)
			return -EPERM;
		if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK)
			return -EINVAL;
		if (mode != SS_DISABLE && ss.ss_size < MINSIGSTKSZ)
			return -ENOMEM;
		p->sig.ss_sp = mode == SS_DISABLE ? 0 : ss.ss_sp;
		p->sig.ss_size = mode == SS_DISABLE ? 0 : ss.ss_size;
	}
	if (uold && copyout(uold, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

/* ---- Sending ---- */

static struct proc *find_proc(int pid)
{
	struct proc *p;

	for_each_proc(p)
		if (p->pid == pid && p->state != P_ZOMBIE && p->state != P_EMBRYO)
			return p;
	return NULL;
}

/* kill(-1): every process but init and the caller. */
static int send_all(int sig, const struct ksiginfo *info)
{
	struct proc *p;
	int n = 0;

	for_each_proc(p) {
		if (p->state == P_ZOMBIE || p->state == P_EMBRYO || p->pid == 1 || p == myproc())
			continue;
		if (sig)
			signal_send(p, sig, info);
		n++;
	}
	return n;
}

long sys_kill(int pid, long sig)
{
	struct ksiginfo info = { .code = SI_USER, .pid = myproc()->pid };
	struct proc *p;

	if (sig != 0 && !valid_signal(sig))
		return -EINVAL;
	if (pid == -1)
		return send_all((int)sig, &info) ? 0 : -ESRCH;
	if (pid <= 0)
		return signal_send_group(pid ? -pid : myproc()->pgid, (int)sig, &info) ? 0 : -ESRCH;
	if (!(p = find_proc(pid)))
		return -ESRCH;
	if (sig)
		signal_send(p, (int)sig, &info);
	return 0;
}

/* tkill and tgkill: one thread per process, so the tid is the pid. */
static long send_thread(int tgid, int tid, long sig)
{
	struct ksiginfo info = { .code = SI_TKILL, .pid = myproc()->pid };
	struct proc *p;

	if (tid <= 0 || (tgid != -1 && tgid <= 0) || (sig != 0 && !valid_signal(sig)))
		return -EINVAL;
	if (!(p = find_proc(tid)) || (tgid != -1 && tgid != tid))
		return -ESRCH;
	if (sig)
		signal_send(p, (int)sig, &info);
	return 0;
}

long sys_tkill(int tid, long sig)
{
	return send_thread(-1, tid, sig);
}

long sys_tgkill(int tgid, int tid, long sig)
{
	return send_thread(tgid, tid, sig);
}

/* ---- ITIMER_REAL and alarm, in timer ticks ---- */

struct utimeval { i64 sec, usec; };
struct uitimerval { struct utimeval interval, value; };

static u64 to_ticks(const struct utimeval *tv)
{
	return (u64)tv->sec * TIMER_HZ + ((u64)tv->usec + TICK_US - 1) / TICK_US;
}

static struct utimeval from_ticks(u64 t)
{
	return (struct utimeval){ (i64)(t / TIMER_HZ), (i64)(t % TIMER_HZ) * TICK_US };
}

static struct uitimerval itimer_now(const struct proc *p)
{
	u64 now = timer_ticks(), left = p->sig.alarm_at > now ? p->sig.alarm_at - now : 0;

	return (struct uitimerval){ from_ticks(p->sig.alarm_every),
				    from_ticks(p->sig.alarm_at ? (left ? left : 1) : 0) };
}

long sys_getitimer(long which, uptr curr)
{
	struct uitimerval v;

	if (which != ITIMER_REAL)
		return -EINVAL;
	v = itimer_now(myproc());
	return copyout(curr, &v, sizeof(v)) < 0 ? -EFAULT : 0;
}

long sys_setitimer(long which, uptr uval, uptr uold)
{
	struct proc *p = myproc();
	struct uitimerval v = { 0 }, old = itimer_now(p);

	if (which != ITIMER_REAL)
		return -EINVAL;
	if (uval && copyin(&v, uval, sizeof(v)) < 0)
		return -EFAULT;
	if (v.value.usec < 0 || v.value.usec >= 1000000 || v.value.sec < 0 ||
	    v.interval.usec < 0 || v.interval.usec >= 1000000 || v.interval.sec < 0)
		return -EINVAL;
	if (uold && copyout(uold, &old, sizeof(old)) < 0)
		return -EFAULT;
	p->sig.alarm_every = to_ticks(&v.interval);
	p->sig.alarm_at = to_ticks(&v.value) ? timer_ticks() + to_ticks(&v.value) : 0;
	return 0;
}

/* alarm(s): SIGALRM in s seconds (0 cancels); the seconds left of the old one. */
long sys_alarm(u64 seconds)
{
	struct proc *p = myproc();
	struct uitimerval old = itimer_now(p);

	p->sig.alarm_every = 0;
	p->sig.alarm_at = seconds ? timer_ticks() + seconds * TIMER_HZ : 0;
	return old.value.sec + (old.value.usec >= 500000 || (!old.value.sec && old.value.usec));
}

void signal_tick(u64 now)
{
	struct proc *p;

	for_each_proc(p) {
		struct sigstate *s = &p->sig;
		if (p->state == P_ZOMBIE || !s->alarm_at || now < s->alarm_at)
			continue;
		s->alarm_at = s->alarm_every ? now + s->alarm_every : 0;
		signal_send(p, SIGALRM, NULL);
	}
}
