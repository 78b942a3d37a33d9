/* brk, mmap, munmap, mprotect: a process's heap and anonymous mappings,
 * mapped eagerly, and the protection of any mapped page. */
#include "mm/vm.h"
#include "arch/x86_64/memlayout.h"
#include "proc/proc.h"
#include "lib/errno.h"
#include "gen/syscall_decl.h"

#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP 0x02000000
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MMAP_MIN_ADDR 0x10000      /* Debian's vm.mmap_min_addr */
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

/* PTE bits for PROT_* bits.  x86 cannot express write-only or exec-only, so
 * any access right makes the page readable, as on Linux; PROT_NONE leaves
 * the page mapped but not user-accessible, so every user access faults. */
static u64 prot_flags(u64 prot)
{
	if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return PTE_NX;
	return PTE_U | ((prot & PROT_WRITE) ? PTE_W : 0) | ((prot & PROT_EXEC) ? 0 : PTE_NX);
}

/* An anonymous mapping's type: 0 for MAP_PRIVATE or MAP_SHARED (*shared set
 * for the latter); any other type, MAP_SHARED_VALIDATE included, is EINVAL,
 * as Linux answers for anonymous memory (never a silent private mapping). */
static int mmap_type(u64 flags, bool *shared)
{
	*shared = (flags & MAP_TYPE) == MAP_SHARED;
	return *shared || (flags & MAP_TYPE) == MAP_PRIVATE ? 0 : -EINVAL;
}

/* Where a fixed mapping may go, checked in Linux's order: the range below
 * the top of user space (ENOMEM), addr page aligned (EINVAL), not below
 * mmap_min_addr (EPERM). */
static long fixed_range_check(uptr addr, u64 len)
{
	if (addr > USER_STACK_TOP || len > USER_STACK_TOP - addr)
		return -ENOMEM;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (addr < MMAP_MIN_ADDR)
		return -EPERM;
	return 0;
}

/* A mapping at exactly addr.  MAP_FIXED replaces whatever was mapped there
 * (musl's malloc puts a PROT_NONE guard over the heap's first page): the old
 * frames are freed one reference each, so a frame fork or the text cache
 * shares lives on for its other users.  MAP_FIXED_NOREPLACE answers EEXIST
 * over any mapped page instead.  Only here is a mapping ever replaced: brk
 * and fresh mmaps still meet vm_alloc_range's EEXIST (docs/hostile.md).  A
 * fixed mapping in the mmap region moves the next fresh address past it. */
static long mmap_fixed(struct vmspace *vm, uptr addr, u64 len, u64 pte, bool replace)
{
	long err = fixed_range_check(addr, len);

	if (err)
		return err;
	if (replace)
		vm_free_range(vm, addr, addr + len);
	err = vm_alloc_range(vm, addr, addr + len, pte);
	if (err)
		return err == -EEXIST ? -EEXIST : -ENOMEM;
	if (addr >= USER_MMAP_BASE && addr + len <= USER_STACK_BOTTOM && addr + len >= vm->mmap_next)
		vm->mmap_next = addr + len + PAGE_SIZE;
	return (long)addr;
}

/* Anonymous mappings, private or shared (fork shares a shared one's frames):
 * at a fresh address (the hint is ignored), or at exactly addr with
 * MAP_FIXED / MAP_FIXED_NOREPLACE (mmap_fixed). */
long sys_mmap(uptr addr, u64 length, u64 prot, u64 flags, int fd, i64 offset)
{
	struct vmspace *vm = myproc()->vm;
	u64 len = ALIGN_UP(length, PAGE_SIZE), start = vm->mmap_next;
	u64 pte;
	bool shared;

	(void)offset;
	if (!(flags & MAP_ANONYMOUS))
		return fd < 0 ? -EBADF : -ENODEV;
	if (mmap_type(flags, &shared) < 0)
		return -EINVAL;
	if (length == 0 || len < length)
		return -EINVAL;
	pte = prot_flags(prot) | (shared ? PTE_SHARED : 0);
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))
		return mmap_fixed(vm, addr, len, pte, !(flags & MAP_FIXED_NOREPLACE));
	if (start >= USER_STACK_BOTTOM || len > USER_STACK_BOTTOM - start)   /* no wrap */
		return -ENOMEM;
	if (vm_alloc_range(vm, start, start + len, pte) < 0)
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

/* Linux semantics: addr page aligned (EINVAL), length rounded up to pages, 0
 * is a no-op, unknown prot bits EINVAL, any unmapped page in the range ENOMEM.
 * Works on every mapping: program segments (glibc's RELRO), heap, mmap, stack. */
long sys_mprotect(uptr addr, u64 length, u64 prot)
{
	u64 len = ALIGN_UP(length, PAGE_SIZE);

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (prot & ~(u64)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if ((prot & PROT_GROWSDOWN) && (prot & PROT_GROWSUP))
		return -EINVAL;
	if (len < length || addr >= USER_TOP || len > USER_TOP - addr)
		return -ENOMEM;
	if (length == 0)
		return 0;
	return vm_protect_range(myproc()->vm, addr, addr + len, prot_flags(prot));
}
