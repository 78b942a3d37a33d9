/*
 * Helpers shared by the suite_test_signal files (sig_*.c).
 */
#ifndef SIGTEST_H
#define SIGTEST_H

#include <signal.h>
#include <sys/types.h>

/* sigaction(sig) with a plain handler and flags; 0 or -1. */
int catch_signal(int sig, void (*fn)(int), int flags);
/* The same with an SA_SIGINFO handler (no other flag). */
int catch_siginfo(int sig, void (*fn)(int, siginfo_t *, void *));
/* sigprocmask(how) of the one signal sig; 0 or -1. */
int block_signal(int how, int sig);
/* ITIMER_REAL: SIGALRM once, after ms milliseconds; 0 or -1. */
int arm_timer_ms(long ms);
/* fork; the child exits with body()'s return value.  The child's pid. */
pid_t fork_child(int (*body)(void));
/* The suite's own program, for the exec test. */
extern const char *sigtest_self;

int test_sig_handler_runs(void);
int test_sig_mask_blocks_then_delivers(void);
int test_sig_read_eintr(void);
int test_sig_read_restarts(void);
int test_sig_pause_eintr(void);
int test_sig_sigsuspend_mask(void);
int test_sig_ppoll_mask_put_back(void);
int test_sig_alarm_remaining(void);
int test_sig_sigpipe_kills(void);
int test_sig_sigpipe_ignored_epipe(void);
int test_sig_sigchld_on_exit(void);
int test_sig_kill_group(void);
int test_sig_sigkill_uncatchable(void);
int test_sig_stop_continue_wait(void);
int test_sig_sleep_keeps_deadline_across_stop(void);
int test_sig_default_ignore_and_term(void);
int test_sig_nodefer_resethand(void);
int test_sig_fork_inherits(void);
int test_sig_exec_resets(void);
int test_sig_exec_child(void);
int test_sig_kill_errors(void);

int test_sig_segv_caught(void);
int test_sig_altstack(void);
int test_sig_fpu_restored(void);
int test_sig_forged_kernel_cs(void);
int test_sig_forged_noncanonical_rip(void);
int test_sig_forged_fpu_state(void);
int test_sig_forged_flags_filtered(void);
int test_sig_forged_zero_frame(void);

int test_pgrp_setpgid_setsid(void);
int test_pgrp_wait_by_group(void);
int test_tty_read_eintr(void);
int test_tty_background_read_sigttin(void);
int test_tty_background_write_sigttou(void);
int test_tty_foreground_group(void);
int test_pgrp_orphaned_stopped_job_gets_sighup(void);
int test_tty_background_change_sigttou(void);
int test_tty_orphaned_group_gets_eio(void);

#endif
