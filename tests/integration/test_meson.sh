# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# A Meson project built with lop, as docs/usage.md tells: CC/CXX set for
# `meson setup`, then `meson compile` and `meson test`. Its programs and its
# shared library (Meson links it with -Wl,--no-undefined) must carry
# coverage that afl-showmap sees. Sourced by tests/integration/run.sh.

# magic_maps PROG: the afl-showmap maps of PROG for inputs that match 0, 1
# and 2 bytes of "MAGIC" (map.PROG.N); each must be non-empty and differ
# from the others, which only the library's branches tell apart.
magic_maps() {
  local prog=$1 input base
  for input in x M MA; do
    base=$(basename "$prog")
    printf '%s' "$input" | "$BIN/afl-showmap" -q -o "map.$base.$input" -- "$prog" >/dev/null
    [ -s "map.$base.$input" ] || fail "$base: no coverage for '$input'"
  done
  ! cmp -s "map.$base.x" "map.$base.M" || fail "$base: 'x' and 'M' gave the same map"
  ! cmp -s "map.$base.M" "map.$base.MA" || fail "$base: 'M' and 'MA' gave the same map (library not instrumented)"
}

test_meson_project() {
  command -v meson >/dev/null && command -v ninja >/dev/null ||
    t_skip "meson or ninja not installed (apt-get install meson ninja-build)"
  CC="$BIN/afl-clang-fast" CXX="$BIN/afl-clang-fast++" \
    meson setup b "$LOP_ROOT/tests/integration/projects/meson" >setup.log 2>&1 ||
    fail "meson setup: $(tail -n 5 setup.log)"
  meson compile -C b >build.log 2>&1 || fail "meson compile: $(tail -n 5 build.log)"
  meson test -C b >test.log 2>&1 || fail "meson test: $(tail -n 5 test.log)"
  [ "$(printf MAGIC | b/lopcheckxx)" = 5 ] || fail "the C++ program misbehaves"
  nm -D b/liblopmagic.so | grep -q ' T __afl_manual_init' && fail "the runtime was copied into the library"
  magic_maps b/lopcheck
  magic_maps b/lopcheckxx
}
