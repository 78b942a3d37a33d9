# Levitate: the one entry point.  `make run` boots to the shell, `make test`
# runs every test; both install missing Debian packages first.
#
#   make run [EXTRA=dir] [INIT='/bin/prog args'] [TRACE=file.jsonl] [BUSYBOX=1]   (prints the program's status)
#   make test | bench | stress | abi | abi-check | debug | clean
#   make coverage | coverage-test (scripts/coverage.mk, docs/coverage.md)
#   make conformance | conformance-linux   (docs/conformance.md)

# The RAM root's test symlinks (userspace.mk, US_FSTEST_LINKS) point at guest paths
# such as /etc/hello.txt that the host lacks: make judges a symlink by its own
# time (-L), or it would remake them, and the initramfs, on every run.
MAKEFLAGS += --check-symlink-times
PY := /usr/bin/python3
BUILD := build
KCC := gcc
KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-mno-red-zone -mcmodel=kernel -mgeneral-regs-only -fno-omit-frame-pointer -mstringop-strategy=libcall \
	-Wall -Wextra -Werror -I kernel -MMD -MP $(KEXTRA)
# kernel/lib/gcov.c is the coverage kernel's runtime (scripts/coverage.mk): never here.
KSRC := $(shell find kernel -name '*.c' -not -path 'kernel/tests/*' -not -path kernel/lib/gcov.c) \
	$(wildcard kernel/arch/x86_64/*.S)
KOBJ := $(patsubst %,$(BUILD)/%.o,$(KSRC))
KLD := ld -n -nostdlib -z max-page-size=0x1000 --no-warn-rwx-segments -T kernel/arch/x86_64/linker.ld

.PHONY: all deps run test bench linux-oracle stress abi abi-check debug clean kernel initramfs crashtest-kernel \
	floor-kernel
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
	@$(KLD) -o $@ $(KOBJ)

# QEMU loads this flat image through the Multiboot header's address fields;
# kernel.elf keeps the symbols for gdb.
$(BUILD)/kernel.bin: $(BUILD)/kernel.elf
	@objcopy -O binary $< $@

# The kernel with its crash tests compiled in (kernel/arch/x86_64/crashtest.c),
# in a build folder of its own: only testkit/tests/test_hostile.py boots it.
# One make at a time builds it (flock): make test builds it beside pytest, and
# the test's fixture's make waits for that one, then finds it done.
crashtest-kernel:
	@mkdir -p build/crashtest
	@flock build/crashtest/.lock $(MAKE) --no-print-directory BUILD=build/crashtest \
		KEXTRA=-DLEVITATE_CRASH_TESTS build/crashtest/kernel.bin

# The bench's floor kernel: its syscall entry answers one reserved number
# straight back with SYSRET (kernel/arch/x86_64/syscall.S, -DLEVITATE_FLOOR),
# so `make bench` times QEMU's own SYSCALL+SYSRET beside getpid.  Only the
# entry differs: it is the normal kernel's objects with syscall.S assembled
# again, in build/floor/.  build/kernel.bin is the same with or without it.
FLOOR_ENTRY := $(BUILD)/floor/syscall.S.o
FLOOR_OBJ := $(patsubst $(BUILD)/kernel/arch/x86_64/syscall.S.o,$(FLOOR_ENTRY),$(KOBJ))
floor-kernel: $(BUILD)/floor/kernel.bin

$(FLOOR_ENTRY): kernel/arch/x86_64/syscall.S
	@mkdir -p $(dir $@)
	@echo "  CC      $< (floor)"
	@$(KCC) $(KCFLAGS) -DLEVITATE_FLOOR -c $< -o $@

$(BUILD)/floor/kernel.elf: $(FLOOR_OBJ) kernel/arch/x86_64/linker.ld
	@echo "  LD      $@"
	@$(KLD) -o $@ $(FLOOR_OBJ)

$(BUILD)/floor/kernel.bin: $(BUILD)/floor/kernel.elf
	@objcopy -O binary $< $@

-include $(FLOOR_ENTRY:.o=.d)
-include $(KOBJ:.o=.d)
include userspace/userspace.mk
include kernel/tests/check.mk
include scripts/coverage.mk
include conformance/conformance.mk

# The initramfs: the built userspace and nothing else.  It is what record,
# replay and the tests boot, so it is remade only when a file of the tree
# changed, and replaced whole (a QEMU reading it never sees half a file).
INITRAMFS := $(BUILD)/initramfs.cpio
initramfs: $(INITRAMFS)

# cpio_of DIR,OUT: the files under DIR as a reproducible newc archive OUT.
cpio_of = cd $(1) && find . -mindepth 1 | LC_ALL=C sort | \
	cpio -o -H newc --quiet --reproducible > $(abspath $(2)).tmp && mv $(abspath $(2)).tmp $(abspath $(2))

$(INITRAMFS): $(US_ROOTFS_FILES)
	@rm -rf $(BUILD)/initramfs-root && mkdir -p $(BUILD)/initramfs-root
	@# Only the files userspace.mk lists: a stale file in build/rootfs (an applet
	@# since removed) must not reach the initramfs and change what ls /bin says.
	@cd $(US_ROOTFS) && cp -a --parents $(patsubst $(US_ROOTFS)/%,%,$(US_ROOTFS_FILES)) ../initramfs-root/
	@$(call us_fstest_links,$(BUILD)/initramfs-root)
	@$(call cpio_of,$(BUILD)/initramfs-root,$@)

# make run EXTRA=dir / BUSYBOX=1: the initramfs plus BusyBox (scripts/busybox-root)
# and dir's files at the same paths, in an image of its own that only
# `make run`/`make debug` boot.
EXTRA_INITRAMFS := $(BUILD)/initramfs-extra.cpio
WITH_EXTRA = $(or $(EXTRA),$(filter 1,$(BUSYBOX)))
.PHONY: extra-initramfs
extra-initramfs: $(INITRAMFS)
	@test -z "$(EXTRA)" || test -d "$(EXTRA)" || { echo "make: EXTRA=$(EXTRA) is not a directory" >&2; exit 2; }
	@rm -rf $(BUILD)/extra-root && mkdir -p $(BUILD)/extra-root
	@cp -a $(BUILD)/initramfs-root/. $(BUILD)/extra-root/
	@if [ "$(BUSYBOX)" = 1 ]; then scripts/busybox-root $(BUILD)/extra-root; fi
	@if [ -n "$(EXTRA)" ]; then cp -a "$(EXTRA)"/. $(BUILD)/extra-root/; fi
	@$(call cpio_of,$(BUILD)/extra-root,$(EXTRA_INITRAMFS))

# INIT reaches the launcher through the environment (make exports command-line
# variables), never through the shell's parser: quotes and blanks arrive as typed.
# BUSYBOX=1 without INIT runs BusyBox's ash instead of the project's shell.
QEMU_ARGS = $(if $(TRACE),--trace $(abspath $(TRACE))) \
	$(if $(WITH_EXTRA),--initrd $(EXTRA_INITRAMFS)) \
	$(if $(INIT),--init-line "$$INIT",$(if $(filter 1,$(BUSYBOX)),-- /bin/busybox sh))
RUN_DEPS = deps all $(if $(WITH_EXTRA),extra-initramfs)

# make's own status is 2 whenever a recipe fails, so the program's status is
# printed; scripts/levitate-qemu exits with it (README: exit statuses).
run: $(RUN_DEPS)
	@echo "Levitate: Ctrl-A x quits QEMU."
	@scripts/levitate-qemu $(QEMU_ARGS); st=$$?; \
		echo "levitate: exit status $$st"; exit $$st

debug: $(RUN_DEPS)
	@echo "QEMU waits for gdb: gdb $(BUILD)/kernel.elf -ex 'target remote 127.0.0.1:1234'"
	@scripts/levitate-qemu --gdb $(QEMU_ARGS)

abi:
	$(PY) abi/gen.py

abi-check:
	$(PY) abi/gen.py --check

# make test, in three parts that overlap (each a make over build/ccache, below):
#  - BusyBox's first download (scripts/fetch-deb, network only) starts at once,
#    in the background; the tests that need it wait for it (fetch-deb's lock);
#  - what most tests boot or run (TEST_BOOT) is built first, over every core
#    (TEST_JOBS);
#  - then pytest spreads the tests over two workers per core (pytest-xdist;
#    PYTEST_JOBS=0 runs them in this process): a third of the suite's wall time
#    is tests waiting (timeouts that must expire, sleeps, a guest's boot), so
#    twice as many workers as cores keep the cores busy (on 2 cores: pytest
#    59 s with 2 workers, 38-44 s with 4, 41 s with 6) while one more make, over every core too
#    (TEST_SIDE), builds what only a few tests boot, first, then builds and runs
#    the Check unit tests: they share the cores with the tests, and end with them
#    rather than after them.  The crash-test and coverage kernels' fixtures wait
#    for it (those targets' flock).  Its output follows pytest's; make test fails
#    if either fails.
# With ccache (scripts/setup.sh), the compiles go into one cache outside the tree
# (TEST_CCACHE_DIR), keyed by content, paths not hashed: a clean clone (CI) compiles
# only what no earlier run compiled, test_bisect.py's throwaway clone builds the
# same sources from the same cache, and the crash-test kernel is the normal
# kernel's objects but one.  TEST_CCACHE_DIR=$$PWD/build/ccache keeps it in the tree.
PYTEST_JOBS ?= $(shell echo $$(( 2 * $$(nproc) )))
TEST_JOBS ?= $(shell nproc)
TEST_CCACHE_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/levitate/ccache
TEST_CCACHE := $(if $(shell command -v ccache),KCC='ccache gcc' US_CC='ccache musl-gcc' UT_CC='ccache gcc')
TEST_MAKE = env CCACHE_DIR=$(TEST_CCACHE_DIR) CCACHE_NOHASHDIR=1 \
	$(MAKE) --no-print-directory $(TEST_CCACHE)
TEST_BOOT := all abi-check userspace-host floor-kernel
TEST_SIDE := crashtest-kernel coverage-kernel unit-test
TEST_DIRS := abi/tests testkit/tests conformance/tests userspace/tests
# The background parts run in sessions of their own (setsid), stopped whole if
# make test is interrupted.
test: deps
	@mkdir -p $(BUILD); side=; \
	trap 'kill -TERM -- -$$fetch $${side:+-$$side} 2>/dev/null; exit 130' INT TERM; \
	setsid scripts/fetch-deb busybox-static </dev/null >$(BUILD)/fetch-busybox.log 2>&1 & fetch=$$!; \
	$(TEST_MAKE) -j$(TEST_JOBS) $(TEST_BOOT) || { wait $$fetch; exit 1; }; \
	setsid $(TEST_MAKE) -j$(TEST_JOBS) -Otarget $(TEST_SIDE) </dev/null >$(BUILD)/test-side.log 2>&1 & side=$$!; \
	LEVITATE_CCACHE_DIR=$(TEST_CCACHE_DIR) \
		$(PY) -m pytest -q -n $(PYTEST_JOBS) --dist loadgroup $(TEST_DIRS); tests=$$?; \
	wait $$side; side_st=$$?; wait $$fetch; \
	cat $(BUILD)/test-side.log; \
	[ $$side_st -eq 0 ] || echo "make test: make $(TEST_SIDE) failed (above)"; \
	[ $$tests -eq 0 ] && [ $$side_st -eq 0 ]

# Everything make test builds, in one make (no tests run but the unit tests).
.PHONY: test-prereqs
test-prereqs: $(TEST_BOOT) $(TEST_SIDE)

bench: deps all floor-kernel
	$(PY) scripts/bench.py

# Linux as the oracle end to end (docs/linux-oracle.md): boots Linux 6.1 under strace.
linux-oracle: deps all
	LEVITATE_LINUX=1 $(PY) -m pytest -q testkit/tests/test_linux_oracle.py testkit/tests/test_strace.py

# The hostile tests (docs/hostile.md) at length: a million fuzzed calls.
stress: deps all
	HOSTILE_FUZZ_CALLS=1000000 HOSTILE_FORKBOMB_ROUNDS=20 HOSTILE_CONSOLE_BYTES=1024 \
		$(PY) -m pytest -q testkit/tests/test_hostile.py

clean:
	rm -rf $(BUILD)
