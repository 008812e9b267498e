/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The hooks of clang's -fsanitize-coverage=trace-pc-guard (lop's pcguard
 * mode): each module's constructor hands its guard array to the init hook,
 * which numbers the guards 1, 2, 3... across the process (id 0 is the
 * map's alive byte and marks a disabled guard); each instrumented edge then
 * bumps its own map byte. Ids beyond 64 KiB make the map, and the size
 * announced to the fuzzer, grow.
 */
#include "rt.h"
#include "rt_calc.h"

#include <stdlib.h>

RT_EXPORT uint32_t __afl_final_loc;

/* Counts one hit of the edge guarded by *guard. NeverZero: 255 + 1 gives 1,
   so an edge hit a multiple of 256 times is not lost. */
RT_EXPORT void __sanitizer_cov_trace_pc_guard(uint32_t *guard) {
  uint8_t *counter = &__afl_area_ptr[*guard];
  uint8_t v = (uint8_t)(*counter + 1);
  *counter = (uint8_t)(v + (v == 0));
}

/* Gives every guard in [start, stop) an id, or 0 to disable it: per
   AFL_INST_RATIO, or when the attached map cannot hold more ids (a library
   dlopen()ed after the fuzzer attached). A range whose first guard is
   already set was initialised before and is left alone. */
RT_EXPORT void __sanitizer_cov_trace_pc_guard_init(uint32_t *start,
                                                   uint32_t *stop) {
  if (start == stop || *start)
    return;
  uint32_t ratio = rt_inst_ratio(getenv("AFL_INST_RATIO"));
  uint64_t kept = 0;
  for (uint64_t n = 0; n < (uint64_t)(stop - start); n++)
    kept += rt_ratio_keep(n, ratio);
  uint64_t want = __afl_final_loc + kept;
  uint32_t limit =
      rt_map_reserve(want > UINT32_MAX ? UINT32_MAX : (uint32_t)want);
  for (uint64_t n = 0; start + n < stop; n++) {
    bool keep = rt_ratio_keep(n, ratio) && __afl_final_loc < limit;
    start[n] = keep ? ++__afl_final_loc : 0;
  }
}
