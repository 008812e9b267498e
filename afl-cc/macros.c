/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Definitions of the harness macros (see macros.h). The signature strings
 * are stored through a `used` static pointer so they survive optimisation:
 * fuzzers find persistent and deferred mode by searching the binary for
 * them. __extension__ keeps -pedantic quiet about statement expressions.
 */
#include "macros.h"

#include "config.h"

/* Defines the plain feature-test macros. */
static void push_feature_macros(struct cc_args *out) {
  cc_args_push(out, "-D__AFL_HAVE_MANUAL_CONTROL=1");
  cc_args_push(out, "-D__AFL_COMPILER=1");
  cc_args_push(out, "-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION=1");
}

/* Defines __AFL_LOOP(n) and __AFL_INIT(), which call the runtime through
   asm names so C++ mangling does not get in the way. */
static void push_control_macros(struct cc_args *out) {
  cc_args_pushf(out,
                "-D__AFL_LOOP(_A)=__extension__({ static volatile const char "
                "*_B __attribute__((used, unused)); _B = (const char *)\"%s\"; "
                "__attribute__((visibility(\"default\"), noduplicate)) int "
                "_L(unsigned int) "
                "__asm__(\"__afl_persistent_loop\"); _L(_A); })",
                PERSIST_SIG);
  cc_args_pushf(out,
                "-D__AFL_INIT()=__extension__({ static volatile const char "
                "*_A __attribute__((used, unused)); _A = (const char *)\"%s\"; "
                "__attribute__((visibility(\"default\"))) void _I(void) "
                "__asm__(\"__afl_manual_init\"); _I(); })",
                DEFER_SIG);
}

/* Defines the shared-memory testcase macros. __AFL_FUZZ_INIT() is used at
   file scope followed by ';', so its last declaration takes the user's ';'
   (an extra ';' at file scope is a -pedantic warning in C). In C++ the
   globals get C linkage so the runtime's symbols match. */
static void push_fuzz_macros(struct cc_args *out, bool cxx) {
  const char *decls = "int __afl_sharedmem_fuzzing = 1; "
                      "extern unsigned int *__afl_fuzz_len; "
                      "extern unsigned char *__afl_fuzz_ptr; ";
  if (cxx)
    cc_args_pushf(out,
                  "-D__AFL_FUZZ_INIT()=extern \"C\" { %sunsigned char "
                  "__afl_fuzz_alt[%u]; } extern \"C\" unsigned char "
                  "*__afl_fuzz_alt_ptr = __afl_fuzz_alt",
                  decls, MAX_FILE);
  else
    cc_args_pushf(out,
                  "-D__AFL_FUZZ_INIT()=%sunsigned char __afl_fuzz_alt[%u]; "
                  "unsigned char *__afl_fuzz_alt_ptr = __afl_fuzz_alt",
                  decls, MAX_FILE);
  cc_args_push(out, "-D__AFL_FUZZ_TESTCASE_BUF=(__afl_fuzz_ptr ? "
                    "__afl_fuzz_ptr : __afl_fuzz_alt_ptr)");
  cc_args_pushf(out,
                "-D__AFL_FUZZ_TESTCASE_LEN=(__afl_fuzz_ptr ? *__afl_fuzz_len "
                ": (*__afl_fuzz_len = read(0, __afl_fuzz_alt_ptr, %u)) == "
                "0xffffffff ? 0 : *__afl_fuzz_len)",
                MAX_FILE);
}

int cc_macros_push(struct cc_args *out, bool cxx) {
  push_feature_macros(out);
  push_control_macros(out);
  push_fuzz_macros(out, cxx);
  return out->oom ? -1 : 0;
}
