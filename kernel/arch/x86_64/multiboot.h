/* What the Multiboot (v1) loader tells us: memory map, modules, command line. */
#ifndef ARCH_MULTIBOOT_H
#define ARCH_MULTIBOOT_H

#include "lib/types.h"

#define MULTIBOOT_LOADER_MAGIC 0x2BADB002
#define BOOT_MAX_MODULES 4
#define BOOT_CMDLINE_MAX 1024

struct boot_module {
	u64 start, end;                 /* physical */
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	int nmodules;
	struct boot_module modules[BOOT_MAX_MODULES];
};

/* Read the loader's tables, hand usable RAM to the frame allocator (minus the
 * kernel, modules and low memory), copy out the command line and modules. */
void multiboot_parse(u32 magic, u64 mbi_phys, struct boot_info *out);

#endif
