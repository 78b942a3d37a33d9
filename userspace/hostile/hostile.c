/* Shared helpers of the hostile programs: see hostile.h. */
#include <stdio.h>
#include <string.h>

#include "hostile.h"

/* struct sysinfo as Linux x86_64 lays it out; only freeram is used. */
struct hostile_sysinfo {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	unsigned short procs, pad;
	unsigned int pad2;
	unsigned long totalhigh, freehigh;
	unsigned int mem_unit;
	char reserved[4];
};

/* Processes in use when the program started (init, maybe a shell, us). */
static int start_procs;

/* Processes in use now, or -1. */
static int procs_now(void)
{
	struct hostile_sysinfo si;

	return SYS1(LOS_NR_sysinfo, &si) < 0 ? -1 : si.procs;
}

void hostile_start(void)
{
	start_procs = procs_now();
	los_map_image();          /* freeram readings count the cases, not our first touches */
}

long hostile_freeram(void)
{
	struct hostile_sysinfo si;

	if (SYS1(LOS_NR_sysinfo, &si) < 0)
		return -1;
	return (long)(si.freeram * (si.mem_unit ? si.mem_unit : 1));
}

void hostile_exit(int code)
{
	for (;;)
		SYS1(LOS_NR_exit_group, code);
}

void hostile_puts(int fd, const char *s)
{
	SYS3(LOS_NR_write, fd, s, strlen(s));
}

long hostile_wait(long pid)
{
	int status = 0;
	long r;

	do
		r = SYS4(LOS_NR_wait4, pid, &status, 0, 0);
	while (r == -4);        /* EINTR cannot happen yet; be ready for it */
	return r < 0 ? r : status;
}

long hostile_run_child(int (*fn)(void *), void *arg)
{
	long pid;

	fflush(stdout);
	fflush(stderr);
	pid = los_fork();
	if (pid < 0)
		return pid;
	if (pid == 0)
		hostile_exit(fn(arg));
	return hostile_wait(pid);
}

int hostile_fork_still_works(void)
{
	char *argv[] = { "true", NULL };
	long pid = los_fork_exec("/bin/true", argv);

	return pid > 0 && hostile_wait(pid) == 0;
}

int hostile_reap_all(void)
{
	int n = 0;

	while (hostile_wait(-1) >= 0)
		n++;
	return n;
}

long hostile_settled_freeram(void)
{
	hostile_reap_all();
	/* Orphans (children of our children) are init's to reap: let it run
	 * until the process count is back where it started. */
	for (int i = 0; i < 100000 && start_procs > 0 && procs_now() > start_procs; i++)
		SYS0(LOS_NR_sched_yield);
	return hostile_freeram();
}
