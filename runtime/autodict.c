/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The automatic dictionary of a build made with AFL_LLVM_DICT2FILE: each
 * module carries its tokens as records [u8 L][L bytes] in the section
 * AUTODICT_SECTION; the linker concatenates them (alignment 1, so without
 * padding) and defines the __start_/__stop_ symbols around them. The
 * forkserver hands the result to a fuzzer that asks for it (target.c).
 */
#include "rt.h"

/* Named after AUTODICT_SECTION (include/config.h). Weak: in a program
   without tokens the section does not exist, the linker defines neither
   symbol and both read as NULL. */
extern const uint8_t __start_lop_autodict[] __attribute__((weak));
extern const uint8_t __stop_lop_autodict[] __attribute__((weak));

/* Length of the records in the size bytes at p that fit in max bytes, cut
   at a record boundary; a record running past the end (a damaged section)
   ends the walk. */
static uint32_t rt_autodict_fit(const uint8_t *p, size_t size, uint32_t max) {
  uint32_t len = 0;
  while (len < size) {
    uint32_t rec = 1U + p[len];
    if (len + rec > size || len + rec > max)
      break;
    len += rec;
  }
  return len;
}

const uint8_t *rt_autodict(uint32_t *len) {
  /* The linker's symbols are two different objects to C: compare them as
     addresses. */
  uintptr_t start = (uintptr_t)__start_lop_autodict;
  uintptr_t stop = (uintptr_t)__stop_lop_autodict;
  *len = 0;
  if (!start || !stop || stop <= start)
    return NULL;
  *len = rt_autodict_fit(__start_lop_autodict, stop - start, FS_AUTODICT_MAX);
  if (*len < FS_AUTODICT_MIN) {
    *len = 0;
    return NULL;
  }
  return __start_lop_autodict;
}
