# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Persistent stability: in one persistent process an input's map is the
# same in every iteration, the first included, in every map mode and for
# every kind of harness (loop alone, __AFL_INIT() before it, shared-memory
# testcases, a loop the compiler is asked to unroll). Optimisers rotate a
# `while (__AFL_LOOP(n))` loop, copying its call in front of it, and then
# the first iteration enters the body over edges of its own; lop keeps the
# call in one place (docs/pass.md). Sourced by run.sh.

STABLE_MODES="classic compact pcguard"
STABLE_VARIANTS="PLAIN INIT SHM UNROLL"
STABLE_WORDS="ab z12 q9x"

# stable_build OUT MODE VARIANT: test-targets/stable.c in map mode MODE with
# -DSTABLE_VARIANT, at the wrapper's default optimisation (-O3).
stable_build() {
  AFL_LLVM_INSTRUMENT=$2 "$BIN/afl-clang-fast" -Wno-pass-failed "-DSTABLE_$3" \
    -o "$1" "$TT/stable.c" 2>"$1.log" || fail "$2 build of stable.c -DSTABLE_$3 failed: $(tail -1 "$1.log")"
}

# batch DIR WORD...: DIR/1, DIR/2... hold the words in order (no newline).
batch() {
  local dir=$1 i=0 w
  shift
  mkdir -p "$dir"
  for w in "$@"; do
    i=$((i + 1))
    printf '%s' "$w" >"$dir/$i"
  done
}

# showmap_batch TARGET IN OUT: one afl-showmap -i run (one persistent
# process for all of IN's inputs); fails unless it forked exactly once.
showmap_batch() {
  rm -f forks.log
  LOP_TEST_FORK_LOG=$T/forks.log "$BIN/afl-showmap" -q -i "$2" -o "$3" -- "$1" >/dev/null 2>showmap.err ||
    fail "afl-showmap -i $2 $1: $(tail -2 showmap.err)"
  [ "$(wc -l <forks.log)" = 1 ] || fail "$1: $(wc -l <forks.log) processes for one batch, not one persistent process"
}

# Six identical inputs in one process give six identical, non-empty maps;
# a mixed batch gives each input the map of its own batch (nothing depends
# on the iteration or on what ran before); different inputs differ.
test_persistent_first_iteration_like_the_rest() {
  batch in.mixed ab z12 ab q9x z12 q9x q9x ab
  local w m v n
  for w in $STABLE_WORDS; do batch "in.$w" "$w" "$w" "$w" "$w" "$w" "$w"; done
  for m in $STABLE_MODES; do
    for v in $STABLE_VARIANTS; do
      stable_build "s.$m.$v" "$m" "$v"
      for w in $STABLE_WORDS; do
        showmap_batch "./s.$m.$v" "in.$w" "maps.$w"
        [ -s "maps.$w/1" ] || fail "$m $v: empty map for $w"
        for n in 2 3 4 5 6; do
          cmp -s "maps.$w/1" "maps.$w/$n" ||
            fail "$m $v: input $w, iteration 1 gave $(tr '\n' ' ' <"maps.$w/1"), iteration $n $(tr '\n' ' ' <"maps.$w/$n")"
        done
      done
      ! cmp -s maps.ab/1 maps.z12/1 && ! cmp -s maps.z12/1 maps.q9x/1 ||
        fail "$m $v: different inputs gave the same map"
      showmap_batch "./s.$m.$v" in.mixed maps.mixed
      for n in 1 2 3 4 5 6 7 8; do
        cmp -s "maps.mixed/$n" "maps.$(cat "in.mixed/$n")/1" ||
          fail "$m $v: input $n ($(cat "in.mixed/$n")) of a mixed batch gave another map than in its own batch"
      done
      rm -rf maps.*
    done
  done
}

# The loop's call stays one call in the binary: not copied in front of a
# rotated loop, nor into unrolled copies of its body.
test_persistent_loop_call_stays_one() {
  local m v calls
  for m in $STABLE_MODES; do
    for v in PLAIN UNROLL; do
      stable_build "s.$m.$v" "$m" "$v"
      calls=$("$LLVM_BINDIR/llvm-objdump" -d --no-show-raw-insn "s.$m.$v" |
        grep -c 'call.*<__afl_persistent_loop')
      [ "$calls" = 1 ] || fail "$m $v: $calls calls of __afl_persistent_loop in the binary"
    done
  done
}
