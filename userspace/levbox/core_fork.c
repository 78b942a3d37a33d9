/*
 * suite_test_core: fork, clone and execve, the Linux way.  Return values
 * and private memory after fork, shared file offsets, argv/envp delivered
 * by exec, failed execs that leave the caller intact, O_CLOEXEC, wait4
 * statuses, orphans, and free memory that comes back exactly.
 *
 * Children made here end with _exit, never exit: a raw fork does not run
 * libc's atfork handlers, and the parent's stdio buffers must not be
 * flushed twice.  Every exec that is meant to fail targets a program that
 * would exit non-zero, so a wrong success cannot pass for a pass.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libsyscall.h"
#include "levbox.h"
#include "suite.h"

#define KERNEL_HALF ((long)0xffff800000000000UL)
#define ARGS_MAX_BYTES (64 * 1024)  /* kernel/proc/args.h: per vector */
#define EXEC_FAILED 100             /* child status: 100 + errno of execve */
#define CANARY_BYTES (64 * 1024)
#define CYCLES 1000
#define CLONE_VM 0x100
#define CLONE_FILES 0x400
#define CLONE_SIGHAND 0x800
#define CLONE_THREAD 0x10000

extern char **environ;

static unsigned char canary_global[CANARY_BYTES];
static int counter_global = 1000;

/* execve with an explicit envp; returns only on failure (-errno). */
static long raw_execve(const char *path, char *const argv[],
    char *const envp[])
{
	return los_syscall6(LOS_NR_execve, (long)path, (long)argv, (long)envp,
	    0, 0, 0);
}

/* Byte i of the canary pattern for seed. */
static unsigned char canary_byte(size_t i, unsigned seed)
{
	return (unsigned char)(i * 7 + seed + (i >> 8));
}

/* Fill buf[0..n) with the canary pattern. */
static void canary_fill(unsigned char *buf, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = canary_byte(i, seed);
}

/* Does buf[0..n) still hold the canary pattern? */
static int canary_ok(const unsigned char *buf, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (buf[i] != canary_byte(i, seed))
			return 0;
	return 1;
}

/* Wait for pid; returns its wait status, or -1 if wait4 does not give pid. */
static int reap(long pid)
{
	int wstatus;

	if (wait4((pid_t)pid, &wstatus, 0, NULL) != pid)
		return -1;
	return wstatus;
}

/* Exit code of an exited status; -1 for anything else (signal, no child). */
static int exit_code(int wstatus)
{
	if (wstatus == -1 || !WIFEXITED(wstatus))
		return -1;
	return WEXITSTATUS(wstatus);
}

/*
 * fork; the child execs path with argv and envp (envp NULL: environ
 * through los_exec_args) and exits EXEC_FAILED + errno if that fails.
 * quiet closes the child's stderr first (for checks meant to fail, whose
 * complaints would read like failures).  Returns the child's wait status,
 * or -1 if fork or wait failed.
 */
static int run_exec(const char *path, char *const argv[], char *const envp[],
    int quiet)
{
	long pid, err;

	fflush(stdout);
	pid = los_fork();
	if (pid == 0) {
		if (quiet)
			close(2);
		err = envp ? raw_execve(path, argv, envp) :
		    los_exec_args(path, argv);
		_exit(EXEC_FAILED + (int)-err);
	}
	if (pid < 0)
		return -1;
	return reap(pid);
}

/* run_exec, not quiet. */
static int fork_exec_wait(const char *path, char *const argv[],
    char *const envp[])
{
	return run_exec(path, argv, envp, 0);
}

/* Store "EXECCHECK_DIGEST=..." for argv and envp (NULL-terminated) in var. */
static void digest_var(char *var, size_t size, char *const argv[],
    char *const envp[])
{
	unsigned long long digest;

	/* var may be one of envp's entries: make it one the digest skips. */
	snprintf(var, size, "%s", EXECCHECK_VAR);
	digest = execcheck_digest(argv, envp);
	snprintf(var, size, "%s%016llx", EXECCHECK_VAR, digest);
}

