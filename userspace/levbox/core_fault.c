/*
 * suite_test_core: hostile pointers.  Each call gets an address the kernel
 * must refuse (NULL, unmapped, the kernel half) and must answer -EFAULT,
 * with the caller still running.  Raw los_syscall6, so that libc neither
 * dereferences the pointer itself nor turns the answer into errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "libsyscall.h"
#include "levbox.h"
#include "suite.h"

#define KERNEL_HALF ((long)0xffff800000000000UL)
#define UNMAPPED 0xdeadbeef000L

/* los_syscall6 with fewer words. */
#define RAW(nr, a, b, c, d) los_syscall6((nr), (long)(a), (long)(b), \
	(long)(c), (long)(d), 0, 0)

/* A pipe, so the answer does not depend on what fd 1 is (Linux's
 * /dev/null, for one, never reads the buffer). */
int test_efault_write_null(void)
{
	int p[2];

	EXPECT_EQ(pipe(p), 0);
	EXPECT_EQ(RAW(LOS_NR_write, p[1], 0, 5, 0), -EFAULT);
	return 0;
}

int test_efault_write_kernel(void)
{
	int p[2];

	EXPECT_EQ(pipe(p), 0);
	EXPECT_EQ(RAW(LOS_NR_write, p[1], KERNEL_HALF, 5, 0), -EFAULT);
	/* A range that wraps around the top of the address space. */
	EXPECT_EQ(RAW(LOS_NR_write, p[1], -4096L, 0x2000, 0), -EFAULT);
	return 0;
}

/* fd 1 is Levitate's console here: its write path checks pointers too. */
int test_efault_write_console(void)
{
	EXPECT_EQ(RAW(LOS_NR_write, 1, 0, 5, 0), -EFAULT);
	EXPECT_EQ(RAW(LOS_NR_write, 1, KERNEL_HALF, 5, 0), -EFAULT);
	EXPECT_EQ(RAW(LOS_NR_writev, 1, KERNEL_HALF, 1, 0), -EFAULT);
	return 0;
}

int test_efault_read_pipe(void)
{
	int p[2];

	EXPECT_EQ(pipe(p), 0);
	EXPECT_EQ(write(p[1], "hello", 5), 5);
	EXPECT_EQ(RAW(LOS_NR_read, p[0], 1, 5, 0), -EFAULT);
	EXPECT_EQ(RAW(LOS_NR_read, p[0], KERNEL_HALF, 5, 0), -EFAULT);
	return 0;
}

int test_efault_read_file(void)
{
	int fd = openat(AT_FDCWD, "/etc/hello.txt", O_RDONLY);

	EXPECT(fd >= 0);
	EXPECT_EQ(RAW(LOS_NR_read, fd, 1, 5, 0), -EFAULT);
	EXPECT_EQ(RAW(LOS_NR_read, fd, KERNEL_HALF, 5, 0), -EFAULT);
	return 0;
}

int test_efault_open(void)
{
	int low = lowest_free_fd();

	EXPECT_EQ(RAW(LOS_NR_open, 1, O_RDONLY, 0, 0), -EFAULT);
	EXPECT_EQ(RAW(LOS_NR_open, KERNEL_HALF, O_RDONLY, 0, 0), -EFAULT);
	EXPECT_EQ(lowest_free_fd(), low);
	return 0;
}

int test_efault_uname(void)
{
	EXPECT_EQ(RAW(LOS_NR_uname, 0, 0, 0, 0), -EFAULT);
	EXPECT_EQ(RAW(LOS_NR_uname, KERNEL_HALF, 0, 0, 0), -EFAULT);
	return 0;
}

int test_efault_sysinfo(void)
{
	EXPECT_EQ(RAW(LOS_NR_sysinfo, -1, 0, 0, 0), -EFAULT);
	return 0;
}

int test_efault_pipe(void)
{
	int low = lowest_free_fd();

	EXPECT_EQ(RAW(LOS_NR_pipe, 0, 0, 0, 0), -EFAULT);
	EXPECT_EQ(RAW(LOS_NR_pipe2, KERNEL_HALF, 0, 0, 0), -EFAULT);
	/* The failed calls must not leave descriptors behind. */
	EXPECT_EQ(lowest_free_fd(), low);
	return 0;
}

int test_efault_fstat(void)
{
	EXPECT_EQ(RAW(LOS_NR_fstat, 0, UNMAPPED, 0, 0), -EFAULT);
	EXPECT_EQ(RAW(LOS_NR_fstat, 0, KERNEL_HALF, 0, 0), -EFAULT);
	return 0;
}

int test_efault_wait4(void)
{
	long pid = start_program("/bin/true"), ret;
	int ws;

	EXPECT_OK(pid);
	EXPECT_EQ(RAW(LOS_NR_wait4, -1, 0x10, 0, 0), -EFAULT);
	/* Linux reaps the child before the status copy fails; a kernel that
	 * checks first still has it.  Either way nothing else is waiting. */
	ret = RAW(LOS_NR_wait4, -1, &ws, 0, 0);
	EXPECT(ret == pid || ret == -ECHILD);
	return 0;
}

int test_enosys(void)
{
	EXPECT_EQ(RAW(5000, 0, 0, 0, 0), -ENOSYS);
	EXPECT_EQ(RAW(-1, 0, 0, 0, 0), -ENOSYS);
	EXPECT_EQ(RAW(0x7fffffffL, 0, 0, 0, 0), -ENOSYS);
	/* Between Linux's table and Levitate's own calls. */
	EXPECT_EQ(RAW(1000, 0, 0, 0, 0), -ENOSYS);
	return 0;
}
