#!/bin/bash
# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Integration tier: builds the targets of test-targets/ with the built
# bin/afl-clang-fast and runs them through lop's own client (fsrv-probe,
# afl-showmap), checking what a user would notice: coverage depends on the
# input, persistent and deferred modes work, crashes and hangs are told
# apart, shared libraries report edges, and each wrapper rule holds.
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.sh"
. "$(dirname "$0")/llvm-switch.sh"
. "$(dirname "$0")/compact.sh"
. "$(dirname "$0")/lop-fuzz.sh"

# ---- coverage through the forkserver -------------------------------------

test_inputs_give_different_maps() {
  build branchy "$TT/branchy.c"
  inputs hello LOP! LOPX hello
  probe ./branchy >out
  [ "$(hello_field hello)" = extended ] || fail "hello: $(head -1 out)"
  [ "$(hello_field map_size)" = 65536 ] || fail "map size: $(head -1 out)"
  [ "$(run_field 1 edges)" -gt 0 ] || fail "no edges"
  [ "$(run_field 1 hash)" = "$(run_field 4 hash)" ] || fail "same input, different maps"
  [ "$(run_field 1 hash)" != "$(run_field 2 hash)" ] || fail "different inputs, same map"
  [ "$(run_field 2 hash)" != "$(run_field 3 hash)" ] || fail "LOP! and LOPX gave the same map"
  # Every further matching byte of the magic reaches a map byte that no
  # shorter prefix reached: what a fuzzer needs to keep each step.
  local w
  : >seen
  for w in hello L LO LOP 'LOP!'; do
    printf '%s' "$w" | "$BIN/afl-showmap" -q -o "map.$w" -- ./branchy
    cut -d: -f1 "map.$w" | sort >ids
    [ -n "$(comm -23 ids seen)" ] || fail "$w reached no new map byte"
    sort -u seen ids -o seen
  done
}

# Join blocks are left uninstrumented (their edges are implied): every
# combination of arms still gives its own map, as with each block counted.
test_implied_blocks_keep_paths_apart() {
  build joins "$TT/joins.c"
  inputs ab ax zb zx ab
  probe ./joins >out
  local h1 h2 h3 h4
  h1=$(run_field 1 hash) h2=$(run_field 2 hash) h3=$(run_field 3 hash) h4=$(run_field 4 hash)
  [ "$(printf '%s\n' "$h1" "$h2" "$h3" "$h4" | sort -u | wc -l)" = 4 ] ||
    fail "arm combinations share a map: $h1 $h2 $h3 $h4"
  [ "$(run_field 5 hash)" = "$h1" ] || fail "the same input gave a different map"
}

# A function's entry counts the edge from its caller's block: two inputs
# that run the same blocks, but enter f and g from swapped call sites, give
# different classic maps. Compact mode counts no such edge (documented):
# its maps are the same.
test_caller_block_enters_callee_edge() {
  build callsites "$TT/callsites.c"
  compact_build callsites.compact "$TT/callsites.c"
  inputs a b a
  probe ./callsites >out
  [ "$(run_field 1 hash)" = "$(run_field 3 hash)" ] || fail "the same input gave a different map"
  [ "$(run_field 1 hash)" != "$(run_field 2 hash)" ] || fail "swapped call sites gave the same map"
  [ "$(run_field 1 edges)" = "$(run_field 2 edges)" ] || fail "edge counts differ: $(cat out)"
  probe ./callsites.compact >out
  [ "$(run_field 1 hash)" = "$(run_field 2 hash)" ] || fail "compact maps differ: $(cat out)"
}

test_showmap_text_output() {
  build branchy "$TT/branchy.c"
  printf 'hello' | "$BIN/afl-showmap" -q -o a.txt -- ./branchy
  printf 'LOP!' | "$BIN/afl-showmap" -q -o b.txt -- ./branchy
  printf 'hello' | "$BIN/afl-showmap" -q -o c.txt -- ./branchy
  [ -s a.txt ] || fail "empty map"
  grep -qvE '^[0-9]{6}:[0-9]+$' a.txt && fail "bad line format: $(grep -vE '^[0-9]{6}:[0-9]+$' a.txt | head -1)"
  grep -q '^000000:' a.txt && fail "byte 0 (alive marker) reported as an edge"
  cmp -s a.txt c.txt || fail "same input, different output"
  ! cmp -s a.txt b.txt || fail "different inputs, same output"
}

# Whatever descriptors afl-showmap inherits (stdin closed, or every one up
# to the forkserver's 198/199 taken), a real target gets each input: the
# maps are those of an ordinary run.
test_showmap_inherited_descriptors() {
  build branchy "$TT/branchy.c"
  inputs hello LOP! LOPX
  "$BIN/afl-showmap" -q -i in -o plain -- ./branchy
  "$BIN/afl-showmap" -q -i in -o closed -- ./branchy <&-
  bash -c 'for ((i = 3; i <= 197; i++)); do eval "exec $i</dev/null"; done
    exec "$0" -q -i in -o taken -- ./branchy' "$BIN/afl-showmap"
  diff -r plain closed >d.txt || fail "stdin closed: $(head -3 d.txt)"
  diff -r plain taken >d.txt || fail "fds 3..197 taken: $(head -3 d.txt)"
  ! cmp -s plain/1 plain/2 || fail "different inputs, same map"
}

