/* The console as a controlling terminal (ctty.c): session, foreground group,
 * job-control ioctls. */
#ifndef FS_CTTY_H
#define FS_CTTY_H

#include "lib/types.h"

/* When session sid has the console as its controlling terminal: true, with
 * the console's device number and the foreground group (/proc/PID/stat). */
bool ctty_of_session(int sid, u64 *dev, int *fg);
/* A keyboard signal (ISIG): sig to every process of the foreground group. */
void ctty_signal(int sig);
/* Job control before a read of the terminal (SIGTTIN), a write (SIGTTOU,
 * under TOSTOP only), or a change of its settings (SIGTTOU): 0 when the
 * caller may go on; for a process of a background group of the terminal's
 * session, its group is sent the signal and -ERESTARTSYS returned, or
 * -EIO when it ignores or blocks the signal (a read; the others go on then)
 * or when its group is orphaned (Linux's tty_check_change). */
int ctty_read_check(void);
int ctty_write_check(void);
int ctty_change_check(void);
/* TIOCSCTTY, TIOCNOTTY, TIOCGPGRP, TIOCSPGRP, TIOCGSID; -ENOTTY for others. */
long ctty_ioctl(u64 req, uptr arg);

#endif
