/* Process groups and sessions (setpgid, getpgid, getpgrp, setsid, getsid),
 * with Linux's rules.  Init starts session 1 and group 1; fork copies both. */
#include "proc/sched.h"
#include "lib/errno.h"
#include "gen/syscall_decl.h"

static struct proc *live(int pid)
{
	struct proc *p;

	for_each_proc(p)
		if (p->pid == pid && p->state != P_EMBRYO)
			return p;
	return NULL;
}

bool pgrp_in_session(int pgid, int sid)
{
	struct proc *p;

	for_each_proc(p)
		if (p->state != P_ZOMBIE && p->pgid == pgid && p->sid == sid)
			return true;
	return false;
}

bool session_alive(int sid)
{
	struct proc *p;

	for_each_proc(p)
		if (p->state != P_ZOMBIE && p->sid == sid)
			return true;
	return false;
}

long sys_setpgid(int pid, int pgid)
{
	struct proc *me = myproc(), *p;

	if (pgid < 0)
		return -EINVAL;
	p = pid ? live(pid) : me;
	if (!p || (p != me && p->parent != me))
		return -ESRCH;
	if (p != me && p->execed)
		return -EACCES;
	if (p->sid != me->sid || p->sid == p->pid)
		return -EPERM;            /* other session, or a session leader */
	if (!pgid)
		pgid = p->pid;
	if (pgid != p->pid && !pgrp_in_session(pgid, me->sid))
		return -EPERM;
	p->pgid = pgid;
	return 0;
}

long sys_getpgid(int pid)
{
	struct proc *p = pid ? live(pid) : myproc();

	return p ? p->pgid : -ESRCH;
}

long sys_getpgrp(void)
{
	return myproc()->pgid;
}

long sys_setsid(void)
{
	struct proc *me = myproc(), *p;

	for_each_proc(p)
		if (p->pgid == me->pid)
			return -EPERM;        /* already leads a group */
	me->sid = me->pgid = me->pid;
	return me->sid;
}

long sys_getsid(int pid)
{
	struct proc *p = pid ? live(pid) : myproc();

	return p ? p->sid : -ESRCH;
}