test_file_input_at_at() {
  build branchy "$TT/branchy.c"
  printf 'LOP!' >in1
  printf 'hello' >in2
  "$BIN/afl-showmap" -q -o a.txt -- ./branchy @@ <in1 >/dev/null
  "$BIN/afl-showmap" -q -o b.txt -- ./branchy @@ <in2 >/dev/null
  "$BIN/afl-showmap" -q -o c.txt -- ./branchy @@ <in1 >/dev/null
  [ -s a.txt ] || fail "no map with @@"
  cmp -s a.txt c.txt || fail "@@: same input, different maps"
  ! cmp -s a.txt b.txt || fail "@@: different inputs, same map"
  inputs 'LOP!' hello
  probe -f "$T/cur" ./branchy @@ >out
  [ "$(run_field 1 hash)" != "$(run_field 2 hash)" ] || fail "-f: different inputs, same map"
}

test_showmap_output_to_fifo_keeps_it() {
  build branchy "$TT/branchy.c"
  mkfifo out.fifo
  cat out.fifo >got.txt &
  printf 'LOP!' | "$BIN/afl-showmap" -q -o out.fifo -- ./branchy
  wait
  [ -p out.fifo ] || fail "afl-showmap replaced the FIFO it was told to write to"
  [ -s got.txt ] || fail "nothing arrived through the FIFO"
}

test_run_by_hand_like_plain() {
  build branchy "$TT/branchy.c"
  "$CLANG" -O2 -o plain "$TT/branchy.c"
  for input in "" LOP! "$(printf '%0150d' 7)"; do
    a=$(printf '%s' "$input" | ./branchy 2>&1; echo "rc=$?")
    b=$(printf '%s' "$input" | ./plain 2>&1; echo "rc=$?")
    [ "$a" = "$b" ] || fail "by hand: '$a' vs plain '$b'"
  done
}

# AFL_DUMP_MAP_SIZE (AFL++'s query, which afl-cmin makes when the name is
# in the binary): the map size the hello announces, alone on stdout, exit
# 255, the program not run; classic, compact, pcguard and deferred builds.
# Set to 0 it is off.
test_dump_map_size() {
  build classic "$TT/branchy.c"
  AFL_LLVM_INSTRUMENT=compact build compact "$TT/branchy.c"
  AFL_LLVM_INSTRUMENT=pcguard build pcguard "$TT/branchy.c"
  build deferred "$TT/deferred.c"
  grep -q AFL_DUMP_MAP_SIZE classic || fail "the name is not in the binary"
  inputs x
  for t in classic compact pcguard deferred; do
    local got rc=0
    got=$(AFL_DUMP_MAP_SIZE=1 "./$t" 2>err.txt) || rc=$?
    [ "$rc" = 255 ] || fail "$t: exit $rc after the dump"
    [ ! -s err.txt ] || fail "$t: stderr $(cat err.txt)"
    probe "./$t" >out
    [ "$got" = "$(hello_field map_size)" ] ||
      fail "$t: dumped '$got', hello announces $(hello_field map_size)"
  done
  [ "$(AFL_DUMP_MAP_SIZE=1 ./classic)" = 65536 ] || fail "classic map not 64 KiB"
  # Left set for a run, it is named in afl-showmap's error; nothing leaks.
  AFL_DUMP_MAP_SIZE=1 expect_error "AFL_DUMP_MAP_SIZE is set; unset it" \
    tracked "$BIN/afl-showmap" -o map.txt -- ./classic
  [ ! -e map.txt ] || fail "afl-showmap wrote a map"
  [ "$(shm_created_by "$TRACKED_PID")" = 0 ] || fail "afl-showmap left a segment"
  a=$(printf LOP! | AFL_DUMP_MAP_SIZE=0 ./classic; echo "rc=$?")
  b=$(printf LOP! | ./classic; echo "rc=$?")
  [ "$a" = "$b" ] || fail "AFL_DUMP_MAP_SIZE=0: '$a' against '$b'"
}

# Keeping prev_loc and the map pointer in registers must not change a
# single map byte: the same edges, the same counts, persistent iterations
# still reset, the same for a C++ target with exceptions and calls.
test_register_cache_keeps_maps() {
  for t in branchy.c persistent.c deferred.c cxx.cpp; do
    cc=$BIN/afl-clang-fast
    [ "${t##*.}" = cpp ] && cc=$BIN/afl-clang-fast++
    "$cc" -o "cached.${t%.*}" "$TT/$t"
    AFL_LLVM_NO_REGISTER_CACHE=1 "$cc" -o "plain.${t%.*}" "$TT/$t"
    ! cmp -s "cached.${t%.*}" "plain.${t%.*}" || fail "$t: AFL_LLVM_NO_REGISTER_CACHE changed nothing"
  done
  inputs hello LOP! LOPX 4242424242424242 A AB Z D DE alpha gamma 42
  for t in branchy persistent deferred cxx; do
    probe "./cached.$t" | sed 's/pid=[0-9]* //' >"$t.cached"
    probe "./plain.$t" | sed 's/pid=[0-9]* //' >"$t.plain"
    diff "$t.plain" "$t.cached" >/dev/null || fail "$t: maps differ: $(diff "$t.plain" "$t.cached" | head -4)"
  done
}

test_reproducible_build_and_seed() {
  build one "$TT/branchy.c"
  build two "$TT/branchy.c"
  cmp -s one two || fail "two builds of the same source differ"
  AFL_SEED=1234 build three "$TT/branchy.c"
  ! cmp -s one three || fail "AFL_SEED did not change the ids"
}

