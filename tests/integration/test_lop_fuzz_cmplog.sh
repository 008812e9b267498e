# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# lop-fuzz -c: the input-to-state stage with a CmpLog build. On magic.c (a
# 32-bit magic value, then a 16-byte memcmp, then abort) it finds the crash
# within a small execution budget that plain fuzzing does not reach, with
# a separate CmpLog binary and with -c 0; a missing binary, one that is no
# CmpLog build and one that crashes on a seed are each one clear line; and
# neither the CmpLog map nor any process of either target outlives lop-fuzz,
# also when Ctrl-C stops it. Sourced by run.sh.

# The execution budget of the magic tests: enough for -c, and far too few
# for havoc to guess 32 bits.
CMPLOG_E=5000

# magic_builds: ./magic (plain) and ./magic.cmplog (AFL_LLVM_CMPLOG=1), a
# 24-byte seed that passes neither check.
magic_builds() {
  build magic "$TT/magic.c"
  AFL_LLVM_CMPLOG=1 "$BIN/afl-clang-fast" -o magic.cmplog "$TT/magic.c" ||
    fail "CmpLog build of magic failed"
  mkdir -p seeds
  printf 'AAAABBBBCCCCDDDDEEEEFFFF' >seeds/a
}

# live_here NAME: processes named NAME (not zombies, which init reaps in
# its own time) whose working directory is this test's: other tests run
# the same targets at the same time.
live_here() {
  local p
  for p in $(pgrep -f "$1"); do
    [ "$(readlink "/proc/$p/cwd" 2>/dev/null)" = "$T" ] || continue
    grep -q '^State:[[:space:]]*Z' "/proc/$p/status" 2>/dev/null && continue
    echo "$p"
  done
}

# no_leftovers PID: no segment of lop-fuzz PID, no live target process.
no_leftovers() {
  [ "$(shm_created_by "$1")" = 0 ] || fail "$(shm_created_by "$1") segments left by lop-fuzz"
  [ -z "$(live_here magic)$(live_here boom)" ] ||
    fail "a target process was left behind: $(live_here magic) $(live_here boom)"
  return 0
}

# lf_tracked ARGS...: lop-fuzz without a screen, its pid in TRACKED_PID.
lf_tracked() {
  AFL_NO_UI=1 tracked "$LF" "$@" >lf.log 2>&1
}

test_lop_fuzz_cmplog_finds_magic() {
  magic_builds
  AFL_BENCH_UNTIL_CRASH=1 lf_tracked -s 1 -E $CMPLOG_E -i seeds -o out \
    -c ./magic.cmplog -- ./magic || fail "lop-fuzz -c failed: $(tail -3 lf.log)"
  no_leftovers "$TRACKED_PID"
  local d=out/default c rc=0
  c=$(find $d/crashes -name 'id:000000,sig:06,*op:its*' | head -n 1)
  [ -n "$c" ] || fail "no crash from input-to-state: $(ls $d/crashes $d/queue)"
  ./magic <"$c" >/dev/null 2>&1 || rc=$?
  [ "$rc" = 134 ] || fail "the saved crash exits $rc by hand, not 134"
  ls $d/queue | grep -qE '^id:[0-9]{6},src:[0-9]{6},time:[0-9]+,execs:[0-9]+,op:its,pos:0,\+cov$' ||
    fail "no queue entry for the magic value: $(ls $d/queue)"
  [ "$(stat_field $d execs_done)" -le $CMPLOG_E ] || fail "more execs than -E"
  stat_field $d command_line | grep -qF -- '-c ./magic.cmplog -- ./magic' ||
    fail "command_line: $(stat_field $d command_line)"
  grep -qF "'-c' './magic.cmplog' '--' './magic'" $d/fuzzer_setup ||
    fail "fuzzer_setup: $(cat $d/fuzzer_setup)"
  # The memcmp operands joined the automatic dictionary.
  [ "$(stat_field $d auto_dict_entries)" -ge 1 ] || fail "no auto_dict_entries"
  # The same budget without -c: no crash.
  AFL_BENCH_UNTIL_CRASH=1 lf -s 1 -E $CMPLOG_E -i seeds -o plain -- ./magic ||
    fail "lop-fuzz failed: $(tail -3 lf.log)"
  [ "$(stat_field plain/default saved_crashes)" = 0 ] ||
    fail "plain fuzzing found the crash within $CMPLOG_E execs"
}

# -c 0: the target itself is the CmpLog build (afl-fuzz's form).
test_lop_fuzz_cmplog_zero() {
  magic_builds
  AFL_BENCH_UNTIL_CRASH=1 lf_tracked -s 2 -E $CMPLOG_E -i seeds -o out \
    -c 0 -- ./magic.cmplog || fail "lop-fuzz -c 0 failed: $(tail -3 lf.log)"
  no_leftovers "$TRACKED_PID"
  [ "$(stat_field out/default saved_crashes)" -ge 1 ] || fail "no crash with -c 0"
}

# The status line of a finished run shows the stages' counts.
test_lop_fuzz_cmplog_screen() {
  magic_builds
  AFL_BENCH_UNTIL_CRASH=1 lf -s 1 -E $CMPLOG_E -i seeds -o out \
    -c ./magic.cmplog -- ./magic || fail "$(tail -3 lf.log)"
  grep -qE 'input-to-state [0-9]+/[0-9]+' lf.log || fail "no stage counts: $(tail -3 lf.log)"
}

test_lop_fuzz_cmplog_errors() {
  magic_builds
  expect_error "CmpLog binary (-c ./nothere): target './nothere' not found" \
    tracked "$LF" -i seeds -o o1 -c ./nothere -- ./magic
  no_leftovers "$TRACKED_PID"
  expect_error "is not a CmpLog build; build it with AFL_LLVM_CMPLOG=1" \
    tracked "$LF" -i seeds -o o2 -c ./magic -- ./magic
  no_leftovers "$TRACKED_PID"
  # A CmpLog build that crashes where the target does not.
  printf '#include <stdlib.h>\nint main(void) {\n#ifdef BOOM\n  abort();\n#endif\n  return 0;\n}\n' >boom.c
  build boom boom.c
  AFL_LLVM_CMPLOG=1 "$BIN/afl-clang-fast" -DBOOM -o boom.cmplog boom.c || fail "boom.cmplog"
  expect_error "the CmpLog binary (-c ./boom.cmplog) crashes on seed " \
    tracked "$LF" -i seeds -o o3 -c ./boom.cmplog -- ./boom
  no_leftovers "$TRACKED_PID"
  expect_error "-c needs the CmpLog build" "$LF" -i seeds -o o4 -c '' -- ./magic
}

# Ctrl-C in the middle of a -c campaign: both targets and both maps go.
test_lop_fuzz_cmplog_sigint_cleans_up() {
  local pid i
  magic_builds
  set -m
  AFL_NO_UI=1 "$LF" -i seeds -o out -s 3 -V 300 -c ./magic.cmplog -- ./magic >lf.log 2>&1 &
  pid=$!
  for i in $(seq 1 300); do
    [ -s out/default/fuzzer_stats ] && break
    sleep 0.1
  done
  [ -n "$(live_here magic.cmplog)" ] || fail "the CmpLog target is not running"
  kill -INT "$pid"
  wait "$pid" || fail "exit status $? after SIGINT"
  grep -qx 'lop-fuzz: stopped by INT' lf.log || fail "not stopped: $(tail -2 lf.log)"
  no_leftovers "$pid"
}
