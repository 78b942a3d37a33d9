/* Validation of static ELF64 x86-64 executables, and the load plan exec
 * follows.  Pure code (no allocation, no state): exec calls elf_parse on the
 * file's bytes before touching the caller's address space, so a bad file is
 * an error return, never a dead caller.  Host tests: kernel/tests/test_elf.c. */
#ifndef PROC_ELF_H
#define PROC_ELF_H

#include "lib/types.h"

#define ELF_MAX_SEGS 16

/* p_flags bits (named ELF_ so they never clash with <elf.h>'s PF_*). */
#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

/* One PT_LOAD: map [vaddr, vaddr+memsz) with flags, copy filesz bytes from
 * file offset `offset` to vaddr, zero the rest.  Segments may share a page
 * (never a byte): the loader ORs the permissions of a shared page. */
struct elf_seg {
	u64 vaddr, memsz, filesz, offset;
	u32 flags;                /* ELF_PF_X | ELF_PF_W | ELF_PF_R */
};

struct elf_image {
	u64 entry;
	int nsegs;                /* PT_LOADs with memsz > 0, in file order */
	struct elf_seg segs[ELF_MAX_SEGS];
	u64 brk_start;            /* page-aligned end of the highest segment */
	u64 phdr_vaddr;           /* user address of the program headers (AT_PHDR),
	                           * 0 when no segment's file bytes hold them */
	u16 phnum, phentsize;     /* AT_PHNUM, AT_PHENT */
};

/* Check that data[0, size) is a static x86-64 ELF64 ET_EXEC whose loadable
 * segments all fit in [0x1000, user_limit) and describe it in *out.
 * Returns 0; -ENOEXEC for anything malformed or unsupported (dynamic
 * executables: ET_DYN, PT_INTERP); -ENOMEM when the file is valid but its
 * segments need more than max_mem bytes of whole pages.  data need not be
 * aligned.  *out is only meaningful after a 0 return. */
int elf_parse(const void *data, size_t size, u64 user_limit, u64 max_mem,
              struct elf_image *out);

#endif
