/* kmain: bring the machine up, then hand it to the scheduler and init. */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/memlayout.h"
#include "arch/x86_64/multiboot.h"
#include "arch/x86_64/serial.h"
#include "fs/file.h"
#include "mm/kstack.h"
#include "mm/vm.h"
#include "proc/sched.h"
#include "trace/trace.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define INIT_PATH "/bin/init"
#define INIT_MAX_ARGS 32

static struct boot_info boot;

/* Split s in place into words (double quotes group), up to max. */
static int split_words(char *s, char *words[], int max)
{
	int n = 0;

	while (*s && n < max) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		bool quoted = *s == '"';
		if (quoted)
			s++;
		words[n++] = s;
		while (*s && (quoted ? *s != '"' : *s != ' '))
			s++;
		if (*s)
			*s++ = 0;
	}
	return n;
}

static const char *crashtest;       /* crashtest=NAME (test build: crashtest.c) */

/* The command line is "[options] [-- program args]": `trace` switches
 * tracing on, `ro` makes the root read-only; the words after `--` become
 * init's arguments. */
static int parse_cmdline(char *cmdline, char *argv[], int max)
{
	char *words[INIT_MAX_ARGS + 16];
	int n = split_words(cmdline, words, (int)ARRAY_LEN(words)), argc = 0;
	bool program = false;

	argv[argc++] = INIT_PATH;
	for (int i = 0; i < n; i++) {
		if (program && argc < max - 1)
			argv[argc++] = words[i];
		else if (strcmp(words[i], "--") == 0)
			program = true;
		else if (strcmp(words[i], "trace") == 0)
			trace_enabled = true;
		else if (strncmp(words[i], "crashtest=", 10) == 0)
			crashtest = words[i] + 10;
		else if (strcmp(words[i], "ro") == 0)
			fs_readonly = true;      /* as Linux's "ro": the root cannot change */
	}
	argv[argc] = NULL;
	return argc;
}

static void start_fs(void)
{
	const struct boot_module *m = boot.modules;

	if (boot.nmodules < 1)
		panic("no initramfs: boot with -initrd");
	fs_init(P2V(m[0].start), m[0].end - m[0].start,
		boot.nmodules > 1 ? P2V(m[1].start) : NULL,
		boot.nmodules > 1 ? m[1].end - m[1].start : 0);
}

void kmain(u32 magic, u64 mbi)
{
	static char cmdline[BOOT_CMDLINE_MAX];
	char *argv[INIT_MAX_ARGS + 2];
	int argc;

	serial_init();
	gdt_init();
	idt_init();
	multiboot_parse(magic, mbi, &boot);
	kpage_init();
	cpu_features_init();
	irq_init();
	tsc_calibrate();
	rtc_init();
	strlcpy(cmdline, boot.cmdline, sizeof(cmdline));
	argc = parse_cmdline(cmdline, argv, INIT_MAX_ARGS + 2);
	syscall_init(trace_enabled);
	if (trace_enabled)
		trace_channel_init();
	trace_boot(boot.cmdline);
	start_fs();
	kstack_init();
	kpage_audit();
	if (crashtest)
		crashtest_run(crashtest);
	proc_start_init(argv, argc);
	scheduler();
}
