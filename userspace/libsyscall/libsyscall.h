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
 * Start the static ELF program at path in a new child process, with
 * argv [path] and an empty environment.  The child inherits the caller's
 * descriptors except the close-on-exec ones, like fork + execve.
 * Returns the child's pid, or -ENOENT (no such file), -ENOEXEC (not a
 * loadable ELF), -EFAULT (bad path pointer), -ENOMEM, ...; on failure the
 * caller is unchanged and no child exists.
 */
long spawn(const char *path);

/*
 * As spawn, with the child's argv taken from argv, a NULL-terminated array
 * as for execve (argv[0] is the program's name as the child sees it).
 * Also returns -EFAULT for a bad argv and -E2BIG when the arguments are too
 * large for the kernel.
 */
long spawn_args(const char *path, char *const argv[]);

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

#endif
