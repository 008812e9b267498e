# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# lop-fuzz beside Debian's AFL++ 4.04c: the same fuzzer_stats keys and
# plot_data header as afl-fuzz writes, a lop-fuzz main and an afl-fuzz
# secondary importing each other's finds through one sync directory,
# afl-whatsup, afl-cmin, afl-tmin and afl-plot on lop-fuzz's output, and
# AFL++-built targets fuzzed by lop-fuzz. Runs are bounded by executions
# (-E), never by time. Sourced by run.sh.

LF=$BIN/lop-fuzz

# keys FILE: the keys of a fuzzer_stats file, in order.
keys() {
  sed 's/ *:.*//' "$1"
}

test_lop_fuzz_writes_afl_fuzz_formats() {
  need_afl
  build branchy "$TT/branchy.c"
  mkdir -p seeds && printf 'hello' >seeds/a
  "$AFL_FUZZ" -i seeds -o afl -E 2000 -- ./branchy >afl.log 2>&1 || fail "afl-fuzz: $(tail -3 afl.log)"
  AFL_NO_UI=1 "$LF" -i seeds -o lop -s 1 -E 2000 -- ./branchy >lop.log 2>&1 || fail "lop-fuzz: $(tail -3 lop.log)"
  keys afl/default/fuzzer_stats >afl.keys
  keys lop/default/fuzzer_stats >lop.keys
  diff -u afl.keys lop.keys >d.txt || fail "fuzzer_stats keys differ: $(head -20 d.txt)"
  cmp -s <(head -n 1 afl/default/plot_data) <(head -n 1 lop/default/plot_data) ||
    fail "plot_data headers differ"
  diff <(cd afl/default && find . -maxdepth 1 ! -name '.' | grep -v '^./\.\(cur_input\|lop\)' | sort) \
    <(cd lop/default && find . -maxdepth 1 ! -name '.' | sort) >files.txt
  # afl-fuzz 4.04c keeps .cur_input for stdin targets too, lop-fuzz a
  # private temp file; everything else must exist in both.
  grep -E '^[<>]' files.txt | grep -vE '\./(\.cur_input|cmdline)$' && fail "files differ: $(cat files.txt)"
  [ "$(wc -c <afl/default/fuzz_bitmap)" = "$(wc -c <lop/default/fuzz_bitmap)" ] || fail "fuzz_bitmap size"
  return 0
}

# Entries only one side has cross to the other through one sync directory:
# lop-fuzz's (from a seed "LOP!" of the demo target) to afl-fuzz, and
# afl-fuzz's (from a seed five checks deeper, which 2000 executions of
# lop-fuzz cannot reach) back to lop-fuzz. Both run as -M, which imports
# from every instance, one after the other and bounded by -E.
test_lop_fuzz_and_afl_fuzz_sync_both_ways() {
  need_afl
  build demo "$TT/demo.c"
  mkdir -p lseeds aseeds
  printf 'LOP!' >lseeds/magic
  printf 'LOP!\002cnt\005' >aseeds/deep
  AFL_NO_UI=1 "$LF" -i lseeds -o sync -M lop -s 1 -E 2000 -- ./demo >lop.log 2>&1 ||
    fail "lop-fuzz: $(tail -3 lop.log)"
  AFL_IMPORT_FIRST=1 "$AFL_FUZZ" -i aseeds -o sync -M afl -E 3000 -- ./demo >afl.log 2>&1 ||
    fail "afl-fuzz: $(tail -3 afl.log)"
  ls sync/afl/queue | grep -q '^id:[0-9]*,sync:lop,src:000000' ||
    fail "afl-fuzz imported nothing from lop-fuzz: $(ls sync/afl/queue | head)"
  AFL_IMPORT_FIRST=1 AFL_NO_UI=1 "$LF" -i - -o sync -M lop -s 2 -E 200 -- ./demo >lop2.log 2>&1 ||
    fail "lop-fuzz resume: $(tail -3 lop2.log)"
  ls sync/lop/queue | grep -q '^id:[0-9]*,sync:afl,src:000000' ||
    fail "lop-fuzz imported nothing from afl-fuzz: $(ls sync/lop/queue | head)"
  [ "$(sed -n 's/^corpus_imported *: //p' sync/lop/fuzzer_stats)" -ge 1 ] || fail "corpus_imported"
}

