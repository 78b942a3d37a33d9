/* Resource limits (proc/cred.h): prlimit64, getrlimit, setrlimit, with
 * Linux's checks.  They are kept and inherited; the kernel enforces
 * RLIMIT_NOFILE (the descriptor table grows up to it, fs/fdtable.c), whose
 * hard limit cannot pass NR_OPEN, Linux's fs.nr_open. */
#include "proc/proc.h"
#include "proc/cred.h"
#include "mm/usercopy.h"
#include "lib/errno.h"
#include "gen/syscall_decl.h"

#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE 12
#define STACK_DEFAULT (8UL << 20)

void cred_init(struct cred *c)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		c->rlim[i] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
	c->rlim[RLIMIT_STACK].cur = STACK_DEFAULT;
	c->rlim[RLIMIT_CORE].cur = 0;
	c->rlim[RLIMIT_NOFILE] = (struct rlimit64){ NOFILE_DEFAULT, NOFILE_HARD };
	c->rlim[RLIMIT_MEMLOCK] = (struct rlimit64){ 8UL << 20, 8UL << 20 };
	c->rlim[RLIMIT_SIGPENDING] = (struct rlimit64){ 512, 512 };
	c->rlim[RLIMIT_MSGQUEUE] = (struct rlimit64){ 819200, 819200 };
}

/* Check and store a new limit: cur <= max (EINVAL); raising max needs root
 * (EPERM), and NOFILE cannot pass NR_OPEN (EPERM, as Linux answers a NOFILE
 * over its nr_open). */
static long set_limit(struct cred *c, unsigned res, const struct rlimit64 *n)
{
	if (n->cur > n->max)
		return -EINVAL;
	if (n->max > c->rlim[res].max && c->euid != 0)
		return -EPERM;
	if (res == RLIMIT_NOFILE && n->max > NR_OPEN)
		return -EPERM;
	c->rlim[res] = *n;
	return 0;
}

/* Only the caller itself (pid 0 or its own pid); other pids ESRCH. */
long sys_prlimit64(int pid, long resource, uptr new_limit, uptr old_limit)
{
	struct cred *c = &myproc()->cred;
	struct rlimit64 n, old;
	long err;

	if (pid != 0 && pid != myproc()->pid)
		return -ESRCH;
	if (resource < 0 || resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new_limit && copyin(&n, new_limit, sizeof(n)) < 0)
		return -EFAULT;
	old = c->rlim[resource];
	if (new_limit && (err = set_limit(c, (unsigned)resource, &n)) < 0)
		return err;
	if (old_limit && copyout(old_limit, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

long sys_getrlimit(long resource, uptr rlim)
{
	return rlim ? sys_prlimit64(0, resource, 0, rlim) : -EFAULT;
}

long sys_setrlimit(long resource, uptr rlim)
{
	return rlim ? sys_prlimit64(0, resource, rlim, 0) : -EFAULT;
}
