/*
 * hostile_elf: execve of every malformed ELF file in /usr/lib/badelf/
 * (made at build time by scripts/gen_bad_elfs.py from a real binary).
 *
 * Each exec must fail with ENOEXEC (ENOMEM for memsz_larger_than_ram) and
 * return to a caller whose memory is intact: canaries on the stack, in
 * .data, on the heap and in an mmap page are checked after the failed call,
 * and the caller goes on to make more calls.  Each file is tried first in
 * a forked child (so a kernel that kills the caller is seen as a signal
 * status) and then by this process itself.  A control exec of /bin/true
 * must succeed.  Usage: hostile_elf [-v]
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostile.h"

#define BADELF_DIR "/usr/lib/badelf"
#define ENOEXEC 8
#define ENOMEM 12
#define CANARY 0x63616e6172792121UL       /* "canary!!" */
#define MAX_FILES 64
#define BADELF_RAN 42          /* badelf_source.c's status: the broken file ran */

static unsigned long data_canary = CANARY;
static unsigned long *heap_canary, *mmap_canary;
static char paths[MAX_FILES][300];
static int npaths, verbose;

/* The errno the file must give; 0 when either is fine (a file this
 * program does not know by name). */
static long expected_errno(const char *name)
{
	if (strcmp(name, "memsz_larger_than_ram") == 0)
		return ENOMEM;
	return strncmp(name, "x_", 2) == 0 ? 0 : ENOEXEC;
}

static int canaries_intact(volatile unsigned long *stack_canary)
{
	return *stack_canary == CANARY && data_canary == CANARY &&
	    *heap_canary == CANARY && *mmap_canary == CANARY;
}

/* exec path; 0 when it failed as expected with the caller intact, else 1
 * (after printing why).  Raw calls only: this runs in children too. */
static int try_exec(const char *path)
{
	volatile unsigned long stack_canary = CANARY;
	const char *name = strrchr(path, '/') + 1;
	char *argv[] = { (char *)name, NULL };
	long want = expected_errno(name), pid = SYS0(LOS_NR_getpid), ret;
	char line[200];

	ret = los_exec_args(path, argv);
	if (!canaries_intact(&stack_canary))
		snprintf(line, sizeof line, "hostile_elf: FAIL %s: caller's memory changed\n", name);
	else if (SYS0(LOS_NR_getpid) != pid)
		snprintf(line, sizeof line, "hostile_elf: FAIL %s: caller cannot go on\n", name);
	else if (want ? ret != -want : (ret != -ENOEXEC && ret != -ENOMEM))
		snprintf(line, sizeof line, "hostile_elf: FAIL %s: execve answered %ld\n", name, ret);
	else {
		if (verbose) {
			snprintf(line, sizeof line, "hostile_elf: %s: %ld ok\n", name, ret);
			hostile_puts(1, line);
		}
		return 0;
	}
	hostile_puts(1, line);
	return 1;
}

static int child_try_exec(void *path)
{
	return try_exec(path);
}

/* The files, sorted by name (the directory's order is the archive's). */
static int list_files(void)
{
	DIR *d = opendir(BADELF_DIR);
	struct dirent *e;

	if (!d)
		return -1;
	while ((e = readdir(d)) && npaths < MAX_FILES)
		if (e->d_name[0] != '.')
			snprintf(paths[npaths++], sizeof paths[0], "%s/%s", BADELF_DIR, e->d_name);
	closedir(d);
	qsort(paths, (size_t)npaths, sizeof paths[0], (int (*)(const void *, const void *))strcmp);
	return npaths;
}

static int exec_true(void *unused)
{
	char *argv[] = { "true", NULL };

	(void)unused;
	los_exec_args("/bin/true", argv);
	return 99;
}

int main(int argc, char **argv)
{
	int cases = 0, survived = 0, passed = 0;
	long before, after, st;

	hostile_start();

	heap_canary = malloc(sizeof *heap_canary);
	mmap_canary = (unsigned long *)los_syscall6(LOS_NR_mmap, 0, 4096, 3, 0x22, -1, 0);
	*heap_canary = *mmap_canary = CANARY;
	if (list_files() <= 0) {
		printf("hostile_elf: no files in %s\n", BADELF_DIR);
		return 1;
	}
	/* Warm up: grow this process's stack and stdio to their working size,
	 * and let the kernel's program text cache take /bin/true's pages. */
	hostile_run_child(child_try_exec, paths[0]);
	try_exec(paths[0]);
	hostile_run_child(exec_true, NULL);
	verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
	before = hostile_settled_freeram();
	for (int i = 0; i < npaths; i++) {
		st = hostile_run_child(child_try_exec, paths[i]);
		cases += 2;
		if (st < 0 || !HOSTILE_EXITED(st)) {
			printf("hostile_elf: FAIL %s: caller killed (status %ld)\n", paths[i], st);
			continue;
		}
		survived++;
		if (HOSTILE_EXITCODE(st) == BADELF_RAN)
			printf("hostile_elf: FAIL %s: the kernel ran it\n", paths[i]);
		if (HOSTILE_EXITCODE(st) != 0)
			continue;       /* not in this process: it would not come back */
		passed++;
		/* Then this process itself: it must come back intact. */
		survived++;
		passed += try_exec(paths[i]) == 0;
	}
	st = hostile_run_child(exec_true, NULL);
	cases++;
	survived += st == 0;
	passed += st == 0;
	if (st != 0)
		printf("hostile_elf: FAIL control exec of /bin/true: status %ld\n", st);
	after = hostile_settled_freeram();
	printf("hostile_elf: %d files, %d cases, %d survived, %d passed, "
	    "freeram before %ld after %ld\n", npaths, cases, survived, passed, before, after);
	return passed == cases && before == after ? 0 : 1;
}
