# scripts/coverage.mk: the coverage kernel and the coverage reports
# (docs/coverage.md).  Included by the top Makefile.
#
#   make coverage          replay every golden on the coverage kernel; report
#   make coverage-test     the whole test suite on the coverage kernel; report
#   make coverage-kernel   only build build/coverage/kernel.bin
#
# The coverage kernel is the same sources built into build/coverage/ with
# GCC's arc counters (-fprofile-arcs -ftest-coverage), plus kernel/lib/gcov.c
# (the runtime the counters need, built plain; the link script gathers its
# constructor table, empty in the normal kernel); ld's --wrap=power_off makes every power-off dump the
# counters first.  The normal kernel (build/kernel.elf) links none of this.

COV_BUILD := $(BUILD)/coverage
COV_RUNTIME := kernel/lib/gcov.c
COV_KCFLAGS := $(KCFLAGS) -fprofile-arcs -ftest-coverage -fno-inline
COV_OBJ := $(patsubst %,$(COV_BUILD)/%.o,$(KSRC)) $(COV_BUILD)/$(COV_RUNTIME).o

.PHONY: coverage coverage-test coverage-kernel
# One make at a time builds it (flock): make test builds it beside pytest, and
# test_coverage.py's fixture's make waits for that one, then finds it done.
coverage-kernel:
	@mkdir -p $(COV_BUILD)
	@flock $(COV_BUILD)/.lock $(MAKE) --no-print-directory $(COV_BUILD)/kernel.bin

# One rule for every object: C files get the counters, except the runtime
# (its own counters would change as it dumps them); assembly never does.
cov_flags = $(if $(filter %.c,$<),$(if $(filter $(COV_RUNTIME),$<),$(KCFLAGS),$(COV_KCFLAGS)),$(KCFLAGS))
$(COV_BUILD)/%.o: %
	@mkdir -p $(dir $@)
	@echo "  CC [cov] $<"
	@$(KCC) $(cov_flags) -c $< -o $@

$(COV_BUILD)/kernel.elf: $(COV_OBJ) kernel/arch/x86_64/linker.ld
	@echo "  LD      $@"
	@ld -n -nostdlib -z max-page-size=0x1000 --no-warn-rwx-segments --wrap=power_off \
		-T kernel/arch/x86_64/linker.ld -o $@ $(COV_OBJ)

$(COV_BUILD)/kernel.bin: $(COV_BUILD)/kernel.elf
	@objcopy -O binary $< $@

-include $(COV_OBJ:.o=.d)

coverage: deps all coverage-kernel
	@scripts/coverage goldens

coverage-test: deps all coverage-kernel
	@scripts/coverage suite
