/*
 * suite_test_core: memory.  brk, anonymous mmap, and the kernel's free
 * memory count (sysinfo freeram), which must come back to the same value
 * after a child is started and reaped, or a start fails: nothing leaks.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>

#include "libsyscall.h"
#include "levbox.h"
#include "suite.h"

#define GROW (256 * 1024L)
#define MAP_SIZE (1024 * 1024UL)
#define PAGE 4096UL
#define LEAK_ROUNDS 3

/* Is every byte of buf[0..n) equal to c? */
static int all_bytes(const unsigned char *buf, size_t n, unsigned char c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (buf[i] != c)
			return 0;
	return 1;
}

int test_brk_grow(void)
{
	long start = los_syscall6(LOS_NR_brk, 0, 0, 0, 0, 0, 0);
	unsigned char *p = (unsigned char *)start;

	EXPECT(start > 0);
	EXPECT_EQ(los_syscall6(LOS_NR_brk, start + GROW, 0, 0, 0, 0, 0),
	    start + GROW);
	memset(p, 0xa5, GROW);
	EXPECT(all_bytes(p, GROW, 0xa5));
	/* A break in the kernel half is refused: the old break comes back. */
	EXPECT_EQ(los_syscall6(LOS_NR_brk, (long)0xffff800000000000UL, 0, 0,
	    0, 0, 0), start + GROW);
	EXPECT_EQ(los_syscall6(LOS_NR_brk, start, 0, 0, 0, 0, 0), start);
	EXPECT_EQ(los_syscall6(LOS_NR_brk, 0, 0, 0, 0, 0, 0), start);
	return 0;
}

int test_mmap_anon(void)
{
	unsigned char *a, *b;
	size_t i;

	a = mmap(NULL, MAP_SIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	b = mmap(NULL, MAP_SIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT(a != MAP_FAILED && b != MAP_FAILED);
	EXPECT_EQ((uintptr_t)a % PAGE, 0);
	EXPECT(a + MAP_SIZE <= b || b + MAP_SIZE <= a);
	/* Fresh memory is zero: no other process's data shows through. */
	EXPECT(all_bytes(a, MAP_SIZE, 0));
	for (i = 0; i < MAP_SIZE; i++)
		a[i] = (unsigned char)(i / PAGE);
	memset(b, 0xff, MAP_SIZE);
	for (i = 0; i < MAP_SIZE; i += PAGE)
		EXPECT_EQ(a[i + PAGE - 1], (unsigned char)(i / PAGE));
	EXPECT_EQ(munmap(a, MAP_SIZE), 0);
	EXPECT_EQ(munmap(b, MAP_SIZE), 0);
	return 0;
}

/* Free physical memory in bytes, or 0 if sysinfo fails. */
static unsigned long long free_bytes(void)
{
	struct sysinfo si;

	if (sysinfo(&si) != 0)
		return 0;
	return (unsigned long long)si.freeram * (si.mem_unit ? si.mem_unit : 1);
}

/* Start /bin/true and reap it.  Returns 0, or -1. */
static int spawn_true(void)
{
	int ws;
	long pid = start_program("/bin/true");

	if (pid < 0 || waitpid((pid_t)pid, &ws, 0) != pid)
		return -1;
	return ws == 0 ? 0 : -1;
}

/* Spawns that must fail.  Returns 0 if all did, with the right errors. */
static int spawn_failures(void)
{
	char *argv[] = { "true", hostile(1), NULL };

	if (start_program("/bin/truncelf") != -ENOEXEC)
		return -1;
	if (start_program("/bin/badelf") != -ENOEXEC)
		return -1;
	if (start_program("/bin/nothere") != -ENOENT)
		return -1;
	return los_fork_exec("/bin/true", argv) == -EFAULT ? 0 : -1;
}

int test_sysinfo_noleak(void)
{
	struct sysinfo si;
	unsigned long long before;
	int i;

	EXPECT_EQ(sysinfo(&si), 0);
	EXPECT(si.freeram > 0);
	EXPECT(si.totalram >= si.freeram);
	/* The first round may fill kernel caches that stay; measure after. */
	EXPECT_EQ(spawn_true(), 0);
	before = free_bytes();
	for (i = 0; i < LEAK_ROUNDS; i++)
		EXPECT_EQ(spawn_true(), 0);
	EXPECT_EQ(free_bytes(), before);
	return 0;
}

int test_spawn_fail_noleak(void)
{
	unsigned long long before;
	int i;

	EXPECT_EQ(spawn_failures(), 0);
	before = free_bytes();
	EXPECT(before > 0);
	for (i = 0; i < LEAK_ROUNDS; i++)
		EXPECT_EQ(spawn_failures(), 0);
	EXPECT_EQ(free_bytes(), before);
	return 0;
}
