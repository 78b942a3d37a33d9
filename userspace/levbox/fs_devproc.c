/*
 * suite_test_fs: /dev nodes and /proc files.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "levbox.h"
#include "suite.h"
#include "suite_fs.h"

int test_dev_nodes(void)
{
	char buf[64], buf2[64];
	struct stat st;
	int fd;

	EXPECT_EQ(stat("/dev/null", &st), 0);
	EXPECT(S_ISCHR(st.st_mode));
	EXPECT_EQ(st.st_rdev, 0x103);
	EXPECT((fd = openat(AT_FDCWD, "/dev/null", O_RDWR)) >= 0);
	EXPECT_EQ(write(fd, "gone", 4), 4);
	EXPECT_EQ(read(fd, buf, sizeof buf), 0);
	close(fd);
	EXPECT((fd = openat(AT_FDCWD, "/dev/zero", O_RDONLY)) >= 0);
	memset(buf, 1, sizeof buf);
	EXPECT_EQ(read(fd, buf, sizeof buf), (long)sizeof buf);
	for (size_t i = 0; i < sizeof buf; i++)
		EXPECT_EQ(buf[i], 0);
	close(fd);
	EXPECT((fd = openat(AT_FDCWD, "/dev/full", O_WRONLY)) >= 0);
	EXPECT_ERRNO(write(fd, "x", 1), ENOSPC);
	close(fd);
	EXPECT((fd = openat(AT_FDCWD, "/dev/urandom", O_RDONLY)) >= 0);
	EXPECT_EQ(read(fd, buf, sizeof buf), (long)sizeof buf);
	EXPECT_EQ(read(fd, buf2, sizeof buf2), (long)sizeof buf2);
	EXPECT(memcmp(buf, buf2, sizeof buf) != 0);
	close(fd);
	EXPECT((fd = openat(AT_FDCWD, "/dev/tty", O_WRONLY)) >= 0);
	EXPECT_EQ(write(fd, "", 0), 0);
	EXPECT_EQ(isatty(fd), 1);
	close(fd);
	EXPECT_EQ(lstat("/dev/stdout", &st), 0);
	EXPECT(S_ISLNK(st.st_mode));
	EXPECT((fd = openat(AT_FDCWD, "/dev/stdin", O_RDONLY)) >= 0);   /* fd 0: the console */
	EXPECT_EQ(isatty(fd), 1);
	close(fd);
	return 0;
}

int test_proc_files(void)
{
	static char buf[4096];
	double up, idle;

	EXPECT(slurp("/proc/meminfo", buf, sizeof buf) > 0);
	EXPECT(strncmp(buf, "MemTotal:", 9) == 0);
	EXPECT(strstr(buf, "\nMemFree:") && strstr(buf, "\nMemAvailable:") && strstr(buf, " kB\n"));
	EXPECT(slurp("/proc/uptime", buf, sizeof buf) > 0);
	EXPECT_EQ(sscanf(buf, "%lf %lf", &up, &idle), 2);
	EXPECT(up > 0);
	EXPECT(slurp("/proc/mounts", buf, sizeof buf) > 0);
	EXPECT(strncmp(buf, "tmpfs / tmpfs rw", 16) == 0);
	EXPECT(strstr(buf, "\nproc /proc proc "));
	EXPECT(slurp("/proc/loadavg", buf, sizeof buf) > 0);
	EXPECT(strncmp(buf, "0.00 0.00 0.00 ", 15) == 0);
	EXPECT(slurp("/proc/stat", buf, sizeof buf) > 0);
	EXPECT(strncmp(buf, "cpu  ", 5) == 0);
	EXPECT(slurp("/proc/version", buf, sizeof buf) > 0);
	EXPECT(slurp("/proc/cpuinfo", buf, sizeof buf) > 0);
	EXPECT(strncmp(buf, "processor\t: 0\n", 14) == 0);
	EXPECT_ERRNO(openat(AT_FDCWD, "/proc/meminfo", O_WRONLY), EACCES);
	EXPECT_ERRNO(openat(AT_FDCWD, "/proc/new", O_CREAT | O_WRONLY, 0644), EACCES);
	EXPECT_ERRNO(mkdir("/proc/d", 0755), EACCES);
	return 0;
}

/* Whether a getdents64 listing of dir holds name. */
static int dir_has(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	while (d && (e = readdir(d)))
		found |= strcmp(e->d_name, name) == 0;
	if (d)
		closedir(d);
	return found;
}

