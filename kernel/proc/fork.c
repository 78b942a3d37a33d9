/* fork, vfork and clone (the fork cases): a child that is a copy of its
 * parent.  Built completely (memory, registers, descriptors) before it is
 * published; a failure part-way frees everything taken, in reverse order. */
#include "proc/sched.h"
#include "fs/file.h"
#include "mm/vm.h"
#include "mm/usercopy.h"
#include "arch/x86_64/arch.h"
#include "arch/x86_64/memlayout.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "gen/syscall_decl.h"

#define SIGCHLD 17
#define CSIGNAL 0xff                       /* the exit signal's bits */
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000
/* What glibc's fork() passes, and what clone accepts besides SIGCHLD. */
#define CLONE_FORK_FLAGS (CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)

/* The caller's copy, not yet published; NULL with *err set when there is
 * no memory for a process (EAGAIN, as Linux when it cannot take one more
 * task) or for its address space (ENOMEM). */
static struct proc *fork_current(long *err)
{
	struct proc *parent = myproc(), *child = proc_alloc();

	if (!child) {
		*err = -EAGAIN;
		return NULL;
	}
	child->vm = vm_clone(parent->vm);
	if (!child->vm) {
		proc_free(child);
		*err = -ENOMEM;
		return NULL;
	}
	*child->tf = *parent->tf;
	child->tf->rax = 0;                 /* the child's fork() returns 0 */
	sched_segs_save(parent);            /* the live FS/GS state, selector loads included */
	child->fs_base = parent->fs_base;
	child->cred = parent->cred;
	child->umask = parent->umask;
	child->fs_sel = parent->fs_sel;
	child->gs_sel = parent->gs_sel;
	fpu_save(child->fpu);               /* the parent's live SSE state */
	strlcpy(child->name, parent->name, sizeof(child->name));
	memcpy(child->exe, parent->exe, sizeof(child->exe));
	memcpy(child->cmdline, parent->cmdline, sizeof(child->cmdline));
	child->cmdline_len = parent->cmdline_len;
	if (fdtable_clone(child, parent) < 0) {
		proc_free(child);
		*err = -ENOMEM;
		return NULL;
	}
	child->parent = parent;
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	signal_fork(child, parent);
	return child;
}

long sys_fork(void)
{
	long err;
	struct proc *child = fork_current(&err);

	if (!child)
		return err;
	proc_publish(child);
	return child->pid;
}

/* Store the child's tid at user address uaddr of its own (not yet running)
 * memory.  Like Linux, a bad address is ignored: the child just lacks it. */
static void set_child_tid(struct proc *child, uptr uaddr)
{
	u64 pa;
	i32 tid = child->pid;

	if ((uaddr & 3) || vm_translate(child->vm, uaddr, true, &pa) < 0)
		return;
	memcpy(P2V(pa), &tid, sizeof(tid));
}

/* vfork: the parent waits until the child has exec'ed or exited.  The child
 * has its own copy of memory (nothing is shared), which a vfork child that
 * only execs or _exits, as POSIX allows it, cannot tell apart. */
long sys_vfork(void)
{
	long err;
	struct proc *parent = myproc(), *child = fork_current(&err);
	int pid;

	if (!child)
		return err;
	child->vfork_parent = parent;
	pid = child->pid;
	proc_publish(child);
	while (child->vfork_parent)
		sleep_on(child);
	return pid;
}

/* Exec or exit of a vfork child: let its parent go on. */
void vfork_release(struct proc *p)
{
	if (!p->vfork_parent)
		return;
	p->vfork_parent = NULL;
	wakeup(p);
}

/* The fork cases of clone: exit signal SIGCHLD, no new stack, and only the
 * tid flags glibc's fork() uses.  CLONE_CHILD_SETTID writes the child's tid
 * into the child's memory, CLONE_PARENT_SETTID into the parent's.
 * CLONE_CHILD_CLEARTID needs nothing: Linux clears that word only when
 * another thread shares the memory, and none does.  Anything else
 * (threads, CLONE_VM, CLONE_FILES, ...) is EINVAL. */
long sys_clone(u64 flags, uptr stack, uptr parent_tid, uptr child_tid, uptr tls)
{
	struct proc *child;
	long err;
	i32 pid;

	(void)tls;
	if ((flags & CSIGNAL) != SIGCHLD || (flags & ~(u64)(CSIGNAL | CLONE_FORK_FLAGS)) || stack)
		return -EINVAL;
	child = fork_current(&err);
	if (!child)
		return err;
	pid = child->pid;
	if (flags & CLONE_CHILD_SETTID)
		set_child_tid(child, child_tid);
	proc_publish(child);
	if (flags & CLONE_PARENT_SETTID)
		(void)copyout(parent_tid, &pid, sizeof(pid));
	return pid;
}