# The client starts targets with LD_BIND_NOW=1, so the dynamic linker
# resolves symbols once in the forkserver rather than in every child; a
# user's own LD_BIND_NOW is kept, and LD_BIND_LAZY leaves binding lazy.
test_target_binds_symbols_at_start() {
  printf '%s\n' '#include <stdlib.h>' '#include <string.h>' \
    'int main(void) { const char *v = getenv("LD_BIND_NOW");' \
    '  return !v ? 12 : strcmp(v, "1") ? 11 : 10; }' >bind.c
  build bind bind.c
  inputs x
  probe ./bind >out
  [ "$(run_field 1 status)" = 0xa00 ] || fail "LD_BIND_NOW=1 not set: $(cat out)"
  LD_BIND_NOW=yes probe ./bind >out
  [ "$(run_field 1 status)" = 0xb00 ] || fail "the user's LD_BIND_NOW was replaced: $(cat out)"
  LD_BIND_LAZY=1 probe ./bind >out
  [ "$(run_field 1 status)" = 0xc00 ] || fail "LD_BIND_LAZY did not keep binding lazy: $(cat out)"
}

test_no_leaked_segments() {
  build branchy "$TT/branchy.c"
  inputs a b c
  tracked "$PROBE" ./branchy <list >/dev/null
  [ "$(shm_created_by "$TRACKED_PID")" = 0 ] || fail "fsrv-probe left a segment"
  printf x >x.in
  tracked "$BIN/afl-showmap" -q -o /dev/null -- ./branchy <x.in
  [ "$(shm_created_by "$TRACKED_PID")" = 0 ] || fail "afl-showmap left a segment"
  # The check itself sees a segment left behind.
  tracked ipcmk -M 4096 >/dev/null
  [ "$(shm_created_by "$TRACKED_PID")" = 1 ] || fail "shm_created_by missed ipcmk's segment"
  ipcrm -m "$(awk -v pid="$TRACKED_PID" '$5 == pid {print $2}' /proc/sysvipc/shm)"
}

# ---- persistent, deferred, shm testcases ---------------------------------

# The first iteration of a process also covers the edges into the loop, so
# maps are compared from the second input on (as under afl-fuzz).
test_persistent_many_inputs_one_process() {
  build persistent "$TT/persistent.c"
  inputs A A Z A AB A
  probe ./persistent >out
  [ "$(hello_field persistent)" = 1 ] || fail "persistent signature not detected"
  pids=$(grep '^pid=' out | sed -E 's/pid=([0-9]+).*/\1/' | sort -u | wc -l)
  [ "$pids" = 1 ] || fail "$pids processes for 6 inputs"
  [ "$(run_field 2 hash)" = "$(run_field 4 hash)" ] || fail "state leaked between iterations"
  [ "$(run_field 2 hash)" = "$(run_field 6 hash)" ] || fail "state leaked after AB"
  [ "$(run_field 2 hash)" != "$(run_field 3 hash)" ] || fail "A and Z gave the same map"
  [ "$(run_field 2 status)" = 0x137f ] || fail "persistent child not stopped: $(run_field 2 status)"
}

test_persistent_by_hand_runs_once() {
  build persistent "$TT/persistent.c"
  out=$(printf A | LOP_TEST_VERBOSE=1 ./persistent)
  [ "$out" = "iterations=1" ] || fail "by hand: '$out'"
}

test_deferred_init_runs_once() {
  build deferred "$TT/deferred.c"
  inputs D DE x D
  LOP_TEST_INIT_LOG=$T/init.log probe ./deferred >out
  [ "$(hello_field deferred)" = 1 ] || fail "deferred signature not detected"
  [ "$(wc -l <init.log)" = 1 ] || fail "expensive init ran $(wc -l <init.log) times"
  [ "$(run_field 1 hash)" = "$(run_field 4 hash)" ] || fail "same input, different maps"
  [ "$(run_field 1 hash)" != "$(run_field 2 hash)" ] || fail "D and DE gave the same map"
  [ "$(run_field 2 status)" = 0x200 ] || fail "exit code not relayed: $(run_field 2 status)"
}

test_deferred_by_hand() {
  build deferred "$TT/deferred.c"
  rc=0
  printf DE | LOP_TEST_INIT_LOG=$T/init.log ./deferred || rc=$?
  [ "$rc" = 2 ] || fail "exit code $rc by hand"
  [ "$(wc -l <init.log)" = 1 ] || fail "init did not run once by hand"
}

test_shm_testcases() {
  build shm_testcase "$TT/shm_testcase.c"
  inputs SHM SHM xx SHM 123456789
  probe -s ./shm_testcase >out
  [ "$(hello_field shm_testcase)" = 1 ] || fail "shm testcases not negotiated: $(head -1 out)"
  [ "$(run_field 2 hash)" = "$(run_field 4 hash)" ] || fail "same input, different maps"
  [ "$(run_field 2 hash)" != "$(run_field 3 hash)" ] || fail "SHM and xx gave the same map"
  [ "$(run_field 3 hash)" != "$(run_field 5 hash)" ] || fail "length not delivered"
}

