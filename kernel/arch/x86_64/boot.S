/* Multiboot (v1) entry: QEMU's -kernel loads the flat image at 1 MiB using the
 * header's address fields (the "a.out kludge"), so the kernel can be a plain
 * 64-bit image.  We arrive in 32-bit protected mode without paging; build the
 * boot page tables' CR3, enable long mode, and jump to the higher half. */
#include "arch/x86_64/memlayout.h"

#define MB_MAGIC 0x1BADB002
#define MB_FLAGS ((1 << 0) | (1 << 1) | (1 << 16))  /* page-align modules, memory map, address fields */
#define PHYS(x) ((x) - KERNEL_VMA)

	.section .multiboot, "a"
	.align 4
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long PHYS(mb_header)
	.long PHYS(_kernel_start)
	.long PHYS(_load_end)
	.long PHYS(_kernel_end)
	.long PHYS(_start)

	.section .text.boot, "ax"
	.code32
	.globl _start
_start:
	cli
	mov %eax, %edi                  /* multiboot magic */
	mov %ebx, %esi                  /* multiboot info (physical) */
	mov $PHYS(boot_stack_top), %esp

	mov $PHYS(boot_pml4), %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $(1 << 5), %eax              /* PAE */
	mov %eax, %cr4
	mov $0xC0000080, %ecx           /* EFER: long mode, no-execute */
	rdmsr
	or $((1 << 8) | (1 << 11)), %eax
	wrmsr
	mov %cr0, %eax
	or $((1 << 31) | (1 << 16)), %eax   /* paging, write-protect */
	mov %eax, %cr0

	lgdt PHYS(boot_gdtr)
	ljmp $0x08, $PHYS(long_mode)

	.code64
long_mode:
	movabs $higher_half, %rax
	jmp *%rax
higher_half:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %ax, %ax
	mov %ax, %fs
	mov %ax, %gs
	movabs $boot_stack_top, %rsp
	mov %edi, %edi                  /* upper halves are undefined after the switch */
	mov %esi, %esi
	call kmain
1:	hlt
	jmp 1b

	.section .data
	.align 16
boot_gdt:
	.quad 0
	.quad 0x00AF9A000000FFFF        /* 64-bit kernel code */
	.quad 0x00CF92000000FFFF        /* kernel data */
boot_gdtr:
	.word boot_gdtr - boot_gdt - 1
	.long PHYS(boot_gdt)

	/* Boot page tables: the first 1 GiB of RAM in 2 MiB pages, seen three
	 * ways: identity (only until kmain drops it), the direct map, and the
	 * kernel image at -2 GiB. */
	.align 4096
	.globl boot_pml4
boot_pml4:
	.quad PHYS(boot_pdpt_low) + 3
	.fill 255, 8, 0
	.quad PHYS(boot_pdpt_low) + 3
	.fill 254, 8, 0
	.quad PHYS(boot_pdpt_high) + 3
boot_pdpt_low:
	.quad PHYS(boot_pd) + 3
	.fill 511, 8, 0
	.globl boot_pdpt_high
boot_pdpt_high:
	.fill 510, 8, 0
	.quad PHYS(boot_pd) + 3
	.quad 0
boot_pd:
	.set i, 0
	.rept 512
	.quad (i << 21) | 0x83
	.set i, i + 1
	.endr

	/* The page below the boot stack (the scheduler's stack) is left
	 * unmapped by kpage.c: an overflow faults, then double-faults onto its
	 * own stack and panics, instead of overwriting .bss. */
	.section .bss
	.align 4096
	.globl boot_stack_guard
boot_stack_guard:
	.skip 4096
boot_stack:
	.skip 16384
	.globl boot_stack_top
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
