# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Response files as the wrapper meets them in a real build; sourced by
# run.sh. A file that names itself ends at once with clang's own answer
# (LLVM 14: the inner reference is a missing input; LLVM 19: "recursive
# expansion of"), and a device that never ends gets one error line naming
# it instead of eating memory.

test_rsp_self_reference_gives_clangs_answer() {
  printf 'int main(void){return 0;}\n' >m.c
  printf '@r @r @r @r\n' >r
  rc=0
  "$BIN/afl-clang-fast" -c m.c @r 2>lop.txt || rc=$?
  [ "$rc" = 1 ] || fail "exit $rc for a self-referencing @file"
  crc=0
  "$CLANG" -c m.c @r 2>clang.txt || crc=$?
  [ "$crc" = "$rc" ] || fail "clang exits $crc, the wrapper $rc"
  diff clang.txt lop.txt >/dev/null || fail "messages differ from clang's: $(cat lop.txt)"
  [ -s lop.txt ] || fail "no message at all"
}

test_rsp_dev_zero_is_one_error() {
  printf 'int main(void){return 0;}\n' >m.c
  expect_error "response files hold more than 64 MiB, reached in @/dev/zero" \
    "$BIN/afl-clang-fast" -c m.c @/dev/zero
}

# The self-fuzzing harnesses that found the response-file loop build with
# the wrapper, plain and with ASan, and run their seeds without a crash.
test_selffuzz_harnesses_run_their_seeds() {
  make -s -C "$LOP_ROOT" LLVM_CONFIG="$LLVM_CONFIG" selffuzz-harnesses >build.log 2>&1 ||
    fail "make selffuzz-harnesses: $(tail -5 build.log)"
  bash "$LOP_ROOT/tests/selffuzz/run-seeds.sh" >seeds.log 2>&1 || fail "seeds: $(cat seeds.log)"
  [ "$(grep -c '(0 crashes, 0 timeouts)' seeds.log)" = 6 ] || fail "not six clean runs: $(cat seeds.log)"
}
