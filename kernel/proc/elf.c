/* ELF64 executable validation: see elf.h for the contract.
 *
 * Every header field is distrusted: sizes and offsets are compared by
 * subtraction against what is known to be in range, so no sum can wrap. */
#include "proc/elf.h"
#include "lib/errno.h"
#include "lib/string.h"

/* The on-disk structures (System V gABI, ELF64 little-endian). */
struct ehdr {
	u8 ident[16];
	u16 type, machine;
	u32 version;
	u64 entry, phoff, shoff;
	u32 flags;
	u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	u32 type, flags;
	u64 offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct phdr) == 56, "ELF64 program header is 56 bytes");

#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_INTERP 3

/* Lowest address a segment may use: page 0 stays unmapped so NULL faults. */
#define USER_MIN 0x1000UL

/* Identity, type and program header table of the file header. */
static int check_ehdr(const struct ehdr *h, size_t size)
{
	if (memcmp(h->ident, "\177ELF", 4) != 0)
		return -ENOEXEC;
	if (h->ident[EI_CLASS] != ELFCLASS64 || h->ident[EI_DATA] != ELFDATA2LSB)
		return -ENOEXEC;
	if (h->ident[EI_VERSION] != EV_CURRENT || h->version != EV_CURRENT)
		return -ENOEXEC;
	if (h->type != ET_EXEC || h->machine != EM_X86_64)   /* no dynamic loader */
		return -ENOEXEC;
	if (h->phentsize != sizeof(struct phdr) || h->phnum == 0)
		return -ENOEXEC;
	if (h->phoff > size || (u64)h->phnum * sizeof(struct phdr) > size - h->phoff)
		return -ENOEXEC;
	return 0;
}

/* One PT_LOAD against the file and the user address range. */
static int check_load(const struct phdr *p, size_t size, u64 user_limit)
{
	if (p->filesz > p->memsz)
		return -ENOEXEC;
	if (p->offset > size || p->filesz > size - p->offset)
		return -ENOEXEC;
	if (p->vaddr < USER_MIN || p->vaddr > user_limit || p->memsz > user_limit - p->vaddr)
		return -ENOEXEC;
	/* The end's page must fit too: the loader maps whole pages. */
	if (p->vaddr + p->memsz > ALIGN_DOWN(user_limit, PAGE_SIZE))
		return -ENOEXEC;
	if (p->align > 1 && p->vaddr % PAGE_SIZE != p->offset % PAGE_SIZE)
		return -ENOEXEC;
	return 0;
}

static bool segs_overlap(const struct elf_seg *a, const struct elf_seg *b)
{
	return a->vaddr < b->vaddr + b->memsz && b->vaddr < a->vaddr + a->memsz;
}

static bool entry_is_executable(const struct elf_image *im)
{
	for (int i = 0; i < im->nsegs; i++) {
		const struct elf_seg *s = &im->segs[i];
		if ((s->flags & ELF_PF_X) && im->entry >= s->vaddr && im->entry - s->vaddr < s->memsz)
			return true;
	}
	return false;
}

/* Walk the program headers: validate each, collect the PT_LOADs. */
static int collect_loads(const u8 *file, size_t size, const struct ehdr *h,
                         u64 user_limit, struct elf_image *im)
{
	struct phdr p;
	int r;

	im->nsegs = 0;
	for (int i = 0; i < h->phnum; i++) {
		memcpy(&p, file + h->phoff + (u64)i * sizeof(p), sizeof(p));
		if (p.type == PT_INTERP)
			return -ENOEXEC;
		if (p.type != PT_LOAD)
			continue;
		if ((r = check_load(&p, size, user_limit)) < 0)
			return r;
		if (p.memsz == 0)      /* maps nothing */
			continue;
		if (im->nsegs == ELF_MAX_SEGS)
			return -ENOEXEC;
		im->segs[im->nsegs++] = (struct elf_seg){
			.vaddr = p.vaddr, .memsz = p.memsz, .filesz = p.filesz,
			.offset = p.offset, .flags = p.flags & (ELF_PF_X | ELF_PF_W | ELF_PF_R),
		};
	}
	return im->nsegs > 0 ? 0 : -ENOEXEC;
}

/* Where the program headers appear in user memory: inside the file bytes of
 * some segment, else 0 (no AT_PHDR). */
static u64 find_phdr_vaddr(const struct elf_image *im, u64 phoff, u64 phsize)
{
	for (int i = 0; i < im->nsegs; i++) {
		const struct elf_seg *s = &im->segs[i];
		if (phoff >= s->offset && phsize <= s->filesz &&
		    phoff - s->offset <= s->filesz - phsize)
			return s->vaddr + (phoff - s->offset);
	}
	return 0;
}

/* Whole pages the segments cover (a page shared by two counts twice: an
 * overestimate by at most one page per segment). */
static u64 pages_bytes(const struct elf_image *im)
{
	u64 total = 0;

	for (int i = 0; i < im->nsegs; i++) {
		const struct elf_seg *s = &im->segs[i];
		total += ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE) - ALIGN_DOWN(s->vaddr, PAGE_SIZE);
	}
	return total;
}

int elf_parse(const void *data, size_t size, u64 user_limit, u64 max_mem,
              struct elf_image *out)
{
	struct ehdr h;
	u64 top = 0;
	int r;

	if (size < sizeof(h))
		return -ENOEXEC;
	memcpy(&h, data, sizeof(h));
	if ((r = check_ehdr(&h, size)) < 0)
		return r;
	if ((r = collect_loads(data, size, &h, user_limit, out)) < 0)
		return r;
	for (int i = 0; i < out->nsegs; i++)
		for (int j = i + 1; j < out->nsegs; j++)
			if (segs_overlap(&out->segs[i], &out->segs[j]))
				return -ENOEXEC;
	out->entry = h.entry;
	if (!entry_is_executable(out))
		return -ENOEXEC;
	for (int i = 0; i < out->nsegs; i++)
		top = MAX(top, out->segs[i].vaddr + out->segs[i].memsz);
	out->brk_start = ALIGN_UP(top, PAGE_SIZE);
	out->phnum = h.phnum;
	out->phentsize = h.phentsize;
	out->phdr_vaddr = find_phdr_vaddr(out, h.phoff, (u64)h.phnum * h.phentsize);
	if (pages_bytes(out) > max_mem)
		return -ENOMEM;
	return 0;
}
