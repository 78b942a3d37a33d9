/*
 * los_sigaction (libsyscall.h): one rt_sigaction call with libsyscall's own
 * restorer.  A file of its own, so that only the programs that use it link it.
 */
#include "libsyscall.h"
#include "los_abi.h"

#define SA_RESTORER 0x04000000UL
#define STR(x) #x
#define XSTR(x) STR(x)

/* Where a handler installed by los_sigaction returns: rt_sigreturn, with
 * the stack as the kernel left it (the signal frame). */
void los_sigreturn(void);
__asm__(".text\n"
	".globl los_sigreturn\n"
	"los_sigreturn:\n"
	"\tmov $" XSTR(LOS_NR_rt_sigreturn) ", %eax\n"
	"\tsyscall\n");

/* The kernel's struct sigaction on x86_64. */
struct los_ksigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

long los_sigaction(int sig, void (*handler)(int), unsigned long flags)
{
	struct los_ksigaction sa = { handler, flags | SA_RESTORER, los_sigreturn, 0 };

	return los_syscall6(LOS_NR_rt_sigaction, sig, (long)&sa, 0, sizeof(sa.mask), 0, 0);
}
