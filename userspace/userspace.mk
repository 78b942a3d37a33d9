# userspace/userspace.mk: build Levitate's userspace into build/rootfs/,
# the tree the initramfs is made from.
#
# Included by the top Makefile; works alone too (from the repository root):
#   make -f userspace/userspace.mk rootfs           build the tree
#   make -f userspace/userspace.mk userspace-test   host tests (pytest)
# userspace-host builds init, shell and levbox once more for those tests,
# linked the same way (Linux runs their fork + execve natively).
# Paths are relative to the repository root; every name here starts with US_
# (or userspace-) so the including Makefile's names are left alone.
#
# Outputs for the including Makefile:
#   US_ROOTFS        the tree's directory (build/rootfs)
#   US_ROOTFS_FILES  every file in it: depend on these to rebuild the initramfs

US_SAVED_GOAL := $(.DEFAULT_GOAL)

US_CC ?= musl-gcc
US_AR ?= ar
US_PYTHON ?= /usr/bin/python3
US_CFLAGS := -static -O2 -std=gnu11 -Wall -Wextra -Werror \
	-I userspace/include -I userspace/libsyscall
US_BUILD := build/userspace
US_ROOTFS := build/rootfs

# levbox applets that get a /bin copy of their own (levbox.c's table).
US_APPLETS := echo cat ls true false status segv argcheck pids fdcheck \
	spawnwait execcheck test_runner suite_test_core
