# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Helpers of the integration and compat tiers: build a target with the
# built wrapper, feed inputs through fsrv-probe and read its fields, check
# error paths. Sourced after tests/lib.sh.

TT=$LOP_ROOT/test-targets
: "${PROBE:=$LOP_ROOT/build/tests/fsrv-probe}"
: "${LLVM_BINDIR:=$(llvm-config --bindir)}"
CLANG=$LLVM_BINDIR/clang

# build OUT SRC [FLAGS...]: compile SRC into OUT with afl-clang-fast.
build() {
  local out=$1
  shift
  "$BIN/afl-clang-fast" -o "$out" "$@" || fail "afl-clang-fast could not build $out"
}

# build_shlib: libtarget.so from test-targets/shlib, linked with -z defs.
build_shlib() {
  "$BIN/afl-clang-fast" -shared -fPIC -Wl,-z,defs -Wl,--no-undefined \
    -o libtarget.so "$TT/shlib/libtarget.c" || fail "-shared build with -z defs failed"
}

# inputs WORD...: write each word to in/N (no newline) and list the paths in
# the file "list", in order, for probe.
inputs() {
  local i=0 w
  mkdir -p in
  : >list
  for w in "$@"; do
    i=$((i + 1))
    printf '%s' "$w" >"in/$i"
    echo "$T/in/$i" >>list
  done
}

# probe [OPTS] TARGET...: run the inputs of "list" through one forkserver.
probe() {
  "$PROBE" "$@" <list || fail "fsrv-probe $* failed"
}

# hello_field NAME: a field of fsrv-probe's hello line (file "out").
hello_field() {
  head -n 1 out | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# run_field N NAME: a field of the Nth input's line (file "out").
run_field() {
  grep '^pid=' out | sed -n "$1p" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# expect_error TEXT CMD...: CMD must fail, print one line on stderr
# containing TEXT (and "error"), and nothing on stdout.
expect_error() {
  local text=$1 rc=0
  shift
  "$@" >err.out 2>err.txt || rc=$?
  [ "$rc" != 0 ] || fail "'$*' exited 0"
  grep -q "error" err.txt || fail "'$*' printed no error line: $(cat err.txt)"
  grep -qF -- "$text" err.txt || fail "'$*' error does not mention '$text': $(cat err.txt)"
  [ "$(grep -c . err.txt)" -le 2 ] || fail "'$*' printed more than one message: $(cat err.txt)"
  return 0
}

# forky_src: the persistent harness of issue 17 that forks on 'F' and
# exits 2 on 'E', into forky.c.
forky_src() {
  cat >forky.c <<'EOF'
#include <stdlib.h>
#include <unistd.h>
int main(void) {
  char b[16];
  while (__AFL_LOOP(100)) {
    ssize_t n = read(0, b, sizeof(b));
    if (n > 0 && b[0] == 'F')
      fork();
    if (n > 0 && b[0] == 'E')
      exit(2);
  }
  return 0;
}
EOF
}

# run_all_tests: run every test_* function (LOP_TEST_FILTER: a grep -E
# pattern on the names selects some).
run_all_tests() {
  local fn
  for fn in $(declare -F | awk '{print $3}' | grep '^test_'); do
    if [ -n "${LOP_TEST_FILTER:-}" ] && ! echo "$fn" | grep -qE "$LOP_TEST_FILTER"; then
      continue
    fi
    run_test "${fn#test_}" "$fn"
  done
}