test_shm_testcase_target_by_hand_reads_stdin() {
  build shm_testcase "$TT/shm_testcase.c"
  out=$(printf SHM | ./shm_testcase)
  [ "$out" = shm ] || fail "by hand: '$out'"
  inputs SHM SHM xx
  probe ./shm_testcase >out
  [ "$(hello_field shm_testcase)" = 0 ] || fail "shm testcases used though the client offered none"
  [ "$(run_field 2 hash)" != "$(run_field 3 hash)" ] || fail "stdin fallback: same map"
}

# ---- verdicts --------------------------------------------------------------

test_crash_verdicts() {
  build crash "$TT/crash.c"
  inputs ok CRASH SEGV ok
  probe ./crash >out
  [ "$(run_field 1 verdict)" = ok ] || fail "ok input: $(sed -n 2p out)"
  [ "$(run_field 2 verdict)" = crash ] || fail "abort: $(sed -n 3p out)"
  [ "$(run_field 2 status)" = 0x6 ] || fail "abort status: $(run_field 2 status)"
  [ "$(run_field 3 verdict)" = crash ] || fail "segv: $(sed -n 4p out)"
  [ "$(run_field 3 status)" = 0xb ] || fail "segv status: $(run_field 3 status)"
  [ "$(run_field 4 verdict)" = ok ] || fail "forkserver did not survive the crash"
  rc=0
  printf CRASH | "$BIN/afl-showmap" -q -o m.txt -- ./crash || rc=$?
  [ "$rc" = 2 ] || fail "afl-showmap exit code on a crash: $rc"
}

test_hang_verdict_and_kill() {
  build hang "$TT/hang.c"
  inputs ok HANG ok
  probe -t 1000 ./hang >out
  [ "$(run_field 1 verdict)" = ok ] || fail "ok input: $(sed -n 2p out)"
  [ "$(run_field 2 verdict)" = hang ] || fail "hang: $(sed -n 3p out)"
  [ "$(run_field 3 verdict)" = ok ] || fail "forkserver did not survive the hang"
  sleep 0.2
  pgrep -x hang >/dev/null && fail "a hanging child outlived the client"
  rc=0
  printf HANG | "$BIN/afl-showmap" -q -t 300 -o m.txt -- ./hang || rc=$?
  [ "$rc" = 1 ] || fail "afl-showmap exit code on a hang: $rc"
}

# ---- C++ and shared libraries ----------------------------------------------

test_cxx_target() {
  "$BIN/afl-clang-fast++" -o cxx "$TT/cxx.cpp" || fail "C++ build failed"
  inputs alpha gamma 42 nope
  probe ./cxx >out
  [ "$(run_field 1 hash)" != "$(run_field 2 hash)" ] || fail "alpha and gamma gave the same map"
  [ "$(run_field 3 hash)" != "$(run_field 4 hash)" ] || fail "exception path not seen"
  [ "$(printf gamma | ./cxx)" = gamma ] || fail "C++ target misbehaves by hand"
}

test_shared_library_edges() {
  build_shlib
  "$BIN/afl-clang-fast" -o main "$TT/shlib/main.c" -L. -ltarget -Wl,-rpath,"$T"
  inputs xy xq q
  probe ./main >out
  [ "$(run_field 1 hash)" != "$(run_field 2 hash)" ] || fail "library edges missing (xy = xq)"
  [ "$(run_field 2 hash)" != "$(run_field 3 hash)" ] || fail "library edges missing (xq = q)"
}

test_dlopened_library_edges() {
  build_shlib
  "$BIN/afl-clang-fast" -DLOP_DLOPEN -o main "$TT/shlib/main.c" -ldl
  inputs xy q
  LOP_SHLIB=$T/libtarget.so probe ./main >out
  [ "$(run_field 1 verdict)" = ok ] || fail "dlopen failed: $(sed -n 2p out)"
  [ "$(run_field 1 hash)" != "$(run_field 2 hash)" ] || fail "dlopen()ed library edges missing"
}

# versioned_lib SCRIPT: libtarget.so linked with the version script SCRIPT.
versioned_lib() {
  "$BIN/afl-clang-fast" -shared -fPIC -Wl,-z,defs -Wl,--version-script="$1" \
    -o libtarget.so "$TT/shlib/libtarget.c" || fail "-shared build with $1 failed"
  "$BIN/afl-clang-fast" -o main "$TT/shlib/main.c" -L. -ltarget -Wl,-rpath,"$T"
}

test_shared_library_with_named_version_script() {
  printf 'LOPTEST_1 {\n  global: lop_shlib_check;\n  local: *;\n};\n' >lib.map
  versioned_lib lib.map
  nm -D libtarget.so | grep -q ' lop_shlib_check@@LOPTEST_1' || fail "user's version node lost"
  inputs xy xq q
  probe ./main >out
  [ "$(run_field 1 hash)" != "$(run_field 2 hash)" ] || fail "library edges lost under 'local: *' (xy = xq)"
  [ "$(run_field 2 hash)" != "$(run_field 3 hash)" ] || fail "library edges lost under 'local: *' (xq = q)"
  "$CLANG" -o plain "$TT/shlib/main.c" -L. -ltarget -Wl,-rpath,"$T"
  printf xy | ./plain || fail "versioned library breaks an uninstrumented program"
}

test_shared_library_with_anonymous_version_script_links() {
  printf '/* comment */ {\n  global: lop_shlib_check;\n  local: *;\n};\n' >anon.map
  versioned_lib anon.map
  printf xy | ./main || fail "library with an anonymous version script misbehaves"
}

