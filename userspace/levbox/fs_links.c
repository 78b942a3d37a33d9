/*
 * suite_test_fs: symlinks (from the initramfs, through lookup and exec),
 * readlink, /proc/self/exe, fstatat of "", directory positions, access,
 * statfs, dup3, sendfile.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "levbox.h"
#include "suite.h"
#include "suite_fs.h"

/* Made by userspace/userspace.mk: symlinks in the initramfs. */
#define HELLO_LINK "/usr/lib/fstest/hello-link"
#define LEVBOX_LINK "/usr/lib/fstest/levbox-link"
#define HELLO_TEXT "Hello from Levitate!\n"
#define TMPFS_MAGIC 0x01021994
#define PROC_SUPER_MAGIC 0x9fa0

int test_symlink_initramfs(void)
{
	char buf[64];
	struct stat st;
	int fd;

	EXPECT_EQ(readlink(HELLO_LINK, buf, sizeof buf), 14);
	EXPECT(memcmp(buf, "/etc/hello.txt", 14) == 0);
	EXPECT_EQ(lstat(HELLO_LINK, &st), 0);
	EXPECT(S_ISLNK(st.st_mode));
	EXPECT_EQ(st.st_size, 14);
	EXPECT_EQ(stat(HELLO_LINK, &st), 0);
	EXPECT(S_ISREG(st.st_mode));
	EXPECT((fd = openat(AT_FDCWD, HELLO_LINK, O_RDONLY)) >= 0);
	EXPECT_EQ(read(fd, buf, strlen(HELLO_TEXT)), (long)strlen(HELLO_TEXT));
	EXPECT(memcmp(buf, HELLO_TEXT, strlen(HELLO_TEXT)) == 0);
	close(fd);
	/* a short buffer gets a cut text, no NUL */
	memset(buf, 'x', sizeof buf);
	EXPECT_EQ(readlink(HELLO_LINK, buf, 4), 4);
	EXPECT(memcmp(buf, "/etcx", 5) == 0);
	return 0;
}

/* Run path with argv { arg0, NULL }: the child's exit code, or -1. */
static int run_as(const char *path, const char *arg0)
{
	char *argv[] = { (char *)arg0, NULL };
	int status;

	if (run_wait(path, argv, &status) < 0)
		return -1;
	return status_code(status);
}

int test_symlink_exec(void)
{
	EXPECT_EQ(run_as(LEVBOX_LINK, "true"), 0);
	EXPECT_EQ(run_as(LEVBOX_LINK, "false"), 1);
	return 0;
}

int test_proc_self_exe(void)
{
	char buf[256];
	long n = readlink("/proc/self/exe", buf, sizeof buf - 1);

	EXPECT(n > 0);
	buf[n] = '\0';
	EXPECT(strcmp(buf, "/usr/bin/suite_test_fs") == 0);
	/* ash re-executes itself through the link */
	EXPECT_EQ(run_as("/proc/self/exe", "true"), 0);
	/* a program started through a symlink is the file it reached */
	return 0;
}

int test_readlink_errors(void)
{
	char buf[16];

	EXPECT_ERRNO(readlink("/etc/hello.txt", buf, sizeof buf), EINVAL);
	EXPECT_ERRNO(readlink("/etc", buf, sizeof buf), EINVAL);
	EXPECT_ERRNO(readlink("/etc/none", buf, sizeof buf), ENOENT);
	EXPECT_ERRNO(syscall(SYS_readlink, "/proc/self/exe", buf, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_readlinkat, AT_FDCWD, "/proc/self/exe", hostile(1), 8), EFAULT);
	return 0;
}

/* fstatat(AT_FDCWD, "", AT_EMPTY_PATH) describes the working directory. */
int test_fstatat_empty_cwd(void)
{
	struct stat st, etc, root;

	/* newfstatat for all three: stat(2) itself is a newer call */
	EXPECT_EQ(syscall(SYS_newfstatat, AT_FDCWD, "/etc", &etc, 0), 0);
	EXPECT_EQ(syscall(SYS_newfstatat, AT_FDCWD, "/", &root, 0), 0);
	EXPECT(etc.st_ino != root.st_ino);
	EXPECT_EQ(chdir("/etc"), 0);
	EXPECT_EQ(syscall(SYS_newfstatat, AT_FDCWD, "", &st, AT_EMPTY_PATH), 0);
	EXPECT_EQ(st.st_ino, etc.st_ino);
	EXPECT(S_ISDIR(st.st_mode));
	EXPECT_ERRNO(syscall(SYS_newfstatat, AT_FDCWD, "", &st, 0), ENOENT);
	return 0;
}

/* Every name getdents64 gives from position pos, appended to out. */
static long names_from(int fd, long pos, char *out, size_t size)
{
	char buf[2048];
	long n, total = 0;

	if (lseek(fd, pos, SEEK_SET) < 0)
		return -1;
	strcpy(out, "/");
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
		for (long off = 0; off < n;) {
			struct dirent *d = (struct dirent *)(buf + off);

			if (strlen(out) + strlen(d->d_name) + 2 < size) {
				strcat(out, d->d_name);
				strcat(out, "/");
			}
			total++;
			off += d->d_reclen;
		}
	}
	return n < 0 ? -1 : total;
}

