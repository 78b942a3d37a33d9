/* The round-robin scheduler (sched.c) and process lifecycle (proc.c). */
#ifndef PROC_SCHED_H
#define PROC_SCHED_H

#include "proc/proc.h"

/* Run processes forever on the boot stack; idles with interrupts on. */
void scheduler(void) __attribute__((noreturn));
/* Switch from the current process back to the scheduler; its state is already set. */
void sched(void);
void sched_set_current(struct proc *p);
/* Whether the current process has had its minimum turn (timer preemption). */
bool sched_slice_used(void);
/* The user's FS/GS selectors and FS base between the CPU and p (p running). */
void sched_segs_load(const struct proc *p);
void sched_segs_save(struct proc *p);
/* Timer interrupt: make runnable the sleepers whose deadline (clock_ns) has come. */
void sched_timer(void);

/* Process table (proc.c) */
struct proc *proc_alloc(void);          /* P_EMBRYO with a kernel stack; NULL on ENOMEM */
void proc_free(struct proc *p);         /* undo proc_alloc, or reap a zombie */
void proc_release_stack(struct proc *p);/* a zombie's kernel stack, once it is off it */
void proc_publish(struct proc *p);      /* last step of creation: make it runnable */
void sched_forget(struct proc *p);      /* p leaves the list: the scheduler drops it */
void proc_start_init(char *const argv[], int argc);
int proc_count(void);                   /* processes in existence, for sysinfo */
bool proc_exists(int pid);              /* a live or zombie process has pid */
bool proc_others_runnable(void);        /* someone besides the caller is ready */

/* A user fault that no handler may see (a compat-mode SYSCALL): record it
 * and end the process with the signal's status. */
void proc_fault(struct trapframe *tf, int signal, u64 addr) __attribute__((noreturn));

/* Sessions (session.c) */
bool pgrp_in_session(int pgid, int sid); /* a live process of session sid is in group pgid */
bool pgrp_exists(int id);               /* a process or a group has that id (zombies too) */
bool session_alive(int sid);            /* some live process is in session sid */
/* No live member of group pgid (but ignore) has a parent (not init) in
 * another group of its session: job control's stop signals cannot be
 * answered there. */
bool pgrp_orphaned(int pgid, const struct proc *ignore);
/* Linux's kill_orphaned_pgrp: member's group, which reached the rest of
 * its session through `link` (member's parent, exiting or just gone),
 * becomes orphaned (not counting `ignore`, the exiting process) with a
 * stopped member: no shell is left to continue it, so it gets SIGHUP, then
 * SIGCONT, instead of staying stopped for ever. */
void pgrp_hangup_if_orphaned(const struct proc *member, const struct proc *link,
			     const struct proc *ignore);

#endif
