/* Host tests for kernel/proc/elf.c: one crafted file per rejected property
 * (built with the host's <elf.h> types, an independent description of the
 * format), a corruption sweep, and real musl binaries checked against
 * readelf (fixtures from check.mk). */
#include <elf.h>
#include "proc/elf.h"
#include "lib/errno.h"
#include "ut.h"

#define BASE 0x400000UL
#define LIMIT 0x800000000000UL      /* 128 TiB, the usual x86-64 user limit */
#define MAXMEM (1UL << 30)

struct img {
	_Alignas(8) unsigned char b[0x3000];
	size_t size;
};

static Elf64_Ehdr *eh(struct img *m)
{
	return (Elf64_Ehdr *)m->b;
}

static Elf64_Phdr *ph(struct img *m, int i)
{
	return (Elf64_Phdr *)(m->b + eh(m)->e_phoff + (size_t)i * sizeof(Elf64_Phdr));
}

/* Fill program header i (which must be < e_phnum). */
static void set_ph(struct img *m, int i, u32 type, u32 flags, u64 off, u64 vaddr,
                   u64 filesz, u64 memsz, u64 align)
{
	*ph(m, i) = (Elf64_Phdr){ .p_type = type, .p_flags = flags, .p_offset = off,
	                          .p_vaddr = vaddr, .p_paddr = vaddr, .p_filesz = filesz,
	                          .p_memsz = memsz, .p_align = align };
}

/* Append a program header; returns its index. */
static int add_ph(struct img *m, u32 type, u32 flags, u64 off, u64 vaddr, u64 filesz,
                  u64 memsz, u64 align)
{
	int i = eh(m)->e_phnum++;

	ck_assert_uint_le(64 + (i + 1) * sizeof(Elf64_Phdr), 0x1000);
	set_ph(m, i, type, flags, off, vaddr, filesz, memsz, align);
	return i;
}

/* A valid static executable: text RX [BASE, BASE+0x1000) from offset 0 (so
 * it holds the headers), data RW [BASE+0x1000, BASE+0x2804) with 0x100 file
 * bytes at offset 0x1000, entry BASE+0x100.  Size 0x2000. */
static void base_image(struct img *m)
{
	memset(m, 0, sizeof(*m));
	m->size = 0x2000;
	memcpy(eh(m)->e_ident, ELFMAG, SELFMAG);
	eh(m)->e_ident[EI_CLASS] = ELFCLASS64;
	eh(m)->e_ident[EI_DATA] = ELFDATA2LSB;
	eh(m)->e_ident[EI_VERSION] = EV_CURRENT;
	eh(m)->e_type = ET_EXEC;
	eh(m)->e_machine = EM_X86_64;
	eh(m)->e_version = EV_CURRENT;
	eh(m)->e_entry = BASE + 0x100;
	eh(m)->e_phoff = sizeof(Elf64_Ehdr);
	eh(m)->e_ehsize = sizeof(Elf64_Ehdr);
	eh(m)->e_phentsize = sizeof(Elf64_Phdr);
	add_ph(m, PT_LOAD, PF_R | PF_X, 0, BASE, 0x1000, 0x1000, 0x1000);
	add_ph(m, PT_LOAD, PF_R | PF_W, 0x1000, BASE + 0x1000, 0x100, 0x1804, 0x1000);
}

/* elf_parse on a copy that ends at a guard page (catches reads past size). */
static int parse_lim(struct img *m, u64 limit, u64 max_mem, struct elf_image *out)
{
	void *g = ut_guarded_copy(m->b, m->size);
	int r = elf_parse(g, m->size, limit, max_mem, out);

	ut_guarded_free(g, m->size);
	return r;
}

static int parse(struct img *m)
{
	struct elf_image im;

	return parse_lim(m, LIMIT, MAXMEM, &im);
}

