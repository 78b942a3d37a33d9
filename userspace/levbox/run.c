/*
 * Helpers for applets that start programs: wait statuses, full writes,
 * start + wait, start with output captured, directory walks.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libsyscall.h"
#include "levbox.h"

/* Shell convention for a wait status: exit code, or 128 + signal. */
int status_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 255;
}

/* Returns 0 once all n bytes are written, or -errno. */
int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t done;

	while (n > 0) {
		done = write(fd, p, n);
		if (done < 0)
			return -errno;
		p += done;
		n -= (size_t)done;
	}
	return 0;
}

/* Start path with argv [path]; the child's pid or -errno (see levbox.h). */
long start_program(const char *path)
{
	char *argv[] = { (char *)path, NULL };

	return los_fork_exec(path, argv);
}

/* Wait for child pid; returns pid or -errno. */
static long wait_child(long pid, int *wstatus)
{
	if (waitpid((pid_t)pid, wstatus, 0) < 0)
		return -errno;
	return pid;
}

/* Returns the child's pid, or -errno (see levbox.h). */
long run_wait(const char *path, char *const argv[], int *wstatus)
{
	long pid;

	fflush(stdout);
	pid = los_fork_exec(path, argv);
	if (pid < 0)
		return pid;
	return wait_child(pid, wstatus);
}

/*
 * Start path with fd 1 pointing at write_fd: children inherit the fd table,
 * so fd 1 is swapped around the fork and put back.  Returns pid or -errno.
 */
static long start_with_stdout(const char *path, char *const argv[],
    int write_fd)
{
	long pid;
	int saved;

	fflush(stdout);
	saved = fcntl(1, F_DUPFD_CLOEXEC, 3);
	if (saved < 0)
		return -errno;
	if (dup2(write_fd, 1) < 0) {
		pid = -errno;
	} else {
		pid = los_fork_exec(path, argv);
		dup2(saved, 1);
	}
	close(saved);
	return pid;
}

/* Read fd to end of file into c; what does not fit is drained and dropped. */
static void read_to_eof(int fd, struct capture *c)
{
	char sink[512];
	size_t room;
	ssize_t n;

	c->len = 0;
	c->truncated = 0;
	for (;;) {
		room = sizeof c->out - 1 - c->len;
		if (room > 0)
			n = read(fd, c->out + c->len, room);
		else
			n = read(fd, sink, sizeof sink);
		if (n <= 0)
			break;
		if (room > 0)
			c->len += (size_t)n;
		else
			c->truncated = 1;
	}
	c->out[c->len] = '\0';
}

/* Returns the child's pid, or -errno (see levbox.h). */
long run_capture(const char *path, char *const argv[], struct capture *c)
{
	int p[2];
	long pid;

	/* O_CLOEXEC: only the child's fd 1 may hold the write end, or the
	 * read below would never see end of file. */
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = start_with_stdout(path, argv, p[1]);
	close(p[1]);
	if (pid >= 0)
		read_to_eof(p[0], c);
	close(p[0]);
	if (pid < 0)
		return pid;
	return wait_child(pid, &c->wstatus);
}

/* Returns 0, or -errno (see levbox.h). */
int for_each_entry(const char *path, void (*fn)(const char *, void *),
    void *ctx)
{
	char buf[2048];
	long n, off;
	int fd = openat(AT_FDCWD, path, O_RDONLY);

	if (fd < 0)
		return -errno;
	while ((n = los_syscall6(LOS_NR_getdents64, fd, (long)buf, sizeof buf, 0, 0, 0)) > 0) {
		for (off = 0; off < n;) {
			struct dirent *d = (struct dirent *)(buf + off);

			fn(d->d_name, ctx);
			off += d->d_reclen;
		}
	}
	if (n < 0)
		n = -errno;
	close(fd);
	return (int)n;
}
