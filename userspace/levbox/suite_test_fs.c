/*
 * suite_test_fs: the in-guest tests of the file system (kernel/fs): the
 * RAM root, symlinks, /dev, /proc, and the memory files use.  Installed as
 * /usr/bin/suite_test_fs (out of /bin, whose listing the goldens record)
 * and run by "test_runner /usr/bin/suite_test_fs".
 *
 *   suite_test_fs --list    print every test name, one per line
 *   suite_test_fs NAME      run one test: exit 0 on pass, 1 on fail
 *
 * Tests that change the tree work under /tmp/NAME, made fresh.
 */
#include <stdio.h>
#include <string.h>

#include "levbox.h"
#include "suite.h"
#include "suite_fs.h"

static const struct suite_test tests[] = {
	{ "symlink_initramfs", test_symlink_initramfs, 0 },
	{ "symlink_exec", test_symlink_exec, 0 },
	{ "proc_self_exe", test_proc_self_exe, 0 },
	{ "readlink_errors", test_readlink_errors, 1 },
	{ "fstatat_empty_cwd", test_fstatat_empty_cwd, 1 },
	{ "dir_position_sane", test_dir_position_sane, 1 },
	{ "access_modes", test_access_modes, 0 },
	{ "statfs_root_proc", test_statfs_root_proc, 1 },
	{ "dup3_flags", test_dup3_flags, 1 },
	{ "sendfile_offsets", test_sendfile_offsets, 0 },
	{ "create_write_read", test_create_write_read, 1 },
	{ "umask_per_process", test_umask_per_process, 1 },
	{ "open_flags_errors", test_open_flags_errors, 1 },
	{ "append_trunc_pwrite", test_append_trunc_pwrite, 1 },
	{ "holes_and_blocks", test_holes_and_blocks, 1 },
	{ "mkdir_rmdir_unlink", test_mkdir_rmdir_unlink, 1 },
	{ "rename_cases", test_rename_cases, 1 },
	{ "rename_exchange", test_rename_exchange, 1 },
	{ "link_symlink_nlink", test_link_symlink_nlink, 1 },
	{ "chmod_chown_utimens", test_chmod_chown_utimens, 1 },
	{ "getdents_while_changing", test_getdents_while_changing, 1 },
	{ "unlinked_open_file", test_unlinked_open_file, 1 },
	{ "memory_returns", test_memory_returns, 0 },
	{ "enospc_then_recover", test_enospc_then_recover, 0 },
	{ "exec_written_file", test_exec_written_file, 0 },
	{ "dev_nodes", test_dev_nodes, 1 },
	{ "proc_files", test_proc_files, 0 },
	{ "proc_pid_dirs", test_proc_pid_dirs, 0 },
	{ "proc_pid_stat", test_proc_pid_stat, 1 },
};

#define NTESTS (sizeof tests / sizeof tests[0])

int suite_test_fs_main(int argc, char **argv)
{
	size_t i;

	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (i = 0; i < NTESTS; i++)
			printf("%s\n", tests[i].name);
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: suite_test_fs --list | NAME\n");
		return 2;
	}
	for (i = 0; i < NTESTS; i++)
		if (strcmp(argv[1], tests[i].name) == 0)
			return tests[i].run() == 0 ? 0 : 1;
	fprintf(stderr, "suite_test_fs: %s: no such test\n", argv[1]);
	return 2;
}
