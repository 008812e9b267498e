/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Registration of compact-mode modules (AFL_LLVM_INSTRUMENT=compact). Each
 * module's constructor hands over its descriptor; the module's N counters
 * get the next N ids after those already given out (trace-pc-guard ids
 * share the same numbering), so the map holds every edge once and is
 * exactly as large as the program needs. The descriptor's base pointer
 * then points into the map and follows it whenever the map moves.
 */
#include "rt.h"

/* A module's descriptor, laid out by the pass (llvm-pass/compact.h). */
struct rt_compact_module {
  uint8_t *base;  /* counter i lives at base[i] */
  uint32_t count; /* counters of the module */
  uint32_t first; /* map id of counter 0; 0 until registered */
  struct rt_compact_module *next;
};

/* Every registered module, newest first. */
static struct rt_compact_module *rt_compact_modules;

RT_EXPORT void __afl_lop_register_compact(struct rt_compact_module *m);

/* Gives the module its ids, or leaves it counting into its private array
   when the attached map cannot hold it (a library dlopen()ed after the
   fuzzer attached a map sized for the program without it). A descriptor
   registered before is left alone. */
void __afl_lop_register_compact(struct rt_compact_module *m) {
  if (m->first || !m->count)
    return;
  uint64_t want = (uint64_t)__afl_final_loc + m->count;
  if (want >= MAP_SIZE_MAX || rt_map_reserve((uint32_t)want) < want)
    return;
  m->first = __afl_final_loc + 1;
  __afl_final_loc = (uint32_t)want;
  m->base = __afl_area_ptr + m->first;
  m->next = rt_compact_modules;
  rt_compact_modules = m;
}

void rt_compact_rebase(uint8_t *area) {
  for (struct rt_compact_module *m = rt_compact_modules; m; m = m->next)
    m->base = area + m->first;
}
