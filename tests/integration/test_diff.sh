# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Integration tests of lop-fuzz --diff (docs/differential.md): two tiny
# implementations of one format (test-targets/diff_lines.c) that disagree
# on one input class are told apart within a bounded number of executions
# with a fixed seed, through the declared output (persistent and fork
# mode) and through stdout; each pattern is saved once; --diff-replay
# confirms a finding; a crash in one implementation is a crash and a
# disagreement; a killed forkserver is restarted and reported; bad command
# lines give one line; nothing is left behind after SIGINT. Sourced by
# run.sh (lf and stat_field come from lop-fuzz.sh).

DL=$TT/diff_lines.c

# diff_builds: the implementations: api (persistent, declared output),
# apifork (fork mode, declared output), wc (fork mode, stdout).
diff_builds() {
  build api -I"$LOP_ROOT/include" -DLINES_API "$DL"
  build apifork -I"$LOP_ROOT/include" -DLINES_API -DLINES_FORK "$DL"
  build wc -I"$LOP_ROOT/include" "$DL"
  mkdir -p seeds && printf 'a\nb\n' >seeds/two
}

# diff_background SEED: lop-fuzz --diff of api and wc in the background
# (pid in DIFF_PID), once it has written its first fuzzer_stats. -V only
# keeps a broken run from hanging the suite.
diff_background() {
  local i
  set -m
  AFL_NO_UI=1 "$LF" --diff -i seeds -o out -s "$1" -V 300 -- ./api -- ./wc @@ >lf.log 2>&1 &
  DIFF_PID=$!
  for i in $(seq 1 300); do
    [ -s out/default/fuzzer_stats ] && return 0
    sleep 0.1
  done
  fail "no fuzzer_stats while running: $(tail -2 lf.log)"
}

# n_diffs DIR: the findings saved under DIR/diffs.
n_diffs() {
  ls "$1/diffs" 2>/dev/null | grep -c '^id:'
}

# The persistent, declaring implementation against the stdout one: the
# first finding is a last line without newline, and its files say so.
test_diff_finds_planted_disagreement() {
  diff_builds
  AFL_BENCH_UNTIL_CRASH=1 lf --diff -i seeds -o out -s 1 -E 20000 \
    -- ./api -- ./wc @@ || fail "lop-fuzz failed: $(tail -3 lf.log)"
  local f=out/default/diffs/id:000000
  [ -d "$f" ] || fail "no finding: $(tail -3 lf.log)"
  [ "$(tail -c 1 "$f/input" | od -An -c | tr -d ' ')" != '\n' ] ||
    fail "the input ends in a newline: $(od -c "$f/input" | head -2)"
  [ "$(cat "$f/output.1")" = "$(($(cat "$f/output.2") + 1))" ] ||
    fail "outputs: $(cat "$f/output.1") and $(cat "$f/output.2")"
  grep -q '^verdict: the 2 implementations disagree: 2 groups$' "$f/report.txt" ||
    fail "report: $(cat "$f/report.txt")"
  grep -q 'impl 1: ok, exit 0; [0-9]* bytes of declared output (output.1)' "$f/report.txt" ||
    fail "impl 1 line: $(cat "$f/report.txt")"
  grep -q 'impl 2: ok, exit 0; [0-9]* bytes of stdout (output.2)' "$f/report.txt" ||
    fail "impl 2 line: $(cat "$f/report.txt")"
  grep -qx '          ./wc @@' "$f/report.txt" || fail "no command line in the report"
  [ "$(stat_field out/default saved_diffs)" = 1 ] || fail "saved_diffs: $(stat_field out/default saved_diffs)"
  [ "$(stat_field out/default last_diff)" -gt 0 ] || fail "last_diff"
  stat_field out/default target_mode | grep -qx 'diff: persistent shmem, forkserver' ||
    fail "mode: $(stat_field out/default target_mode)"
  grep -q 'lop-fuzz: 1 disagreements of 2 implementations in out/default/diffs/' lf.log ||
    fail "no summary: $(tail -2 lf.log)"
  ls -a out/default/diffs "$f" | grep -q '^\.lop-' && fail "temp file left"
  [ -f out/default/.cur_input.2 ] || fail "no .cur_input.2 for the @@ implementation"
  return 0
}

# One finding per pattern: this pair has one way to disagree, so a longer
# run saves it once. Two implementations that agree save nothing, also
# when one runs in fork mode and declares its output there.
test_diff_saves_each_pattern_once() {
  diff_builds
  lf --diff -i seeds -o out -s 2 -E 6000 -- ./api -- ./wc @@ || fail "$(tail -3 lf.log)"
  [ "$(n_diffs out/default)" = 1 ] || fail "$(n_diffs out/default) findings: $(ls out/default/diffs)"
  lf --diff -i seeds -o same -s 2 -E 4000 -- ./api -- ./apifork @@ || fail "$(tail -3 lf.log)"
  [ "$(n_diffs same/default)" = 0 ] || fail "agreeing implementations disagree: $(cat same/default/diffs/*/report.txt | head -12)"
  [ "$(stat_field same/default saved_diffs)" = 0 ] || fail "saved_diffs"
  lf --diff -i seeds -o fork -s 3 -E 6000 -- ./wc -- ./apifork @@ || fail "$(tail -3 lf.log)"
  [ "$(n_diffs fork/default)" = 1 ] || fail "fork-mode declared output: $(n_diffs fork/default) findings"
  # Compared by verdict only, the two agree on every input.
  lf --diff --diff-verdicts -i seeds -o verdicts -s 2 -E 3000 -- ./api -- ./wc @@ || fail "$(tail -3 lf.log)"
  [ "$(n_diffs verdicts/default)" = 0 ] || fail "--diff-verdicts compared outputs"
}

