/* Round-robin scheduling on one CPU, xv6 style: processes switch to the
 * scheduler's context, which picks the next runnable process after the last. */
#include "proc/sched.h"
#include "mm/vm.h"
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/memlayout.h"

void swtch(u64 *save_rsp, u64 load_rsp);

struct proc *cpu_current;           /* proc.h: myproc() */
static struct proc *last_run;       /* where the round-robin search resumes */
static u64 scheduler_rsp;
static u64 slice_start_ns;          /* when the current process got the CPU */

/* A process keeps the CPU for at least this long before a timer tick takes
 * it away: a tick that arrived while the kernel ran (interrupts are off
 * there) is delivered the moment the next process enters user mode, and
 * would otherwise end its turn before its first instruction. */
#define SLICE_MIN_NS 5000000UL

bool sched_slice_used(void)
{
	return clock_ns() - slice_start_ns >= SLICE_MIN_NS;
}

void sched_set_current(struct proc *p)
{
	cpu_current = p;
}

/* p is leaving the process list: resume the search before it. */
void sched_forget(struct proc *p)
{
	if (last_run == p)
		last_run = p->prev;
}

/* The next runnable process after the one that ran last, wrapping around. */
static struct proc *pick_next(void)
{
	struct proc *first = proc_first();
	struct proc *start = last_run && last_run->next ? last_run->next : first;

	for (struct proc *q = start; q;) {
		if (q->state == P_RUNNABLE)
			return last_run = q;
		q = q->next ? q->next : first;
		if (q == start)
			break;
	}
	return NULL;
}

/* Put p's user segment state on the CPU (when p is about to run, or after
 * exec reset it); read it back into p (when p leaves, or before fork copies
 * it).  p is the process on the CPU. */
void sched_segs_load(const struct proc *p)
{
	struct user_segs s = { p->fs_base, p->fs_sel, p->gs_sel };

	arch_user_segs_load(&s);
}

void sched_segs_save(struct proc *p)
{
	struct user_segs s;

	arch_user_segs_save(&s);
	p->fs_base = s.fs_base;
	p->fs_sel = s.fs;
	p->gs_sel = s.gs;
}

void scheduler(void)
{
	for (;;) {
		struct proc *p = pick_next();
		if (!p) {
			sti_hlt();         /* wait for an interrupt to make someone runnable */
			cli();
			continue;
		}
		p->state = P_RUNNING;
		cpu_current = p;
		slice_start_ns = clock_ns();
		vm_activate(p->vm);
		arch_switch_to((u64)p->kstack + KSTACK_SIZE, p->fs_base);
		sched_segs_load(p);
		fpu_restore(p->fpu);
		swtch(&scheduler_rsp, p->ctx_rsp);
		fpu_save(p->fpu);
		sched_segs_save(p);
		cpu_current = NULL;
		if (p->state == P_ZOMBIE)
			proc_release_stack(p);
	}
}

void sched(void)
{
	swtch(&cpu_current->ctx_rsp, scheduler_rsp);
}

void yield(void)
{
	cpu_current->state = P_RUNNABLE;
	sched();
}

void sleep_on(void *chan)
{
	cpu_current->chan = chan;
	cpu_current->state = P_SLEEPING;
	sched();
	cpu_current->chan = NULL;
}

static char any_chan;     /* the channel of sleep_any: every wakeup ends it */

void sleep_until(void *chan, u64 deadline)
{
	if (deadline && clock_ns() >= deadline)
		return;
	cpu_current->wake_at = deadline;
	sleep_on(chan);
	cpu_current->wake_at = 0;
}

void sleep_any(u64 deadline)
{
	sleep_until(&any_chan, deadline);
}

void wakeup(void *chan)
{
	struct proc *p;

	for_each_proc(p)
		if (p->state == P_SLEEPING && (p->chan == chan || p->chan == &any_chan))
			p->state = P_RUNNABLE;
}

/* Timer interrupt: wake every sleeper whose deadline has come. */
void sched_timer(void)
{
	struct proc *p;
	u64 now = clock_ns();

	for_each_proc(p)
		if (p->state == P_SLEEPING && p->wake_at && now >= p->wake_at)
			p->state = P_RUNNABLE;
}
