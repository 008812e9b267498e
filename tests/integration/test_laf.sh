# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Integration tests of the laf-intel passes (AFL_LLVM_LAF_*): programs
# built with them compute what they compute without them, and an input
# matching part of a magic value reaches map bytes one matching none does
# not. Sourced by run.sh.

# laf_values: 64-bit values (hex) at the edges the passes could get wrong:
# byte and sign boundaries, the targets' magic values and their
# neighbours, float and double bit patterns (+-0, +-1, +-inf, NaN,
# denormals, 3.25, -2.5).
laf_values() {
  echo 0 1 2 7f 80 ff 100 1234 1200 7fff 8000 ffff 10000 5eedf00d 5eedf00c \
    5eedf10d 5fedf00d 7fffffff 80000000 ffffffff 100000000 7fffffffffffffff \
    8000000000000000 ffffffffffffffff 11223344 11223355 1122ff00 deadbeef \
    3f800000 bf800000 7f800000 ff800000 7fc00000 40500000 400a000000000000 \
    c004000000000000 7ff8000000000000 3ff0000000000000 bff0000000000000 \
    7ff0000000000000 fff0000000000000 800fffffffffffff 0000000000000001 \
    fffffffffff00000 fffffffffffffffb ffffffffc4653600 c4653601
}

# laf_lines: every pair of laf_values, then words for the string compares.
laf_lines() {
  local a b w
  for a in $(laf_values); do
    for b in $(laf_values); do echo "$a $b"; done
  done
  for w in '' open-sesame open-sesamE open-sesame! open-sesam OPEN-SESAME zzz \
    hello HeLLo hellp hell Hellp ABCD ABCE ABC ABCDEF magic mag maz MAGIC magi x; do
    echo "s $w"
  done
}

# laf_build OUT SRC [VARS...]: build SRC at -O2 with VARS set; the pass's
# "Instrumented N locations" count goes to OUT.count.
laf_build() {
  local out=$1 src=$2
  shift 2
  env "$@" AFL_DEBUG=1 "$BIN/afl-clang-fast" -O2 -o "$out" "$src" 2>"$out.log" ||
    fail "building $out with $* failed: $(grep error "$out.log" | head -3)"
  sed -n 's/^afl-llvm-pass: Instrumented \([0-9]*\) locations.*/\1/p' "$out.log" >"$out.count"
}

# Over 2,200 inputs (every pair of edge values through 16- to 128-bit,
# signed and unsigned compares, switches, float and double compares, and
# words through strcmp & co.), each laf variable alone and all of them
# print exactly what the plain build prints; each adds counters.
test_laf_keeps_results() {
  laf_lines >lines
  laf_build plain "$TT/laf_semantics.c"
  ./plain <lines >plain.out || fail "the plain build failed"
  [ "$(wc -l <plain.out)" = "$(wc -l <lines)" ] || fail "the plain build printed $(wc -l <plain.out) lines"
  local v
  for v in AFL_LLVM_LAF_ALL AFL_LLVM_LAF_SPLIT_COMPARES AFL_LLVM_LAF_SPLIT_SWITCHES \
    AFL_LLVM_LAF_TRANSFORM_COMPARES AFL_LLVM_LAF_SPLIT_FLOATS; do
    laf_build "$v" "$TT/laf_semantics.c" "$v=1"
    ./"$v" <lines >"$v.out" || fail "the $v build failed"
    cmp -s plain.out "$v.out" ||
      fail "$v changed results: $(diff plain.out "$v.out" | head -4)"
    [ "$(cat "$v.count")" -gt "$(cat plain.count)" ] ||
      fail "$v added no counters ($(cat "$v.count") vs $(cat plain.count))"
  done
  laf_build all16 "$TT/laf_semantics.c" AFL_LLVM_LAF_ALL=1 AFL_LLVM_LAF_SPLIT_COMPARES_BITW=16
  ./all16 <lines | cmp -s plain.out - || fail "AFL_LLVM_LAF_SPLIT_COMPARES_BITW=16 changed results"
}

# The same at -O0, where nothing is folded before the passes run.
test_laf_keeps_results_unoptimised() {
  laf_lines >lines
  "$BIN/afl-clang-fast" -O0 -o plain "$TT/laf_semantics.c" || fail "plain -O0 build failed"
  AFL_LLVM_LAF_ALL=1 "$BIN/afl-clang-fast" -O0 -o laf "$TT/laf_semantics.c" ||
    fail "laf -O0 build failed"
  ./plain <lines >plain.out
  ./laf <lines >laf.out
  cmp -s plain.out laf.out || fail "AFL_LLVM_LAF_ALL -O0 changed results: $(diff plain.out laf.out | head -4)"
}

