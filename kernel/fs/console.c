/* Console file: reads through the line discipline (ldisc.c) fed by the serial
 * interrupt, or from the boot-time input script; writes to COM1 with "\n"
 * turned into "\r\n" (while termios says OPOST|ONLCR).  The terminal state
 * and its ioctls are tty.c's. */
#include "arch/x86_64/serial.h"
#include "fs/file.h"
#include "fs/fileops.h"
#include "fs/console.h"
#include "fs/ldisc.h"
#include "fs/ctty.h"
#include "fs/tty.h"
#include "arch/x86_64/arch.h"
#include "lib/errno.h"
#include "mm/usercopy.h"
#include "proc/sched.h"

#define CONSOLE_RDEV ((4 << 8) | 64)     /* Linux's ttyS0: major 4, minor 64 */

static struct ldisc ldisc;

/* Input script state: [line_pos, line_end) is the unread rest of the line
 * being delivered; line_end == script_len when the script is used up. */
static struct {
	const char *text;
	size_t len;
	size_t line_pos, line_end;
} script;

/* Boot (from fs_init): see console.h. */
void console_init(const char *text, size_t len)
{
	ldisc_init(&ldisc);
	tty_init(&ldisc);
	script.text = len ? text : NULL;
	script.len = len;
	script.line_pos = script.line_end = 0;
}

/* Terminal output: "\n" becomes "\r\n" (OPOST|ONLCR), everything else
 * passes through. */
