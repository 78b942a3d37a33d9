/*
 * libsyscall: Levitate's own system calls, the ones musl's libc does not
 * know.  Linux calls go through libc as usual; los_syscall6 is also the way
 * to issue a Linux call raw, when a test must see the kernel's own answer
 * (a bad pointer that libc would dereference or reject first).
 *
 * Every function here returns the kernel's raw result: >= 0 on success,
 * a negative errno (-4095..-1) on failure.  errno is never touched.
 */
#ifndef LIBSYSCALL_H
#define LIBSYSCALL_H

#include "los_abi.h"

/*
 * Issue system call nr with arguments a0..a5 (unused ones are ignored by the
 * kernel; pass 0).  Returns the raw value of rax after the syscall.
 */
long los_syscall6(long nr, long a0, long a1, long a2, long a3, long a4,
    long a5);

/*
 * Process creation the Linux way (seed plan step 4).  The names carry a
 * los_ prefix because musl already defines fork() and exec*() with errno
 * semantics; these return the kernel's raw result instead.
 */

/*
 * fork (57): a copy of the caller.  Returns the child's pid in the parent
 * and 0 in the child, or -EAGAIN (no process slot) / -ENOMEM (memory could
 * not be copied), in which case no child exists.  The child has its own
 * copy of all memory and shares the parent's open files (and their
 * offsets).  A raw fork does not run libc's atfork handlers: flush stdio
 * first, and end a child that does not exec with _exit.
 */
long los_fork(void);

/*
 * execve(path, [path], environ): replace the caller's program by the
 * static ELF at path.  Does not return on success.  On failure returns
 * -ENOENT, -ENOEXEC, -EFAULT, -E2BIG, -ENOMEM, ... and the caller is
 * exactly as it was (its memory and descriptors untouched).
 */
long los_exec(const char *path);

/*
 * As los_exec, with argv a NULL-terminated array of any length (argv[0]
 * is the name the new program sees); the environment is still environ.
 * Argument lists too large for the kernel are refused with -E2BIG, never
 * cut short.
 */
long los_exec_args(const char *path, char *const argv[]);

/*
 * Start path with argv in a new child process: los_fork, then
 * los_exec_args in the child.  What spawn_args did, built from fork + exec:
 * returns the child's pid, or the negative errno exec failed with
 * (-ENOENT, -ENOEXEC, -E2BIG, -EFAULT, ...) in which case the child has
 * already been reaped and none remains, or fork's -EAGAIN / -ENOMEM.
 * The child reports an exec failure through a close-on-exec pipe (as
 * posix_spawn does) and exits 127; on success exec closes the pipe.  The
 * exact events this makes are what testkit's spawn = fork + exec rule
 * (testkit/testkit/rules/equivalence/spawn-is-fork-exec.json) absorbs.
 */
long los_fork_exec(const char *path, char *const argv[]);

/*
 * rt_sigaction (13): run handler for sig, with flags (SA_RESTART, ...), no
 * extra mask; its return goes through rt_sigreturn (the restorer is
 * libsyscall's).  One system call, where libc's sigaction may make more.
 * Returns 0 or -EINVAL (SIGKILL, SIGSTOP, a bad number).
 */
long los_sigaction(int sig, void (*handler)(int), unsigned long flags);

/*
 * Touch every page of the running program's loaded segments (read one byte
 * of each, from the program headers auxv names), so all are mapped now:
 * exec maps them at first touch (kernel/mm/filemap.c), as Linux does.  A
 * test that compares sysinfo's freeram before and after some work calls it
 * first, so the program's own first touches are not counted as lost (what
 * mlockall(MCL_CURRENT) would do).  No system call.
 */
void los_map_image(void);

#endif