START_TEST(valid_image_is_described)
{
	struct img m;
	struct elf_image im;

	base_image(&m);
	ck_assert_int_eq(parse_lim(&m, LIMIT, MAXMEM, &im), 0);
	ck_assert_uint_eq(im.entry, BASE + 0x100);
	ck_assert_int_eq(im.nsegs, 2);
	ck_assert_uint_eq(im.segs[0].vaddr, BASE);
	ck_assert_uint_eq(im.segs[0].memsz, 0x1000);
	ck_assert_uint_eq(im.segs[0].filesz, 0x1000);
	ck_assert_uint_eq(im.segs[0].offset, 0);
	ck_assert_uint_eq(im.segs[0].flags, ELF_PF_R | ELF_PF_X);
	ck_assert_uint_eq(im.segs[1].vaddr, BASE + 0x1000);
	ck_assert_uint_eq(im.segs[1].memsz, 0x1804);
	ck_assert_uint_eq(im.segs[1].filesz, 0x100);
	ck_assert_uint_eq(im.segs[1].offset, 0x1000);
	ck_assert_uint_eq(im.segs[1].flags, ELF_PF_R | ELF_PF_W);
	ck_assert_uint_eq(im.brk_start, BASE + 0x3000);
	ck_assert_uint_eq(im.phdr_vaddr, BASE + 64);
	ck_assert_uint_eq(im.phnum, 2);
	ck_assert_uint_eq(im.phentsize, 56);
}
END_TEST

START_TEST(rejects_file_smaller_than_ehdr)
{
	struct img m;

	base_image(&m);
	for (size_t n = 0; n < sizeof(Elf64_Ehdr); n++) {
		m.size = n;
		ck_assert_int_eq(parse(&m), -ENOEXEC);
	}
}
END_TEST

START_TEST(rejects_bad_magic)
{
	struct img m;

	for (int i = 0; i < SELFMAG; i++) {
		base_image(&m);
		m.b[i] ^= 0x20;
		ck_assert_int_eq(parse(&m), -ENOEXEC);
	}
}
END_TEST

START_TEST(rejects_elfclass32)
{
	struct img m;

	base_image(&m);
	eh(&m)->e_ident[EI_CLASS] = ELFCLASS32;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	eh(&m)->e_ident[EI_CLASS] = ELFCLASSNONE;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
}
END_TEST

START_TEST(rejects_big_endian)
{
	struct img m;

	base_image(&m);
	eh(&m)->e_ident[EI_DATA] = ELFDATA2MSB;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
}
END_TEST

START_TEST(rejects_bad_version)
{
	struct img m;

	base_image(&m);
	eh(&m)->e_ident[EI_VERSION] = EV_NONE;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	base_image(&m);
	eh(&m)->e_version = 2;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
}
END_TEST

START_TEST(rejects_non_exec_types)
{
	static const u16 types[] = { ET_NONE, ET_REL, ET_DYN, ET_CORE, 0xfe00 };
	struct img m;

	for (size_t i = 0; i < ARRAY_LEN(types); i++) {
		base_image(&m);
		eh(&m)->e_type = types[i];
		ck_assert_msg(parse(&m) == -ENOEXEC, "e_type %u", types[i]);
	}
}
END_TEST

START_TEST(rejects_other_machines)
{
	static const u16 machines[] = { EM_386, EM_AARCH64, EM_RISCV, 0 };
	struct img m;

	for (size_t i = 0; i < ARRAY_LEN(machines); i++) {
		base_image(&m);
		eh(&m)->e_machine = machines[i];
		ck_assert_int_eq(parse(&m), -ENOEXEC);
	}
}
END_TEST

START_TEST(rejects_bad_phentsize)
{
	struct img m;

	base_image(&m);
	eh(&m)->e_phentsize = 32;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	eh(&m)->e_phentsize = 64;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	eh(&m)->e_phentsize = 0;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
}
END_TEST

