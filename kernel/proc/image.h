/* A user program image built aside: a complete address space with the ELF
 * loaded and the start stack written, not yet attached to any process.
 * exec swaps it into the caller (init's first image is installed the same
 * way).  Until
 * then nothing anybody owns has been touched, so every failure is clean. */
#ifndef PROC_IMAGE_H
#define PROC_IMAGE_H

#include "proc/args.h"
#include "proc/proc.h"

struct image {
	struct vmspace *vm;
	u64 entry;
	u64 rsp;
	char exe[256];            /* canonical path of the program */
	char cmdline[256];        /* argv, NUL-separated, cut to fit */
	u16 cmdline_len;
};

/* Build the image of program path (a file of the RAM filesystem) with argv and envp.
 * 0, or -ENOENT, -EACCES, -EISDIR, -ENOEXEC, -E2BIG, -ENOMEM; nothing is left allocated on failure. */
int image_build(const char *path, const struct kargs *argv, const struct kargs *envp, struct image *out);
void image_discard(struct image *img);
/* Point p's user registers at the image's entry and stack; p owns img->vm afterwards. */
void image_install(struct proc *p, struct image *img, const char *path);

#endif
