# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# What the wrapper tells a user, in real runs; sourced by run.sh: AFL++
# features lop lacks are refused by name, warnings reach logs that are not
# terminals without disturbing configure, -h/--help/--version say it is lop,
# and libFuzzer links get one line saying what to do.

# An AFL++ feature lop lacks fails the build (a CmpLog build without CmpLog
# hooks would run under afl-fuzz -c as a useless CmpLog binary).
test_missing_feature_refuses_build() {
  printf 'int main(void){return 0;}\n' >m.c
  expect_error "AFL_LLVM_CMPLOG=1 asks for an AFL++ feature lop does not have: CmpLog" \
    env AFL_LLVM_CMPLOG=1 "$BIN/afl-clang-fast" -o m m.c
  [ ! -e m ] || fail "a binary was built anyway"
  expect_error "AFL_LLVM_LAF_SPLIT_COMPARES=1 asks for an AFL++ feature lop does not have: laf-intel" \
    env AFL_LLVM_LAF_SPLIT_COMPARES=1 "$BIN/afl-clang-fast" -c m.c
  AFL_LLVM_CMPLOG=0 "$BIN/afl-clang-fast" -o m m.c 2>err.txt || fail "AFL_LLVM_CMPLOG=0 refused: $(cat err.txt)"
}
