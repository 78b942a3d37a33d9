/* execve: replace the caller's program.
 *
 * Everything that can fail happens first, aside: copying path, argv and envp
 * in, finding and validating the ELF, building the new address space and its
 * stack (image_build).  Only then, in the commit block below, is the old image
 * given up.  So every error returns to a caller whose memory is untouched. */
#include "proc/sched.h"
#include "proc/image.h"
#include "fs/file.h"
#include "fs/fs_abi.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "arch/x86_64/arch.h"
#include "arch/x86_64/memlayout.h"
#include "lib/errno.h"
#include "gen/syscall_decl.h"

/* Build the new image from user arguments; 0 or a negative errno.  path is
 * a PATH_MAX buffer: the one limit open and exec share (fs/fs_abi.h). */
static int build_from_user(uptr upath, uptr uargv, uptr uenvp, char *path, struct image *img)
{
	struct kargs argv, envp;
	long err = copyinstr(path, upath, PATH_MAX);

	if (err < 0)
		return (int)err;
	err = kargs_from_user(uargv, &argv);
	if (err)
		return (int)err;
	err = kargs_from_user(uenvp, &envp);
	if (!err) {
		err = image_build(path, &argv, &envp, img);
		kargs_free(&envp);
	}
	kargs_free(&argv);
	return (int)err;
}

long sys_execve(uptr upath, uptr uargv, uptr uenvp)
{
	struct proc *p = myproc();
	char *path = kmalloc(PATH_MAX);        /* not on the 16 KiB kernel stack */
	struct image img;
	struct vmspace *old;
	int err = path ? build_from_user(upath, uargv, uenvp, path, &img) : -ENOMEM;

	if (err) {
		kfree(path);
		return err;
	}

	/* Commit: from here on nothing of the old program is needed or kept. */
	old = p->vm;
	image_install(p, &img, path);
	kfree(path);
	vm_activate(p->vm);
	vm_destroy(old);
	fdtable_close_cloexec(p);
	signal_exec(p);
	p->execed = true;
	vfork_release(p);
	fpu_init_state(p->fpu);
	fpu_restore(p->fpu);
	arch_switch_to((u64)p->kstack + KSTACK_SIZE, p->fs_base);
	p->fs_sel = p->gs_sel = 0;          /* a new program starts with null FS and GS */
	sched_segs_load(p);
	return 0;
}