/* Free physical memory in bytes, or 0 if sysinfo fails. */
static unsigned long long free_bytes(void)
{
	struct sysinfo si;

	if (sysinfo(&si) != 0)
		return 0;
	return (unsigned long long)si.freeram * (si.mem_unit ? si.mem_unit : 1);
}


/* Pid values never cross into data (they depend on what ran before, and
 * golden traces compare data): the child checks its ids against the copy
 * of `parent` fork gave it, and wait4(pid) names the child to the parent. */
int test_fork_returns(void)
{
	pid_t parent = getpid();
	long pid;

	fflush(stdout);
	pid = los_fork();
	if (pid == 0)
		_exit(getppid() == parent && getpid() != parent ? 0 : 1);
	EXPECT(pid > 0);
	EXPECT(pid != parent);
	EXPECT_EQ(reap(pid), 0);    /* pid was the child, and it saw 0 and its parent */
	EXPECT_EQ(getpid(), parent);
	EXPECT_ERRNO(wait4(-1, NULL, WNOHANG, NULL), ECHILD);
	return 0;
}

/* Child side of fork_private_memory: check the copy, then scribble on it.
 * Returns the child's exit code (0: the copy was exact). */
static int scribble(int *stack_var, unsigned char *big, size_t n,
    unsigned char *small)
{
	if (*stack_var != 77 || counter_global != 1000 ||
	    !canary_ok(big, n, 3) || !canary_ok(small, 100, 3) ||
	    !canary_ok(canary_global, CANARY_BYTES, 5))
		return 1;
	*stack_var = -1;
	counter_global = -1;
	memset(big, 0xee, n);
	memset(small, 0xee, 100);
	memset(canary_global, 0xee, CANARY_BYTES);
	return *stack_var != -1 || big[n - 1] != 0xee;
}

int test_fork_private_memory(void)
{
	size_t big = 1024 * 1024;   /* malloc gives mmap'ed memory this size */
	unsigned char *small = malloc(100), *heap = malloc(big);
	int stack_var = 77;
	long pid;

	EXPECT(small && heap);
	canary_fill(heap, big, 3);
	canary_fill(small, 100, 3);
	canary_fill(canary_global, CANARY_BYTES, 5);
	fflush(stdout);
	pid = los_fork();
	if (pid == 0)
		_exit(scribble(&stack_var, heap, big, small));
	EXPECT(pid > 0);
	EXPECT_EQ(reap(pid), 0);
	EXPECT_EQ(stack_var, 77);
	EXPECT_EQ(counter_global, 1000);
	EXPECT(canary_ok(heap, big, 3));
	EXPECT(canary_ok(small, 100, 3));
	EXPECT(canary_ok(canary_global, CANARY_BYTES, 5));
	free(heap);
	free(small);
	return 0;
}

int test_fork_shared_offset(void)
{
	static const char hello[] = "Hello from Levitate!\n";
	char buf[32];
	int fd = openat(AT_FDCWD, "/etc/hello.txt", O_RDONLY);
	long pid;

	EXPECT(fd >= 0);
	EXPECT_EQ(read(fd, buf, 6), 6);
	fflush(stdout);
	pid = los_fork();
	if (pid == 0)
		_exit(read(fd, buf, 5) == 5 && memcmp(buf, "from ", 5) == 0 ?
		    0 : 1);
	EXPECT(pid > 0);
	EXPECT_EQ(reap(pid), 0);
	/* The child's read moved the one offset both descriptors share. */
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 11);
	EXPECT_EQ(read(fd, buf, 10), 10);
	EXPECT(memcmp(buf, hello + 11, 10) == 0);
	EXPECT_EQ(close(fd), 0);
	return 0;
}

