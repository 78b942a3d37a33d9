/*
 * libsyscall for host tests: Levitate's spawn and spawn_args emulated on
 * Linux with fork + execve, so init, the shell, test_runner and the suite
 * can run their spawn paths natively (in a chroot of the rootfs tree).
 * Linked in place of libsyscall.a; never part of the real rootfs.
 *
 * Same contract as libsyscall.h: the child inherits the descriptors that
 * are not close-on-exec and gets an empty environment; a file that cannot
 * be run gives -errno to the caller and leaves no child behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

/* The real los_syscall6; its spawn and spawn_args renamed out of the way. */
#define spawn los_real_spawn
#define spawn_args los_real_spawn_args
#include "../libsyscall/libsyscall.c"
#undef spawn
#undef spawn_args

long spawn(const char *path);
long spawn_args(const char *path, char *const argv[]);

/*
 * fork, then execve in the child; an execve error travels back through a
 * close-on-exec pipe (end of file on it means the exec succeeded).
 * Returns the child's pid, or -errno.
 */
long spawn_args(const char *path, char *const argv[])
{
	char *const envp[] = { NULL };
	int p[2], err = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		execve(path, argv, envp);
		err = errno;
		write(p[1], &err, sizeof err);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0)
		err = errno;
	else if (read(p[0], &err, sizeof err) == sizeof err)
		waitpid(pid, NULL, 0);
	close(p[0]);
	return err ? -err : pid;
}

/* As spawn_args with argv [path]. */
long spawn(const char *path)
{
	char *argv[] = { (char *)path, NULL };

	return spawn_args(path, argv);
}
