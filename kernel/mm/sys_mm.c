/* brk, mmap, munmap: a process's heap and anonymous mappings, mapped eagerly. */
#include "mm/vm.h"
#include "arch/x86_64/memlayout.h"
#include "proc/proc.h"
#include "lib/errno.h"
#include "gen/syscall_decl.h"

#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define BRK_MAX (1UL << 30)        /* heap size limit */

/* Linux semantics: a failed move returns the unchanged break.  The heap stays
 * below the mmap region (ELF segments do too: elf_parse's limit), so the two
 * can never meet; and vm_alloc_range refuses pages that are mapped already. */
long sys_brk(uptr addr)
{
	struct vmspace *vm = myproc()->vm;
	u64 old_end = ALIGN_UP(vm->brk, PAGE_SIZE), new_end = ALIGN_UP(addr, PAGE_SIZE);

	if (addr < vm->brk_start || addr > vm->brk_start + BRK_MAX || new_end > USER_MMAP_BASE)
		return (long)vm->brk;
	if (new_end > old_end &&
	    vm_alloc_range(vm, old_end, new_end, PTE_U | PTE_W | PTE_NX) < 0)
		return (long)vm->brk;
	if (new_end < old_end)
		vm_free_range(vm, new_end, old_end);
	vm->brk = addr;
	return (long)addr;
}

static u64 prot_flags(u64 prot)
{
	return PTE_U | ((prot & PROT_WRITE) ? PTE_W : 0) | ((prot & PROT_EXEC) ? 0 : PTE_NX);
}

/* Anonymous private mappings at fresh addresses; hints and MAP_FIXED are not
 * supported (ENOTSUP would confuse musl; EINVAL is what it handles). */
long sys_mmap(uptr addr, u64 length, u64 prot, u64 flags, int fd, i64 offset)
{
	struct vmspace *vm = myproc()->vm;
	u64 len = ALIGN_UP(length, PAGE_SIZE), start = vm->mmap_next;

	(void)addr;
	(void)offset;
	if (!(flags & MAP_ANONYMOUS))
		return fd < 0 ? -EBADF : -ENODEV;
	if (length == 0 || len < length || (flags & MAP_FIXED) || !(flags & MAP_PRIVATE))
		return -EINVAL;
	if (start >= USER_STACK_BOTTOM || len > USER_STACK_BOTTOM - start)   /* no wrap */
		return -ENOMEM;
	if (vm_alloc_range(vm, start, start + len, prot_flags(prot)) < 0)
		return -ENOMEM;
	vm->mmap_next = start + len + PAGE_SIZE;   /* a guard page between mappings */
	return (long)start;
}

long sys_munmap(uptr addr, u64 length)
{
	struct vmspace *vm = myproc()->vm;
	u64 len = ALIGN_UP(length, PAGE_SIZE);

	if ((addr & (PAGE_SIZE - 1)) || length == 0 || len < length || addr < USER_MMAP_BASE ||
	    addr >= vm->mmap_next || len > vm->mmap_next - addr)
		return -EINVAL;
	vm_free_range(vm, addr, addr + len);
	return 0;
}
