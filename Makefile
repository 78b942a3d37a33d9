# Levitate: the one entry point.  `make run` boots to the shell, `make test`
# runs every test; both install missing Debian packages first.
#
#   make run [EXTRA=dir] [INIT='/bin/prog args'] [TRACE=file.jsonl]
#   make test | bench | stress | abi | abi-check | debug | clean
#   make conformance | conformance-linux   (docs/conformance.md)

PY := /usr/bin/python3
BUILD := build
KCC := gcc
KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-mno-red-zone -mcmodel=kernel -mgeneral-regs-only -fno-omit-frame-pointer \
	-Wall -Wextra -Werror -I kernel -MMD -MP
KSRC := $(shell find kernel -name '*.c' -not -path 'kernel/tests/*') \
	$(wildcard kernel/arch/x86_64/*.S)
KOBJ := $(patsubst %,$(BUILD)/%.o,$(KSRC))

.PHONY: all deps run test bench stress abi abi-check debug clean kernel initramfs
all: kernel initramfs

deps:
	@scripts/setup.sh

kernel: $(BUILD)/kernel.bin

$(BUILD)/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(KCC) $(KCFLAGS) -c $< -o $@

$(BUILD)/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(KCC) $(KCFLAGS) -c $< -o $@

$(BUILD)/kernel.elf: $(KOBJ) kernel/arch/x86_64/linker.ld
	@echo "  LD      $@"
	@ld -n -nostdlib -z max-page-size=0x1000 --no-warn-rwx-segments -T kernel/arch/x86_64/linker.ld -o $@ $(KOBJ)

# QEMU loads this flat image through the Multiboot header's address fields;
# kernel.elf keeps the symbols for gdb.
$(BUILD)/kernel.bin: $(BUILD)/kernel.elf
	@objcopy -O binary $< $@

-include $(KOBJ:.o=.d)
include userspace/userspace.mk
include kernel/tests/check.mk
include conformance/conformance.mk

# The initramfs: the built userspace, then EXTRA's files at the same paths.
initramfs: rootfs
	@rm -rf $(BUILD)/initramfs-root && mkdir -p $(BUILD)/initramfs-root
	@# Only the files userspace.mk lists: a stale file in build/rootfs (an applet
	@# since removed) must not reach the initramfs and change what ls /bin says.
	@cd $(US_ROOTFS) && cp -a --parents $(patsubst $(US_ROOTFS)/%,%,$(US_ROOTFS_FILES)) ../initramfs-root/
	@if [ -n "$(EXTRA)" ]; then cp -a "$(EXTRA)"/. $(BUILD)/initramfs-root/; fi
	@cd $(BUILD)/initramfs-root && find . -mindepth 1 | LC_ALL=C sort | \
		cpio -o -H newc --quiet --reproducible > ../initramfs.cpio

QEMU_ARGS = $(if $(TRACE),--trace $(abspath $(TRACE)))

run: deps all
	@echo "Levitate: Ctrl-A x quits QEMU."
	@scripts/levitate-qemu $(QEMU_ARGS) $(if $(INIT),-- $(INIT))

debug: deps all
	@echo "QEMU waits for gdb: gdb $(BUILD)/kernel.elf -ex 'target remote :1234'"
	@scripts/levitate-qemu --gdb $(QEMU_ARGS) $(if $(INIT),-- $(INIT))

abi:
	$(PY) abi/gen.py

abi-check:
	$(PY) abi/gen.py --check

test: deps all abi-check unit-test userspace-test
	$(PY) -m pytest -q abi/tests testkit/tests conformance/tests

bench: deps all
	$(PY) scripts/bench.py

# The hostile tests (docs/hostile.md) at length: a million fuzzed calls.
stress: deps all
	HOSTILE_FUZZ_CALLS=1000000 HOSTILE_FORKBOMB_ROUNDS=20 \
		$(PY) -m pytest -q testkit/tests/test_hostile.py

clean:
	rm -rf $(BUILD)
