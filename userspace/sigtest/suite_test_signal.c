/*
 * suite_test_signal: the in-guest tests of signals, process groups and the
 * controlling terminal (sig_deliver.c, sig_frame.c, sig_job.c).  Same
 * command line as suite_test_core (levbox/suite.c); run them all with
 * "test_runner /usr/bin/suite_test_signal".  Portable tests pass on Linux
 * too (userspace/tests/test_userspace_host.py runs them natively).
 */
#include <string.h>

#include "suite.h"
#include "sigtest.h"

const char *sigtest_self = "/usr/bin/suite_test_signal";

static const struct suite_test tests[] = {
	{ "sig_handler_runs", test_sig_handler_runs, 1 },
	{ "sig_mask_blocks_then_delivers", test_sig_mask_blocks_then_delivers, 1 },
	{ "sig_read_eintr", test_sig_read_eintr, 1 },
	{ "sig_read_restarts", test_sig_read_restarts, 1 },
	{ "sig_pause_eintr", test_sig_pause_eintr, 1 },
	{ "sig_sigsuspend_mask", test_sig_sigsuspend_mask, 1 },
	{ "sig_ppoll_mask_put_back", test_sig_ppoll_mask_put_back, 1 },
	{ "sig_alarm_remaining", test_sig_alarm_remaining, 1 },
	{ "sig_sigpipe_kills", test_sig_sigpipe_kills, 1 },
	{ "sig_sigpipe_ignored_epipe", test_sig_sigpipe_ignored_epipe, 1 },
	{ "sig_sigchld_on_exit", test_sig_sigchld_on_exit, 1 },
	{ "sig_kill_group", test_sig_kill_group, 1 },
	{ "sig_sigkill_uncatchable", test_sig_sigkill_uncatchable, 1 },
	{ "sig_stop_continue_wait", test_sig_stop_continue_wait, 1 },
	{ "sig_sleep_keeps_deadline_across_stop", test_sig_sleep_keeps_deadline_across_stop, 1 },
	{ "sig_default_ignore_and_term", test_sig_default_ignore_and_term, 1 },
	{ "sig_nodefer_resethand", test_sig_nodefer_resethand, 1 },
	{ "sig_fork_inherits", test_sig_fork_inherits, 1 },
	{ "sig_exec_resets", test_sig_exec_resets, 1 },
	{ "sig_kill_errors", test_sig_kill_errors, 1 },
	{ "sig_segv_caught", test_sig_segv_caught, 1 },
	{ "sig_altstack", test_sig_altstack, 1 },
	{ "sig_fpu_restored", test_sig_fpu_restored, 1 },
	{ "sig_forged_kernel_cs", test_sig_forged_kernel_cs, 1 },
	{ "sig_forged_noncanonical_rip", test_sig_forged_noncanonical_rip, 1 },
	{ "sig_forged_fpu_state", test_sig_forged_fpu_state, 1 },
	{ "sig_forged_flags_filtered", test_sig_forged_flags_filtered, 1 },
	{ "sig_forged_zero_frame", test_sig_forged_zero_frame, 1 },
	{ "pgrp_setpgid_setsid", test_pgrp_setpgid_setsid, 1 },
	{ "pgrp_wait_by_group", test_pgrp_wait_by_group, 1 },
	{ "pgrp_orphaned_stopped_job_gets_sighup", test_pgrp_orphaned_stopped_job_gets_sighup, 1 },
	{ "tty_read_eintr", test_tty_read_eintr, 0 },
	{ "tty_background_read_sigttin", test_tty_background_read_sigttin, 0 },
	{ "tty_background_write_sigttou", test_tty_background_write_sigttou, 0 },
	{ "tty_foreground_group", test_tty_foreground_group, 0 },
	{ "tty_background_change_sigttou", test_tty_background_change_sigttou, 0 },
	{ "tty_orphaned_group_gets_eio", test_tty_orphaned_group_gets_eio, 0 },
};

/* Not a test of its own: what test_sig_exec_resets execs. */
static const struct suite_test exec_child[] = {
	{ "sig_exec_child", test_sig_exec_child, 0 },
};

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], exec_child[0].name) == 0)
		return suite_main("suite_test_signal", exec_child, 1, argc, argv);
	if (argv[0] && strchr(argv[0], '/'))
		sigtest_self = argv[0];
	return suite_main("suite_test_signal", tests, sizeof tests / sizeof tests[0], argc, argv);
}