int test_exec_argv_envp(void)
{
	static char digest[64];
	char *argv[] = { "./not/bin/execcheck", "", "two words", "x=y",
	    "tab\there", "-", NULL };
	char *envp[] = { "A=1", "EMPTY=", "NOEQUALS", digest, "Z=last", NULL };
	char *none[] = { digest, NULL };
	char *short_argv[] = { "execcheck", NULL };

	digest_var(digest, sizeof digest, argv, envp);
	EXPECT_EQ(exit_code(fork_exec_wait("/bin/execcheck", argv, envp)), 0);
	/* The checker can fail: drop one argument, and it notices. */
	EXPECT_EQ(exit_code(run_exec("/bin/execcheck", short_argv, envp, 1)),
	    1);
	/* An environment of one entry, only the digest. */
	digest_var(digest, sizeof digest, short_argv, none);
	EXPECT_EQ(exit_code(fork_exec_wait("/bin/execcheck", short_argv,
	    none)), 0);
	return 0;
}

/* Child side of exec_environ: exec with environ set to env; status. */
static int exec_with_environ(char **env, const char *path, char *const argv[])
{
	environ = env;
	if (argv)
		return EXEC_FAILED + (int)-los_exec_args(path, argv);
	return EXEC_FAILED + (int)-los_exec(path);
}

int test_exec_environ(void)
{
	static char digest[64];
	char *argv[] = { "execcheck", "from", "libsyscall", NULL };
	char *path_only[] = { "/bin/execcheck", NULL };
	char *env[] = { "LEVITATE=1", digest, NULL };
	long pid;

	/* los_exec_args: the given argv, environ as the environment. */
	digest_var(digest, sizeof digest, argv, env);
	fflush(stdout);
	pid = los_fork();
	if (pid == 0)
		_exit(exec_with_environ(env, "/bin/execcheck", argv));
	EXPECT(pid > 0);
	EXPECT_EQ(exit_code(reap(pid)), 0);
	/* los_exec: argv is [path]. */
	digest_var(digest, sizeof digest, path_only, env);
	pid = los_fork();
	if (pid == 0)
		_exit(exec_with_environ(env, "/bin/execcheck", NULL));
	EXPECT(pid > 0);
	EXPECT_EQ(exit_code(reap(pid)), 0);
	return 0;
}

/* The new program runs in the forked process: wait4(pid) collects the exec'd
 * program's own status (42), and the program's ids are consistent. */
int test_exec_keeps_pid(void)
{
	char *status[] = { "status", "42", NULL }, *pids[] = { "pids", NULL };
	long pid;

	fflush(stdout);
	pid = los_fork();
	if (pid == 0)
		_exit(EXEC_FAILED + (int)-los_exec_args("/bin/status", status));
	EXPECT(pid > 0);
	EXPECT_EQ(exit_code(reap(pid)), 42);
	pid = los_fork();
	if (pid == 0)
		_exit(EXEC_FAILED + (int)-los_exec_args("/bin/pids", pids));
	EXPECT(pid > 0);
	EXPECT_EQ(exit_code(reap(pid)), 0);
	return 0;
}

/*
 * exec path with argv and envp, which must fail with -want, and check that
 * the caller is intact (canaries in the globals, stack and heap, pid).
 * Returns 0, or 1 after printing what went wrong.
 */
static int exec_fails_intact(const char *path, char *const argv[],
    char *const envp[], long want)
{
	unsigned char stack_canary[4096], *heap = malloc(CANARY_BYTES);
	pid_t me = getpid();

	EXPECT(heap != NULL);
	canary_fill(stack_canary, sizeof stack_canary, 11);
	canary_fill(heap, CANARY_BYTES, 12);
	canary_fill(canary_global, CANARY_BYTES, 13);
	EXPECT_EQ(raw_execve(path, argv, envp), -want);
	EXPECT(canary_ok(stack_canary, sizeof stack_canary, 11));
	EXPECT(canary_ok(heap, CANARY_BYTES, 12));
	EXPECT(canary_ok(canary_global, CANARY_BYTES, 13));
	EXPECT_EQ(getpid(), me);
	free(heap);
	return 0;
}

