/* Kernel crash tests: ways to break the kernel's own stacks on purpose, to
 * prove that such a failure is a panic naming the vector (IST stacks, guard
 * pages), not a silent reset.  Compiled in only for the test build
 * (make crashtest-kernel: -DLEVITATE_CRASH_TESTS, build/crashtest/); the
 * shipped kernel has none of it.  Boot word: crashtest=NAME
 *
 *   bootstack   recurse on the boot stack into its guard page
 *   kstack      recurse on a process kernel stack (mm/kstack.c) into its guard
 *   badrsp      take an exception with rsp pointing at unmapped memory
 */
#include "arch/x86_64/arch.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/kstack.h"
#include "arch/x86_64/memlayout.h"

#ifdef LEVITATE_CRASH_TESTS

/* Recurse until the stack runs into its guard page; never returns (the
 * limit is only there so the compiler accepts it: no stack holds it). */
__attribute__((noinline, used)) u64 crashtest_recurse(u64 n)
{
	volatile u8 pad[512];

	pad[0] = (u8)n;
	if (n > (1UL << 40))
		return pad[0];
	return crashtest_recurse(n + 1) + pad[0];
}

/* Run recurse(0) on the stack whose top is top. */
static void recurse_on(u64 top)
{
	__asm__ volatile("mov %0, %%rsp\n\txor %%edi, %%edi\n\tcall crashtest_recurse"
			 : : "r"(top) : "memory");
}

void crashtest_run(const char *name)
{
	kprintf("crashtest: %s\r\n", name);
	if (strcmp(name, "bootstack") == 0)
		crashtest_recurse(0);
	if (strcmp(name, "kstack") == 0)
		recurse_on((u64)kstack_alloc() + KSTACK_SIZE);
	if (strcmp(name, "badrsp") == 0)
		__asm__ volatile("mov %0, %%rsp\n\tud2" : : "r"(0xFFFF8FFFFFFFF000UL));
	kprintf("crashtest: unknown test %s\r\n", name);
}

#else

void crashtest_run(const char *name)
{
	(void)name;               /* the shipped kernel: no crash tests */
}

#endif
