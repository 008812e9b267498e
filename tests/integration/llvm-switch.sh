# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Integration tests of building one checkout for two LLVMs: switching
# LLVM_CONFIG without `make clean` rebuilds every object for the new LLVM
# (build/llvm-version records which one the tree is built for), and keeping
# it rebuilds nothing. Each test builds a copy of the sources in its temp
# dir, never the checkout under test. Sourced by run.sh after helpers.sh.

# copy_tree: the sources the wrapper and the runtime are built from, in src/.
copy_tree() {
  mkdir -p src
  (cd "$LOP_ROOT" && cp -R Makefile VERSION include afl-cc llvm-pass runtime forkserver \
    tools scripts "$T/src/") || fail "cannot copy the sources"
}

# tree_make CFG TARGET...: make TARGETs in src/ for the LLVM of CFG, printing
# the commands; the outer make's flags (-s, its LLVM_CONFIG) do not leak in.
tree_make() {
  local cfg=$1
  shift
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C src -j2 LLVM_CONFIG="$cfg" "$@"
}

# llvm_major CFG: the major version of the LLVM an llvm-config belongs to.
llvm_major() { "$1" --version | cut -d. -f1; }

# other_llvm: an installed, usable llvm-config of another major version than
# the one under test; skips the test when there is none.
other_llvm() {
  local cur v
  cur=$(llvm_major "${LLVM_CONFIG:-llvm-config}")
  for v in 19 18 17 16 15 14; do
    [ "$v" = "$cur" ] && continue
    "$LOP_ROOT/scripts/check-build-deps" "llvm-config-$v" 2>/dev/null && echo "llvm-config-$v" && return
  done
  t_skip "no second LLVM installed (llvm-N-dev clang-N besides LLVM $cur)"
}

# compiled_by FILE MAJOR: FILE's objects were all compiled by clang MAJOR.
compiled_by() {
  local versions
  versions=$(readelf -p .comment "$1" | grep -oE 'clang version [0-9]+' | sort -u)
  [ "$versions" = "clang version $2" ] || fail "$1 compiled by '$versions', not clang $2"
}

test_llvm_switch_rebuilds_everything() {
  local a=${LLVM_CONFIG:-llvm-config} b
  b=$(other_llvm)
  copy_tree
  tree_make "$a" bin/afl-clang-fast lib/lop/afl-llvm-rt.o >a.log 2>&1 || fail "build for $a: $(tail -5 a.log)"
  compiled_by src/lib/lop/afl-llvm-rt.o "$(llvm_major "$a")"
  tree_make "$b" bin/afl-clang-fast lib/lop/afl-llvm-rt.o >b.log 2>&1 || fail "build for $b: $(tail -5 b.log)"
  compiled_by src/lib/lop/afl-llvm-rt.o "$(llvm_major "$b")"
  compiled_by src/bin/afl-clang-fast "$(llvm_major "$b")"
  strings src/bin/afl-clang-fast | grep -qx "$("$b" --bindir)" || fail "wrapper does not run the clang of $b"
  [ "$(cat src/build/llvm-version)" = "$("$b" --version) $("$b" --bindir)" ] ||
    fail "build/llvm-version says '$(cat src/build/llvm-version)' after building for $b"
}

test_same_llvm_rebuilds_nothing() {
  local a=${LLVM_CONFIG:-llvm-config}
  copy_tree
  tree_make "$a" lib/lop/afl-llvm-rt.o >1.log 2>&1 || fail "build: $(tail -5 1.log)"
  grep -q ' -c runtime/map.c' 1.log || fail "first build compiled nothing: $(cat 1.log)"
  tree_make "$a" lib/lop/afl-llvm-rt.o >2.log 2>&1 || fail "second make failed: $(tail -5 2.log)"
  grep -q ' -c ' 2.log && fail "same LLVM, yet objects were rebuilt: $(grep ' -c ' 2.log | head -3)"
  # A make that stops at a missing LLVM must not record it as the tree's.
  tree_make llvm-config-99 lib/lop/afl-llvm-rt.o >3.log 2>&1 && fail "make with llvm-config-99 succeeded"
  tree_make "$a" lib/lop/afl-llvm-rt.o >4.log 2>&1 || fail "make after the failed one: $(tail -5 4.log)"
  grep -q ' -c ' 4.log && fail "a failed make for another LLVM caused a rebuild: $(grep ' -c ' 4.log | head -3)"
  return 0
}
