/*
 * suite_test_linux: page protections (mprotect) and shared anonymous memory.
 * A protection is judged the way a program sees it: a child that touches a
 * page it may not is killed by SIGSEGV, and the kernel refuses to copy
 * through such a page (EFAULT) rather than bypass the protection.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libsyscall.h"
#include "levbox.h"
#include "suite.h"
#include "suite_linux.h"

#define PAGE 4096UL
#define RAW3(nr, a, b, c) los_syscall6((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* Fork a child that reads (write = 0) or writes one byte at p, then exits 0.
 * Returns the child's wait status, or -1. */
static int touch_in_child(volatile char *p, int write)
{
	int ws;
	pid_t pid = fork();

	if (pid == 0) {
		if (write)
			*p = 'w';
		else
			(void)*p;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &ws, 0) != pid)
		return -1;
	return ws;
}

static int killed_by_segv(int ws)
{
	return ws >= 0 && WIFSIGNALED(ws) && WTERMSIG(ws) == SIGSEGV;
}

static char *map_rw(size_t len, int flags)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int test_mprotect_readonly(void)
{
	char *p = map_rw(2 * PAGE, MAP_PRIVATE);
	int fds[2];

	EXPECT(p != NULL);
	p[0] = 'a';
	EXPECT_EQ(mprotect(p, 2 * PAGE, PROT_READ), 0);
	EXPECT_EQ(touch_in_child(p, 0), 0);
	EXPECT(killed_by_segv(touch_in_child(p + PAGE, 1)));
	/* The kernel writing for the program obeys the protection too. */
	EXPECT_EQ(pipe(fds), 0);
	EXPECT_EQ(write(fds[1], "x", 1), 1);
	EXPECT_EQ(RAW3(LOS_NR_read, fds[0], p, 1), -EFAULT);
	EXPECT_EQ(mprotect(p, 2 * PAGE, PROT_READ | PROT_WRITE), 0);
	EXPECT_EQ(read(fds[0], p, 1), 1);
	EXPECT_EQ(p[0], 'x');
	close(fds[0]);
	close(fds[1]);
	EXPECT_EQ(munmap(p, 2 * PAGE), 0);
	return 0;
}

int test_mprotect_none(void)
{
	char *p = map_rw(PAGE, MAP_PRIVATE);

	EXPECT(p != NULL);
	p[10] = 'z';
	EXPECT_EQ(mprotect(p, PAGE, PROT_NONE), 0);
	EXPECT(killed_by_segv(touch_in_child(p, 0)));
	EXPECT(killed_by_segv(touch_in_child(p, 1)));
	EXPECT_EQ(RAW3(LOS_NR_write, 1, p, 1), -EFAULT);
	/* The contents survive: PROT_NONE hides the page, it does not drop it. */
	EXPECT_EQ(mprotect(p, PAGE, PROT_READ), 0);
	EXPECT_EQ(p[10], 'z');
	/* mmap can make an inaccessible page directly. */
	char *q = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT(q != MAP_FAILED);
	EXPECT(killed_by_segv(touch_in_child(q, 0)));
	EXPECT_EQ(munmap(q, PAGE), 0);
	EXPECT_EQ(munmap(p, PAGE), 0);
	return 0;
}

int test_mprotect_errors(void)
{
	char *p = map_rw(PAGE, MAP_PRIVATE);

	EXPECT(p != NULL);
	EXPECT_EQ(RAW3(LOS_NR_mprotect, p + 1, PAGE, PROT_READ), -EINVAL);
	EXPECT_EQ(RAW3(LOS_NR_mprotect, p, PAGE, 0x100), -EINVAL);
	EXPECT_EQ(RAW3(LOS_NR_mprotect, p, 0, PROT_READ), 0);
	EXPECT_EQ(RAW3(LOS_NR_mprotect, 0xdeadbeef000L, PAGE, PROT_READ), -ENOMEM);
	EXPECT_EQ(RAW3(LOS_NR_mprotect, 0xffff800000000000UL, PAGE, PROT_READ), -ENOMEM);
	EXPECT_EQ(RAW3(LOS_NR_mprotect, p, -PAGE, PROT_READ), -ENOMEM);
	p[0] = 1;    /* still writable: those calls changed nothing */
	/* A hole after the first page: ENOMEM, and (as on Linux) the pages
	 * before the hole have their new protection. */
	EXPECT_EQ(RAW3(LOS_NR_mprotect, p, 64 * PAGE, PROT_READ), -ENOMEM);
	EXPECT(killed_by_segv(touch_in_child(p, 1)));
	EXPECT_EQ(munmap(p, PAGE), 0);
	return 0;
}

/* A page made read-only, shared by fork, then made writable again in the
 * child: the child's writes must stay the child's. */
int test_mprotect_fork_private(void)
{
	char *p = map_rw(PAGE, MAP_PRIVATE);
	int ws;
	pid_t pid;

	EXPECT(p != NULL);
	p[0] = 'p';
	EXPECT_EQ(mprotect(p, PAGE, PROT_READ), 0);
	pid = fork();
	if (pid == 0) {
		if (mprotect(p, PAGE, PROT_READ | PROT_WRITE) != 0)
			_exit(2);
		p[0] = 'c';
		_exit(p[0] == 'c' ? 0 : 3);
	}
	EXPECT(pid > 0);
	EXPECT_EQ(waitpid(pid, &ws, 0), pid);
	EXPECT_EQ(ws, 0);
	EXPECT_EQ(p[0], 'p');
	EXPECT_EQ(mprotect(p, PAGE, PROT_READ | PROT_WRITE), 0);
	p[0] = 'q';
	EXPECT_EQ(p[0], 'q');
	EXPECT_EQ(munmap(p, PAGE), 0);
	return 0;
}

int test_mmap_shared_anon(void)
{
	volatile char *p = map_rw(2 * PAGE, MAP_SHARED);
	int ws;
	pid_t pid;

	EXPECT(p != NULL);
	p[PAGE] = 'p';
	pid = fork();
	if (pid == 0) {
		p[0] = 'c';
		_exit(p[PAGE] == 'p' ? 0 : 1);
	}
	EXPECT(pid > 0);
	EXPECT_EQ(waitpid(pid, &ws, 0), pid);
	EXPECT_EQ(ws, 0);
	EXPECT_EQ(p[0], 'c');     /* the child's write is the parent's too */
	EXPECT_EQ(munmap((void *)p, 2 * PAGE), 0);
	return 0;
}

/* Mapping types Linux refuses for anonymous memory: never a silent private map. */
int test_mmap_type_einval(void)
{
	long r = los_syscall6(LOS_NR_mmap, 0, PAGE, PROT_READ, 0x03 | MAP_ANONYMOUS, -1, 0);

	EXPECT_EQ(r, -EINVAL);    /* MAP_SHARED_VALIDATE */
	r = los_syscall6(LOS_NR_mmap, 0, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0);
	EXPECT_EQ(r, -EINVAL);    /* neither shared nor private */
	return 0;
}
