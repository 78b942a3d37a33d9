/*
 * suite_test_linux: descriptor tables past 32 entries, up to RLIMIT_NOFILE
 * (Linux starts processes at 1024), and poll over many descriptors or with
 * a timeout too long to add to the clock.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "levbox.h"
#include "suite.h"
#include "suite_linux.h"

#define MANY 300

/* Entries in /proc/self/fd, "." and ".." aside (the directory's own fd too). */
static int count_open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;
}

int test_fds_many(void)
{
	int fds[MANY], before = count_open_fds(), ws;
	pid_t pid;

	for (int i = 0; i < MANY; i++) {
		fds[i] = dup(0);
		EXPECT(fds[i] >= 0);
	}
	EXPECT(fds[MANY - 1] >= MANY);
	EXPECT_EQ(count_open_fds(), before + MANY);
	pid = fork();
	if (pid == 0)       /* the child has the whole table */
		_exit(fcntl(fds[MANY - 1], F_GETFD) == 0 && count_open_fds() == before + MANY ? 0 : 1);
	EXPECT(pid > 0);
	EXPECT_EQ(waitpid(pid, &ws, 0), pid);
	EXPECT_EQ(ws, 0);
	for (int i = 0; i < MANY; i++)
		EXPECT_EQ(close(fds[i]), 0);
	EXPECT_EQ(count_open_fds(), before);
	return 0;
}

int test_fds_limit(void)
{
	struct rlimit rl, small;
	int fd, last = -1;

	EXPECT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
	EXPECT(rl.rlim_cur >= 1024);
	EXPECT_EQ(dup2(0, (int)rl.rlim_cur - 1), (int)rl.rlim_cur - 1);
	EXPECT_EQ(close((int)rl.rlim_cur - 1), 0);
	EXPECT_ERRNO(dup2(0, (int)rl.rlim_cur), EBADF);
	EXPECT_ERRNO(dup3(0, (int)rl.rlim_cur, O_CLOEXEC), EBADF);
	EXPECT_ERRNO(fcntl(0, F_DUPFD, (int)rl.rlim_cur), EINVAL);
	small = (struct rlimit){ 64, rl.rlim_max };
	EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &small), 0);
	while ((fd = dup(0)) >= 0)
		last = fd;
	EXPECT_EQ(errno, EMFILE);
	EXPECT_EQ(last, 63);
	for (fd = 3; fd <= last; fd++)
		close(fd);
	EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
	rl.rlim_max = (rlim_t)1 << 30;                /* past fs.nr_open */
	EXPECT_ERRNO(setrlimit(RLIMIT_NOFILE, &rl), EPERM);
	return 0;
}

int test_poll_many_fds(void)
{
	struct pollfd *f = calloc(MANY, sizeof(*f));
	int p[2];

	EXPECT(f != NULL);
	EXPECT_EQ(pipe(p), 0);
	for (int i = 0; i < MANY; i++)
		f[i] = (struct pollfd){ .fd = i == MANY - 7 ? p[0] : -1, .events = POLLIN };
	EXPECT_EQ(poll(f, MANY, 0), 0);
	EXPECT_EQ(write(p[1], "x", 1), 1);
	EXPECT_EQ(poll(f, MANY, 0), 1);
	EXPECT_EQ(f[MANY - 7].revents, POLLIN);
	close(p[0]);
	close(p[1]);
	free(f);
	return 0;
}

/* A timeout of centuries is a long wait, not a deadline wrapped into the
 * past.  The second one's nanoseconds, 1295883771178096 * 10^9, are
 * 2^64 - 1024000 modulo 2^64: added to a clock past 1 ms they used to wrap
 * to just before now, and ppoll returned 0 at once. */
int test_ppoll_huge_timeout(void)
{
	struct timespec longest = { LONG_MAX, 0 }, wraps = { 1295883771178096L, 0 };

	EXPECT_EQ(poll_until_child_writes(&longest), 0);
	EXPECT_EQ(poll_until_child_writes(&wraps), 0);
	return 0;
}
