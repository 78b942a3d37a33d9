/* Processes: one address space and one kernel thread each, single CPU.
 *
 * Concurrency model: the kernel runs with interrupts disabled (SYSCALL masks IF,
 * interrupt gates clear it); only user mode and the idle loop are interruptible.
 * So kernel data needs no locks, and sleep_on() after a condition check cannot
 * miss its wakeup(). */
#ifndef PROC_PROC_H
#define PROC_PROC_H

#include "lib/types.h"
#include "arch/x86_64/trapframe.h"
#include "proc/signal.h"
#include "proc/cred.h"
#include "proc/cputime.h"
#include "fs/fdtable.h"

/* No fixed process table: processes live on a list (proc.c), as many as
 * memory holds; fork answers EAGAIN or ENOMEM when it does not. */
#define PID_MAX 4194304   /* pids wrap below this, as Linux's PID_MAX_LIMIT */
#define PID_WRAP 300      /* ... back to here (Linux's RESERVED_PIDS) */
#define PROC_NAME_LEN 32

struct file;
struct inode;
struct vmspace;

enum proc_state { P_UNUSED, P_EMBRYO, P_RUNNABLE, P_RUNNING, P_SLEEPING, P_STOPPED, P_ZOMBIE };

struct proc {
	enum proc_state state;
	int pid;
	struct proc *parent;
	char name[PROC_NAME_LEN];     /* basename of the program, for panics/debug */

	struct proc *next, *prev;     /* every process, oldest first (proc.c) */

	struct vmspace *vm;           /* user address space (mm/vm.h) */
	u64 fs_base;                  /* arch_prctl(ARCH_SET_FS), restored on switch */
	struct cred cred;             /* ids and limits (proc/cred.h) */
	u16 fs_sel, gs_sel;           /* selectors the program loaded, restored on switch */
	struct inode *cwd;            /* working directory (a held fs inode), NULL = the root */
	u64 start_ns;                 /* clock_ns() when it was created (/proc/PID/stat) */
	u16 umask;                    /* file creation mask (umask(2)), inherited by fork */
	char exe[256];                /* the program's canonical path (/proc/PID/exe) */
	char cmdline[256];            /* argv, each NUL-terminated, cut to fit (/proc/PID/cmdline) */
	u16 cmdline_len;
	bool kernel_io;               /* inside sendfile: kernel buffers pass (fs/file.c) */

	void *kstack;                 /* base of the kernel stack (KSTACK_SIZE bytes) */
	u64 ctx_rsp;                  /* saved kernel rsp while switched out */
	struct trapframe *tf;         /* user registers at the top of kstack */

	void *chan;                   /* what a P_SLEEPING process waits for */
	u64 wake_at;                  /* clock_ns() that ends the sleep too; 0: none */
	int wait_status;              /* Linux wait status, valid in P_ZOMBIE */
	struct proc *vfork_parent;    /* waits in vfork until we exec or exit */

	struct fdtable fdt;           /* descriptors (fs/fdtable.c) */

	int pgid, sid;                /* process group and session (setpgid, setsid) */
	bool execed;                  /* ran execve since fork (setpgid then says EACCES) */
	struct sigstate sig;          /* handlers, mask, pending (signal.c) */
	struct cputime cpu;           /* timer ticks charged to it and its reaped children (cputime.c) */

	/* User SSE/x87 state (fxsave image), saved when the process leaves the
	 * CPU.  The kernel itself never touches these registers. */
	u8 fpu[512] __attribute__((aligned(16)));
};

/* The process on the CPU, NULL while the scheduler runs (sched.c sets it).
 * Inline: every system call asks, and under QEMU's TCG a call and its return
 * cost more than the load. */
extern struct proc *cpu_current;
static inline struct proc *myproc(void)
{
	return cpu_current;
}

/* The list of every process, oldest first; for_each_proc(p) walks it. */
struct proc *proc_first(void);
#define for_each_proc(p) for ((p) = proc_first(); (p); (p) = (p)->next)

/* Block the current process until wakeup(chan).  Callers re-check their
 * condition in a loop: a wakeup means "look again", not "it is ready". */
void sleep_on(void *chan);
/* sleep_on that also ends once clock_ns() reaches deadline (checked on each
 * timer tick; a deadline already passed returns at once).  Deadlines are in
 * TSC time, not ticks: QEMU delivers late PIT ticks in bursts. */
void sleep_until(void *chan, u64 deadline);
/* Sleep until any wakeup() at all, or the deadline (0: none): for poll,
 * which waits on many files at once and re-checks them all. */
void sleep_any(u64 deadline);
void wakeup(void *chan);
void yield(void);

/* A vfork child execs or exits: its parent's vfork returns (fork.c). */
void vfork_release(struct proc *p);

/* Terminate the current process with a Linux wait status; does not return. */
void proc_exit(int wait_status) __attribute__((noreturn));

#endif
