# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Integration tests of the compact map mode (AFL_LLVM_INSTRUMENT=compact):
# the hello announces exactly the map the program's counters need, every
# counter has its own byte, inputs are told apart as in classic mode, and
# shared libraries, dlopen() and classic code mixed in all stay safe.
# Sourced by run.sh.

# compact_build OUT SRC [FLAGS...]: build in compact mode; the pass's
# "Instrumented N locations" count goes to OUT.count.
compact_build() {
  local out=$1 cc=$BIN/afl-clang-fast
  shift
  case $1 in *.cpp) cc=$BIN/afl-clang-fast++ ;; esac
  AFL_LLVM_INSTRUMENT=compact AFL_DEBUG=1 "$cc" -o "$out" "$@" 2>"$out.log" ||
    fail "compact build of $out failed: $(tail -1 "$out.log")"
  sed -n 's/^afl-llvm-pass: Instrumented \([0-9]*\) locations (compact map.*/\1/p' \
    "$out.log" | awk '{n += $1} END {print n + 0}' >"$out.count"
}

# A compact build announces ids 1..N rounded up to 64 bytes, and its edges
# are exactly the bytes 1..N.
test_compact_map_is_exact() {
  compact_build branchy "$TT/branchy.c"
  local n size
  n=$(cat branchy.count)
  [ "$n" -gt 5 ] || fail "only $n counters"
  inputs hello LOP!
  probe ./branchy >out
  size=$(hello_field map_size)
  [ "$size" = $(((n + 1 + 63) / 64 * 64)) ] || fail "map size $size for $n counters"
  printf 'LOP!' | "$BIN/afl-showmap" -q -o map.txt -- ./branchy
  [ -s map.txt ] || fail "no edges"
  awk -F: -v n="$n" '$1 + 0 < 1 || $1 + 0 > n {bad = 1} END {exit bad}' map.txt ||
    fail "an edge outside 1..$n: $(cat map.txt)"
}

# Inputs that classic maps tell apart are told apart by compact maps too,
# and the same inputs give the same maps (plain, persistent, deferred, C++).
test_compact_paths_like_classic() {
  inputs hello LOP! LOPX 4242424242424242 A AB Z D DE alpha gamma 42 hello
  for t in branchy.c persistent.c deferred.c cxx.cpp joins.c; do
    local cc=$BIN/afl-clang-fast
    [ "${t##*.}" = cpp ] && cc=$BIN/afl-clang-fast++
    "$cc" -o "classic.${t%.*}" "$TT/$t" 2>/dev/null || fail "classic build of $t failed"
    compact_build "compact.${t%.*}" "$TT/$t"
    probe "./classic.${t%.*}" | grep -o 'hash=[0-9a-f]*' >h.classic
    probe "./compact.${t%.*}" | grep -o 'hash=[0-9a-f]*' >h.compact
    local a b both
    a=$(sort -u h.classic | wc -l) b=$(sort -u h.compact | wc -l)
    both=$(paste h.classic h.compact | sort -u | wc -l)
    [ "$a" -gt 1 ] || fail "$t: classic maps all alike"
    [ "$a" = "$b" ] && [ "$b" = "$both" ] ||
      fail "$t: $a classic maps, $b compact maps, $both pairs"
  done
}

# A compact library linked into a compact executable gets ids after the
# executable's: the hello covers both and the library's edges show.
test_compact_shared_library() {
  compact_build libtarget.so "$TT/shlib/libtarget.c" -shared -fPIC -Wl,-z,defs
  compact_build main "$TT/shlib/main.c" -L. -ltarget -Wl,-rpath,"$T"
  local n
  n=$(($(cat libtarget.so.count) + $(cat main.count)))
  inputs xy xq q
  probe ./main >out
  [ "$(hello_field map_size)" = $(((n + 1 + 63) / 64 * 64)) ] ||
    fail "map size $(hello_field map_size) for $n counters"
  [ "$(run_field 1 hash)" != "$(run_field 2 hash)" ] || fail "library edges missing (xy = xq)"
  [ "$(run_field 2 hash)" != "$(run_field 3 hash)" ] || fail "library edges missing (xq = q)"
}

# Classic code anywhere in the process keeps the map at 64 KiB: its
# indices reach 65535.
test_compact_with_classic_library() {
  build_shlib
  compact_build main "$TT/shlib/main.c" -L. -ltarget -Wl,-rpath,"$T"
  inputs xy xq
  probe ./main >out
  [ "$(hello_field map_size)" -ge 65536 ] || fail "map size $(hello_field map_size) with classic code"
  [ "$(run_field 1 hash)" != "$(run_field 2 hash)" ] || fail "classic library edges missing"
}

# Libraries dlopen()ed after the hello (compact or classic) run without
# crashing the target: their ids lie beyond the announced map.
test_compact_dlopen_is_safe() {
  compact_build main "$TT/shlib/main.c" -DLOP_DLOPEN -ldl
  compact_build libcompact.so "$TT/shlib/libtarget.c" -shared -fPIC
  "$BIN/afl-clang-fast" -shared -fPIC -o libclassic.so "$TT/shlib/libtarget.c" ||
    fail "classic library build failed"
  inputs xy xq q
  for lib in libcompact.so libclassic.so; do
    LOP_SHLIB=$T/$lib probe ./main >out
    for i in 1 2 3; do
      [ "$(run_field $i verdict)" = ok ] || fail "$lib: run $i: $(sed -n "$((i + 1))p" out)"
    done
  done
}

# A compact map over 64 KiB (a switch of 66000 cases): lop's client offers
# 64 KiB first, the runtime refuses it before its hello, and the client
# starts it again with a segment the map fits in; the last case's edge
# lies beyond 64 KiB.
test_compact_map_over_64k() {
  awk 'BEGIN {
    print "#include <unistd.h>\nvolatile int sink;"
    print "int main(void) { unsigned x = 0; (void)!read(0, &x, 4);\n  switch (x) {"
    for (i = 0; i < 66000; i++) printf "  case %d: sink = %d; break;\n", i * 7, i
    print "  }\n  return 0;\n}" }' >big.c
  compact_build big big.c -O0
  printf '\251\014\007\000' >last # 461993 = 7 * 65999, little-endian
  "$BIN/afl-showmap" -q -o map.txt -- ./big <last ||
    fail "afl-showmap failed on a $(cat big.count)-counter map"
  awk -F: '$1 + 0 >= 65536 {far = 1} END {exit !far}' map.txt ||
    fail "no edge beyond 64 KiB: $(cat map.txt)"
  inputs x
  probe ./big >out
  [ "$(hello_field map_size)" -gt 65536 ] || fail "hello map_size $(hello_field map_size)"
}
