/* Console line discipline: see ldisc.h. */
#include "fs/ldisc.h"
#include "lib/string.h"

/* Contracts of the exported functions are in ldisc.h. */
void ldisc_init(struct ldisc *ld)
{
	ld->edit_len = 0;
	ring_init(&ld->done);
	ld->line_head = ld->nlines = 0;
}

int ldisc_isig(struct ldisc *ld, u8 c, ldisc_echo_fn echo)
{
	static const struct { u8 c; int sig; const char *echo; } keys[] = {
		{ LDISC_INTR, 2, "^C" }, { LDISC_QUIT, 3, "^\\" }, { LDISC_SUSP, 20, "^Z" },
	};

	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		if (c != keys[i].c)
			continue;
		echo(keys[i].echo, 2);
		ldisc_init(ld);              /* flush: the typed and the unread lines */
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

bool ldisc_input(struct ldisc *ld, u8 c, ldisc_echo_fn echo)
{
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
		ld->nlines--;
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
