# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# A libFuzzer harness built with lop's -fsanitize=fuzzer driver under
# Debian's AFL++ 4.04c; sourced by tests/compat/run.sh. afl-fuzz detects
# persistent and deferred mode, uses shared-memory testcases, runs
# LLVMFuzzerInitialize once per fork server (not per input) and finds the
# planted crash within a bounded number of executions; afl-showmap (which
# also runs the harness without a fork server) reads input-dependent maps.

test_afl_fuzz_runs_libfuzzer_harness() {
  need_afl
  "$BIN/afl-clang-fast" -fsanitize=fuzzer "$TT/libfuzzer.c" -o h || fail "build"
  mkdir -p seeds && printf 'FUZa' >seeds/a
  # -D: the deterministic interesting values turn the 'a' into 0xff.
  LOP_TEST_INIT_LOG=$T/init.log AFL_BENCH_UNTIL_CRASH=1 timeout -s INT 300 \
    "$AFL_FUZZ" -D -s 1 -E 200000 -i seeds -o out -- ./h >fuzz.log 2>&1 ||
    fail "afl-fuzz failed: $(grep -E 'PROGRAM ABORT|Location|ERROR' fuzz.log | head -3)"
  grep -q 'Persistent mode binary detected' fuzz.log || fail "persistent mode not detected"
  grep -q 'Deferred forkserver binary detected' fuzz.log || fail "deferred fork server not detected"
  [ "$(stat target_mode | sed "s/ *$//")" = "persistent shmem_testcase deferred" ] ||
    fail "target_mode '$(stat target_mode)'"
  [ "$(stat saved_crashes)" -gt 0 ] || fail "no crash within the bound (execs $(stat execs_done))"
  local inits execs
  inits=$(wc -l <init.log) execs=$(stat execs_done)
  echo "execs_done $execs, LLVMFuzzerInitialize ran $inits times, $(stat execs_per_sec) execs/s"
  [ $((execs / inits)) -gt 50 ] || fail "$inits initialisations for $execs execs"
  local c rc=0
  c=$(find out/default/crashes -name 'id:*' | head -n 1)
  ./h "$c" >/dev/null 2>&1 || rc=$?
  [ "$rc" = 134 ] || fail "the crash afl-fuzz saved exits $rc by hand"
}

test_afl_showmap_libfuzzer_harness() {
  need_afl
  "$BIN/afl-clang-fast" -fsanitize=fuzzer "$TT/libfuzzer.c" -o h || fail "build"
  their_showmap FUZa ./h && mv map.txt a.txt
  their_showmap xx ./h && mv map.txt x.txt
  their_showmap FUZa ./h && mv map.txt a2.txt
  cmp -s a.txt a2.txt || fail "same input, different maps"
  ! cmp -s a.txt x.txt || fail "different inputs, same map"
}
