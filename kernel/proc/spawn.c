/* spawn and spawn_args: Levitate's own process creation (the "spawn era").
 * The new process gets a complete image and a copy of the caller's descriptors
 * minus the close-on-exec ones, exactly what fork + exec would leave it. */
#include "proc/sched.h"
#include "proc/image.h"
#include "fs/file.h"
#include "mm/usercopy.h"
#include "lib/errno.h"
#include "gen/syscall_decl.h"

/* Build the image first and take a process slot last: publish last. */
static long spawn_image(const char *path, const struct kargs *argv)
{
	struct kargs env = { 0 };
	struct image img;
	struct proc *p;
	int err = kargs_from_kernel(NULL, 0, &env);

	if (!err)
		err = image_build(path, argv, &env, &img);
	kargs_free(&env);
	if (err)
		return err;
	p = proc_alloc();
	if (!p) {
		image_discard(&img);
		return -EAGAIN;
	}
	image_install(p, &img, path);
	fdtable_clone(p, myproc());
	fdtable_close_cloexec(p);
	p->parent = myproc();
	proc_publish(p);
	return p->pid;
}

long sys_spawn(uptr upath)
{
	char path[PATH_MAX];
	const char *argv[1] = { path };
	struct kargs args;
	long err = copyinstr(path, upath, sizeof(path));

	if (err < 0)
		return err;
	err = kargs_from_kernel(argv, 1, &args);
	if (err)
		return err;
	err = spawn_image(path, &args);
	kargs_free(&args);
	return err;
}

long sys_spawn_args(uptr upath, uptr uargv)
{
	char path[PATH_MAX];
	struct kargs args;
	long err = copyinstr(path, upath, sizeof(path));

	if (err < 0)
		return err;
	err = kargs_from_user(uargv, &args);
	if (err)
		return err;
	err = spawn_image(path, &args);
	kargs_free(&args);
	return err;
}
