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

	/* Zombies count: as on Linux, a process holds its group until it is
	 * reaped, so a pipeline's later members (and ash, with TIOCSPGRP) can
	 * still join the group of a first member that has already exited. */
	for_each_proc(p)
		if (p->state != P_EMBRYO && p->pgid == pgid && p->sid == sid)
			return true;
	return false;
}

bool pgrp_exists(int id)
{
	struct proc *p;

	for_each_proc(p)
		if (p->state != P_EMBRYO && (p->pgid == id || p->pid == id))
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

bool pgrp_orphaned(int pgid, const struct proc *ignore)
{
	struct proc *p;

	/* Linux's rule: a group is orphaned unless a member has a parent in
	 * another group of the same session (a shell that can continue it);
	 * init does not count as such a parent, nor do exited members. */
	for_each_proc(p) {
		struct proc *up = p->parent;
		if (p == ignore || p->pgid != pgid || p->state == P_ZOMBIE || p->state == P_EMBRYO ||
		    !up || up->pid == 1)
			continue;
		if (up->pgid != pgid && up->sid == p->sid)
			return false;
	}
	return true;
}

static bool pgrp_has_stopped(int pgid)
{
	struct proc *p;

	for_each_proc(p)
		if (p->pgid == pgid && p->state == P_STOPPED)
			return true;
	return false;
}

void pgrp_hangup_if_orphaned(const struct proc *member, const struct proc *link,
			     const struct proc *ignore)
{
	int pgid = member->pgid;

	if (!link || link->pgid == pgid || link->sid != member->sid)
		return;
	if (!pgrp_orphaned(pgid, ignore) || !pgrp_has_stopped(pgid))
		return;
	signal_send_group(pgid, SIGHUP, NULL);
	signal_send_group(pgid, SIGCONT, NULL);
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