START_TEST(rejects_phdr_table_outside_file)
{
	struct img m;

	base_image(&m);                        /* table at 64, 2 entries */
	m.size = 64 + 2 * 56 - 1;              /* ...whose last byte is cut */
	ck_assert_int_eq(parse(&m), -ENOEXEC);

	base_image(&m);
	eh(&m)->e_phoff = m.size;              /* starts at EOF */
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	eh(&m)->e_phoff = m.size - 56;         /* first fits, second does not */
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	eh(&m)->e_phoff = ~0UL - 8;            /* phoff + size would wrap */
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	eh(&m)->e_phoff = ~0UL;
	ck_assert_int_eq(parse(&m), -ENOEXEC);

	base_image(&m);
	eh(&m)->e_phnum = 0xffff;              /* PN_XNUM: far past the file */
	ck_assert_int_eq(parse(&m), -ENOEXEC);
}
END_TEST

START_TEST(rejects_no_load)
{
	struct img m;

	base_image(&m);
	eh(&m)->e_phnum = 0;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	base_image(&m);
	ph(&m, 0)->p_type = PT_NOTE;
	ph(&m, 1)->p_type = PT_GNU_STACK;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	/* loads that map nothing do not count, nor appear in segs */
	base_image(&m);
	add_ph(&m, PT_LOAD, PF_R, 0, BASE + 0x5000, 0, 0, 0x1000);
	struct elf_image im;
	ck_assert_int_eq(parse_lim(&m, LIMIT, MAXMEM, &im), 0);
	ck_assert_int_eq(im.nsegs, 2);
	ck_assert_uint_eq(im.brk_start, BASE + 0x3000);
	base_image(&m);
	set_ph(&m, 0, PT_LOAD, PF_R | PF_X, 0, BASE, 0, 0, 0x1000);
	set_ph(&m, 1, PT_LOAD, PF_R | PF_W, 0, BASE + 0x1000, 0, 0, 0x1000);
	ck_assert_int_eq(parse(&m), -ENOEXEC);
}
END_TEST

/* n page-sized loads, the first executable and holding the entry. */
static void many_loads(struct img *m, int n)
{
	base_image(m);
	eh(m)->e_phnum = 0;
	for (int i = 0; i < n; i++)
		add_ph(m, PT_LOAD, i == 0 ? PF_R | PF_X : PF_R, 0, BASE + 0x1000UL * i,
		       i == 0 ? 0x1000 : 0, 0x1000, 0x1000);
}

START_TEST(accepts_max_loads_rejects_one_more)
{
	struct img m;
	struct elf_image im;

	many_loads(&m, ELF_MAX_SEGS);
	ck_assert_int_eq(parse_lim(&m, LIMIT, MAXMEM, &im), 0);
	ck_assert_int_eq(im.nsegs, ELF_MAX_SEGS);
	ck_assert_uint_eq(im.brk_start, BASE + 0x1000UL * ELF_MAX_SEGS);
	many_loads(&m, ELF_MAX_SEGS + 1);
	ck_assert_int_eq(parse(&m), -ENOEXEC);
}
END_TEST

START_TEST(rejects_pt_interp)
{
	struct img m;

	base_image(&m);
	ck_assert_int_eq(parse(&m), 0);
	add_ph(&m, PT_INTERP, PF_R, 0x200, BASE + 0x200, 0x10, 0x10, 1);
	ck_assert_int_eq(parse(&m), -ENOEXEC);
}
END_TEST

