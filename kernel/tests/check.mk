# Host unit tests (Check) for the pure kernel modules: fs/cpio, proc/elf,
# proc/ustack, fs/ring, fs/ldisc, trace/json, lib/string; and for mm/pmm, mm/vm and the RAM
# filesystem (fs/ramfs, fs/ramdata) on simulated memory, and the TSC calibration
# (arch/x86_64/tsc.c) on a simulated PIT (their arch headers
# replaced by kernel/tests/shim/).
# Included by the top Makefile; also works on its own:
#     make -f kernel/tests/check.mk unit-test
# Paths are relative to the repository root (run make from there).
#
#   unit-test          build every test and fixture, compile each module with
#                      the kernel's freestanding flags, run every test
#                      (all of them, even after a failure; CK_FORK as set)
#   unit-test-build    only build
# Variables: UT_SANITIZE (default ASan+UBSan; empty to turn off).

UT_SAVED_GOAL := $(.DEFAULT_GOAL)

UT_CC ?= gcc
UT_MUSL_CC ?= musl-gcc
UT_OUT := build/host-tests
UT_DATA := $(UT_OUT)/data
UT_SANITIZE ?= -fsanitize=address,undefined -fno-sanitize-recover=undefined
UT_CFLAGS := -O1 -g -std=gnu11 -Wall -Wextra -Werror -I kernel \
	$(shell pkg-config --cflags check 2>/dev/null) $(UT_SANITIZE)
UT_LIBS := -lcheck $(shell pkg-config --libs check 2>/dev/null || echo -lcheck_pic -lrt -lm -lsubunit -pthread)
UT_KCFLAGS := -ffreestanding -mno-red-zone -mcmodel=kernel -fno-pic -mgeneral-regs-only \
	-O2 -std=gnu11 -Wall -Wextra -Werror -I kernel

# test name -> the kernel sources it links (the module under test first)
UT_SRC_cpio := kernel/fs/cpio.c
UT_SRC_elf := kernel/proc/elf.c
UT_SRC_ustack := kernel/proc/ustack.c
UT_SRC_ring := kernel/fs/ring.c
UT_SRC_ldisc := kernel/fs/ldisc.c kernel/fs/ring.c
UT_SRC_pmm := kernel/mm/pmm.c
UT_SRC_vm := kernel/mm/vm.c kernel/mm/pmm.c
UT_SRC_ramfs := kernel/fs/ramfs.c kernel/fs/ramdata.c kernel/mm/pmm.c
UT_SRC_json := kernel/trace/json.c
UT_SRC_string := kernel/lib/string.c
UT_SRC_tsc := kernel/arch/x86_64/tsc.c
UT_TESTS := cpio elf ustack ring ldisc pmm vm ramfs json string tsc
# Include directories searched before kernel/: the shims stand in for
# arch/x86_64/cpu.h and memlayout.h (simulated CR3 and direct map).
UT_SHIM := kernel/tests/shim
UT_INC_pmm := -I $(UT_SHIM)
UT_INC_vm := -I $(UT_SHIM)
UT_INC_ramfs := -I $(UT_SHIM)
UT_INC_tsc := -I $(UT_SHIM)
# The kernel's string functions under other names, beside libc's.
UT_INC_string := -fno-builtin $(foreach f,memcpy memmove memset memcmp strlen strnlen strcmp \
	strncmp strstr strlcpy,-D$(f)=k_$(f))
UT_SHIM_HDRS := $(UT_SHIM)/arch/x86_64/cpu.h $(UT_SHIM)/arch/x86_64/memlayout.h \
	$(UT_SHIM)/sim_machine.h

UT_BINS := $(UT_TESTS:%=$(UT_OUT)/test_%)
UT_KSRCS := $(sort $(foreach t,$(UT_TESTS),$(UT_SRC_$(t))))
UT_KOBJS := $(UT_KSRCS:kernel/%.c=$(UT_OUT)/freestanding/%.o)
UT_LIB_HDRS := kernel/lib/types.h kernel/lib/errno.h kernel/lib/string.h
UT_MOD_HDRS := kernel/fs/cpio.h kernel/proc/elf.h kernel/proc/ustack.h \
	kernel/fs/ring.h kernel/fs/ldisc.h kernel/mm/pmm.h kernel/mm/vm.h \
	kernel/fs/inode.h kernel/fs/fileops.h kernel/trace/json.h
UT_FIXTURES := $(UT_DATA)/tree-newc.cpio $(UT_DATA)/tree-crc.cpio \
	$(UT_DATA)/hello-static $(UT_DATA)/hello-static.readelf \
	$(UT_DATA)/hello-dynamic $(UT_DATA)/hello-pie

.PHONY: unit-test unit-test-build

# Check kills a test after 4 s by default: too short on a loaded 2-core machine.
unit-test: unit-test-build
	@fail=0; for t in $(UT_BINS); do \
		echo "== $$t"; CK_DEFAULT_TIMEOUT=$${CK_DEFAULT_TIMEOUT:-60} UT_DATA_DIR=$(UT_DATA) $$t || fail=1; \
	done; \
	if [ $$fail -ne 0 ]; then echo "unit-test: FAILED"; exit 1; fi; \
	echo "unit-test: all passed"