/* Positions a program makes up (not d_off values) resume at a real entry;
 * nothing else is ever parsed as an entry. */
int test_dir_position_sane(void)
{
	char all[1024], some[1024], name[260];
	int fd = openat(AT_FDCWD, "/etc", O_RDONLY | O_DIRECTORY);

	EXPECT(fd >= 0);
	EXPECT(names_from(fd, 0, all, sizeof all) >= 3);
	for (long pos = 0; pos < 4096; pos = pos * 3 + 1) {
		long n = names_from(fd, pos, some, sizeof some);

		EXPECT(n >= 0);
		/* each name from there is one of the listing's */
		for (char *s = some + 1, *e; (e = strchr(s, '/')); s = e + 1) {
			snprintf(name, sizeof name, "/%.*s/", (int)(e - s), s);
			EXPECT(strstr(name, "//") == NULL);
			EXPECT(strstr(all, name) != NULL);
		}
	}
	close(fd);
	return 0;
}

int test_access_modes(void)
{
	EXPECT_EQ(access("/bin/levbox", X_OK), 0);
	EXPECT_EQ(access("/etc/hello.txt", R_OK | W_OK), 0);
	EXPECT_ERRNO(access("/etc/hello.txt", X_OK), EACCES);
	EXPECT_EQ(access("/etc", X_OK), 0);
	EXPECT_ERRNO(access("/etc/none", F_OK), ENOENT);
	EXPECT_ERRNO(access("/etc/hello.txt/x", F_OK), ENOTDIR);
	EXPECT_ERRNO(access("/etc/hello.txt", 8), EINVAL);
	EXPECT_EQ(syscall(SYS_faccessat, AT_FDCWD, HELLO_LINK, R_OK), 0);
	EXPECT_EQ(syscall(439, AT_FDCWD, HELLO_LINK, F_OK, AT_SYMLINK_NOFOLLOW), 0);
	EXPECT_ERRNO(syscall(439, AT_FDCWD, "/etc", F_OK, 0x8000), EINVAL);
	return 0;
}

int test_statfs_root_proc(void)
{
	struct statfs s;
	int fd;

	EXPECT_EQ(statfs("/", &s), 0);
	EXPECT_EQ(s.f_type, TMPFS_MAGIC);
	EXPECT_EQ(s.f_bsize, 4096);
	EXPECT(s.f_blocks > 0 && s.f_bfree <= s.f_blocks && s.f_bavail == s.f_bfree);
	EXPECT_EQ(s.f_namelen, 255);
	EXPECT_EQ(statfs("/proc", &s), 0);
	EXPECT_EQ(s.f_type, PROC_SUPER_MAGIC);
	EXPECT((fd = openat(AT_FDCWD, "/etc", O_RDONLY)) >= 0);
	EXPECT_EQ(fstatfs(fd, &s), 0);
	EXPECT_EQ(s.f_type, TMPFS_MAGIC);
	close(fd);
	EXPECT_ERRNO(statfs("/none", &s), ENOENT);
	EXPECT_ERRNO(syscall(SYS_statfs, "/", hostile(1)), EFAULT);
	return 0;
}

int test_dup3_flags(void)
{
	int fd = openat(AT_FDCWD, "/etc/hello.txt", O_RDONLY);

	EXPECT(fd >= 0);
	EXPECT_ERRNO(syscall(SYS_dup3, fd, fd, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_dup3, fd, 20, 1), EINVAL);
	EXPECT_ERRNO(syscall(SYS_dup3, 29, 20, 0), EBADF);
	EXPECT_EQ(syscall(SYS_dup3, fd, 20, O_CLOEXEC), 20);
	EXPECT_EQ(fcntl(20, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(syscall(SYS_dup3, fd, 20, 0), 20);
	EXPECT_EQ(fcntl(20, F_GETFD), 0);
	return 0;
}

int test_sendfile_offsets(void)
{
	int fd = openat(AT_FDCWD, "/etc/hello.txt", O_RDONLY), p[2];
	char buf[64];
	off_t off = 6;

	EXPECT(fd >= 0);
	EXPECT_EQ(pipe(p), 0);
	EXPECT_EQ(sendfile(p[1], fd, &off, 4), 4);
	EXPECT_EQ(off, 10);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);
	EXPECT_EQ(read(p[0], buf, sizeof buf), 4);
	EXPECT(memcmp(buf, "from", 4) == 0);
	EXPECT_EQ(sendfile(p[1], fd, NULL, 5), 5);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 5);
	EXPECT_EQ(read(p[0], buf, sizeof buf), 5);
	EXPECT(memcmp(buf, "Hello", 5) == 0);
	EXPECT_ERRNO(sendfile(p[1], p[0], &off, 1), ESPIPE);
	EXPECT_ERRNO(sendfile(fd, p[0], NULL, 1), EBADF);
	return 0;
}
