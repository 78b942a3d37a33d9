/* What a process is and may use: user and group ids, supplementary groups,
 * resource limits.  Inherited by fork, kept by exec.  Every process starts
 * as root (0), like a Linux system's first process; no permission check in
 * the kernel looks at them yet, but the calls follow Linux's rules for
 * changing them (syscall/sys_cred.c, syscall/sys_rlimit.c). */
#ifndef PROC_CRED_H
#define PROC_CRED_H

#include "lib/types.h"

#define NGROUPS_MAX 32           /* supplementary groups kept per process */
#define RLIM_NLIMITS 16
#define RLIM_INFINITY (~0UL)

struct rlimit64 {
	u64 cur, max;
};

struct cred {
	u32 uid, euid, suid;         /* real, effective, saved user id */
	u32 gid, egid, sgid;
	u32 ngroups;
	u32 groups[NGROUPS_MAX];
	struct rlimit64 rlim[RLIM_NLIMITS];
};

/* The first process's: root, no supplementary groups, Linux's default limits. */
void cred_init(struct cred *c);

#endif
