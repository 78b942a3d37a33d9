/*
 * levbox: one multi-call binary for Levitate's tools.  Each applet is a
 * main-like function in its own file, listed in levbox.c; the helpers below
 * are shared by the applets that start other programs.
 */
#ifndef LEVBOX_H
#define LEVBOX_H

#include <stddef.h>

/* Applets: same contract as main (argv[0] is the applet's own name). */
int echo_main(int argc, char **argv);
int cat_main(int argc, char **argv);
int ls_main(int argc, char **argv);
int true_main(int argc, char **argv);
int false_main(int argc, char **argv);
int status_main(int argc, char **argv);
int segv_main(int argc, char **argv);
int argcheck_main(int argc, char **argv);
int pids_main(int argc, char **argv);
int fdcheck_main(int argc, char **argv);
int spawnwait_main(int argc, char **argv);
int execcheck_main(int argc, char **argv);
int syscall_main(int argc, char **argv);
int test_runner_main(int argc, char **argv);
int suite_test_core_main(int argc, char **argv);
int suite_test_linux_main(int argc, char **argv);
int suite_test_fs_main(int argc, char **argv);

/*
 * execcheck's expectation: the environment entry EXECCHECK_VAR followed by
 * execcheck_digest(argv, envp) as 16 hex digits ("%016llx").  The digest
 * covers every argv string and every envp string but that entry, in order.
 */
#define EXECCHECK_VAR "EXECCHECK_DIGEST="
unsigned long long execcheck_digest(char *const argv[], char *const envp[]);

/* Output of a child run by run_capture. */
struct capture {
	char out[8192];  /* what the child wrote to fd 1, NUL-terminated */
	size_t len;      /* bytes in out */
	int truncated;   /* the child wrote more than out holds */
	int wstatus;     /* its wait status */
};

/* Shell convention for a wait status: exit code, or 128 + signal. */
int status_code(int wstatus);

/* Write all n bytes of buf to fd.  Returns 0, or -errno. */
int write_all(int fd, const void *buf, size_t n);

/*
 * Start path with argv (los_fork_exec) and wait for it.  Stores the wait
 * status in *wstatus.  Returns the child's pid, or -errno if it could not
 * be started (or, impossibly, not waited for).
 */
long run_wait(const char *path, char *const argv[], int *wstatus);

/* Start path in a child with argv [path] (los_fork_exec); pid or -errno. */
long start_program(const char *path);

/*
 * As run_wait, with the child's fd 1 connected to a pipe whose contents
 * land in c.  The caller's own fd 1 is the same before and after.
 * Returns the child's pid, or -errno.
 */
long run_capture(const char *path, char *const argv[], struct capture *c);

/*
 * Call fn(name, ctx) for each entry of directory path, in the order
 * getdents64 returns them ("." and ".." included, if the kernel lists
 * them).  Returns 0, or -errno (-ENOTDIR if path is not a directory).
 */
int for_each_entry(const char *path, void (*fn)(const char *, void *),
    void *ctx);

#endif
