# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# The steps every real-world library goes through, each one run_test case:
# build (own build system, with lop's wrapper), check (own test suite),
# showmap (harness through lop's afl-showmap), fuzz (harness under afl-fuzz).
# A library L provides, in libs.sh: L_build (unpack, configure, make in the
# current directory, the fresh source tree), L_check, L_harness (build the
# harness as ./harness in the current directory, given the source tree) and
# L_inputs (write inputs a and b, which must take different paths, and seed
# files into seeds/). Steps of library $RW_LIB share $RW_BUILD/$RW_LIB.

# step_prepare: make `apt-get source` and the libraries' build dependencies
# available; records why not in $RW_BUILD/no-sources for the later steps.
step_prepare() {
  local why
  if ! why=$(enable_sources) || ! why=$(install_build_deps); then
    echo "$why" >"$RW_BUILD/no-sources"
    t_skip "$why"
  fi
}

# need_sources: skip the running step when step_prepare could not run.
need_sources() {
  [ ! -f "$RW_BUILD/no-sources" ] || t_skip "$(cat "$RW_BUILD/no-sources")"
}

# need_step NAME: skip the running step when NAME of $RW_LIB did not pass.
need_step() {
  need_sources
  [ -f "$RW_BUILD/$RW_LIB/$1.ok" ] || t_skip "$RW_LIB: $1 step did not pass"
}

# need_afl: skip when Debian's AFL++ is not installed.
need_afl() {
  [ -x "$AFL_SHOWMAP" ] && [ -x "$AFL_FUZZ" ] || t_skip "AFL++ not installed (apt-get install afl++)"
}

# instrumented FILE...: each file (object, archive, library or program)
# must carry lop's instrumentation, i.e. the build really used the wrapper.
instrumented() {
  local f
  for f in "$@"; do
    [ -f "$f" ] || fail "$f was not built"
    grep -aq __afl_area_ptr "$f" || fail "$f is not instrumented: the build bypassed afl-clang-fast"
  done
}

# bounded SECONDS LOG CMD...: run CMD with output in LOG, killed after
# SECONDS; on failure show the end of LOG.
bounded() {
  local secs=$1 log=$2 rc=0
  shift 2
  timeout -k 10 "$secs" "$@" >"$log" 2>&1 || rc=$?
  [ "$rc" = 0 ] && return 0
  tail -n 25 "$log" >&2
  [ "$rc" = 124 ] && fail "'$*' ran over its ${secs} s bound"
  fail "'$*' exited $rc"
}

step_build() {
  need_sources
  local dir=$RW_BUILD/$RW_LIB
  mkdir -p "$dir"
  unpack_source "$(lib_package "$RW_LIB")" "$dir/src" || fail "cannot unpack the $RW_LIB source"
  (cd "$dir/src" && "${RW_LIB}_build")
  touch "$dir/build.ok"
}

step_check() {
  need_step build
  (cd "$RW_BUILD/$RW_LIB/src" && "${RW_LIB}_check")
}

# step_showmap: two runs of input a give the same map, b a different one.
step_showmap() {
  need_step build
  local dir=$RW_BUILD/$RW_LIB
  (cd "$dir" && "${RW_LIB}_harness" "$dir/src")
  instrumented "$dir/harness"
  touch "$dir/harness.ok"
  "${RW_LIB}_inputs"
  lop_showmap "$dir/harness" a a1.txt
  lop_showmap "$dir/harness" a a2.txt
  lop_showmap "$dir/harness" b b.txt
  cmp -s a1.txt a2.txt || fail "same input, different maps: $(diff a1.txt a2.txt | head -4)"
  ! cmp -s a1.txt b.txt || fail "inputs a and b gave the same map"
  echo "edges: a $(wc -l <a1.txt), b $(wc -l <b.txt)"
}

# lop_showmap HARNESS INPUT OUT: lop's afl-showmap, input on stdin.
lop_showmap() {
  "$BIN/afl-showmap" -q -o "$3" -- "$1" <"$2" || fail "afl-showmap on input $2 exited $?"
  [ -s "$3" ] || fail "afl-showmap wrote no edges for input $2"
}