test_shared_library_in_plain_program() {
  build_shlib
  "$CLANG" -o plain "$TT/shlib/main.c" -L. -ltarget -Wl,-rpath,"$T"
  printf xy | ./plain || fail "instrumented library breaks an uninstrumented program"
  # dlopen()ed, its initial-exec prev_loc needs the loader's static TLS.
  "$CLANG" -DLOP_DLOPEN -o plain-dl "$TT/shlib/main.c" -ldl
  printf xy | LOP_SHLIB=$T/libtarget.so ./plain-dl ||
    fail "instrumented library breaks an uninstrumented program that dlopen()s it (exit $?)"
}

# A library reaches prev_loc without a call: initial-exec TLS, never
# __tls_get_addr (general-dynamic costs a call per access).
test_shared_library_tls_without_calls() {
  build_shlib
  objdump -d libtarget.so | grep -q '__tls_get_addr' &&
    fail "the library calls __tls_get_addr: $(objdump -d libtarget.so | grep -c __tls_get_addr) times"
  readelf -d libtarget.so | grep -q STATIC_TLS || fail "no DF_STATIC_TLS: prev_loc is not initial-exec"
}

# ---- wrapper rules ---------------------------------------------------------

test_compile_then_link() {
  "$BIN/afl-clang-fast" -c "$TT/branchy.c" -o branchy.o
  nm branchy.o | grep -q __afl_manual_init && fail "-c object contains the runtime"
  nm branchy.o | grep -q '__afl_area_ptr' || fail "-c object not instrumented"
  "$BIN/afl-clang-fast" branchy.o -o branchy
  [ "$(nm branchy | grep -c ' T __afl_manual_init')" = 1 ] || fail "runtime not linked exactly once"
  ar rcs libb.a branchy.o
  "$BIN/afl-clang-fast" -o fromlib libb.a
  printf 'LOP!' | ./fromlib >/dev/null
}

test_non_link_steps_have_no_runtime() {
  printf 'int main(void){return 0;}\n' >m.c
  for flags in "-c" "-S" "-E" "-M" "-MM" "-fsyntax-only"; do
    # shellcheck disable=SC2086
    AFL_DEBUG=1 "$BIN/afl-clang-fast" $flags m.c -o out.$$ 2>cmd >/dev/null || fail "$flags failed: $(cat cmd)"
    grep -q 'afl-llvm-rt' cmd && fail "$flags links the runtime: $(cat cmd)"
  done
  "$BIN/afl-clang-fast" -E m.c | grep -q afl-llvm-rt && fail "-E output names the runtime"
  "$BIN/afl-clang-fast" -c m.c -o a.o
  AFL_DEBUG=1 "$BIN/afl-clang-fast" -r a.o -o r.o 2>cmd
  grep -q 'afl-llvm-rt' cmd && fail "-r links the runtime"
  true
}

test_response_file() {
  printf 'int main(void){return 0;}\n' >m.c
  printf -- '-c\n-o m.o\n' >args.rsp
  "$BIN/afl-clang-fast" @args.rsp m.c || fail "@file build failed"
  nm m.o | grep -q __afl_manual_init && fail "runtime linked into a -c build given by @file"
  true
}

test_shared_with_z_defs() {
  build_shlib
  nm -D libtarget.so | grep -q ' T __afl_manual_init' && fail "runtime copied into the library"
  true
}

test_x_language_closed_before_runtime() {
  "$BIN/afl-clang-fast" -x c - -o fromstdin <"$TT/branchy.c" || fail "-x c - build failed"
  printf 'LOP!' | ./fromstdin | grep -q magic || fail "binary from -x c - misbehaves"
}

test_macros_defined() {
  out=$("$BIN/afl-clang-fast" -E -dM -x c /dev/null)
  for m in __AFL_HAVE_MANUAL_CONTROL __AFL_COMPILER FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION \
    '__AFL_LOOP(' '__AFL_INIT(' '__AFL_FUZZ_INIT(' __AFL_FUZZ_TESTCASE_BUF __AFL_FUZZ_TESTCASE_LEN; do
    echo "$out" | grep -qF "#define $m" || fail "$m not defined"
  done
  cat >strict.c <<'EOF'
#include <unistd.h>
__AFL_FUZZ_INIT();
int main(void) {
  __AFL_INIT();
  unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
  int n = 0;
  while (__AFL_LOOP(10))
    n += (int)__AFL_FUZZ_TESTCASE_LEN + buf[0];
  return n > 1000;
}
EOF
  "$BIN/afl-clang-fast" -Wall -Wextra -Werror -o strict strict.c || fail "harness macros warn under -Wall -Wextra -Werror"
  cp strict.c strict.cpp
  "$BIN/afl-clang-fast++" -Wall -Wextra -Werror -o strictxx strict.cpp || fail "harness macros fail in C++"
}

test_quiet_output() {
  printf 'int main(void){return 0;}\n' >m.c
  "$BIN/afl-clang-fast" -o m m.c >out 2>err
  [ ! -s out ] || fail "stdout not empty: $(cat out)"
  [ ! -s err ] || fail "stderr not empty without a terminal: $(cat err)"
  "$BIN/afl-clang-fast" --version >out 2>&1
  diff <("$CLANG" --version 2>&1) out >/dev/null || fail "--version differs from clang's"
}

