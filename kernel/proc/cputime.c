/* CPU time: each timer tick is charged to the process it interrupts, to
 * its user time when it interrupted user mode, else to its system time, as
 * Linux samples without VIRT_CPU_ACCOUNTING (so a process that runs less
 * than a tick at a time may be charged nothing, or a whole tick).  wait4
 * adds a reaped child's times, with those of the children it reaped, to its
 * parent's children times. */
#include "proc/cputime.h"
#include "proc/proc.h"
#include "arch/x86_64/arch.h"
#include "mm/usercopy.h"
#include "lib/errno.h"
#include "gen/syscall_decl.h"

#define USER_HZ 100
#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

struct ktimeval {
	i64 sec, usec;
};

/* Linux's struct rusage: the two times, then fourteen counters (maxrss,
 * faults, context switches, ...) that Levitate does not keep: 0. */
struct krusage {
	struct ktimeval utime, stime;
	i64 counters[14];
};

struct ktms {
	i64 utime, stime, cutime, cstime;
};

void cputime_tick(bool user)
{
	struct proc *p = myproc();

	if (!p)
		return;              /* the idle loop */
	if (user)
		p->cpu.utime++;
	else
		p->cpu.stime++;
}

void cputime_reaped(struct proc *parent, const struct proc *child)
{
	parent->cpu.cutime += child->cpu.utime + child->cpu.cutime;
	parent->cpu.cstime += child->cpu.stime + child->cpu.cstime;
}

u64 cputime_clock_t(u64 ticks)
{
	return ticks * USER_HZ / TIMER_HZ;
}

static struct ktimeval to_timeval(u64 ticks)
{
	u64 us = ticks * (1000000 / TIMER_HZ);

	return (struct ktimeval){ (i64)(us / 1000000), (i64)(us % 1000000) };
}

int cputime_rusage_out(uptr ru, u64 utime, u64 stime)
{
	struct krusage r = { to_timeval(utime), to_timeval(stime), { 0 } };

	return copyout(ru, &r, sizeof(r)) < 0 ? -EFAULT : 0;
}

long sys_getrusage(long who, uptr ru)
{
	const struct cputime *c = &myproc()->cpu;

	if (who == RUSAGE_SELF || who == RUSAGE_THREAD)
		return cputime_rusage_out(ru, c->utime, c->stime);
	if (who == RUSAGE_CHILDREN)
		return cputime_rusage_out(ru, c->cutime, c->cstime);
	return -EINVAL;
}

/* times(2): the four times and, as the result, clock ticks since boot (an
 * arbitrary origin, as POSIX allows: Linux's starts 300 s before boot). */
long sys_times(uptr buf)
{
	const struct cputime *c = &myproc()->cpu;
	struct ktms t = { (i64)cputime_clock_t(c->utime), (i64)cputime_clock_t(c->stime),
			  (i64)cputime_clock_t(c->cutime), (i64)cputime_clock_t(c->cstime) };

	if (buf && copyout(buf, &t, sizeof(t)) < 0)
		return -EFAULT;
	return (long)cputime_clock_t(timer_ticks());
}
