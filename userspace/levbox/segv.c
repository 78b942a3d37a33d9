/* segv: write to address 0, so the kernel kills us with SIGSEGV. */
#include <stdint.h>
#include <stdio.h>

#include "levbox.h"

int segv_main(int argc, char **argv)
{
	/* volatile address: the compiler must not see a constant NULL store
	 * (it may turn that into a trap instruction, a different fault). */
	volatile uintptr_t address = 0;

	(void)argc;
	(void)argv;
	*(volatile int *)address = 1;
	fprintf(stderr, "segv: the write to address 0 did not fault\n");
	return 1;
}
