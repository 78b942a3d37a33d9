/*
 * suite_test_fs: file pages are counted memory.  Writing a file takes
 * free memory, deleting it (once no descriptor holds it) gives it back
 * exactly; when the filesystem's share runs out, writes fail with ENOSPC
 * and the rest of the system carries on.  Also: exec of a file written at
 * run time.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "levbox.h"
#include "suite.h"
#include "suite_fs.h"

#define BIG (4L << 20)

/* See suite_fs.h. */
unsigned long free_ram(void)
{
	struct sysinfo si;

	sysinfo(&si);
	return si.freeram * si.mem_unit;
}

/* Write n bytes of a pattern to fd: the bytes written before an error. */
static long fill(int fd, long n)
{
	static char chunk[65536];
	long done = 0, w;

	memset(chunk, 'q', sizeof chunk);
	while (done < n && (w = write(fd, chunk, (size_t)(n - done < (long)sizeof chunk ? n - done : (long)sizeof chunk))) > 0)
		done += w;
	return done;
}

int test_memory_returns(void)
{
	unsigned long before, full, open_unlinked, after;
	int fd;

	EXPECT_EQ(fresh_dir("mem"), 0);
	before = free_ram();
	EXPECT((fd = openat(AT_FDCWD, "big", O_CREAT | O_RDWR | O_TRUNC, 0644)) >= 0);
	EXPECT_EQ(fill(fd, BIG), BIG);
	full = free_ram();
	EXPECT(before - full >= (unsigned long)BIG);
	EXPECT(before - full <= (unsigned long)BIG + 64 * 4096);
	EXPECT_EQ(unlink("big"), 0);
	open_unlinked = free_ram();
	EXPECT(before - open_unlinked >= (unsigned long)BIG);   /* still held by fd */
	EXPECT_EQ(close(fd), 0);
	after = free_ram();
	printf("memory_returns: free %lu, with a %ld-byte file %lu (-%lu), after delete %lu\n",
	    before, BIG, full, before - full, after);
	EXPECT_EQ(after, before);
	return 0;
}

int test_enospc_then_recover(void)
{
	unsigned long before;
	struct statfs s;
	char *argv[] = { "true", NULL };
	int fd, status;
	long n;

	EXPECT_EQ(fresh_dir("nospc"), 0);
	/* once first, so the program text cache holds its pages before we count */
	EXPECT(run_wait("/bin/true", argv, &status) > 0);
	before = free_ram();
	EXPECT_EQ(statfs("/", &s), 0);
	EXPECT((fd = openat(AT_FDCWD, "fill", O_CREAT | O_RDWR | O_TRUNC, 0644)) >= 0);
	n = fill(fd, (long)(s.f_blocks + 16) * 4096);
	EXPECT(n > 0 && n < (long)(s.f_blocks + 16) * 4096);
	EXPECT_ERRNO(write(fd, "x", 1), ENOSPC);
	EXPECT_EQ(statfs("/", &s), 0);
	EXPECT(s.f_bavail < 16);
	/* the system carries on: processes start and run */
	EXPECT(run_wait("/bin/true", argv, &status) > 0);
	EXPECT_EQ(status_code(status), 0);
	EXPECT_EQ(close(fd), 0);
	EXPECT_EQ(unlink("fill"), 0);
	EXPECT_EQ(free_ram(), before);
	return 0;
}

/* A copy of /bin/levbox written now (not from the initramfs) runs. */
int test_exec_written_file(void)
{
	char *argv[] = { "false", NULL };
	int in, out, status;

	EXPECT_EQ(fresh_dir("xwf"), 0);
	EXPECT((in = openat(AT_FDCWD, "/bin/levbox", O_RDONLY)) >= 0);
	EXPECT((out = openat(AT_FDCWD, "lb", O_CREAT | O_WRONLY | O_TRUNC, 0755)) >= 0);
	for (;;) {
		static char buf[16384];
		long n = read(in, buf, sizeof buf);

		EXPECT(n >= 0);
		if (n == 0)
			break;
		EXPECT_EQ(write(out, buf, (size_t)n), n);
	}
	close(in);
	close(out);
	EXPECT(run_wait("/tmp/xwf/lb", argv, &status) > 0);
	EXPECT_EQ(status_code(status), 1);
	EXPECT_EQ(chmod("lb", 0644), 0);
	EXPECT(run_wait("/tmp/xwf/lb", argv, &status) == -EACCES);
	return 0;
}