int test_proc_pid_dirs(void)
{
	static char buf[4096];
	char path[64], self[16];
	int pid = getpid(), fd;
	long n;

	snprintf(self, sizeof self, "%d", pid);
	EXPECT_EQ(readlink("/proc/self", path, sizeof path), (long)strlen(self));
	EXPECT(dir_has("/proc", self));
	EXPECT(dir_has("/proc", "1"));
	EXPECT(dir_has("/proc", "meminfo"));
	EXPECT(slurp("/proc/self/stat", buf, sizeof buf) > 0);
	snprintf(path, sizeof path, "%d (suite_test_fs) R %d ", pid, getppid());
	EXPECT(strncmp(buf, path, strlen(path)) == 0);
	EXPECT(slurp("/proc/1/status", buf, sizeof buf) > 0);
	EXPECT(strncmp(buf, "Name:\tinit\n", 11) == 0);
	EXPECT(strstr(buf, "\nPid:\t1\n") && strstr(buf, "\nPPid:\t0\n"));
	n = slurp("/proc/self/cmdline", buf, sizeof buf);
	EXPECT_EQ(n, (long)sizeof "suite_test_fs" + (long)sizeof "proc_pid_dirs");
	EXPECT(strcmp(buf, "suite_test_fs") == 0 && strcmp(buf + 14, "proc_pid_dirs") == 0);
	EXPECT_EQ(chdir("/etc"), 0);
	EXPECT_EQ(readlink("/proc/self/cwd", path, sizeof path), 4);
	EXPECT((fd = openat(AT_FDCWD, "/usr", O_RDONLY)) >= 0);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	EXPECT_EQ(readlink(path, buf, sizeof buf), 4);
	EXPECT(memcmp(buf, "/usr", 4) == 0);
	EXPECT(dir_has("/proc/self/fd", "0"));
	snprintf(self, sizeof self, "%d", fd);
	EXPECT(dir_has("/proc/self/fd", self));
	close(fd);
	EXPECT_ERRNO(readlink(path, buf, sizeof buf), ENOENT);
	EXPECT_ERRNO(openat(AT_FDCWD, "/proc/99999/stat", O_RDONLY), ENOENT);
	EXPECT(slurp("/proc/self/fd/../status", buf, sizeof buf) > 0);
	return 0;
}

/* Field n (1-based, as proc(5) numbers them) of /proc/PID/stat as a number;
 * the command in parentheses may hold spaces, so counting starts after it. */
static long stat_field(pid_t pid, int n)
{
	static char buf[1024];
	char path[32], *s;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (slurp(path, buf, sizeof buf) <= 0 || !(s = strrchr(buf, ')')))
		return -999;
	for (int field = 2; field < n && s; field++)
		s = strchr(s + 1, ' ');
	return s ? strtol(s + 1, NULL, 10) : -999;
}

/* State letter (field 3) of /proc/PID/stat, or '?'. */
static char stat_state(pid_t pid)
{
	static char buf[1024];
	char path[32], *s;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (slurp(path, buf, sizeof buf) <= 0 || !(s = strrchr(buf, ')')))
		return '?';
	return s[2];
}

/* stat's group, session, terminal group and start time, and status's umask,
 * ids and state are the process's own, as ps and top read them. */
int test_proc_pid_stat(void)
{
	static char buf[4096], want[64];
	pid_t child;
	int ws, fg = -1;
	mode_t old = umask(027);

	EXPECT_EQ(stat_field(getpid(), 4), getppid());
	EXPECT_EQ(stat_field(getpid(), 5), getpgrp());
	EXPECT_EQ(stat_field(getpid(), 6), getsid(0));
	if (ioctl(0, TIOCGPGRP, &fg) < 0)
		fg = -1;
	EXPECT_EQ(stat_field(getpid(), 8), fg);
	EXPECT(slurp("/proc/self/status", buf, sizeof buf) > 0);
	EXPECT(strstr(buf, "\nUmask:\t0027\n") != NULL);
	snprintf(want, sizeof want, "\nUid:\t%d\t%d\t", (int)getuid(), (int)geteuid());
	EXPECT(strstr(buf, want) != NULL);
	umask(old);
	child = fork();
	if (child == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	EXPECT(child > 0);
	while (stat_field(child, 5) != child)       /* until the child's setpgid */
		sched_yield();
	EXPECT(stat_field(child, 22) >= stat_field(getpid(), 22));
	EXPECT_EQ(kill(child, SIGSTOP), 0);
	EXPECT_EQ(waitpid(child, &ws, WUNTRACED), child);
	EXPECT_EQ(stat_state(child), 'T');
	snprintf(want, sizeof want, "/proc/%d/status", (int)child);
	EXPECT(slurp(want, buf, sizeof buf) > 0);
	EXPECT(strstr(buf, "\nState:\tT (stopped)\n") != NULL);
	EXPECT_EQ(kill(child, SIGKILL), 0);
	EXPECT_EQ(waitpid(child, &ws, 0), child);
	return 0;
}
