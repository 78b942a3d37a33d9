/*
 * suite_test_linux: credentials, resource limits, and the small calls glibc
 * makes at start-up (getrandom, sched_getaffinity, prctl names,
 * set_robust_list).  Every process starts as root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

#include "libsyscall.h"
#include "levbox.h"
#include "suite.h"
#include "suite_linux.h"

#define RAW(nr, a, b, c) los_syscall6((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)

int test_ids_consistent(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;

	EXPECT_EQ(getresuid(&r, &e, &s), 0);
	EXPECT_EQ(r, getuid());
	EXPECT_EQ(e, geteuid());
	EXPECT_EQ(getresgid(&gr, &ge, &gs), 0);
	EXPECT_EQ(gr, getgid());
	EXPECT_EQ(ge, getegid());
	EXPECT(getgroups(0, NULL) >= 0);
	EXPECT_EQ(setuid(getuid()), 0);
	EXPECT_EQ(RAW(LOS_NR_getresuid, 0, 0, 0), -EFAULT);
	EXPECT_EQ(RAW(LOS_NR_setuid, -1, 0, 0), -EINVAL);
	return 0;
}

/* In a child (the ids are the process's): root drops to 1000 with setresuid
 * keeping saved 0, can come back; after setuid(1000) as root it cannot. */
static int drop_root(void)
{
	uid_t r, e, s;
	gid_t groups[2] = { 5, 7 }, got[4];

	if (getuid() != 0 || setgroups(2, groups) != 0 || getgroups(4, got) != 2 || got[1] != 7)
		return 1;
	if (getgroups(1, got) != -1 || errno != EINVAL)
		return 2;
	if (setresuid(1000, 1000, 0) != 0 || getuid() != 1000 || geteuid() != 1000)
		return 3;
	if (setresuid(-1, 2000, -1) != -1 || errno != EPERM)
		return 4;
	if (setgroups(0, NULL) != -1 || errno != EPERM)
		return 5;
	if (seteuid(0) != 0 || geteuid() != 0)     /* back through the saved id */
		return 6;
	if (setuid(1000) != 0 || getresuid(&r, &e, &s) != 0 || r != 1000 || e != 1000 || s != 1000)
		return 7;
	if (setuid(0) != -1 || errno != EPERM || setgid(3) != -1 || errno != EPERM)
		return 8;
	return 0;
}

int test_ids_root_drops(void)
{
	int ws;
	pid_t pid;

	EXPECT_EQ(getuid(), 0);
	EXPECT_EQ(geteuid(), 0);
	EXPECT_EQ(getgid(), 0);
	pid = fork();
	if (pid == 0)
		_exit(drop_root());
	EXPECT(pid > 0);
	EXPECT_EQ(waitpid(pid, &ws, 0), pid);
	EXPECT_EQ(ws, 0);
	EXPECT_EQ(getuid(), 0);     /* the child's change was its own */
	return 0;
}

int test_rlimits(void)
{
	struct rlimit rl, nl;

	EXPECT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
	EXPECT(rl.rlim_cur > 0 && rl.rlim_cur <= rl.rlim_max);
	EXPECT_EQ(getrlimit(RLIMIT_STACK, &rl), 0);
	EXPECT(rl.rlim_cur >= 1024 * 1024);
	nl = rl;
	nl.rlim_cur = 2 * 1024 * 1024;
	EXPECT_EQ(setrlimit(RLIMIT_STACK, &nl), 0);
	EXPECT_EQ(getrlimit(RLIMIT_STACK, &nl), 0);
	EXPECT_EQ(nl.rlim_cur, 2 * 1024 * 1024);
	nl.rlim_cur = nl.rlim_max == RLIM_INFINITY ? RLIM_INFINITY : nl.rlim_max + 1;
	nl.rlim_max = 1;
	EXPECT_ERRNO(setrlimit(RLIMIT_STACK, &nl), EINVAL);     /* cur > max */
	EXPECT_EQ(prlimit(0, RLIMIT_STACK, &rl, &nl), 0);
	EXPECT_EQ(nl.rlim_cur, 2 * 1024 * 1024);
	EXPECT_ERRNO(getrlimit(99, &rl), EINVAL);
	EXPECT_EQ(RAW(LOS_NR_getrlimit, RLIMIT_CORE, 0, 0), -EFAULT);
	return 0;
}

int test_getrandom(void)
{
	unsigned char a[64], b[64];

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	EXPECT_EQ(getrandom(a, sizeof(a), 0), sizeof(a));
	EXPECT_EQ(getrandom(b, sizeof(b), GRND_NONBLOCK), sizeof(b));
	EXPECT(memcmp(a, b, sizeof(a)) != 0);
	EXPECT_ERRNO(getrandom(a, 1, 0x40), EINVAL);
	EXPECT_EQ(RAW(LOS_NR_getrandom, 8, 16, 0), -EFAULT);
	return 0;
}

int test_affinity_prctl_robust(void)
{
	cpu_set_t set;
	char name[16];
	long head[3];

	CPU_ZERO(&set);
	EXPECT_EQ(sched_getaffinity(0, sizeof(set), &set), 0);
	EXPECT(CPU_ISSET(0, &set));
	EXPECT_EQ(RAW(LOS_NR_sched_getaffinity, 0, 3, &set), -EINVAL);
	EXPECT(RAW(LOS_NR_sched_getaffinity, 0, sizeof(set), &set) >= 8);
	EXPECT_EQ(prctl(PR_SET_NAME, "a-very-long-process-name"), 0);
	memset(name, 'x', sizeof(name));
	EXPECT_EQ(prctl(PR_GET_NAME, name), 0);
	EXPECT_EQ(strcmp(name, "a-very-long-pro"), 0);    /* 15 bytes and a NUL */
	EXPECT_EQ(RAW(LOS_NR_prctl, PR_GET_NAME, 8, 0), -EFAULT);
	EXPECT_EQ(RAW(LOS_NR_set_robust_list, head, 24, 0), 0);
	EXPECT_EQ(RAW(LOS_NR_set_robust_list, head, 23, 0), -EINVAL);
	return 0;
}
