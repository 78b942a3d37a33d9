/*
 * hostile_lazyexec: exec maps a program's pages at their first touch
 * (kernel/mm/filemap.c), so the file must not be able to change a running
 * image.  This program is its own exec target: `--probe RD WR` says it is
 * ready on WR, waits for a byte on RD, and only then reads its 512 KiB of
 * initialised data and its 512 KiB .bss for the first time (and the code
 * that checks them), writes them, and exits 0 when every byte was right.
 *
 *   exec_cost          a child that has just exec'd a program with 1 MiB of
 *                      data and .bss costs a few pages, not 256 (freeram,
 *                      sent back by `--freeram WR` at start)
 *   copy_overwritten   a copy in /tmp (a file written since boot) is
 *                      overwritten in place while its probe waits; then the
 *                      copy (now garbage) is refused with ENOEXEC
 *   copy_unlinked      the same, the copy unlinked and its name reused
 *   image_overwritten  /usr/bin/hostile_lazyexec itself (initramfs bytes) is
 *                      overwritten in place while a probe waits
 * Each probe writes its data after checking it, so a later probe would see
 * those writes if writable pages were ever shared between runs.
 * Usage: hostile_lazyexec [-v] | --probe RD WR | --freeram WR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostile.h"

#define BIG (512 * 1024)
#define SELF "/usr/bin/hostile_lazyexec"
#define COPY "/tmp/hostile_lazyexec.copy"
#define ENOEXEC 8
#define O_WRONLY 01
#define O_CREAT 0100
#define O_TRUNC 01000
#define AT_FDCWD (-100)

static volatile unsigned char data_big[BIG] = { [0 ... BIG - 1] = 0xA5 };
static volatile unsigned char bss_big[BIG];

/* The data and .bss hold what the file says (first touch here), and
 * writes to them stay. */
static int image_intact(void)
{
	for (long i = 0; i < BIG; i++)
		if (data_big[i] != 0xA5 || bss_big[i] != 0)
			return 0;
	for (long i = 0; i < BIG; i += 4096)
		data_big[i] = bss_big[i] = 0x11;
	return data_big[BIG - 4096] == 0x11 && bss_big[0] == 0x11;
}

static int probe(long rd, long wr)
{
	char c = 'r';

	SYS3(LOS_NR_write, wr, &c, 1);
	if (SYS3(LOS_NR_read, rd, &c, 1) != 1)
		return 2;
	return image_intact() ? 0 : 1;
}

/* Start `path --probe` in a child with a pair of pipes; its pid (after it
 * said it is ready), or a negative errno.  go[1] is left open for the caller. */
static long start_probe(const char *path, int go[2])
{
	int ready[2];
	char rd[16], wr[16], c;
	char *argv[] = { "hostile_lazyexec", "--probe", rd, wr, NULL };
	long pid;

	if (SYS1(LOS_NR_pipe, go) < 0 || SYS1(LOS_NR_pipe, ready) < 0)
		return -1;
	snprintf(rd, sizeof(rd), "%d", go[0]);
	snprintf(wr, sizeof(wr), "%d", ready[1]);
	pid = los_fork_exec(path, argv);
	SYS1(LOS_NR_close, go[0]);
	SYS1(LOS_NR_close, ready[1]);
	if (pid > 0 && SYS3(LOS_NR_read, ready[0], &c, 1) != 1)
		pid = -1;
	SYS1(LOS_NR_close, ready[0]);
	return pid;
}

/* Let the probe go and return its wait status. */
static long finish_probe(long pid, int go[2])
{
	char c = 'g';

	SYS3(LOS_NR_write, go[1], &c, 1);
	SYS1(LOS_NR_close, go[1]);
	return hostile_wait(pid);
}

/* Write n bytes of byte b over path (created if missing, truncated): 0 or -1. */
static int overwrite(const char *path, int b, long n)
{
	static char junk[4096];
	long fd = SYS4(LOS_NR_openat, AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, 0755);

	memset(junk, b, sizeof(junk));
	if (fd < 0)
		return -1;
	for (long done = 0; done < n; done += sizeof(junk))
		if (SYS3(LOS_NR_write, fd, junk, sizeof(junk)) != (long)sizeof(junk))
			return -1;
	SYS1(LOS_NR_close, fd);
	return 0;
}