# step_fuzz: afl-fuzz runs the harness (input through @@) for RW_FUZZ_SECS;
# it must execute and find inputs beyond the seeds.
step_fuzz() {
  need_afl
  need_step harness
  local dir=$RW_BUILD/$RW_LIB seeds execs corpus
  "${RW_LIB}_inputs"
  seeds=$(find seeds -type f | wc -l)
  timeout -s INT -k 10 $((RW_FUZZ_SECS + 60)) "$AFL_FUZZ" -i seeds -o out -V "$RW_FUZZ_SECS" \
    -- "$dir/harness" @@ >fuzz.log 2>&1 ||
    fail "afl-fuzz failed: $(grep -E 'PROGRAM ABORT|Location|ERROR' fuzz.log | head -3)"
  [ -f out/default/fuzzer_stats ] || fail "no fuzzer_stats: $(tail -5 fuzz.log)"
  execs=$(sed -n 's/^execs_done *: *//p' out/default/fuzzer_stats)
  corpus=$(sed -n 's/^corpus_count *: *//p' out/default/fuzzer_stats)
  echo "execs_done $execs, corpus $seeds -> $corpus"
  [ "${execs:-0}" -gt 0 ] || fail "afl-fuzz executed nothing (execs_done ${execs:-none})"
  [ "${corpus:-0}" -gt "$seeds" ] || fail "corpus did not grow beyond the $seeds seeds (corpus_count ${corpus:-none})"
}

# step_libfuzzer: the project's own libFuzzer harness (L_fuzzer builds it
# as ./fuzzer with -fsanitize=fuzzer) runs by hand on inputs a and b with
# libFuzzer's report lines, then a bounded run of lop-fuzz and of afl-fuzz
# each executes it in persistent shared-memory mode.
step_libfuzzer() {
  need_step build
  local dir=$RW_BUILD/$RW_LIB
  (cd "$dir" && "${RW_LIB}_fuzzer" "$dir/src")
  instrumented "$dir/fuzzer"
  "${RW_LIB}_inputs"
  "$dir/fuzzer" -runs=1 a b >hand.log 2>&1 || fail "by hand: $(tail -3 hand.log)"
  grep -qE '^Executed b in [0-9]+ ms$' hand.log || fail "no report line: $(tail -3 hand.log)"
  AFL_NO_UI=1 "$BIN/lop-fuzz" -i seeds -o lop -s 1 -E "$RW_LF_EXECS" -- "$dir/fuzzer" >lop.log 2>&1 ||
    fail "lop-fuzz: $(tail -3 lop.log)"
  [ "$(sed -n 's/^target_mode *: //p' lop/default/fuzzer_stats)" = "persistent shmem" ] ||
    fail "lop-fuzz mode: $(grep target_mode lop/default/fuzzer_stats)"
  need_afl
  timeout -s INT -k 10 300 "$AFL_FUZZ" -s 1 -E "$RW_LF_EXECS" -i seeds -o afl -- "$dir/fuzzer" >afl.log 2>&1 ||
    fail "afl-fuzz: $(grep -E 'PROGRAM ABORT|Location|ERROR' afl.log | head -3)"
  grep -q '^target_mode *: persistent shmem_testcase deferred' afl/default/fuzzer_stats ||
    fail "afl-fuzz mode: $(grep target_mode afl/default/fuzzer_stats)"
  echo "lop-fuzz: $(sed -n 's/^execs_per_sec *: //p' lop/default/fuzzer_stats) execs/s," \
    "corpus $(sed -n 's/^corpus_count *: //p' lop/default/fuzzer_stats);" \
    "afl-fuzz: $(sed -n 's/^execs_per_sec *: //p' afl/default/fuzzer_stats) execs/s," \
    "corpus $(sed -n 's/^corpus_count *: //p' afl/default/fuzzer_stats)"
}

# run_lib LIB [MODE]: all steps of LIB, then one line with their durations;
# a MODE other than plain (its variables already exported) is named in the
# test names.
run_lib() {
  local step steps t t0=$SECONDS times= label=$1
  RW_LIB=$1
  [ "${2:-plain}" = plain ] || label="$1 (${2})"
  # A library may list its own steps in L_steps.
  eval "steps=\${${RW_LIB}_steps:-build check showmap fuzz}"
  for step in $steps; do
    t=$SECONDS
    run_test "$label: $step" "step_$step"
    times="$times, $step $((SECONDS - t)) s"
  done
  echo "  time $label: $((SECONDS - t0)) s (${times#, })"
  rm -rf "${RW_BUILD:?}/$RW_LIB"
}
