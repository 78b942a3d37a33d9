/* Multiboot v1 information structure parsing. */
#include "arch/x86_64/multiboot.h"
#include "arch/x86_64/memlayout.h"
#include "mm/pmm.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define MBI_CMDLINE (1 << 2)
#define MBI_MODS (1 << 3)
#define MBI_MMAP (1 << 6)

struct mbi {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_mmap_entry {
	u32 size;
	u64 base, len;
	u32 type;
} __attribute__((packed));

struct mb_module {
	u32 start, end, cmdline, reserved;
};

extern char _kernel_start[], _kernel_end[];

static void add_memory(const struct mbi *mbi)
{
	u64 p = mbi->mmap_addr, end = p + mbi->mmap_length;

	if (!(mbi->flags & MBI_MMAP))
		panic("multiboot: no memory map");
	while (p < end) {
		const struct mb_mmap_entry *e = P2V(p);
		if (e->type == 1)
			pmm_add_region(e->base, e->len);
		p += e->size + sizeof(e->size);
	}
}

/* The loader's command line starts with the kernel image's path; keep only
 * what follows it, so traces do not depend on where the image was built. */
static void copy_options(char *dst, const char *cmdline, size_t size)
{
	while (*cmdline && *cmdline != ' ')
		cmdline++;
	while (*cmdline == ' ')
		cmdline++;
	strlcpy(dst, cmdline, size);
}

void multiboot_parse(u32 magic, u64 mbi_phys, struct boot_info *out)
{
	const struct mbi *mbi = P2V(mbi_phys);

	if (magic != MULTIBOOT_LOADER_MAGIC)
		panic("not started by a Multiboot loader (magic %#x)", magic);
	memset(out, 0, sizeof(*out));
	if (mbi->flags & MBI_CMDLINE)
		copy_options(out->cmdline, P2V(mbi->cmdline), sizeof(out->cmdline));
	add_memory(mbi);
	pmm_reserve(0, 0x100000);      /* BIOS, loader tables, the command line */
	pmm_reserve(V2P(_kernel_start), (u64)(_kernel_end - _kernel_start));
	if (!(mbi->flags & MBI_MODS))
		return;
	const struct mb_module *m = P2V(mbi->mods_addr);
	for (u32 i = 0; i < mbi->mods_count && i < BOOT_MAX_MODULES; i++) {
		out->modules[i].start = m[i].start;
		out->modules[i].end = m[i].end;
		pmm_reserve(m[i].start, m[i].end - m[i].start);
		out->nmodules++;
	}
}
