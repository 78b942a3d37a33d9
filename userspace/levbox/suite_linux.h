/* Tests of suite_test_linux, by file (linux_*.c). */
#ifndef SUITE_LINUX_H
#define SUITE_LINUX_H

/* linux_mm.c */
int test_mprotect_readonly(void);
int test_mprotect_none(void);
int test_mprotect_errors(void);
int test_mprotect_fork_private(void);
int test_mmap_shared_anon(void);
int test_mmap_type_einval(void);
/* linux_cow.c */
int test_cow_both_sides_private(void);
int test_cow_kernel_writes_are_private(void);
int test_cow_parent_exits_first(void);
int test_cow_shared_anon_both_ways(void);
int test_cow_mprotect_after_fork(void);
int test_cow_prot_none_page(void);
/* linux_proc.c */
int test_clone_tid_flags(void);
int test_vfork_waits_for_exit(void);
int test_vfork_exec(void);
/* linux_sys.c */
int test_ids_consistent(void);
int test_ids_root_drops(void);
int test_rlimits(void);
int test_getrandom(void);
int test_affinity_prctl_robust(void);
/* linux_time.c */
int test_wall_clock(void);
int test_cpu_times(void);
int test_nanosleep_sleeps(void);
int test_clock_nanosleep_abs(void);
/* linux_poll.c */
int test_poll_pipe_states(void);
int test_poll_timeout_sleeps(void);
int test_poll_wakes_on_write(void);
struct timespec;
int poll_until_child_writes(const struct timespec *ts);   /* NULL: poll, else ppoll */
/* linux_fds.c */
int test_fds_many(void);
int test_fds_limit(void);
int test_poll_many_fds(void);
int test_ppoll_huge_timeout(void);
/* linux_tty.c */
int test_tty_termios(void);
int test_tty_vmin_vtime(void);
/* linux_oracle.c */
int test_wait4_efault_reaps(void);
int test_mmap_fixed_replaces(void);
int test_mmap_fixed_over_heap(void);
int test_mmap_fixed_noleak(void);

#endif
