# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Shared helpers of the shell test tiers (ir, integration, compat). A suite
# sources this, calls `run_test name function` for each case and ends with
# `t_summary`, which prints "N passed, N failed" and sets the exit code.
# Each case runs in a subshell with its own temp dir $T, removed afterwards;
# a case fails when its function returns non-zero; `t_skip "why"` skips it.

: "${LOP_ROOT:?LOP_ROOT must point at the lop checkout}"
BIN=$LOP_ROOT/bin
T_PASS=0
T_FAIL=0
T_SKIP=0
T_FAILED_NAMES=

# fail "message": print why a case failed and make it return non-zero.
fail() {
  echo "    FAIL: $*" >&2
  return 1
}

# t_skip "why": mark the running case as skipped (exit code 77).
t_skip() {
  echo "    skip: $*" >&2
  exit 77
}

# run_test NAME FUNC: run FUNC in a subshell inside a fresh temp dir.
run_test() {
  local name=$1 fn=$2 rc dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/lop-test.XXXXXX")
  (cd "$dir" && T=$dir && set -e && "$fn") >"$dir.log" 2>&1
  rc=$?
  case $rc in
    0) T_PASS=$((T_PASS + 1)); echo "  ok   $name" ;;
    77) T_SKIP=$((T_SKIP + 1)); echo "  skip $name: $(grep 'skip:' "$dir.log" | tail -n 1 | sed 's/.*skip: //')" ;;
    *) T_FAIL=$((T_FAIL + 1)); T_FAILED_NAMES="$T_FAILED_NAMES $name"
       echo "  FAIL $name (exit $rc)"; sed 's/^/      | /' "$dir.log" | tail -n 30 ;;
  esac
  rm -rf "$dir" "$dir.log"
}

# t_summary: print the closing line and exit 1 if anything failed.
t_summary() {
  [ -n "$T_FAILED_NAMES" ] && echo "failed:$T_FAILED_NAMES"
  if [ "$T_SKIP" -gt 0 ]; then
    echo "$T_PASS passed, $T_FAIL failed, $T_SKIP skipped"
  else
    echo "$T_PASS passed, $T_FAIL failed"
  fi
  [ "$T_FAIL" -eq 0 ]
}

# shm_count: every SysV segment on the machine. Other sessions create and
# remove segments at any time, so a before/after comparison of it is only
# a rough check; leak checks use tracked + shm_created_by.
shm_count() { ipcs -m 2>/dev/null | awk 'NR>3 && $1 ~ /^0x/' | wc -l; }

# tracked CMD...: run the program CMD (stdin, stdout and stderr as given)
# and return its exit code, leaving its pid in TRACKED_PID. Each of lop's
# tools creates its segments in its own process, so that pid finds them.
tracked() {
  "$@" 0<&0 &
  TRACKED_PID=$!
  wait "$TRACKED_PID"
}

# shm_created_by PID: segments created by process PID that still exist (the
# creator's pid is column 5 of /proc/sysvipc/shm): a leak check that
# segments of concurrent test runs elsewhere on the machine cannot disturb.
shm_created_by() {
  awk -v pid="$1" 'NR > 1 && $5 == pid' /proc/sysvipc/shm | wc -l
}

# left_behind NAME: "PID:STATE" of each process named NAME still running
# in this test's directory $T (zombies, which init reaps, not counted):
# processes of concurrent tests elsewhere cannot disturb it.
left_behind() {
  local p state
  for p in $(pgrep -x "$1" || true); do
    [ "$(readlink "/proc/$p/cwd")" = "$T" ] || continue
    state=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | cut -d' ' -f1)
    [ -n "$state" ] && [ "$state" != Z ] && echo "$p:$state"
  done
  return 0
}
