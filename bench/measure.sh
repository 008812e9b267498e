# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# The measurements of make bench. Each writes its result for one variant
# into $W/res/NAME.VARIANT (one number), from which report.sh builds the
# table; those taken in rounds collect them in $W/rounds/NAME.VARIANT first
# (put_medians). Everything that is timed runs pinned to CPU $BENCH_CPU
# (taskset), client and target alike. Sourced by bench/run.

# Workload arguments: timed runs, and the smaller callgrind runs.
ZLIB_ARG=${LOP_BENCH_ZLIB_ROUNDS:-20}
SQLITE_ARG=${LOP_BENCH_SQLITE_ROWS:-200000}
ZLIB_CG_ARG=2
SQLITE_CG_ARG=10000

pin() { taskset -c "$BENCH_CPU" "$@"; }
put_res() { echo "$2" >"$W/res/$1"; }
# add_round NAME: appends one round's result (stdin, one number or nothing
# when the run failed) to the rounds of NAME.
add_round() { cat >>"$W/rounds/$1"; }

# median: the median of the numbers on stdin.
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# put_medians: the result of every measurement taken in rounds is the
# median of its rounds.
put_medians() {
  local f
  for f in "$W"/rounds/*; do
    [ -e "$f" ] && put_res "${f##*/}" "$(median <"$f")"
  done
}

# measure_cpu: CPU time of both workloads, the variants interleaved within
# each of $ROUNDS rounds so drift in machine load hits all of them alike.
measure_cpu() {
  local r v wl arg t
  for r in $(seq "$ROUNDS"); do
    for wl in zlib sqlite; do
      arg=$ZLIB_ARG
      [ $wl = sqlite ] && arg=$SQLITE_ARG
      for v in $VARIANTS; do
        t=$(BENCH_LOG=$W/run.log cpu_time pin "$BENCH_DIR/build/$v/$wl-work" "$arg") ||
          die "$v $wl-work failed; see $W/run.log"
        echo "$t" | add_round "cpu-$wl.$v"
      done
    done
  done
}

# callgrind_count BIN ARG: instructions executed (valgrind callgrind), on
# a copy without debug info (valgrind 3.19 cannot read clang 14's DWARF 5).
callgrind_count() {
  local copy=$W/cg.$$.$RANDOM
  objcopy --strip-debug "$1" "$copy.bin" || return 1
  valgrind --tool=callgrind --callgrind-out-file="$copy.out" "$copy.bin" "$2" 2>&1 >/dev/null |
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
  rm -f "$copy.bin" "$copy.out"
}

# measure_callgrind: instruction counts, two variants at a time (counts do
# not depend on timing).
measure_callgrind() {
  local v
  for v in $VARIANTS; do
    (
      put_res "ins-zlib.$v" "$(callgrind_count "$BENCH_DIR/build/$v/zlib-work" $ZLIB_CG_ARG)"
      put_res "ins-sqlite.$v" "$(callgrind_count "$BENCH_DIR/build/$v/sqlite-work" $SQLITE_CG_ARG)"
    ) &
    [ "$(jobs -rp | wc -l)" -ge 2 ] && wait -n
  done
  wait
}

# measure_static: text size of the built workloads.
measure_static() {
  local v wl d
  for v in $VARIANTS; do
    d=$BENCH_DIR/build/$v
    for wl in zlib sqlite; do
      put_res "text-$wl.$v" "$(size -A "$d/$wl-work" | awk '$1 == ".text" { print $2 }')"
    done
  done
}

# afl_fuzz_rate BIN: execs/s of AFL++'s afl-fuzz on BIN for $FUZZ_SECS s.
afl_fuzz_rate() {
  local out=$W/afl.$$.$RANDOM
  mkdir -p "$W/seeds" && printf 'bench' >"$W/seeds/a"
  AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_FAST_CAL=1 \
    AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CRASHES=1 \
    pin "$AFLPP_FUZZ" -i "$W/seeds" -o "$out" -V "$FUZZ_SECS" -- "$1" \
    >"$out.log" 2>&1
  sed -n 's/^execs_per_sec *: *//p' "$out/default/fuzzer_stats" 2>/dev/null
  rm -rf "$out" "$out.log"
}

# lop_client_rate BIN N: execs/s of lop's client (bench/fsrv-bench).
lop_client_rate() {
  pin "$W/fsrv-bench" -s -n "$2" -- "$1" | sed -n 's/^execs_per_sec=\([0-9]*\).*/\1/p'
}

# measure_execs: every instrumented variant's harness in every mode, under
# afl-fuzz (when installed) and under lop's client; the median of
# $EXEC_ROUNDS rounds, the variants interleaved within each round.
measure_execs() {
  local r v m n
  for r in $(seq "$EXEC_ROUNDS"); do
    for v in $VARIANTS; do
      [ "$v" = plain ] && continue
      for m in fsrv persist shm; do
        n=30000
        [ $m = fsrv ] && n=3000
        lop_client_rate "$BENCH_DIR/build/$v/harness-$m" $n | add_round "lop-$m.$v"
        [ -n "$AFLPP_FUZZ" ] &&
          afl_fuzz_rate "$BENCH_DIR/build/$v/harness-$m" | add_round "afl-$m.$v"
      done
    done
  done
}

# measure_ceilings: the best this machine allows (bench/ceilings.c), the
# median of $EXEC_ROUNDS rounds.
measure_ceilings() {
  local r c
  for r in $(seq "$EXEC_ROUNDS"); do
    for c in fork:3000 fsrv:3000 exit:3000 stop:30000 pipe:100000; do
      pin "$W/ceilings" "${c%:*}" "${c#*:}" | add_round "ceil-${c%:*}"
    done
  done
}
