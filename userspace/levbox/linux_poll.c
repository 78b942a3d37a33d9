/*
 * suite_test_linux: poll and ppoll on pipes (readiness, hang-up, errors)
 * and sleeping until a timeout or until another process makes a
 * descriptor ready.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libsyscall.h"
#include "levbox.h"
#include "suite.h"
#include "suite_linux.h"

static long ms_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

int test_poll_pipe_states(void)
{
	int p[2];
	struct pollfd f[3];
	char c;

	EXPECT_EQ(pipe(p), 0);
	f[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	f[1] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	f[2] = (struct pollfd){ .fd = -1, .events = POLLIN };
	EXPECT_EQ(poll(f, 3, 0), 1);               /* only the write end */
	EXPECT_EQ(f[0].revents, 0);
	EXPECT_EQ(f[1].revents, POLLOUT);
	EXPECT_EQ(f[2].revents, 0);
	EXPECT_EQ(write(p[1], "x", 1), 1);
	EXPECT_EQ(poll(f, 2, 0), 2);
	EXPECT_EQ(f[0].revents, POLLIN);
	EXPECT_EQ(read(p[0], &c, 1), 1);
	close(p[1]);
	EXPECT_EQ(poll(f, 1, 0), 1);               /* writer gone: hang-up */
	EXPECT_EQ(f[0].revents, POLLHUP);
	f[1].fd = 29;                              /* not open */
	EXPECT_EQ(poll(f + 1, 1, 0), 1);
	EXPECT_EQ(f[1].revents, POLLNVAL);
	close(p[0]);
	EXPECT_ERRNO(poll((struct pollfd *)8, 1, 0), EFAULT);
	EXPECT_ERRNO(poll(f, 100000, 0), EINVAL);
	return 0;
}

int test_poll_timeout_sleeps(void)
{
	int p[2];
	struct pollfd f;
	struct timespec a, ts = { 0, 50000000 };

	EXPECT_EQ(pipe(p), 0);
	f = (struct pollfd){ .fd = p[0], .events = POLLIN };
	clock_gettime(CLOCK_MONOTONIC, &a);
	EXPECT_EQ(poll(&f, 1, 100), 0);
	EXPECT(ms_since(&a) >= 100);
	clock_gettime(CLOCK_MONOTONIC, &a);
	EXPECT_EQ(ppoll(&f, 1, &ts, NULL), 0);
	EXPECT(ms_since(&a) >= 50);
	close(p[0]);
	close(p[1]);
	return 0;
}

/* A child writes the pipe after 30 ms; the parent waits in poll without a
 * timeout (ts NULL) or in ppoll with timeout ts, and must wake with the pipe
 * readable.  0, or 1 after printing what failed (the EXPECT convention). */
int poll_until_child_writes(const struct timespec *ts)
{
	int p[2], ws;
	struct pollfd f;
	pid_t pid;

	EXPECT_EQ(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		struct timespec d = { 0, 30000000 };
		nanosleep(&d, NULL);
		_exit(write(p[1], "k", 1) == 1 ? 0 : 1);
	}
	EXPECT(pid > 0);
	f = (struct pollfd){ .fd = p[0], .events = POLLIN };
	EXPECT_EQ(ts ? ppoll(&f, 1, ts, NULL) : poll(&f, 1, -1), 1);
	EXPECT_EQ(f.revents, POLLIN);
	EXPECT_EQ(waitpid(pid, &ws, 0), pid);
	EXPECT_EQ(ws, 0);
	close(p[0]);
	close(p[1]);
	return 0;
}

int test_poll_wakes_on_write(void)
{
	return poll_until_child_writes(NULL);
}
