/* copyin/copyout: user memory is reached only here, page by page through the
 * current page table and the direct map.  So a bad address is an -EFAULT from
 * vm_translate, never a kernel fault, and SMAP can stay on. */
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "arch/x86_64/memlayout.h"
#include "proc/proc.h"
#include "lib/errno.h"
#include "lib/string.h"

/* [a, a+n) lies in the user half without wrapping (both tests needed). */
static bool user_range(uptr a, size_t n)
{
	return a < USER_TOP && n <= USER_TOP - a;
}

/* user_page when the page is not there as asked: map what a page fault of
 * the program itself would (a stack page, a page of the program file, a
 * copy-on-write page's own frame for a write: the kernel never writes a
 * shared frame), then translate again.  Out of memory is -EFAULT too, as
 * Linux's copy_to_user.  Kept out of line: see user_page. */
static __attribute__((noinline)) int user_page_fault(struct vmspace *vm, uptr u, bool write, u64 *pa)
{
	if (vm_fault(vm, u, write) < 0)
		return -EFAULT;
	return vm_translate(vm, u, write, pa);
}

/* The physical address behind user address u (see user_page_fault).  Always
 * inlined: every system call that touches user memory comes here, and a
 * call per page was 3% of a pipe round trip under QEMU (-icount). */
static inline __attribute__((always_inline)) int user_page(struct vmspace *vm, uptr u, bool write,
							 u64 *pa)
{
	if (vm_translate(vm, u, write, pa) == 0)
		return 0;
	return user_page_fault(vm, u, write, pa);
}

static struct vmspace *current_vm(void)
{
	return myproc() ? myproc()->vm : NULL;
}

/* Move n bytes between kernel memory k and user address u, in either direction. */
static int user_move(uptr u, void *k, size_t n, bool to_user)
{
	struct vmspace *vm = current_vm();
	u8 *kp = k;

	if (!user_range(u, n))
		return -EFAULT;
	while (n) {
		u64 pa;
		size_t chunk = MIN(n, PAGE_SIZE - (u & (PAGE_SIZE - 1)));
		if (user_page(vm, u, to_user, &pa) < 0)
			return -EFAULT;
		if (to_user)
			memcpy(P2V(pa), kp, chunk);
		else
			memcpy(kp, P2V(pa), chunk);
		u += chunk, kp += chunk, n -= chunk;
	}
	return 0;
}

int copyin(void *dst, uptr usrc, size_t n)
{
	return user_move(usrc, dst, n, false);
}

int copyout(uptr udst, const void *src, size_t n)
{
	return user_move(udst, (void *)src, n, true);
}

long copyinstr(char *dst, uptr usrc, size_t max)
{
	struct vmspace *vm = current_vm();
	size_t len = 0;

	while (len < max) {
		u64 pa;
		uptr u = usrc + len;
		if (u < usrc || u >= USER_TOP || user_page(vm, u, false, &pa) < 0)
			return -EFAULT;
		size_t chunk = MIN(max - len, PAGE_SIZE - (u & (PAGE_SIZE - 1)));
		const char *src = P2V(pa);
		for (size_t i = 0; i < chunk; i++, len++) {
			dst[len] = src[i];
			if (!src[i])
				return (long)len;
		}
	}
	if (max)
		dst[max - 1] = 0;
	return -ENAMETOOLONG;
}

int fetch_u64(uptr uaddr, u64 *out)
{
	return copyin(out, uaddr, sizeof(*out));
}
