# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# GNU make. Targets: all, test, bench, demo, install, clean, format-check,
# lint, deps. LLVM_CONFIG picks the LLVM (default llvm-config, else the newest
# llvm-config-NN on PATH). Outputs are usable uninstalled:
#   bin/afl-clang-fast{,++}, bin/afl-showmap, lib/lop/afl-llvm-pass.so,
#   lib/lop/afl-llvm-rt.o (and afl-llvm-rt-32.o when -m32 builds work),
#   lib/lop/libAFLDriver.a (the libFuzzer driver).
# Each room's sources are found by wildcard, so adding a file needs no edit.

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
LIBDIR   = $(PREFIX)/lib/lop
DOCDIR   = $(PREFIX)/share/doc/lop
INCDIR   = $(PREFIX)/include

LLVM_CONFIG ?= $(shell scripts/find-llvm-config)
LLVM_OK     := $(shell test -x "$$(command -v $(LLVM_CONFIG) 2>/dev/null)" && \
                 test -d "$$($(LLVM_CONFIG) --includedir 2>/dev/null)/llvm" && echo yes)
ifeq ($(LLVM_OK),yes)
LLVM_VERSION := $(shell $(LLVM_CONFIG) --version)
LLVM_MAJOR   := $(firstword $(subst ., ,$(LLVM_VERSION)))
LLVM_BINDIR  := $(shell $(LLVM_CONFIG) --bindir)
LLVM_CXXFLAGS := $(patsubst -I%,-isystem %,$(filter-out -fno-exceptions -W%,\
                   $(shell $(LLVM_CONFIG) --cxxflags)))
LLVM_LDFLAGS := $(shell $(LLVM_CONFIG) --ldflags)
endif

CC  := $(if $(LLVM_BINDIR),$(LLVM_BINDIR)/clang,cc)
CXX := $(if $(LLVM_BINDIR),$(LLVM_BINDIR)/clang++,c++)
OPT := $(if $(LLVM_BINDIR),$(LLVM_BINDIR)/opt,opt)
FILECHECK := $(if $(LLVM_BINDIR),$(LLVM_BINDIR)/FileCheck,FileCheck)

WARN     = -Wall -Wextra -Werror -Wshadow -Wvla
CWARN    = $(WARN) -Wstrict-prototypes -Wmissing-prototypes
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE $(CWARN) -Iinclude
CXXFLAGS ?= -O2 -g
CXXFLAGS += $(LLVM_CXXFLAGS) $(WARN) -Wno-unused-parameter -fPIC -Iinclude
# The runtime is linked into every target: optimised, position independent,
# never instrumented, no stack protector checks on the hot hooks.
RT_CFLAGS = -std=c11 -D_GNU_SOURCE $(CWARN) -Iinclude -O3 -g -fPIC \
            -fno-stack-protector -fvisibility=hidden
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer

DEFS = -DLOP_CLANG_DIR='"$(LLVM_BINDIR)"' -DLOP_LIB_DIR='"$(LIBDIR)"' \
       -DLOP_LLVM_MAJOR=$(LLVM_MAJOR) -DLOP_VERSION='"$(VERSION)"'
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

