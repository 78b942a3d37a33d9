/* Page faults that are not errors: memory a process has but that is not
 * there yet.  Three kinds:
 *   - demand-zero stack: the top USER_STACK_MAX of user space is reserved in
 *     every address space but a page is mapped only when first touched, so
 *     programs pay only for the stack they use, and fork shares only that;
 *   - the program file: exec maps no segment page, the first touch does
 *     (mm/filemap.c);
 *   - copy-on-write: fork shared a private writable page; the first write
 *     gives the writer a frame of its own (vm_cow_fault, mm/vm.c).
 * The CPU reports them as page faults (arch/x86_64/trap.c) and the kernel's
 * own user copies as failed checks (mm/usercopy.c): both come here. */
#include "mm/vm.h"
#include "mm/filemap.h"
#include "arch/x86_64/memlayout.h"
#include "lib/errno.h"

/* A missing stack page: a fresh zeroed one; 0, -EFAULT (not the stack), -ENOMEM. */
static int stack_fault(struct vmspace *vm, u64 page)
{
	if (page < USER_STACK_BOTTOM || page >= USER_STACK_TOP)
		return -EFAULT;
	return vm_alloc_range(vm, page, page + PAGE_SIZE, PTE_U | PTE_W | PTE_NX) == -ENOMEM
		       ? -ENOMEM : 0;
}

int vm_fault(struct vmspace *vm, u64 va, bool write)
{
	u64 page = ALIGN_DOWN(va, PAGE_SIZE);
	int r;

	if (!vm || va >= USER_TOP)
		return -EFAULT;
	/* Mapped already: only a write to a copy-on-write page is not an error. */
	if (vm_is_mapped(vm, page))
		return write ? vm_cow_fault(vm, page) : -EFAULT;
	r = filemap_fault(vm, page);
	if (r != -EFAULT)
		return r;
	return stack_fault(vm, page);
}
