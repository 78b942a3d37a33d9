/* poll and ppoll: wait until one of several descriptors is ready.  Each
 * file type answers its readiness now (file_ops.poll); between checks the
 * caller sleeps until any wakeup at all or its deadline (sleep_any), and
 * then checks every descriptor again. */
#include "fs/fileops.h"
#include "arch/x86_64/arch.h"
#include "proc/proc.h"
#include "proc/cred.h"
#include "mm/usercopy.h"
#include "mm/kmalloc.h"
#include "lib/errno.h"
#include "gen/syscall_decl.h"

#define NS 1000000000L
#define FOREVER 0                   /* a deadline of 0: no deadline */
#define LATEST 0x7fffffffffffffffUL /* a timeout too long to add saturates here */
#define POLL_STACK_FDS 32           /* entries copied onto the kernel stack */

struct pollfd {
	i32 fd;
	i16 events;
	i16 revents;
};

struct timespec {
	i64 tv_sec;
	i64 tv_nsec;
};

/* Fill in every revents; returns how many are non-zero.  A negative fd is
 * skipped, a closed one is POLLNVAL; POLLERR and POLLHUP are always reported. */
static int poll_scan(struct pollfd *pfd, u64 n)
{
	int ready = 0;

	for (u64 i = 0; i < n; i++) {
		struct file *f = pfd[i].fd >= 0 ? fd_file(pfd[i].fd) : NULL;
		u32 mask = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;

		if (pfd[i].fd < 0) {
			pfd[i].revents = 0;
			continue;
		}
		if (!f)
			mask = POLLNVAL;
		else if (f->ops->poll)
			mask = f->ops->poll(f);
		pfd[i].revents = (i16)(mask & ((u16)pfd[i].events | POLLERR | POLLHUP | POLLNVAL));
		ready += pfd[i].revents != 0;
	}
	return ready;
}

/* Scan pfd until something is ready or the deadline (clock_ns, or FOREVER; a
 * deadline already passed scans once).  Returns the count, or a restart. */
static long poll_wait(struct pollfd *pfd, u64 nfds, u64 deadline, bool once)
{
	int ready;

	while (!(ready = poll_scan(pfd, nfds)) && !once) {
		if (deadline != FOREVER && clock_ns() >= deadline)
			break;
		if (signal_pending())
			return deadline == FOREVER ? -ERESTARTNOHAND : -ERESTART_RESTARTBLOCK;
		sleep_any(deadline);
	}
	return ready;
}

/* The common part of poll and ppoll: up to RLIMIT_NOFILE entries (EINVAL
 * past it, as Linux), on the stack when few, else on the heap. */
static long do_poll(uptr ufds, u64 nfds, u64 deadline, bool once)
{
	struct pollfd small[POLL_STACK_FDS], *pfd = small;
	long ret;

	if (nfds > (u64)fd_limit())
		return -EINVAL;
	if (nfds > POLL_STACK_FDS && !(pfd = kmalloc(nfds * sizeof(*pfd))))
		return -ENOMEM;
	ret = -EFAULT;
	if (!nfds || copyin(pfd, ufds, nfds * sizeof(pfd[0])) == 0)
		ret = poll_wait(pfd, nfds, deadline, once);
	if (ret >= 0 && nfds && copyout(ufds, pfd, nfds * sizeof(pfd[0])) < 0)
		ret = -EFAULT;
	if (pfd != small)
		kfree(pfd);
	return ret;
}

/* timeout in ms (an int: the register's upper half is ignored): negative
 * waits for ever, 0 does not wait. */
long sys_poll(uptr fds, u64 nfds, long timeout_arg)
{
	int timeout = (int)timeout_arg;
	u64 deadline = timeout > 0 ? clock_ns() + (u64)timeout * 1000000UL : FOREVER;

	return do_poll(fds, nfds, deadline, timeout == 0);
}

/* now + ts, saturated at LATEST: Linux's end time saturates the same way,
 * so a timeout of centuries waits (and writes back a huge time left) instead
 * of wrapping to a deadline in the past. */
static u64 deadline_after(u64 now, const struct timespec *ts)
{
	if ((u64)ts->tv_sec >= (LATEST - now) / NS)
		return LATEST;
	return now + (u64)ts->tv_sec * NS + (u64)ts->tv_nsec;
}

/* tsp NULL waits for ever; the time left is written back, as Linux does.
 * sigmask, if given, is the blocked set while the call waits (as
 * rt_sigsuspend: the old one comes back on the way out, after a handler). */
long sys_ppoll(uptr fds, u64 nfds, uptr tsp, uptr sigmask, u64 sigsetsize)
{
	struct timespec ts;
	u64 deadline = FOREVER, now = clock_ns();
	long ret;
	i64 left;

	u64 mask;

	if (sigmask && sigsetsize != sizeof(u64))
		return -EINVAL;
	if (sigmask && copyin(&mask, sigmask, sizeof(mask)) < 0)
		return -EFAULT;
	if (tsp) {
		if (copyin(&ts, tsp, sizeof(ts)) < 0)
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NS)
			return -EINVAL;
		deadline = deadline_after(now, &ts);
	}
	if (sigmask)
		signal_mask_while_waiting(mask);
	ret = do_poll(fds, nfds, deadline, tsp && ts.tv_sec == 0 && ts.tv_nsec == 0);
	if (ret == -ERESTART_RESTARTBLOCK)
		ret = -ERESTARTNOHAND;       /* ppoll: EINTR after a handler, else again */
	if (tsp && ret >= 0) {
		left = (i64)(deadline - clock_ns());
		ts = (struct timespec){ left > 0 ? left / NS : 0, left > 0 ? left % NS : 0 };
		(void)copyout(tsp, &ts, sizeof(ts));
	}
	return ret;
}
