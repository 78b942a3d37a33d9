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