START_TEST(ignores_other_program_headers)
{
	struct img m;
	struct elf_image im;

	base_image(&m);
	add_ph(&m, PT_TLS, PF_R, 0x1000, BASE + 0x1000, 8, 16, 8);
	add_ph(&m, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
	add_ph(&m, PT_GNU_RELRO, PF_R, 0x1000, BASE + 0x1000, 0x40, 0x40, 1);
	add_ph(&m, PT_NOTE, PF_R, 0x300, BASE + 0x300, 0x20, 0x20, 4);
	ck_assert_int_eq(parse_lim(&m, LIMIT, MAXMEM, &im), 0);
	ck_assert_int_eq(im.nsegs, 2);
	ck_assert_uint_eq(im.phnum, 6);
}
END_TEST

START_TEST(rejects_filesz_above_memsz)
{
	struct img m;

	base_image(&m);
	ph(&m, 1)->p_filesz = ph(&m, 1)->p_memsz + 1;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	ph(&m, 1)->p_filesz = ph(&m, 1)->p_memsz;   /* equal is fine (and in the file) */
	m.size = 0x3000;
	ck_assert_int_eq(parse(&m), 0);
}
END_TEST

START_TEST(rejects_file_bytes_outside_file)
{
	struct img m;

	base_image(&m);
	ph(&m, 1)->p_filesz = m.size - 0x1000 + 1;     /* one byte past EOF */
	ph(&m, 1)->p_memsz = 0x2000;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	ph(&m, 1)->p_filesz = m.size - 0x1000;         /* exactly to EOF */
	ck_assert_int_eq(parse(&m), 0);

	base_image(&m);                               /* offset + filesz wraps */
	ph(&m, 1)->p_offset = ~0UL & ~0xfffUL;        /* still congruent to vaddr */
	ph(&m, 1)->p_filesz = 0x1800;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	base_image(&m);
	ph(&m, 1)->p_offset = m.size + 0x1000;        /* starts past EOF, filesz small */
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	base_image(&m);
	ph(&m, 1)->p_filesz = ~0UL;
	ph(&m, 1)->p_memsz = ~0UL;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
}
END_TEST

/* With no user limit to hide it, offset + filesz can wrap to a small value. */
START_TEST(rejects_file_range_wrapping_past_zero)
{
	struct img m;
	struct elf_image im;
	u64 huge = -0x2000UL;                         /* 2^64 - 0x2000 */

	base_image(&m);
	eh(&m)->e_phnum = 1;
	set_ph(&m, 0, PT_LOAD, PF_R | PF_X, 0x2000, 0x1000, huge, huge, 0x1000);
	eh(&m)->e_entry = 0x1100;
	ck_assert_uint_eq(0x2000 + huge, 0);          /* the sum a naive check would use */
	ck_assert_int_eq(parse_lim(&m, ~0UL, ~0UL, &im), -ENOEXEC);
	ph(&m, 0)->p_filesz = 0;                      /* same segment, no file bytes: fine */
	ck_assert_int_eq(parse_lim(&m, ~0UL, ~0UL, &im), 0);
}
END_TEST

START_TEST(rejects_segment_end_overflow_or_above_limit)
{
	struct img m;
	struct elf_image im;
	u64 limit = BASE + 0x3000;                     /* data ends at BASE+0x2804 */

	base_image(&m);
	ck_assert_int_eq(parse_lim(&m, limit, MAXMEM, &im), 0);
	ck_assert_int_eq(parse_lim(&m, limit - 0x1000, MAXMEM, &im), -ENOEXEC);
	/* the last page is mapped whole, so the limit must hold it */
	ck_assert_int_eq(parse_lim(&m, BASE + 0x2804, MAXMEM, &im), -ENOEXEC);
	ph(&m, 1)->p_memsz = 0x2000;                  /* now ends exactly at the limit */
	ck_assert_int_eq(parse_lim(&m, limit, MAXMEM, &im), 0);
	ph(&m, 1)->p_memsz = 0x2001;
	ck_assert_int_eq(parse_lim(&m, limit, MAXMEM, &im), -ENOEXEC);

	base_image(&m);                               /* vaddr + memsz wraps */
	set_ph(&m, 1, PT_LOAD, PF_R | PF_W, 0x1000, 0xfffffffffffff000UL, 0, 0x2000, 0x1000);
	ck_assert_int_eq(parse_lim(&m, ~0UL, MAXMEM, &im), -ENOEXEC);
	ph(&m, 1)->p_memsz = ~0UL;
	ck_assert_int_eq(parse_lim(&m, ~0UL, MAXMEM, &im), -ENOEXEC);
	base_image(&m);                               /* kernel half */
	set_ph(&m, 1, PT_LOAD, PF_R | PF_W, 0x1000, 0xffff800000001000UL, 0, 0x1000, 0x1000);
	ck_assert_int_eq(parse(&m), -ENOEXEC);
}
END_TEST

START_TEST(rejects_null_page)
{
	struct img m;

	base_image(&m);
	set_ph(&m, 0, PT_LOAD, PF_R | PF_X, 0, 0, 0x1000, 0x1000, 0x1000);
	eh(&m)->e_entry = 0x100;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	set_ph(&m, 0, PT_LOAD, PF_R | PF_X, 0, 0xfff, 0x1000, 0x1000, 1);
	eh(&m)->e_entry = 0x1000;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	set_ph(&m, 0, PT_LOAD, PF_R | PF_X, 0, 0x1000, 0x1000, 0x1000, 0x1000);
	eh(&m)->e_entry = 0x1100;
	ck_assert_int_eq(parse(&m), 0);                /* lowest allowed */
}
END_TEST

START_TEST(rejects_vaddr_offset_misalignment)
{
	struct img m;

	base_image(&m);
	ph(&m, 1)->p_vaddr += 0x10;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	ph(&m, 1)->p_align = 1;                       /* no alignment promised: copy */
	ck_assert_int_eq(parse(&m), 0);
	ph(&m, 1)->p_align = 0;
	ck_assert_int_eq(parse(&m), 0);
	ph(&m, 1)->p_align = 2;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	base_image(&m);                               /* congruent but not page aligned */
	set_ph(&m, 1, PT_LOAD, PF_R | PF_W, 0x1010, BASE + 0x1010, 0x10, 0x10, 0x1000);
	ck_assert_int_eq(parse(&m), 0);
}
END_TEST

START_TEST(rejects_overlapping_loads)
{
	struct img m;
	struct elf_image im;

	base_image(&m);                               /* data starts inside text */
	ph(&m, 1)->p_vaddr = BASE + 0x0fff;
	ph(&m, 1)->p_offset = 0x0fff;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	base_image(&m);                               /* identical */
	set_ph(&m, 1, PT_LOAD, PF_R, 0, BASE, 0x1000, 0x1000, 0x1000);
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	base_image(&m);                               /* contained */
	set_ph(&m, 1, PT_LOAD, PF_R, 0x100, BASE + 0x100, 0x10, 0x10, 0x1000);
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	base_image(&m);                               /* contains (listed first) */
	set_ph(&m, 1, PT_LOAD, PF_R | PF_X, 0, BASE, 0x100, 0x100, 0x1000);
	set_ph(&m, 0, PT_LOAD, PF_R | PF_W, 0, BASE - 0x1000, 0, 0x3000, 0x1000);
	ck_assert_int_eq(parse(&m), -ENOEXEC);

	/* sharing a page without sharing a byte is allowed (as musl's RW does) */
	base_image(&m);
	set_ph(&m, 0, PT_LOAD, PF_R | PF_X, 0, BASE, 0x800, 0x800, 0x1000);
	set_ph(&m, 1, PT_LOAD, PF_R | PF_W, 0x800, BASE + 0x800, 0x100, 0x900, 0x1000);
	ck_assert_int_eq(parse_lim(&m, LIMIT, MAXMEM, &im), 0);
	ck_assert_uint_eq(im.brk_start, BASE + 0x2000);
}
END_TEST

START_TEST(rejects_entry_outside_executable_load)
{
	struct img m;
	struct elf_image im;

	base_image(&m);
	eh(&m)->e_entry = BASE + 0x1000 + 0x10;       /* in the RW data */
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	eh(&m)->e_entry = BASE + 0x1000;              /* one past the text */
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	eh(&m)->e_entry = BASE - 1;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	eh(&m)->e_entry = 0;
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	eh(&m)->e_entry = BASE + 0x10000;             /* unmapped */
	ck_assert_int_eq(parse(&m), -ENOEXEC);
	eh(&m)->e_entry = BASE + 0xfff;               /* last text byte */
	ck_assert_int_eq(parse_lim(&m, LIMIT, MAXMEM, &im), 0);
	ck_assert_uint_eq(im.entry, BASE + 0xfff);
	eh(&m)->e_entry = BASE;
	ck_assert_int_eq(parse(&m), 0);
	ph(&m, 0)->p_flags = PF_R;                    /* text not executable */
	ck_assert_int_eq(parse(&m), -ENOEXEC);
}
END_TEST

START_TEST(enomem_only_for_valid_files_above_max_mem)
{
	struct img m;
	struct elf_image im;

	base_image(&m);                               /* 1 + 2 pages */
	ck_assert_int_eq(parse_lim(&m, LIMIT, 0x3000, &im), 0);
	ck_assert_int_eq(parse_lim(&m, LIMIT, 0x2fff, &im), -ENOMEM);
	ck_assert_int_eq(parse_lim(&m, LIMIT, 0, &im), -ENOMEM);
	eh(&m)->e_machine = EM_386;                   /* invalid wins over too big */
	ck_assert_int_eq(parse_lim(&m, LIMIT, 0, &im), -ENOEXEC);
}
END_TEST

START_TEST(phdr_vaddr_zero_when_not_loaded)
{
	struct img m;
	struct elf_image im;

	base_image(&m);                               /* text no longer maps offset 0 */
	set_ph(&m, 0, PT_LOAD, PF_R | PF_X, 0x1000, BASE + 0x1000, 0x100, 0x100, 0x1000);
	set_ph(&m, 1, PT_LOAD, PF_R | PF_W, 0x1100, BASE + 0x2100, 0x100, 0x100, 0x1000);
	eh(&m)->e_entry = BASE + 0x1000;
	ck_assert_int_eq(parse_lim(&m, LIMIT, MAXMEM, &im), 0);
	ck_assert_uint_eq(im.phdr_vaddr, 0);
	/* in the bss part only (memsz, not filesz): still not loaded from the file */
	set_ph(&m, 0, PT_LOAD, PF_R | PF_X, 0, BASE, 0x40, 0x1000, 0x1000);
	eh(&m)->e_entry = BASE + 0x100;
	ck_assert_int_eq(parse_lim(&m, LIMIT, MAXMEM, &im), 0);
	ck_assert_uint_eq(im.phdr_vaddr, 0);
	/* headers at offset 0x40 of a segment loaded from offset 0 at BASE+0x1000 */
	set_ph(&m, 0, PT_LOAD, PF_R | PF_X, 0, BASE + 0x1000, 0x100, 0x100, 0x1000);
	eh(&m)->e_entry = BASE + 0x1000;
	ck_assert_int_eq(parse_lim(&m, LIMIT, MAXMEM, &im), 0);
	ck_assert_uint_eq(im.phdr_vaddr, BASE + 0x1040);
}
END_TEST

/* Every truncation of a valid file is refused without reading past its end. */
START_TEST(every_truncation_is_refused)
{
	struct img m;

	base_image(&m);
	for (size_t n = 0; n < 0x1100; n++) {
		m.size = n;
		ck_assert_msg(parse(&m) == -ENOEXEC, "size %zu", n);
	}
	m.size = 0x1100;                              /* data's file bytes end here */
	ck_assert_int_eq(parse(&m), 0);
}
END_TEST

/* Random corruption of the headers never crashes, and whatever is accepted
 * satisfies the contract the loader relies on. */
START_TEST(corrupted_headers_keep_invariants)
{
	static const u64 odd[] = { 0, 1, 0xfff, 0x1000, BASE, ~0UL, ~0UL - 0xfff, LIMIT,
	                           LIMIT - 0x1000, 0x8000000000000000UL, 56, 64 };
	struct img m;
	struct elf_image im;
	unsigned seed = 12345;
	int accepted = 0;

	for (int round = 0; round < 20000; round++) {
		base_image(&m);
		for (int k = 0; k < 1 + round % 3; k++) {
			size_t at = rand_r(&seed) % (64 + 2 * 56);
			if (rand_r(&seed) % 2)
				m.b[at] = rand_r(&seed);
			else if (at + 8 <= 64 + 2 * 56)
				memcpy(m.b + at, &odd[rand_r(&seed) % ARRAY_LEN(odd)], 8);
		}
		int r = parse_lim(&m, LIMIT, MAXMEM, &im);
		ck_assert(r == 0 || r == -ENOEXEC || r == -ENOMEM);
		if (r != 0)
			continue;
		accepted++;
		ck_assert_int_ge(im.nsegs, 1);
		ck_assert_int_le(im.nsegs, ELF_MAX_SEGS);
		bool entry_ok = false;
		for (int i = 0; i < im.nsegs; i++) {
			struct elf_seg *s = &im.segs[i];
			ck_assert_uint_ge(s->vaddr, 0x1000);
			ck_assert_uint_le(s->filesz, s->memsz);
			ck_assert_uint_le(s->memsz, LIMIT - s->vaddr);
			ck_assert_uint_le(s->offset, m.size);
			ck_assert_uint_le(s->filesz, m.size - s->offset);
			ck_assert_uint_le(s->vaddr + s->memsz, im.brk_start);
			if ((s->flags & ELF_PF_X) && im.entry >= s->vaddr && im.entry < s->vaddr + s->memsz)
				entry_ok = true;
		}
		ck_assert(entry_ok);
		ck_assert_uint_eq(im.brk_start % 4096, 0);
		ck_assert_uint_le(im.brk_start, LIMIT);
	}
	ck_assert_int_gt(accepted, 0);     /* the sweep did exercise the accept path */
}
END_TEST

/* readelf's view of the musl binary, as check.mk wrote it. */
struct expect {
	u64 entry, phoff, phnum;
	int nloads;
	struct elf_seg loads[ELF_MAX_SEGS];
};

static u32 flags_from_readelf(const char *s)
{
	u32 f = 0;

	for (; *s; s++)
		f |= *s == 'R' ? ELF_PF_R : *s == 'W' ? ELF_PF_W : *s == 'E' ? ELF_PF_X : 0;
	return f;
}

static void read_expect(struct expect *e)
{
	size_t len;
	char *text = ut_read_fixture("hello-static.readelf", &len);
	char *line, *save = NULL, fl[8];

	memset(e, 0, sizeof(*e));
	text = realloc(text, len + 1);
	text[len] = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct elf_seg *s = &e->loads[e->nloads];
		if (sscanf(line, "entry %lx", &e->entry) == 1 || sscanf(line, "phoff %lu", &e->phoff) == 1 ||
		    sscanf(line, "phnum %lu", &e->phnum) == 1)
			continue;
		ck_assert_int_eq(sscanf(line, "load %lx %lx %lx %lx %7s", &s->offset, &s->vaddr,
		                        &s->filesz, &s->memsz, fl), 5);
		s->flags = flags_from_readelf(fl);
		ck_assert_int_lt(++e->nloads, ELF_MAX_SEGS);
	}
	free(text);
	ck_assert_uint_ne(e->entry, 0);
	ck_assert_uint_ne(e->phnum, 0);
}

