/*
 * suite_test_fs: the writable RAM root: create, write, truncate, holes,
 * directories, rename, links, attributes, getdents while a directory
 * changes, and an unlinked file that is still open.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "levbox.h"
#include "suite.h"
#include "suite_fs.h"

/* See suite_fs.h. */
int fresh_dir(const char *name)
{
	char path[256];

	mkdir("/tmp", 0777);
	snprintf(path, sizeof path, "/tmp/%s", name);
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		printf("fresh_dir: mkdir %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (chdir(path) < 0) {
		printf("fresh_dir: chdir %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* See suite_fs.h. */
long slurp(const char *path, char *buf, size_t size)
{
	int fd = openat(AT_FDCWD, path, O_RDONLY);
	long n, total = 0;

	if (fd < 0)
		return -1;
	while (total < (long)size - 1 && (n = read(fd, buf + total, size - 1 - total)) > 0)
		total += n;
	buf[total] = '\0';
	close(fd);
	return total;
}

int test_create_write_read(void)
{
	char buf[64];
	struct stat st;
	struct iovec iov[2] = { { "abc", 3 }, { "defg", 4 } };
	int fd;

	EXPECT_EQ(fresh_dir("cwr"), 0);
	EXPECT((fd = openat(AT_FDCWD, "f", O_CREAT | O_EXCL | O_RDWR, 0644)) >= 0);
	EXPECT_EQ(write(fd, "hello", 5), 5);
	EXPECT_EQ(writev(fd, iov, 2), 7);
	EXPECT_EQ(fstat(fd, &st), 0);
	EXPECT(S_ISREG(st.st_mode));
	EXPECT_EQ(st.st_mode & 0777, 0644);
	EXPECT_EQ(st.st_size, 12);
	EXPECT_EQ(st.st_nlink, 1);
	EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
	EXPECT_EQ(read(fd, buf, sizeof buf), 12);
	EXPECT(memcmp(buf, "helloabcdefg", 12) == 0);
	close(fd);
	EXPECT_ERRNO(openat(AT_FDCWD, "f", O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST);
	EXPECT_EQ(slurp("/tmp/cwr/f", buf, sizeof buf), 12);
	/* umask applies to the mode */
	umask(077);
	EXPECT((fd = openat(AT_FDCWD, "g", O_CREAT | O_WRONLY, 0666)) >= 0);
	EXPECT_EQ(fstat(fd, &st), 0);
	EXPECT_EQ(st.st_mode & 0777, 0600);
	EXPECT_EQ(umask(022), 077);
	close(fd);
	/* a file of the initramfs can be rewritten */
	EXPECT((fd = openat(AT_FDCWD, "/etc/motd", O_WRONLY | O_APPEND)) >= 0);
	EXPECT_EQ(write(fd, "", 0), 0);
	close(fd);
	return 0;
}

/* umask is per process, as Linux keeps it: a child inherits the parent's,
 * and what the child sets stays the child's. */
int test_umask_per_process(void)
{
	int st;
	pid_t pid;
	mode_t old = umask(027);

	pid = fork();
	if (pid == 0)
		_exit(umask(077) == 027 ? 0 : 1);
	EXPECT(pid > 0);
	EXPECT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	EXPECT_EQ(umask(old), 027);
	return 0;
}

/* open(2) itself, on purpose (as core_fs.c's test_file_missing): the rest of
 * userspace opens with openat(AT_FDCWD). */
int test_open_flags_errors(void)
{
	struct stat st;
	int fd;

	EXPECT_EQ(fresh_dir("ofe"), 0);
	EXPECT_EQ(symlink("/etc/hello.txt", "link"), 0);
	EXPECT_ERRNO(open("/etc", O_WRONLY), EISDIR);
	EXPECT_ERRNO(open("/etc", O_CREAT | O_RDONLY, 0644), EISDIR);
	EXPECT_ERRNO(open("/etc/hello.txt", O_RDONLY | O_DIRECTORY), ENOTDIR);
	EXPECT_ERRNO(open("link", O_RDONLY | O_NOFOLLOW), ELOOP);
	EXPECT_ERRNO(open("link", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
	EXPECT_ERRNO(open("nodir/f", O_CREAT | O_WRONLY, 0644), ENOENT);
	EXPECT_ERRNO(open("/etc/hello.txt/f", O_CREAT | O_WRONLY, 0644), ENOTDIR);
	EXPECT_ERRNO(open("newdir/", O_CREAT | O_WRONLY, 0644), EISDIR);
	EXPECT((fd = open(".", O_RDONLY | O_DIRECTORY)) >= 0);
	EXPECT_ERRNO(write(fd, "x", 1), EBADF);
	EXPECT_ERRNO(read(fd, &st, 1), EISDIR);
	/* openat relative to an open directory */
	close(openat(fd, "rel", O_CREAT | O_WRONLY, 0600));
	EXPECT_EQ(stat("/tmp/ofe/rel", &st), 0);
	close(fd);
	return 0;
}

int test_append_trunc_pwrite(void)
{
	char buf[64];
	int fd;

	EXPECT_EQ(fresh_dir("atp"), 0);
	EXPECT((fd = openat(AT_FDCWD, "f", O_CREAT | O_TRUNC | O_WRONLY, 0644)) >= 0);
	EXPECT_EQ(write(fd, "0123456789", 10), 10);
	close(fd);
	EXPECT((fd = openat(AT_FDCWD, "f", O_WRONLY | O_APPEND)) >= 0);
	EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
	EXPECT_EQ(write(fd, "ab", 2), 2);          /* at the end, whatever the offset */
	close(fd);
	EXPECT_EQ(slurp("f", buf, sizeof buf), 12);
	EXPECT(strcmp(buf, "0123456789ab") == 0);
	EXPECT((fd = openat(AT_FDCWD, "f", O_RDWR)) >= 0);
	EXPECT_EQ(pwrite(fd, "XY", 2, 3), 2);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);
	EXPECT_EQ(pread(fd, buf, 4, 2), 4);
	EXPECT(memcmp(buf, "2XY5", 4) == 0);
	EXPECT_EQ(ftruncate(fd, 4), 0);
	EXPECT_EQ(slurp("f", buf, sizeof buf), 4);
	EXPECT(strcmp(buf, "012X") == 0);
	EXPECT_ERRNO(ftruncate(fd, -1), EINVAL);
	close(fd);
	EXPECT((fd = openat(AT_FDCWD, "f", O_RDONLY)) >= 0);
	EXPECT_ERRNO(ftruncate(fd, 0), EINVAL);
	close(fd);
	EXPECT_EQ(truncate("f", 2), 0);
	EXPECT_EQ(slurp("f", buf, sizeof buf), 2);
	EXPECT_ERRNO(truncate("/etc", 0), EISDIR);
	EXPECT((fd = openat(AT_FDCWD, "f", O_WRONLY | O_TRUNC)) >= 0);
	close(fd);
	EXPECT_EQ(slurp("f", buf, sizeof buf), 0);
	EXPECT_ERRNO(pwrite(fd, "x", 1, 0), EBADF);
	return 0;
}

int test_holes_and_blocks(void)
{
	char buf[8192];
	struct stat st;
	int fd;

	EXPECT_EQ(fresh_dir("holes"), 0);
	EXPECT((fd = openat(AT_FDCWD, "h", O_CREAT | O_RDWR | O_TRUNC, 0644)) >= 0);
	EXPECT_EQ(lseek(fd, 100000, SEEK_SET), 100000);
	EXPECT_EQ(write(fd, "z", 1), 1);
	EXPECT_EQ(fstat(fd, &st), 0);
	EXPECT_EQ(st.st_size, 100001);
	EXPECT_EQ(st.st_blocks, 8);                /* one page written, the rest a hole */
	EXPECT_EQ(st.st_blksize, 4096);
	EXPECT_EQ(pread(fd, buf, sizeof buf, 50000), (long)sizeof buf);
	for (size_t i = 0; i < sizeof buf; i++)
		EXPECT_EQ(buf[i], 0);
	EXPECT_EQ(pread(fd, buf, 10, 99996), 5);
	EXPECT(memcmp(buf, "\0\0\0\0z", 5) == 0);
	/* shrinking and growing again reads zeros */
	EXPECT_EQ(ftruncate(fd, 100000), 0);
	EXPECT_EQ(ftruncate(fd, 100001), 0);
	EXPECT_EQ(pread(fd, buf, 1, 100000), 1);
	EXPECT_EQ(buf[0], 0);
	close(fd);
	return 0;
}

int test_mkdir_rmdir_unlink(void)
{
	struct stat st, d;

	EXPECT_EQ(fresh_dir("mru"), 0);
	EXPECT_EQ(stat(".", &d), 0);
	EXPECT_EQ(mkdir("a", 0755), 0);
	EXPECT_EQ(stat("a", &st), 0);
	EXPECT(S_ISDIR(st.st_mode));
	EXPECT_EQ(st.st_nlink, 2);
	EXPECT_EQ(stat(".", &st), 0);
	EXPECT_EQ(st.st_nlink, d.st_nlink + 1);
	EXPECT_ERRNO(mkdir("a", 0755), EEXIST);
	EXPECT_ERRNO(mkdir("x/y", 0755), ENOENT);
	EXPECT_EQ(mkdir("a/b", 0700), 0);
	EXPECT_ERRNO(rmdir("a"), ENOTEMPTY);
	EXPECT_ERRNO(unlink("a"), EISDIR);
	EXPECT_EQ(close(openat(AT_FDCWD, "a/f", O_CREAT | O_WRONLY, 0644)), 0);
	EXPECT_ERRNO(rmdir("a/f"), ENOTDIR);
	EXPECT_ERRNO(unlink("a/f/"), ENOTDIR);
	EXPECT_ERRNO(rmdir("a/."), EINVAL);
	EXPECT_ERRNO(rmdir("/"), EBUSY);
	EXPECT_ERRNO(rmdir("/proc"), EBUSY);
	EXPECT_EQ(unlink("a/f"), 0);
	EXPECT_ERRNO(unlink("a/f"), ENOENT);
	EXPECT_EQ(syscall(SYS_unlinkat, AT_FDCWD, "a/b", AT_REMOVEDIR), 0);
	EXPECT_EQ(rmdir("a"), 0);
	EXPECT_ERRNO(stat("a", &st), ENOENT);
	EXPECT_EQ(stat(".", &st), 0);
	EXPECT_EQ(st.st_nlink, d.st_nlink);
	EXPECT_ERRNO(syscall(SYS_unlinkat, AT_FDCWD, "x", 0x1), EINVAL);
	/* a removed working directory takes no new names */
	EXPECT_EQ(mkdir("gone", 0755), 0);
	EXPECT_EQ(chdir("gone"), 0);
	EXPECT_EQ(rmdir("/tmp/mru/gone"), 0);
	EXPECT(openat(AT_FDCWD, "f", O_CREAT | O_WRONLY, 0644) < 0);
	return 0;
}

int test_rename_cases(void)
{
	char buf[32];
	struct stat st;

	EXPECT_EQ(fresh_dir("ren"), 0);
	EXPECT_EQ(close(openat(AT_FDCWD, "a", O_CREAT | O_WRONLY, 0644)), 0);
	EXPECT((long)write(openat(AT_FDCWD, "b", O_CREAT | O_WRONLY, 0644), "bee", 3) == 3);
	EXPECT_EQ(rename("b", "a"), 0);               /* replaces a */
	EXPECT_EQ(slurp("a", buf, sizeof buf), 3);
	EXPECT_ERRNO(stat("b", &st), ENOENT);
	EXPECT_EQ(mkdir("d", 0755), 0);
	EXPECT_EQ(mkdir("e", 0755), 0);
	EXPECT_EQ(close(openat(AT_FDCWD, "e/x", O_CREAT | O_WRONLY, 0644)), 0);
	EXPECT_ERRNO(rename("a", "d"), EISDIR);
	EXPECT_ERRNO(rename("d", "a"), ENOTDIR);
	EXPECT_ERRNO(rename("d", "e"), ENOTEMPTY);
	EXPECT_ERRNO(rename("d", "d/sub"), EINVAL);
	EXPECT_ERRNO(rename("a", "/proc/a"), EXDEV);
	EXPECT_ERRNO(rename("none", "z"), ENOENT);
	EXPECT_ERRNO(rename("a", "."), EBUSY);
	EXPECT_EQ(rename("e", "d"), 0);               /* a directory over an empty one */
	EXPECT_EQ(stat("d/x", &st), 0);
	EXPECT_EQ(rename("d", "d2"), 0);
	EXPECT_EQ(rename("a", "d2/a"), 0);
	EXPECT_EQ(slurp("/tmp/ren/d2/a", buf, sizeof buf), 3);
	EXPECT_EQ(rename("d2/a", "d2/a"), 0);
	EXPECT_ERRNO(syscall(SYS_renameat2, AT_FDCWD, "d2/a", AT_FDCWD, "d2/x", 1), EEXIST);
	/* NOREPLACE refuses any existing name, even one for the same file */
	EXPECT_ERRNO(syscall(SYS_renameat2, AT_FDCWD, "d2/a", AT_FDCWD, "d2/a", 1), EEXIST);
	EXPECT_ERRNO(syscall(SYS_renameat2, AT_FDCWD, "d2/a", AT_FDCWD, "d2/none", 2), ENOENT);
	EXPECT_ERRNO(syscall(SYS_renameat2, AT_FDCWD, "d2/a", AT_FDCWD, "d2/x", 3), EINVAL);
	EXPECT_EQ(chdir("d2"), 0);
	EXPECT(getcwd(buf, sizeof buf) != NULL);
	EXPECT(strcmp(buf, "/tmp/ren/d2") == 0);
	return 0;
}

/* RENAME_EXCHANGE swaps what two names refer to: files, a file and a
 * directory, directories in different parents (whose link counts follow). */
int test_rename_exchange(void)
{
	char buf[32];
	struct stat st;

	EXPECT_EQ(fresh_dir("rex"), 0);
	EXPECT((long)write(open("a", O_CREAT | O_WRONLY, 0644), "aa", 2) == 2);
	EXPECT((long)write(open("b", O_CREAT | O_WRONLY, 0644), "bbb", 3) == 3);
	EXPECT_EQ(syscall(SYS_renameat2, AT_FDCWD, "a", AT_FDCWD, "b", 2), 0);
	EXPECT_EQ(slurp("a", buf, sizeof buf), 3);
	EXPECT_EQ(slurp("b", buf, sizeof buf), 2);
	EXPECT_EQ(mkdir("p", 0755), 0);
	EXPECT_EQ(mkdir("p/d", 0755), 0);
	EXPECT_EQ(mkdir("q", 0755), 0);
	EXPECT_EQ(syscall(SYS_renameat2, AT_FDCWD, "p/d", AT_FDCWD, "a", 2), 0);
	EXPECT_EQ(stat("a", &st), 0);
	EXPECT(S_ISDIR(st.st_mode));
	EXPECT_EQ(slurp("p/d", buf, sizeof buf), 3);
	EXPECT_EQ(stat("p", &st), 0);
	EXPECT_EQ(st.st_nlink, 2);                      /* its subdirectory left */
	EXPECT_EQ(stat(".", &st), 0);
	EXPECT_EQ(st.st_nlink, 5);                      /* ., .., a/.., p/.., q/.. */
	EXPECT_EQ(close(open("a/f", O_CREAT | O_WRONLY, 0644)), 0);
	EXPECT_ERRNO(syscall(SYS_renameat2, AT_FDCWD, "a", AT_FDCWD, "a/f", 2), EINVAL);
	EXPECT_ERRNO(syscall(SYS_renameat2, AT_FDCWD, "a/f", AT_FDCWD, "a", 2), EINVAL);
	EXPECT_ERRNO(syscall(SYS_renameat2, AT_FDCWD, "q", AT_FDCWD, "none", 2), ENOENT);
	EXPECT_EQ(syscall(SYS_renameat2, AT_FDCWD, "q", AT_FDCWD, "q", 2), 0);
	EXPECT_EQ(close(open("c", O_CREAT | O_WRONLY, 0644)), 0);
	EXPECT_ERRNO(syscall(SYS_renameat2, AT_FDCWD, "c/", AT_FDCWD, "q", 2), ENOTDIR);
	EXPECT_ERRNO(syscall(SYS_renameat2, AT_FDCWD, "q", AT_FDCWD, "c/", 2), ENOTDIR);
	EXPECT_EQ(syscall(SYS_renameat2, AT_FDCWD, "c", AT_FDCWD, "q/", 2), 0);   /* q is the directory */
	EXPECT_EQ(stat("c", &st), 0);
	EXPECT(S_ISDIR(st.st_mode));
	return 0;
}

int test_link_symlink_nlink(void)
{
	char buf[64];
	struct stat st;

	EXPECT_EQ(fresh_dir("lsn"), 0);
	EXPECT((long)write(openat(AT_FDCWD, "f", O_CREAT | O_WRONLY, 0644), "data", 4) == 4);
	EXPECT_EQ(link("f", "g"), 0);
	EXPECT_EQ(stat("f", &st), 0);
	EXPECT_EQ(st.st_nlink, 2);
	EXPECT_ERRNO(link("f", "g"), EEXIST);
	EXPECT_ERRNO(link(".", "dirlink"), EPERM);
	EXPECT_ERRNO(link("f", "/proc/f"), EXDEV);
	EXPECT_EQ(unlink("f"), 0);
	EXPECT_EQ(stat("g", &st), 0);
	EXPECT_EQ(st.st_nlink, 1);
	EXPECT_EQ(slurp("g", buf, sizeof buf), 4);
	EXPECT_EQ(symlink("g", "s"), 0);
	EXPECT_EQ(symlink("/tmp/lsn", "dir"), 0);
	EXPECT_EQ(symlink("nowhere", "dangling"), 0);
	EXPECT_ERRNO(symlink("x", "s"), EEXIST);
	EXPECT_EQ(slurp("s", buf, sizeof buf), 4);
	EXPECT_EQ(slurp("dir/dir/dir/s", buf, sizeof buf), 4);
	EXPECT_ERRNO(stat("dangling", &st), ENOENT);
	EXPECT_EQ(lstat("dangling", &st), 0);
	EXPECT_EQ(symlink("loop", "loop"), 0);
	EXPECT_ERRNO(stat("loop", &st), ELOOP);
	EXPECT_EQ(syscall(SYS_symlinkat, "g", AT_FDCWD, "s2"), 0);
	EXPECT_EQ(readlink("s2", buf, sizeof buf), 1);
	EXPECT_EQ(unlink("s"), 0);                     /* the link, not its target */
	EXPECT_EQ(stat("g", &st), 0);
	return 0;
}

int test_chmod_chown_utimens(void)
{
	struct timespec ts[2] = { { 1000, 5 }, { 2000, 7 } };
	struct stat st;
	int fd;

	EXPECT_EQ(fresh_dir("ccu"), 0);
	EXPECT((fd = openat(AT_FDCWD, "f", O_CREAT | O_WRONLY, 0644)) >= 0);
	EXPECT_EQ(chmod("f", 0600), 0);
	EXPECT_EQ(stat("f", &st), 0);
	EXPECT_EQ(st.st_mode, S_IFREG | 0600);
	EXPECT_EQ(fchmod(fd, 04755), 0);
	EXPECT_EQ(fstat(fd, &st), 0);
	EXPECT_EQ(st.st_mode, S_IFREG | 04755);
	EXPECT_EQ(chown("f", 12, 34), 0);
	EXPECT_EQ(fchown(fd, -1, 56), 0);
	EXPECT_EQ(stat("f", &st), 0);
	EXPECT_EQ(st.st_uid, 12);
	EXPECT_EQ(st.st_gid, 56);
	EXPECT_EQ(symlink("f", "l"), 0);
	EXPECT_EQ(lchown("l", 7, 7), 0);
	EXPECT_EQ(lstat("l", &st), 0);
	EXPECT_EQ(st.st_uid, 7);
	EXPECT_EQ(stat("f", &st), 0);
	EXPECT_EQ(st.st_uid, 12);
	EXPECT_EQ(utimensat(AT_FDCWD, "f", ts, 0), 0);
	EXPECT_EQ(stat("f", &st), 0);
	EXPECT_EQ(st.st_atim.tv_sec, 1000);
	EXPECT_EQ(st.st_mtim.tv_sec, 2000);
	EXPECT_EQ(st.st_mtim.tv_nsec, 7);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_NOW;
	EXPECT_EQ(futimens(fd, ts), 0);
	EXPECT_EQ(fstat(fd, &st), 0);
	EXPECT_EQ(st.st_atim.tv_sec, 1000);
	EXPECT(st.st_mtim.tv_sec != 2000);
	ts[1].tv_nsec = 1000000000;
	EXPECT_ERRNO(utimensat(AT_FDCWD, "f", ts, 0), EINVAL);
	EXPECT_ERRNO(chmod("none", 0644), ENOENT);
	EXPECT_EQ(fsync(fd), 0);
	EXPECT_EQ(fdatasync(fd), 0);
	close(fd);
	return 0;
}

/* Names a getdents64 pass sees from fd's position on, as "/a/b/". */
static int read_names(int fd, char *out, size_t size, size_t max)
{
	/* small reads, so a reader stops part-way through the directory */
	union { char b[128]; struct dirent d; } buf;
	long n;
	size_t seen = 0;

	while (seen < max && (n = syscall(SYS_getdents64, fd, buf.b, sizeof buf.b)) > 0)
		for (long off = 0; off < n; off += ((struct dirent *)(buf.b + off))->d_reclen) {
			const char *name = ((struct dirent *)(buf.b + off))->d_name;

			if (strlen(out) + strlen(name) + 2 < size) {
				strcat(out, name);
				strcat(out, "/");
			}
			seen++;
		}
	return (int)seen;
}

/* Entries removed and added while a reader is part-way: the rest comes
 * once each, removed ones never, and nothing repeats. */
int test_getdents_while_changing(void)
{
	char names[1024] = "/", path[16];
	int fd;

	EXPECT_EQ(fresh_dir("gwc"), 0);
	for (int i = 0; i < 20; i++) {
		snprintf(path, sizeof path, "f%02d", i);
		EXPECT_EQ(close(openat(AT_FDCWD, path, O_CREAT | O_WRONLY, 0644)), 0);
	}
	EXPECT((fd = openat(AT_FDCWD, ".", O_RDONLY | O_DIRECTORY)) >= 0);
	EXPECT(read_names(fd, names, sizeof names, 6) >= 6);
	EXPECT_EQ(unlink("f00"), 0);                   /* already seen */
	EXPECT_EQ(unlink("f15"), 0);                   /* not yet seen */
	EXPECT_EQ(close(openat(AT_FDCWD, "new", O_CREAT | O_WRONLY, 0644)), 0);
	EXPECT_EQ(rename("f16", "g16"), 0);
	read_names(fd, names, sizeof names, 100);
	EXPECT(strstr(names, "/f15/") == NULL);
	EXPECT(strstr(names, "/f00/") != NULL);
	EXPECT(strstr(names, "/f19/") != NULL);
	EXPECT(strstr(names, "/new/") != NULL);
	for (int i = 1; i < 20; i++) {
		snprintf(path, sizeof path, "/f%02d/", i);
		if (i != 15 && i != 16)
			EXPECT(strstr(names, path) && !strstr(strstr(names, path) + 1, path));
	}
	close(fd);
	return 0;
}

int test_unlinked_open_file(void)
{
	char buf[16];
	struct stat st;
	int fd;

	EXPECT_EQ(fresh_dir("uof"), 0);
	EXPECT((fd = openat(AT_FDCWD, "f", O_CREAT | O_RDWR, 0644)) >= 0);
	EXPECT_EQ(write(fd, "still", 5), 5);
	EXPECT_EQ(unlink("f"), 0);
	EXPECT_EQ(fstat(fd, &st), 0);
	EXPECT_EQ(st.st_nlink, 0);
	EXPECT_EQ(pread(fd, buf, sizeof buf, 0), 5);
	EXPECT(memcmp(buf, "still", 5) == 0);
	EXPECT_EQ(write(fd, "!", 1), 1);
	EXPECT_ERRNO(stat("f", &st), ENOENT);
	close(fd);
	return 0;
}
