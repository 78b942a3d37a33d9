/*
 * suite_test_linux: the divergences the Linux oracle found
 * (docs/linux-oracle-results.md), each pinned to what Linux 6.1 does.
 * Portable: every test here also passes natively on the host's Linux.
 */
#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libsyscall.h"
#include "levbox.h"
#include "suite.h"
#include "suite_linux.h"

#define PAGE 4096UL
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)
#define WAIT4(pid, ws) los_syscall6(LOS_NR_wait4, (long)(pid), (long)(ws), 0, 0, 0, 0)

/* Linux reaps the child in do_wait and only then copies the status out
 * (kernel/exit.c, kernel_wait4): a bad status pointer costs the report.
 * wait4 says EFAULT and the child is gone: nothing is left to wait for. */
int test_wait4_efault_reaps(void)
{
	pid_t pid = fork();
	int ws;

	if (pid == 0)
		_exit(3);
	EXPECT(pid > 0);
	EXPECT_EQ(WAIT4(pid, 0x10), -EFAULT);
	EXPECT_EQ(WAIT4(pid, &ws), -ECHILD);
	EXPECT_EQ(WAIT4(-1, &ws), -ECHILD);
	return 0;
}

static char *map_at(void *addr, size_t len, int prot, int flags)
{
	return mmap(addr, len, prot, flags | ANON, -1, 0);
}

/* Whether a child reading *p is killed by SIGSEGV. */
static int read_segv(volatile char *p)
{
	int ws;
	pid_t pid = fork();

	if (pid == 0) {
		(void)*p;
		_exit(0);
	}
	return pid > 0 && waitpid(pid, &ws, 0) == pid && WIFSIGNALED(ws) && WTERMSIG(ws) == SIGSEGV;
}

/* MAP_FIXED replaces the pages under it (fresh zeros, the neighbours
 * intact); MAP_FIXED_NOREPLACE refuses with EEXIST and changes nothing;
 * an unaligned fixed address is EINVAL. */
int test_mmap_fixed_replaces(void)
{
	char *p = map_at(NULL, 3 * PAGE, RW, 0);

	EXPECT(p != MAP_FAILED);
	p[0] = 'a', p[PAGE] = 'b', p[2 * PAGE] = 'c';
	EXPECT(map_at(p + PAGE, PAGE, RW, MAP_FIXED) == p + PAGE);
	EXPECT_EQ(p[PAGE], 0);
	EXPECT(p[0] == 'a' && p[2 * PAGE] == 'c');
	p[PAGE] = 'x';
	errno = 0;
	EXPECT(map_at(p + PAGE, PAGE, RW, MAP_FIXED_NOREPLACE) == MAP_FAILED);
	EXPECT_EQ(errno, EEXIST);
	EXPECT_EQ(p[PAGE], 'x');
	errno = 0;
	EXPECT(map_at(p + 1, PAGE, RW, MAP_FIXED) == MAP_FAILED);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(munmap(p, 3 * PAGE), 0);
	/* Free again: NOREPLACE maps there. */
	EXPECT(map_at(p, PAGE, RW, MAP_FIXED_NOREPLACE) == p);
	EXPECT_EQ(p[0], 0);
	return 0;
}

/* musl's malloc: grow the break, then a PROT_NONE guard with MAP_FIXED
 * over the heap's first page.  Linux replaces the page; the next heap page
 * keeps its bytes. */
int test_mmap_fixed_over_heap(void)
{
	char *cur = (char *)los_syscall6(LOS_NR_brk, 0, 0, 0, 0, 0, 0);
	char *heap = (char *)(((unsigned long)cur + PAGE - 1) & ~(PAGE - 1));
	char *end = heap + 2 * PAGE;

	EXPECT((char *)los_syscall6(LOS_NR_brk, (long)end, 0, 0, 0, 0, 0) == end);
	heap[0] = 'h', heap[PAGE] = 'i';
	EXPECT(map_at(heap, PAGE, PROT_NONE, MAP_FIXED) == heap);
	EXPECT(read_segv(heap));
	EXPECT_EQ(heap[PAGE], 'i');
	EXPECT(map_at(heap, PAGE, RW, MAP_FIXED) == heap);
	EXPECT_EQ(heap[0], 0);
	return 0;
}

/* Replacing a mapping frees the old frames exactly: private and MAP_SHARED.
 * Levitate only (freeram is not stable on the host). */
int test_mmap_fixed_noleak(void)
{
	struct { long uptime; unsigned long loads[3], totalram, freeram; char rest[80]; } si;
	unsigned long before;
	char *p = map_at(NULL, 4 * PAGE, RW, 0);
	char *s = mmap(NULL, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	EXPECT(p != MAP_FAILED && s != MAP_FAILED);
	p[0] = 1, s[0] = 1;
	EXPECT_EQ(los_syscall6(LOS_NR_sysinfo, (long)&si, 0, 0, 0, 0, 0), 0);
	before = si.freeram;
	for (int i = 0; i < 50; i++) {
		EXPECT(map_at(p, 4 * PAGE, RW, MAP_FIXED) == p);
		EXPECT(mmap(s, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == s);
		p[i % 4 * PAGE] = 2, s[0] = 2;
	}
	EXPECT_EQ(los_syscall6(LOS_NR_sysinfo, (long)&si, 0, 0, 0, 0, 0), 0);
	EXPECT_EQ(si.freeram, before);
	return 0;
}
