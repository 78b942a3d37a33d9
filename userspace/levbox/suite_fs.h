/* The tests of suite_test_fs, by file (fs_*.c), and their shared helpers. */
#ifndef SUITE_FS_H
#define SUITE_FS_H

#include <stddef.h>

/* fs_links.c: symlinks, readlink, /proc/self/exe, access, statfs, dup3, sendfile */
int test_symlink_initramfs(void);
int test_symlink_exec(void);
int test_proc_self_exe(void);
int test_readlink_errors(void);
int test_fstatat_empty_cwd(void);
int test_dir_position_sane(void);
int test_access_modes(void);
int test_statfs_root_proc(void);
int test_dup3_flags(void);
int test_sendfile_offsets(void);

/* fs_write.c: the writable tree */
int test_create_write_read(void);
int test_umask_per_process(void);
int test_open_flags_errors(void);
int test_append_trunc_pwrite(void);
int test_holes_and_blocks(void);
int test_mkdir_rmdir_unlink(void);
int test_rename_cases(void);
int test_rename_exchange(void);
int test_link_symlink_nlink(void);
int test_chmod_chown_utimens(void);
int test_getdents_while_changing(void);
int test_unlinked_open_file(void);

/* fs_mem.c: memory accounting, exec of written files */
int test_memory_returns(void);
int test_enospc_then_recover(void);
int test_exec_written_file(void);

/* fs_devproc.c: /dev and /proc */
int test_dev_nodes(void);
int test_proc_files(void);
int test_proc_pid_dirs(void);
int test_proc_pid_stat(void);

/* A fresh empty directory /tmp/name (made, or emptied of plain files):
 * 0, or -1 after printing why. */
int fresh_dir(const char *name);

/* Whole content of path into buf (NUL-terminated): its length, or -1. */
long slurp(const char *path, char *buf, size_t size);

/* Exact free memory (sysinfo freeram). */
unsigned long free_ram(void);

#endif
