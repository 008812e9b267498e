# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Integration tests of AFL_LLVM_ALLOWLIST / AFL_LLVM_DENYLIST through the
# wrapper: what a list leaves out has no coverage (inputs that differ only
# there give the same map), what it keeps has, C++ functions are named as
# written in the source, and a list that cannot be read or parsed stops
# the build with one error naming the file (and line). Sourced by run.sh.

# list_edges TARGET WORD...: the map bytes (indices, counts left out) of
# each word, in edges.WORD.
list_edges() {
  local t=$1 w
  shift
  for w in "$@"; do
    printf '%s' "$w" | "$BIN/afl-showmap" -q -o map -- "$t" || fail "afl-showmap $t on '$w' failed"
    cut -d: -f1 map >"edges.$w"
  done
}

# Denying branchy's match_magic (built at -O0, so it is not inlined into
# main) hides how much of "LOP!" matched: Lxx, LOx and LOPx take the same
# edges elsewhere. An allowlist naming its file (a suffix of the path
# given to the compiler) keeps it; one naming another file drops all.
test_list_deny_function() {
  printf '# the magic checker\nfun:match_magic\n' >deny
  AFL_LLVM_DENYLIST=$T/deny build branchy "$TT/branchy.c" -O0
  list_edges ./branchy Lxx LOx LOPx
  cmp -s edges.Lxx edges.LOx && cmp -s edges.LOx edges.LOPx || fail "match_magic still has coverage"
  printf 'src:test-targets/branchy.c\n' >allow
  AFL_LLVM_ALLOWLIST=$T/allow build branchy "$TT/branchy.c" -O0
  list_edges ./branchy Lxx LOx
  ! cmp -s edges.Lxx edges.LOx || fail "the allowed file lost its coverage"
  printf 'src:other.c\n' >allow
  AFL_LLVM_ALLOWLIST=$T/allow AFL_DEBUG=1 "$BIN/afl-clang-fast" -o branchy "$TT/branchy.c" 2>log ||
    fail "build failed: $(cat log)"
  ! grep -q 'Instrumented [1-9]' log || fail "a file the allowlist does not name was instrumented: $(grep Instrumented log)"
}

# C++: a function denied by its demangled name, in the old one-name form.
test_list_cxx_demangled() {
  cat >pick.cpp <<'CXX'
#include <cstdio>
namespace shop {
volatile int seen;
__attribute__((noinline)) void pick(int c) {
  if (c == 'a') seen = 1;
  else if (c == 'b') seen = 2;
}
} // namespace shop
int main() { shop::pick(std::getchar()); return 0; }
CXX
  "$BIN/afl-clang-fast++" -O1 -o pick pick.cpp || fail "plain build failed"
  list_edges ./pick a b
  ! cmp -s edges.a edges.b || fail "a and b give the same map without a list"
  printf 'shop::pick\n' >deny
  AFL_LLVM_DENYLIST=$T/deny "$BIN/afl-clang-fast++" -O1 -o pick pick.cpp || fail "denied build failed"
  list_edges ./pick a b
  cmp -s edges.a edges.b || fail "shop::pick still has coverage"
}

# The laf passes leave denied functions alone too: a partial match of
# laf_progress's magic makes no progress when check() is denied.
test_list_applies_to_laf() {
  printf 'fun:check\n' >deny
  AFL_LLVM_LAF_ALL=1 AFL_LLVM_DENYLIST=$T/deny build laf "$TT/laf_progress.c" -O2
  head -c 32 /dev/zero >none
  { printf '\0\0\0\x5e'; head -c 28 /dev/zero; } >part
  "$BIN/afl-showmap" -q -o none.map -- ./laf <none
  "$BIN/afl-showmap" -q -o part.map -- ./laf <part
  cmp -s none.map part.map || fail "a denied function's compares were split"
}

test_list_unreadable_is_an_error() {
  printf 'int main(void) { return 0; }\n' >m.c
  expect_error "AFL_LLVM_ALLOWLIST=$T/none cannot be read (No such file or directory)" \
    env AFL_LLVM_ALLOWLIST="$T/none" "$BIN/afl-clang-fast" -o m m.c
  [ ! -e m ] || fail "a program was written"
  mkdir dir
  expect_error "AFL_LLVM_DENYLIST=$T/dir cannot be read" \
    env AFL_LLVM_DENYLIST="$T/dir" "$BIN/afl-clang-fast" -c m.c -o m.o
}

test_list_bad_line_is_an_error() {
  printf 'int main(void) { return 0; }\n' >m.c
  printf 'fun:main\n# fine\nfile:m.c\n' >list
  expect_error "$T/list:3: unknown prefix 'file:'" \
    env AFL_LLVM_DENYLIST="$T/list" "$BIN/afl-clang-fast" -o m m.c
  [ ! -e m ] || fail "a program was written"
  printf 'src:\n' >list
  expect_error "$T/list:1: 'src:' names nothing" \
    env AFL_LLVM_ALLOWLIST="$T/list" "$BIN/afl-clang-fast" -o m m.c
}

# In pcguard mode a denied function gets no guards (SanitizerCoverage
# skips what the list marks).
test_list_in_pcguard_mode() {
  printf 'fun:match_magic\n' >deny
  AFL_LLVM_INSTRUMENT=pcguard build branchy "$TT/branchy.c" -O0
  list_edges ./branchy Lxx LOx
  ! cmp -s edges.Lxx edges.LOx || fail "pcguard without a list does not see the magic"
  AFL_LLVM_INSTRUMENT=pcguard AFL_LLVM_DENYLIST=$T/deny build branchy "$TT/branchy.c" -O0
  list_edges ./branchy Lxx LOx
  cmp -s edges.Lxx edges.LOx || fail "match_magic still has guards"
}
