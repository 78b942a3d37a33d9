/*
 * suite_test_linux: fork's memory is shared copy-on-write, and every way of
 * writing it must see only the writer's copy.  Each test would fail on a
 * kernel that shares a frame where it must not: a parent whose old TLB
 * entries still write the shared frame, the kernel's own copies (read()
 * into memory shared since fork), mprotect making a shared frame writable,
 * PROT_NONE pages, a frame freed while a grandchild still maps it, or
 * MAP_SHARED memory wrongly made private.  All pass on Linux too.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libsyscall.h"
#include "levbox.h"
#include "suite.h"
#include "suite_linux.h"

#define PAGE 4096UL
#define SPAN (16 * PAGE)            /* several pages, several page tables' worth of data */

static unsigned char data_span[SPAN] = { 1 };   /* .data: written before fork */
static unsigned char bss_span[SPAN];            /* .bss */

/* Fill buf with the pattern of seed; does it hold it? */
static void pattern(unsigned char *buf, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(i * 13 + seed + (i >> 12));
}

static int holds(const unsigned char *buf, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (buf[i] != (unsigned char)(i * 13 + seed + (i >> 12)))
			return 0;
	return 1;
}

/* Block until one byte arrives on fd: 0, or -1 at EOF/error. */
static int await(int fd)
{
	char c;

	return read(fd, &c, 1) == 1 ? 0 : -1;
}

static void signal_go(int fd)
{
	(void)!write(fd, "g", 1);
}

/* The exit code of child pid, or 128 + signal, or -1. */
static int child_result(pid_t pid)
{
	int ws;

	if (waitpid(pid, &ws, 0) != pid)
		return -1;
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : -1;
}

/* Both sides write after fork (the parent first, while the child waits):
 * each keeps its own bytes, in .data, .bss, heap (mmap) and stack. */
int test_cow_both_sides_private(void)
{
	unsigned char stack_span[2 * PAGE];
	unsigned char *heap = mmap(NULL, SPAN, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int go[2];
	pid_t pid;

	EXPECT(heap != MAP_FAILED);
	EXPECT_EQ(pipe(go), 0);
	pattern(data_span, SPAN, 1);
	pattern(bss_span, SPAN, 2);
	pattern(heap, SPAN, 3);
	pattern(stack_span, sizeof(stack_span), 4);
	pid = fork();
	if (pid == 0) {
		if (await(go[0]) < 0)
			_exit(2);
		if (!holds(data_span, SPAN, 1) || !holds(bss_span, SPAN, 2) ||
		    !holds(heap, SPAN, 3) || !holds(stack_span, sizeof(stack_span), 4))
			_exit(3);                  /* the parent's writes reached the child */
		pattern(data_span, SPAN, 11);
		pattern(heap, SPAN, 13);
		_exit(holds(data_span, SPAN, 11) && holds(heap, SPAN, 13) ? 0 : 4);
	}
	EXPECT(pid > 0);
	pattern(data_span, SPAN, 21);
	pattern(bss_span, SPAN, 22);
	pattern(heap, SPAN, 23);
	pattern(stack_span, sizeof(stack_span), 24);
	signal_go(go[1]);
	EXPECT_EQ(child_result(pid), 0);
	EXPECT(holds(data_span, SPAN, 21));         /* the child's writes stayed there */
	EXPECT(holds(bss_span, SPAN, 22));
	EXPECT(holds(heap, SPAN, 23));
	EXPECT(holds(stack_span, sizeof(stack_span), 24));
	close(go[0]);
	close(go[1]);
	EXPECT_EQ(munmap(heap, SPAN), 0);
	return 0;
}

/* The kernel writing a child's memory shared since fork (read() from a pipe,
 * pipe()'s descriptors, clock_gettime) writes the child's own copy. */
int test_cow_kernel_writes_are_private(void)
{
	static char buf[PAGE] = "parent";
	static int fds[2] = { -7, -7 };
	static struct timespec ts = { 12345, 0 };
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		if (pipe(fds) != 0 || write(fds[1], "child", 6) != 6)
			_exit(2);
		if (read(fds[0], buf, sizeof(buf)) != 6 || strcmp(buf, "child") != 0)
			_exit(3);
		if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0 || ts.tv_sec == 12345)
			_exit(4);
		_exit(0);
	}
	EXPECT(pid > 0);
	EXPECT_EQ(child_result(pid), 0);
	EXPECT(strcmp(buf, "parent") == 0);
	EXPECT_EQ(fds[0], -7);
	EXPECT_EQ(fds[1], -7);
	EXPECT_EQ(ts.tv_sec, 12345);
	return 0;
}

/* The parent exits first: its child's child still has the memory they
 * shared, and writes it. */
