# Parley: `make run` builds and starts it with demo data; `make test` runs every test.
# Release build in build/, sanitizer (ASan+UBSan) test build in build-test/ (-g1: line
# tables, all a sanitizer's report needs; full -g doubled the cold build's time).
SHELL := /bin/bash
JOBS ?= $(shell nproc)
WEB_SOURCES := $(shell find web/src web/index.html web/public web/vite.config.ts web/tsconfig.json -type f 2>/dev/null) package-lock.json

.PHONY: all deps build web run test unit bench fuzz clean
all: build

deps:
	@scripts/install-deps.sh

build/build.ninja:
	cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DPARLEY_TESTS=OFF

build-test/build.ninja:
	cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPARLEY_SANITIZE=ON -DCMAKE_CXX_FLAGS=-O1 -DCMAKE_CXX_FLAGS_DEBUG=-g1

web/dist/index.html: $(WEB_SOURCES)
	npm run --silent build:web

web: deps web/dist/index.html

build: deps build/build.ninja web/dist/index.html
	ninja -C build -j $(JOBS) parley

run: build
	@mkdir -p var
	@./build/parley ledger init --if-missing >/dev/null
	./build/parley serve --demo

test: deps build-test/build.ninja web/dist/index.html
	ninja -C build-test -j $(JOBS)
	cd build-test && PARLEY_STRICT_LEASES=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest -j $(JOBS) --output-on-failure --timeout 900
	FUZZ_JOBS=$(JOBS) fuzz/run.sh --test

# libFuzzer targets (fuzz/README.md): `make fuzz` explores for FUZZ_SECONDS per target;
# `make test` runs their regressions and a fixed, repeatable number of inputs from the
# committed seeds (fuzz/run.sh --test). Either fails on a crash.
FUZZ_SECONDS ?= 300
fuzz: deps
	FUZZ_JOBS=$(JOBS) fuzz/run.sh $(FUZZ_SECONDS)

bench: build
	ninja -C build -j $(JOBS) parley_bench_ws parley_bench_negotiation parley_bench_ledger parley_bench_nolog parley_bench_library
	bench/run.sh

clean:
	rm -rf build build-test build-fuzz web/dist build-e2e-screenshots
