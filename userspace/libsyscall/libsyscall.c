/*
 * libsyscall: the raw system call entry and Levitate's own calls.
 * See libsyscall.h for the contracts.
 */
#include <stddef.h>

#include "libsyscall.h"

/* The environment of the running program (libc's; POSIX names it). */
extern char **environ;

/*
 * The x86_64 syscall instruction: number in rax, arguments in rdi, rsi,
 * rdx, r10, r8, r9; the result comes back in rax, and the CPU clobbers rcx
 * (return rip) and r11 (rflags).  "memory" because the kernel may read or
 * write any buffer the arguments point to.
 */
long los_syscall6(long nr, long a0, long a1, long a2, long a3, long a4,
    long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;

	__asm__ volatile("syscall"
	    : "=a"(ret)
	    : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
	    : "rcx", "r11", "memory");
	return ret;
}

/* Returns the child's pid or a negative errno (see libsyscall.h). */
long spawn(const char *path)
{
	return los_syscall6(LOS_NR_spawn, (long)path, 0, 0, 0, 0, 0);
}

/* Returns the child's pid or a negative errno (see libsyscall.h). */
long spawn_args(const char *path, char *const argv[])
{
	return los_syscall6(LOS_NR_spawn_args, (long)path, (long)argv, 0, 0, 0,
	    0);
}

/* Returns the child's pid, 0 in the child, or a negative errno. */
long los_fork(void)
{
	return los_syscall6(LOS_NR_fork, 0, 0, 0, 0, 0, 0);
}

/* Returns only on failure: a negative errno (see libsyscall.h). */
long los_exec(const char *path)
{
	char *argv[] = { (char *)path, NULL };

	return los_exec_args(path, argv);
}

/* Returns only on failure: a negative errno (see libsyscall.h). */
long los_exec_args(const char *path, char *const argv[])
{
	return los_syscall6(LOS_NR_execve, (long)path, (long)argv,
	    (long)environ, 0, 0, 0);
}