unit-test-build: $(UT_BINS) $(UT_KOBJS) $(UT_FIXTURES)

# Each test links its module's source directly: the same file the kernel builds.
# One file per compile, so that a compiler cache can keep each (make test passes
# UT_CC='ccache gcc'); a folder of objects per test, since a test may replace a
# module's headers (UT_INC_t).
UT_HDRS := kernel/tests/ut.h $(UT_LIB_HDRS) $(UT_MOD_HDRS) $(UT_SHIM_HDRS)
ut_objs = $(UT_OUT)/obj/$(1)/test_$(1).o $(patsubst kernel/%.c,$(UT_OUT)/obj/$(1)/%.o,$(UT_SRC_$(1)))
define ut_rules
$(UT_OUT)/test_$(1): $(call ut_objs,$(1))
	@mkdir -p $$(@D)
	$$(UT_CC) $$(UT_CFLAGS) -o $$@ $$^ $$(UT_LIBS)
$(UT_OUT)/obj/$(1)/test_$(1).o: kernel/tests/test_$(1).c $$(UT_HDRS)
	@mkdir -p $$(@D)
	$$(UT_CC) $$(UT_INC_$(1)) $$(UT_CFLAGS) -c -o $$@ $$<
$(UT_OUT)/obj/$(1)/%.o: kernel/%.c $$(UT_HDRS)
	@mkdir -p $$(@D)
	$$(UT_CC) $$(UT_INC_$(1)) $$(UT_CFLAGS) -c -o $$@ $$<
endef
$(foreach t,$(UT_TESTS),$(eval $(call ut_rules,$(t))))

# The same sources must build as kernel code (freestanding, no libc).
$(UT_OUT)/freestanding/%.o: kernel/%.c $(UT_LIB_HDRS) $(UT_MOD_HDRS)
	@mkdir -p $(@D)
	$(UT_CC) $(UT_KCFLAGS) -c -o $@ $<

# Fixtures: a small tree archived by GNU cpio (names sorted, so listings are
# predictable), and a musl program built three ways plus readelf's view of
# the static one (the oracle test_elf compares against).
$(UT_DATA)/tree/.stamp:
	@rm -rf $(@D) && mkdir -p $(@D)/bin $(@D)/etc $(@D)/empty
	printf 'echo-data\n' > $(@D)/bin/echo
	printf '#!sh\n' > $(@D)/bin/sh
	chmod 755 $(@D)/bin/echo $(@D)/bin/sh $(@D)/bin $(@D)/etc $(@D)/empty
	printf 'hello\n' > $(@D)/etc/motd
	touch $@
$(UT_DATA)/tree-newc.cpio: $(UT_DATA)/tree/.stamp
	cd $(UT_DATA)/tree && find . ! -name .stamp | LC_ALL=C sort | cpio -o -H newc --quiet > ../$(@F)
$(UT_DATA)/tree-crc.cpio: $(UT_DATA)/tree/.stamp
	cd $(UT_DATA)/tree && find . ! -name .stamp | LC_ALL=C sort | cpio -o -H crc --quiet > ../$(@F)

$(UT_DATA)/hello-static: kernel/tests/data/hello.c
	@mkdir -p $(@D)
	$(UT_MUSL_CC) -static -O1 -o $@ $<
$(UT_DATA)/hello-dynamic: kernel/tests/data/hello.c
	@mkdir -p $(@D)
	$(UT_MUSL_CC) -no-pie -O1 -o $@ $<
$(UT_DATA)/hello-pie: kernel/tests/data/hello.c
	@mkdir -p $(@D)
	$(UT_MUSL_CC) -pie -fPIE -O1 -o $@ $<
# "entry 0x..", "phoff N", "phnum N", one "load OFF VADDR FILESZ MEMSZ FLAGS"
# per PT_LOAD (flags as readelf prints them, spaces removed: "RE", "RW").
$(UT_DATA)/hello-static.readelf: $(UT_DATA)/hello-static
	readelf -hlW $< | awk ' \
		/Entry point address:/ { print "entry", $$4 } \
		/Start of program headers:/ { print "phoff", $$5 } \
		/Number of program headers:/ { print "phnum", $$5 } \
		$$1 == "LOAD" { f = ""; for (i = 7; i < NF; i++) f = f $$i; \
			print "load", $$2, $$3, $$5, $$6, f }' > $@.tmp
	mv $@.tmp $@

# Included: keep the including Makefile's default goal.  Alone: unit-test.
ifneq ($(UT_SAVED_GOAL),)
.DEFAULT_GOAL := $(UT_SAVED_GOAL)
else ifeq ($(words $(MAKEFILE_LIST)),1)
.DEFAULT_GOAL := unit-test
else
.DEFAULT_GOAL :=
endif