int test_exec_missing(void)
{
	char *argv[] = { "false", NULL };

	EXPECT_EQ(exec_fails_intact("/bin/nothere", argv, environ, ENOENT), 0);
	EXPECT_EQ(exec_fails_intact("/no/such/dir/false", argv, environ,
	    ENOENT), 0);
	EXPECT_EQ(los_exec("/bin/nothere"), -ENOENT);
	return 0;
}

int test_exec_badelf(void)
{
	char *argv[] = { "badelf", NULL };

	EXPECT_EQ(exec_fails_intact("/bin/badelf", argv, environ, ENOEXEC), 0);
	EXPECT_EQ(los_exec("/bin/badelf"), -ENOEXEC);
	return 0;
}

int test_exec_truncelf(void)
{
	char *argv[] = { "truncelf", NULL };

	/* A real ELF header whose program headers are cut off. */
	EXPECT_EQ(exec_fails_intact("/bin/truncelf", argv, environ, ENOEXEC),
	    0);
	EXPECT_EQ(los_exec("/bin/truncelf"), -ENOEXEC);
	return 0;
}

int test_exec_efault(void)
{
	char *argv[] = { "false", NULL };
	char *bad_entry[] = { "false", hostile(KERNEL_HALF), NULL };
	char *bad_low[] = { hostile(1), NULL };

	EXPECT_EQ(exec_fails_intact(hostile(1), argv, environ, EFAULT), 0);
	EXPECT_EQ(exec_fails_intact(hostile(KERNEL_HALF), argv, environ,
	    EFAULT), 0);
	EXPECT_EQ(exec_fails_intact("/bin/false", hostile(1), environ, EFAULT),
	    0);
	EXPECT_EQ(exec_fails_intact("/bin/false", hostile(KERNEL_HALF),
	    environ, EFAULT), 0);
	EXPECT_EQ(exec_fails_intact("/bin/false", bad_entry, environ, EFAULT),
	    0);
	EXPECT_EQ(exec_fails_intact("/bin/false", bad_low, environ, EFAULT), 0);
	EXPECT_EQ(exec_fails_intact("/bin/false", argv, hostile(1), EFAULT), 0);
	EXPECT_EQ(exec_fails_intact("/bin/false", argv, bad_entry, EFAULT), 0);
	return 0;
}

/*
 * An argv (in v, room for max entries) whose strings and NULs take exactly
 * total bytes: argv[0] is name, the rest fillers of at most 1000 chars.
 * Strings are carved from buf.  Returns the argument count.
 */
static int sized_argv(char **v, int max, char *buf, const char *name,
    size_t total)
{
	size_t left = total - (strlen(name) + 1), len;
	int n = 0;

	v[n++] = (char *)name;
	while (left > 0 && n < max - 1) {
		len = left - 1 > 1000 ? 1000 : left - 1;
		memset(buf, 'a' + n % 26, len);
		buf[len] = '\0';
		v[n++] = buf;
		buf += len + 1;
		left -= len + 1;
	}
	v[n] = NULL;
	return n;
}

/*
 * fork + exec execcheck with argv strings (and NULs) taking total bytes.
 * Returns execcheck's exit code, or EXEC_FAILED + errno.
 */
static int exec_sized(size_t total)
{
	static char strings[ARGS_MAX_BYTES + 2048], digest[64];
	static char *v[200];
	char *envp[] = { digest, NULL };

	sized_argv(v, 200, strings, "execcheck", total);
	digest_var(digest, sizeof digest, v, envp);
	return exit_code(fork_exec_wait("/bin/execcheck", v, envp));
}

