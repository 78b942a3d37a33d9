/* Console line discipline: see ldisc.h. */
#include "fs/ldisc.h"
#include "lib/string.h"

/* Contracts of the exported functions are in ldisc.h. */
void ldisc_init(struct ldisc *ld)
{
	ld->mode = (struct ldisc_mode){ .canon = true, .echo = true, .icrnl = true,
		.isig = true, .intr = 0x03, .quit = 0x1c, .susp = 0x1a };
	ldisc_flush(ld);
}

void ldisc_flush(struct ldisc *ld)
{
	ld->edit_len = 0;
	ring_init(&ld->done);
	ld->line_head = ld->nlines = 0;
	ld->run_open = false;
}

size_t ldisc_unread(const struct ldisc *ld)
{
	return ring_len(&ld->done);
}

/* Queue n bytes as raw input: they extend the open raw run, or start one.
 * False (nothing queued) when the queue has no room. */
static bool raw_put(struct ldisc *ld, const char *s, size_t n)
{
	if (ring_space(&ld->done) < n || (!ld->run_open && ld->nlines == LDISC_LINES))
		return false;
	ring_put(&ld->done, s, n);
	if (ld->run_open) {
		ld->linelen[(ld->line_head + ld->nlines - 1) % LDISC_LINES] += (u32)n;
	} else {
		ld->linelen[(ld->line_head + ld->nlines) % LDISC_LINES] = (u32)n;
		ld->nlines++;
		ld->run_open = true;
	}
	return true;
}

void ldisc_set_mode(struct ldisc *ld, struct ldisc_mode mode)
{
	if (ld->mode.canon && !mode.canon && ld->edit_len > 0 &&
	    raw_put(ld, ld->edit, ld->edit_len))
		ld->edit_len = 0;
	if (mode.canon)
		ld->run_open = false;     /* new canonical lines queue after the run */
	ld->mode = mode;
}

/* Raw mode: every byte is input at once. */
static bool raw_input(struct ldisc *ld, u8 c, ldisc_echo_fn echo)
{
	char ch = (c == '\r' && ld->mode.icrnl) ? '\n' : (char)c;

	if (!raw_put(ld, &ch, 1))
		return false;
	if (ld->mode.echo)
		echo(&ch, 1);
	return true;
}

static void echo_nothing(const char *s, size_t n);

int ldisc_isig(struct ldisc *ld, u8 c, ldisc_echo_fn echo)
{
	const struct { u8 c; int sig; } keys[] = {
		{ ld->mode.intr, 2 }, { ld->mode.quit, 3 }, { ld->mode.susp, 20 },
	};
	char shown[2] = { '^', (char)(c ^ 0x40) };

	if (!ld->mode.isig || c == 0)
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		if (c != keys[i].c)
			continue;
		(ld->mode.echo ? echo : echo_nothing)(shown, 2);
		ldisc_flush(ld);             /* the typed and the unread lines */
		return keys[i].sig;
	}
	return 0;
}

/* Move the edited line (and a "\n" when newline) to the readable queue.  False
 * when the queue has no room; then nothing changes. */
static bool complete_line(struct ldisc *ld, bool newline)
{
	size_t len = ld->edit_len + (newline ? 1 : 0);

	if (ld->nlines == LDISC_LINES || ring_space(&ld->done) < len)
		return false;
	ring_put(&ld->done, ld->edit, ld->edit_len);
	if (newline)
		ring_put(&ld->done, "\n", 1);
	ld->linelen[(ld->line_head + ld->nlines) % LDISC_LINES] = (u32)len;
	ld->nlines++;
	ld->edit_len = 0;
	return true;
}

/* A typed character goes into the line if the line, and the queue it will
 * be delivered to (with its newline), both have room. */
static void add_char(struct ldisc *ld, u8 c, ldisc_echo_fn echo)
{
	if (ld->edit_len == LDISC_EDIT_MAX || ring_space(&ld->done) < ld->edit_len + 2) {
		echo("\a", 1);
		return;
	}
	ld->edit[ld->edit_len++] = (char)c;
	echo((const char *)&c, 1);
}

static void echo_nothing(const char *s, size_t n)
{
	(void)s;
	(void)n;
}

/* The echo callback, or one that drops everything when ECHO is off. */
static ldisc_echo_fn echo_of(const struct ldisc *ld, ldisc_echo_fn echo)
{
	return ld->mode.echo ? echo : echo_nothing;
}

bool ldisc_input(struct ldisc *ld, u8 c, ldisc_echo_fn echo)
{
	if (!ld->mode.canon)
		return raw_input(ld, c, echo);
	echo = echo_of(ld, echo);
	switch (c) {
	case '\r':
	case '\n':
		if (!complete_line(ld, true)) {
			echo("\a", 1);
			return false;
		}
		echo("\r\n", 2);
		return true;
	case LDISC_EOF:
		/* An empty line becomes a zero-length "line": the EOF mark. */
		if (!complete_line(ld, false)) {
			echo("\a", 1);
			return false;
		}
		return true;
	case LDISC_DEL:
	case LDISC_BS:
		if (ld->edit_len > 0) {
			ld->edit_len--;
			echo("\b \b", 3);
		}
		return false;
	default:
		if (c >= 0x20 || c == '\t')
			add_char(ld, c, echo);
		return false;   /* other control bytes are ignored */
	}
}

size_t ldisc_line_left(const struct ldisc *ld)
{
	return ld->nlines ? ld->linelen[ld->line_head] : 0;
}

bool ldisc_at_eof(const struct ldisc *ld)
{
	return ld->nlines > 0 && ld->linelen[ld->line_head] == 0;
}

size_t ldisc_peek(const struct ldisc *ld, const u8 **p)
{
	size_t run;

	if (ld->nlines == 0)
		return 0;
	run = ring_peek(&ld->done, 0, p);
	return MIN(run, (size_t)ld->linelen[ld->line_head]);
}

void ldisc_consume(struct ldisc *ld, size_t n)
{
	u32 *left;

	if (ld->nlines == 0)
		return;
	left = &ld->linelen[ld->line_head];
	ring_consume(&ld->done, n);
	*left -= (u32)n;
	/* Only an EOF mark is ever queued at 0 (read lines leave at once), so
	 * reaching 0 here means this line, or this EOF, has been read. */
	if (*left == 0) {
		ld->line_head = (ld->line_head + 1) % LDISC_LINES;
		if (--ld->nlines == 0)
			ld->run_open = false;
	}
}

size_t ldisc_read(struct ldisc *ld, void *dst, size_t n)
{
	size_t done = 0;
	const u8 *p;

	if (ldisc_at_eof(ld)) {
		ldisc_consume(ld, 0);
		return 0;
	}
	n = MIN(n, ldisc_line_left(ld));   /* one line at most */
	while (done < n) {
		size_t run = MIN(ldisc_peek(ld, &p), n - done);

		if (run == 0)
			break;
		memcpy((u8 *)dst + done, p, run);
		ldisc_consume(ld, run);
		done += run;
	}
	return done;
}
