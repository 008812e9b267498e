# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Persistent stability under Debian's AFL++ 4.04c; sourced by
# tests/compat/run.sh. afl-fuzz runs each new input several times and
# reports the share of map bytes that never changed as "stability"; a
# persistent process must give an input the same map in its first
# iteration as in every later one, or those bytes count as unstable for
# the whole campaign. Every run is bounded by executions (-E), not time.

STABLE_EXECS=3000

# fuzz_execs TARGET: afl-fuzz on seeds/ (ab, z12, q9x) until STABLE_EXECS
# executions; the timeout only keeps a broken run from hanging the suite.
fuzz_execs() {
  rm -rf out seeds
  mkdir -p seeds
  printf 'ab' >seeds/a
  printf 'z12' >seeds/b
  printf 'q9x' >seeds/c
  timeout -s INT 600 "$AFL_FUZZ" -E "$STABLE_EXECS" -i seeds -o out -- "$@" >fuzz.log 2>&1 ||
    fail "afl-fuzz failed: $(grep -E 'PROGRAM ABORT|Location|ERROR' fuzz.log | head -3)"
  [ -f out/default/fuzzer_stats ] || fail "no fuzzer_stats: $(tail -5 fuzz.log)"
  [ "$(stat execs_done)" -ge "$STABLE_EXECS" ] || fail "$1: execs_done $(stat execs_done)"
}

# Every map mode and harness kind of test-targets/stable.c: 100.00%.
test_afl_fuzz_persistent_stability_100() {
  need_afl
  local m v
  for m in classic compact pcguard; do
    for v in PLAIN INIT SHM UNROLL; do
      AFL_LLVM_INSTRUMENT=$m build "s.$m.$v" -Wno-pass-failed "-DSTABLE_$v" "$TT/stable.c"
      fuzz_execs "./s.$m.$v"
      [ "$(stat stability)" = 100.00% ] || fail "$m $v: stability $(stat stability)"
      [ "$(stat corpus_count)" -gt 3 ] || fail "$m $v: no new paths (corpus_count $(stat corpus_count))"
    done
  done
}

# The README's first example, as a new user builds and fuzzes it.
test_afl_fuzz_readme_example_stability_100() {
  need_afl
  sed -n "/^\$ cat > target.c <<'C'\$/,/^C\$/p" "$LOP_ROOT/README.md" | sed '1d;$d' >target.c
  grep -q '__AFL_LOOP' target.c || fail "no persistent example found in README.md"
  build target target.c
  fuzz_execs ./target
  [ "$(stat stability)" = 100.00% ] || fail "README example: stability $(stat stability)"
}

# Debian's afl-showmap -i (the standard SIGSTOP/SIGCONT protocol, one
# persistent process, as the fork log shows) gives six identical inputs
# six identical maps.
test_afl_showmap_batch_same_maps_every_iteration() {
  need_afl
  local m v w n
  for m in classic compact pcguard; do
    for v in PLAIN SHM; do
      AFL_LLVM_INSTRUMENT=$m build "s.$m.$v" "-DSTABLE_$v" "$TT/stable.c"
      for w in ab z12; do
        rm -rf in maps
        mkdir in
        for n in 1 2 3 4 5 6; do printf '%s' "$w" >"in/$n"; done
        rm -f forks.log
        LOP_TEST_FORK_LOG=$T/forks.log "$AFL_SHOWMAP" -q -i in -o maps -- "./s.$m.$v" >/dev/null 2>showmap.err ||
          fail "afl-showmap -i: $(tail -3 showmap.err)"
        [ "$(wc -l <forks.log)" = 1 ] || fail "$m $v: $(wc -l <forks.log) processes for one batch"
        [ -s maps/1 ] || fail "$m $v: no map for $w"
        for n in 2 3 4 5 6; do
          cmp -s maps/1 "maps/$n" ||
            fail "$m $v: input $w, run 1 gave $(tr '\n' ' ' <maps/1), run $n $(tr '\n' ' ' <"maps/$n")"
        done
      done
    done
  done
}
