#!/bin/bash
# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# IR tests of the coverage pass: a minimal lit. Every tests/ir/*.ll and
# *.c file is one case; its `RUN:` lines (after `;` or `//`, a trailing `\`
# continues a line) run in bash with pipefail, after these substitutions:
#   %opt %FileCheck %clang %not  the tools of the LLVM under test
#   %plugin  lib/lop/afl-llvm-pass.so (LOP_PASS_PLUGIN overrides it)
#   %s the test file, %S its directory, %t a scratch path prefix in the
#   case's temp dir; %llvm_major the major version of %opt's LLVM, for
#   cases whose expectation depends on it.
# A case passes when all its RUN lines exit 0. AFL_* variables of the
# caller are cleared, so each RUN line sets exactly the ones it tests.
# Environment: LOP_ROOT (required), OPT, FILECHECK, LLVM_CONFIG.

. "${LOP_ROOT:?LOP_ROOT must point at the lop checkout}/tests/lib.sh"

LLVM_BIN=$(dirname "${OPT:-$(${LLVM_CONFIG:-llvm-config} --bindir)/opt}")
OPT=${OPT:-$LLVM_BIN/opt}
FILECHECK=${FILECHECK:-$LLVM_BIN/FileCheck}
CLANG=$LLVM_BIN/clang
PLUGIN=${LOP_PASS_PLUGIN:-$LOP_ROOT/lib/lop/afl-llvm-pass.so}
LLVM_MAJOR=$("$OPT" --version | sed -n 's/.*LLVM version \([0-9]*\).*/\1/p')

# lit_not CMD...: succeeds when CMD fails, for LLVMs shipped without `not`.
lit_not() { ! "$@"; }
export -f lit_not
NOT=$LLVM_BIN/not
[ -x "$NOT" ] || NOT=lit_not

for v in $(env | sed -n 's/^\(AFL_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done

# run_lines FILE: print the file's RUN commands, one per line.
run_lines() {
  awk '
    match($0, /^[[:space:]]*(;|\/\/)[[:space:]]*RUN:[[:space:]]?/) {
      line = substr($0, RLENGTH + 1)
      if (line ~ /\\$/) { cmd = cmd substr(line, 1, length(line) - 1); next }
      print cmd line; cmd = ""
    }' "$1"
}

# substitute LINE FILE: LINE with the lit substitutions filled in.
substitute() {
  local line=$1
  line=${line//%FileCheck/$FILECHECK}
  line=${line//%plugin/$PLUGIN}
  line=${line//%clang/$CLANG}
  line=${line//%opt/$OPT}
  line=${line//%not/$NOT}
  line=${line//%llvm_major/$LLVM_MAJOR}
  line=${line//%s/$2}
  line=${line//%S/$(dirname "$2")}
  line=${line//%t/$T/t}
  printf '%s\n' "$line"
}

# run_case: run every RUN line of $CASE_FILE; fail on the first failing one.
run_case() {
  local cmd n=0
  [ -f "$PLUGIN" ] || fail "no pass plugin at $PLUGIN; run make first"
  while IFS= read -r cmd; do
    n=$((n + 1))
    cmd=$(substitute "$cmd" "$CASE_FILE")
    echo "RUN[$n]: $cmd"
    bash -o pipefail -c "$cmd" || fail "RUN line $n of $(basename "$CASE_FILE") failed"
  done < <(run_lines "$CASE_FILE")
  [ "$n" -gt 0 ] || fail "$(basename "$CASE_FILE") has no RUN lines"
}

echo "IR tests with $OPT ($("$OPT" --version | sed -n 's/.*LLVM version //p'))"
for CASE_FILE in "$LOP_ROOT"/tests/ir/*.ll "$LOP_ROOT"/tests/ir/*.c; do
  [ -f "$CASE_FILE" ] || continue
  export CASE_FILE
  run_test "$(basename "$CASE_FILE")" run_case
done
t_summary
