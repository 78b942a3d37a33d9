/* CPU time of processes (cputime.c): timer ticks sampled as Linux does
 * without VIRT_CPU_ACCOUNTING, for times(2), getrusage(2), wait4's rusage
 * and /proc/PID/stat. */
#ifndef PROC_CPUTIME_H
#define PROC_CPUTIME_H

#include "lib/types.h"

struct proc;

/* Ticks (TIMER_HZ) charged to a process, and to its children it reaped
 * (with theirs) by wait4. */
struct cputime {
	u64 utime, stime;
	u64 cutime, cstime;
};

/* The timer interrupted the current process (if any) in user mode or not. */
void cputime_tick(bool user);
/* parent reaped child (wait4): child's times and its children's become
 * parent's children times. */
void cputime_reaped(struct proc *parent, const struct proc *child);
/* A struct rusage at user address ru with these user and system times (in
 * ticks), every counter 0: 0 or -EFAULT. */
int cputime_rusage_out(uptr ru, u64 utime, u64 stime);
/* Ticks in clock_t units (USER_HZ 100), as times(2) and /proc give them. */
u64 cputime_clock_t(u64 ticks);

#endif
