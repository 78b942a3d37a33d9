/*
 * libsyscall: the raw system call entry and Levitate's own calls.
 * See libsyscall.h for the contracts.
 */
#include <elf.h>
#include <stddef.h>
#include <sys/auxv.h>

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

#define O_CLOEXEC 02000000
#define EXEC_FAILED 127      /* the child's status when exec failed (as in shells) */

/* The child side of los_fork_exec: exec, or report why not and exit. */
static void exec_or_report(const char *path, char *const argv[], int report_fd)
{
	int err = (int)-los_exec_args(path, argv);

	los_syscall6(LOS_NR_write, report_fd, (long)&err, sizeof(err), 0, 0, 0);
	los_syscall6(LOS_NR_exit_group, EXEC_FAILED, 0, 0, 0, 0, 0);
}

/* Returns the child's pid or a negative errno (see libsyscall.h). */
long los_fork_exec(const char *path, char *const argv[])
{
	int fds[2], err = 0;
	long pid, n;

	n = los_syscall6(LOS_NR_pipe2, (long)fds, O_CLOEXEC, 0, 0, 0, 0);
	if (n < 0)
		return n;
	pid = los_fork();
	if (pid == 0)
		exec_or_report(path, argv, fds[1]);
	los_syscall6(LOS_NR_close, fds[1], 0, 0, 0, 0, 0);
	if (pid < 0) {
		los_syscall6(LOS_NR_close, fds[0], 0, 0, 0, 0, 0);
		return pid;
	}
	/* End of file: exec succeeded and closed the close-on-exec write end. */
	n = los_syscall6(LOS_NR_read, fds[0], (long)&err, sizeof(err), 0, 0, 0);
	los_syscall6(LOS_NR_close, fds[0], 0, 0, 0, 0, 0);
	if (n != sizeof(err))
		return pid;
	los_syscall6(LOS_NR_wait4, pid, 0, 0, 0, 0, 0);
	return -err;
}

void los_map_image(void)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long n = getauxval(AT_PHNUM);

	for (unsigned long i = 0; ph && i < n; i++) {
		unsigned long a = ph[i].p_vaddr & ~4095UL, end = ph[i].p_vaddr + ph[i].p_memsz;

		if (ph[i].p_type != PT_LOAD)
			continue;
		for (; a < end; a += 4096)
			(void)*(const volatile char *)a;
	}
}
