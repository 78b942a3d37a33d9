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

#define NPROC 64          /* process table size: fork beyond it gets EAGAIN */
#define NOFILE 32         /* descriptors per process */
#define FD_CLOEXEC 1      /* bit in proc.fdflags[] */
#define PROC_NAME_LEN 32

struct file;
struct vmspace;

enum proc_state { P_UNUSED, P_EMBRYO, P_RUNNABLE, P_RUNNING, P_SLEEPING, P_STOPPED, P_ZOMBIE };

struct proc {
	enum proc_state state;
	int pid;
	struct proc *parent;
	char name[PROC_NAME_LEN];     /* basename of the program, for panics/debug */

	struct vmspace *vm;           /* user address space (mm/vm.h) */
	u64 fs_base;                  /* arch_prctl(ARCH_SET_FS), restored on switch */
	char cwd[256];                /* working directory, archive form: "" root, "etc", "a/b" */

	void *kstack;                 /* base of the kernel stack (KSTACK_SIZE bytes) */
	u64 ctx_rsp;                  /* saved kernel rsp while switched out */
	struct trapframe *tf;         /* user registers at the top of kstack */

	void *chan;                   /* what a P_SLEEPING process waits for */
	int wait_status;              /* Linux wait status, valid in P_ZOMBIE */

	struct file *ofile[NOFILE];   /* open files; NULL = free slot */
	u8 fdflags[NOFILE];           /* FD_CLOEXEC */

	int pgid, sid;                /* process group and session (setpgid, setsid) */
	bool execed;                  /* ran execve since fork (setpgid then says EACCES) */
	struct sigstate sig;          /* handlers, mask, pending (signal.c) */

	/* User SSE/x87 state (fxsave image), saved when the process leaves the
	 * CPU.  The kernel itself never touches these registers. */
	u8 fpu[512] __attribute__((aligned(16)));
};

struct proc *myproc(void);

/* Block the current process until wakeup(chan).  Callers re-check their
 * condition in a loop: a wakeup means "look again", not "it is ready". */
void sleep_on(void *chan);
void wakeup(void *chan);
void yield(void);

/* Terminate the current process with a Linux wait status; does not return. */
void proc_exit(int wait_status) __attribute__((noreturn));

#endif