# Tools for poking the kernel by hand, kept out of /bin: what /bin holds is
# part of the behaviour the goldens record (ls /bin, getdents).
US_USR_APPLETS := syscall suite_test_linux suite_test_fs
US_PROGRAMS := init shell levbox
# Plain POSIX programs (userspace/examples/NAME.c, libc only) -> /bin/NAME.
US_EXAMPLES := $(basename $(notdir $(wildcard userspace/examples/*.c)))

US_LIB := $(US_BUILD)/libsyscall.a
US_LIB_OBJS := $(US_BUILD)/libsyscall/libsyscall.o $(US_BUILD)/libsyscall/sigaction.o
US_LEVBOX_OBJS := $(patsubst userspace/%.c,$(US_BUILD)/%.o,\
	$(wildcard userspace/levbox/*.c))
US_EXAMPLE_OBJS := $(US_EXAMPLES:%=$(US_BUILD)/examples/%.o)
US_OBJS := $(US_LIB_OBJS) $(US_BUILD)/init/init.o $(US_BUILD)/shell/shell.o \
	$(US_LEVBOX_OBJS) $(US_EXAMPLE_OBJS)

# Static files: userspace/rootfs/X lands at build/rootfs/X.
US_STATIC := $(patsubst userspace/rootfs/%,%,\
	$(shell find userspace/rootfs -type f 2>/dev/null))

US_PROGRAM_FILES := $(addprefix $(US_ROOTFS)/bin/,$(US_PROGRAMS))
US_APPLET_FILES := $(addprefix $(US_ROOTFS)/bin/,$(US_APPLETS)) \
	$(addprefix $(US_ROOTFS)/usr/bin/,$(US_USR_APPLETS))
US_STATIC_FILES := $(addprefix $(US_ROOTFS)/,$(US_STATIC))
US_EXAMPLE_FILES := $(addprefix $(US_ROOTFS)/bin/,$(US_EXAMPLES))
US_TRUNCELF := $(US_ROOTFS)/bin/truncelf
# Hostile programs (userspace/hostile/hostile_NAME.c + hostile.c, docs/hostile.md)
# -> /usr/bin/hostile_NAME, and the malformed ELF files they exec, generated from
# a real binary by scripts/gen_bad_elfs.py -> /usr/lib/badelf/.  Kept out of /bin.
US_HOSTILE := $(basename $(notdir $(wildcard userspace/hostile/hostile_*.c)))
US_HOSTILE_OBJS := $(patsubst userspace/%.c,$(US_BUILD)/%.o,$(wildcard userspace/hostile/*.c))
US_HOSTILE_FILES := $(addprefix $(US_ROOTFS)/usr/bin/,$(US_HOSTILE))
US_BADELF_FILES := $(addprefix $(US_ROOTFS)/usr/lib/badelf/,\
	$(shell $(US_PYTHON) scripts/gen_bad_elfs.py --list))
US_OBJS += $(US_HOSTILE_OBJS)
# The signal test suite (userspace/sigtest/*.c + levbox's suite.c) ->
# /usr/bin/suite_test_signal: a program of its own, so that the levbox copies
# the goldens run (ls, cat, ...) stay the size they were.
US_SIGTEST_OBJS := $(patsubst userspace/%.c,$(US_BUILD)/%.o,$(wildcard userspace/sigtest/*.c))
US_SIGTEST_FILE := $(US_ROOTFS)/usr/bin/suite_test_signal
US_OBJS += $(US_SIGTEST_OBJS)
# Symbolic links in the initramfs, for suite_test_fs: NAME:TARGET pairs.
US_FSTEST_LINKS := hello-link:/etc/hello.txt levbox-link:../../../bin/levbox
# us_fstest_links DIR: make them in an initramfs tree.  Made there, not as file
# targets: make stats through a link, so one whose target exists only in the
# guest (/etc/hello.txt) would read as never built and keep the image stale.
us_fstest_links = mkdir -p $(1)/usr/lib/fstest $(foreach l,$(US_FSTEST_LINKS),\
	&& ln -sfn $(lastword $(subst :, ,$(l))) $(1)/usr/lib/fstest/$(firstword $(subst :, ,$(l))))
# An empty /tmp, world-writable and sticky as on Linux systems.
US_TMP := $(US_ROOTFS)/tmp
US_ROOTFS_FILES := $(US_PROGRAM_FILES) $(US_APPLET_FILES) $(US_STATIC_FILES) \
	$(US_EXAMPLE_FILES) $(US_TRUNCELF) $(US_HOSTILE_FILES) $(US_BADELF_FILES) \
	$(US_TMP) $(US_SIGTEST_FILE)

US_HOST := build/userspace-host
US_HOST_PROGRAMS := $(addprefix $(US_HOST)/bin/,$(US_PROGRAMS))

.PHONY: rootfs userspace-host userspace-test userspace-clean

rootfs: $(US_ROOTFS_FILES)

$(US_BUILD)/%.o: userspace/%.c
	@mkdir -p $(@D)
	$(US_CC) $(US_CFLAGS) -MMD -MP -c $< -o $@

$(US_LIB): $(US_LIB_OBJS)
	@rm -f $@
	$(US_AR) rcs $@ $^

$(US_BUILD)/bin/init: $(US_BUILD)/init/init.o $(US_LIB)
$(US_BUILD)/bin/shell: $(US_BUILD)/shell/shell.o $(US_LIB)
$(US_BUILD)/bin/levbox: $(US_LEVBOX_OBJS) $(US_LIB)
$(addprefix $(US_BUILD)/bin/,$(US_PROGRAMS)):
	@mkdir -p $(@D)
	$(US_CC) $(US_CFLAGS) -o $@ $^

$(US_PROGRAM_FILES): $(US_ROOTFS)/bin/%: $(US_BUILD)/bin/%
	@mkdir -p $(@D)
	install -m 755 $< $@

# Plain copies, not links: the initramfs holds regular files only.
$(US_APPLET_FILES): $(US_BUILD)/bin/levbox
	@mkdir -p $(@D)
	install -m 755 $< $@

# Examples link libc only: they must build unchanged anywhere musl does.
$(US_EXAMPLE_FILES): $(US_ROOTFS)/bin/%: $(US_BUILD)/examples/%.o
	@mkdir -p $(@D)
	$(US_CC) $(US_CFLAGS) -o $@ $<

$(US_STATIC_FILES): $(US_ROOTFS)/%: userspace/rootfs/%
	@mkdir -p $(@D)
	install -m $(if $(filter bin/%,$*),755,644) $< $@

$(US_TMP):
	mkdir -p $@
	chmod 1777 $@

# A real ELF cut after its header, in the middle of the program headers.
$(US_TRUNCELF): $(US_BUILD)/bin/levbox
	@mkdir -p $(@D)
	head -c 100 $< > $@
	chmod 755 $@

# A hostile child may point its FS base anywhere (arch_prctl) before it
# restores it: no stack-protector canary reads through FS in these programs.
$(US_HOSTILE_OBJS): US_CFLAGS += -fno-stack-protector

$(US_HOSTILE_FILES): $(US_ROOTFS)/usr/bin/%: $(US_BUILD)/hostile/%.o \
		$(US_BUILD)/hostile/hostile.o $(US_LIB)
	@mkdir -p $(@D)
	$(US_CC) $(US_CFLAGS) -o $@ $^

$(US_SIGTEST_OBJS): US_CFLAGS += -I userspace/levbox

$(US_SIGTEST_FILE): $(US_SIGTEST_OBJS) $(US_BUILD)/levbox/suite.o $(US_LIB)
	@mkdir -p $(@D)
	$(US_CC) $(US_CFLAGS) -o $@ $^

# hostile_vm lives 16 MiB below the mmap region (USER_MMAP_BASE), so its
# program break can be pushed into it (docs/hostile.md).
$(US_ROOTFS)/usr/bin/hostile_vm: US_CFLAGS += -Wl,--section-start=.hostile_high=0xFFFFF000000

# One run writes them all, from a real musl program that only exits 42.
$(US_BUILD)/hostile/badelf_source: $(US_BUILD)/hostile/badelf_source.o
	$(US_CC) $(US_CFLAGS) -o $@ $^

$(US_BADELF_FILES) &: scripts/gen_bad_elfs.py $(US_BUILD)/hostile/badelf_source
	$(US_PYTHON) scripts/gen_bad_elfs.py $(US_BUILD)/hostile/badelf_source \
		$(US_ROOTFS)/usr/lib/badelf

userspace-host: $(US_HOST_PROGRAMS)

# The same programs, linked as they are: libsyscall starts programs with
# fork + execve, which Linux runs natively.
$(US_HOST)/bin/init: $(US_BUILD)/init/init.o $(US_LIB)
$(US_HOST)/bin/shell: $(US_BUILD)/shell/shell.o $(US_LIB)
$(US_HOST)/bin/levbox: $(US_LEVBOX_OBJS) $(US_LIB)
$(US_HOST_PROGRAMS):
	@mkdir -p $(@D)
	$(US_CC) $(US_CFLAGS) -o $@ $^

userspace-test: rootfs userspace-host
	$(US_PYTHON) -m pytest -q -p no:cacheprovider userspace/tests

userspace-clean:
	rm -rf $(US_BUILD) $(US_HOST) $(US_ROOTFS)

-include $(US_OBJS:.o=.d)

# Do not become the including Makefile's default goal; alone, build rootfs.
.DEFAULT_GOAL := $(or $(US_SAVED_GOAL),$(if $(filter %userspace.mk,\
	$(firstword $(MAKEFILE_LIST))),rootfs))
