/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Differential fuzzing, in the target (include/lop_diff.h): the output
 * segment lop-fuzz --diff names in __LOP_DIFF_SHM_ID is attached with the
 * coverage map, before the forkserver forks, so every run (forked or
 * persistent) writes into it. __lop_diff_output appends to it; without the
 * segment (run by hand, or by another fuzzer) it returns at once.
 */
#include "lop_diff.h"
#include "rt.h"
#include "rt_calc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>

static struct lop_diff_hdr *rt_diff_hdr;
static uint32_t rt_diff_cap; /* room after the header, as attached */

void rt_diff_attach(void) {
  const char *text = getenv(LOP_DIFF_SHM_ENV_VAR);
  if (!text)
    return;
  long id = rt_parse_num(text, 0, INT_MAX);
  if (id < 0)
    rt_fsrv_fail(FS_ERROR_SHMAT,
                 "error: " LOP_DIFF_SHM_ENV_VAR
                 "='%s' is not a shared memory id; unset it to run the "
                 "program without lop-fuzz --diff",
                 text);
  void *seg = shmat((int)id, NULL, 0);
  struct shmid_ds ds;
  if (seg == (void *)-1 || shmctl((int)id, IPC_STAT, &ds) != 0 ||
      ds.shm_segsz < sizeof(struct lop_diff_hdr))
    rt_fsrv_fail(FS_ERROR_SHMAT,
                 "error: " LOP_DIFF_SHM_ENV_VAR
                 "=%ld names no output segment this program can attach "
                 "(%s); unset it to run the program without lop-fuzz --diff",
                 id, seg == (void *)-1 ? strerror(errno) : "too small");
  struct lop_diff_hdr *h = seg;
  size_t room = ds.shm_segsz - sizeof(*h);
  rt_diff_cap = h->cap < room ? h->cap : (uint32_t)room;
  rt_diff_hdr = h;
}

RT_EXPORT void __lop_diff_output(const void *buf, size_t len) {
  struct lop_diff_hdr *h = rt_diff_hdr;
  if (!h)
    return;
  uint32_t at = h->len < rt_diff_cap ? h->len : rt_diff_cap;
  size_t room = rt_diff_cap - at, n = len < room ? len : room;
  if (n)
    memcpy((uint8_t *)(h + 1) + at, buf, n);
  h->len = at + (uint32_t)n;
  h->flags |= LOP_DIFF_DECLARED | (n < len ? LOP_DIFF_TRUNCATED : 0U);
}