# laf_input MAGIC KEY REAL WORD: the 16 bytes of laf_progress's values
# (printf escapes) and WORD.
laf_input() {
  printf "$1$2$3%s" "$4"
}

# laf_edges TARGET INPUTFILE OUT: the map bytes afl-showmap reports, sorted.
laf_edges() {
  "$BIN/afl-showmap" -q -o "$3.map" -- "$1" <"$2" || fail "afl-showmap on $2 failed"
  cut -d: -f1 "$3.map" | sort >"$3"
}

# An input with the first byte of each magic value right (the most
# significant byte of the integer, switch key and double; 'op' of the
# string) reaches map bytes an input with none right does not, and more
# of them, with AFL_LLVM_LAF_ALL; the plain build cannot tell the two
# apart. Each further matching byte of the integer reaches a new map byte.
test_laf_partial_match_reaches_more() {
  laf_build plain "$TT/laf_progress.c"
  laf_build laf "$TT/laf_progress.c" AFL_LLVM_LAF_ALL=1
  local z4='\0\0\0\0' z8='\0\0\0\0\0\0\0\0'
  laf_input "$z4" "$z4" "$z8" '' >none
  laf_input '\0\0\0\x5e' '\0\0\0\x11' '\0\0\0\0\0\0\0\x40' 'op' >part
  laf_input '\x0d\xf0\xed\x5e' '\x44\x33\x22\x11' '\0\0\0\0\0\x4a\x93\x40' 'open-sesame' >full
  ./laf <full && fail "the full match did not reach the end"
  [ $? = 42 ] || fail "the full match exited $?, not 42"
  laf_edges ./plain none plain.none
  laf_edges ./plain part plain.part
  cmp -s plain.none plain.part || fail "the plain build already tells the inputs apart"
  laf_edges ./laf none laf.none
  laf_edges ./laf part laf.part
  [ -n "$(comm -13 laf.none laf.part)" ] || fail "the partial match reached no new map byte"
  [ "$(wc -l <laf.part)" -gt "$(wc -l <laf.none)" ] ||
    fail "the partial match reached $(wc -l <laf.part) map bytes, no more than $(wc -l <laf.none)"
  local m
  cp laf.none seen
  for m in '\0\0\0\x5e' '\0\0\xed\x5e' '\0\xf0\xed\x5e' '\x0d\xf0\xed\x5e'; do
    laf_input "$m" "$z4" "$z8" '' >in.m
    laf_edges ./laf in.m m
    [ -n "$(comm -23 m seen)" ] || fail "magic bytes $m reached no new map byte"
    sort -u seen m -o seen
  done
}

# A bad AFL_LLVM_LAF_SPLIT_COMPARES_BITW stops the build with one error.
test_laf_bad_split_width() {
  printf 'int main(void) { return 0; }\n' >m.c
  expect_error "AFL_LLVM_LAF_SPLIT_COMPARES_BITW=12 is not a width" \
    env AFL_LLVM_LAF_SPLIT_COMPARES_BITW=12 "$BIN/afl-clang-fast" -c m.c -o m.o
  [ ! -e m.o ] || fail "an object was written"
}

# In pcguard mode (clang's SanitizerCoverage counts) the wrapper loads
# lop's plugin for the laf passes, which run before SanitizerCoverage: a
# partial match reaches more map bytes there too.
test_laf_in_pcguard_mode() {
  AFL_LLVM_INSTRUMENT=pcguard build plain "$TT/laf_progress.c" -O2
  AFL_LLVM_INSTRUMENT=pcguard AFL_LLVM_LAF_ALL=1 build laf "$TT/laf_progress.c" -O2
  head -c 32 /dev/zero >none
  { printf '\0\0\0\x5e'; head -c 28 /dev/zero; } >part
  laf_edges ./plain none plain.none
  laf_edges ./plain part plain.part
  cmp -s plain.none plain.part || fail "the plain pcguard build already tells the inputs apart"
  laf_edges ./laf none laf.none
  laf_edges ./laf part laf.part
  [ -n "$(comm -13 laf.none laf.part)" ] || fail "the partial match reached no new map byte"
}
