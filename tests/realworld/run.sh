#!/bin/bash
# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Real-world tier (`make check-realworld`): builds Debian source packages
# (zlib, libpng1.6, sqlite3, tinyxml2 in C++, cjson) with lop's wrapper
# through their own build systems, runs their own test suites on the
# instrumented build, then runs a small harness per library (harness/)
# through lop's afl-showmap and under Debian's afl-fuzz, and the projects'
# own libFuzzer harnesses (libpng, cjson) under lop-fuzz and afl-fuzz;
# once per mode (plain, and laf: everything built with AFL_LLVM_LAF_ALL). Sources are downloaded once into
# $LOP_REALWORLD_DIR/cache (default /tmp/lop-realworld); the build tree is
# made anew each run and removed at the end. docs/realworld.md has the
# details and the measured durations.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"
. "$HERE/sources.sh"
. "$HERE/steps.sh"

RW_DIR=${LOP_REALWORLD_DIR:-/tmp/lop-realworld}
RW_CACHE=$RW_DIR/cache
RW_BUILD=$RW_DIR/build
HARNESS=$HERE/harness
AFL_SHOWMAP=${AFL_SHOWMAP:-/usr/bin/afl-showmap}
AFL_FUZZ=${AFL_FUZZ:-/usr/bin/afl-fuzz}

# Parallel jobs of each library build (the CI machine has 2 cores).
RW_JOBS=2
# Seconds afl-fuzz runs on each harness.
RW_FUZZ_SECS=8
# Executions lop-fuzz and afl-fuzz each run a project's libFuzzer harness.
RW_LF_EXECS=20000
# Modes: every library is built and tested once per mode, with the mode's
# variables exported (mode_vars). plain: lop's defaults; laf: the laf-intel
# passes (AFL_LLVM_LAF_ALL), which must keep every library's own tests
# passing. LOP_REALWORLD_MODES (e.g. "laf") runs some of them.
RW_MODES="plain laf"
mode_vars() {
  case $1 in
    plain) ;;
    laf) echo AFL_LLVM_LAF_ALL=1 ;;
    *) return 1 ;;
  esac
}
# How many times longer than plain a mode's builds and test suites may take:
# laf builds compile about twice as long and run their chains instead of
# single compares (libpng's `make check` ran 31 of its 32 tests in 600 s on
# a machine with a load average of 17).
mode_scale() {
  case $1 in
    laf) echo 3 ;;
    *) echo 1 ;;
  esac
}
# Upper bounds (seconds) of one configure, one build, one test suite run in
# plain mode (RW_*_TIMEOUT are these times mode_scale).
RW_CONFIGURE_BOUND=300
RW_BUILD_BOUND=900
RW_CHECK_BOUND=600

# The libraries build with their own flags: nothing of lop's own build or of
# an outer make may leak into them.
unset CFLAGS CXXFLAGS CPPFLAGS LDFLAGS MAKEFLAGS MFLAGS MAKELEVEL
export CC=$BIN/afl-clang-fast CXX=$BIN/afl-clang-fast++
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  AFL_NO_AFFINITY=1 AFL_QUIET=1
export RW_CACHE RW_BUILD HARNESS

rm -rf "$RW_BUILD"
mkdir -p "$RW_CACHE" "$RW_BUILD"
trap 'rm -rf "$RW_BUILD"' EXIT

. "$HERE/libs.sh"

echo "== realworld tests (cache $RW_CACHE)"
rw_start=$SECONDS
run_test "apt sources (deb-src, dpkg-dev, build dependencies)" step_prepare
for mode in ${LOP_REALWORLD_MODES:-$RW_MODES}; do
  mode_start=$SECONDS
  vars=$(mode_vars "$mode") || { echo "error: unknown real-world mode '$mode'; use one of: $RW_MODES" >&2; exit 2; }
  scale=$(mode_scale "$mode")
  RW_CONFIGURE_TIMEOUT=$((RW_CONFIGURE_BOUND * scale))
  RW_BUILD_TIMEOUT=$((RW_BUILD_BOUND * scale))
  RW_CHECK_TIMEOUT=$((RW_CHECK_BOUND * scale))
  for v in $vars; do export "${v?}"; done
  for lib in $RW_LIBS; do
    # LOP_TEST_FILTER (a grep -E pattern on library names) selects some.
    if [ -n "${LOP_TEST_FILTER:-}" ] && ! echo "$lib" | grep -qE "$LOP_TEST_FILTER"; then
      continue
    fi
    run_lib "$lib" "$mode"
  done
  for v in $vars; do unset "${v%%=*}"; done
  echo "  time mode $mode: $((SECONDS - mode_start)) s"
done
echo "  time total: $((SECONDS - rw_start)) s"
t_summary
