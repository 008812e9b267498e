# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# libFuzzer harnesses (-fsanitize=fuzzer): the wrapper links lop's driver
# (lib/lop/libAFLDriver.a), which runs LLVMFuzzerInitialize once and
# LLVMFuzzerTestOneInput in a persistent loop on shared-memory testcases
# under a fuzzer, and on the files named (or stdin) by hand, with
# libFuzzer's report lines; a crash kills the process with its signal.
# The -fsanitize= forms projects use, own main()s, a harness without its
# entry point and compile-only steps. Sourced by tests/integration/run.sh.

# lf_build OUT [FLAGS...]: test-targets/libfuzzer.c with -fsanitize=fuzzer.
lf_build() {
  local out=$1
  shift
  "$BIN/afl-clang-fast" -fsanitize=fuzzer "$@" "$TT/libfuzzer.c" -o "$out" ||
    fail "afl-clang-fast -fsanitize=fuzzer could not build $out"
}

test_libfuzzer_by_hand_runs_files_and_directories() {
  lf_build h
  mkdir -p d/sub d/.state
  printf 'FUZa' >a && printf 'xx' >d/b && printf 'F' >d/sub/c && printf 'q' >d/.state/x
  local rc=0
  LOP_TEST_INIT_LOG=$T/init.log LOP_TEST_ECHO=1 ./h -runs=10 a -max_len=64 d -dict=none.dict \
    >out.txt 2>err.txt || rc=$?
  [ "$rc" = 0 ] || fail "exit $rc: $(cat err.txt)"
  [ "$(cat out.txt)" = "$(printf 'len=4 first=F\nlen=2 first=x\nlen=1 first=F')" ] ||
    fail "inputs run: $(cat out.txt)"
  grep -qx './h: Running 3 inputs 1 time(s) each.' err.txt || fail "no count line: $(cat err.txt)"
  local f
  for f in a d/b d/sub/c; do
    grep -qx "Running: $f" err.txt || fail "no 'Running: $f': $(cat err.txt)"
    grep -qE "^Executed $f in [0-9]+ ms\$" err.txt || fail "no 'Executed $f in N ms': $(cat err.txt)"
  done
  grep -q 'NOTE: fuzzing was not performed' err.txt || fail "no closing note"
  [ "$(wc -l <init.log)" = 1 ] || fail "LLVMFuzzerInitialize ran $(wc -l <init.log) times"
}

# A crashing input kills the driver with the harness's own signal (abort:
# 134 in the shell), after its "Running:" line and before "Executed".
test_libfuzzer_crash_dies_with_its_signal() {
  lf_build h
  printf 'FUZa' >ok && printf 'FUZ\xff' >crash
  local rc=0
  ./h ok crash ok >/dev/null 2>err.txt || rc=$?
  [ "$rc" = 134 ] || fail "exit $rc on the crash, not 134 (SIGABRT)"
  grep -qx 'Running: crash' err.txt || fail "crash not announced: $(cat err.txt)"
  grep -q 'Executed crash' err.txt && fail "crash reported as executed"
  [ "$(grep -c '^Running: ok' err.txt)" = 1 ] || fail "ran on after the crash"
}

# No file named (nothing, or only flags): stdin once, nothing printed by
# the driver; "-" names stdin among files.
test_libfuzzer_stdin() {
  lf_build h
  [ "$(printf FUQ | LOP_TEST_ECHO=1 ./h 2>err.txt)" = "len=3 first=F" ] || fail "stdin not read"
  [ ! -s err.txt ] || fail "the driver printed: $(cat err.txt)"
  [ "$(printf xyz | LOP_TEST_ECHO=1 ./h -runs=1 2>/dev/null)" = "len=3 first=x" ] || fail "stdin with flags"
  [ "$(: | LOP_TEST_ECHO=1 ./h 2>/dev/null)" = "len=0 first=-" ] || fail "empty stdin"
  printf Q | LOP_TEST_ECHO=1 ./h - 2>err.txt >out.txt
  [ "$(cat out.txt)" = "len=1 first=Q" ] || fail "'-' did not read stdin"
  grep -qx 'Running: -' err.txt || fail "'-' not reported: $(cat err.txt)"
  printf 'FUZ\xff' | ./h 2>/dev/null && fail "a crash on stdin exited 0"
  return 0
}

test_libfuzzer_error_unreadable_input() {
  lf_build h
  printf 'FUZa' >a
  LOP_TEST_ECHO=1 expect_error "cannot read input nope (No such file or directory)" ./h a nope
  [ ! -s err.out ] || fail "an input ran before the error: $(cat err.out)"
}

