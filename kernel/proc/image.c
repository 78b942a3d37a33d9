/* Building user images: the program file's map (its pages come on first
 * touch, mm/filemap.c), stack, argv/envp/auxv. */
#include "proc/image.h"
#include "proc/elf.h"
#include "proc/ustack.h"
#include "mm/filemap.h"
#include "proc/textcache.h"
#include "fs/file.h"
#include "mm/kmalloc.h"
#include "mm/pmm.h"
#include "mm/vm.h"
#include "arch/x86_64/arch.h"
#include "arch/x86_64/memlayout.h"
#include "lib/errno.h"
#include "lib/string.h"

/* AT_RANDOM: fixed bytes.  Runs must be reproducible (golden traces), and
 * nothing in Levitate depends on their secrecy yet. */
static const u8 at_random[16] = "levitate-random";

static int build_stack(struct vmspace *vm, const struct elf_image *elf,
		       const struct kargs *argv, const struct kargs *envp, u64 *rsp)
{
	struct ustack_args ua = {
		.argv = (const char *const *)argv->v, .argc = argv->count,
		.envp = (const char *const *)envp->v, .envc = envp->count,
		.at_phdr = elf->phdr_vaddr, .at_phent = elf->phentsize,
		.at_phnum = elf->phnum, .at_entry = elf->entry, .random16 = at_random,
	};
	size_t len = ALIGN_UP(ustack_size_needed(&ua), PAGE_SIZE);
	long sp;
	u8 *buf;
	int err;

	/* Leave most of the stack to the program itself (Linux allows a quarter). */
	if (len > USER_STACK_MAX / 4)
		return -E2BIG;
	/* Only the pages holding the arguments now; the rest faults in (mm/fault.c). */
	err = vm_alloc_range(vm, USER_STACK_TOP - len, USER_STACK_TOP, PTE_U | PTE_W | PTE_NX);
	if (err)
		return err;
	buf = kzalloc(len);     /* all of it reaches the program: no stale byte in the gaps */
	if (!buf)
		return -ENOMEM;
	sp = ustack_build(buf, len, USER_STACK_TOP, &ua);
	if (sp >= 0)
		err = vm_write(vm, USER_STACK_TOP - len, buf, len);
	kfree(buf);
	if (sp < 0)
		return (int)sp;
	*rsp = (u64)sp;
	return err;
}

/* argv as /proc/PID/cmdline shows it: each string with its NUL, cut at size. */
static u16 pack_cmdline(char *buf, size_t size, const struct kargs *argv)
{
	size_t n = 0;

	for (int i = 0; i < argv->count && n < size; i++) {
		size_t len = strlen(argv->v[i]) + 1;

		len = MIN(len, size - n);
		memcpy(buf + n, argv->v[i], len);
		n += len;
	}
	return (u16)n;
}

/* The address space of the program in ef: 0 or -errno.  No segment page
 * is loaded: the address space gets the file's map and each page is
 * mapped at its first touch (mm/filemap.c).  A changed file's copy (ef->copy)
 * passes to the map, which keeps it as long as a process runs it. */
static int build_from(struct exec_file *ef, const struct kargs *argv,
		      const struct kargs *envp, struct image *out)
{
	struct elf_image elf;
	int err = elf_parse(ef->data, ef->size, USER_MMAP_BASE, pmm_free_frames() * PAGE_SIZE, &elf);

	if (err)
		return err;
	out->vm = vm_create();
	if (!out->vm)
		return -ENOMEM;
	if (ef->stable)
		text_cache_fill(ef->data, &elf);
	out->vm->file = filemap_new(ef->data, ef->copy, ef->stable, &elf);
	if (!out->vm->file)
		err = -ENOMEM;
	else
		ef->copy = NULL;
	if (!err)
		err = build_stack(out->vm, &elf, argv, envp, &out->rsp);
	if (err) {
		image_discard(out);
		return err;
	}
	out->vm->brk_start = out->vm->brk = elf.brk_start;
	out->entry = elf.entry;
	return 0;
}

int image_build(const char *path, const struct kargs *argv, const struct kargs *envp, struct image *out)
{
	struct exec_file *ef = kmalloc(sizeof(*ef));
	int err;

	if (!ef)
		return -ENOMEM;
	err = vfs_exec_open(path, ef);
	if (!err) {
		err = build_from(ef, argv, envp, out);
		vfs_exec_close(ef);
	}
	if (!err) {
		strlcpy(out->exe, ef->path, sizeof(out->exe));
		out->cmdline_len = pack_cmdline(out->cmdline, sizeof(out->cmdline), argv);
	}
	kfree(ef);
	return err;
}

void image_discard(struct image *img)
{
	vm_destroy(img->vm);
	img->vm = NULL;
}

void image_install(struct proc *p, struct image *img, const char *path)
{
	const char *base = path;

	for (const char *s = path; *s; s++)
		if (*s == '/')
			base = s + 1;
	strlcpy(p->name, base, PROC_NAME_LEN);
	memcpy(p->exe, img->exe, sizeof(p->exe));
	memcpy(p->cmdline, img->cmdline, sizeof(p->cmdline));
	p->cmdline_len = img->cmdline_len;
	p->vm = img->vm;
	img->vm = NULL;
	memset(p->tf, 0, sizeof(*p->tf));
	p->tf->rip = img->entry;
	p->tf->rsp = img->rsp;
	p->tf->cs = GDT_UCODE;
	p->tf->ss = GDT_UDATA;
	p->tf->rflags = 0x202;         /* IF */
	p->fs_base = 0;
}
