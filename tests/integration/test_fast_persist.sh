# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# lop's fast persistent protocol, end to end; sourced by run.sh. A real
# persistent target (test-targets/persistent_fast.c) under lop's client
# (fsrv-probe) must give the same maps as under the standard protocol (-S),
# in one process that is never stopped (no SIGCONT reaches it), and survive
# crashes, hangs and the end of __AFL_LOOP's count with more inputs after.

# fast_log: the iteration log the target writes with LOP_TEST_ITER_LOG.
FAST_LOG=iter.log

# probe_fast [OPTS] TARGET: probe with the iteration log on.
probe_fast() {
  LOP_TEST_ITER_LOG=$T/$FAST_LOG probe "$@"
}

# runs_where FIELD VALUE: numbers of the runs whose FIELD is VALUE.
runs_where() {
  grep '^pid=' out | tr ' ' '\n' | grep "^$1=" | grep -nx "$1=$2" | cut -d: -f1 | tr '\n' ' '
}

# distinct_pids: how many processes served the runs in "out".
distinct_pids() {
  grep '^pid=' out | sed -E 's/pid=([0-9]+).*/\1/' | sort -u | wc -l
}

test_fast_persist_same_maps_as_standard() {
  build pfast "$TT/persistent_fast.c"
  inputs A Z AB A "" Z AB Q A AB Z Z A
  probe -S ./pfast | sed -E 's/pid=[0-9]+ //; s/ fast=[01]//' >standard.txt
  probe ./pfast >out
  sed -E 's/pid=[0-9]+ //; s/ fast=[01]//' out >fast.txt
  diff standard.txt fast.txt >d.txt || fail "maps or statuses differ: $(head -4 d.txt)"
  [ "$(runs_where fast 0)" = "" ] || fail "runs not in the fast protocol: $(runs_where fast 0)"
  [ "$(distinct_pids)" = 1 ] || fail "$(distinct_pids) processes for 13 inputs"
}

# Proof the fast path ran: one process, never stopped (the standard protocol
# wakes it with a SIGCONT each iteration), and lop's variable was removed
# before the program could see (or pass on) it.
test_fast_persist_never_stops_the_child() {
  build pfast "$TT/persistent_fast.c"
  inputs A Z A Z A Z
  probe_fast ./pfast >out
  [ "$(wc -l <$FAST_LOG)" = 6 ] || fail "$(wc -l <$FAST_LOG) iterations logged for 6 inputs"
  [ "$(cut -d' ' -f1 $FAST_LOG | sort -u | wc -l)" = 1 ] || fail "more than one process: $(cat $FAST_LOG)"
  grep -v 'conts=0' $FAST_LOG && fail "the child was stopped and continued"
  grep -v 'env=0' $FAST_LOG && fail "the program saw __LOP_FAST_PERSIST"
  [ "$(run_field 6 fast)" = 1 ] || fail "probe says run 6 was not fast: $(sed -n 7p out)"
  rm $FAST_LOG
  LOP_TEST_ITER_LOG=$T/$FAST_LOG probe -S ./pfast >out
  [ "$(grep -c 'conts=0' $FAST_LOG)" = 1 ] || fail "standard protocol: expected a SIGCONT from iteration 2 on: $(cat $FAST_LOG)"
}

# The same input gives the same map whatever ran before it: the map and
# prev_loc are reset per iteration. The first iteration of a process also
# covers the edges into the loop, so second iterations are compared.
test_fast_persist_state_resets() {
  build pfast "$TT/persistent_fast.c"
  inputs A Z AB Z A Z Q Z
  probe ./pfast >out
  local z
  z=$(run_field 2 hash)
  for n in 4 6 8; do
    [ "$(run_field $n hash)" = "$z" ] || fail "Z after $(sed -n "$((n - 1))p" list): map differs"
  done
  [ "$(run_field 2 hash)" != "$(run_field 3 hash)" ] || fail "Z and AB gave the same map"
  [ "$(run_field 5 hash)" != "$(run_field 3 hash)" ] || fail "A and AB gave the same map"
}