# --diff-replay runs a finding again: 0 when it reproduces, 2 when the
# implementations (a fixed build here) agree now.
test_diff_replay() {
  diff_builds
  AFL_BENCH_UNTIL_CRASH=1 lf --diff -i seeds -o out -s 1 -E 20000 -- ./api -- ./wc @@ ||
    fail "$(tail -3 lf.log)"
  local f=out/default/diffs/id:000000 rc=0
  "$LF" --diff-replay "$f" -- ./api -- ./wc @@ >replay.txt 2>&1 || rc=$?
  [ "$rc" = 0 ] || fail "replay exit $rc: $(cat replay.txt)"
  grep -qx 'replay: reproduced: the same disagreement as saved' replay.txt || fail "$(cat replay.txt)"
  diff <(grep -v '^replay:' replay.txt) "$f/report.txt" || fail "the replayed report differs"
  rc=0
  "$LF" --diff-replay "$f" -- ./api -- ./apifork @@ >replay2.txt 2>&1 || rc=$?
  [ "$rc" = 2 ] || fail "replay against agreeing builds exit $rc: $(cat replay2.txt)"
  grep -qx 'replay: not reproduced: the implementations agree now' replay2.txt || fail "$(cat replay2.txt)"
  expect_error "cannot read nowhere/input" "$LF" --diff-replay nowhere -- ./api -- ./wc @@
}

# A crash in one implementation is a crash finding and a disagreement that
# names the signal.
test_diff_crash_in_one() {
  diff_builds
  build wcsegv -I"$LOP_ROOT/include" -DLINES_SEGV "$DL"
  printf 'x#\n' >seeds/hash
  AFL_BENCH_UNTIL_CRASH=1 lf --diff --diff-verdicts -i seeds -o out -s 4 -E 60000 \
    -- ./api -- ./wcsegv @@ || fail "$(tail -3 lf.log)"
  [ -n "$(ls out/default/crashes | grep '^id:000000,sig:11,')" ] ||
    fail "no crash saved: $(ls out/default/crashes) $(tail -2 lf.log)"
  grep -l 'impl 2: crash, signal 11 (SEGV)' out/default/diffs/id:*/report.txt >/dev/null ||
    fail "no finding names the crash: $(cat out/default/diffs/id:*/report.txt)"
}

# The forkserver of one implementation killed mid-run: it is started again,
# the run goes on and says so, and nothing is left behind.
test_diff_killed_implementation() {
  local pid c i fs=
  diff_builds
  diff_background 5
  pid=$DIFF_PID
  for c in $(pgrep -P "$pid"); do
    tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null | grep -q 'wc ' && fs=$c
  done
  [ -n "$fs" ] || fail "no forkserver of ./wc among $(pgrep -P "$pid" | tr '\n' ' ')"
  kill -9 "$fs"
  for i in $(seq 1 100); do
    pgrep -P "$pid" | grep -qvx "$fs" && [ "$(pgrep -P "$pid" | wc -l)" -ge 2 ] &&
      ! kill -0 "$fs" 2>/dev/null && break
    sleep 0.1
  done
  sleep 0.5
  kill -INT "$pid"
  wait "$pid" || fail "exit status $? after a killed forkserver: $(tail -3 lf.log)"
  grep -qE 'lop-fuzz: [0-9]+ disagreements of 2 implementations in out/default/diffs/, 1 forkserver restarts' lf.log ||
    fail "restart not reported: $(tail -3 lf.log)"
  [ "$(shm_created_by "$pid")" = 0 ] || fail "segments left"
  pgrep -f "$T/(api|wc)" >/dev/null && fail "target process left behind"
  return 0
}

# SIGINT ends a --diff run cleanly: stats written, no segment, process or
# temp file left.
test_diff_sigint_cleans_up() {
  local pid
  diff_builds
  diff_background 6
  pid=$DIFF_PID
  kill -INT "$pid"
  wait "$pid" || fail "exit status $?"
  grep -qx 'lop-fuzz: stopped by INT' lf.log || fail "$(tail -2 lf.log)"
  [ "$(shm_created_by "$pid")" = 0 ] || fail "segments left"
  pgrep -f "$T/(api|wc)" >/dev/null && fail "target process left behind"
  find out -name '.lop-*' | grep -q . && fail "temp files left: $(find out -name '.lop-*')"
  return 0
}

# Bad command lines: one line each, exit 1, no output directory written.
test_diff_errors() {
  diff_builds
  "$CLANG" -I"$LOP_ROOT/include" -o plain "$DL" || fail "plain build"
  expect_error "--diff needs at least two implementations" "$LF" --diff -i seeds -o o1 -- ./api
  expect_error "implementation 2 has an empty command line" "$LF" --diff -i seeds -o o2 -- ./api --
  expect_error "--diff implementation 2 (./nothere): target './nothere' not found" \
    "$LF" --diff -i seeds -o o3 -- ./api -- ./nothere @@
  expect_error "--diff implementation 2 (./plain): " "$LF" --diff -i seeds -o o4 -- ./api -- ./plain @@
  grep -q "not built with afl-clang-fast" err.txt || fail "uninstrumented: $(cat err.txt)"
  expect_error "unknown option --diff-x" "$LF" --diff-x -i seeds -o o5 -- ./api -- ./wc
}
