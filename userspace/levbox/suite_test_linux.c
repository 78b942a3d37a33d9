/*
 * suite_test_linux: in-guest tests of the Linux calls real programs
 * (Debian's BusyBox, glibc start-up) need: page protections, copy-on-write
 * fork memory, clone's fork
 * flags and vfork, poll, credentials, time and sleeping, limits, the
 * terminal.  Same shape as suite_test_core (suite.h); installed in /usr/bin
 * so /bin, which the goldens list, stays as it was.
 *
 *   suite_test_linux --list | --list-portable | NAME
 */
#include "levbox.h"
#include "suite.h"
#include "suite_linux.h"

static const struct suite_test tests[] = {
	{ "mprotect_readonly", test_mprotect_readonly, 1 },
	{ "mprotect_none", test_mprotect_none, 1 },
	{ "mprotect_errors", test_mprotect_errors, 1 },
	{ "mprotect_fork_private", test_mprotect_fork_private, 1 },
	{ "mmap_shared_anon", test_mmap_shared_anon, 1 },
	{ "mmap_type_einval", test_mmap_type_einval, 1 },
	{ "cow_both_sides_private", test_cow_both_sides_private, 1 },
	{ "cow_kernel_writes_are_private", test_cow_kernel_writes_are_private, 1 },
	{ "cow_parent_exits_first", test_cow_parent_exits_first, 1 },
	{ "cow_shared_anon_both_ways", test_cow_shared_anon_both_ways, 1 },
	{ "cow_mprotect_after_fork", test_cow_mprotect_after_fork, 1 },
	{ "cow_prot_none_page", test_cow_prot_none_page, 1 },
	{ "clone_tid_flags", test_clone_tid_flags, 1 },
	{ "vfork_waits_for_exit", test_vfork_waits_for_exit, 1 },
	{ "vfork_exec", test_vfork_exec, 0 },
	{ "ids_consistent", test_ids_consistent, 1 },
	{ "ids_root_drops", test_ids_root_drops, 0 },
	{ "rlimits", test_rlimits, 1 },
	{ "getrandom", test_getrandom, 1 },
	{ "affinity_prctl_robust", test_affinity_prctl_robust, 1 },
	{ "wall_clock", test_wall_clock, 1 },
	{ "cpu_times", test_cpu_times, 1 },
	{ "nanosleep_sleeps", test_nanosleep_sleeps, 1 },
	{ "clock_nanosleep_abs", test_clock_nanosleep_abs, 1 },
	{ "poll_pipe_states", test_poll_pipe_states, 1 },
	{ "poll_timeout_sleeps", test_poll_timeout_sleeps, 1 },
	{ "poll_wakes_on_write", test_poll_wakes_on_write, 1 },
	{ "fds_many", test_fds_many, 1 },
	{ "fds_limit", test_fds_limit, 1 },
	{ "poll_many_fds", test_poll_many_fds, 1 },
	{ "ppoll_huge_timeout", test_ppoll_huge_timeout, 1 },
	{ "tty_termios", test_tty_termios, 0 },
	{ "tty_vmin_vtime", test_tty_vmin_vtime, 0 },
	{ "wait4_efault_reaps", test_wait4_efault_reaps, 1 },
	{ "mmap_fixed_replaces", test_mmap_fixed_replaces, 1 },
	{ "mmap_fixed_over_heap", test_mmap_fixed_over_heap, 1 },
	{ "mmap_fixed_noleak", test_mmap_fixed_noleak, 0 },
};

#define NTESTS (sizeof tests / sizeof tests[0])

int suite_test_linux_main(int argc, char **argv)
{
	return suite_main("suite_test_linux", tests, NTESTS, argc, argv);
}
