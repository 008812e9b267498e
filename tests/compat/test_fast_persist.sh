# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# The binary that speaks lop's fast persistent protocol to lop's client
# speaks the standard one to AFL++; sourced by tests/compat/run.sh. Under
# Debian's afl-fuzz the persistent child is stopped and continued (SIGCONT
# reaches it) and many inputs still share one process; afl-showmap reads
# its coverage as usual.

test_afl_fuzz_fast_persist_target_falls_back() {
  need_afl
  build pfast "$TT/persistent_fast.c"
  LOP_TEST_ITER_LOG=$T/iter.log fuzz 5 ./pfast
  fuzzed_well 500
  [ -s iter.log ] || fail "the target logged no iterations"
  grep -q 'iteration=2 conts=1 ' iter.log ||
    fail "no SIGSTOP/SIGCONT between iterations: $(grep 'iteration=2 ' iter.log | head -2)"
  grep -q 'env=1' iter.log && fail "__LOP_FAST_PERSIST reached the target under afl-fuzz"
  local execs procs
  execs=$(stat execs_done)
  procs=$(grep -c 'iteration=1 ' iter.log)
  [ $((execs / procs)) -gt 50 ] || fail "$execs execs in $procs processes: persistent mode not used"
}

test_afl_showmap_fast_persist_target() {
  need_afl
  build pfast "$TT/persistent_fast.c"
  their_showmap A ./pfast && mv map.txt a.txt
  their_showmap Z ./pfast && mv map.txt z.txt
  their_showmap A ./pfast && mv map.txt a2.txt
  cmp -s a.txt a2.txt || fail "same input, different maps under AFL++ afl-showmap"
  ! cmp -s a.txt z.txt || fail "different inputs, same map under AFL++ afl-showmap"
}
