# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Integration tests of lop-fuzz: it finds the planted bugs of test-targets/
# within a bounded number of executions with a fixed seed (never a time
# limit), writes AFL++'s output layout and formats, resumes, refuses an
# earlier run, stops cleanly on SIGINT and SIGTERM (stats written, no
# segment, process or temp file left), runs standard forkserver, @@ and -f
# targets, and gives one clear line for each bad input. Sourced by run.sh.

LF=$BIN/lop-fuzz

# lf ARGS...: lop-fuzz without a screen, output kept in lf.log.
lf() {
  AFL_NO_UI=1 "$LF" "$@" >lf.log 2>&1
}

# stat_field DIR KEY: a value of DIR/fuzzer_stats.
stat_field() {
  sed -n "s/^$2 *: //p" "$1/fuzzer_stats"
}

demo_seeds() {
  mkdir -p seeds
  printf 'hello' >seeds/hello
}

# The demo target's bug sits behind eight byte-by-byte checks; lop-fuzz
# reaches it within the execution budget and saves the input that aborts.
test_lop_fuzz_finds_planted_crash() {
  build demo "$TT/demo.c"
  demo_seeds
  AFL_BENCH_UNTIL_CRASH=1 lf -i seeds -o out -s 1 -E 6000000 -- ./demo ||
    fail "lop-fuzz failed: $(tail -3 lf.log)"
  local c
  c=$(find out/default/crashes -name 'id:000000,sig:06,*' | head -n 1)
  [ -n "$c" ] || fail "no crash saved: $(tail -3 lf.log)"
  [ -s out/default/crashes/README.txt ] || fail "no crashes/README.txt"
  local rc=0
  ./demo <"$c" >/dev/null 2>&1 || rc=$?
  [ "$rc" = 134 ] || fail "the saved crash exits $rc by hand, not 134 (abort)"
  [ "$(stat_field out/default saved_crashes)" -ge 1 ] || fail "saved_crashes"
  [ "$(stat_field out/default target_mode)" = "persistent shmem" ] ||
    fail "mode: $(stat_field out/default target_mode)"
  grep -q 'crashing inputs are in out/default/crashes/' lf.log || fail "no summary"
}

# Files, names and formats of AFL++ 4.04c (FUZZER.md).
test_lop_fuzz_output_layout() {
  build branchy "$TT/branchy.c"
  mkdir -p seeds && printf 'hello' >seeds/a && printf 'LO' >seeds/b
  lf -i seeds -o out -s 2 -E 3000 -- ./branchy @@ || fail "$(tail -3 lf.log)"
  local d=out/default f
  for f in queue crashes hangs .synced queue/.state; do
    [ -d "$d/$f" ] || fail "no $f/"
  done
  for f in fuzzer_stats plot_data fuzz_bitmap cmdline fuzzer_setup; do
    [ -f "$d/$f" ] || fail "no $f"
  done
  [ -f "$d/.cur_input" ] || fail "no .cur_input for an @@ target"
  [ -f "$d/is_main_node" ] && fail "is_main_node without -M"
  ls "$d/queue" | grep -qx 'id:000000,time:0,execs:0,orig:a' || fail "seed name: $(ls "$d/queue")"
  ls "$d/queue" | grep -qx 'id:000001,time:0,execs:0,orig:b' || fail "second seed name"
  ls "$d/queue" | grep -v '^id:00000[01],' |
    grep -vqE '^id:[0-9]{6},src:[0-9]{6}(\+[0-9]{6})?,time:[0-9]+,execs:[0-9]+,op:(havoc|splice),rep:[0-9]+(,\+cov)?$' &&
    fail "bad entry name: $(ls "$d/queue" | tail -3)"
  [ "$(ls "$d/queue" | grep -c '^id:')" = "$(stat_field $d corpus_count)" ] ||
    fail "corpus_count differs from the queue"
  printf './branchy\n@@\n' | cmp -s - "$d/cmdline" || fail "cmdline: $(cat "$d/cmdline")"
  grep -qx '# command line:' "$d/fuzzer_setup" || fail "fuzzer_setup"
  [ "$(stat -c %s "$d/fuzz_bitmap")" = "$(stat_field $d total_edges)" ] || fail "fuzz_bitmap size"
  [ "$(stat_field $d execs_done)" -ge 3000 ] || fail "execs_done"
  head -n 1 "$d/plot_data" | grep -q '^# relative_time, cycles_done, cur_item' || fail "plot header"
  sed -n 2p "$d/plot_data" | grep -qE '^[0-9]+, [0-9]+, [0-9]+, [0-9]+, [0-9]+, [0-9]+, [0-9.]+%, ' ||
    fail "plot row: $(sed -n 2p "$d/plot_data")"
  # afl-whatsup sources fuzzer_stats as shell assignments.
  sed 's/ *: /=/' "$d/fuzzer_stats" | grep -vE '^[a-z_]+=[^"$`]*$' && fail "stats not shell-safe"
  return 0
}

