/* fork and clone (the fork case): a child that is a copy of its parent.
 * Built completely (memory, registers, descriptors) before it is published;
 * a failure part-way frees everything taken, in reverse order. */
#include "proc/sched.h"
#include "fs/file.h"
#include "mm/vm.h"
#include "arch/x86_64/arch.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "gen/syscall_decl.h"

#define SIGCHLD 17

static long fork_current(void)
{
	struct proc *parent = myproc(), *child = proc_alloc();

	if (!child)
		return -EAGAIN;
	child->vm = vm_clone(parent->vm);
	if (!child->vm) {
		proc_free(child);
		return -ENOMEM;
	}
	*child->tf = *parent->tf;
	child->tf->rax = 0;                 /* the child's fork() returns 0 */
	child->fs_base = parent->fs_base;
	fpu_save(child->fpu);               /* the parent's live SSE state */
	strlcpy(child->name, parent->name, sizeof(child->name));
	strlcpy(child->cwd, parent->cwd, sizeof(child->cwd));
	fdtable_clone(child, parent);
	child->parent = parent;
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	signal_fork(child, parent);
	proc_publish(child);
	return child->pid;
}

long sys_fork(void)
{
	return fork_current();
}

/* Only what fork(2) means: no shared memory, threads or new stacks yet. */
long sys_clone(u64 flags, uptr stack, uptr parent_tid, uptr child_tid, uptr tls)
{
	(void)parent_tid;
	(void)child_tid;
	(void)tls;
	if (flags != SIGCHLD || stack != 0)
		return -EINVAL;
	return fork_current();
}