/* Copy path to COPY (mode 0755): 0 or -1. */
static int copy_self(void)
{
	static char buf[65536];
	long in = SYS4(LOS_NR_openat, AT_FDCWD, SELF, 0, 0), out, n;

	out = SYS4(LOS_NR_openat, AT_FDCWD, COPY, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (in < 0 || out < 0)
		return -1;
	while ((n = SYS3(LOS_NR_read, in, buf, sizeof(buf))) > 0)
		if (SYS3(LOS_NR_write, out, buf, n) != n)
			return -1;
	SYS1(LOS_NR_close, in);
	SYS1(LOS_NR_close, out);
	return n == 0 ? 0 : -1;
}

/* Pages a child costs right after exec'ing this program (it reports its
 * freeram at once): at most 64 where loading 1 MiB took 256 more. */
static int exec_cost(void)
{
	int p[2];
	char wr[16];
	char *argv[] = { "hostile_lazyexec", "--freeram", wr, NULL };
	long before, in_child = -1, pid, pages;

	if (SYS1(LOS_NR_pipe, p) < 0)
		return 2;
	snprintf(wr, sizeof(wr), "%d", p[1]);
	before = hostile_freeram();
	pid = los_fork_exec(SELF, argv);
	if (pid < 0 || SYS3(LOS_NR_read, p[0], &in_child, sizeof(in_child)) != sizeof(in_child))
		return 3;
	hostile_wait(pid);
	SYS1(LOS_NR_close, p[0]);
	SYS1(LOS_NR_close, p[1]);
	pages = (before - in_child) / 4096;
	printf("hostile_lazyexec: exec of 1 MiB of data and .bss: the child costs %ld pages\n", pages);
	return pages <= 64 ? 0 : 4;
}

/* Run a probe from path, change the file with change(), let it go: 0 when
 * the probe saw its image intact. */
static int probe_across(const char *path, int (*change)(void))
{
	int go[2];
	long pid = start_probe(path, go), st;

	if (pid < 0)
		return 2;
	if (change() < 0)
		return 3;
	st = finish_probe(pid, go);
	return st == 0 ? 0 : 4;
}

static int overwrite_copy(void) { return overwrite(COPY, 0xEE, 2 * BIG); }
static int unlink_copy(void)
{
	return SYS3(LOS_NR_unlinkat, AT_FDCWD, COPY, 0) < 0 ? -1 : overwrite(COPY, 0xDD, 4096);
}
static int overwrite_self(void) { return overwrite(SELF, 0xEE, 4096); }

static int copy_overwritten(void)
{
	char *argv[] = { "hostile_lazyexec", "--freeram", "1", NULL };
	long r;

	if (copy_self() < 0)
		return 5;
	r = probe_across(COPY, overwrite_copy);
	if (r)
		return (int)r;
	r = los_fork_exec(COPY, argv);            /* garbage now: refused, caller alive */
	if (r >= 0)
		hostile_wait(r);
	return r == -ENOEXEC ? 0 : 6;
}

static int copy_unlinked(void)
{
	int r;

	if (copy_self() < 0)
		return 5;
	r = probe_across(COPY, unlink_copy);
	SYS3(LOS_NR_unlinkat, AT_FDCWD, COPY, 0);
	return r;
}

/* Last: after it this program's file is garbage. */
static int image_overwritten(void)
{
	int r = probe_across(SELF, overwrite_self);

	SYS3(LOS_NR_unlinkat, AT_FDCWD, SELF, 0);   /* its frames go back */
	return r;
}

static const struct { const char *name; int (*run)(void); } cases[] = {
	{ "exec_cost", exec_cost },
	{ "copy_overwritten", copy_overwritten },
	{ "copy_unlinked", copy_unlinked },
	{ "image_overwritten", image_overwritten },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

int main(int argc, char **argv)
{
	int verbose = argc > 1 && strcmp(argv[1], "-v") == 0, passed = 0, survived = 0;
	long before, after, free;

	if (argc == 4 && strcmp(argv[1], "--probe") == 0)
		return probe(atol(argv[2]), atol(argv[3]));
	if (argc == 3 && strcmp(argv[1], "--freeram") == 0) {
		free = hostile_freeram();
		SYS3(LOS_NR_write, atol(argv[2]), &free, sizeof(free));
		return 0;
	}
	hostile_start();
	exec_cost();                                  /* warm up: the code paths once */
	copy_unlinked();
	before = hostile_settled_freeram();
	for (size_t i = 0; i < NCASES; i++) {
		int st = cases[i].run(), ok = st == 0;

		if (!ok || verbose)
			printf("hostile_lazyexec: %s %s: status %d\n", ok ? "ok" : "FAIL", cases[i].name, st);
		fflush(stdout);
		passed += ok;
		survived += SYS0(LOS_NR_getpid) > 0;
	}
	after = hostile_settled_freeram();
	printf("hostile_lazyexec: %zu cases, %d survived, %d passed, freeram before %ld after %ld\n",
	    NCASES, survived, passed, before, after);
	return (size_t)passed == NCASES && before == after ? 0 : 1;
}