START_TEST(musl_static_binary_matches_readelf)
{
	struct expect e;
	struct elf_image im;
	size_t size;
	void *raw = ut_read_fixture("hello-static", &size);
	void *g = ut_guarded_copy(raw, size);
	u64 want_phdr = 0;

	read_expect(&e);
	ck_assert_int_eq(elf_parse(g, size, LIMIT, MAXMEM, &im), 0);
	ck_assert_uint_eq(im.entry, e.entry);
	ck_assert_uint_eq(im.phnum, e.phnum);
	ck_assert_uint_eq(im.phentsize, 56);
	ck_assert_int_eq(im.nsegs, e.nloads);
	for (int i = 0; i < e.nloads; i++) {
		ck_assert_uint_eq(im.segs[i].offset, e.loads[i].offset);
		ck_assert_uint_eq(im.segs[i].vaddr, e.loads[i].vaddr);
		ck_assert_uint_eq(im.segs[i].filesz, e.loads[i].filesz);
		ck_assert_uint_eq(im.segs[i].memsz, e.loads[i].memsz);
		ck_assert_uint_eq(im.segs[i].flags, e.loads[i].flags);
		if (!want_phdr && e.phoff >= e.loads[i].offset &&
		    e.phoff + e.phnum * 56 <= e.loads[i].offset + e.loads[i].filesz)
			want_phdr = e.loads[i].vaddr + e.phoff - e.loads[i].offset;
	}
	/* musl -static puts the headers at offset 64 of a LOAD at 0x400000 */
	ck_assert_uint_ne(want_phdr, 0);
	ck_assert_uint_eq(im.phdr_vaddr, want_phdr);
	ck_assert_uint_eq(im.brk_start % 4096, 0);
	ck_assert_uint_ge(im.brk_start, e.loads[e.nloads - 1].vaddr + e.loads[e.nloads - 1].memsz);
	ck_assert_uint_lt(im.brk_start, e.loads[e.nloads - 1].vaddr + e.loads[e.nloads - 1].memsz + 4096);

	/* the same file against a too-low user limit, and too little memory */
	ck_assert_int_eq(elf_parse(g, size, im.brk_start - 4096, MAXMEM, &im), -ENOEXEC);
	ck_assert_int_eq(elf_parse(g, size, LIMIT, 4096, &im), -ENOMEM);
	ut_guarded_free(g, size);
	free(raw);
}
END_TEST

