/*
 * suite_test_core: files and descriptors.  Initramfs files and
 * directories, pipes, dup/dup2, close-on-exec flags.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "levbox.h"
#include "suite.h"

/* Must match userspace/rootfs/etc/hello.txt. */
#define HELLO_PATH "/etc/hello.txt"
#define HELLO_TEXT "Hello from Levitate!\nThis file lives in the initramfs.\n"

int test_file_read(void)
{
	char buf[256];
	struct stat st;
	long size = (long)strlen(HELLO_TEXT);
	int fd = openat(AT_FDCWD, HELLO_PATH, O_RDONLY);

	EXPECT(fd >= 0);
	EXPECT_EQ(fstat(fd, &st), 0);
	EXPECT(S_ISREG(st.st_mode));
	EXPECT_EQ(st.st_size, size);
	EXPECT_EQ(read(fd, buf, sizeof buf), size);
	EXPECT(memcmp(buf, HELLO_TEXT, (size_t)size) == 0);
	EXPECT_EQ(read(fd, buf, sizeof buf), 0);
	EXPECT_EQ(lseek(fd, 6, SEEK_SET), 6);
	EXPECT_EQ(read(fd, buf, 4), 4);
	EXPECT(memcmp(buf, HELLO_TEXT + 6, 4) == 0);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 10);
	EXPECT_EQ(lseek(fd, -1, SEEK_END), size - 1);
	EXPECT_EQ(read(fd, buf, sizeof buf), 1);
	EXPECT_ERRNO(lseek(fd, -1, SEEK_SET), EINVAL);
	EXPECT_ERRNO(write(fd, "x", 1), EBADF);
	EXPECT_EQ(close(fd), 0);
	EXPECT_ERRNO(close(fd), EBADF);
	EXPECT_ERRNO(read(fd, buf, 1), EBADF);
	return 0;
}

/* open(2) itself, on purpose: the rest of userspace opens with openat(AT_FDCWD)
 * (issue 20); this test and fs_write.c's test_open_flags_errors keep the open call
 * exercised. */
int test_file_missing(void)
{
	EXPECT_ERRNO(open("/etc/no-such-file", O_RDONLY), ENOENT);
	EXPECT_ERRNO(open("/no/such/dir/file", O_RDONLY), ENOENT);
	return 0;
}

/* for_each_entry callback: count the names Levitate's /bin must have. */
static void count_known(const char *name, void *ctx)
{
	int *found = ctx;

	if (strcmp(name, "levbox") == 0 || strcmp(name, "init") == 0 ||
	    strcmp(name, "shell") == 0)
		(*found)++;
}

int test_getdents_bin(void)
{
	char buf[512];
	struct stat st;
	int found = 0, fd;

	EXPECT_EQ(for_each_entry("/bin", count_known, &found), 0);
	EXPECT_EQ(found, 3);
	fd = openat(AT_FDCWD, "/bin", O_RDONLY);
	EXPECT(fd >= 0);
	EXPECT_EQ(fstat(fd, &st), 0);
	EXPECT(S_ISDIR(st.st_mode));
	close(fd);
	fd = openat(AT_FDCWD, HELLO_PATH, O_RDONLY);
	EXPECT(fd >= 0);
	EXPECT_ERRNO(syscall(SYS_getdents64, fd, buf, sizeof buf), ENOTDIR);
	close(fd);
	return 0;
}

int test_pipe_roundtrip(void)
{
	char buf[16];
	int p[2];

	EXPECT_EQ(pipe(p), 0);
	EXPECT_EQ(write(p[1], "ping", 4), 4);
	EXPECT_EQ(read(p[0], buf, sizeof buf), 4);
	EXPECT(memcmp(buf, "ping", 4) == 0);
	EXPECT_ERRNO(read(p[1], buf, 1), EBADF);
	EXPECT_ERRNO(write(p[0], "x", 1), EBADF);
	EXPECT_EQ(close(p[1]), 0);
	EXPECT_EQ(read(p[0], buf, sizeof buf), 0);
	EXPECT_EQ(close(p[0]), 0);
	return 0;
}

int test_dup_dup2(void)
{
	char c;
	int p[2], low;

	EXPECT_EQ(pipe(p), 0);
	low = lowest_free_fd();
	EXPECT_EQ(dup(p[0]), low);
	EXPECT_EQ(close(low), 0);
	EXPECT_EQ(dup2(p[1], 10), 10);
	EXPECT_EQ(write(10, "x", 1), 1);
	EXPECT_EQ(read(p[0], &c, 1), 1);
	EXPECT_EQ(c, 'x');
	EXPECT_EQ(dup2(p[1], p[1]), p[1]);
	/* dup2 onto an open descriptor closes what it held. */
	EXPECT_EQ(dup2(p[0], 10), 10);
	EXPECT_EQ(write(p[1], "y", 1), 1);
	EXPECT_EQ(read(10, &c, 1), 1);
	EXPECT_EQ(c, 'y');
	EXPECT_ERRNO(dup2(200, 11), EBADF);
	EXPECT_ERRNO(dup(200), EBADF);
	/* 10 now reads: the write end's last copy is p[1]. */
	EXPECT_EQ(close(p[1]), 0);
	EXPECT_EQ(read(10, &c, 1), 0);
	return 0;
}

int test_fcntl_cloexec(void)
{
	int p[2], d;

	EXPECT_EQ(pipe(p), 0);
	EXPECT_EQ(fcntl(p[0], F_GETFD), 0);
	EXPECT_EQ(fcntl(p[0], F_SETFD, FD_CLOEXEC), 0);
	EXPECT_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(p[1], F_GETFD), 0);
	/* The flag belongs to the descriptor, not to the pipe: dup clears it. */
	d = dup(p[0]);
	EXPECT(d >= 0);
	EXPECT_EQ(fcntl(d, F_GETFD), 0);
	EXPECT_EQ(fcntl(p[0], F_SETFD, 0), 0);
	EXPECT_EQ(fcntl(p[0], F_GETFD), 0);
	d = fcntl(p[1], F_DUPFD_CLOEXEC, 20);
	EXPECT(d >= 20);
	EXPECT_EQ(fcntl(d, F_GETFD), FD_CLOEXEC);
	EXPECT_ERRNO(fcntl(200, F_GETFD), EBADF);
	return 0;
}

int test_pipe2_cloexec(void)
{
	int p[2], q[2];

	EXPECT_EQ(pipe2(p, O_CLOEXEC), 0);
	EXPECT_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(p[1], F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(pipe2(q, 0), 0);
	EXPECT_EQ(fcntl(q[0], F_GETFD), 0);
	EXPECT_EQ(fcntl(q[1], F_GETFD), 0);
	return 0;
}
