/* The simulated machine behind the shims, for host unit tests of mm/pmm.c and
 * mm/vm.c.  Defines (not only declares) the shims' state, so exactly one file
 * of a test binary includes it: the test itself, after the kernel headers.
 *
 *   sim_ram_init(bytes)      host buffer standing in for physical memory
 *   boot_pml4                the kernel's top table (upper half shared)
 *   panic                    longjmps to SIM_EXPECT_PANIC when armed, else
 *                            prints and aborts
 *   kmalloc/kzalloc/kfree    libc-backed, counted (sim_kmalloc_live), and
 *                            made to fail on demand (sim_kmalloc_fail)
 */
#ifndef SHIM_SIM_MACHINE_H
#define SHIM_SIM_MACHINE_H

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/memlayout.h"
#include "lib/kprintf.h"
#include "mm/kmalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

u8 *shim_ram;
u64 shim_ram_size;
u64 shim_cr3;
unsigned long shim_cr3_writes;
unsigned long shim_invlpg_count;
u64 shim_invlpg_log[SHIM_INVLPG_LOG];
u64 boot_pml4[512] __attribute__((aligned(4096)));

static jmp_buf sim_panic_jmp;
static int sim_panic_armed;
static char sim_panic_msg[256];
static long sim_kmalloc_live;     /* kmalloc'ed blocks not yet freed */
static int sim_kmalloc_fail;      /* make the next kmalloc/kzalloc fail */

/* Map bytes of zeroed host memory as physical addresses [0, bytes). */
static inline void sim_ram_init(u64 bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		abort();
	shim_ram = p;
	shim_ram_size = bytes;
}

void shim_bad_address(u64 pa)
{
	fprintf(stderr, "sim: physical address %#lx outside the simulated RAM (%#lx bytes)\n",
	        pa, shim_ram_size);
	abort();
}

/* Does not return: back to the armed SIM_EXPECT_PANIC, or abort. */
void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sim_panic_msg, sizeof(sim_panic_msg), fmt, ap);
	va_end(ap);
	if (sim_panic_armed) {
		sim_panic_armed = 0;
		longjmp(sim_panic_jmp, 1);
	}
	fprintf(stderr, "panic: %s\n", sim_panic_msg);
	abort();
}

/* Run stmt, which must panic with a message containing what. */
#define SIM_EXPECT_PANIC(stmt, what) do { \
	sim_panic_msg[0] = '\0'; \
	if (setjmp(sim_panic_jmp) == 0) { \
		sim_panic_armed = 1; \
		stmt; \
		sim_panic_armed = 0; \
		ck_abort_msg("no panic from %s", #stmt); \
	} \
	ck_assert_msg(strstr(sim_panic_msg, what) != NULL, \
	              "panic \"%s\" does not mention \"%s\"", sim_panic_msg, what); \
} while (0)

void *kmalloc(size_t n)
{
	void *p;

	if (sim_kmalloc_fail) {
		sim_kmalloc_fail = 0;
		return NULL;
	}
	p = malloc(n);
	if (p)
		sim_kmalloc_live++;
	return p;
}

void *kzalloc(size_t n)
{
	void *p = kmalloc(n);

	if (p)
		memset(p, 0, n);
	return p;
}

void kfree(void *p)
{
	if (p)
		sim_kmalloc_live--;
	free(p);
}

#endif
