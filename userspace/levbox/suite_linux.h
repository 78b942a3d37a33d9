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
/* linux_proc.c */
int test_clone_tid_flags(void);
int test_vfork_waits_for_exit(void);
int test_vfork_exec(void);
/* linux_tty.c */
int test_tty_termios(void);
int test_tty_vmin_vtime(void);

#endif
