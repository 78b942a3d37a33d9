/* The process table and a process's life: creation, exit, reaping. */
#include "proc/sched.h"
#include "proc/image.h"
#include "fs/file.h"
#include "mm/kmalloc.h"
#include "mm/kstack.h"
#include "mm/pmm.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "arch/x86_64/arch.h"
#include "arch/x86_64/memlayout.h"
#include "trace/trace.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "gen/syscall_decl.h"

#define WNOHANG 1
#define WUNTRACED 2
#define WCONTINUED 8
#define WALL 0x40000000

static struct proc *procs, *procs_tail;   /* every process, oldest first */
static int nprocs;
static struct proc *initproc;
static int next_pid = 1;

struct proc *proc_first(void)
{
	return procs;
}

static bool pid_in_use(int pid)
{
	struct proc *p;

	for_each_proc(p)
		if (p->pid == pid)
			return true;
	return false;
}

/* The next pid not in use, wrapping at PID_MAX as Linux does.  There are
 * fewer processes than pids (memory bounds them far below), so one exists. */
static int alloc_pid(void)
{
	do {
		if (next_pid >= PID_MAX)
			next_pid = PID_WRAP;
	} while (pid_in_use(next_pid++));
	return next_pid - 1;
}

static void list_append(struct proc *p)
{
	p->prev = procs_tail;
	p->next = NULL;
	if (procs_tail)
		procs_tail->next = p;
	else
		procs = p;
	procs_tail = p;
	nprocs++;
}

static void list_remove(struct proc *p)
{
	sched_forget(p);
	if (p->prev)
		p->prev->next = p->next;
	else
		procs = p->next;
	if (p->next)
		p->next->prev = p->prev;
	else
		procs_tail = p->prev;
	nprocs--;
}

/* A new P_EMBRYO process with a kernel stack, on the list; NULL when memory
 * (or a kernel stack slot) is short. */
struct proc *proc_alloc(void)
{
	struct proc *p = kzalloc(sizeof(*p));
	u64 *sp;

	if (!p)
		return NULL;
	p->kstack = kstack_alloc();
	if (!p->kstack) {
		kfree(p);
		return NULL;
	}
	p->pid = alloc_pid();
	p->state = P_EMBRYO;
	fdtable_init(&p->fdt);
	p->start_ns = clock_ns();
	fpu_init_state(p->fpu);
	/* The trapframe sits at the top of the kernel stack; below it a switch
	 * frame (swtch.S: rflags, six registers) whose return address is
	 * trap_return, so the first swtch() to this process "returns" into
	 * user mode. */
	sp = (u64 *)((u8 *)p->kstack + KSTACK_SIZE - sizeof(struct trapframe));
	p->tf = (struct trapframe *)sp;
	*--sp = (u64)trap_return;
	*--sp = 0x2;                   /* rflags: interrupts off, nothing else */
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	p->ctx_rsp = (u64)sp;
	list_append(p);
	return p;
}

/* A zombie's kernel stack, freed by the scheduler as soon as the zombie has
 * switched away from it for the last time: an exited process then holds no
 * memory, so free memory does not depend on when its parent reaps it. */
void proc_release_stack(struct proc *p)
{
	if (p->kstack)
		kstack_free(p->kstack);
	p->kstack = NULL;
}

void proc_free(struct proc *p)
{
	vm_destroy(p->vm);
	proc_release_stack(p);
	list_remove(p);
	kfree(p);
}

void proc_publish(struct proc *p)
{
	p->state = P_RUNNABLE;
}

void proc_start_init(char *const argv[], int argc)
{
	struct kargs args, env = { 0 };
	struct image img;
	struct proc *p = proc_alloc();
	int err;

	if (!p)
		panic("init: no process slot");
	err = kargs_from_kernel((const char *const *)argv, argc, &args);
	if (!err)
		err = kargs_from_kernel(NULL, 0, &env);
	if (!err)
		err = image_build(argv[0], &args, &env, &img);
	if (err)
		panic("cannot start %s: error %d", argv[0], -err);
	kargs_free(&args);
	kargs_free(&env);
	image_install(p, &img, argv[0]);
	cred_init(&p->cred);
	p->umask = 022;                /* Linux's default for init */
	fd_install_console(p);
	p->pgid = p->sid = p->pid;     /* session 1, group 1: the console's */
	initproc = p;
	proc_publish(p);
}

/* Hand p's children to init; wake init if one of them is already a zombie. */
static void reparent_children(struct proc *p)
{
	bool zombie = false;
	struct proc *c;

	for_each_proc(c) {
		if (c->parent != p)
			continue;
		c->parent = initproc;
		zombie |= c->state == P_ZOMBIE;
		pgrp_hangup_if_orphaned(c, p, NULL);
	}
	if (zombie)
		wakeup(initproc);
}

