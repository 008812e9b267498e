# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# CmpLog builds (AFL_LLVM_CMPLOG=1) and automatic dictionaries
# (AFL_LLVM_DICT2FILE): the operands of each kind of comparison land in the
# CmpLog map as AFL++ 4.04c lays it out (read back with cmplog-dump), the
# program runs by hand exactly as a plain build does, its coverage map is
# the plain build's, and a dictionary build writes the file and hands its
# tokens over in the handshake. Sourced by run.sh.

: "${CMPLOG_DUMP:=$LOP_ROOT/build/tests/cmplog-dump}"

# cmplog_build OUT SRC [FLAGS...]: a CmpLog build of SRC.
cmplog_build() {
  local out=$1 cc=$BIN/afl-clang-fast
  shift
  case $1 in *.cpp) cc=$BIN/afl-clang-fast++ ;; esac
  AFL_LLVM_CMPLOG=1 "$cc" -o "$out" "$@" 2>"$out.log" ||
    fail "CmpLog build of $out failed: $(tail -1 "$out.log")"
}

# cmplog_dump INPUT TARGET: the CmpLog map of one run into dump.txt.
cmplog_dump() {
  local input=$1
  shift
  printf '%s' "$input" | "$CMPLOG_DUMP" "$@" >dump.txt || fail "cmplog-dump failed"
}

# has_entry PATTERN: dump.txt has a line matching the grep -E PATTERN.
has_entry() {
  grep -qE "$1" dump.txt || fail "no CmpLog entry like '$1' in: $(cat dump.txt)"
}

# The magic target: the 32-bit compare logs the input's word against the
# magic (equality), the 16-byte memcmp both strings, once the magic passes.
test_cmplog_logs_magic_and_string() {
  cmplog_build magic "$TT/magic.c"
  cmplog_dump 'hello, not the magic word' ./magic
  has_entry '^ins size=4 attr=1 hits=1 v0=0x0:000000006c6c6568 v1=0x0:000000005eedf00d$'
  ! grep -q '^rtn' dump.txt || fail "memcmp logged before the magic passed"
  cmplog_dump "$(printf '\x0d\xf0\xed\x5e')open-sesame-XXX!" ./magic
  has_entry '^rtn len0=0x10 len1=0x10 v0="open-sesame-XXX!" v1="open-sesame-lop!"$'
}

# Every kind of comparison: 8, 16 and 3 bytes, both switches case by case,
# and strcasecmp (a C string: length with 0x80, NUL included).
test_cmplog_logs_each_kind() {
  cmplog_build calls "$TT/cmplog_calls.c"
  cmplog_dump 'hello there, this is long enough' ./calls
  has_entry '^ins size=8 attr=1 .* v1=0x0:1122334455667788$'
  has_entry '^ins size=16 attr=1 .* v1=0x102030405060708:1112131415161718$'
  has_entry '^ins size=3 attr=1 .* v1=0x0:0000000000abcdef$'
  local c
  for c in 71 7a a7; do has_entry "^ins size=1 attr=1 hits=1 v0=0x0:0000000000000068 v1=0x0:00000000000000$c\$"; done
  for c in 4b1d beef 1234; do has_entry "^ins size=2 attr=1 hits=1 .* v1=0x0:000000000000$c\$"; done
  has_entry '^rtn len0=0x9f len1=0x8a v0="hello there, this is long enoug" v1="CaseToken\\x00"$'
  has_entry 'v1="strcmp-token'
  has_entry 'v1="strncmp-token"'
}

# libstdc++ std::string: == with a C string, compare(), == with a string.
test_cmplog_logs_std_string() {
  cmplog_build str "$TT/cmplog_string.cpp" -O0
  cmplog_dump 'hello' ./str
  has_entry '^rtn len0=0x5 len1=0xc v0="hello" v1="cxx-eq-token"$'
  has_entry '^rtn len0=0x5 len1=0x11 v0="hello" v1="cxx-compare-token"$'
  has_entry '^rtn len0=0x5 len1=0x11 v0="hello" v1="string-pair-token"$'
}

# A compare whose operands are equal teaches nothing and is not logged.
test_cmplog_skips_equal_operands() {
  cmplog_build calls "$TT/cmplog_calls.c"
  cmplog_dump "$(printf '\x88\x77\x66\x55\x44\x33\x22\x11')" ./calls
  ! grep -q 'v1=0x0:1122334455667788$' dump.txt || fail "equal operands logged: $(cat dump.txt)"
}

# Run by hand (no __AFL_CMPLOG_SHM_ID) a CmpLog build prints and exits as
# the plain build does, crash included; under lop's client its coverage
# map is the plain build's (the guard blocks have no counters).
test_cmplog_build_runs_normally_by_hand() {
  build plain "$TT/magic.c"
  cmplog_build magic "$TT/magic.c"
  local input rc_plain rc_cmplog
  for input in short 'hello, not the magic word' "$(printf '\x0d\xf0\xed\x5e')open-sesame-lop!"; do
    rc_plain=0 rc_cmplog=0
    printf '%s' "$input" | ./plain >plain.out 2>&1 || rc_plain=$?
    printf '%s' "$input" | ./magic >cmplog.out 2>&1 || rc_cmplog=$?
    [ "$rc_plain" = "$rc_cmplog" ] || fail "exit $rc_cmplog, plain build $rc_plain"
    cmp -s plain.out cmplog.out || fail "output differs: $(cat cmplog.out)"
  done
  [ "$rc_cmplog" = 134 ] || fail "the crash input did not abort (exit $rc_cmplog)"
  build calls.plain "$TT/cmplog_calls.c"
  cmplog_build calls "$TT/cmplog_calls.c"
  inputs 'hello there' q strcmp-token
  probe ./calls.plain >out && mv out plain.txt
  probe ./calls >out
  local i
  for i in 1 2 3; do
    [ "$(run_field "$i" hash)" = "$(grep '^pid=' plain.txt | sed -n "${i}p" | tr ' ' '\n' | sed -n 's/^hash=//p')" ] ||
      fail "input $i: CmpLog build's coverage map differs from the plain build's"
  done
}