test_fast_persist_crash_then_more_inputs() {
  build pfast "$TT/persistent_fast.c"
  inputs A Z crash A Z Z
  probe ./pfast >out
  [ "$(run_field 3 verdict)" = crash ] || fail "crash verdict: $(sed -n 4p out)"
  [ "$(run_field 3 status)" = 0xb ] || fail "crash status: $(run_field 3 status)"
  [ "$(run_field 3 pid)" = "$(run_field 1 pid)" ] || fail "the crash ran in another process"
  [ "$(run_field 4 pid)" != "$(run_field 3 pid)" ] || fail "no new process after the crash"
  [ "$(run_field 4 hash)" = "$(run_field 1 hash)" ] || fail "first iteration of the new process differs"
  [ "$(run_field 5 hash)" = "$(run_field 2 hash)" ] || fail "Z after the crash gives another map"
  [ "$(run_field 6 fast)" = 1 ] || fail "the new process did not use the fast protocol"
  [ "$(run_field 6 pid)" = "$(run_field 4 pid)" ] || fail "inputs after the crash not in one process"
}

test_fast_persist_hang_then_more_inputs() {
  build pfast "$TT/persistent_fast.c"
  inputs A Z hang A Z Z
  probe -t 1000 ./pfast >out
  [ "$(run_field 3 verdict)" = hang ] || fail "hang verdict: $(sed -n 4p out)"
  [ "$(run_field 3 status)" = 0x9 ] || fail "hang status: $(run_field 3 status)"
  [ "$(run_field 4 pid)" != "$(run_field 3 pid)" ] || fail "no new process after the hang"
  [ "$(run_field 5 hash)" = "$(run_field 2 hash)" ] || fail "Z after the hang gives another map"
  [ "$(run_field 6 verdict)" = ok ] && [ "$(run_field 6 fast)" = 1 ] || fail "run 6: $(sed -n 7p out)"
  kill -0 "$(run_field 3 pid)" 2>/dev/null && fail "the hung child is still alive"
  return 0
}

# __AFL_LOOP(3) with 10 inputs: three iterations per process, the third
# ends in the process's real exit, the fourth input gets a new process; the
# code after the loop never shows in a map (the fallback map takes it).
test_fast_persist_count_exhaustion() {
  build pfast3 -DLOOP_ITERS=3 "$TT/persistent_fast.c"
  inputs Z Z Z Z Z Z Z Z Z Z
  probe ./pfast3 >out
  [ "$(distinct_pids)" = 4 ] || fail "$(distinct_pids) processes for 10 inputs at 3 per process"
  [ "$(runs_where fast 0)" = "3 6 9 " ] || fail "runs ending a process: $(runs_where fast 0)"
  [ "$(run_field 3 status)" = 0x0 ] || fail "the last iteration's exit: $(run_field 3 status)"
  [ "$(run_field 3 pid)" = "$(run_field 1 pid)" ] && [ "$(run_field 4 pid)" != "$(run_field 3 pid)" ] ||
    fail "processes do not change every three inputs"
  [ "$(run_field 3 hash)" = "$(run_field 2 hash)" ] || fail "code after the loop reached the fuzzer's map"
  [ "$(run_field 7 hash)" = "$(run_field 1 hash)" ] || fail "first iterations differ"
}

# With shared-memory testcases (deferred + persistent + shm, the fastest
# setup) the fast protocol serves every input from one process too.
test_fast_persist_shm_testcases() {
  build shm_testcase "$TT/shm_testcase.c"
  inputs SHM xx SHM 123456789 SHM
  probe -s ./shm_testcase >out
  [ "$(hello_field shm_testcase)" = 1 ] || fail "shm testcases not negotiated: $(head -1 out)"
  [ "$(distinct_pids)" = 1 ] || fail "$(distinct_pids) processes"
  [ "$(run_field 3 fast)" = 1 ] || fail "not the fast protocol: $(sed -n 4p out)"
  [ "$(run_field 3 hash)" = "$(run_field 5 hash)" ] || fail "same input, different maps"
  [ "$(run_field 3 hash)" != "$(run_field 4 hash)" ] || fail "the input did not arrive"
}