# Under lop's client: persistent, deferred and shared-memory testcases
# (the hello says so), one process, LLVMFuzzerInitialize once before the
# fork server; maps depend on the input only. Without shared memory each
# input comes from the @@ file, or stdin.
test_libfuzzer_persistent_shm_under_fuzzer() {
  lf_build h
  inputs FUZa xx FUZa F FUZa
  LOP_TEST_INIT_LOG=$T/init.log probe -s ./h >out
  [ "$(hello_field shm_testcase)" = 1 ] || fail "no shm testcases: $(head -n 1 out)"
  [ "$(hello_field persistent)" = 1 ] || fail "not persistent: $(head -n 1 out)"
  [ "$(hello_field deferred)" = 1 ] || fail "not deferred: $(head -n 1 out)"
  [ "$(grep '^pid=' out | sed -E 's/pid=([0-9]+).*/\1/' | sort -u | wc -l)" = 1 ] ||
    fail "not one process: $(cat out)"
  [ "$(wc -l <init.log)" = 1 ] || fail "LLVMFuzzerInitialize ran $(wc -l <init.log) times"
  [ "$(run_field 3 hash)" = "$(run_field 5 hash)" ] || fail "same input, different maps"
  [ "$(run_field 2 hash)" != "$(run_field 3 hash)" ] || fail "xx and FUZa gave the same map"
  probe -S -f "$T/cur" ./h @@ >out
  [ "$(run_field 2 hash)" != "$(run_field 3 hash)" ] || fail "@@: xx and FUZa gave the same map"
  [ "$(run_field 3 hash)" = "$(run_field 5 hash)" ] || fail "@@: same input, different maps"
  probe ./h >out
  [ "$(run_field 2 hash)" != "$(run_field 3 hash)" ] || fail "stdin: xx and FUZa gave the same map"
  printf xx | "$BIN/afl-showmap" -q -o x.map -- ./h
  printf FUZa | "$BIN/afl-showmap" -q -o f.map -- ./h
  [ -s x.map ] && ! cmp -s x.map f.map || fail "afl-showmap: no coverage or the same map"
}

# lop-fuzz finds the planted crash within a bounded run; the crash file
# reproduces by hand through the driver.
test_libfuzzer_lop_fuzz_finds_crash() {
  lf_build h
  mkdir -p seeds && printf 'hello' >seeds/a
  AFL_BENCH_UNTIL_CRASH=1 AFL_NO_UI=1 "$BIN/lop-fuzz" -i seeds -o out -s 1 -E 400000 -- ./h >lf.log 2>&1 ||
    fail "lop-fuzz failed: $(tail -3 lf.log)"
  [ "$(sed -n 's/^target_mode *: //p' out/default/fuzzer_stats)" = "persistent shmem" ] ||
    fail "mode: $(grep target_mode out/default/fuzzer_stats)"
  local c rc=0
  c=$(find out/default/crashes -name 'id:000000,sig:06,*' | head -n 1)
  [ -n "$c" ] || fail "no crash within the bound: $(tail -2 lf.log)"
  ./h "$c" >/dev/null 2>&1 || rc=$?
  [ "$rc" = 134 ] || fail "the saved crash exits $rc by hand"
}

# The forms build systems use: OSS-Fuzz's LIB_FUZZING_ENGINE=-fsanitize=fuzzer
# on a C++ harness (afl-clang-fast++), libAFLDriver.a by path after
# fuzzer-no-link objects, and the flag inside a list of sanitizers.
test_libfuzzer_engine_forms() {
  cat >h.cc <<'CPP'
#include <cstddef>
#include <cstdint>
#include <string>
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  std::string s(reinterpret_cast<const char *>(d), n);
  if (s == "boom") __builtin_trap();
  return 0;
}
CPP
  LIB_FUZZING_ENGINE=-fsanitize=fuzzer
  "$BIN/afl-clang-fast++" -fsanitize=fuzzer-no-link -c h.cc -o h.o || fail "C++ compile"
  # shellcheck disable=SC2086 # as OSS-Fuzz build scripts expand it
  "$BIN/afl-clang-fast++" h.o $LIB_FUZZING_ENGINE -o hxx || fail "LIB_FUZZING_ENGINE link"
  printf boom >boom && printf safe >safe
  ./hxx safe 2>/dev/null || fail "the C++ harness fails on a safe input"
  ./hxx boom 2>/dev/null && fail "the C++ harness survived its crash"
  "$BIN/afl-clang-fast" -fsanitize=fuzzer-no-link -c "$TT/libfuzzer.c" -o lf.o || fail "compile"
  "$BIN/afl-clang-fast" lf.o "$LOP_ROOT/lib/lop/libAFLDriver.a" -o byname || fail "libAFLDriver.a by path"
  printf 'FUZa' >a
  ./byname a 2>err.txt || fail "driver linked by path: $(cat err.txt)"
  grep -qx 'Running: a' err.txt || fail "driver linked by path did not run a"
  AFL_DEBUG=1 "$BIN/afl-clang-fast" -fsanitize=address,fuzzer "$TT/libfuzzer.c" -o asan 2>cmd.txt ||
    fail "-fsanitize=address,fuzzer build"
  grep -q -- '-fsanitize=address ' cmd.txt || fail "address lost: $(cat cmd.txt)"
  grep -q -- 'fsanitize=[a-z,-]*fuzzer' cmd.txt && fail "fuzzer passed to clang: $(cat cmd.txt)"
  [ "$(grep -o 'libAFLDriver.a' cmd.txt | wc -l)" = 1 ] || fail "driver not linked exactly once"
  nm asan | grep -q __asan_init || fail "no ASan in the build"
  printf 'Ok' >over
  ./asan over 2>err.txt && fail "ASan build read past the input unnoticed"
  grep -q 'heap-buffer-overflow' err.txt || fail "no ASan report: $(tail -3 err.txt)"
}

