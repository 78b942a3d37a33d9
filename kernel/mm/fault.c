/* Demand-zero memory.  The stack region (the top USER_STACK_MAX of user space)
 * is reserved in every address space but a page is mapped only when first
 * touched, by the program (a page fault) or by the kernel on its behalf
 * (copyin/copyout).  Programs pay only for the stack they use, and fork copies
 * only that. */
#include "mm/vm.h"
#include "arch/x86_64/memlayout.h"
#include "lib/errno.h"

int vm_fault_in(struct vmspace *vm, u64 va)
{
	u64 page = ALIGN_DOWN(va, PAGE_SIZE);

	if (!vm || va < USER_STACK_BOTTOM || va >= USER_STACK_TOP)
		return -EFAULT;
	if (vm_is_mapped(vm, page))
		return -EFAULT;            /* mapped already: a protection fault, not a missing page */
	return vm_alloc_range(vm, page, page + PAGE_SIZE, PTE_U | PTE_W | PTE_NX);
}
