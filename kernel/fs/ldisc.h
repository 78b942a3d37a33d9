/* Console line discipline, like a Linux tty.  In canonical mode (ICANON)
 * typed bytes are edited in a line buffer; a line becomes readable when it is
 * completed, and a read takes at most one line.  In raw mode every byte is
 * readable at once, unedited.  ECHO and ICRNL apply in both (the termios
 * flags themselves live in tty.c, which sets the mode).
 * Pure code (no kernel services): echo goes through a callback, so the host
 * tests (kernel/tests/test_ldisc.c) drive it directly. */
#ifndef FS_LDISC_H
#define FS_LDISC_H

#include "lib/types.h"
#include "fs/ring.h"

#define LDISC_EDIT_MAX 1023   /* chars in the line being typed */
#define LDISC_LINES 64        /* completed lines (or EOFs) waiting to be read */

#define LDISC_EOF 0x04        /* Ctrl-D */
#define LDISC_DEL 0x7f
#define LDISC_BS 0x08

typedef void (*ldisc_echo_fn)(const char *s, size_t n);

/* What the termios flags ask of the line discipline. */
struct ldisc_mode {
	bool canon;    /* ICANON: line editing, one line per read */
	bool echo;     /* ECHO: typed bytes are echoed */
	bool icrnl;    /* ICRNL: CR arrives as "\n" (raw mode; canonical mode ends a line on either) */
	bool isig;     /* ISIG: the characters below signal the foreground group */
	u8 intr, quit, susp;   /* VINTR (Ctrl-C), VQUIT (Ctrl-\), VSUSP (Ctrl-Z); 0 = off */
};

struct ldisc {
	struct ldisc_mode mode;
	bool run_open;                /* raw mode: the last queued entry still grows */
	char edit[LDISC_EDIT_MAX];
	size_t edit_len;
	struct ring done;             /* bytes of the completed lines, in order */
	u32 linelen[LDISC_LINES];     /* unread bytes per completed line; 0 = EOF */
	size_t line_head, nlines;     /* FIFO of linelen[] */
};

/* Empty, in canonical mode with echo and ISIG (a Linux tty's defaults). */
void ldisc_init(struct ldisc *ld);

/* Switch mode.  Leaving canonical mode makes the partly edited line
 * readable as it is (Linux does the same). */
void ldisc_set_mode(struct ldisc *ld, struct ldisc_mode mode);
/* Drop all unread input and the line being edited (TCSETSF, TCFLSH). */
void ldisc_flush(struct ldisc *ld);
/* Unread bytes of completed lines or raw input, for FIONREAD. */
size_t ldisc_unread(const struct ldisc *ld);

/* One byte from the keyboard.  Raw mode: queued at once (CR as "\n" with
 * ICRNL), echoed with ECHO, dropped when the queue is full; returns true.
 * Canonical mode: printable bytes (and tab) are echoed and
 * buffered; DEL/BS erase one ("\b \b"); CR or LF completes the line (echo
 * "\r\n", delivers it with "\n"); Ctrl-D completes the line without a newline,
 * or marks end of file on an empty line.  Input that would not fit is dropped
 * with a bell.  Returns true when a line (or EOF) became readable. */
bool ldisc_input(struct ldisc *ld, u8 c, ldisc_echo_fn echo);

/* ISIG: when c is the interrupt, quit or suspend character (mode.intr,
 * quit, susp), echo it as "^C" (ECHOCTL, with ECHO), throw away all unread
 * input (no NOFLSH) and return the signal for the foreground group (2, 3,
 * 20); else 0 and nothing changes.  Works in raw and canonical mode. */
int ldisc_isig(struct ldisc *ld, u8 c, ldisc_echo_fn echo);

/* True when a completed line, raw input or an EOF mark is waiting. */
static inline bool ldisc_ready(const struct ldisc *ld) { return ld->nlines > 0; }
/* True when the next thing to read is an EOF mark (a read returns 0). */
bool ldisc_at_eof(const struct ldisc *ld);

/* Unread bytes of the first completed line (0 when none, or at EOF). */
size_t ldisc_line_left(const struct ldisc *ld);

/* The next contiguous unread bytes of the first line: sets *p, returns the
 * count (0 when nothing is ready or at an EOF mark). */
size_t ldisc_peek(const struct ldisc *ld, const u8 **p);
/* Mark n of those bytes read (n <= ldisc_peek's count); a line read to its
 * end leaves the queue, and ldisc_consume(ld, 0) at an EOF mark removes it. */
void ldisc_consume(struct ldisc *ld, size_t n);

/* What one read(2) of up to n bytes takes: at most one line, possibly part of
 * one; 0 at an EOF mark (consumed) or when nothing is ready. */
size_t ldisc_read(struct ldisc *ld, void *dst, size_t n);

#endif
