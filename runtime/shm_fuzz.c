/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Shared-memory testcases (AFL++): a harness that uses __AFL_FUZZ_INIT()
 * reads each input straight from a segment the fuzzer fills, instead of
 * from stdin or a file. The segment holds the input length as a u32 at
 * offset 0 and the bytes from offset 4. Until (unless) it is mapped,
 * __afl_fuzz_ptr is NULL and __afl_fuzz_len points at a private word the
 * harness macros store the length of their stdin read into.
 */
#include "rt.h"
#include "rt_calc.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/shm.h>
#include <unistd.h>

/* Length word used while no testcase segment is mapped. */
static uint32_t rt_fuzz_len_dummy;

RT_EXPORT uint8_t *__afl_fuzz_ptr;
RT_EXPORT uint32_t *__afl_fuzz_len = &rt_fuzz_len_dummy;
/* A harness's __AFL_FUZZ_INIT() defines a strong copy set to 1. */
RT_EXPORT __attribute__((weak)) int __afl_sharedmem_fuzzing = 0;

/* The fuzzer's testcase segment id, or -1 when it offers none. */
static long rt_shm_fuzz_id(void) {
  return rt_parse_num(getenv(SHM_FUZZ_ENV_VAR), 0, INT_MAX);
}

bool rt_shm_fuzz_wanted(void) {
  return __afl_sharedmem_fuzzing != 0 && rt_shm_fuzz_id() >= 0;
}

void rt_shm_fuzz_attach(void) {
  long id = rt_shm_fuzz_id();
  uint8_t *seg = id < 0 ? (void *)-1 : shmat((int)id, NULL, 0);
  /* The hello already went out, so there is no error word left to send. */
  if (seg == (void *)-1)
    _exit(1);
  __afl_fuzz_len = (uint32_t *)seg;
  __afl_fuzz_ptr = seg + SHM_FUZZ_HDR;
}
