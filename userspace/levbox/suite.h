/*
 * In-guest test suites (suite_test_core): each test is a function that
 * returns 0 on pass, or 1 after printing why it failed.  The EXPECT macros
 * below do the printing and the early return.
 */
#ifndef SUITE_H
#define SUITE_H

#include <errno.h>
#include <string.h>

struct suite_test {
	const char *name;
	int (*run)(void);
	int portable;  /* also passes on Linux: no spawn, no rootfs files */
};

/* The main of a suite program: --list, --list-portable, or run test NAME
 * (exit 0 on pass, 1 on fail, 2 for a bad command line).  suite names the
 * program in messages. */
int suite_main(const char *suite, const struct suite_test *tests, size_t n,
    int argc, char **argv);

/* Print "SUITE: FUNC line LINE: message"; returns 1 (the test's verdict). */
int test_fail(const char *func, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define EXPECT(cond) do { \
	if (!(cond)) \
		return test_fail(__func__, __LINE__, "%s", #cond); \
} while (0)

/* Both sides evaluated once, compared as long. */
#define EXPECT_EQ(got, want) do { \
	long got_ = (long)(got), want_ = (long)(want); \
	if (got_ != want_) \
		return test_fail(__func__, __LINE__, "%s = %ld, expected %ld (%s)", \
		    #got, got_, want_, #want); \
} while (0)

/* A raw kernel result (or -errno helper result) that must be >= 0. */
#define EXPECT_OK(got) do { \
	long got_ = (long)(got); \
	if (got_ < 0) \
		return test_fail(__func__, __LINE__, "%s = %ld (%s), expected success", \
		    #got, got_, strerror((int)-got_)); \
} while (0)

/* A libc call that must fail with errno e. */
#define EXPECT_ERRNO(call, e) do { \
	long got_ = (long)(call); \
	int errno_ = errno; \
	if (got_ != -1 || errno_ != (e)) \
		return test_fail(__func__, __LINE__, "%s = %ld (%s), expected -1 (%s)", \
		    #call, got_, got_ == -1 ? strerror(errno_) : "no error", \
		    strerror(e)); \
} while (0)

/* Tests, by file. */
int test_spawn_exit_status(void);
int test_spawn_segv(void);
int test_spawn_missing(void);
int test_spawn_badelf(void);
int test_spawn_args_100(void);
int test_spawn_pids(void);
int test_spawn_inherit_fds(void);
int test_spawn_efault(void);
int test_wait4_nochild(void);

int test_file_read(void);
int test_file_missing(void);
int test_getdents_bin(void);
int test_pipe_roundtrip(void);
int test_dup_dup2(void);
int test_fcntl_cloexec(void);
int test_pipe2_cloexec(void);

int test_brk_grow(void);
int test_mmap_anon(void);
int test_sysinfo_noleak(void);
int test_spawn_fail_noleak(void);

int test_efault_write_null(void);
int test_efault_write_kernel(void);
int test_efault_write_console(void);
int test_efault_read_pipe(void);
int test_efault_read_file(void);
int test_efault_open(void);
int test_efault_uname(void);
int test_efault_sysinfo(void);
int test_efault_pipe(void);
int test_efault_fstat(void);
int test_efault_wait4(void);
int test_enosys(void);

int test_fork_returns(void);
int test_fork_private_memory(void);
int test_fork_shared_offset(void);
int test_exec_argv_envp(void);
int test_exec_environ(void);
int test_exec_keeps_pid(void);
int test_exec_missing(void);
int test_exec_badelf(void);
int test_exec_truncelf(void);
int test_exec_efault(void);
int test_exec_e2big(void);
int test_exec_args_1000(void);
int test_exec_args_never_cut(void);
int test_exec_cloexec(void);
int test_wait4_exit_status(void);
int test_wait4_segv(void);
int test_orphan_reparented(void);
int test_clone_fork(void);
int test_clone_flags_einval(void);
int test_exec_fail_noleak(void);
int test_fork_exec_noleak(void);

/*
 * address as a pointer the compiler cannot see through, so that passing
 * a hostile address to a declared array parameter is not a build error.
 */
void *hostile(long address);

/* Lowest descriptor number not in use (what the next open would get). */
int lowest_free_fd(void);

#endif
