/* Console line discipline, like a Linux tty in canonical mode (ICANON, ECHO,
 * ICRNL).  Typed bytes are edited in a line buffer and echoed; a line becomes
 * readable when it is completed, and a read takes at most one line.
 * Pure code (no kernel services): echo goes through a callback, so the host
 * tests (kernel/tests/test_ldisc.c) drive it directly. */
#ifndef FS_LDISC_H
#define FS_LDISC_H

#include "lib/types.h"
#include "fs/ring.h"

#define LDISC_EDIT_MAX 1023   /* chars in the line being typed */
#define LDISC_LINES 64        /* completed lines (or EOFs) waiting to be read */

#define LDISC_EOF 0x04        /* Ctrl-D */
#define LDISC_INTR 0x03       /* Ctrl-C: SIGINT */
#define LDISC_QUIT 0x1c       /* Ctrl-\: SIGQUIT */
#define LDISC_SUSP 0x1a       /* Ctrl-Z: SIGTSTP */
#define LDISC_DEL 0x7f
#define LDISC_BS 0x08

typedef void (*ldisc_echo_fn)(const char *s, size_t n);

struct ldisc {
	char edit[LDISC_EDIT_MAX];
	size_t edit_len;
	struct ring done;             /* bytes of the completed lines, in order */
	u32 linelen[LDISC_LINES];     /* unread bytes per completed line; 0 = EOF */
	size_t line_head, nlines;     /* FIFO of linelen[] */
};

void ldisc_init(struct ldisc *ld);

/* One byte from the keyboard.  Printable bytes (and tab) are echoed and
 * buffered; DEL/BS erase one ("\b \b"); CR or LF completes the line (echo
 * "\r\n", delivers it with "\n"); Ctrl-D completes the line without a newline,
 * or marks end of file on an empty line.  Input that would not fit is dropped
 * with a bell.  Returns true when a line (or EOF) became readable. */
bool ldisc_input(struct ldisc *ld, u8 c, ldisc_echo_fn echo);

/* ISIG: when c is the interrupt, quit or suspend character, echo it as
 * "^C" (ECHOCTL), throw away all unread input (no NOFLSH) and return the
 * signal for the foreground group (2, 3, 20); else 0 and nothing changes. */
int ldisc_isig(struct ldisc *ld, u8 c, ldisc_echo_fn echo);

/* True when a completed line or an EOF mark is waiting. */
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
