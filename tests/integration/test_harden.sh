# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Integration cases for harnesses and clients that misbehave: a persistent
# harness that forks, a deferred harness that reaps its children, a program
# run by hand with something else on fds 198/199, and a client killed by
# SIGKILL mid-run (nothing of it may live on). Sourced by run.sh.

# A fork inside the persistent loop: only the process the forkserver
# started speaks, so every run gets its own verdict in both protocols and
# afl-showmap -i writes a map for each of the 8 inputs.
test_persistent_harness_that_forks() {
  forky_src
  build forky forky.c
  inputs F E a F a E a a
  local opt n
  for opt in "" -S; do
    "$PROBE" $opt -t 5000 ./forky <list >out || fail "fsrv-probe $opt: $(cat out)"
    [ "$(grep -c '^pid=' out)" = 8 ] || fail "fsrv-probe $opt ran $(grep -c '^pid=' out) of 8: $(cat out)"
    for n in 2 6; do
      [ "$(run_field $n status)" = 0x200 ] || fail "$opt input $n (E): $(sed -n "$((n + 1))p" out)"
    done
    grep '^pid=' out | grep -qv 'verdict=ok' && fail "$opt: a verdict is not ok: $(cat out)"
  done
  mkdir maps
  "$BIN/afl-showmap" -q -t 5000 -i in -o maps -- ./forky || fail "afl-showmap -i failed"
  [ "$(ls maps | wc -l)" = 8 ] || fail "afl-showmap -i wrote $(ls maps | wc -l) of 8 maps"
}

# A deferred harness that ignores SIGCHLD before __AFL_INIT() (it would
# otherwise have to reap its own children) runs under lop's client.
test_deferred_harness_ignoring_sigchld() {
  cat >reaper.c <<'EOF'
#include <signal.h>
#include <unistd.h>
int main(void) {
  signal(SIGCHLD, SIG_IGN);
  __AFL_INIT();
  char b[4];
  return read(0, b, sizeof(b)) > 0 && b[0] == 'x' ? 3 : 0;
}
EOF
  build reaper reaper.c
  inputs a x a
  probe ./reaper >out
  [ "$(run_field 2 status)" = 0x300 ] || fail "exit 3 not reported: $(cat out)"
  [ "$(run_field 3 verdict)" = ok ] || fail "third run: $(cat out)"
}

# Run by hand with fd 199 on a lock file, or 198/199 on /dev/zero and
# /dev/null: the program runs main once, as uninstrumented, and writes
# nothing into the lock file.
test_by_hand_with_fds_198_199_taken() {
  cat >three.c <<'EOF'
#include <stdio.h>
int main(void) {
  puts("main");
  return 3;
}
EOF
  build three three.c
  local rc=0
  (flock 199 && ./three >out1) 199>app.lock || rc=$?
  [ "$rc" = 3 ] || fail "under flock: exit $rc, not 3"
  [ ! -s app.lock ] || fail "the program wrote $(stat -c %s app.lock) bytes into the lock file"
  rc=0
  timeout 10 ./three 198</dev/zero 199>/dev/null >out2 || rc=$?
  [ "$rc" = 3 ] || fail "with /dev/zero and /dev/null: exit $rc, not 3"
  [ "$(cat out1 out2)" = "$(printf 'main\nmain')" ] || fail "main ran $(grep -c main out2) times"
}

# A stale __AFL_SHM_ID: one line on stderr naming it, exit 1. Without the
# variable the program stays silent.
test_stale_shm_id_says_so() {
  build three "$TT/branchy.c"
  local rc=0
  __AFL_SHM_ID=2147483000 ./three </dev/null >out 2>err || rc=$?
  [ "$rc" = 1 ] || fail "exit $rc with a stale __AFL_SHM_ID"
  [ "$(wc -l <err)" = 1 ] && grep -q '__AFL_SHM_ID' err || fail "stderr: $(cat err)"
  ./three </dev/null >out 2>err || true
  [ ! -s err ] || fail "run by hand, the program printed: $(cat err)"
}

# proc_gone PID: the process is gone or a zombie.
proc_gone() {
  local state
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
  [ -z "$state" ] || [ "$state" = Z ]
}

# client_killed_mid_run STDIN CLIENT...: starts CLIENT with stdin from the
# file STDIN in the background, waits until its forkserver runs the hung
# child, kills the client with SIGKILL and checks that the forkserver, the
# child and the client's segments all go. Leftovers are killed before
# failing.
client_killed_mid_run() {
  local stdin=$1
  shift
  "$@" <"$stdin" &
  local client=$! fsrv= child= i ids left
  for i in $(seq 1 1000); do
    fsrv=$(pgrep -P "$client" | head -n 1)
    [ -n "$fsrv" ] && child=$(pgrep -P "$fsrv" | head -n 1)
    [ -n "$child" ] && break
    sleep 0.01
  done
  [ -n "$child" ] || { kill -9 "$client" || true; fail "no hung child under $1"; }
  ids=$(awk -v p="$client" '$5 == p { print $2 }' /proc/sysvipc/shm)
  [ -n "$ids" ] || { kill -9 "$client" "$fsrv" "$child" || true; fail "no segment of $1 found"; }
  kill -9 "$client"
  wait "$client" 2>/dev/null || true
  for i in $(seq 1 1000); do
    left=$(awk 'NR > 1 { print $2 }' /proc/sysvipc/shm | grep -Fx "$ids" || true)
    proc_gone "$fsrv" && proc_gone "$child" && [ -z "$left" ] && return 0
    sleep 0.01
  done
  proc_gone "$fsrv" || echo "forkserver $fsrv outlived $1" >>leftovers
  proc_gone "$child" || echo "hung child $child outlived $1" >>leftovers
  [ -z "$left" ] || echo "segments" $left "outlived $1" >>leftovers
  kill -9 "$fsrv" "$child" 2>/dev/null || true
  fail "$(cat leftovers)"
}

# lop's afl-showmap and a small client driver (fsrv-probe), each killed
# by SIGKILL while a run hangs, leave no process and no segment behind.
test_client_killed_leaves_nothing() {
  build hang "$TT/hang.c"
  printf HANG >in.txt
  echo "$T/in.txt" >list
  client_killed_mid_run in.txt "$BIN/afl-showmap" -q -t 100000 -o m.txt -- ./hang
  client_killed_mid_run list "$PROBE" -t 100000 ./hang
}
