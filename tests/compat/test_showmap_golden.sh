# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Golden tests, sourced by tests/compat/run.sh: lop's afl-showmap against
# Debian's AFL++ 4.04c afl-showmap on the same binary and input, in every
# mode whose format is meant to agree byte for byte (-r, -e, -s, -Z, -b,
# -i/-o, -C). The bucketed text differs only by 4.04c's table bug (it
# drops counts 5-7, 9-15, ...): there lop's output must equal AFL 2.57b's
# table applied to the raw counts, and every line 4.04c prints must be in it.
# Also AFL++'s afl-cmin driven by lop's afl-showmap, and lop's batch mode
# honouring persistent targets.

OURS=$BIN/afl-showmap

# script_target: the scripted forkserver (uninstrumented, exact counts).
script_target() {
  cc -O0 -I"$LOP_ROOT/include" -o fsrv-script "$TT/conformance/fsrv-script.c" ||
    fail "cannot build fsrv-script"
}

# counts_input FILE: byte 'A'+i repeated n_i times for n = 1..20 and the
# bucket edges 31 32 33 64 127 128 200 255, so every bucket boundary shows.
counts_input() {
  local i=0 n
  : >"$1"
  for n in $(seq 1 20) 31 32 33 64 127 128 200 255; do
    head -c "$n" /dev/zero | tr '\0' "\\$(printf '%03o' $((65 + i)))" >>"$1"
    i=$((i + 1))
  done
}

# both INPUT_FILE OPTS -- TARGET...: our and their output in ours.out /
# theirs.out (stdin input, -q added).
both() {
  local in=$1
  shift
  "$OURS" -q -o ours.out "$@" <"$in" >/dev/null 2>ours.err || [ $? -le 2 ] ||
    fail "lop afl-showmap $*: $(cat ours.err)"
  "$AFL_SHOWMAP" -q -o theirs.out "$@" <"$in" >/dev/null 2>theirs.err || [ $? -le 2 ] ||
    fail "AFL++ afl-showmap $*: $(tail -2 theirs.err)"
}

# same_as_theirs INPUT_FILE OPTS -- TARGET...: byte-identical outputs.
same_as_theirs() {
  both "$@"
  cmp -s ours.out theirs.out || fail "afl-showmap ${*:2} differs from AFL++:
$(diff ours.out theirs.out | head -5)"
}

# human_buckets: AFL 2.57b's text classes applied to "%06u:%u" lines.
human_buckets() {
  awk -F: '{ v = $2; b = v <= 3 ? v : v <= 7 ? 4 : v <= 15 ? 5 : v <= 31 ? 6 : v <= 127 ? 7 : 8;
             printf "%s:%d\n", $1, b }'
}

# golden_all_modes INPUT_FILE TARGET...: every agreeing mode, then buckets.
golden_all_modes() {
  local in=$1 m
  shift
  for m in -r -e -s "-s -e" "-Z -r" "-Z -e" -b "-b -r" "-b -e"; do
    # shellcheck disable=SC2086
    same_as_theirs "$in" $m -- "$@"
  done
  "$OURS" -q -r -o raw.out -- "$@" <"$in" || [ $? -le 2 ] || fail "raw run failed"
  both "$in" -- "$@"
  human_buckets <raw.out | cmp -s - ours.out || fail "bucketed text is not AFL's table:
$(human_buckets <raw.out | diff - ours.out | head -5)"
  [ -z "$(grep -vxFf ours.out theirs.out)" ] ||
    fail "AFL++ printed lines lop did not: $(grep -vxFf ours.out theirs.out | head -3)"
}

test_golden_scripted_counts() {
  need_afl
  script_target
  counts_input counts
  golden_all_modes counts ./fsrv-script extended
  [ "$(grep -c . raw.out)" = 28 ] || fail "expected 28 edges, got $(grep -c . raw.out)"
}

test_golden_lop_binary() {
  need_afl
  build branchy "$TT/branchy.c"
  printf 'LOP!abc123,,,,,,,,,,,,,,,,,,,,,,' >in
  golden_all_modes in ./branchy
}

# A corpus with repeated coverage, for batch mode and afl-cmin.
make_corpus() {
  mkdir -p corpus
  printf 'L' >corpus/a
  printf 'LO' >corpus/b
  printf 'LOP' >corpus/c
  printf 'LOP!' >corpus/d
  printf 'hello' >corpus/e
  printf 'world' >corpus/f
  printf '12345' >corpus/g
  printf 'LOP!' >corpus/h
}

test_golden_batch_and_union() {
  need_afl
  build branchy "$TT/branchy.c"
  make_corpus
  "$OURS" -q -r -i corpus -o ours -- ./branchy || fail "lop batch run failed"
  "$AFL_SHOWMAP" -q -r -i corpus -o theirs -- ./branchy >/dev/null 2>&1 || fail "AFL++ batch run failed"
  diff -r ours theirs >/dev/null || fail "batch -r outputs differ: $(diff -r ours theirs | head -5)"
  "$OURS" -Z -i corpus -o oursz -- ./branchy || fail "lop batch -Z failed"
  "$AFL_SHOWMAP" -Z -i corpus -o theirsz -- ./branchy >/dev/null 2>&1 || fail "AFL++ batch -Z failed"
  diff -r oursz theirsz >/dev/null || fail "batch -Z outputs differ: $(diff -r oursz theirsz | head -5)"
  "$OURS" -q -C -i corpus -o ours.cov -- ./branchy || fail "lop -C failed"
  "$AFL_SHOWMAP" -q -C -i corpus -o theirs.cov -- ./branchy >/dev/null 2>&1 || fail "AFL++ -C failed"
  cmp -s ours.cov theirs.cov || fail "-C union differs: $(diff ours.cov theirs.cov | head -5)"
}

