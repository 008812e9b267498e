#!/bin/bash
# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# The llmp stress test in its three builds (plain, ThreadSanitizer,
# ASan+UBSan; the Makefile builds them under build/): N client threads x M
# messages through one broker thread, each message received once and in
# order, no segment left. Ends with "N passed, N failed".
set -u
: "${LOP_ROOT:?}"
cd "$LOP_ROOT" || exit 1
passed=0
failed=0

# run NAME BINARY ARGS...: one line per build, the program's own line kept.
run() {
  local name=$1 out
  shift
  if out=$(TSAN_OPTIONS=halt_on_error=1 "$@" 2>&1); then
    echo "  ok   $name: $(echo "$out" | tail -n 1)"
    passed=$((passed + 1))
  else
    echo "  FAIL $name"
    echo "$out" | tail -n 30 | sed 's/^/      | /'
    failed=$((failed + 1))
  fi
}

run stress build/llmp-stress 6 1500
run stress-tsan build/tsan/llmp-stress 4 1500
run stress-asan build/asan/llmp-stress 4 1500
echo "$passed passed, $failed failed"
