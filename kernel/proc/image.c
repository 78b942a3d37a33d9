/* Building user images: ELF segments, stack, argv/envp/auxv. */
#include "proc/image.h"
#include "proc/elf.h"
#include "proc/ustack.h"
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

static u64 segment_flags(u32 pf)
{
	return PTE_U | ((pf & 2) ? PTE_W : 0) | ((pf & 1) ? 0 : PTE_NX);
}

/* Map page va of segment s.  A read-only page comes from the text cache,
 * complete and shared.  Any other page is private: mapped (or, when an
 * earlier segment shares it, given this segment's permissions too) and
 * filled with this segment's bytes. */
static int load_page(struct vmspace *vm, const struct elf_image *elf, const struct elf_seg *s,
		     const u8 *file, bool stable, u64 va)
{
	u64 flags = segment_flags(s->flags), from, to, pa;

	/* Only bytes that never change may be cached by their address. */
	if (stable && text_page_shareable(elf, va)) {
		if (vm_add_flags(vm, va, flags) == 0)
			return 0;              /* mapped for an earlier segment, already complete */
		pa = text_page(file, elf, va);
		if (!pa)
			return -ENOMEM;
		if (vm_map_frame(vm, va, pa, flags) < 0) {
			pmm_free(pa);
			return -ENOMEM;
		}
		return 0;
	}
	if (vm_add_flags(vm, va, flags) < 0 && vm_alloc_range(vm, va, va + PAGE_SIZE, flags) < 0)
		return -ENOMEM;
	from = MAX(va, s->vaddr);
	to = MIN(va + PAGE_SIZE, s->vaddr + s->filesz);
	return from < to ? vm_write(vm, from, file + s->offset + (from - s->vaddr), to - from) : 0;
}

static int load_segment(struct vmspace *vm, const struct elf_image *elf, const struct elf_seg *s,
			const u8 *file, bool stable)
{
	u64 end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
	int err = 0;

	for (u64 va = ALIGN_DOWN(s->vaddr, PAGE_SIZE); va < end && !err; va += PAGE_SIZE)
		err = load_page(vm, elf, s, file, stable, va);
	return err;
}

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
	buf = kmalloc(len);
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

/* The address space of the program in ef: 0 or -errno. */
static int build_from(const struct exec_file *ef, const struct kargs *argv,
		      const struct kargs *envp, struct image *out)
{
	struct elf_image elf;
	int err = elf_parse(ef->data, ef->size, USER_MMAP_BASE, pmm_free_frames() * PAGE_SIZE, &elf);

	if (err)
		return err;
	out->vm = vm_create();
	if (!out->vm)
		return -ENOMEM;
	for (int i = 0; i < elf.nsegs && !err; i++)
		err = load_segment(out->vm, &elf, &elf.segs[i], ef->data, ef->stable);
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
