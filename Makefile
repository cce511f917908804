# SPDX-License-Identifier: GPL-2.0-only
#
# TTP top-level build.
#
#   make               ttp.ko for KDIR (default: the installed Debian 6.12
#                      headers, never the running kernel), the userspace
#                      tools and the selftests
#   make KDIR=<tree>   ttp.ko for any kernel build tree
#   make modules       ttp.ko for every test lane, in build/<lane>/ (the
#                      debug lane's kernel is built first if not cached:
#                      scripts/debug-kernel)
#   make lint          checkpatch --strict, sparse (C=2) and W=1 on every lane
#   make fuzz          fuzz the option parser on the host (FUZZ_SECS, 600)
#   make check         every test: host tests, then the selftests in a VM
#                      on each kernel lane (scripts/check)
#   make demo          build, boot a VM, load TTP and show it working
#   make bench         ttpperf in a VM: TTP beside TCP over veth, loopback
#                      and a lossy veth, one table of medians over
#                      BENCH_REPEAT rounds (3); BENCH_JSON=FILE also writes
#                      it as JSON (scripts/bench)
#   make bench-netem   32 MiB over TTP and over TCP under each netem profile
#                      of the reliable-transfer tests, one table
#                      (scripts/bench-netem)
#   make dkms-install  ttp.ko through DKMS for every installed kernel with
#                      headers (KVERS=... for some), rebuilt for kernels
#                      installed later (scripts/dkms); as root, on a real
#                      machine
#   make dkms-remove   undo it
#   make clean

SHELL := /bin/bash

LANES := $(shell scripts/kver --lanes)
KVER ?= $(shell scripts/kver 6.12 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build

MODULE_SRC := Kbuild $(wildcard module/*.[ch]) include/uapi/linux/ttp.h

.PHONY: all module modules lane-module selftests userspace lint fuzz check demo bench bench-netem dkms-install dkms-remove deps clean

all: module userspace selftests

deps:
	@scripts/install-deps

module:
	@test -d "$(KDIR)" || { echo "make: no kernel tree at KDIR='$(KDIR)'; run scripts/install-deps or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# One copy of the sources per lane: kbuild builds in the module's directory,
# so two kernels need two directories.
lane-module:
	@test -n "$(LANE)" || { echo "make lane-module: set LANE=6.1|6.12|debug" >&2; exit 2; }
	@mkdir -p build/$(LANE)
	@# Two builds of one lane at once (two VM runs) would trip on each other.
	@set -o pipefail; kdir=$$(scripts/kver --kdir $(LANE)) && \
	flock build/.lock-$(LANE) sh -c '\
		rsync -a --delete module include Kbuild build/$(LANE)/ && \
		$(MAKE) -s -C "$$0" M=$(CURDIR)/build/$(LANE) modules' "$$kdir" 2>&1 | \
		{ grep -v "^Skipping BTF generation" || true; }

modules:
	@for l in $(LANES); do $(MAKE) -s lane-module LANE=$$l || exit 1; done

selftests:
	$(MAKE) -C selftests

userspace:
	$(MAKE) -C userspace

lint:
	@scripts/lint

FUZZ_SECS ?= 600
fuzz:
	@scripts/tests/fuzz/build build/fuzz
	@mkdir -p build/fuzz/corpus
	build/fuzz/wire_fuzz -max_total_time=$(FUZZ_SECS) -max_len=256 \
		-artifact_prefix=build/fuzz/ build/fuzz/corpus

check:
	@scripts/check

demo:
	@scripts/demo

bench:
	@scripts/bench $(if $(BENCH_REPEAT),--repeat "$(BENCH_REPEAT)") \
		$(if $(BENCH_JSON),--json "$(BENCH_JSON)")

bench-netem:
	@scripts/bench-netem

dkms-install:
	@scripts/dkms install $(KVERS)

dkms-remove:
	@scripts/dkms remove

clean:
	@test ! -d "$(KDIR)" || $(MAKE) -s -C $(KDIR) M=$(CURDIR) clean
	rm -rf build
	$(MAKE) -s -C selftests clean
	$(MAKE) -s -C userspace clean