# AFL++'s own afl-showmap in -i mode on lop's persistent + shm testcase
# target: one trace per input, input-dependent.
test_afl_showmap_dir_on_lop_shm_persistent() {
  need_afl
  build shm_testcase "$TT/shm_testcase.c"
  mkdir -p in
  printf 'SHM' >in/1
  printf 'SH' >in/2
  printf 'xx' >in/3
  env -u AFL_QUIET "$AFL_SHOWMAP" -i in -o out -- ./shm_testcase >log 2>&1 || fail "AFL++ afl-showmap -i: $(tail -3 log)"
  grep -q 'SHARED MEMORY FUZZING' log || fail "AFL++ did not use shm testcases: $(cat log)"
  grep -q 'Target map size: 65536' log || fail "AFL++ did not use our map size: $(grep -i 'map size' log)"
  for i in 1 2 3; do [ -s "out/$i" ] || fail "no trace for input $i"; done
  ! cmp -s out/1 out/2 && ! cmp -s out/2 out/3 || fail "traces do not depend on the input"
  "$OURS" -q -r -i in -o ours -- ./shm_testcase || fail "lop batch on shm target failed"
  "$AFL_SHOWMAP" -q -r -i in -o theirs -- ./shm_testcase >/dev/null 2>&1
  diff -r ours theirs >/dev/null || fail "shm target traces differ: $(diff -r ours theirs | head -5)"
}

# lop's batch mode runs a persistent target in few forks, with the same
# traces as AFL++'s batch mode (which runs it persistent too). A single
# file is not compared: AFL++ 4.04c runs it without the forkserver, so the
# loop exits after one input and the trace has the exit edges; lop's shows
# one iteration, as afl-fuzz sees it.
test_batch_honours_persistent() {
  need_afl
  build persistent "$TT/persistent.c"
  mkdir -p in
  for i in $(seq 1 30); do printf 'A%s' "$(printf 'B%.0s' $(seq 1 $((i % 3))))" >"in/$i"; done
  printf 'Z' >in/z
  LOP_TEST_FORK_LOG=$T/forks.log "$OURS" -q -r -i in -o out -- ./persistent || fail "batch failed"
  [ "$(wc -l <forks.log)" -lt 5 ] || fail "$(wc -l <forks.log) forks for 31 inputs: not persistent"
  "$AFL_SHOWMAP" -q -r -i in -o theirs -- ./persistent >/dev/null 2>&1 || fail "AFL++ batch failed"
  diff -r out theirs >/dev/null || fail "persistent batch traces differ: $(diff -r out theirs | head -5)"
  ! cmp -s out/2 out/z || fail "traces do not depend on the input"
}

# afl-cmin (AFL++ 4.04c) on a small corpus, first with AFL++'s afl-showmap,
# then with lop's found first in PATH: both shrink it to the same files,
# and afl-cmin learns the map size from the target (AFL_DUMP_MAP_SIZE).
test_afl_cmin_both_showmaps() {
  need_afl
  [ -x /usr/bin/afl-cmin ] || t_skip "afl-cmin not installed"
  build branchy "$TT/branchy.c"
  make_corpus
  AFL_ALLOW_TMP=1 /usr/bin/afl-cmin -i corpus -o min_theirs -- ./branchy >cmin1.log 2>&1 ||
    fail "afl-cmin failed: $(tail -3 cmin1.log)"
  # It finds AFL_DUMP_MAP_SIZE in the binary and asks the map size.
  grep -q 'Setting AFL_MAP_SIZE=65536' cmin1.log ||
    fail "afl-cmin did not get the map size: $(grep -i map cmin1.log | head -3)"
  mkdir -p lopbin && ln -s "$OURS" lopbin/afl-showmap
  AFL_ALLOW_TMP=1 PATH=$T/lopbin:$PATH /usr/bin/afl-cmin -i corpus -o min_ours -- ./branchy >cmin2.log 2>&1 ||
    fail "afl-cmin with lop's afl-showmap failed: $(tail -3 cmin2.log)"
  n=$(ls min_ours | wc -l)
  [ "$n" -ge 3 ] && [ "$n" -lt 8 ] || fail "afl-cmin kept $n of 8 files"
  [ "$(ls min_ours)" = "$(ls min_theirs)" ] ||
    fail "different minimal corpora: lop $(ls min_ours | tr '\n' ' ') AFL++ $(ls min_theirs | tr '\n' ' ')"
}

# afl-tmin shrinks an input of a lop binary and keeps its trace.
test_afl_tmin() {
  need_afl
  [ -x /usr/bin/afl-tmin ] || t_skip "afl-tmin not installed"
  build branchy "$TT/branchy.c"
  printf 'LOP!' >in
  head -c 200 /dev/zero | tr '\0' ',' >>in
  /usr/bin/afl-tmin -i in -o min -- ./branchy >tmin.log 2>&1 || fail "afl-tmin failed: $(tail -3 tmin.log)"
  [ "$(wc -c <min)" -lt "$(wc -c <in)" ] || fail "afl-tmin did not shrink the input"
  "$OURS" -q -b -o a.bin -- ./branchy <in && "$OURS" -q -b -o b.bin -- ./branchy <min ||
    fail "afl-showmap failed"
  cmp -s a.bin b.bin || fail "minimised input has a different (bucketed) trace"
}
