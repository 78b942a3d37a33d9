/* The console as a controlling terminal: the session it belongs to and its
 * foreground process group (job control).  The keyboard's ISIG characters
 * signal the foreground group; a background process reading it gets SIGTTIN,
 * one writing it with TOSTOP set or changing its settings SIGTTOU, and an
 * orphaned one EIO (job_check).
 * At boot it is the terminal of session 1 (init's) with group 1 in front. */
#include "fs/ctty.h"
#include "fs/tty.h"
#include "fs/fs_abi.h"
#include "lib/errno.h"
#include "mm/usercopy.h"
#include "proc/sched.h"

#define TIOCSCTTY 0x540E
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCNOTTY 0x5422
#define TIOCGSID 0x5429
#define SIG_IGN 1
#define CONSOLE_RDEV (5 << 8 | 1)    /* /dev/console, major 5 minor 1 (devfs.c) */

static struct {
	int sid;                     /* session whose terminal it is; 0 = none */
	int pgrp;                    /* foreground process group */
} ctty = { 1, 1 };

bool ctty_of_session(int sid, u64 *dev, int *fg)
{
	if (!ctty.sid || ctty.sid != sid)
		return false;
	*dev = CONSOLE_RDEV;
	*fg = ctty.pgrp;
	return true;
}

void ctty_signal(int sig)
{
	if (ctty.pgrp > 0)
		signal_send_group(ctty.pgrp, sig, NULL);
}

/* Linux's tty_check_change: a process of the terminal's session outside
 * its foreground group reading it (sig SIGTTIN), or writing it under TOSTOP
 * or changing its settings or foreground group (SIGTTOU).  0: go on; if it
 * ignores or blocks sig, a read gets -EIO and the rest go on; a group that
 * is orphaned (no shell of the session to continue it) gets -EIO; else its
 * group is sent sig and the call restarts when it is continued in front
 * (-ERESTARTSYS). */
static int job_check(int sig)
{
	struct proc *p = myproc();

	if (p->sid != ctty.sid || !ctty.pgrp || p->pgid == ctty.pgrp)
		return 0;
	if (p->sig.act[sig - 1].handler == SIG_IGN || (p->sig.blocked & SIGBIT(sig)))
		return sig == SIGTTIN ? -EIO : 0;
	if (pgrp_orphaned(p->pgid, NULL))
		return -EIO;
	signal_send_group(p->pgid, sig, NULL);
	return -ERESTARTSYS;
}

int ctty_read_check(void)
{
	return job_check(SIGTTIN);
}

int ctty_write_check(void)
{
	return tty_tostop() ? job_check(SIGTTOU) : 0;
}

int ctty_change_check(void)
{
	return job_check(SIGTTOU);
}

/* TIOCSPGRP: only from the terminal's session (a background caller as for
 * any change, but an orphaned one hears ENOTTY, as on Linux), to a group of
 * that session (ESRCH: no such group or process; EPERM: another session's). */
static long set_pgrp(uptr arg)
{
	struct proc *p = myproc();
	int pgrp, r = job_check(SIGTTOU);

	if (r)
		return r == -EIO ? -ENOTTY : r;
	if (p->sid != ctty.sid)
		return -ENOTTY;
	if (copyin(&pgrp, arg, sizeof(pgrp)) < 0)
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	if (!pgrp_in_session(pgrp, p->sid))
		return pgrp_exists(pgrp) ? -EPERM : -ESRCH;
	ctty.pgrp = pgrp;
	return 0;
}

/* TIOCSCTTY: a session leader takes the terminal (arg 1 takes it from
 * another session, as root may; there are no uids). */
static long set_ctty(u64 arg)
{
	struct proc *p = myproc();

	if (p->sid == ctty.sid)
		return 0;
	if (p->sid != p->pid)
		return -EPERM;
	if (ctty.sid && arg != 1 && session_alive(ctty.sid))
		return -EPERM;
	ctty.sid = p->sid;
	ctty.pgrp = p->pgid;
	return 0;
}

/* TIOCNOTTY: the caller gives the terminal up; from its session leader the
 * session loses it. */
static long drop_ctty(void)
{
	struct proc *p = myproc();

	if (p->sid != ctty.sid)
		return -ENOTTY;
	if (p->sid == p->pid)
		ctty.sid = ctty.pgrp = 0;
	return 0;
}

long ctty_ioctl(u64 req, uptr arg)
{
	int v;

	switch (req) {
	case TIOCGPGRP:
	case TIOCGSID:
		if (myproc()->sid != ctty.sid)
			return -ENOTTY;
		v = req == TIOCGPGRP ? ctty.pgrp : ctty.sid;
		return copyout(arg, &v, sizeof(v)) < 0 ? -EFAULT : 0;
	case TIOCSPGRP:
		return set_pgrp(arg);
	case TIOCSCTTY:
		return set_ctty(arg);
	case TIOCNOTTY:
		return drop_ctty();
	default:
		return -ENOTTY;
	}
}