# -f: the target opens a named file; -M writes is_main_node while it runs
# and removes it at the end.
test_lop_fuzz_file_and_main() {
  build branchy "$TT/branchy.c"
  mkdir -p seeds && printf 'hello' >seeds/a
  lf -i seeds -o out -M main -s 3 -E 2000 -f "$T/input.bin" -- ./branchy "$T/input.bin" ||
    fail "$(tail -3 lf.log)"
  [ -f input.bin ] || fail "-f file not written"
  [ -f out/main/is_main_node ] && fail "is_main_node left behind"
  [ "$(stat_field out/main target_mode)" = forkserver ] || fail "mode"
}

# A standard forkserver target (no persistent loop) climbs the "LOP!"
# branches of branchy.c by coverage alone.
test_lop_fuzz_forkserver_climbs() {
  build branchy "$TT/branchy.c"
  mkdir -p seeds && printf 'hello' >seeds/a
  lf -i seeds -o out -s 4 -E 60000 -- ./branchy || fail "$(tail -3 lf.log)"
  grep -l '^L' out/default/queue/id:* >/dev/null 2>&1 ||
    fail "no queue entry starts the magic: $(ls out/default/queue | wc -l) entries"
}

# -i - resumes: the old queue comes back with its names, old crashes are
# kept aside, and the new run goes on from there.
test_lop_fuzz_resume() {
  build demo "$TT/demo.c"
  demo_seeds
  lf -i seeds -o out -s 5 -E 20000 -- ./demo || fail "$(tail -3 lf.log)"
  ls out/default/queue | grep '^id:' | sort >before
  lf -i seeds -o out -s 5 -E 1000 -- ./demo && fail "an earlier run was overwritten"
  grep -q 'holds an earlier run; resume it with -i -' lf.log || fail "message: $(cat lf.log)"
  lf -i - -o out -s 6 -E 30000 -- ./demo || fail "resume failed: $(tail -3 lf.log)"
  ls out/default/queue | grep '^id:' | sort >after
  [ -z "$(comm -23 before after)" ] || fail "entries lost: $(comm -23 before after | head -3)"
  [ -d out/default/_resume ] && fail "_resume left behind"
  AFL_AUTORESUME=1 lf -i seeds -o out -s 7 -E 1000 -- ./demo || fail "AFL_AUTORESUME: $(tail -3 lf.log)"
  ls out/default/queue | grep '^id:' | sort >again
  [ -z "$(comm -23 after again)" ] || fail "AFL_AUTORESUME lost entries"
}

# stop_test SIG: a run stopped by SIG ends cleanly.
stop_test() {
  local sig=$1 pid i
  build demo "$TT/demo.c"
  demo_seeds
  # Job control: a background job of a shell without it starts with SIGINT
  # ignored, and lop-fuzz keeps ignored signals ignored (nohup). -V only
  # keeps a broken run from hanging the suite; the summary says what
  # stopped it.
  set -m
  AFL_NO_UI=1 "$LF" -i seeds -o out -s 8 -V 300 -- ./demo >lf.log 2>&1 &
  pid=$!
  for i in $(seq 1 300); do
    [ -s out/default/fuzzer_stats ] && break
    sleep 0.1
  done
  [ -s out/default/fuzzer_stats ] || fail "no fuzzer_stats while running"
  rm out/default/fuzzer_stats
  kill "-$sig" "$pid"
  wait "$pid" || fail "exit status $? after SIG$sig"
  [ -s out/default/fuzzer_stats ] || fail "fuzzer_stats not written at the end"
  grep -q 'lop-fuzz: done:' lf.log || fail "no summary: $(tail -2 lf.log)"
  grep -qx "lop-fuzz: stopped by $sig" lf.log || fail "not stopped by SIG$sig: $(tail -2 lf.log)"
  [ -z "$(left_behind demo)" ] || fail "target processes left behind: $(left_behind demo)"
  [ "$(shm_created_by "$pid")" = 0 ] || fail "segments of lop-fuzz left: $(shm_created_by "$pid")"
  ls -a out/default/queue out/default | grep -q '^\.lop-save' && fail "temp file left"
  return 0
}

test_lop_fuzz_sigint_cleans_up() { stop_test INT; }