# ---- sources, by room ----------------------------------------------------
CC_MAIN     = afl-cc/main.c
CC_LIB_SRC  = $(filter-out $(CC_MAIN),$(wildcard afl-cc/*.c))
PASS_SRC    = $(wildcard llvm-pass/*.cpp)
PASS_HDR    = $(wildcard llvm-pass/*.h)
RT_SRC      = $(wildcard runtime/*.c) $(wildcard forkserver/target*.c)
RT_HDR      = $(wildcard runtime/*.h)
DRIVER_SRC  = $(wildcard runtime/driver/*.c)
CLIENT_SRC  = $(filter-out $(wildcard forkserver/target*.c),$(wildcard forkserver/*.c))
TOOL_SRC    = $(wildcard tools/*.c)
FUZZ_MAIN   = fuzz/main.c
FUZZ_LIB_SRC = $(filter-out $(FUZZ_MAIN),$(wildcard fuzz/*.c))
TOOL_LIB_SRC = $(wildcard tools/*/*.c)
LLMP_SRC    = $(wildcard llmp/*.c)
HDRS        = $(wildcard include/*.h) $(wildcard include/*.def)
UNIT_SRC    = $(wildcard tests/unit/test_*.c)
UNIT_HELP   = $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))

B = build
CC_LIB_OBJ = $(CC_LIB_SRC:%.c=$(B)/%.o)
CLIENT_OBJ = $(CLIENT_SRC:%.c=$(B)/%.o)
LLMP_OBJ   = $(LLMP_SRC:%.c=$(B)/%.o)
FUZZ_OBJ   = $(FUZZ_LIB_SRC:%.c=$(B)/%.o)
TOOL_LIB_OBJ = $(TOOL_LIB_SRC:%.c=$(B)/%.o)
RT_OBJ     = $(RT_SRC:%.c=$(B)/rt/%.o)
RT32_OBJ   = $(RT_SRC:%.c=$(B)/rt32/%.o)
DRIVER_OBJ = $(DRIVER_SRC:%.c=$(B)/rt/%.o)
PASS_OBJ   = $(PASS_SRC:%.cpp=$(B)/%.o)
TOOLS      = $(TOOL_SRC:tools/%.c=bin/%) bin/lop-fuzz
UNIT_BIN   = $(UNIT_SRC:tests/unit/%.c=$(B)/unit/%)
PROBE      = $(B)/tests/fsrv-probe
CMPLOG_DUMP = $(B)/tests/cmplog-dump

RT32_OK := $(shell printf 'int x;' | $(CC) -m32 -c -x c - -o /dev/null 2>/dev/null && \
             printf 'int main(void){return 0;}' | $(CC) -m32 -x c - -o /dev/null 2>/dev/null && echo yes)
RT_OUT  = lib/lop/afl-llvm-rt.o lib/lop/afl-llvm-rt-shared.o lib/lop/afl-llvm-rt.dynlist \
          lib/lop/afl-llvm-rt-shared.map lib/lop/libAFLDriver.a \
          $(if $(RT32_OK),lib/lop/afl-llvm-rt-32.o)

.PHONY: all docs check-llvm deps test test-unit test-ir test-integration test-compat \
        bench demo install uninstall clean format format-check lint
.PHONY: check-realworld bench-fuzz bench-llmp
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SECONDARY:

all: check-llvm bin/afl-clang-fast bin/afl-clang-fast++ lib/lop/afl-llvm-pass.so \
     $(RT_OUT) $(TOOLS) $(B)/libllmp.a

check-llvm:
	@scripts/check-build-deps "$(LLVM_CONFIG)"

# ---- wrapper -----------------------------------------------------------------
$(B)/afl-cc/%.o: afl-cc/%.c $(HDRS) $(wildcard afl-cc/*.h) | check-llvm
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEFS) -c $< -o $@

bin/afl-clang-fast: $(B)/afl-cc/main.o $(CC_LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@

bin/afl-clang-fast++: bin/afl-clang-fast
	ln -sf afl-clang-fast $@

# ---- pass --------------------------------------------------------------------
$(B)/llvm-pass/%.o: llvm-pass/%.cpp $(PASS_HDR) include/config.h | check-llvm
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(DEFS) -c $< -o $@

lib/lop/afl-llvm-pass.so: $(PASS_OBJ)
	@mkdir -p $(@D)
	$(CXX) -shared $(LLVM_LDFLAGS) $^ -o $@

# ---- runtime (one relocatable object linked into every target) -----------
$(B)/rt/%.o: %.c $(HDRS) $(RT_HDR) | check-llvm
	@mkdir -p $(@D)
	$(CC) $(RT_CFLAGS) -c $< -o $@

$(B)/rt32/%.o: %.c $(HDRS) $(RT_HDR) | check-llvm
	@mkdir -p $(@D)
	$(CC) $(RT_CFLAGS) -m32 -c $< -o $@

lib/lop/afl-llvm-rt.o: $(RT_OBJ)
	@mkdir -p $(@D)
	ld -r $^ -o $@

# Weak fallbacks linked into -shared libraries instead of the runtime.
lib/lop/afl-llvm-rt-shared.o: runtime/shared/afl-llvm-rt-shared.c $(HDRS) | check-llvm
	@mkdir -p $(@D)
	$(CC) $(RT_CFLAGS) -c $< -o $@

# Runtime symbols an executable exports so instrumented shared libraries
# (also dlopen()ed ones) use the executable's map, not their fallbacks.
lib/lop/afl-llvm-rt.dynlist: runtime/shared/afl-llvm-rt.dynlist
	@mkdir -p $(@D)
	cp $< $@

# Version node keeping those fallbacks global under a library's own
# version script (see afl-cc/phases.c).
lib/lop/afl-llvm-rt-shared.map: runtime/shared/afl-llvm-rt-shared.map
	@mkdir -p $(@D)
	cp $< $@

# The libFuzzer driver -fsanitize=fuzzer links (runtime/driver/): an
# archive, so a harness with its own main() does not pull it in.
$(B)/rt/runtime/driver/%.o: runtime/driver/%.c runtime/driver/driver.h $(HDRS) | check-llvm
	@mkdir -p $(@D)
	$(CC) $(RT_CFLAGS) -c $< -o $@

lib/lop/libAFLDriver.a: $(DRIVER_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

lib/lop/afl-llvm-rt-32.o: $(RT32_OBJ)
	@mkdir -p $(@D)
	ld -r -m elf_i386 $^ -o $@

# ---- client library and tools ------------------------------------------------
$(B)/forkserver/%.o: forkserver/%.c $(HDRS) $(wildcard forkserver/*.h) | check-llvm
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEFS) -c $< -o $@

$(B)/libfsrv.a: $(CLIENT_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# ---- llmp: message passing between fuzzer processes (docs/llmp.md) -------
$(B)/llmp/%.o: llmp/%.c $(HDRS) $(wildcard llmp/*.h) | check-llvm
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Illmp -c $< -o $@

$(B)/libllmp.a: $(LLMP_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# Throughput and latency of llmp against a pipe and a Unix socket.
$(B)/llmp-bench: bench/llmp-bench.c $(B)/libllmp.a $(HDRS) $(wildcard llmp/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -iquote llmp $< $(B)/libllmp.a -o $@

# ---- lop-fuzz: its rooms in build/libfuzz.a, main in fuzz/main.c ----------
$(B)/fuzz/%.o: fuzz/%.c $(HDRS) $(wildcard fuzz/*.h) | check-llvm
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEFS) -Ifuzz -c $< -o $@

$(B)/libfuzz.a: $(FUZZ_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

bin/lop-fuzz: $(B)/fuzz/main.o $(B)/libfuzz.a $(B)/libfsrv.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(filter %.o %.a,$^) -lm -o $@

# Parts of the tools kept apart for tests and fuzzing (tools/<tool>/*.c),
# linked into every tool.
$(B)/tools/%.o: tools/%.c $(HDRS) $(wildcard tools/*/*.h) | check-llvm
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEFS) -Itools -c $< -o $@

