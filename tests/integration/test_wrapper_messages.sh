# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# What the wrapper tells a user, in real runs; sourced by run.sh: AFL++
# features lop lacks are refused by name, warnings reach logs that are not
# terminals without disturbing configure, and -h/--help/--version say it
# is lop. (libFuzzer harnesses: test_libfuzzer.sh.)

# An AFL++ feature lop lacks fails the build (a build without the feature
# it asks for would be silently different from what the user expects).
test_missing_feature_refuses_build() {
  printf 'int main(void){return 0;}\n' >m.c
  expect_error "AFL_LLVM_CTX=1 asks for an AFL++ feature lop does not have: context-sensitive" \
    env AFL_LLVM_CTX=1 "$BIN/afl-clang-fast" -o m m.c
  [ ! -e m ] || fail "a binary was built anyway"
  expect_error "AFL_LLVM_THREADSAFE_INST=1 asks for an AFL++ feature lop does not have: thread-safe" \
    env AFL_LLVM_THREADSAFE_INST=1 "$BIN/afl-clang-fast" -c m.c
  AFL_LLVM_CTX=0 "$BIN/afl-clang-fast" -o m m.c 2>err.txt || fail "AFL_LLVM_CTX=0 refused: $(cat err.txt)"
}

# -h and --help alone print lop's usage on stdout, with the full path to
# build with; exit 0.
test_help_prints_lops_usage() {
  for h in -h --help; do
    "$BIN/afl-clang-fast" $h >out.txt 2>err.txt || fail "$h exited non-zero"
    grep -q '(lop)' out.txt || fail "$h does not say lop: $(head -3 out.txt)"
    grep -qF "CC=$LOP_ROOT/bin/afl-clang-fast" out.txt || fail "$h gives no full path: $(cat out.txt)"
    grep -q 'docs/environment.md' out.txt || fail "$h does not point at the docs"
  done
}

# --version: lop's line first on a terminal; plain clang's text through a
# pipe (Meson takes the first version number of it as clang's).
test_version_line_on_terminal_only() {
  command -v script >/dev/null || t_skip "script(1) not installed"
  script -qec "'$BIN/afl-clang-fast' --version" /dev/null | tr -d '\r' >tty.log
  head -1 tty.log | grep -q 'afl-clang-fast .*(lop, LLVM [0-9]*' || fail "no lop line first: $(cat tty.log)"
  sed -n 2p tty.log | grep -q 'clang version' || fail "no clang version after it: $(cat tty.log)"
  "$BIN/afl-clang-fast" --version >pipe.log 2>&1
  diff <("$CLANG" --version 2>&1) pipe.log >/dev/null || fail "piped --version differs from clang's"
}

# Unknown AFL_* variables are warned about in logs too, but not for
# configure-style probes, whose stderr configure may read.
test_unknown_variable_warned_outside_terminal() {
  printf 'int main(void){return 0;}\n' >m.c
  cp m.c conftest.c
  AFL_BOGUS_THING=1 "$BIN/afl-clang-fast" -c m.c 2>err.txt
  grep -q 'warning: AFL_BOGUS_THING is not read by lop or AFL' err.txt || fail "no warning in a log: $(cat err.txt)"
  for probe in "-c conftest.c" "-E m.c" "--version" "-v"; do
    # shellcheck disable=SC2086
    AFL_BOGUS_THING=1 "$BIN/afl-clang-fast" $probe >/dev/null 2>err.txt || true
    grep -q AFL_BOGUS_THING err.txt && fail "warning for probe '$probe': $(cat err.txt)"
  done
  true
}

# A real autotools configure with a misspelt variable set: configure finds
# the same answers as without it, and the build log shows the warning.
test_warning_does_not_disturb_configure() {
  command -v autoreconf >/dev/null || t_skip "autoconf/automake not installed"
  cp -r "$LOP_ROOT/tests/integration/projects/autotools" proj && cd proj
  autoreconf -fi >/dev/null 2>&1 || fail "autoreconf failed"
  CC="$BIN/afl-clang-fast" CXX="$BIN/afl-clang-fast++" ./configure >plain.log 2>&1 || fail "configure: $(tail -5 config.log)"
  make distclean >/dev/null 2>&1
  AFL_BOGUS_THING=1 CC="$BIN/afl-clang-fast" CXX="$BIN/afl-clang-fast++" ./configure >bogus.log 2>&1 ||
    fail "configure with AFL_BOGUS_THING: $(tail -5 config.log)"
  diff plain.log bogus.log >d.txt || fail "configure answers changed: $(cat d.txt)"
  grep -q AFL_BOGUS_THING config.log && fail "a probe printed the warning into config.log"
  AFL_BOGUS_THING=1 make >make.log 2>&1 || fail "make: $(tail -5 make.log)"
  grep -q 'warning: AFL_BOGUS_THING' make.log || fail "no warning in the build log"
}

