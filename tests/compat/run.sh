#!/bin/bash
# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Compat tier: targets built with lop's afl-clang-fast, run under the real
# AFL++ tools Debian ships (afl-showmap, afl-fuzz). Skipped, with the reason,
# when AFL++ is not installed (`make deps` installs it as root).
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../integration/helpers.sh"

AFL_SHOWMAP=${AFL_SHOWMAP:-/usr/bin/afl-showmap}
AFL_FUZZ=${AFL_FUZZ:-/usr/bin/afl-fuzz}
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  AFL_NO_AFFINITY=1 AFL_QUIET=1

need_afl() {
  [ -x "$AFL_SHOWMAP" ] && [ -x "$AFL_FUZZ" ] || t_skip "AFL++ not installed (apt-get install afl++)"
}

# their_showmap INPUT TARGET: run Debian's afl-showmap, map into map.txt.
their_showmap() {
  local input=$1
  shift
  printf '%s' "$input" | "$AFL_SHOWMAP" -q -o map.txt -- "$@" >/dev/null 2>showmap.err
  [ -s map.txt ] || fail "afl-showmap gave no map: $(tail -3 showmap.err)"
}

# fuzz SECONDS TARGET...: run afl-fuzz on seeds/ for SECONDS ($FUZZ_OPTS
# adds afl-fuzz options).
fuzz() {
  local secs=$1
  shift
  mkdir -p seeds
  [ -n "$(ls seeds)" ] || printf 'hello' >seeds/a
  timeout -s INT $((secs + 20)) "$AFL_FUZZ" ${FUZZ_OPTS:-} -i seeds -o out -V "$secs" -- "$@" >fuzz.log 2>&1 ||
    fail "afl-fuzz failed: $(grep -E 'PROGRAM ABORT|Location|ERROR' fuzz.log | head -3)"
  [ -f out/default/fuzzer_stats ] || fail "no fuzzer_stats: $(tail -5 fuzz.log)"
}

# stat NAME: a field of out/default/fuzzer_stats.
stat() {
  sed -n "s/^$1 *: *//p" out/default/fuzzer_stats | head -n 1
}

# fuzzed_well MIN_EXECS: afl-fuzz ran at lop's exact 64 KiB map (never
# AFL++'s 8 MiB fallback), did MIN_EXECS executions and found new paths.
fuzzed_well() {
  grep -q 'Target map size: 65536' fuzz.log ||
    fail "afl-fuzz did not use the 64 KiB map: $(grep -i 'map size' fuzz.log | head -2)"
  [ "$(stat execs_done)" -gt "$1" ] || fail "execs_done $(stat execs_done)"
  [ "$(stat corpus_count)" -gt 1 ] || fail "no new paths (corpus_count $(stat corpus_count))"
}

test_afl_showmap_sees_lop_coverage() {
  need_afl
  build branchy "$TT/branchy.c"
  their_showmap hello ./branchy && mv map.txt a.txt
  their_showmap LOP! ./branchy && mv map.txt b.txt
  their_showmap hello ./branchy && mv map.txt c.txt
  cmp -s a.txt c.txt || fail "same input, different maps under AFL++ afl-showmap"
  ! cmp -s a.txt b.txt || fail "different inputs, same map under AFL++ afl-showmap"
}

test_afl_fuzz_finds_paths_at_exact_map_size() {
  need_afl
  build branchy "$TT/branchy.c"
  fuzz 6 ./branchy
  [ "$(stat execs_done)" -gt 100 ] || fail "execs_done $(stat execs_done)"
  [ "$(stat corpus_count)" -gt 1 ] || fail "no new paths (corpus_count $(stat corpus_count))"
  grep -q 'Target map size: 65536' fuzz.log ||
    fail "afl-fuzz did not use the 64 KiB map: $(grep -i 'map size' fuzz.log | head -2)"
  [ "$(stat stability | tr -d '%' | cut -d. -f1)" = 100 ] || fail "stability $(stat stability)"
}

# Compact mode: afl-fuzz takes the exact small map from the hello (64 bytes
# for branchy) and still finds paths, with stable maps; persistent and
# shared-memory testcases work the same way.
test_afl_fuzz_compact_exact_small_map() {
  need_afl
  AFL_LLVM_INSTRUMENT=compact build branchy "$TT/branchy.c"
  fuzz 6 ./branchy
  grep -qE 'Target map size: 64([^0-9]|$)' fuzz.log ||
    fail "afl-fuzz did not use the 64-byte map: $(grep -i 'map size' fuzz.log | head -2)"
  [ "$(stat execs_done)" -gt 100 ] || fail "execs_done $(stat execs_done)"
  [ "$(stat corpus_count)" -gt 1 ] || fail "no new paths (corpus_count $(stat corpus_count))"
  [ "$(stat stability | tr -d '%' | cut -d. -f1)" = 100 ] || fail "stability $(stat stability)"
  rm -rf out
  AFL_LLVM_INSTRUMENT=compact build shm "$TT/shm_testcase.c"
  fuzz 4 ./shm
  [ "$(stat execs_done)" -gt 1000 ] || fail "persistent+shm execs_done $(stat execs_done)"
  [ "$(stat corpus_count)" -gt 1 ] || fail "persistent+shm: no new paths"
}

test_afl_fuzz_persistent_many_execs_per_fork() {
  need_afl
  build persistent "$TT/persistent.c"
  LOP_TEST_FORK_LOG=$T/forks.log fuzz 6 ./persistent
  fuzzed_well 1000
  execs=$(stat execs_done)
  forks=$(wc -l <forks.log)
  [ "$execs" -gt 1000 ] || fail "execs_done $execs"
  [ $((execs / forks)) -gt 50 ] || fail "$execs execs in $forks forks: persistent mode not used"
}

test_afl_fuzz_deferred() {
  need_afl
  build deferred "$TT/deferred.c"
  # Bounded by executions with a fixed seed (the time cap only keeps a
  # broken run from hanging the suite): five seconds found nothing new
  # on a loaded machine.
  LOP_TEST_INIT_LOG=$T/init.log FUZZ_OPTS="-s 1 -E 5000" fuzz 300 ./deferred
  fuzzed_well 100
  [ "$(wc -l <init.log)" -lt 10 ] || fail "deferred init ran $(wc -l <init.log) times"
}

test_afl_fuzz_shm_testcases() {
  need_afl
  build shm_testcase "$TT/shm_testcase.c"
  fuzz 6 ./shm_testcase
  fuzzed_well 1000
  grep -qi 'shared memory test' fuzz.log out/default/fuzzer_setup 2>/dev/null ||
    grep -qi 'shmem' fuzz.log || t_skip "afl-fuzz did not say whether it used shm testcases"
  [ "$(stat corpus_count)" -gt 1 ] || fail "no new paths"
}

test_afl_fuzz_finds_crash() {
  need_afl
  build crash "$TT/crash.c"
  # Deterministic stages turn the seed's 'I' into 'H' (arith -1) at once.
  mkdir -p seeds && printf 'CRASI' >seeds/a
  FUZZ_OPTS=-D fuzz 4 ./crash
  [ "$(stat saved_crashes)" -gt 0 ] || fail "no crash found from seed CRASI"
  ls out/default/crashes | grep -q '^id:' || fail "crash not saved"
}

# More cases: golden outputs against AFL++'s afl-showmap, afl-cmin and
# afl-tmin (test_showmap_golden.sh), AFL++-built targets and every hello
# under lop's tools (test_their_targets.sh).
for f in "$(dirname "$0")"/test_*.sh; do
  . "$f"
done

run_all_tests
t_summary
