# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Our tools, their binaries; sourced by tests/compat/run.sh. Targets built
# by Debian's AFL++ 4.04c afl-clang-fast (pcguard, classic, its shared-
# memory testcase + persistent mode) run under lop's client (fsrv-probe)
# and afl-showmap. The hellos no installed fuzzer produces (classic 0,
# AFL++ >= 4.20c v1 with options, map size and dictionary, error words,
# half a word, silence, death) come from test-targets/conformance; each
# failure must be one line in words, a non-zero exit, and leave no shared
# memory segment and no process behind.

THEIR_CC=${THEIR_CC:-/usr/bin/afl-clang-fast}

need_their_cc() {
  [ -x "$THEIR_CC" ] || t_skip "AFL++ afl-clang-fast not installed (apt-get install afl++)"
}

# their_build MODE OUT SRC: compile with AFL++'s afl-clang-fast.
their_build() {
  local mode=$1 out=$2
  shift 2
  AFL_QUIET=1 AFL_LLVM_INSTRUMENT=$mode "$THEIR_CC" -o "$out" "$@" >build.log 2>&1 ||
    fail "AFL++ afl-clang-fast ($mode) could not build $out: $(tail -3 build.log)"
}

# input_dependent TARGET WORD...: lop's afl-showmap gives the same map for
# the same input twice and different maps for the first two words.
input_dependent() {
  local target=$1
  shift
  printf '%s' "$1" | "$BIN/afl-showmap" -q -o a.txt -- "$target" || fail "afl-showmap on $target failed"
  printf '%s' "$2" | "$BIN/afl-showmap" -q -o b.txt -- "$target" || fail "afl-showmap on $target failed"
  printf '%s' "$1" | "$BIN/afl-showmap" -q -o c.txt -- "$target" || fail "afl-showmap on $target failed"
  [ -s a.txt ] || fail "empty map for $target"
  cmp -s a.txt c.txt || fail "same input, different maps for $target"
  ! cmp -s a.txt b.txt || fail "different inputs, same map for $target"
}

test_their_pcguard_binary() {
  need_their_cc
  their_build PCGUARD branchy "$TT/branchy.c"
  "$PROBE" -n -- ./branchy </dev/null >out || fail "fsrv-probe failed"
  [ "$(hello_field hello)" = extended ] || fail "hello $(cat out)"
  [ "$(hello_field map_size)" -ge 64 ] && [ "$(hello_field map_size)" -lt 65536 ] ||
    fail "pcguard map size $(hello_field map_size): expected the exact small map"
  input_dependent ./branchy LOP! hello
}

test_their_classic_binary() {
  need_their_cc
  their_build CLASSIC branchy "$TT/branchy.c"
  "$PROBE" -n -- ./branchy </dev/null >out || fail "fsrv-probe failed"
  [ "$(hello_field hello)" = extended ] || fail "hello $(cat out)"
  [ "$(hello_field map_size)" = 65536 ] || fail "map size $(hello_field map_size)"
  input_dependent ./branchy LOP! hello
}

# Their shared-memory testcase + persistent + deferred mode, with lop's
# harness source: one process serves every input, through shm.
test_their_shm_persistent_binary() {
  need_their_cc
  their_build PCGUARD shm "$TT/shm_testcase.c"
  # The first iteration has its own entry edges: compare runs 2-4 only.
  inputs xx SHM SH SHM
  probe -s -- ./shm >out
  [ "$(hello_field shm_testcase)" = 1 ] || fail "no shm testcases: $(head -1 out)"
  [ "$(hello_field persistent)" = 1 ] && [ "$(hello_field deferred)" = 1 ] || fail "$(head -1 out)"
  [ "$(run_field 1 pid)" = "$(run_field 4 pid)" ] || fail "not persistent: pids differ"
  [ "$(run_field 2 hash)" = "$(run_field 4 hash)" ] || fail "same input, different maps"
  [ "$(run_field 2 hash)" != "$(run_field 3 hash)" ] || fail "maps do not depend on the input"
  input_dependent ./shm SHM xx
}

# lop's afl-showmap on every hello that works: the same three edges.
test_showmap_every_good_hello() {
  local mode
  cc -O0 -I"$LOP_ROOT/include" -o fsrv-script "$TT/conformance/fsrv-script.c" || fail "cc"
  for mode in classic garbage extended v1 dict big; do
    printf 'abc' | "$BIN/afl-showmap" -q -o map.txt -- ./fsrv-script $mode || fail "$mode: exit $?"
    [ "$(head -3 map.txt | tr '\n' ' ')" = "000098:1 000099:1 000100:1 " ] ||
      fail "$mode: map $(cat map.txt)"
  done
}

# bad_hello MODE TEXT: one line containing TEXT, exit 1, no segment created
# by this afl-showmap left, no fsrv-script process of this test left.
bad_hello() {
  local rc=0 pid
  "$BIN/afl-showmap" -t 100 -o map.txt -- "$T/fsrv-script" "$1" </dev/null >err.out 2>err.txt &
  pid=$!
  wait $pid || rc=$?
  [ "$rc" = 1 ] || fail "$1: exit $rc, expected 1"
  [ "$(grep -c . err.txt)" = 1 ] || fail "$1: not one line: $(cat err.txt)"
  grep -q "^afl-showmap: error: .*$2" err.txt || fail "$1: '$(cat err.txt)' lacks '$2'"
  ! awk -v p="$pid" '$5 == p' /proc/sysvipc/shm | grep -q . || fail "$1: segment leaked"
  ! pgrep -f "$T/fsrv-script" >/dev/null || fail "$1: target process left behind"
  [ ! -e map.txt ] || fail "$1: output written although the run failed"
}

test_showmap_every_bad_hello() {
  cc -O0 -I"$LOP_ROOT/include" -o fsrv-script "$TT/conformance/fsrv-script.c" || fail "cc"
  bad_hello silent "did not say hello within 1000 ms"
  bad_hello short "exited during the handshake (exit code 0)"
  bad_hello die "exited during the handshake (exit code 3)"
  bad_hello diesig "exited during the handshake (signal 11)"
  bad_hello errshmat "could not map the shared memory (shmat)"
  bad_hello errv1 "could not open the shared memory (shm_open)"
  bad_hello v1huge "announced a map of 268435456 bytes"
}
