/*
 * suite_test_linux: process creation as glibc and BusyBox do it: clone with
 * glibc fork()'s tid flags, and vfork (the parent resumes once the child
 * has exec'ed or exited).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libsyscall.h"
#include "levbox.h"
#include "suite.h"
#include "suite_linux.h"

static int child_tid_word, parent_tid_word;

static int wait_exit_code(pid_t pid)
{
	int ws;

	if (waitpid(pid, &ws, 0) != pid || !WIFEXITED(ws))
		return -1;
	return WEXITSTATUS(ws);
}

/* glibc's fork(): clone(CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD, 0,
 * NULL, &tid), plus CLONE_PARENT_SETTID.  Each tid word is written in its
 * own process's memory only. */
int test_clone_tid_flags(void)
{
	long flags = CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CLONE_PARENT_SETTID | SIGCHLD;
	long pid;

	child_tid_word = parent_tid_word = 0;
	pid = los_syscall6(LOS_NR_clone, flags, 0, (long)&parent_tid_word,
	    (long)&child_tid_word, 0, 0);
	if (pid == 0) {
		long me = los_syscall6(LOS_NR_getpid, 0, 0, 0, 0, 0, 0);
		los_syscall6(LOS_NR_exit, child_tid_word == me && parent_tid_word == 0 ? 0 : 1,
		    0, 0, 0, 0, 0);
	}
	EXPECT(pid > 0);
	EXPECT_EQ(wait_exit_code((pid_t)pid), 0);
	EXPECT_EQ(parent_tid_word, pid);
	EXPECT_EQ(child_tid_word, 0);
	/* A tid address the child cannot write is ignored, as on Linux. */
	pid = los_syscall6(LOS_NR_clone, CLONE_CHILD_SETTID | SIGCHLD, 0, 0, 8, 0, 0);
	if (pid == 0)
		los_syscall6(LOS_NR_exit, 5, 0, 0, 0, 0, 0);
	EXPECT(pid > 0);
	EXPECT_EQ(wait_exit_code((pid_t)pid), 5);
	return 0;
}

/* vfork.  The child runs on its parent's stack (on Linux), so it must not
 * touch memory at all: it makes one system call, then exits with code, all
 * in registers.  Returns the parent's vfork result. */
static long vfork_then(long nr, long a0, long a1, long a2, long code)
{
	long ret;
	register long r10 __asm__("r10") = a2;

	__asm__ volatile(
	    "mov $58, %%eax\n\tsyscall\n\t"
	    "test %%rax, %%rax\n\tjnz 1f\n\t"
	    "mov %[nr], %%rax\n\tmov %[a0], %%rdi\n\tmov %[a1], %%rsi\n\tmov %%r10, %%rdx\n\tsyscall\n\t"
	    "mov $60, %%eax\n\tmov %[code], %%rdi\n\tsyscall\n"
	    "1:"
	    : "=&a"(ret)
	    : [nr] "r"(nr), [a0] "r"(a0), [a1] "r"(a1), "r"(r10), [code] "r"(code)
	    : "rcx", "r11", "rdi", "rsi", "rdx", "memory");
	return ret;
}

static long vfork_write_exit(int fd)
{
	return vfork_then(LOS_NR_write, fd, (long)"v", 1, 3);
}

static long vfork_exec_status(void)
{
	static char *const argv[] = { "status", "9", NULL };

	return vfork_then(LOS_NR_execve, (long)"/bin/status", (long)argv, 0, 127);
}

/* The parent of a vfork runs again only after the child has exited: what
 * the child wrote to the pipe is there the moment vfork returns. */
int test_vfork_waits_for_exit(void)
{
	int p[2];
	char c = 0;
	long pid;

	EXPECT_EQ(pipe2(p, O_NONBLOCK), 0);
	pid = vfork_write_exit(p[1]);
	EXPECT(pid > 0);
	EXPECT_EQ(read(p[0], &c, 1), 1);
	EXPECT_EQ(c, 'v');
	EXPECT_EQ(wait_exit_code((pid_t)pid), 3);
	close(p[0]);
	close(p[1]);
	return 0;
}

/* vfork then exec: the parent resumes at the exec, and the program runs. */
int test_vfork_exec(void)
{
	long pid = vfork_exec_status();

	EXPECT(pid > 0);
	EXPECT_EQ(wait_exit_code((pid_t)pid), 9);
	return 0;
}
