/*
 * suite_test_core: the in-guest kernel test suite, in the spirit of xv6's
 * usertests.  Each test runs in a process of its own (test_runner starts
 * one per test), so a test that crashes only fails itself.
 *
 *   suite_test_core --list           print every test name, one per line
 *   suite_test_core --list-portable  only those that also pass on Linux
 *   suite_test_core NAME             run one test: exit 0 on pass, 1 on fail
 */
#include <stdio.h>
#include <string.h>
#include <fcntl.h>

#include "levbox.h"
#include "suite.h"

static const struct suite_test tests[] = {
	{ "spawn_exit_status", test_spawn_exit_status, 0 },
	{ "spawn_segv", test_spawn_segv, 0 },
	{ "spawn_missing", test_spawn_missing, 0 },
	{ "spawn_badelf", test_spawn_badelf, 0 },
	{ "spawn_args_100", test_spawn_args_100, 0 },
	{ "spawn_pids", test_spawn_pids, 0 },
	{ "spawn_inherit_fds", test_spawn_inherit_fds, 0 },
	{ "spawn_efault", test_spawn_efault, 0 },
	{ "wait4_nochild", test_wait4_nochild, 1 },
	{ "file_read", test_file_read, 0 },
	{ "file_missing", test_file_missing, 1 },
	{ "getdents_bin", test_getdents_bin, 0 },
	{ "pipe_roundtrip", test_pipe_roundtrip, 1 },
	{ "dup_dup2", test_dup_dup2, 1 },
	{ "fcntl_cloexec", test_fcntl_cloexec, 1 },
	{ "pipe2_cloexec", test_pipe2_cloexec, 1 },
	{ "brk_grow", test_brk_grow, 1 },
	{ "mmap_anon", test_mmap_anon, 1 },
	{ "sysinfo_noleak", test_sysinfo_noleak, 0 },
	{ "spawn_fail_noleak", test_spawn_fail_noleak, 0 },
	{ "efault_write_null", test_efault_write_null, 1 },
	{ "efault_write_kernel", test_efault_write_kernel, 1 },
	{ "efault_write_console", test_efault_write_console, 0 },
	{ "efault_read_pipe", test_efault_read_pipe, 1 },
	{ "efault_read_file", test_efault_read_file, 0 },
	{ "efault_open", test_efault_open, 1 },
	{ "efault_uname", test_efault_uname, 1 },
	{ "efault_sysinfo", test_efault_sysinfo, 1 },
	{ "efault_pipe", test_efault_pipe, 1 },
	{ "efault_fstat", test_efault_fstat, 1 },
	{ "efault_wait4", test_efault_wait4, 0 },
	{ "enosys", test_enosys, 1 },
	{ "fork_returns", test_fork_returns, 1 },
	{ "fork_private_memory", test_fork_private_memory, 1 },
	{ "fork_shared_offset", test_fork_shared_offset, 0 },
	{ "exec_argv_envp", test_exec_argv_envp, 0 },
	{ "exec_environ", test_exec_environ, 0 },
	{ "exec_keeps_pid", test_exec_keeps_pid, 0 },
	{ "exec_missing", test_exec_missing, 1 },
	{ "exec_badelf", test_exec_badelf, 0 },
	{ "exec_truncelf", test_exec_truncelf, 0 },
	{ "exec_efault", test_exec_efault, 0 },
	{ "exec_e2big", test_exec_e2big, 0 },
	{ "exec_args_1000", test_exec_args_1000, 0 },
	{ "exec_args_never_cut", test_exec_args_never_cut, 0 },
	{ "exec_cloexec", test_exec_cloexec, 0 },
	{ "wait4_exit_status", test_wait4_exit_status, 1 },
	{ "wait4_segv", test_wait4_segv, 1 },
	{ "orphan_reparented", test_orphan_reparented, 0 },
	{ "clone_fork", test_clone_fork, 1 },
	{ "clone_flags_einval", test_clone_flags_einval, 0 },
	{ "exec_fail_noleak", test_exec_fail_noleak, 0 },
	{ "fork_exec_noleak", test_fork_exec_noleak, 0 },
};

#define NTESTS (sizeof tests / sizeof tests[0])

/* address, laundered through a volatile (see suite.h). */
void *hostile(long address)
{
	volatile long v = address;

	return (void *)v;
}

/* Lowest descriptor number not in use. */
int lowest_free_fd(void)
{
	int fd = 0;

	while (fcntl(fd, F_GETFD) >= 0)
		fd++;
	return fd;
}

int suite_test_core_main(int argc, char **argv)
{
	return suite_main("suite_test_core", tests, NTESTS, argc, argv);
}
