/* System calls that belong to no other subsystem: identity, memory figures,
 * the thread pointer, and the calls accepted as stubs (see abi/syscalls.tbl). */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu.h"
#include "mm/pmm.h"
#include "mm/usercopy.h"
#include "proc/sched.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "gen/syscall_decl.h"

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003


struct utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

struct sysinfo {
	i64 uptime;
	u64 loads[3];
	u64 totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	u16 procs, pad;
	u32 pad2;
	u64 totalhigh, freehigh;
	u32 mem_unit;
	char reserved[4];
};

long sys_uname(uptr buf)
{
	struct utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Levitate", sizeof(u.sysname));
	strlcpy(u.nodename, "levitate", sizeof(u.nodename));
	strlcpy(u.release, "0.1", sizeof(u.release));
	strlcpy(u.version, "0.1", sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	return copyout(buf, &u, sizeof(u));
}

/* freeram is exact: the frame allocator's count, so tests can prove that a
 * workload gave back every frame it took.  It is read once the other
 * processes have run to their next sleep (bounded, for ones that never sleep):
 * otherwise a parent closing a pipe, say, a moment later makes two readings
 * of the same workload differ. */
long sys_sysinfo(uptr info)
{
	struct sysinfo si;

	for (int i = 0, n = proc_count(); i < n && proc_others_runnable(); i++)
		yield();
	memset(&si, 0, sizeof(si));
	si.uptime = (i64)(timer_ticks() / TIMER_HZ);
	si.totalram = pmm_total_frames() * PAGE_SIZE;
	si.freeram = pmm_free_frames() * PAGE_SIZE;
	si.procs = (u16)proc_count();
	si.mem_unit = 1;
	return copyout(info, &si, sizeof(si));
}

long sys_arch_prctl(long code, uptr addr)
{
	struct proc *p = myproc();

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= 0x0000800000000000UL)
			return -EPERM;     /* must be a canonical user address */
		p->fs_base = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		return copyout(addr, &p->fs_base, sizeof(p->fs_base));
	default:
		return -EINVAL;
	}
}

/* Linux clears *tidptr at exit only when another thread shares the memory;
 * no thread ever does here, so the pointer has no use. */
long sys_set_tid_address(uptr tidptr)
{
	(void)tidptr;
	return myproc()->pid;
}

long sys_sched_yield(void)
{
	yield();
	return 0;
}

#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4
#define GETRANDOM_MAX 33554431UL    /* Linux's cap on one call (INT_MAX >> 6) */

static bool cpu_has_rdrand(void)
{
	u32 a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return (c >> 30) & 1;
}

/* A hardware random number; 0 when the CPU had none ready. */
static u64 rdrand64(void)
{
	u64 v;
	u8 ok;

	__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
	return ok ? v : 0;
}

/* The next 64 random bits: RDRAND when the CPU has it, mixed with the TSC
 * into a splitmix64 state, so the stream differs run to run either way.
 * Not a vetted CSPRNG: good enough for hash seeds and temp names. */
static u64 random_u64(void)
{
	static u64 state;
	u64 z, hw = 0;

	if (cpu_has_rdrand())
		hw = rdrand64();
	state += 0x9E3779B97F4A7C15UL ^ hw ^ rdtsc();
	z = state;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
	return z ^ (z >> 31);
}

/* Never blocks (the pool is always ready); returns the bytes written. */
long sys_getrandom(uptr buf, u64 len, u64 flags)
{
	u64 done = 0;

	if (flags & ~(u64)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ||
	    (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	len = MIN(len, GETRANDOM_MAX);
	while (done < len) {
		u64 r = random_u64();
		size_t n = MIN(len - done, sizeof(r));

		if (copyout(buf + done, &r, n) < 0)
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

/* One CPU: the mask is bit 0 in one long.  Linux answers the bytes it
 * wrote (one long); a length too short or not a multiple of a long is EINVAL. */
long sys_sched_getaffinity(int pid, u64 len, uptr mask)
{
	u64 one = 1;

	if (pid < 0 || (pid && pid != myproc()->pid && !proc_exists(pid)))
		return -ESRCH;
	if (len < sizeof(one) || (len & (sizeof(one) - 1)))
		return -EINVAL;
	return copyout(mask, &one, sizeof(one)) < 0 ? -EFAULT : (long)sizeof(one);
}

/* A mask must include CPU 0, the only one (EINVAL otherwise). */
long sys_sched_setaffinity(int pid, u64 len, uptr mask)
{
	u8 first = 0;

	if (pid < 0 || (pid && pid != myproc()->pid && !proc_exists(pid)))
		return -ESRCH;
	if (len == 0 || copyin(&first, mask, 1) < 0)
		return len == 0 ? -EINVAL : -EFAULT;
	return (first & 1) ? 0 : -EINVAL;
}

#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define TASK_COMM_LEN 16

/* The name at user address uname: its first 15 bytes, or up to its NUL. */
static long set_name(struct proc *p, uptr uname)
{
	char comm[TASK_COMM_LEN];
	size_t i;

	for (i = 0; i < TASK_COMM_LEN - 1; i++) {
		if (copyin(&comm[i], uname + i, 1) < 0)
			return -EFAULT;
		if (comm[i] == '\0')
			break;
	}
	comm[i] = '\0';
	strlcpy(p->name, comm, sizeof(p->name));
	return 0;
}

/* PR_SET_NAME / PR_GET_NAME: the process name, at most 15 bytes as Linux's
 * comm.  Other options are EINVAL. */
long sys_prctl(long option, u64 arg2, u64 arg3, u64 arg4, u64 arg5)
{
	struct proc *p = myproc();
	char comm[TASK_COMM_LEN];

	(void)arg3;
	(void)arg4;
	(void)arg5;
	switch (option) {
	case PR_SET_NAME:
		return set_name(p, arg2);
	case PR_GET_NAME:
		memset(comm, 0, sizeof(comm));
		strlcpy(comm, p->name, sizeof(comm));
		return copyout(arg2, comm, sizeof(comm)) < 0 ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}

#define ROBUST_LIST_HEAD_SIZE 24

/* Accepted and remembered by nobody: the list matters at exit only to other
 * threads or processes sharing the futexes, and the kernel has no futexes. */
long sys_set_robust_list(uptr head, u64 len)
{
	(void)head;
	return len == ROBUST_LIST_HEAD_SIZE ? 0 : -EINVAL;
}
