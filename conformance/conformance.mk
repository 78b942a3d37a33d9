# conformance/conformance.mk: the conformance battery (docs/conformance.md).
# Included by the top Makefile.
#   make conformance        run the battery on Levitate, compare with Linux's
#                           committed results, rewrite docs/conformance.md
#   make conformance-linux  regenerate conformance/linux/results.json (one Linux boot)

CONF_RUNNER := build/conformance/conform-run

$(CONF_RUNNER): conformance/guest/conform-run.c
	@mkdir -p $(@D)
	musl-gcc -static -O2 -std=gnu11 -Wall -Wextra -Werror -o $@ $<

.PHONY: conformance conformance-linux
conformance: deps all $(CONF_RUNNER)
	$(PY) -m conformance run

conformance-linux: deps $(CONF_RUNNER)
	$(PY) -m conformance linux

# The runner is part of every build: the battery's tests boot it.
all: $(CONF_RUNNER)
