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

export MILVUS_URI      ?= http://127.0.0.1:19530
export MILVUS_LITE_URI ?= http://127.0.0.1:19531

.PHONY: all demo test check lib servers servers-stop c-tests examples-run rust-tests differential clean toolchain

all: toolchain
	$(CARGO) build --release

toolchain:
	@scripts/toolchain.sh

## demo: start a local Milvus, build, run examples/c/quickstart.c against it
demo: toolchain
	$(CARGO) build --release
	scripts/servers.sh start standalone
	@mkdir -p $(CBUILD)/examples
	$(CC) $(CFLAGS) -Iinclude examples/c/quickstart.c -o $(CBUILD)/examples/quickstart-release \
		-L$(LIBDIR_R) $(LDLIBS) -Wl,-rpath,$(LIBDIR_R)
	$(CBUILD)/examples/quickstart-release $(MILVUS_URI)

## test: static checks, then every test against both real servers
test: check
	scripts/servers.sh start all
	$(MAKE) --no-print-directory rust-tests differential examples-run c-tests

## check: formatting, lints, generated files up to date, exported symbols
check: toolchain
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) build
	scripts/venv.sh
	.venv/bin/python scripts/proto_gen.py --check
	scripts/check_generated.sh $(LIBDIR_D)/libmilvus.so

rust-tests:
	$(CARGO) test -- --test-threads=2

## differential: the same operations through pymilvus and libmilvus, results compared
differential: lib
	DIFF_NO_BUILD=1 scripts/run_differential.sh

## lib: the debug library the C tests link (cargo decides what to rebuild)
lib:
	$(CARGO) build

$(LIBDIR_D)/libmilvus.so: lib

$(CBUILD)/%: tests/c/%.c tests/c/check.h $(LIBDIR_D)/libmilvus.so
	@mkdir -p $(CBUILD)
	$(CC) $(CFLAGS) -Iinclude -Itests/c $< -o $@ -L$(LIBDIR_D) $(LDLIBS) -Wl,-rpath,$(LIBDIR_D)

$(CBUILD)/examples/%: examples/c/%.c $(LIBDIR_D)/libmilvus.so
	@mkdir -p $(CBUILD)/examples
	$(CC) $(CFLAGS) -Iinclude $< -o $@ -L$(LIBDIR_D) $(LDLIBS) -Wl,-rpath,$(LIBDIR_D)

c-tests: $(C_TESTS)
	@scripts/run_c_tests.sh $(C_TESTS)

examples-run: $(EXAMPLES)
	@for e in $(EXAMPLES); do echo "== $$e"; $$e $(MILVUS_URI) > $$e.out || { cat $$e.out; exit 1; }; tail -n 5 $$e.out; done

servers:
	scripts/servers.sh start all

servers-stop:
	scripts/servers.sh stop all

clean:
	$(CARGO) clean
