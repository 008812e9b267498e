# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# What `make demo` and the test runner print: the build that precedes the
# demo shows no compiler command lines, only errors, and the unit tier names
# each suite with its result. Sourced by tests/integration/run.sh.

# tree_copy DIR: a copy of the checkout with its build outputs (times kept,
# so nothing is out of date), without the unit tests' objects.
tree_copy() {
  mkdir -p "$1"
  tar -C "$LOP_ROOT" --exclude=./.git --exclude=./build/unit --exclude=./build/san -cf - . |
    tar -C "$1" -xf -
}

# The build before the demo prints no command line; a compile error is still
# shown, with the file and line, and the demo then does not run.
test_make_demo_builds_quietly() {
  tree_copy tree
  printf '#!/bin/sh\necho DEMO-RAN\n' >tree/scripts/demo
  touch tree/tools/afl-showmap.c
  make -C tree --no-print-directory LLVM_CONFIG="$LLVM_CONFIG" demo >demo.log 2>&1 ||
    fail "make demo failed: $(tail -n 5 demo.log)"
  grep -q '^DEMO-RAN$' demo.log || fail "the demo did not run: $(tail -n 5 demo.log)"
  ! grep -q 'afl-showmap\.c' demo.log || fail "make demo shows the compiler command: $(grep 'afl-showmap\.c' demo.log)"
  printf 'int broken(void) { return }\n' >>tree/tools/afl-showmap.c
  local rc=0
  make -C tree --no-print-directory LLVM_CONFIG="$LLVM_CONFIG" demo >demo.log 2>&1 || rc=$?
  [ "$rc" != 0 ] || fail "make demo succeeded with a compile error"
  grep -q 'afl-showmap\.c:[0-9]*:[0-9]*: error' demo.log || fail "the compile error is not shown: $(cat demo.log)"
  ! grep -q '^DEMO-RAN$' demo.log || fail "the demo ran after a failed build"
}

# cmocka_suite NAME FAILING: build/unit/NAME, a real cmocka binary with one
# passing test and, when FAILING is 1, one failing assertion.
cmocka_suite() {
  mkdir -p build/unit
  cat >"$1.c" <<EOF
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
static void test_holds(void **s) { (void)s; assert_int_equal(1, 1); }
static void test_breaks(void **s) { (void)s; assert_int_equal(1, 2); }
int main(void) {
  const struct CMUnitTest t[] = {cmocka_unit_test(test_holds),
#if $2
                                 cmocka_unit_test(test_breaks),
#endif
  };
  return cmocka_run_group_tests(t, NULL, NULL);
}
EOF
  "$CLANG" -o "build/unit/$1" "$1.c" -lcmocka || fail "cannot build the cmocka suite $1"
}

test_unit_tier_names_each_suite() {
  cmocka_suite test_alpha 0
  cmocka_suite test_beta 1
  local rc=0
  LOP_ROOT=$T "$LOP_ROOT/scripts/run-tests" unit >run.log 2>&1 || rc=$?
  [ "$rc" = 1 ] || fail "exit $rc with a failed test"
  grep -qx '  ok   test_alpha (1 tests)' run.log || fail "passing suite not named: $(cat run.log)"
  grep -qx '  FAIL test_beta (1 of 2 failed)' run.log || fail "failing suite not named: $(cat run.log)"
  grep -q '^      | \[   LINE   \] --- .*test_beta.c:[0-9]*' run.log || fail "failed line not shown: $(cat run.log)"
  grep -qx '2 passed, 1 failed' run.log || fail "wrong total: $(tail -n 1 run.log)"
}
