/* The console's terminal state: termios and window size, read and set with
 * the ioctls Linux gives a tty (TCGETS, TCSETS/W/F, TIOCGWINSZ, ...).  Every
 * change of the flags is passed on to the line discipline at once, so the
 * next typed byte is handled as the new flags say.  A change from a
 * background process passes job control first (ctty_change_check). */
#include "fs/tty.h"
#include "fs/ctty.h"
#include "fs/ldisc.h"
#include "fs/fs_abi.h"
#include "mm/usercopy.h"
#include "lib/errno.h"

/* ioctl requests (Linux x86-64 numbers). */
#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TCSBRK 0x5409
#define TCFLSH 0x540B
#define TIOCSWINSZ 0x5414
#define FIONREAD 0x541B

/* termios flag bits (Linux's values, octal as in its headers). */
#define ICRNL 0000400
#define IXON 0002000
#define OPOST 0000001
#define ONLCR 0000004
#define B38400 0000017
#define CS8 0000060
#define CREAD 0000200
#define HUPCL 0002000
#define CLOCAL 0004000
#define ISIG 0000001
#define ICANON 0000002
#define ECHO 0000010
#define ECHOE 0000020
#define ECHOK 0000040
#define TOSTOP 0000400
#define ECHOCTL 0001000
#define ECHOKE 0004000
#define IEXTEN 0100000
#define VINTR 0
#define VQUIT 1
#define VTIME 5
#define VMIN 6
#define VSUSP 10

#define TCIFLUSH 0
#define TCOFLUSH 1
#define TCIOFLUSH 2

#define CONSOLE_ROWS 25
#define CONSOLE_COLS 80

/* The kernel's struct termios, as TCGETS/TCSETS copy it (not libc's). */
struct ktermios {
	u32 c_iflag, c_oflag, c_cflag, c_lflag;
	u8 c_line;
	u8 c_cc[19];
};
_Static_assert(sizeof(struct ktermios) == 36, "Linux's struct termios is 36 bytes");

static struct {
	struct ktermios t;
	struct winsize ws;
	struct ldisc *ld;
} tty;

/* Linux's defaults for a tty (tty_std_termios), with a serial line's CLOCAL. */
static const struct ktermios default_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL | CLOCAL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = { 003, 034, 0177, 025, 004, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0 },
};

/* Make the line discipline follow the current flags. */
static void apply_mode(void)
{
	struct ldisc_mode m = {
		.canon = (tty.t.c_lflag & ICANON) != 0,
		.echo = (tty.t.c_lflag & ECHO) != 0,
		.icrnl = (tty.t.c_iflag & ICRNL) != 0,
		.isig = (tty.t.c_lflag & ISIG) != 0,
		.intr = tty.t.c_cc[VINTR],
		.quit = tty.t.c_cc[VQUIT],
		.susp = tty.t.c_cc[VSUSP],
	};

	ldisc_set_mode(tty.ld, m);
}

void tty_init(struct ldisc *ld)
{
	tty.t = default_termios;
	tty.ws = (struct winsize){ .ws_row = CONSOLE_ROWS, .ws_col = CONSOLE_COLS };
	tty.ld = ld;
	apply_mode();
}

/* TCSETS and its variants: TCSETSF also drops unread input first (output is
 * written synchronously, so TCSETSW has nothing to wait for). */
static long set_termios(u64 req, uptr arg)
{
	struct ktermios t;

	if (copyin(&t, arg, sizeof(t)) < 0)
		return -EFAULT;
	if (req == TCSETSF)
		ldisc_flush(tty.ld);
	tty.t = t;
	apply_mode();
	return 0;
}

/* TCFLSH: input (or both) is dropped; output is never queued. */
static long flush(uptr how)
{
	if (how != TCIFLUSH && how != TCOFLUSH && how != TCIOFLUSH)
		return -EINVAL;
	if (how != TCOFLUSH)
		ldisc_flush(tty.ld);
	return 0;
}

long tty_ioctl(u64 req, uptr arg)
{
	int avail, r;

	switch (req) {
	case TCGETS:
		return copyout(arg, &tty.t, sizeof(tty.t)) < 0 ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return (r = ctty_change_check()) ? r : set_termios(req, arg);
	case TIOCGWINSZ:
		return copyout(arg, &tty.ws, sizeof(tty.ws)) < 0 ? -EFAULT : 0;
	case TIOCSWINSZ:
		return copyin(&tty.ws, arg, sizeof(tty.ws)) < 0 ? -EFAULT : 0;
	case TCSBRK:
		return 0;          /* tcdrain: output is already written */
	case TCFLSH:
		return (r = ctty_change_check()) ? r : flush(arg);
	case FIONREAD:
		avail = (int)ldisc_unread(tty.ld);
		return copyout(arg, &avail, sizeof(avail)) < 0 ? -EFAULT : 0;
	default:
		return -ENOTTY;
	}
}

bool tty_echo(void) { return (tty.t.c_lflag & ECHO) != 0; }
bool tty_canon(void) { return (tty.t.c_lflag & ICANON) != 0; }
bool tty_tostop(void) { return (tty.t.c_lflag & TOSTOP) != 0; }
bool tty_onlcr(void) { return (tty.t.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR); }

size_t tty_read_min(size_t n)
{
	size_t vmin = tty.t.c_cc[VMIN];

	if (tty_canon())
		return 1;
	return vmin < n ? vmin : n;
}

u64 tty_read_timeout(void)
{
	return (u64)tty.t.c_cc[VTIME] * 100000000UL;    /* tenths of a second, in ns */
}
