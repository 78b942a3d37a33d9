/* Round-robin scheduling on one CPU, xv6 style: processes switch to the
 * scheduler's context, which picks the next runnable process after the last. */
#include "proc/sched.h"
#include "mm/vm.h"
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/memlayout.h"

void swtch(u64 *save_rsp, u64 load_rsp);

static struct proc *current;
static u64 scheduler_rsp;

struct proc *myproc(void)
{
	return current;
}

void sched_set_current(struct proc *p)
{
	current = p;
}

/* The next runnable process after the one that ran last, wrapping around. */
static struct proc *pick_next(int *last)
{
	struct proc *t = proc_table();

	for (int i = 1; i <= NPROC; i++) {
		int k = (*last + i) % NPROC;
		if (t[k].state == P_RUNNABLE) {
			*last = k;
			return &t[k];
		}
	}
	return NULL;
}

void scheduler(void)
{
	int last = NPROC - 1;

	for (;;) {
		struct proc *p = pick_next(&last);
		if (!p) {
			sti_hlt();         /* wait for an interrupt to make someone runnable */
			cli();
			continue;
		}
		p->state = P_RUNNING;
		current = p;
		vm_activate(p->vm);
		arch_switch_to((u64)p->kstack + KSTACK_SIZE, p->fs_base);
		fpu_restore(p->fpu);
		swtch(&scheduler_rsp, p->ctx_rsp);
		fpu_save(p->fpu);
		current = NULL;
		if (p->state == P_ZOMBIE)
			proc_release_stack(p);
	}
}

void sched(void)
{
	swtch(&current->ctx_rsp, scheduler_rsp);
}

void yield(void)
{
	current->state = P_RUNNABLE;
	sched();
}

void sleep_on(void *chan)
{
	current->chan = chan;
	current->state = P_SLEEPING;
	sched();
	current->chan = NULL;
}

static char any_chan;     /* the channel of sleep_any: every wakeup ends it */

void sleep_until(void *chan, u64 deadline)
{
	if (deadline && clock_ns() >= deadline)
		return;
	current->wake_at = deadline;
	sleep_on(chan);
	current->wake_at = 0;
}

void sleep_any(u64 deadline)
{
	sleep_until(&any_chan, deadline);
}

void wakeup(void *chan)
{
	struct proc *t = proc_table();

	for (int i = 0; i < NPROC; i++)
		if (t[i].state == P_SLEEPING && (t[i].chan == chan || t[i].chan == &any_chan))
			t[i].state = P_RUNNABLE;
}

/* Timer interrupt: wake every sleeper whose deadline has come. */
void sched_timer(void)
{
	struct proc *t = proc_table();
	u64 now = clock_ns();

	for (int i = 0; i < NPROC; i++)
		if (t[i].state == P_SLEEPING && t[i].wake_at && now >= t[i].wake_at)
			t[i].state = P_RUNNABLE;
}
