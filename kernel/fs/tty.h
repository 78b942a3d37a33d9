/* The console as a terminal: its termios and window size, and the ioctls
 * that read and set them (tty.c).  The line discipline (ldisc.c) does what
 * the flags ask; the console (console.c) asks tty.c how to echo and output. */
#ifndef FS_TTY_H
#define FS_TTY_H

#include "lib/types.h"

struct ldisc;

/* Boot: the terminal's defaults (Linux's for a serial console), applied to ld. */
void tty_init(struct ldisc *ld);

/* ioctl(2) on the console: the termios and window-size requests; -ENOTTY
 * for any other request, -EFAULT for a bad pointer. */
long tty_ioctl(u64 req, uptr arg);

bool tty_echo(void);         /* ECHO: the input script is echoed as typed */
bool tty_onlcr(void);        /* OPOST|ONLCR: output "\n" becomes "\r\n" */
bool tty_canon(void);        /* ICANON */
bool tty_tostop(void);       /* TOSTOP: background writers get SIGTTOU */
/* Non-canonical reads (VMIN, VTIME): the bytes a read of n waits for
 * (0: return at once), and the timeout in ns (0: none). */
size_t tty_read_min(size_t n);
u64 tty_read_timeout(void);

#endif