test_optimisation_flags() {
  printf 'int main(void){return 0;}\n' >m.c
  AFL_DEBUG=1 "$BIN/afl-clang-fast" -c m.c 2>cmd
  grep -q -- ' -O3' cmd && grep -q -- '-funroll-loops' cmd || fail "no -O3 -funroll-loops by default: $(cat cmd)"
  AFL_DEBUG=1 "$BIN/afl-clang-fast" -O1 -c m.c 2>cmd
  grep -q -- ' -O3' cmd && fail "-O3 added although the user gave -O1"
  AFL_DEBUG=1 AFL_DONT_OPTIMIZE=1 "$BIN/afl-clang-fast" -c m.c 2>cmd
  grep -q -- ' -O3' cmd && fail "-O3 added under AFL_DONT_OPTIMIZE"
  "$BIN/afl-clang-fast" -O0 -c m.c -o m0.o
  nm m0.o | grep -q __afl_area_ptr || fail "-O0 build not instrumented"
}

test_pcguard_mode() {
  AFL_LLVM_INSTRUMENT=pcguard AFL_DEBUG=1 "$BIN/afl-clang-fast" -c "$TT/branchy.c" -o b.o 2>cmd
  grep -q 'trace-pc-guard' cmd || fail "pcguard compile lacks trace-pc-guard"
  AFL_LLVM_INSTRUMENT=pcguard AFL_DEBUG=1 "$BIN/afl-clang-fast" b.o -o branchy 2>cmd
  grep -q 'sanitize-coverage' cmd && fail "trace-pc-guard on the link line"
  nm branchy | grep -q __sanitizer_cov_trace_pc_guard || fail "no guard hooks"
  AFL_TRACE_PC=1 build branchy2 "$TT/branchy.c"
  nm branchy2 | grep -q __sanitizer_cov_trace_pc_guard_init || fail "AFL_TRACE_PC did not select pcguard"
  inputs hello LOP! hello
  probe ./branchy >out
  [ "$(run_field 1 hash)" = "$(run_field 3 hash)" ] || fail "pcguard: same input, different maps"
  [ "$(run_field 1 hash)" != "$(run_field 2 hash)" ] || fail "pcguard: different inputs, same map"
  [ "$(hello_field map_size)" -lt 65536 ] || fail "pcguard map not exact: $(hello_field map_size)"
}

# Compiled and linked in one step, a pcguard program gets lop's hooks only,
# not UBSan's runtime that -fsanitize-coverage pulls in by itself; with
# AFL_USE_ASAN it still gets ASan's runtime.
test_pcguard_one_step_links_no_sanitizer_runtime() {
  AFL_LLVM_INSTRUMENT=pcguard build branchy "$TT/branchy.c"
  nm branchy | grep -q '__sanitizer[0-9]*[A-Z]' &&
    fail "sanitizer runtime linked: $(nm branchy | grep -c __sanitizer) symbols"
  AFL_LLVM_INSTRUMENT=pcguard AFL_USE_ASAN=1 build asan "$TT/branchy.c"
  nm asan | grep -q __asan_init || fail "AFL_USE_ASAN lost its runtime"
  printf hello | ./asan >/dev/null || fail "the ASan pcguard build does not run"
}

test_sanitizer_build_runs() {
  AFL_USE_ASAN=1 build branchy "$TT/branchy.c"
  nm branchy | grep -q __asan_init || fail "AFL_USE_ASAN did not build with ASan"
  inputs hello LOP!
  probe ./branchy >out
  [ "$(run_field 1 verdict)" = ok ] || fail "ASan build does not run: $(sed -n 2p out)"
  [ "$(run_field 1 hash)" != "$(run_field 2 hash)" ] || fail "ASan build: same map"
  AFL_HARDEN=1 AFL_DEBUG=1 "$BIN/afl-clang-fast" -c "$TT/branchy.c" 2>cmd
  grep -q -- '-fstack-protector-all' cmd || fail "AFL_HARDEN did not add stack protector"
}

# ---- the static edge log (LOP_EDGE_LOG) and make bench's collision count ---

# Parallel compiles through the wrapper share one log: it holds exactly the
# lines of the same compiles run one by one, each naming its source file.
test_edge_log_parallel_compiles() {
  local srcs="branchy crash deferred hang joins persistent shm_testcase"
  for s in $srcs; do
    LOP_EDGE_LOG=$T/one.log "$BIN/afl-clang-fast" -c "$TT/$s.c" -o "$s.o" || fail "compile of $s.c failed"
  done
  for s in $srcs; do
    LOP_EDGE_LOG=$T/par.log "$BIN/afl-clang-fast" -c "$TT/$s.c" -o "par-$s.o" &
  done
  wait
  [ "$(wc -l <one.log)" -gt 20 ] || fail "too few edges logged: $(wc -l <one.log)"
  diff <(sort one.log) <(sort par.log) >d.txt || fail "parallel log differs: $(head -5 d.txt)"
  for s in $srcs; do
    grep -q " $TT/$s.c\$" par.log || fail "no edge of $s.c in the log"
  done
  while read -r byte p b rest; do
    [ "$byte" -eq $(((p >> 1) ^ b)) ] || fail "wrong map byte in: $byte $p $b $rest"
  done <par.log
}

test_edge_log_bad_path_is_one_error() {
  printf 'int main(int c, char **v){return c > 1 ? v[1][0] : 0;}\n' >m.c
  expect_error "LOP_EDGE_LOG=$T/nodir/e cannot be opened for appending (No such file or directory)" \
    env LOP_EDGE_LOG="$T/nodir/e" "$BIN/afl-clang-fast" -c m.c
  [ ! -e m.o ] || fail "an object was written despite the error"
}

