/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * lop's libFuzzer driver, linked by `afl-clang-fast -fsanitize=fuzzer` (and
 * shipped as lib/lop/libAFLDriver.a for builds that name it): a main()
 * that runs a harness's LLVMFuzzerTestOneInput. LLVMFuzzerInitialize, when
 * the harness has one, runs once, before the deferred fork server starts,
 * so the fuzzer forks an initialised process. Under a fuzzer the harness
 * runs in a persistent loop, each input from the shared-memory testcase
 * (or, when the fuzzer offers none, from the @@ file or stdin); by hand it
 * runs on the files named (by_hand.c). main() lives in main.c, so that a
 * harness with its own main() calling LLVMFuzzerRunDriver (as with
 * libFuzzer) pulls in this file without needing LLVMFuzzerTestOneInput.
 * Built without instrumentation, so the driver adds no edges of its own.
 */
#include "driver.h"
#include "config.h"

#include <stdlib.h>
#include <string.h>

#define LF_EXPORT __attribute__((visibility("default")))

/* The harness's optional initialisation (libFuzzer's interface). */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

/* lop's runtime (afl-llvm-rt.o), as the harness macros reach it. */
LF_EXPORT void __afl_manual_init(void);
LF_EXPORT int __afl_persistent_loop(unsigned int max_cnt);
extern LF_EXPORT uint8_t __afl_connected;
extern LF_EXPORT uint8_t *__afl_fuzz_ptr;
extern LF_EXPORT uint32_t *__afl_fuzz_len;

/* What __AFL_FUZZ_INIT() defines: asks the runtime for shared-memory
   testcases (the runtime's weak default is 0). */
LF_EXPORT int __afl_sharedmem_fuzzing = 1;

/* The first argument that is not a libFuzzer flag: the file a fuzzer
   writes each input to when started with @@ and no shared memory; NULL
   reads stdin. */
static const char *lf_input_file(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (argv[i][0] != '-')
      return argv[i];
  return NULL;
}

/* The current input in a buffer of its exact size (freed by the caller):
   the shared-memory testcase when the fuzzer sends one, else the file or
   stdin. NULL when it cannot be read (the iteration is skipped). */
static uint8_t *lf_next_input(const char *file, size_t *len) {
  if (!__afl_fuzz_ptr)
    return lop_lf_read_input(file, MAX_FILE, len);
  size_t n = *__afl_fuzz_len < MAX_FILE ? *__afl_fuzz_len : MAX_FILE;
  uint8_t *data = malloc(n ? n : 1);
  if (data)
    memcpy(data, __afl_fuzz_ptr, n);
  *len = n;
  return data;
}

/* Under a fuzzer: one input per iteration until the loop ends. */
static int lf_fuzz(int argc, char **argv, lf_callback cb) {
  const char *file = lf_input_file(argc, argv);
  while (__afl_persistent_loop(DRIVER_LOOP_ITERS)) {
    size_t len;
    uint8_t *data = lf_next_input(file, &len);
    if (data)
      cb(data, len);
    free(data);
  }
  return 0;
}

/* libFuzzer's entry for harnesses with their own main(): runs cb as this
   driver's main() would, with *argc and *argv as LLVMFuzzerInitialize
   left them. Returns main()'s exit code. */
LF_EXPORT int LLVMFuzzerRunDriver(int *argc, char ***argv, lf_callback cb) {
  /* Fuzzers search the binary for these: persistent mode, and a deferred
     fork server so the initialisation runs once. */
  static volatile const char *sig_persist __attribute__((used, unused));
  static volatile const char *sig_defer __attribute__((used, unused));
  sig_persist = PERSIST_SIG;
  sig_defer = DEFER_SIG;
  if (LLVMFuzzerInitialize)
    LLVMFuzzerInitialize(argc, argv);
  __afl_manual_init();
  if (__afl_connected)
    return lf_fuzz(*argc, *argv, cb);
  return lop_lf_run_by_hand(*argc, *argv, cb);
}