# Started with SIGINT ignored (a background job without job control, as
# under nohup), lop-fuzz keeps ignoring it: SIGTERM is what stops it.
test_lop_fuzz_keeps_ignored_sigint() {
  local pid i
  build demo "$TT/demo.c"
  demo_seeds
  set +m
  AFL_NO_UI=1 "$LF" -i seeds -o out -s 8 -V 300 -- ./demo >lf.log 2>&1 &
  pid=$!
  for i in $(seq 1 300); do
    [ -s out/default/fuzzer_stats ] && break
    sleep 0.1
  done
  kill -INT "$pid"
  kill -TERM "$pid"
  wait "$pid" || fail "exit status $?"
  grep -qx 'lop-fuzz: stopped by TERM' lf.log || fail "not stopped by SIGTERM: $(tail -2 lf.log)"
}
test_lop_fuzz_sigterm_cleans_up() { stop_test TERM; }

# `lop-fuzz plot` draws plot_data into an SVG with its four panels.
test_lop_fuzz_plot() {
  build demo "$TT/demo.c"
  demo_seeds
  lf -i seeds -o out -s 9 -E 20000 -- ./demo || fail "$(tail -3 lf.log)"
  "$LF" plot out/default pic.svg >plot.log 2>&1 || fail "plot: $(cat plot.log)"
  grep -q '<svg' pic.svg || fail "not an SVG"
  for w in Corpus Coverage 'Crashes and hangs' 'execs per second'; do
    grep -q "$w" pic.svg || fail "no '$w' in the picture"
  done
  if command -v convert >/dev/null && convert -version 2>/dev/null | grep -q ImageMagick; then
    convert pic.svg pic.png 2>/dev/null || fail "the SVG does not render"
    [ -s pic.png ] || fail "empty PNG"
  fi
  expect_error "cannot read nowhere/plot_data" "$LF" plot nowhere
}

# Each bad input: one line saying what is wrong and what to do, exit 1,
# nothing written half.
test_lop_fuzz_errors() {
  build demo "$TT/demo.c"
  build branchy "$TT/branchy.c"
  "$CLANG" -o plain "$TT/branchy.c" || fail "plain build"
  demo_seeds
  mkdir empty
  expect_error "no seed directory" "$LF" -o out -- ./demo
  expect_error "cannot read seed directory missing" "$LF" -i missing -o o1 -- ./demo
  expect_error "no usable seed in empty" "$LF" -i empty -o o2 -- ./demo
  expect_error "target './nothere' not found" "$LF" -i seeds -o o3 -- ./nothere
  expect_error "not built with afl-clang-fast" "$LF" -i seeds -o o4 -- ./plain
  expect_error "unknown option -Q" "$LF" -Q -i seeds -o o5 -- ./demo
  expect_error "-t needs a timeout" "$LF" -t 0 -i seeds -o o6 -- ./demo
  mkdir crashseed && printf 'LOP!\002cnt\377' >crashseed/c
  expect_error "seed crashseed/c crashes the target" "$LF" -i crashseed -o o7 -- ./demo
  mkdir digits && head -c 120 /dev/zero | tr '\0' 7 >digits/d
  AFL_CRASH_EXITCODE=3 expect_error "(AFL_CRASH_EXITCODE)" "$LF" -i digits -o o8 -- ./branchy
  printf 'good="a"\nbad="b\n' >bad.dict
  expect_error "bad.dict:2:" "$LF" -x bad.dict -i seeds -o o9 -- ./demo
  AFL_MAP_SIZE=x expect_error "AFL_MAP_SIZE must be" "$LF" -i seeds -o o10 -- ./demo
  [ -z "$(ls o7/default/crashes 2>/dev/null)" ] || fail "a crashing seed left a crash file"
}

# A seed that times out is an error naming it; with -t N+ it is skipped.
test_lop_fuzz_slow_seed() {
  build hang "$TT/hang.c"
  mkdir -p seeds && printf 'HANG' >seeds/h && printf 'ok' >seeds/o
  expect_error "seed seeds/h times out (50 ms)" "$LF" -t 50 -i seeds -o o1 -- ./hang
  lf -t 50+ -i seeds -o o2 -s 1 -E 200 -- ./hang || fail "-t 50+: $(tail -3 lf.log)"
  [ "$(stat_field o2/default corpus_count)" -ge 1 ] || fail "no corpus"
  ls o2/default/queue | grep -q 'orig:h' && fail "the slow seed was kept"
  return 0
}

