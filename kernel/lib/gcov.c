/* The coverage kernel's gcov runtime: what GCC's -fprofile-arcs code calls.
 *
 * Linked only into build/coverage/kernel.elf (scripts/coverage.mk), never
 * into the normal kernel, and itself built without instrumentation.  Each
 * instrumented file carries a `struct gcov_info` (its counters, per function)
 * and a constructor in .init_array that hands it to __gcov_init.  The kernel
 * runs no constructors at boot: the counters are plain static arrays that
 * count from the first instruction, so registration waits until the dump.
 *
 * At power-off (halt and panic alike: the link wraps power_off, see
 * scripts/coverage.mk) every unit's counters are written to an I/O port of
 * their own, GCOV_PORT, which scripts/levitate-qemu connects to a file when
 * LEVITATE_COVERAGE names a counters folder.  The host (testkit/gcov.py) sums
 * the dumps of many boots and writes .gcda files; merging is the host's.
 *
 * Dump stream (little-endian base-128 varints, "v" below):
 *   "LEVGCOV1"
 *   per unit:  'U' v:version v:stamp v:checksum v:len name[len]
 *              v:counter-kind mask (bit t: merge[t] set) v:n_functions
 *     per function:  v:present (0: another unit owns it, nothing follows)
 *                    v:ident v:lineno_checksum v:cfg_checksum
 *                    per kind in the mask: v:num then num values v
 *   'E'  end: a dump without it was cut short (a fault while dumping)
 *
 * Structure layout: GCC 12's gcov-io.h / libgcov.h (as Linux's
 * kernel/gcov/gcc_4_7.c records it); GCOV_COUNTERS is 8 since GCC 10. */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu.h"
#include "lib/types.h"

#if __GNUC__ != 12
#error "kernel/lib/gcov.c follows GCC 12's gcov_info layout: check it for this compiler"
#endif

#define GCOV_COUNTERS 8
#define GCOV_PORT 0xEC

typedef u64 gcov_type;

struct gcov_ctr_info {
	u32 num;                       /* counters of this kind in the function */
	gcov_type *values;
};

struct gcov_info;

struct gcov_fn_info {
	const struct gcov_info *key;   /* the unit that owns this copy */
	u32 ident;
	u32 lineno_checksum;
	u32 cfg_checksum;
	struct gcov_ctr_info ctrs[];   /* one per kind whose merge is set */
};

typedef void (*gcov_merge_fn)(gcov_type *, u32);

struct gcov_info {
	u32 version;
	struct gcov_info *next;
	u32 stamp;
	u32 checksum;
	const char *filename;          /* the .gcda path the compiler chose */
	gcov_merge_fn merge[GCOV_COUNTERS];
	u32 n_functions;
	const struct gcov_fn_info *const *functions;
};

static struct gcov_info *units;
static bool dumping;

/* The constructors GCC emitted, one per instrumented file (gathered by
 * kernel/arch/x86_64/linker.ld). */
extern void (*__gcov_ctors_start[])(void);
extern void (*__gcov_ctors_end[])(void);

/* Called by each unit's constructor: remember its counters for the dump. */
void __gcov_init(struct gcov_info *info)
{
	info->next = units;
	units = info;
}

/* Merge function for arc counters.  Its address tells which counter kinds a
 * unit has; libgcov calls it to add a .gcda file's counts into memory, which
 * never happens here (the host sums dumps), so it is never called. */
void __gcov_merge_add(gcov_type *counters, u32 n)
{
	(void)counters;
	(void)n;
}

/* Output buffer: rep outsb in chunks is far cheaper under TCG than one out
 * per byte. */
static u8 outbuf[512];
static size_t outlen;

static void flush(void)
{
	outsb(GCOV_PORT, outbuf, outlen);
	outlen = 0;
}

static void put_byte(u8 b)
{
	if (outlen == sizeof(outbuf))
		flush();
	outbuf[outlen++] = b;
}

static void put_varint(u64 v)
{
	while (v >= 0x80) {
		put_byte((u8)(v | 0x80));
		v >>= 7;
	}
	put_byte((u8)v);
}

/* Counter kinds present in info, as a bit mask (bit t: merge[t] set). */
static u32 kind_mask(const struct gcov_info *info)
{
	u32 mask = 0;

	for (int t = 0; t < GCOV_COUNTERS; t++)
		if (info->merge[t])
			mask |= 1u << t;
	return mask;
}

static void dump_function(const struct gcov_info *info, const struct gcov_fn_info *fn, u32 mask)
{
	const struct gcov_ctr_info *ctr;

	put_varint(fn && fn->key == info);
	if (!fn || fn->key != info)
		return;
	ctr = fn->ctrs;
	put_varint(fn->ident);
	put_varint(fn->lineno_checksum);
	put_varint(fn->cfg_checksum);
	for (int t = 0; t < GCOV_COUNTERS; t++) {
		if (!(mask & (1u << t)))
			continue;
		put_varint(ctr->num);
		for (u32 i = 0; i < ctr->num; i++)
			put_varint(ctr->values[i]);
		ctr++;
	}
}

static void dump_unit(const struct gcov_info *info)
{
	u32 mask = kind_mask(info);
	size_t len = 0;

	while (info->filename[len])
		len++;
	put_byte('U');
	put_varint(info->version);
	put_varint(info->stamp);
	put_varint(info->checksum);
	put_varint(len);
	for (size_t i = 0; i < len; i++)
		put_byte((u8)info->filename[i]);
	put_varint(mask);
	put_varint(info->n_functions);
	for (u32 f = 0; f < info->n_functions; f++)
		dump_function(info, info->functions[f], mask);
}

/* Write every unit's counters to GCOV_PORT, once per boot (a panic while
 * dumping must not start a second dump).  Interrupts stay off from here on:
 * the machine is powering off. */
void __gcov_exit(void)
{
	if (dumping)
		return;
	dumping = true;
	cli();
	for (void (**ctor)(void) = __gcov_ctors_start; ctor < __gcov_ctors_end; ctor++)
		(*ctor)();
	for (size_t i = 0; i < 8; i++)
		put_byte((u8)"LEVGCOV1"[i]);
	for (const struct gcov_info *u = units; u; u = u->next)
		dump_unit(u);
	put_byte('E');
	flush();
}

void __real_power_off(int code) __attribute__((noreturn));
void __wrap_power_off(int code) __attribute__((noreturn));

/* Every power_off call of the coverage kernel lands here first (ld
 * --wrap=power_off): dump the counters, then power off as usual. */
void __wrap_power_off(int code)
{
	__gcov_exit();
	__real_power_off(code);
}