void proc_exit(int wait_status)
{
	struct proc *p = myproc();

	/* SIGCHLD first, so that the exit record is the process's last. Its parent
	 * runs only after sched() below, when this process is a zombie. */
	if (wait_status & 0x7F)
		signal_child(p, CLD_KILLED, wait_status & 0x7F);
	else
		signal_child(p, CLD_EXITED, (wait_status >> 8) & 0xFF);
	trace_proc_exit(p->pid, wait_status);
	if (p == initproc) {
		trace_halt(wait_status);
		power_off(wait_status);
	}
	vfork_release(p);
	fdtable_close_all(p);
	vm_destroy(p->vm);             /* unloads it first (its pages leave the TLB) */
	p->vm = NULL;
	reparent_children(p);
	pgrp_hangup_if_orphaned(p, p->parent, p);
	p->wait_status = wait_status;
	p->state = P_ZOMBIE;
	sched();
	panic("proc_exit: zombie %d ran", p->pid);
}

void proc_fault(struct trapframe *tf, int signal, u64 addr)
{
	trace_fault(myproc()->pid, tf, signal, addr);
	proc_exit(signal);
}

long sys_exit(long status)
{
	proc_exit((int)((status & 0xFF) << 8));
}

long sys_exit_group(long status)
{
	proc_exit((int)((status & 0xFF) << 8));
}

/* Report child c's status to wait4 as Linux does: the report is consumed
 * first (a zombie reaped: its times go to the caller's children times; a
 * stop or continue report cleared), then status and rusage (the child's
 * times with its children's) are copied out; a bad pointer makes the call EFAULT but the
 * report is gone all the same (Linux's kernel_wait4 copies after do_wait). */
static long report(struct proc *c, int status, uptr wstatus, uptr rusage)
{
	int pid = c->pid;
	u64 utime = c->cpu.utime + c->cpu.cutime, stime = c->cpu.stime + c->cpu.cstime;

	if (c->state == P_ZOMBIE) {
		cputime_reaped(myproc(), c);
		proc_free(c);
	}
	else if (c->sig.stop_report && status != 0xFFFF)
		c->sig.stop_report = 0;
	else
		c->sig.cont_report = false;
	if (wstatus && copyout(wstatus, &status, sizeof(int)) < 0)
		return -EFAULT;
	if (rusage && cputime_rusage_out(rusage, utime, stime) < 0)
		return -EFAULT;
	return pid;
}

/* Whether child c is one wait4's pid argument selects (Linux: > 0 that pid,
 * -1 any, 0 the caller's group, < -1 group -pid). */
static bool wait_selects(const struct proc *c, int pid, const struct proc *me)
{
	if (pid > 0)
		return c->pid == pid;
	if (pid == 0)
		return c->pgid == me->pgid;
	return pid == -1 || c->pgid == -pid;
}

/* c's status for wait4 if it has one to report under options, else -1. */
static int wait_status_of(const struct proc *c, u64 options)
{
	if (c->state == P_ZOMBIE)
		return c->wait_status;
	if ((options & WUNTRACED) && c->sig.stop_report)
		return (c->sig.stop_report << 8) | 0x7F;
	if ((options & WCONTINUED) && c->sig.cont_report)
		return 0xFFFF;
	return -1;
}

long sys_wait4(int pid, uptr wstatus, u64 options, uptr rusage)
{
	struct proc *me = myproc();

	if (options & ~(u64)(WNOHANG | WUNTRACED | WCONTINUED | WALL))
		return -EINVAL;
	for (;;) {
		bool have = false;
		struct proc *c;

		for_each_proc(c) {
			int status;
			if (c->parent != me || !wait_selects(c, pid, me))
				continue;
			have = true;
			if ((status = wait_status_of(c, options)) != -1)
				return report(c, status, wstatus, rusage);
		}
		if (!have)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		if (sleep_intr(me))
			return -ERESTARTSYS;
	}
}

long sys_getpid(void)
{
	return myproc()->pid;
}

long sys_gettid(void)
{
	return myproc()->pid;
}

long sys_getppid(void)
{
	return myproc()->parent ? myproc()->parent->pid : 0;
}

/* Whether a process other than the caller is ready to run. */
bool proc_others_runnable(void)
{
	struct proc *p;

	for_each_proc(p)
		if (p->state == P_RUNNABLE && p != myproc())
			return true;
	return false;
}

/* Count of processes in existence, for sysinfo. */
int proc_count(void)
{
	return nprocs;
}

/* Whether pid names a live (not yet reaped) process. */
bool proc_exists(int pid)
{
	return pid_in_use(pid);
}