# A dictionary's tokens reach the queue: "LOP!" from -x makes branchy's
# magic reachable in few executions.
test_lop_fuzz_dictionary() {
  build branchy "$TT/branchy.c"
  mkdir -p seeds && printf 'hello' >seeds/a
  printf '# the magic\nmagic="LOP!"\n' >magic.dict
  lf -x magic.dict -i seeds -o out -s 10 -E 20000 -- ./branchy || fail "$(tail -3 lf.log)"
  grep -l 'LOP!' out/default/queue/id:* >/dev/null 2>&1 || fail "no entry holds the token"
}

# Instances of one sync directory import each other's finds; a -S
# instance only from main instances that are running (is_main_node).
test_lop_fuzz_sync_between_instances() {
  build demo "$TT/demo.c"
  demo_seeds
  lf -i seeds -o sync -M one -s 11 -E 30000 -- ./demo || fail "$(tail -3 lf.log)"
  AFL_IMPORT_FIRST=1 lf -i seeds -o sync -S two -s 12 -E 500 -- ./demo || fail "$(tail -3 lf.log)"
  [ "$(stat_field sync/two corpus_imported)" = 0 ] || fail "-S imported from a main that is not running"
  AFL_IMPORT_FIRST=1 lf -i seeds -o sync -s 12 -E 500 -- ./demo || fail "$(tail -3 lf.log)"
  [ "$(stat_field sync/default corpus_imported)" -ge 1 ] || fail "nothing imported"
  ls sync/default/queue | grep -qE '^id:[0-9]{6},sync:one,src:[0-9]{6}' || fail "import names"
  [ -f sync/default/.synced/one ] || fail "no .synced/one"
  [ "$(stat -c %s sync/default/.synced/one)" = 4 ] || fail ".synced/one is not a u32"
}

# The status screen in a real terminal (tmux, 80x25): drawn within the
# frame, labelled, and on Ctrl-C the terminal comes back with the summary.
test_lop_fuzz_status_screen_in_tmux() {
  command -v tmux >/dev/null || t_skip "tmux not installed"
  build demo "$TT/demo.c"
  demo_seeds
  local s=lopfuzz$$ i
  tmux new-session -d -s "$s" -x 80 -y 25 \
    "cd '$T' && '$LF' -i seeds -o out -s 1 -- ./demo; echo \"EXITED \$?\" >done.txt; sleep 60" ||
    fail "tmux did not start"
  for i in $(seq 1 300); do
    tmux capture-pane -p -t "$s" >screen.txt 2>/dev/null
    grep -q 'total execs' screen.txt && grep -q 'edges found' screen.txt && break
    sleep 0.1
  done
  tmux capture-pane -p -t "$s" >screen.txt
  for w in 'lop-fuzz' 'run time' 'last new find' 'cycles done' 'corpus count' \
    'saved crashes' 'total execs' 'exec speed' 'map density' 'stability' 'now fuzzing'; do
    grep -q "$w" screen.txt || { tmux kill-session -t "$s"; fail "no '$w' on the screen: $(cat screen.txt)"; }
  done
  awk 'length > 80' screen.txt | grep -q . && { tmux kill-session -t "$s"; fail "a line is wider than 80"; }
  tmux send-keys -t "$s" C-c
  for i in $(seq 1 300); do
    [ -s done.txt ] && break
    sleep 0.1
  done
  tmux capture-pane -p -t "$s" >after.txt
  tmux kill-session -t "$s"
  grep -q 'EXITED 0' done.txt || fail "exit after Ctrl-C: $(cat done.txt 2>/dev/null)"
  grep -q 'lop-fuzz: done:' after.txt || fail "no summary after the screen: $(cat after.txt)"
  grep -q 'total execs' after.txt && fail "the status screen stayed on the terminal"
  [ -s out/default/fuzzer_stats ] || fail "no fuzzer_stats"
}

# lop's own parsers (the wrapper's planning and response files, the hello
# decoder, afl-showmap's options), built with ASan, survive a bounded
# lop-fuzz run each: any crash or hang fails the test.
test_lop_fuzz_selffuzz_finds_nothing() {
  make -s -C "$LOP_ROOT" LLVM_CONFIG="$LLVM_CONFIG" selffuzz-harnesses >build.log 2>&1 ||
    fail "make selffuzz-harnesses: $(tail -5 build.log)"
  LOP_SELFFUZZ_OUT=$T/sf bash "$LOP_ROOT/tests/selffuzz/fuzz-all.sh" >sf.log 2>&1 ||
    fail "self-fuzzing: $(cat sf.log)"
  [ "$(grep -c ' 0 crashes, 0 hangs$' sf.log)" = 3 ] || fail "not three clean runs: $(cat sf.log)"
}
