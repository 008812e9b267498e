# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Compat cases for the runtime's guards under AFL++'s afl-fuzz: a deferred
# harness that ignores SIGCHLD, a persistent harness that forks, and
# afl-fuzz's forkserver mode without a map (AFL_DUMB_FORKSRV), where the
# forkserver must start although __AFL_SHM_ID is not set. Sourced by run.sh.

# A deferred harness that ignores SIGCHLD before __AFL_INIT() fuzzes
# normally (afl-fuzz used to abort: "Unable to communicate with fork
# server").
test_afl_fuzz_deferred_harness_ignoring_sigchld() {
  need_afl
  cat >reaper.c <<'EOF'
#include <signal.h>
#include <unistd.h>
static volatile int path;
int main(void) {
  signal(SIGCHLD, SIG_IGN);
  __AFL_INIT();
  char b[4];
  ssize_t n = read(0, b, sizeof(b));
  if (n > 0 && b[0] == 'R') {
    path = 1;
    if (n > 1 && b[1] == 'E')
      path = 2;
  }
  return 0;
}
EOF
  build reaper reaper.c
  fuzz 4 ./reaper
  [ "$(stat execs_done)" -gt 100 ] || fail "execs_done $(stat execs_done)"
}

# Copies a persistent harness forks inside its loop leave the loop and
# exit: none is left stopped (SIGSTOP) once afl-fuzz is done.
test_afl_fuzz_persistent_harness_that_forks() {
  need_afl
  forky_src
  build forky forky.c
  mkdir -p seeds
  printf F >seeds/a
  printf E >seeds/b
  fuzz 4 ./forky
  [ "$(stat execs_done)" -gt 100 ] || fail "execs_done $(stat execs_done)"
  local stopped
  stopped=$(left_behind forky | sed -n 's/:T$//p')
  [ -z "$stopped" ] || { kill -9 $stopped; fail "forked copies left stopped:" $stopped; }
}

# afl-fuzz -n with AFL_DUMB_FORKSRV drives the forkserver without a map
# and without __AFL_SHM_ID: the program must still start it.
test_afl_fuzz_dumb_forkserver() {
  need_afl
  build branchy "$TT/branchy.c"
  mkdir -p seeds
  printf hello >seeds/a
  AFL_DUMB_FORKSRV=1 timeout -s INT 30 "$AFL_FUZZ" -n -i seeds -o out -V 2 -- ./branchy >fuzz.log 2>&1 ||
    fail "afl-fuzz -n failed: $(grep -E 'PROGRAM ABORT|Location' fuzz.log | head -2)"
  grep -q 'fork server is up' fuzz.log || fail "no forkserver: $(tail -5 fuzz.log)"
  grep -q 'All set and ready to roll' fuzz.log || fail "did not start fuzzing: $(tail -5 fuzz.log)"
}
