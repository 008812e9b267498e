# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# CmpLog and automatic dictionaries under Debian's afl-fuzz 4.04c; sourced
# by tests/compat/run.sh. The target (test-targets/magic.c) crashes only
# behind a 32-bit magic value and a 16-byte memcmp. Every run is bounded
# by executions (-E) with a fixed seed (-s), never by time, and stops at
# the first crash (AFL_BENCH_UNTIL_CRASH); each prints its execs and
# seconds into the test log. Debian's afl-fuzz runs the CmpLog forkserver
# on the main target's path (PROTOCOL.md 7.1), so the CmpLog build is
# itself the main target: `afl-fuzz -c 0 -- ./magic.cmplog`.

# Executions each run may spend: CmpLog and the dictionary need a few
# thousand; without them 20000 never match 20 bytes.
MAGIC_EXECS=20000

# fuzz_magic NAME [AFL-FUZZ OPTIONS...] -- TARGET: one bounded run into
# out.NAME/, log in NAME.log; prints "NAME: N execs, S s, C crashes".
fuzz_magic() {
  local name=$1
  shift
  mkdir -p seeds
  printf 'hello world, this is a seed' >seeds/a
  AFL_BENCH_UNTIL_CRASH=1 timeout -s INT 600 "$AFL_FUZZ" -s 1 -E "$MAGIC_EXECS" \
    -i seeds -o "out.$name" "$@" >"$name.log" 2>&1 ||
    fail "afl-fuzz ($name) failed: $(grep -E 'PROGRAM ABORT|Location|ERROR' "$name.log" | head -3)"
  local s=out.$name/default/fuzzer_stats
  [ -f "$s" ] || fail "no fuzzer_stats ($name): $(tail -5 "$name.log")"
  echo "$name: $(sed -n 's/^execs_done *: //p' "$s") execs," \
    "$(sed -n 's/^run_time *: //p' "$s") s, $(sed -n 's/^saved_crashes *: //p' "$s") crashes"
}

# crashes NAME: saved_crashes of run NAME.
crashes() {
  sed -n 's/^saved_crashes *: //p' "out.$1/default/fuzzer_stats"
}

test_afl_fuzz_cmplog_finds_magic() {
  need_afl
  build magic "$TT/magic.c"
  AFL_LLVM_CMPLOG=1 build magic.cmplog "$TT/magic.c"
  fuzz_magic cmplog -c 0 -- ./magic.cmplog
  fuzz_magic plain -- ./magic
  [ "$(crashes cmplog)" -ge 1 ] || fail "afl-fuzz -c 0 with the CmpLog build found no crash in $MAGIC_EXECS execs"
  [ "$(crashes plain)" = 0 ] || fail "the plain build crashed too: the target is too easy to prove anything"
  grep -q 'CmpLog' cmplog.log || fail "afl-fuzz did not run a CmpLog stage: $(tail -5 cmplog.log)"
  # Once afl-fuzz is gone, so is every forkserver and child of both builds.
  local left
  left=$(left_behind magic.cmplog; left_behind magic)
  [ -z "$left" ] || { kill -9 ${left//:?/} 2>/dev/null; fail "processes left behind:" $left; }
}

# The dictionary build hands afl-fuzz its tokens without -x: afl-fuzz says
# it loaded them, and with them finds the crash without CmpLog.
test_afl_fuzz_uses_autodict() {
  need_afl
  build magic "$TT/magic.c"
  AFL_LLVM_DICT2FILE=$T/magic.dict build magic.dict "$TT/magic.c"
  fuzz_magic dict -- ./magic.dict
  grep -q 'Loaded 2 autodictionary entries' dict.log ||
    fail "afl-fuzz loaded no dictionary: $(grep -i dict dict.log | head -3)"
  [ "$(crashes dict)" -ge 1 ] || fail "afl-fuzz with the dictionary found no crash in $MAGIC_EXECS execs"
  fuzz_magic plain -- ./magic
  [ "$(crashes plain)" = 0 ] || fail "the plain build crashed too: the target is too easy to prove anything"
}

# Clients that do not want the dictionary: afl-fuzz with AFL_NO_AUTODICT
# (which may send no answer at all) and afl-showmap (which answers without
# the bit) still run the dictionary build normally.
test_autodict_clients_that_decline() {
  need_afl
  AFL_LLVM_DICT2FILE=$T/magic.dict build magic.dict "$TT/magic.c"
  AFL_NO_AUTODICT=1 fuzz_magic nodict -- ./magic.dict
  grep -q 'autodictionary' nodict.log && fail "dictionary loaded despite AFL_NO_AUTODICT"
  [ "$(sed -n 's/^execs_done *: //p' out.nodict/default/fuzzer_stats)" -gt 1000 ] ||
    fail "afl-fuzz did not run the target"
  printf 'hello' | "$AFL_SHOWMAP" -q -o map.txt -- ./magic.dict >/dev/null 2>showmap.err
  [ -s map.txt ] || fail "afl-showmap gave no map: $(tail -3 showmap.err)"
}
