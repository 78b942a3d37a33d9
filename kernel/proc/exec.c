/* execve: replace the caller's program.
 *
 * Everything that can fail happens first, aside: copying path, argv and envp
 * in, finding and validating the ELF, building the new address space and its
 * stack (image_build).  Only then, in the commit block below, is the old image
 * given up.  So every error returns to a caller whose memory is untouched. */
#include "proc/sched.h"
#include "proc/image.h"
#include "fs/file.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "arch/x86_64/arch.h"
#include "arch/x86_64/memlayout.h"
#include "lib/errno.h"
#include "gen/syscall_decl.h"

/* Build the new image from user arguments; 0 or a negative errno. */
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
	char path[PATH_MAX];
	struct image img;
	struct vmspace *old;
	int err = build_from_user(upath, uargv, uenvp, path, &img);

	if (err)
		return err;

	/* Commit: from here on nothing of the old program is needed or kept. */
	old = p->vm;
	image_install(p, &img, path);
	vm_activate(p->vm);
	vm_destroy(old);
	fdtable_close_cloexec(p);
	signal_exec(p);
	p->execed = true;
	fpu_init_state(p->fpu);
	fpu_restore(p->fpu);
	arch_switch_to((u64)p->kstack + KSTACK_SIZE, p->fs_base);
	return 0;
}
