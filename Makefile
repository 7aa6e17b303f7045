# libmilvus — see README.md. `make demo` and `make test` do all the set-up themselves.

CARGO    ?= cargo
CC       ?= cc
CFLAGS   ?= -std=c11 -O1 -g -Wall -Wextra -Werror
LDLIBS   := -lmilvus -pthread
LIBDIR_D := $(CURDIR)/target/debug
LIBDIR_R := $(CURDIR)/target/release
CBUILD   := $(CURDIR)/target/c
C_TESTS  := $(patsubst tests/c/%.c,$(CBUILD)/%,$(wildcard tests/c/*.c))
EXAMPLES := $(patsubst examples/c/%.c,$(CBUILD)/examples/%,$(wildcard examples/c/*.c))
# Examples that need Milvus 2.5+ features (BM25 functions): run against Milvus Lite 3.2.2 only.
EXAMPLES_LITE3 := $(CBUILD)/examples/full_text_search

export MILVUS_URI      ?= http://127.0.0.1:19530
export MILVUS_LITE_URI ?= http://127.0.0.1:19531
export MILVUS_LITE3_URI ?= http://127.0.0.1:19532

.PHONY: all demo test check header lib servers servers-stop c-tests examples-run examples-lite3-run rust-tests differential clean toolchain
.PHONY: install install-tests cpp-tests cpp-examples-run swift-modulemap-check
.PHONY: go-tests conformance
.PHONY: c-tests-sanitized sanitizers fuzz

# install (README "Install"): GNU-style directories; PROFILE=debug installs the debug build.
PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PROFILE    ?= release
CXX_TESTFLAGS := -std=c++17 -g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=undefined
CPPBUILD   := $(CURDIR)/target/cpp
CPP_EXAMPLES := $(patsubst examples/cpp/%.cpp,$(CPPBUILD)/examples/%,$(wildcard examples/cpp/*.cpp))

all: toolchain
	$(CARGO) build --release
	@scripts/soname_link.sh target/release

toolchain:
	@scripts/toolchain.sh

## demo: start a local Milvus, build, run examples/c/quickstart.c against it
demo: toolchain
	$(CARGO) build --release
	@scripts/soname_link.sh target/release
	scripts/servers.sh start standalone
	@mkdir -p $(CBUILD)/examples
	$(CC) $(CFLAGS) -Iinclude examples/c/quickstart.c -o $(CBUILD)/examples/quickstart-release \
		-L$(LIBDIR_R) $(LDLIBS) -Wl,-rpath,$(LIBDIR_R)
	$(CBUILD)/examples/quickstart-release $(MILVUS_URI)

## test: static checks, then every test against the real servers (2.3.5, Lite 2.5.1, Lite 3.2.2)
## (each phase's seconds are printed at its end and summed up last: scripts/timed.sh)
TIMED := scripts/timed.sh
SUBMAKE := $(MAKE) --no-print-directory
test:
	@$(TIMED) --reset
	@$(TIMED) check $(SUBMAKE) check
	@$(TIMED) servers scripts/servers.sh start all
	@$(TIMED) rust-tests $(SUBMAKE) rust-tests
	@$(TIMED) differential $(SUBMAKE) differential
	@$(TIMED) conformance $(SUBMAKE) conformance
	@$(TIMED) examples $(SUBMAKE) examples-run examples-lite3-run
	@$(TIMED) c-tests-sanitized $(SUBMAKE) c-tests-sanitized
	@$(TIMED) cpp-install-swift $(SUBMAKE) cpp-tests cpp-examples-run install-tests swift-modulemap-check
	@$(TIMED) go-tests $(SUBMAKE) go-tests
	@$(TIMED) fuzz $(SUBMAKE) fuzz
	@$(TIMED) secure-tests $(SUBMAKE) secure-tests
	@$(TIMED) --summary

## check: formatting, lints, generated files up to date (header, proto, status lists), exported symbols
check: toolchain
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) build
	@scripts/soname_link.sh $(LIBDIR_D)
	$(CARGO) run -q -p milvus-header -- --check
	scripts/check_statuses.sh
	scripts/venv.sh
	.venv/bin/python scripts/proto_gen.py --check
	scripts/check_generated.sh $(LIBDIR_D)/libmilvus.so

## header: regenerate include/milvus.h from src/ffi (tools/header, cbindgen); commit the result
header:
	$(CARGO) run -q -p milvus-header

## rust-tests: cargo test against the three servers (tests/full_text.rs uses MILVUS_LITE3_URI)
rust-tests:
	$(CARGO) test -- --test-threads=2

## differential: the same operations through pymilvus and libmilvus, results compared
differential: lib
	DIFF_NO_BUILD=1 scripts/run_differential.sh

## conformance: the same calls through pymilvus and libmilvus to a recording server, requests
## compared field by field (tests/conformance/; no Milvus needed); fails when a pymilvus
## method or keyword has no case and is not listed in tests/conformance/uncovered.txt
conformance: lib
	scripts/venv.sh </dev/null
	LIBMILVUS_SO=$(LIBDIR_D)/libmilvus.so CONFORMANCE_COVERAGE_CHECK=1 timeout 600 .venv/bin/python -m pytest -q -p no:cacheprovider tests/conformance

## lib: the debug library the C tests link (cargo decides what to rebuild)
lib:
	$(CARGO) build
	@scripts/soname_link.sh $(LIBDIR_D)

$(LIBDIR_D)/libmilvus.so: lib

$(CBUILD)/%: tests/c/%.c tests/c/check.h $(LIBDIR_D)/libmilvus.so
	@mkdir -p $(CBUILD)
	$(CC) $(CFLAGS) -Iinclude -Itests/c $< -o $@ -L$(LIBDIR_D) $(LDLIBS) -Wl,-rpath,$(LIBDIR_D)

$(CBUILD)/examples/%: examples/c/%.c $(LIBDIR_D)/libmilvus.so
	@mkdir -p $(CBUILD)/examples
	$(CC) $(CFLAGS) -Iinclude $< -o $@ -L$(LIBDIR_D) $(LDLIBS) -Wl,-rpath,$(LIBDIR_D)

# The calls' threading under the other runtime model (src/runtime.rs) as well.
C_TESTS_IO := test_async test_cancel test_fork test_typed

c-tests: $(C_TESTS)
	@scripts/run_c_tests.sh $(C_TESTS)
	@MILVUS_RUNTIME=io scripts/run_c_tests.sh $(addprefix $(CBUILD)/,$(C_TESTS_IO))

## c-tests-sanitized: the C tests built with ASan (+ LeakSanitizer) and UBSan; any report fails.
## Also checks that tests/c/test_garbage.c calls every exported function.
SAN_CFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
C_TESTS_SAN := $(patsubst tests/c/%.c,$(CBUILD)/san/%,$(wildcard tests/c/*.c))

$(CBUILD)/san/%: tests/c/%.c tests/c/check.h $(LIBDIR_D)/libmilvus.so
	@mkdir -p $(CBUILD)/san
	$(CC) $(CFLAGS) $(SAN_CFLAGS) -Iinclude -Itests/c $< -o $@ -L$(LIBDIR_D) $(LDLIBS) -ldl -Wl,-rpath,$(LIBDIR_D)

sanitizers:
	@scripts/sanitizers.sh $(CC)

c-tests-sanitized: sanitizers lib
	scripts/check_garbage_coverage.sh $(LIBDIR_D)/libmilvus.so
	@$(MAKE) --no-print-directory $(C_TESTS_SAN)
	@scripts/run_c_tests.sh $(C_TESTS_SAN)
	@MILVUS_RUNTIME=io scripts/run_c_tests.sh $(addprefix $(CBUILD)/san/,$(C_TESTS_IO))

## fuzz: every cargo-fuzz target in fuzz/ for a bounded time (FUZZ_SECONDS each, default 45)
fuzz:
	scripts/fuzz.sh

examples-run: $(EXAMPLES)
	@for e in $(filter-out $(EXAMPLES_LITE3),$(EXAMPLES)); do echo "== $$e"; $$e $(MILVUS_URI) > $$e.out || { cat $$e.out; exit 1; }; tail -n 5 $$e.out; done

## examples-lite3-run: the examples that need Milvus 2.5+ (full-text search), on Milvus Lite 3.2.2
examples-lite3-run: $(EXAMPLES_LITE3)
	@for e in $(EXAMPLES_LITE3); do echo "== $$e"; $$e $(MILVUS_LITE3_URI) > $$e.out || { cat $$e.out; exit 1; }; tail -n 5 $$e.out; done

servers:
	scripts/servers.sh start all

servers-stop:
	scripts/servers.sh stop all

clean:
	$(CARGO) clean

## install: libmilvus.so (+ SONAME links), libmilvus.a, milvus.h/.hpp, pkg-config and CMake files
install:
	$(CARGO) build $(if $(filter release,$(PROFILE)),--release)
	PREFIX='$(PREFIX)' LIBDIR='$(LIBDIR)' INCLUDEDIR='$(INCLUDEDIR)' DESTDIR='$(DESTDIR)' \
		pkg/install.sh target/$(PROFILE)

## install-tests: install into a temporary prefix, build C/C++ programs against it, run them
install-tests: lib
	tests/install/run.sh debug

## cpp-tests: include/milvus.hpp under ASan/UBSan against both servers
$(CPPBUILD)/test_wrapper: tests/cpp/test_wrapper.cpp include/milvus.hpp $(LIBDIR_D)/libmilvus.so
	@mkdir -p $(CPPBUILD)
	$(CXX) $(CXX_TESTFLAGS) -Iinclude $< -o $@ -L$(LIBDIR_D) -lmilvus -Wl,-rpath,$(LIBDIR_D)

cpp-tests: $(CPPBUILD)/test_wrapper
	@rc=0; for uri in $(MILVUS_URI) $(MILVUS_LITE_URI); do $< $$uri || rc=1; done; exit $$rc

$(CPPBUILD)/examples/%: examples/cpp/%.cpp include/milvus.hpp $(LIBDIR_D)/libmilvus.so
	@mkdir -p $(CPPBUILD)/examples
	$(CXX) -std=c++17 -O1 -g -Wall -Wextra -Werror -Iinclude $< -o $@ -L$(LIBDIR_D) -lmilvus -Wl,-rpath,$(LIBDIR_D)

cpp-examples-run: $(CPP_EXAMPLES)
	@for e in $(CPP_EXAMPLES); do echo "== $$e"; $$e $(MILVUS_URI) > $$e.out || { cat $$e.out; exit 1; }; tail -n 5 $$e.out; done

## swift-modulemap-check: bindings/swift's module map compiles as a Clang module (no Swift here)
swift-modulemap-check:
	bindings/swift/check_modulemap.sh

## go-tests: bindings/go (vet, tests under the race detector) and examples/go, both servers.
## Go from the machine; stdlib only, so no module downloads (GOPROXY=off).
GO    ?= $(shell command -v go || echo /usr/local/go/bin/go)
GOENV := GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-buildvcs=false CGO_ENABLED=1
go-tests: lib
	@command -v $(GO) >/dev/null || { echo "go-tests: no Go toolchain (install Go >= 1.19)"; exit 1; }
	cd bindings/go && $(GOENV) $(GO) vet ./... && $(GOENV) $(GO) test -race -count=1 ./...
	@mkdir -p $(CURDIR)/target/go
	cd examples/go && $(GOENV) $(GO) vet ./... && $(GOENV) $(GO) build -o $(CURDIR)/target/go/quickstart ./quickstart
	$(CURDIR)/target/go/quickstart $(MILVUS_URI) > $(CURDIR)/target/go/quickstart.out || { cat $(CURDIR)/target/go/quickstart.out; exit 1; }
	@tail -n 5 $(CURDIR)/target/go/quickstart.out

## bench: libmilvus vs pymilvus, the Rust and Go SDKs and a raw-tonic floor on the standalone
## server (benches/README.md; ~13 min; not part of `make test`). BENCH_ARGS=--quick: ~1 min.
.PHONY: bench
bench: toolchain
	scripts/venv.sh
	scripts/servers.sh start standalone
	.venv/bin/python benches/run.py $(BENCH_ARGS)

## secure-tests: TLS + authorization + privileges (tests/security.rs) against a private Milvus
## 2.3.5 on other ports beside the shared one (scripts/servers.sh start secure): one-way TLS,
## then mutual TLS; started and stopped here, ~1-2 min.
.PHONY: secure-tests
secure-tests: lib
	@t0=$$(date +%s); rc=0; \
	vars=$$(MILVUS_SECURE_TLS_MODE=1 scripts/servers.sh start secure) && env $$vars \
		timeout 900 $(CARGO) test --test security -- --ignored --test-threads=2 oneway_ || rc=1; \
	[ $$rc != 0 ] || { vars=$$(MILVUS_SECURE_TLS_MODE=2 scripts/servers.sh start secure) && env $$vars \
		timeout 600 $(CARGO) test --test security -- --ignored --test-threads=2 mutual_ || rc=1; }; \
	scripts/servers.sh stop secure || rc=1; \
	echo "secure-tests: $$(( $$(date +%s) - t0 )) s"; exit $$rc