# bench/collisions.sh counts distinct edges, the bytes they use and the
# edges sharing a byte; a line repeated in the log is one edge.
test_collision_count() {
  . "$LOP_ROOT/bench/collisions.sh"
  printf '%s\n' '5 0 5 0 1 f a.c' '5 0 5 0 2 f a.c' '5 0 5 0 1 f a.c' '7 0 7 1 2 f a.c' \
    '9 2 8 0 3 g a.c' '9 2 8 0 3 g b c.c' >log
  [ "$(collisions_count log)" = "5 3 4" ] || fail "count: $(collisions_count log)"
  [ "$(collisions_line t 5 3 4)" = "collisions t: 4 of 5 edges (80.0%) share a map byte with another edge; 3 bytes used (random ids: 0.0%)" ] ||
    fail "line: $(collisions_line t 5 3 4)"
}

# ---- error paths: one line, non-zero exit -----------------------------------

test_error_bad_inst_ratio() {
  printf 'int main(void){return 0;}\n' >m.c
  for v in 0 101 abc 5x; do
    expect_error "AFL_INST_RATIO" env AFL_INST_RATIO=$v "$BIN/afl-clang-fast" -c m.c
  done
}

test_error_asan_with_msan() {
  printf 'int main(void){return 0;}\n' >m.c
  expect_error "AFL_USE_ASAN and AFL_USE_MSAN" env AFL_USE_ASAN=1 AFL_USE_MSAN=1 "$BIN/afl-clang-fast" -c m.c
}

test_error_bad_mode() {
  printf 'int main(void){return 0;}\n' >m.c
  expect_error "use classic, pcguard or compact" env AFL_LLVM_INSTRUMENT=bogus "$BIN/afl-clang-fast" -c m.c
  expect_error "for compact; unset one" env AFL_LLVM_INSTRUMENT=compact AFL_TRACE_PC=1 "$BIN/afl-clang-fast" -c m.c
  [ ! -e m.o ] || fail "an object was written"
}

test_error_m32_without_runtime() {
  [ -e "$LOP_ROOT/lib/lop/afl-llvm-rt-32.o" ] && t_skip "this build has a 32-bit runtime"
  printf 'int main(void){return 0;}\n' >m.c
  expect_error "-m32" "$BIN/afl-clang-fast" -m32 m.c -o m
}

test_error_missing_runtime() {
  mkdir -p fake/bin
  cp "$BIN/afl-clang-fast" fake/bin/
  printf 'int main(void){return 0;}\n' >m.c
  expect_error "not found" env -u AFL_PATH fake/bin/afl-clang-fast m.c -o m
}

test_error_showmap_not_instrumented() {
  "$CLANG" -o plain "$TT/branchy.c"
  printf x >x.in
  expect_error "" tracked "$BIN/afl-showmap" -q -o out.txt -- ./plain <x.in
  [ ! -e out.txt ] || fail "output written for an uninstrumented target"
  [ "$(shm_created_by "$TRACKED_PID")" = 0 ] || fail "segment leaked"
}

test_error_showmap_missing_target() {
  expect_error "" "$BIN/afl-showmap" -q -o out.txt -- ./does-not-exist
}

test_error_showmap_unknown_flag() {
  expect_error "" "$BIN/afl-showmap" -y -o out.txt -- /bin/true
}

test_error_no_arguments_gives_usage() {
  rc=0
  "$BIN/afl-clang-fast" >out.txt 2>err.txt || rc=$?
  [ "$rc" = 1 ] || fail "exit $rc without arguments"
  [ ! -s out.txt ] || fail "usage went to stdout"
  grep -q 'usage: afl-clang-fast' err.txt || fail "no usage: $(cat err.txt)"
}

test_error_compiler_not_runnable() {
  printf 'int main(void){return 0;}\n' >m.c
  expect_error "cannot run /nonexistent/cc" env AFL_CC=/nonexistent/cc "$BIN/afl-clang-fast" -c m.c
  expect_error "cannot run /nonexistent/cxx" env AFL_CXX=/nonexistent/cxx "$BIN/afl-clang-fast++" -c m.c
}

test_debug_shows_command_and_unknown_variables() {
  printf 'int main(void){return 0;}\n' >m.c
  AFL_DEBUG=1 AFL_BOGUS_THING=1 "$BIN/afl-clang-fast" -c m.c 2>err.txt >out.txt
  [ ! -s out.txt ] || fail "AFL_DEBUG wrote to stdout"
  grep -q 'warning: AFL_BOGUS_THING' err.txt || fail "unknown AFL_ variable not reported"
  grep -q 'afl-clang-fast: .*clang .*-fpass-plugin=.*afl-llvm-pass.so' err.txt || fail "no command line: $(cat err.txt)"
  grep -q 'Instrumented [0-9]* locations' err.txt || fail "pass summary missing under AFL_DEBUG"
  cp m.c conftest.c
  AFL_BOGUS_THING=1 "$BIN/afl-clang-fast" -c conftest.c 2>err.txt
  [ ! -s err.txt ] || fail "warning printed for a configure probe: $(cat err.txt)"
}

