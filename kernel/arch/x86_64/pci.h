#ifndef ARCH_PCI_H
#define ARCH_PCI_H

#include "lib/types.h"

u32 pci_read32(int dev, int fn, int reg);
void pci_write32(int dev, int fn, int reg, u32 v);
/* Slot of the first bus-0 device with these ids, or -1. */
int pci_find(u16 vendor, u16 device);
/* Address and size of 64-bit memory BAR `bar` of dev (function 0); -1 if none. */
int pci_bar64(int dev, int bar, u64 *addr, u64 *size);

#endif
