/* Where trace bytes go.
 *
 * Preferred: a buffer in memory shared with the host (QEMU's ivshmem-plain
 * device backed by a file, set up by scripts/levitate-qemu --trace): a record
 * costs a memcpy.  Fallback: QEMU's debug console, port 0xE9, which QEMU
 * writes to its file one byte per host write(), about a microsecond a byte.
 *
 * Shared buffer layout (the host reads it after QEMU exits):
 *   0   "LEVTRACE"   magic, written last at setup
 *   8   u64 used     bytes of JSONL data so far
 *   16  u64 lost     set when a record did not fit; nothing is written after it
 *   64  data         the JSONL trace */
#include "trace/trace.h"
#include "trace/json.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pci.h"
#include "mm/vm.h"
#include "lib/string.h"

#define DEBUGCON_PORT 0xE9
#define IVSHMEM_VENDOR 0x1AF4
#define IVSHMEM_DEVICE 0x1110
#define IVSHMEM_SHM_BAR 2
#define SHM_DATA 64

struct shm_header {
	char magic[8];
	volatile u64 used;
	volatile u64 lost;
};

static struct shm_header *shm;
static u64 shm_capacity;

void trace_channel_init(void)
{
	u64 pa, size;
	int dev = pci_find(IVSHMEM_VENDOR, IVSHMEM_DEVICE);

	if (dev < 0 || pci_bar64(dev, IVSHMEM_SHM_BAR, &pa, &size) < 0 || size < (1UL << 20))
		return;
	shm = kmap_phys(pa, size);
	if (!shm)
		return;
	shm->used = 0;
	shm->lost = 0;
	shm_capacity = size - SHM_DATA;
	memcpy(shm->magic, "LEVTRACE", 8);
}

void trace_write(const void *buf, size_t n)
{
	if (!shm) {
		outsb(DEBUGCON_PORT, buf, n);
		return;
	}
	if (shm->lost || n > shm_capacity - shm->used) {
		shm->lost = 1;             /* the host reports it; seq shows where */
		return;
	}
	json_copy((char *)shm + SHM_DATA + shm->used, buf, n);   /* fewer TCG blocks than memcpy */
	shm->used += n;
}