test_terminal_banner_and_quiet() {
  command -v script >/dev/null || t_skip "script(1) not installed"
  printf 'int main(void){return 0;}\n' >m.c
  script -qec "'$BIN/afl-clang-fast' -c m.c" /dev/null >tty.log
  grep -q 'afl-clang-fast .*(lop, LLVM [0-9]*, classic mode)' tty.log || fail "no banner on a terminal: $(cat tty.log)"
  grep -q 'Instrumented [0-9]* locations' tty.log || fail "no pass summary on a terminal"
  AFL_QUIET=1 script -qec "'$BIN/afl-clang-fast' -c m.c" /dev/null >quiet.log
  [ "$(tr -d '\r\n' <quiet.log)" = "" ] || fail "AFL_QUIET still printed: $(cat quiet.log)"
}

# ---- build systems and install ------------------------------------------------

test_autotools_project() {
  command -v autoreconf >/dev/null || t_skip "autoconf/automake not installed"
  cp -r "$LOP_ROOT/tests/integration/projects/autotools" proj && cd proj
  autoreconf -fi >/dev/null 2>&1 || fail "autoreconf failed"
  CC="$BIN/afl-clang-fast" CXX="$BIN/afl-clang-fast++" ./configure >conf.log 2>&1 || fail "configure: $(tail -5 config.log)"
  make >make.log 2>&1 || fail "make: $(tail -5 make.log)"
  nm src/lopcalc | grep -q __afl_area_ptr || fail "autotools binary not instrumented"
  [ "$(echo '2 3' | ./src/lopcalc)" = 5 ] || fail "autotools binary misbehaves"
}

test_cmake_project() {
  command -v cmake >/dev/null || t_skip "cmake not installed"
  cmake -S "$LOP_ROOT/tests/integration/projects/cmake" -B b \
    -DCMAKE_C_COMPILER="$BIN/afl-clang-fast" -DCMAKE_CXX_COMPILER="$BIN/afl-clang-fast++" \
    >cm.log 2>&1 || fail "cmake configure: $(tail -5 cm.log)"
  cmake --build b >build.log 2>&1 || fail "cmake build: $(tail -5 build.log)"
  nm b/lopcalc | grep -q __afl_area_ptr || fail "CMake C binary not instrumented"
  nm -C b/lopcalcxx | grep -q __afl_area_ptr || fail "CMake C++ binary not instrumented"
  [ "$(echo '2 3' | b/lopcalcxx)" = 6 ] || fail "CMake C++ binary misbehaves"
}

test_error_missing_llvm_names_package() {
  expect_error "llvm-99-dev" make -s -C "$LOP_ROOT" LLVM_CONFIG=llvm-config-99 all
}

test_newest_llvm_config_is_picked() {
  mkdir -p path tools
  for v in 9 15 19; do
    printf '#!/bin/sh\necho %s.0.0\n' "$v" >path/llvm-config-$v
    chmod +x path/llvm-config-$v
  done
  # A PATH without a plain llvm-config: only the tools the script uses.
  for t in sh tr basename sort tail; do ln -s "$(command -v $t)" tools/$t; done
  got=$(PATH="$T/path:$T/tools" "$T/tools/sh" "$LOP_ROOT/scripts/find-llvm-config")
  [ "$got" = llvm-config-19 ] || fail "picked '$got' of llvm-config-9/15/19"
}

test_install_layout() {
  make -s -C "$LOP_ROOT" install PREFIX=/opt/lop DESTDIR="$T/stage" >inst.log 2>&1 || fail "install: $(tail -5 inst.log)"
  [ -x stage/opt/lop/bin/afl-clang-fast ] || fail "no bin/afl-clang-fast"
  [ -L stage/opt/lop/bin/afl-clang-fast++ ] || fail "no afl-clang-fast++ link"
  [ -f stage/opt/lop/lib/lop/afl-llvm-rt.o ] || fail "no runtime"
  stage/opt/lop/bin/afl-clang-fast -o b "$TT/branchy.c" || fail "installed wrapper cannot build"
  printf 'LOP!' | ./b | grep -q magic || fail "binary from the installed wrapper misbehaves"
  [ -f stage/opt/lop/lib/lop/libAFLDriver.a ] || fail "no libFuzzer driver"
  stage/opt/lop/bin/afl-clang-fast -fsanitize=fuzzer -o lf "$TT/libfuzzer.c" ||
    fail "installed wrapper cannot build a libFuzzer harness"
  printf 'FUZa' | ./lf || fail "libFuzzer harness from the installed wrapper misbehaves"
}

# ---- the environment table ---------------------------------------------------

test_env_doc_matches_table() {
  "$LOP_ROOT/scripts/gen-env-doc" >env.md
  diff -u "$LOP_ROOT/docs/environment.md" env.md >d.txt || fail "docs/environment.md is stale; run make docs: $(head -20 d.txt)"
}

test_every_env_read_is_in_table() {
  cd "$LOP_ROOT"
  used=$(grep -rhoE 'getenv\("AFL_[A-Z0-9_]+"\)' afl-cc llvm-pass runtime forkserver tools |
    grep -oE 'AFL_[A-Z0-9_]+' | sort -u)
  for v in $used; do
    grep -q "^LOP_ENV($v," include/envs.def || fail "$v is read but not declared in include/envs.def"
  done
}

# More cases, one file per topic: tests/integration/test_*.sh.
for f in "$(dirname "$0")"/test_*.sh; do
  . "$f"
done

run_all_tests
t_summary