# fuzzer-no-link instruments with lop's coverage only (none of libFuzzer's
# counters) and links no driver: the harness's own main() runs.
test_libfuzzer_no_link_instruments_only() {
  "$BIN/afl-clang-fast" -fsanitize=fuzzer-no-link -c "$TT/libfuzzer.c" -o lf.o || fail "compile"
  objdump -h lf.o | grep -q sancov && fail "libFuzzer's counters compiled in"
  grep -aq __afl_area_ptr lf.o || fail "not instrumented"
  printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
    'int LLVMFuzzerInitialize(int *, char ***);' \
    'int LLVMFuzzerTestOneInput(const uint8_t *, size_t);' \
    'int main(void) { LLVMFuzzerInitialize(NULL, NULL);' \
    '  return 3 + LLVMFuzzerTestOneInput((const uint8_t *)"ab", 2); }' >m.c
  "$BIN/afl-clang-fast" -fsanitize=fuzzer-no-link lf.o m.c -o own || fail "link"
  nm own | grep -q LLVMFuzzerRunDriver && fail "the driver was linked"
  local rc=0
  ./own || rc=$?
  [ "$rc" = 3 ] || fail "own main exited $rc"
}

# A harness with its own main() links with -fsanitize=fuzzer and keeps it
# (the driver's main is weak); one that calls LLVMFuzzerRunDriver gets the
# driver's behaviour.
test_libfuzzer_own_main() {
  printf '%s\n' '#include <stdio.h>' '#include <stddef.h>' '#include <stdint.h>' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return (int)n; }' \
    'int main(void) { puts("own main"); return 0; }' >own.c
  "$BIN/afl-clang-fast" -fsanitize=fuzzer own.c -o own || fail "own main did not link"
  [ "$(./own x 2>&1)" = "own main" ] || fail "the driver's main ran"
  printf '%s\n' '#include <stdio.h>' '#include <stddef.h>' '#include <stdint.h>' \
    'int LLVMFuzzerRunDriver(int *, char ***, int (*)(const uint8_t *, size_t));' \
    'static int cb(const uint8_t *d, size_t n) { printf("cb %zu\n", n); return 0; }' \
    'int main(int argc, char **argv) { return LLVMFuzzerRunDriver(&argc, &argv, cb); }' >run.c
  "$BIN/afl-clang-fast" -fsanitize=fuzzer run.c -o run || fail "LLVMFuzzerRunDriver did not link"
  printf 'abc' >a
  [ "$(./run a 2>/dev/null)" = "cb 3" ] || fail "LLVMFuzzerRunDriver did not run the file"
}

# Without LLVMFuzzerTestOneInput the link fails, and the linker's message
# names the missing function and the driver.
test_libfuzzer_error_missing_entry_point() {
  printf 'int helper(int x) { return x + 1; }\n' >noentry.c
  local rc=0
  "$BIN/afl-clang-fast" -fsanitize=fuzzer noentry.c -o noentry 2>err.txt || rc=$?
  [ "$rc" != 0 ] || fail "linked without LLVMFuzzerTestOneInput"
  grep -q "undefined reference to .LLVMFuzzerTestOneInput'" err.txt || fail "message: $(cat err.txt)"
  grep -q 'libAFLDriver.a' err.txt || fail "the driver is not named: $(cat err.txt)"
  [ ! -e noentry ] || fail "a binary was written"
}

# -c (and -shared) with -fsanitize=fuzzer link nothing of lop's.
test_libfuzzer_compile_only_links_nothing() {
  AFL_DEBUG=1 "$BIN/afl-clang-fast" -fsanitize=fuzzer -c "$TT/libfuzzer.c" -o lf.o 2>cmd.txt || fail "compile"
  grep -qE 'libAFLDriver|afl-llvm-rt' cmd.txt && fail "objects linked into -c: $(cat cmd.txt)"
  grep -q 'fsanitize=fuzzer' cmd.txt && fail "-fsanitize=fuzzer passed to clang"
  nm lf.o | grep -qw main && fail "main in the object"
  AFL_DEBUG=1 "$BIN/afl-clang-fast" -fsanitize=fuzzer -shared -fPIC "$TT/libfuzzer.c" -o lf.so 2>cmd.txt ||
    fail "-shared build"
  grep -q libAFLDriver cmd.txt && fail "driver linked into -shared"
  return 0
}