int test_exec_e2big(void)
{
	static char strings[ARGS_MAX_BYTES + 2048];
	static char *v[200];
	static const size_t near_limit[] = { 64000, 65000, 65535, 65536 };
	char *small[] = { "false", NULL };
	size_t i;
	int code;

	/* Large but allowed: arrives intact. */
	EXPECT_EQ(exec_sized(60000), 0);
	/* Up to the limit the new stack may still not hold it all (the kernel
	 * keeps half of the stack free): intact or E2BIG, never cut. */
	for (i = 0; i < sizeof near_limit / sizeof near_limit[0]; i++) {
		code = exec_sized(near_limit[i]);
		if (code != 0 && code != EXEC_FAILED + E2BIG)
			return test_fail(__func__, __LINE__, "%zu bytes of argv: "
			    "status %d", near_limit[i], code);
	}
	/* One byte over ARGS_MAX_BYTES: refused whole, the caller intact. */
	sized_argv(v, 200, strings, "false", ARGS_MAX_BYTES + 1);
	EXPECT_EQ(exec_fails_intact("/bin/false", v, environ, E2BIG), 0);
	/* The environment has the same limit. */
	EXPECT_EQ(exec_fails_intact("/bin/false", small, v, E2BIG), 0);
	return 0;
}

/* "argcheck N a1 ... aN" in v (room for n + 3), strings in words. */
static void argcheck_argv(char **v, char (*words)[8], int n)
{
	int i;

	v[0] = "argcheck";
	v[1] = words[0];
	snprintf(words[0], sizeof words[0], "%d", n);
	for (i = 1; i <= n; i++) {
		snprintf(words[i], sizeof words[i], "a%d", i);
		v[i + 1] = words[i];
	}
	v[n + 2] = NULL;
}

int test_exec_args_1000(void)
{
	static char words[1001][8];
	static char *v[1003];

	argcheck_argv(v, words, 1000);
	EXPECT_EQ(exit_code(fork_exec_wait("/bin/argcheck", v, NULL)), 0);
	return 0;
}

int test_exec_args_never_cut(void)
{
	static char words[5001][8];
	static char *v[5003];
	int code;

	/* More strings than the kernel keeps (ARGS_MAX_COUNT 4096), few bytes:
	 * either all of them arrive or execve says E2BIG; never a cut list. */
	argcheck_argv(v, words, 5000);
	code = exit_code(fork_exec_wait("/bin/argcheck", v, NULL));
	EXPECT(code == 0 || code == EXEC_FAILED + E2BIG);
	return 0;
}

/* fork + exec "fdcheck FD want"; returns fdcheck's exit code (0: as
 * wanted).  quiet as for run_exec. */
static int fdcheck_after_exec(int fd, const char *want, int quiet)
{
	char num[16], *argv[] = { "fdcheck", num, (char *)want, NULL };

	snprintf(num, sizeof num, "%d", fd);
	return exit_code(run_exec("/bin/fdcheck", argv, NULL, quiet));
}