bin/%: tools/%.c $(TOOL_LIB_OBJ) $(B)/libfsrv.a $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEFS) -Itools $< $(TOOL_LIB_OBJ) $(B)/libfsrv.a -o $@

$(PROBE): tests/integration/fsrv-probe.c $(B)/libfsrv.a $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEFS) $< $(B)/libfsrv.a -o $@

$(CMPLOG_DUMP): tests/integration/cmplog-dump.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEFS) $< -o $@

# ---- unit tests: cmocka, ASan+UBSan, every library object linked in --------
# A test may list extra link flags (e.g. -Wl,--wrap=exit) in tests/unit/<name>.ldflags.
UNIT_LIB_SRC = $(CC_LIB_SRC) $(CLIENT_SRC) $(TOOL_LIB_SRC) $(FUZZ_LIB_SRC) $(LLMP_SRC) $(UNIT_HELP)
UNIT_LIB_OBJ = $(UNIT_LIB_SRC:%.c=$(B)/san/%.o)

UNIT_INC = -iquote afl-cc -iquote forkserver -iquote tools -iquote fuzz -iquote llmp -iquote tests/unit
$(B)/san/%.o: %.c $(HDRS) $(wildcard llmp/*.h) | check-llvm
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEFS) $(SAN_FLAGS) $(UNIT_INC) -c $< -o $@

$(B)/unit/%: tests/unit/%.c $(UNIT_LIB_OBJ) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEFS) $(SAN_FLAGS) $(UNIT_INC) $< $(UNIT_LIB_OBJ) \
	  $(shell cat tests/unit/$*.ldflags 2>/dev/null) -lcmocka -lm -o $@

# ---- llmp stress test: plain, ThreadSanitizer, ASan+UBSan ------------------
# N client threads x M messages through one broker thread (tests/llmp/).
LLMP_STRESS_SRC = tests/llmp/stress.c tests/unit/llmp_util.c $(LLMP_SRC)
LLMP_STRESS_CC  = $(CC) $(CFLAGS) -iquote llmp -iquote tests/unit $(LLMP_STRESS_SRC) -lpthread
.PHONY: test-llmp test-llmp-stress test-llmp-tsan test-llmp-asan
$(B)/llmp-stress: $(LLMP_STRESS_SRC) $(HDRS) $(wildcard llmp/*.h) tests/unit/llmp_util.h
	@mkdir -p $(@D)
	$(LLMP_STRESS_CC) -o $@
$(B)/tsan/llmp-stress: $(LLMP_STRESS_SRC) $(HDRS) $(wildcard llmp/*.h) tests/unit/llmp_util.h
	@mkdir -p $(@D)
	$(LLMP_STRESS_CC) -O1 -fsanitize=thread -o $@
$(B)/asan/llmp-stress: $(LLMP_STRESS_SRC) $(HDRS) $(wildcard llmp/*.h) tests/unit/llmp_util.h
	@mkdir -p $(@D)
	$(LLMP_STRESS_CC) $(SAN_FLAGS) -o $@
# All three, as `make test` runs them: tests/llmp/run.sh.
test-llmp: $(B)/llmp-stress $(B)/tsan/llmp-stress $(B)/asan/llmp-stress
	@LOP_ROOT=$(CURDIR) tests/llmp/run.sh
test-llmp-stress: $(B)/llmp-stress
	$(B)/llmp-stress 6 1500
test-llmp-tsan: $(B)/tsan/llmp-stress
	TSAN_OPTIONS=halt_on_error=1 $(B)/tsan/llmp-stress 4 1500
test-llmp-asan: $(B)/asan/llmp-stress
	$(B)/asan/llmp-stress 4 1500

# ---- self-fuzzing harnesses (tests/selffuzz, docs/selffuzz.md) ------------
# Persistent harnesses over lop's own parsers, built with lop's wrapper: the
# code under test is compiled with it too, so it is instrumented.
# build/selffuzz/<name> and, built with AFL_USE_ASAN=1,
# build/selffuzz/asan/<name>.
SF          = $(B)/selffuzz
SF_NAMES    = $(patsubst tests/selffuzz/fuzz_%.c,%,$(wildcard tests/selffuzz/fuzz_*.c))
SF_SRC_plan = $(CC_LIB_SRC)
SF_SRC_hello = forkserver/hello.c
SF_SRC_showmap_opts = $(TOOL_LIB_SRC)
SF_CFLAGS   = -O2 -g -std=c11 -D_GNU_SOURCE $(CWARN) -Iinclude -Iafl-cc -Iforkserver \
              -Itools -Itests/selffuzz $(DEFS) -DSELFFUZZ_LOP_ROOT='"$(CURDIR)"'
SF_WRAP     = AFL_QUIET=1 $(CURDIR)/bin/afl-clang-fast
SF_DEPS     = bin/afl-clang-fast lib/lop/afl-llvm-pass.so lib/lop/afl-llvm-rt.o $(HDRS)
.PHONY: selffuzz-harnesses
selffuzz-harnesses: $(SF_NAMES:%=$(SF)/%) $(SF_NAMES:%=$(SF)/asan/%)

$(SF)/obj/%.o: %.c $(SF_DEPS)
	@mkdir -p $(@D)
	$(SF_WRAP) $(SF_CFLAGS) -c $< -o $@
$(SF)/asan/obj/%.o: %.c $(SF_DEPS)
	@mkdir -p $(@D)
	AFL_USE_ASAN=1 $(SF_WRAP) $(SF_CFLAGS) -c $< -o $@

# sf_objs NAME,DIR: the objects of harness NAME's lop sources under DIR.
sf_objs = $(patsubst %.c,$(2)/%.o,$(SF_SRC_$(1)))

.SECONDEXPANSION:
$(SF)/asan/%: tests/selffuzz/fuzz_%.c tests/selffuzz/harness.h $$(call sf_objs,$$*,$(SF)/asan/obj) \
  $(SF_DEPS)
	@mkdir -p $(@D)
	AFL_USE_ASAN=1 $(SF_WRAP) $(SF_CFLAGS) $< $(call sf_objs,$*,$(SF)/asan/obj) -o $@
$(SF)/%: tests/selffuzz/fuzz_%.c tests/selffuzz/harness.h $$(call sf_objs,$$*,$(SF)/obj) $(SF_DEPS)
	@mkdir -p $(@D)
	$(SF_WRAP) $(SF_CFLAGS) $< $(call sf_objs,$*,$(SF)/obj) -o $@

# ---- the LLVM the tree is built for ---------------------------------------
# build/llvm-version names the LLVM (version and bindir) that every object
# under bin/, lib/ and build/ was compiled for. It is rewritten only when
# LLVM_CONFIG names another LLVM, and every compiled output depends on it, so
# switching LLVM_CONFIG without `make clean` rebuilds everything instead of
# mixing objects (a pass plugin built for one LLVM crashes another's clang).
# The 32-bit runtime is removed on a switch: whether it can be built at all
# depends on the new clang, and a stale one must not be linked.
LLVM_STAMP = $(B)/llvm-version
LLVM_ID    = $(LLVM_VERSION) $(LLVM_BINDIR)
.PHONY: FORCE

$(LLVM_STAMP): FORCE | check-llvm
	@mkdir -p $(@D)
	@if [ "$$(cat $@ 2>/dev/null)" != '$(LLVM_ID)' ]; then \
	  rm -f lib/lop/afl-llvm-rt-32.o; echo '$(LLVM_ID)' >$@; fi

$(B)/afl-cc/main.o $(CC_LIB_OBJ) $(PASS_OBJ) $(RT_OBJ) $(RT32_OBJ) $(DRIVER_OBJ) $(CLIENT_OBJ) $(TOOL_LIB_OBJ) $(FUZZ_OBJ) $(TOOLS) $(LLMP_OBJ) \
  $(PROBE) $(CMPLOG_DUMP) $(UNIT_LIB_OBJ) $(UNIT_BIN) lib/lop/afl-llvm-rt-shared.o: $(LLVM_STAMP)

# ---- tests -------------------------------------------------------------------
# test, demo, bench and check-realworld build what they run without echoing
# compiler command lines (make -s): their output starts with what they show.
# Compiler errors and make's "***" line still appear.
QUIET_BUILD = echo "== building lop (LLVM $(LLVM_VERSION))" && $(MAKE) -s --no-print-directory
TEST_ENV = LOP_ROOT=$(CURDIR) OPT=$(OPT) FILECHECK=$(FILECHECK) LLVM_CONFIG=$(LLVM_CONFIG) \
           LLVM_BINDIR=$(LLVM_BINDIR) PROBE=$(CURDIR)/$(PROBE) \
           CMPLOG_DUMP=$(CURDIR)/$(CMPLOG_DUMP)

LLMP_STRESS = $(B)/llmp-stress $(B)/tsan/llmp-stress $(B)/asan/llmp-stress

test: deps
	@$(QUIET_BUILD) all $(UNIT_BIN) $(PROBE) $(CMPLOG_DUMP) $(LLMP_STRESS)
	@$(TEST_ENV) scripts/run-tests unit llmp ir integration compat

test-unit: all $(UNIT_BIN)
	@$(TEST_ENV) scripts/run-tests unit
test-ir: all
	@$(TEST_ENV) scripts/run-tests ir
test-integration: all $(PROBE) $(CMPLOG_DUMP)
	@$(TEST_ENV) scripts/run-tests integration
test-compat: all $(PROBE) $(CMPLOG_DUMP)
	@$(TEST_ENV) scripts/run-tests compat

# Real-world builds: Debian source packages built with the wrapper, their
# own test suites, harnesses under afl-showmap and afl-fuzz (docs/realworld.md).
check-realworld: deps
	@$(QUIET_BUILD) all
	@$(TEST_ENV) bash tests/realworld/run.sh

deps:
	@LLVM_CONFIG="$(LLVM_CONFIG)" scripts/deps

demo: deps
	@$(QUIET_BUILD) all
	@LOP_ROOT=$(CURDIR) scripts/demo

bench: deps
	@$(QUIET_BUILD) all $(PROBE) $(B)/llmp-bench
	@LOP_ROOT=$(CURDIR) PROBE=$(CURDIR)/$(PROBE) bench/run
	@LOP_ROOT=$(CURDIR) bench/fuzz-bench
	@$(B)/llmp-bench

# The message-passing part of make bench alone (docs/llmp.md).
bench-llmp:
	@$(QUIET_BUILD) $(B)/llmp-bench
	@$(B)/llmp-bench

# The fuzzing part of make bench alone: lop-fuzz against afl-fuzz.
bench-fuzz: deps
	@$(QUIET_BUILD) all
	@LOP_ROOT=$(CURDIR) bench/fuzz-bench

docs:
	scripts/gen-env-doc >docs/environment.md

# ---- install -------------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(DOCDIR)
	install -m 755 bin/afl-clang-fast $(TOOLS) $(DESTDIR)$(BINDIR)/
	ln -sf afl-clang-fast $(DESTDIR)$(BINDIR)/afl-clang-fast++
	install -m 755 lib/lop/afl-llvm-pass.so $(DESTDIR)$(LIBDIR)/
	install -m 644 $(RT_OUT) $(DESTDIR)$(LIBDIR)/
	install -d $(DESTDIR)$(INCDIR)
	install -m 644 include/lop_diff.h $(DESTDIR)$(INCDIR)/
	install -m 644 README.md docs/*.md $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/afl-clang-fast $(DESTDIR)$(BINDIR)/afl-clang-fast++ \
	  $(TOOLS:bin/%=$(DESTDIR)$(BINDIR)/%)
	rm -rf $(DESTDIR)$(LIBDIR) $(DESTDIR)$(DOCDIR)
	rm -f $(DESTDIR)$(INCDIR)/lop_diff.h

clean:
	rm -rf $(B) bin lib

# ---- style ---------------------------------------------------------------------
FORMAT_SRC = $(wildcard include/*.h afl-cc/*.[ch] llvm-pass/*.cpp llvm-pass/*.h runtime/*.[ch] runtime/driver/*.[ch] \
               forkserver/*.[ch] tools/*.c tools/*/*.[ch] fuzz/*.[ch] test-targets/*.c test-targets/*.cpp tests/unit/*.[ch] \
               tests/integration/*.c tests/selffuzz/*.[ch] bench/*.c llmp/*.[ch])
FORMAT_SRC += $(wildcard tests/realworld/harness/*.[ch] tests/realworld/harness/*.cpp)
CLANG_FORMAT ?= $(or $(wildcard $(LLVM_BINDIR)/clang-format),clang-format)
CLANG_TIDY   ?= $(or $(wildcard $(LLVM_BINDIR)/clang-tidy),clang-tidy)

format:
	$(CLANG_FORMAT) -i $(FORMAT_SRC)

format-check:
	$(CLANG_FORMAT) --dry-run --Werror $(FORMAT_SRC)

lint: check-llvm
	$(CLANG_TIDY) --quiet $(CC_LIB_SRC) $(CC_MAIN) $(CLIENT_SRC) $(RT_SRC) $(DRIVER_SRC) $(TOOL_SRC) $(TOOL_LIB_SRC) \
	  $(FUZZ_LIB_SRC) $(FUZZ_MAIN) $(LLMP_SRC) -- $(CFLAGS) $(DEFS) -Itools -Ifuzz -Illmp
	$(CLANG_TIDY) --quiet $(PASS_SRC) -- $(CXXFLAGS) $(DEFS)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	  --suppress=missingIncludeSystem -Iinclude -D_GNU_SOURCE \
	  afl-cc forkserver runtime tools fuzz llmp
