/*
 * suite_test_linux: the console as a terminal (kernel/fs/tty.c).  termios
 * reads back as set, raw mode reads follow VMIN/VTIME, and the defaults are
 * a Linux tty's (canonical, echo).  Run with no console input waiting.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "levbox.h"
#include "suite.h"
#include "suite_linux.h"

static long elapsed_ms(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

int test_tty_termios(void)
{
	struct termios t, raw, back;
	struct winsize ws;

	EXPECT_EQ(isatty(0), 1);
	EXPECT_EQ(tcgetattr(0, &t), 0);
	EXPECT((t.c_lflag & (ICANON | ECHO)) == (ICANON | ECHO));
	EXPECT((t.c_iflag & ICRNL) && (t.c_oflag & OPOST) && (t.c_oflag & ONLCR));
	EXPECT_EQ(t.c_cc[VEOF], 4);
	EXPECT_EQ(t.c_cc[VERASE], 0177);
	raw = t;
	raw.c_lflag &= ~(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	EXPECT_EQ(tcsetattr(0, TCSADRAIN, &raw), 0);
	EXPECT_EQ(tcgetattr(0, &back), 0);
	EXPECT_EQ(back.c_lflag, raw.c_lflag);
	EXPECT_EQ(back.c_cc[VMIN], 1);
	EXPECT_EQ(tcsetattr(0, TCSAFLUSH, &t), 0);
	EXPECT_EQ(tcgetattr(0, &back), 0);
	EXPECT_EQ(back.c_lflag, t.c_lflag);
	EXPECT_EQ(ioctl(0, TIOCGWINSZ, &ws), 0);
	EXPECT(ws.ws_row > 0 && ws.ws_col > 0);
	EXPECT_ERRNO(ioctl(0, TCGETS, (void *)1), EFAULT);
	EXPECT_ERRNO(ioctl(0, 0x54ff, 0), ENOTTY);
	return 0;
}

/* Raw mode with VMIN 0: a read returns 0 at once (VTIME 0), or after VTIME
 * tenths of a second, when nothing was typed. */
int test_tty_vmin_vtime(void)
{
	struct termios t, raw;
	struct timespec a, b;
	char c;

	EXPECT_EQ(tcgetattr(0, &t), 0);
	raw = t;
	raw.c_lflag &= ~(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	EXPECT_EQ(tcsetattr(0, TCSANOW, &raw), 0);
	EXPECT_EQ(read(0, &c, 1), 0);
	raw.c_cc[VTIME] = 2;
	EXPECT_EQ(tcsetattr(0, TCSANOW, &raw), 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	EXPECT_EQ(read(0, &c, 1), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	EXPECT(elapsed_ms(&a, &b) >= 190);
	EXPECT_EQ(tcsetattr(0, TCSANOW, &t), 0);
	return 0;
}