# A bad CmpLog segment id: exit 1 before main, as with a bad coverage
# segment id, and one line on stderr naming the variable.
test_cmplog_bad_segment_id() {
  cmplog_build magic "$TT/magic.c"
  local rc=0
  printf 'x' | __AFL_CMPLOG_SHM_ID=not-a-number ./magic >out.txt 2>err.txt || rc=$?
  [ "$rc" = 1 ] || fail "exit $rc with a bad __AFL_CMPLOG_SHM_ID"
  [ ! -s out.txt ] || fail "printed on stdout: $(cat out.txt)"
  # By hand nobody else explains it: one line naming the variable, as for a
  # stale __AFL_SHM_ID.
  [ "$(wc -l <err.txt)" = 1 ] || fail "not one line on stderr: $(cat err.txt)"
  grep -q "__AFL_CMPLOG_SHM_ID='not-a-number' is not a shared memory id; unset it" err.txt ||
    fail "stderr: $(cat err.txt)"
}

# AFL_LLVM_DICT2FILE: the magic as its 4 bytes in memory order (escaped),
# the memcmp string, each once, appended by every compile.
test_dict2file_writes_tokens() {
  AFL_LLVM_DICT2FILE=$T/magic.dict build magic "$TT/magic.c"
  grep -qxF 'cmp="\x0d\xf0\xed^"' magic.dict || fail "no magic token: $(cat magic.dict)"
  grep -qxF 'cmp="open-sesame-lop!"' magic.dict || fail "no string token: $(cat magic.dict)"
  [ "$(grep -c sesame magic.dict)" = 1 ] || fail "token written twice: $(cat magic.dict)"
  AFL_LLVM_DICT2FILE=$T/magic.dict build calls "$TT/cmplog_calls.c"
  grep -qxF 'cmp="open-sesame-lop!"' magic.dict || fail "second compile truncated the file"
  grep -qxF 'cmp="CaseToken"' magic.dict || fail "no strcasecmp token: $(cat magic.dict)"
  grep -qxF 'cmp="\x88wfUD3\"\x11"' magic.dict || fail "no 8-byte token: $(cat magic.dict)"
}

test_dict2file_unwritable_path() {
  expect_error 'AFL_LLVM_DICT2FILE=/nonexistent/dir/d.dict cannot be opened for appending' \
    env AFL_LLVM_DICT2FILE=/nonexistent/dir/d.dict "$BIN/afl-clang-fast" -o magic "$TT/magic.c"
  grep -q 'name a writable file or unset it' err.txt || fail "no advice: $(cat err.txt)"
  [ ! -e magic ] || fail "a binary was written"
}

# The tokens go over the handshake to a client that asks (lop's client
# does): 2 records, 1 + 4 and 1 + 16 bytes. A build without the variable
# offers none.
test_autodict_in_handshake() {
  AFL_LLVM_DICT2FILE=$T/d.dict build magic "$TT/magic.c"
  build plain "$TT/magic.c"
  inputs 'hello, not the magic word' "$(printf '\x0d\xf0\xed\x5e')open-sesame-lop!"
  probe ./magic >out
  [ "$(hello_field autodict)" = 22 ] || fail "dictionary: $(head -1 out)"
  [ "$(run_field 1 verdict)" = ok ] || fail "run 1: $(cat out)"
  [ "$(run_field 2 verdict)" = crash ] || fail "run 2: $(cat out)"
  probe ./plain >out
  [ "$(hello_field autodict)" = 0 ] || fail "plain build sent a dictionary: $(head -1 out)"
}

# pcguard mode: clang's trace-pc-guard counts the edges, lop's plugin is
# loaded for CmpLog (or the dictionary) only and adds no classic counters.
test_cmplog_in_pcguard_mode() {
  AFL_LLVM_INSTRUMENT=pcguard AFL_DEBUG=1 cmplog_build magic "$TT/magic.c"
  grep -q 'fpass-plugin' magic.log || fail "plugin not loaded: $(head -1 magic.log)"
  grep -q 'Instrumented' magic.log && fail "the plugin added classic coverage too: $(grep Instrumented magic.log)"
  cmplog_dump 'hello, not the magic word' ./magic
  has_entry 'v1=0x0:000000005eedf00d$'
  inputs hello
  probe ./magic >out
  [ "$(run_field 1 edges)" -gt 0 ] || fail "no edges: $(cat out)"
  AFL_LLVM_INSTRUMENT=pcguard AFL_DEBUG=1 build plain "$TT/magic.c" 2>plain.log
  grep -q 'fpass-plugin' plain.log && fail "plugin loaded for a plain pcguard build"
  return 0
}