# afl-whatsup reads lop-fuzz's directory; afl-cmin and afl-tmin work on
# its queue and crashes; afl-plot draws its plot_data.
test_afl_tools_on_lop_fuzz_output() {
  need_afl
  build demo "$TT/demo.c"
  mkdir -p seeds && printf 'hello' >seeds/a && printf 'LOP!' >seeds/b
  AFL_NO_UI=1 "$LF" -i seeds -o out -s 3 -E 20000 -- ./demo >lf.log 2>&1 || fail "$(tail -3 lf.log)"
  afl-whatsup -s out >w.txt 2>&1 || fail "afl-whatsup: $(tail -3 w.txt)"
  grep -qE 'Total execs *: *[0-9]' w.txt || fail "afl-whatsup summary: $(cat w.txt)"
  grep -qE 'Fuzzers (alive|dead)' w.txt || fail "afl-whatsup: $(cat w.txt)"
  AFL_ALLOW_TMP=1 afl-cmin -i out/default/queue -o min -- ./demo >cmin.log 2>&1 || fail "afl-cmin: $(tail -3 cmin.log)"
  [ -n "$(ls min)" ] || fail "afl-cmin kept nothing"
  printf 'LOP!\002cnt\377junkjunk' >crash.in
  AFL_ALLOW_TMP=1 afl-tmin -i crash.in -o crash.min -- ./demo >tmin.log 2>&1 || fail "afl-tmin: $(tail -3 tmin.log)"
  [ "$(wc -c <crash.min)" -le 9 ] || fail "afl-tmin did not shrink the crash"
  if command -v gnuplot >/dev/null; then
    afl-plot out/default plot >plot.log 2>&1 || fail "afl-plot: $(tail -3 plot.log)"
    [ -s plot/index.html ] || fail "afl-plot wrote no index.html"
  fi
}

# Targets built by AFL++'s own afl-clang-fast: the standard forkserver,
# persistent mode and shared-memory testcases of 4.04c, under lop-fuzz.
test_lop_fuzz_runs_aflpp_built_targets() {
  need_afl
  command -v afl-clang-fast >/dev/null || t_skip "no AFL++ afl-clang-fast"
  case "$(readlink -f "$(command -v afl-clang-fast)")" in
    "$LOP_ROOT"/*) t_skip "afl-clang-fast on PATH is lop's" ;;
  esac
  AFL_QUIET=1 afl-clang-fast -o theirs "$TT/branchy.c" >cc.log 2>&1 || fail "AFL++ build: $(tail -2 cc.log)"
  AFL_QUIET=1 afl-clang-fast -o theirs_demo "$TT/demo.c" >cc.log 2>&1 || fail "AFL++ build: $(tail -2 cc.log)"
  mkdir -p seeds && printf 'hello' >seeds/a
  AFL_NO_UI=1 "$LF" -i seeds -o o1 -s 4 -E 3000 -- ./theirs >l1.log 2>&1 || fail "$(tail -3 l1.log)"
  [ "$(sed -n 's/^corpus_count *: //p' o1/default/fuzzer_stats)" -gt 1 ] || fail "no new paths"
  AFL_NO_UI=1 "$LF" -i seeds -o o2 -s 5 -E 20000 -- ./theirs_demo >l2.log 2>&1 || fail "$(tail -3 l2.log)"
  grep -q 'persistent' o2/default/fuzzer_stats || fail "mode: $(grep target_mode o2/default/fuzzer_stats)"
  [ "$(sed -n 's/^corpus_count *: //p' o2/default/fuzzer_stats)" -gt 1 ] || fail "no new paths"
}