static int parse_fixture(const char *name)
{
	struct elf_image im;
	size_t size;
	void *raw = ut_read_fixture(name, &size);
	int r = elf_parse(raw, size, LIMIT, MAXMEM, &im);

	free(raw);
	return r;
}

START_TEST(musl_dynamic_binaries_are_refused)
{
	ck_assert_int_eq(parse_fixture("hello-dynamic"), -ENOEXEC);   /* PT_INTERP */
	ck_assert_int_eq(parse_fixture("hello-pie"), -ENOEXEC);       /* ET_DYN */
}
END_TEST

static Suite *elf_suite(void)
{
	Suite *s = suite_create("elf");
	TCase *hdr = tcase_create("ehdr");
	TCase *seg = tcase_create("segments");
	TCase *robust = tcase_create("robustness");
	TCase *real = tcase_create("musl");

	tcase_add_test(hdr, valid_image_is_described);
	tcase_add_test(hdr, rejects_file_smaller_than_ehdr);
	tcase_add_test(hdr, rejects_bad_magic);
	tcase_add_test(hdr, rejects_elfclass32);
	tcase_add_test(hdr, rejects_big_endian);
	tcase_add_test(hdr, rejects_bad_version);
	tcase_add_test(hdr, rejects_non_exec_types);
	tcase_add_test(hdr, rejects_other_machines);
	tcase_add_test(hdr, rejects_bad_phentsize);
	tcase_add_test(hdr, rejects_phdr_table_outside_file);
	tcase_add_test(seg, rejects_no_load);
	tcase_add_test(seg, accepts_max_loads_rejects_one_more);
	tcase_add_test(seg, rejects_pt_interp);
	tcase_add_test(seg, ignores_other_program_headers);
	tcase_add_test(seg, rejects_filesz_above_memsz);
	tcase_add_test(seg, rejects_file_bytes_outside_file);
	tcase_add_test(seg, rejects_file_range_wrapping_past_zero);
	tcase_add_test(seg, rejects_segment_end_overflow_or_above_limit);
	tcase_add_test(seg, rejects_null_page);
	tcase_add_test(seg, rejects_vaddr_offset_misalignment);
	tcase_add_test(seg, rejects_overlapping_loads);
	tcase_add_test(seg, rejects_entry_outside_executable_load);
	tcase_add_test(seg, enomem_only_for_valid_files_above_max_mem);
	tcase_add_test(seg, phdr_vaddr_zero_when_not_loaded);
	tcase_add_test(robust, every_truncation_is_refused);
	tcase_add_test(robust, corrupted_headers_keep_invariants);
	tcase_set_timeout(robust, 60);
	tcase_add_test(real, musl_static_binary_matches_readelf);
	tcase_add_test(real, musl_dynamic_binaries_are_refused);
	suite_add_tcase(s, hdr);
	suite_add_tcase(s, seg);
	suite_add_tcase(s, robust);
	suite_add_tcase(s, real);
	return s;
}

int main(void)
{
	return ut_run(elf_suite());
}