int test_cow_parent_exits_first(void)
{
	int res[2];
	pid_t pid;
	char verdict = 'x';

	pattern(data_span, SPAN, 5);
	EXPECT_EQ(pipe(res), 0);
	pid = fork();
	if (pid == 0) {
		pid_t me = getpid(), g = fork();
		if (g != 0)
			_exit(g > 0 ? 0 : 1);          /* the middle process goes at once */
		for (int i = 0; i < 100000 && getppid() == me; i++)
			sched_yield();             /* until it is gone (reparented) */
		verdict = getppid() != me && holds(data_span, SPAN, 5) ? 'y' : 'n';
		pattern(data_span, SPAN, 6);
		if (!holds(data_span, SPAN, 6))
			verdict = 'w';
		(void)!write(res[1], &verdict, 1);
		_exit(0);
	}
	EXPECT(pid > 0);
	close(res[1]);
	EXPECT_EQ(child_result(pid), 0);
	EXPECT_EQ(read(res[0], &verdict, 1), 1);
	EXPECT_EQ(verdict, 'y');
	EXPECT(holds(data_span, SPAN, 5));
	close(res[0]);
	return 0;
}

/* MAP_SHARED memory is never copy-on-write: writes go both ways after fork. */
int test_cow_shared_anon_both_ways(void)
{
	volatile char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	    -1, 0);
	int go[2], back[2];
	pid_t pid;

	EXPECT(p != MAP_FAILED);
	EXPECT_EQ(pipe(go), 0);
	EXPECT_EQ(pipe(back), 0);
	p[0] = 'a';
	pid = fork();
	if (pid == 0) {
		if (await(go[0]) < 0 || p[0] != 'p')
			_exit(2);                  /* the parent's write after fork */
		p[1] = 'c';
		signal_go(back[1]);
		_exit(0);
	}
	EXPECT(pid > 0);
	close(go[0]);
	close(back[1]);             /* a child that fails ends the wait below (EOF) */
	p[0] = 'p';
	signal_go(go[1]);
	EXPECT_EQ(await(back[0]), 0);
	EXPECT_EQ(p[1], 'c');
	EXPECT_EQ(child_result(pid), 0);
	close(go[1]), close(back[0]);
	EXPECT_EQ(munmap((void *)p, PAGE), 0);
	return 0;
}

/* Write one byte at p in a new child: its result (0, or 128 + SIGSEGV). */
static int write_in_child(volatile char *p)
{
	pid_t pid = fork();

	if (pid == 0) {
		*p = 'w';
		_exit(0);
	}
	return pid < 0 ? -1 : child_result(pid);
}

/* mprotect after fork: read-only and back to writable (so the frame is
 * writable again while the child still has it), and read-only in the child
 * (copy-on-write must not make it writable). */
int test_cow_mprotect_after_fork(void)
{
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int go[2];
	pid_t pid;

	EXPECT(p != MAP_FAILED);
	EXPECT_EQ(pipe(go), 0);
	p[0] = p[PAGE] = 'a';
	pid = fork();
	if (pid == 0) {
		if (mprotect(p + PAGE, PAGE, PROT_READ) != 0)
			_exit(2);
		if (write_in_child(p + PAGE) != 128 + SIGSEGV || p[PAGE] != 'a')
			_exit(3);
		if (await(go[0]) < 0)
			_exit(4);
		_exit(p[0] == 'a' ? 0 : 5);        /* the parent's write stayed there */
	}
	EXPECT(pid > 0);
	EXPECT_EQ(mprotect(p, PAGE, PROT_READ), 0);
	EXPECT_EQ(mprotect(p, PAGE, PROT_READ | PROT_WRITE), 0);
	p[0] = 'p';
	p[PAGE] = 'q';
	signal_go(go[1]);
	EXPECT_EQ(child_result(pid), 0);
	EXPECT_EQ(p[0], 'p');
	EXPECT_EQ(p[PAGE], 'q');
	close(go[0]), close(go[1]);
	EXPECT_EQ(munmap(p, 2 * PAGE), 0);
	return 0;
}

/* A PROT_NONE page across fork: inaccessible in the child until it makes it
 * writable; then its writes are its own. */
int test_cow_prot_none_page(void)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	EXPECT(p != MAP_FAILED);
	p[0] = 'p';
	EXPECT_EQ(mprotect(p, PAGE, PROT_NONE), 0);
	pid = fork();
	if (pid == 0) {
		if (write_in_child(p) != 128 + SIGSEGV)
			_exit(2);
		if (mprotect(p, PAGE, PROT_READ | PROT_WRITE) != 0 || p[0] != 'p')
			_exit(3);
		p[0] = 'c';
		_exit(p[0] == 'c' ? 0 : 4);
	}
	EXPECT(pid > 0);
	EXPECT_EQ(child_result(pid), 0);
	EXPECT_EQ(write_in_child(p), 128 + SIGSEGV);
	EXPECT_EQ(mprotect(p, PAGE, PROT_READ), 0);
	EXPECT_EQ(p[0], 'p');
	EXPECT_EQ(munmap(p, PAGE), 0);
	return 0;
}
