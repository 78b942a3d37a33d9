/* Just enough PCI to find one device: configuration mechanism #1 (ports
 * 0xCF8/0xCFC), bus 0 only, which is where QEMU puts its devices. */
#include "arch/x86_64/pci.h"
#include "arch/x86_64/cpu.h"

#define PCI_ADDR 0xCF8
#define PCI_DATA 0xCFC

static u32 config_address(int dev, int fn, int reg)
{
	return 0x80000000u | ((u32)dev << 11) | ((u32)fn << 8) | ((u32)reg & 0xFC);
}

u32 pci_read32(int dev, int fn, int reg)
{
	outl(PCI_ADDR, config_address(dev, fn, reg));
	return inl(PCI_DATA);
}

void pci_write32(int dev, int fn, int reg, u32 v)
{
	outl(PCI_ADDR, config_address(dev, fn, reg));
	outl(PCI_DATA, v);
}

int pci_find(u16 vendor, u16 device)
{
	for (int dev = 0; dev < 32; dev++) {
		u32 id = pci_read32(dev, 0, 0);
		if ((id & 0xFFFF) == vendor && (id >> 16) == device)
			return dev;
	}
	return -1;
}

/* Where an unassigned 64-bit BAR goes: 32 GiB, above any RAM this machine
 * is given and inside the 40 physical address bits of QEMU's -cpu max.
 * SeaBIOS assigns every BAR; qboot, the firmware scripts/levitate-qemu
 * boots with (150 ms less per boot), assigns none. */
#define PCI_BAR64_WINDOW (32UL << 30)

/* A 64-bit memory BAR's address and size (size found the standard way:
 * write all ones, read back the writable bits, restore); one the firmware
 * left at 0 is placed at PCI_BAR64_WINDOW, aligned to its size. */
int pci_bar64(int dev, int bar, u64 *addr, u64 *size)
{
	int reg = 0x10 + 4 * bar;
	u32 lo = pci_read32(dev, 0, reg), hi = pci_read32(dev, 0, reg + 4), cmd;
	u32 szlo, szhi;

	if ((lo & 0x7) != 0x4)         /* memory space, 64-bit */
		return -1;
	cmd = pci_read32(dev, 0, 0x04);
	pci_write32(dev, 0, 0x04, cmd & ~2u);      /* decoding off while sizing */
	pci_write32(dev, 0, reg, 0xFFFFFFFF);
	pci_write32(dev, 0, reg + 4, 0xFFFFFFFF);
	szlo = pci_read32(dev, 0, reg);
	szhi = pci_read32(dev, 0, reg + 4);
	*size = ~((((u64)szhi << 32) | (szlo & ~0xFu))) + 1;
	*addr = ((u64)hi << 32) | (lo & ~0xFu);
	if (*addr == 0 && *size && *size <= PCI_BAR64_WINDOW)
		*addr = ALIGN_UP(PCI_BAR64_WINDOW, *size);
	pci_write32(dev, 0, reg, (u32)*addr | (lo & 0xFu));
	pci_write32(dev, 0, reg + 4, (u32)(*addr >> 32));
	pci_write32(dev, 0, 0x04, cmd | 2u);
	return *addr ? 0 : -1;
}