int test_exec_cloexec(void)
{
	int cloexec = openat(AT_FDCWD, "/etc/hello.txt", O_RDONLY | O_CLOEXEC);
	int plain = openat(AT_FDCWD, "/etc/hello.txt", O_RDONLY);
	int set_later = openat(AT_FDCWD, "/etc/hello.txt", O_RDONLY);
	int cleared = openat(AT_FDCWD, "/etc/hello.txt", O_RDONLY | O_CLOEXEC);

	EXPECT(cloexec >= 0 && plain >= 0 && set_later >= 0 && cleared >= 0);
	EXPECT_EQ(fcntl(cloexec, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(plain, F_GETFD), 0);
	EXPECT_EQ(fcntl(set_later, F_SETFD, FD_CLOEXEC), 0);
	EXPECT_EQ(fcntl(cleared, F_SETFD, 0), 0);
	EXPECT_EQ(fdcheck_after_exec(cloexec, "closed", 0), 0);
	EXPECT_EQ(fdcheck_after_exec(plain, "open", 0), 0);
	EXPECT_EQ(fdcheck_after_exec(set_later, "closed", 0), 0);
	EXPECT_EQ(fdcheck_after_exec(cleared, "open", 0), 0);
	/* The checker can fail: asking the opposite gives 1. */
	EXPECT_EQ(fdcheck_after_exec(plain, "closed", 1), 1);
	/* fork itself keeps every descriptor, close-on-exec or not. */
	EXPECT_EQ(fcntl(cloexec, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(close(cloexec) | close(plain) | close(set_later) |
	    close(cleared), 0);
	return 0;
}

int test_wait4_exit_status(void)
{
	static const int codes[] = { 42, 0, 1, 255 };
	size_t i;
	long pid;
	int ws;

	for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		fflush(stdout);
		pid = los_fork();
		if (pid == 0)
			_exit(codes[i]);
		EXPECT(pid > 0);
		ws = reap(pid);
		EXPECT(ws != -1 && WIFEXITED(ws) && !WIFSIGNALED(ws));
		EXPECT_EQ(WEXITSTATUS(ws), codes[i]);
	}
	return 0;
}

int test_wait4_segv(void)
{
	long pid;
	int ws;

	fflush(stdout);
	pid = los_fork();
	if (pid == 0) {
		*(volatile int *)hostile(8) = 1;
		_exit(0);
	}
	EXPECT(pid > 0);
	ws = reap(pid);
	EXPECT(ws != -1 && WIFSIGNALED(ws) && !WIFEXITED(ws));
	EXPECT_EQ(WTERMSIG(ws), SIGSEGV);
	/* The reaped child is gone. */
	EXPECT_ERRNO(wait4((pid_t)pid, &ws, 0, NULL), ECHILD);
	return 0;
}

/* Grandchild of orphan_reparented: block until the middle child has exited
 * (end of file on the gate pipe, whose only write end it held), then report
 * whether init adopted it.  No polling: the trace is the same on every run,
 * and the kernel re-parents an exiting process's children before anything
 * else can run. */
static int wait_for_adoption(int gate)
{
	char c;

	return read(gate, &c, 1) == 0 && getppid() == 1 ? 0 : 1;
}

/* Middle child of orphan_reparented: fork a grandchild that reports on
 * the report pipe whether init adopted it, then return (and exit) first.
 * Returns the middle child's exit code. */
static int orphan_middle(int report)
{
	int gate[2];
	long grandchild;
	unsigned char verdict;

	if (pipe(gate) != 0)
		return 1;
	grandchild = los_fork();
	if (grandchild == 0) {
		close(gate[1]);
		verdict = (unsigned char)wait_for_adoption(gate[0]);
		_exit(write(report, &verdict, 1) == 1 ? 0 : 1);
	}
	return grandchild > 0 ? 0 : 1;
}

int test_orphan_reparented(void)
{
	long pid;
	unsigned char verdict = 0xff;
	int p[2];

	EXPECT_EQ(pipe(p), 0);
	fflush(stdout);
	pid = los_fork();
	if (pid == 0)
		_exit(orphan_middle(p[1]));
	EXPECT(pid > 0);
	close(p[1]);
	EXPECT_EQ(exit_code(reap(pid)), 0);
	/* The grandchild is not ours to wait for. */
	EXPECT_ERRNO(wait4(-1, NULL, WNOHANG, NULL), ECHILD);
	EXPECT_EQ(read(p[0], &verdict, 1), 1);
	EXPECT_EQ(verdict, 0);      /* it saw getppid() become 1 */
	/* End of file: the grandchild has exited.  That init then reaps it is
	 * not checked here by polling (the number of polls would vary from run
	 * to run); 1000-cycle tests would run out of process slots if init did not. */
	EXPECT_EQ(read(p[0], &verdict, 1), 0);
	close(p[0]);
	return 0;
}

int test_clone_fork(void)
{
	long pid;

	counter_global = 1000;
	fflush(stdout);
	pid = los_syscall6(LOS_NR_clone, SIGCHLD, 0, 0, 0, 0, 0);
	if (pid == 0) {
		counter_global = 5;
		_exit(getppid() > 0 ? 7 : 1);
	}
	EXPECT(pid > 0);
	EXPECT_EQ(exit_code(reap(pid)), 7);
	EXPECT_EQ(counter_global, 1000);
	return 0;
}

/* clone with flags and stack, which must be refused with EINVAL. */
static long clone_refused(long flags, long stack)
{
	long ret = los_syscall6(LOS_NR_clone, flags, stack, 0, 0, 0, 0);

	if (ret == 0)   /* wrongly accepted: the child leaves at once */
		los_syscall6(LOS_NR_exit, 99, 0, 0, 0, 0, 0);
	return ret;
}

int test_clone_flags_einval(void)
{
	static char stack[4096];

	EXPECT_EQ(clone_refused(CLONE_VM | SIGCHLD, 0), -EINVAL);
	EXPECT_EQ(clone_refused(CLONE_FILES | SIGCHLD, 0), -EINVAL);
	EXPECT_EQ(clone_refused(CLONE_VM | CLONE_SIGHAND | CLONE_THREAD, 0),
	    -EINVAL);
	EXPECT_EQ(clone_refused(0, 0), -EINVAL);
	EXPECT_EQ(clone_refused(SIGCHLD, (long)(stack + sizeof stack)),
	    -EINVAL);
	EXPECT_ERRNO(wait4(-1, NULL, WNOHANG, NULL), ECHILD);
	return 0;
}

/* fork, exec /bin/true, wait.  Returns 0, or -1. */
static int fork_exec_true(void)
{
	char *argv[] = { "true", NULL };

	return exit_code(fork_exec_wait("/bin/true", argv, NULL)) == 0 ? 0 : -1;
}

int test_fork_exec_noleak(void)
{
	unsigned long long before, after;
	int i;

	/* The first round may fill kernel caches that stay; measure after. */
	EXPECT_EQ(fork_exec_true(), 0);
	before = free_bytes();
	EXPECT(before > 0);
	for (i = 0; i < CYCLES; i++)
		EXPECT_EQ(fork_exec_true(), 0);
	after = free_bytes();
	/* Figures only on failure: they depend on the build, and goldens compare output. */
	if (after != before)
		printf("fork_exec_noleak: %d cycles, freeram before %llu after %llu\n",
		    CYCLES, before, after);
	else
		printf("fork_exec_noleak: %d cycles, freeram unchanged\n", CYCLES);
	EXPECT_EQ(after, before);
	return 0;
}

/* Execs that must fail (each kind of failure once).  0 if all did. */
static int exec_failures(void)
{
	static char strings[ARGS_MAX_BYTES + 2048];
	static char *v[200];
	char *bad_entry[] = { "false", hostile(KERNEL_HALF), NULL };

	sized_argv(v, 200, strings, "false", ARGS_MAX_BYTES + 1);
	if (los_exec("/bin/nothere") != -ENOENT ||
	    los_exec("/bin/badelf") != -ENOEXEC ||
	    los_exec("/bin/truncelf") != -ENOEXEC ||
	    los_exec_args("/bin/false", bad_entry) != -EFAULT ||
	    los_exec_args("/bin/false", v) != -E2BIG)
		return -1;
	return 0;
}

int test_exec_fail_noleak(void)
{
	unsigned long long before;
	int i;

	EXPECT_EQ(exec_failures(), 0);
	before = free_bytes();
	EXPECT(before > 0);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(exec_failures(), 0);
	EXPECT_EQ(free_bytes(), before);
	return 0;
}
