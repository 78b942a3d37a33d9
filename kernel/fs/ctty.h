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
/* Before a read of the terminal: 0 when the caller may read; for a process
 * of a background group, SIGTTIN to its group and -ERESTARTSYS, or -EIO if
 * it ignores or blocks SIGTTIN (Linux's job control). */
int ctty_read_check(void);
/* Before a write of the terminal: 0 when the caller may write; with TOSTOP,
 * for a process of a background group that neither ignores nor blocks
 * SIGTTOU, SIGTTOU to its group and -ERESTARTSYS. */
int ctty_write_check(void);
/* TIOCSCTTY, TIOCNOTTY, TIOCGPGRP, TIOCSPGRP, TIOCGSID; -ENOTTY for others. */
long ctty_ioctl(u64 req, uptr arg);

#endif
