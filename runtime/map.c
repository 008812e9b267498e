/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The coverage map of an instrumented program. Instrumented code writes
 * through __afl_area_ptr, which always points at memory large enough for
 * every index it can produce: the static 64 KiB fallback (or a bigger
 * mmap()ed one when trace-pc-guard ids outgrow it) while no fuzzer is
 * attached, the fuzzer's SysV segment afterwards. The segment's real size
 * comes from shmctl(IPC_STAT), so the runtime never writes past it even
 * when the fuzzer (AFL 2.57b) ignores the size announced in the hello.
 * The size announced is exact for trace-pc-guard and compact builds, and
 * at least MAP_SIZE once any classic module has registered.
 */
#include "rt.h"
#include "rt_calc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>

RT_EXPORT uint8_t __afl_area_initial[MAP_SIZE];
RT_EXPORT uint8_t *__afl_area_ptr = __afl_area_initial;
RT_EXPORT __thread uint32_t __afl_prev_loc;
RT_EXPORT uint32_t __afl_map_size = MAP_SIZE;

/* The fallback map and its size in bytes (>= __afl_map_size). */
static uint8_t *rt_fallback = __afl_area_initial;
static size_t rt_fallback_size = MAP_SIZE;
/* Real size of the attached fuzzer segment; 0 while none is attached. */
static size_t rt_segment_size;
/* A classic module registered: the map must keep MAP_SIZE bytes. */
static bool rt_classic_seen;

void rt_map_use(uint8_t *area) {
  __afl_area_ptr = area;
  rt_compact_rebase(area);
}

/* Called by the constructor of every classic module. Before the fuzzer's
   map is attached the size simply grows to MAP_SIZE (the fallback always
   has it). A library dlopen()ed later into a process whose map is smaller
   would write past its end: its code and everything else then count into
   the fallback, which loses the rest of this run's coverage but never
   corrupts memory. */
void __afl_lop_register_classic(void) {
  if (rt_classic_seen)
    return;
  rt_classic_seen = true;
  if (!rt_segment_size) {
    if (__afl_map_size < MAP_SIZE)
      __afl_map_size = MAP_SIZE;
  } else if (rt_segment_size < MAP_SIZE) {
    rt_map_use(rt_fallback);
  }
}

/* What to do about a bad __AFL_SHM_ID, for the line printed without a
   fuzzer (a variable left in a shell, or set by hand). */
#define RT_SHM_HINT                                                            \
  "; unset " SHM_ENV_VAR " to run the program without a fuzzer"

void rt_map_attach(void) {
  const char *text = getenv(SHM_ENV_VAR);
  if (!text)
    return;
  /* POSIX shm names ("/...") belong to AFL++ mmap builds, unsupported. */
  long id = rt_parse_num(text, 0, INT_MAX);
  if (id < 0)
    rt_fsrv_fail(FS_ERROR_SHMAT,
                 "error: " SHM_ENV_VAR
                 "='%s' is not a shared memory id" RT_SHM_HINT,
                 text);
  void *seg = shmat((int)id, NULL, 0);
  struct shmid_ds ds;
  if (seg == (void *)-1 || shmctl((int)id, IPC_STAT, &ds) != 0)
    rt_fsrv_fail(FS_ERROR_SHMAT,
                 "error: " SHM_ENV_VAR "=%ld names no shared memory segment "
                 "this program can attach (%s)" RT_SHM_HINT,
                 id, strerror(errno));
  if (ds.shm_segsz < __afl_map_size) {
    shmdt(seg);
    rt_fsrv_fail(FS_ERROR_MAP_SIZE,
                 "error: the segment " SHM_ENV_VAR "=%ld names has %zu bytes, "
                 "fewer than the %u this program's map needs" RT_SHM_HINT,
                 id, (size_t)ds.shm_segsz, (unsigned)__afl_map_size);
  }
  rt_segment_size = ds.shm_segsz;
  rt_map_use(seg);
}

uint8_t *rt_map_fallback(void) { return rt_fallback; }

/* Replaces the fallback map by a zeroed anonymous mapping of size bytes;
   false when mmap() fails. The old map is never unmapped: another thread
   or an earlier guard range may still be writing to it. */
static bool rt_map_grow_fallback(size_t size) {
  void *m = mmap(NULL, size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED)
    return false;
  if (__afl_area_ptr == rt_fallback)
    rt_map_use(m);
  rt_fallback = m;
  rt_fallback_size = size;
  return true;
}

uint32_t rt_map_reserve(uint32_t want_final) {
  if (rt_segment_size) {
    uint64_t last = rt_segment_size - 1;
    return want_final < last ? want_final : (uint32_t)last;
  }
  uint32_t size = rt_map_size_for(want_final, rt_classic_seen);
  if (size > rt_fallback_size) {
    /* Grow by at least double so many small modules cost few mappings. */
    size_t grown = rt_fallback_size * 2;
    if (grown > MAP_SIZE_MAX)
      grown = MAP_SIZE_MAX;
    if (!rt_map_grow_fallback(size > grown ? size : grown))
      size = (uint32_t)rt_fallback_size;
  }
  __afl_map_size = size;
  return want_final < size - 1 ? want_final : size - 1;
}