static void console_output(const char *s, size_t n)
{
	size_t start = 0;

	if (!tty_onlcr()) {
		serial_write(s, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\n')
			continue;
		serial_write(s + start, i - start);
		serial_write("\r\n", 2);
		start = i + 1;
	}
	serial_write(s + start, n - start);
}

/* Echo of typed bytes: canonical mode echoes its own "\r\n"; a raw "\n"
 * is output as the program's would be. */
static void console_echo(const char *s, size_t n)
{
	if (tty_canon())
		serial_write(s, n);
	else
		console_output(s, n);
}

/* Serial interrupt: a typed byte.  Ignored while a script drives the input,
 * so a scripted run cannot be disturbed by stray keys. */
void console_rx(char c)
{
	int sig;

	if (script.text)
		return;
	if ((sig = ldisc_isig(&ldisc, (u8)c, console_echo)) != 0)
		ctty_signal(sig);
	else if (ldisc_input(&ldisc, (u8)c, console_echo))
		wakeup(&ldisc);
}

/* Script: when the current line is used up, start the next one (up to and
 * with its "\n") and echo it as if it had been typed.  False at the end. */
static bool script_next_line(void)
{
	size_t end = script.line_pos;

	if (script.line_pos < script.line_end)
		return true;
	if (script.line_end == script.len)
		return false;
	while (end < script.len && script.text[end++] != '\n')
		;
	script.line_end = end;
	if (tty_echo())
		console_output(script.text + script.line_pos, end - script.line_pos);
	return true;
}

/* read() with a script: up to n bytes of one script line; 0 at the end. */
static long script_read(uptr buf, size_t n)
{
	size_t want, got;

	if (!script_next_line())
		return 0;
	want = MIN(n, script.line_end - script.line_pos);
	got = fs_copyout(buf, script.text + script.line_pos, want);
	script.line_pos += got;
	return got || !want ? (long)got : -EFAULT;
}

/* Wait until a read of n can be served: a completed line (canonical mode),
 * or VMIN bytes (raw mode; VMIN 0 waits at most VTIME, or not at all).
 * 0 when ready, 1 when a raw read is to return nothing, -EAGAIN, or
 * -ERESTARTSYS when a signal ends the wait. */
static int wait_input(struct file *f, size_t n)
{
	size_t want = tty_read_min(n);
	u64 timeout = tty_read_timeout(), deadline = clock_ns() + timeout;

	for (;;) {
		if (tty_canon() ? ldisc_ready(&ldisc) : ldisc_unread(&ldisc) >= MAX(want, 1))
			return 0;
		if (!tty_canon() && want == 0 && ldisc_ready(&ldisc))
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (want == 0 && (timeout == 0 || clock_ns() >= deadline))
			return 1;
		if (signal_pending())
			return -ERESTARTSYS;
		if (want == 0)
			sleep_until(&ldisc, deadline);
		else
			sleep_on(&ldisc);
		if (signal_pending())
			return -ERESTARTSYS;
	}
}

/* read() from the keyboard: wait (wait_input), then copy at most n bytes of
 * the first line or raw run; the rest stays for the next read.  An EOF mark
 * reads as 0.  A background job gets SIGTTIN instead (ctty.c). */
static long tty_read(struct file *f, uptr buf, size_t n)
{
	size_t got = 0;
	const u8 *p;
	int w = ctty_read_check();

	if (!w)
		w = wait_input(f, n);
	if (w)
		return w < 0 ? w : 0;
	if (ldisc_at_eof(&ldisc)) {
		ldisc_consume(&ldisc, 0);
		return 0;
	}
	n = MIN(n, ldisc_line_left(&ldisc));     /* one line at most */
	while (got < n) {
		size_t run = MIN(ldisc_peek(&ldisc, &p), n - got);
		size_t c = fs_copyout(buf + got, p, run);

		ldisc_consume(&ldisc, c);
		got += c;
		if (c < run)
			break;
	}
	return got || !n ? (long)got : -EFAULT;
}

/* read(): at most one line, from the script or the keyboard. */
static long console_read(struct file *f, uptr buf, size_t n)
{
	if (n == 0)
		return 0;      /* no wait, and no script line started */
	return script.text ? script_read(buf, n) : tty_read(f, buf, n);
}

/* The UART takes about a microsecond a byte (QEMU), and the kernel is not
 * preemptible: a big write would stop every other process until it ends
 * (1 MiB: a second).  So every CONSOLE_YIELD_BYTES written, by whatever
 * calls, the writer lets the others run first: a few ms of output at most
 * between two turns.  The write itself still completes in full, as Linux's. */
#define CONSOLE_YIELD_BYTES 4096
static size_t written_since_yield;

static void console_output_fair(const char *s, size_t n)
{
	console_output(s, n);
	written_since_yield += n;
	if (written_since_yield >= CONSOLE_YIELD_BYTES) {
		written_since_yield = 0;
		if (proc_others_runnable())
			yield();
	}
}

/* write(): through a bounce buffer, since the "\n" translation needs the
 * bytes.  A background job may get SIGTTOU instead (ctty.c). */
static long console_write(struct file *f, uptr buf, size_t n)
{
	char bounce[FS_CHUNK];
	size_t done = 0;
	int w = ctty_write_check();

	(void)f;
	if (w)
		return w;
	while (done < n) {
		size_t c = fs_chunk(buf + done, n - done);

		if (fs_copyin(bounce, buf + done, c) < c)
			return done ? (long)done : -EFAULT;
		console_output_fair(bounce, c);
		done += c;
	}
	return (long)done;
}

/* fstat(): a character device, like Linux's ttyS0. */
static void console_stat(struct file *f, struct stat *st)
{
	(void)f;
	st->st_dev = 5;
	st->st_ino = 3;
	st->st_mode = S_IFCHR | 0620;
	st->st_rdev = CONSOLE_RDEV;
	st->st_blksize = 1024;
}

/* poll(): always writable; readable when a read would not wait (a script
 * always has a line or its end). */
static u32 console_poll(struct file *f)
{
	bool readable = script.text || (tty_canon() ? ldisc_ready(&ldisc) : ldisc_unread(&ldisc) > 0);

	(void)f;
	return POLLOUT | POLLWRNORM | (readable ? POLLIN | POLLRDNORM : 0);
}

/* The terminal's ioctls: termios and window size (tty.c), job control (ctty.c). */
static long console_ioctl(struct file *f, u64 req, uptr arg)
{
	long r = tty_ioctl(req, arg);

	(void)f;
	return r == -ENOTTY ? ctty_ioctl(req, arg) : r;
}

const struct file_ops console_ops = {
	.read = console_read,
	.write = console_write,
	.stat = console_stat,
	.ioctl = console_ioctl,
	.poll = console_poll,
};
