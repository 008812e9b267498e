# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# docs/usage.md's libFuzzer driver, taken from the block marked
# `<!-- doc-test tests/integration/test_usage_doc.sh ... -->`, built as the
# section says and linked with a libFuzzer-style harness: it must run by
# hand on stdin, give input-dependent coverage under afl-showmap and run
# many inputs in one process, with shared-memory testcases, under a
# forkserver client. Sourced by tests/integration/run.sh.

USAGE_DOC_MARK='<!-- doc-test tests/integration/test_usage_doc.sh'

# usage_doc_block: prints the fenced block after the marker in docs/usage.md.
usage_doc_block() {
  awk -v mark="$USAGE_DOC_MARK" '
    index($0, mark) == 1 { found = 1; next }
    found && !inside && /^```/ { inside = 1; next }
    inside && /^```/ { exit }
    inside { print }' "$LOP_ROOT/docs/usage.md"
}

# A harness as projects ship them: C++, extern "C", its own init function.
write_harness() {
  cat >harness.cpp <<'CPP'
#include <cstddef>
#include <cstdint>
#include <cstdio>
static int initialised;
extern "C" int LLVMFuzzerInitialize(int *, char ***) { return initialised = 1; }
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  if (!initialised) __builtin_trap();
  if (n > 0 && d[0] == 'F')
    if (n > 1 && d[1] == 'U')
      std::puts("FU");
  return 0;
}
CPP
}

test_usage_libfuzzer_driver() {
  usage_doc_block >afl_driver.c
  grep -q LLVMFuzzerTestOneInput afl_driver.c || fail "no driver block after '$USAGE_DOC_MARK' in docs/usage.md"
  write_harness
  "$BIN/afl-clang-fast" -Wall -Werror -c afl_driver.c -o afl_driver.o || fail "the driver does not compile cleanly"
  "$BIN/afl-clang-fast++" harness.cpp afl_driver.o -o fuzzer || fail "the harness does not link with the driver"
  [ "$(printf FU | ./fuzzer)" = FU ] || fail "by hand, stdin did not reach the harness (or init did not run)"
  printf F | "$BIN/afl-showmap" -q -o f.map -- ./fuzzer >/dev/null
  printf FU | "$BIN/afl-showmap" -q -o fu.map -- ./fuzzer >/dev/null
  [ -s f.map ] || fail "no coverage"
  ! cmp -s f.map fu.map || fail "F and FU gave the same map"
  inputs F FU x FU
  probe -s ./fuzzer >out
  [ "$(hello_field shm_testcase)" = 1 ] || fail "shm testcases not offered: $(head -n 1 out)"
  [ "$(grep '^pid=' out | sed -E 's/pid=([0-9]+).*/\1/' | sort -u | wc -l)" = 1 ] ||
    fail "not persistent: $(cat out)"
  [ "$(run_field 2 hash)" = "$(run_field 4 hash)" ] || fail "the same input gave different maps"
  [ "$(run_field 2 hash)" != "$(run_field 3 hash)" ] || fail "FU and x gave the same map"
}
