/*
 * hostile: programs that attack the kernel from userspace (docs/hostile.md).
 * Each one tries things a buggy or malicious program could do, checks that
 * the kernel answered as documented and lost no memory, prints one summary
 * line "NAME: ..." and exits 0 when every case held, 1 otherwise.
 *
 * The helpers here issue system calls raw (los_syscall6), so that neither
 * libc nor errno stands between a test and the kernel's answer, and so that
 * a child whose thread pointer was damaged on purpose can still use them.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include "libsyscall.h"

/* Addresses no user access may reach (docs/hostile.md lists why each). */
#define BAD_UNMAPPED    0x00000deadbeef000UL  /* user half, never mapped */
#define BAD_KERNEL_DMAP 0xffff800000000000UL  /* direct map of RAM */
#define BAD_KERNEL_TEXT 0xffffffff80100000UL  /* the kernel image */
#define BAD_NONCANON_LO 0x0000800000000000UL  /* first non-canonical address */
#define BAD_NONCANON_HI 0x8000000000000000UL
#define BAD_USER_TOP    0x00007ffffffff000UL  /* last user page (unmapped) */
#define BAD_WRAP        0xfffffffffffff000UL  /* a range from here wraps to 0 */

#define SIGSEGV 11

/* Raw syscalls with fewer words; every argument is cast to long. */
#define SYS0(nr) los_syscall6((nr), 0, 0, 0, 0, 0, 0)
#define SYS1(nr, a) los_syscall6((nr), (long)(a), 0, 0, 0, 0, 0)
#define SYS2(nr, a, b) los_syscall6((nr), (long)(a), (long)(b), 0, 0, 0, 0)
#define SYS3(nr, a, b, c) los_syscall6((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define SYS4(nr, a, b, c, d) \
	los_syscall6((nr), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* Record how many processes exist at the start (for
 * hostile_settled_freeram) and map the whole program image (los_map_image:
 * exec maps pages at first touch); call first thing in main. */
void hostile_start(void);

/* Free physical memory in bytes (sysinfo's exact freeram), or -1. */
long hostile_freeram(void);

/* End the calling process with status code, raw (no atexit, no stdio). */
void hostile_exit(int code) __attribute__((noreturn));

/* Write the NUL-terminated s to fd, raw. */
void hostile_puts(int fd, const char *s);

/*
 * Fork; the child runs fn(arg) and exits with its return value, without
 * touching stdio (fn must flush what it prints).  The parent waits for the
 * child and returns its wait status (>= 0), or a negative errno when fork or
 * wait4 failed.  stdout is flushed before the fork so nothing prints twice.
 */
long hostile_run_child(int (*fn)(void *), void *arg);

/* The kernel goes on after an attack: 1 when a fork, an exec of /bin/true
 * in it and a wait all work (the child exits 0). */
int hostile_fork_still_works(void);

/* Wait for child pid: its wait status, or a negative errno. */
long hostile_wait(long pid);

/* Wait status decoding, as <sys/wait.h> (kept here for raw statuses). */
#define HOSTILE_EXITED(s) (((s) & 0x7f) == 0)
#define HOSTILE_EXITCODE(s) (((s) >> 8) & 0xff)
#define HOSTILE_TERMSIG(s) ((s) & 0x7f)

/* Reap every remaining child (orphans of the cases); how many were reaped. */
int hostile_reap_all(void);

/*
 * A settled freeram reading: every child reaped, every orphan reaped by
 * init (the process count is back to hostile_start's), then freeram.  The
 * caller must have run its code path once before its first reading, so
 * that its own stack and stdio have grown to their working size.
 */
long hostile_settled_freeram(void);

#endif
