/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * CmpLog: the hooks a build made with AFL_LLVM_CMPLOG=1 calls before each
 * integer compare and each call to a comparison routine, and the map they
 * log the operands into (include/cmplog.h). The map is the fuzzer's
 * segment named by __AFL_CMPLOG_SHM_ID; without it __afl_cmp_map stays
 * NULL, the instrumented code never calls the hooks (it tests the pointer
 * first) and the program runs as if uninstrumented. The hooks still check
 * the pointer, for code that calls them directly.
 *
 * A hook's slot is a hash of its return address, so every compare (and
 * every switch case: one call each) has its own slot. Routine operands are
 * copied only as far as the program itself would read them.
 */
#include "cmplog.h"
#include "rt.h"
#include "rt_calc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>

RT_EXPORT struct cmp_map *__afl_cmp_map;

void rt_cmplog_attach(void) {
  const char *text = getenv(CMPLOG_SHM_ENV_VAR);
  if (!text)
    return;
  long id = rt_parse_num(text, 0, INT_MAX);
  if (id < 0)
    rt_fsrv_fail(FS_ERROR_SHMAT,
                 "error: " CMPLOG_SHM_ENV_VAR
                 "='%s' is not a shared memory id; unset it to run the "
                 "program without a fuzzer",
                 text);
  void *seg = shmat((int)id, NULL, 0);
  struct shmid_ds ds;
  if (seg == (void *)-1 || shmctl((int)id, IPC_STAT, &ds) != 0)
    rt_fsrv_fail(FS_ERROR_SHMAT,
                 "error: " CMPLOG_SHM_ENV_VAR
                 "=%ld names no shared memory segment this program can "
                 "attach (%s); unset it to run the program without a fuzzer",
                 id, strerror(errno));
  if (ds.shm_segsz < sizeof(struct cmp_map)) {
    shmdt(seg);
    rt_fsrv_fail(FS_ERROR_MAP_SIZE,
                 "error: the segment " CMPLOG_SHM_ENV_VAR
                 "=%ld names has %zu bytes, fewer than the %zu of a CmpLog "
                 "map; unset it to run the program without a fuzzer",
                 id, (size_t)ds.shm_segsz, sizeof(struct cmp_map));
  }
  __afl_cmp_map = seg;
}

/* The slot of the hook's caller: ra is its return address. */
static inline uint32_t rt_cmp_site(void *ra) {
  return cmp_slot((uint64_t)(uintptr_t)ra);
}

/* Logs one integer compare of size bytes (1..16) at the slot of ra: the
   low and high 64 bits of both operands. Equal operands teach a fuzzer
   nothing and are skipped, as AFL++ does. */
static void rt_cmp_log_ins(void *ra, uint64_t a, uint64_t a_hi, uint64_t b,
                           uint64_t b_hi, uint32_t size, uint8_t attr) {
  struct cmp_map *m = __afl_cmp_map;
  if (!m || (a == b && a_hi == b_hi))
    return;
  uint32_t k = rt_cmp_site(ra);
  uint32_t hit = cmp_hdr_hit(&m->headers[k], CMP_TYPE_INS, size - 1, attr);
  struct cmp_operands *o = &m->log[k][hit & (CMP_MAP_H - 1)];
  o->v0 = a;
  o->v1 = b;
  o->v0_128 = a_hi;
  o->v1_128 = b_hi;
}

/* Logs one routine call at the slot of ra: len0 and len1 bytes (at most
   CMP_FN_BYTES) of p0 and p1, their lengths stored with flag added. */
static void rt_cmp_log_fn(void *ra, const void *p0, uint32_t len0,
                          const void *p1, uint32_t len1, uint8_t flag) {
  struct cmp_map *m = __afl_cmp_map;
  uint32_t len = len0 > len1 ? len0 : len1;
  if (!m || len == 0)
    return;
  uint32_t k = rt_cmp_site(ra);
  uint32_t hit = cmp_hdr_hit(&m->headers[k], CMP_TYPE_RTN, len - 1, 0);
  struct cmp_fn_operands *e = &cmp_fn_log(m, k)[hit & (CMP_MAP_RTN_H - 1)];
  memcpy(e->v0, p0, len0);
  memcpy(e->v1, p1, len1);
  e->v0_len = (uint8_t)(len0 + flag);
  e->v1_len = (uint8_t)(len1 + flag);
}

/* Bytes of the C string s to log: its length plus the NUL, at most max
   and CMP_FN_BYTES; reads no further than the program's own compare. */
static uint32_t rt_cmp_str_len(const char *s, size_t max) {
  size_t cap = max < CMP_FN_BYTES ? max : CMP_FN_BYTES;
  size_t n = strnlen(s, cap);
  return (uint32_t)(n < cap ? n + 1 : n);
}

/* ---- Hooks: the ABI the pass calls (llvm-pass/cmplog.cpp) --------------- */

/* Integer compares of 1, 2, 4 and 8 bytes, operands zero-extended. */
RT_EXPORT void __afl_cmplog_ins_hook1(uint8_t a, uint8_t b, uint8_t attr) {
  rt_cmp_log_ins(__builtin_return_address(0), a, 0, b, 0, 1, attr);
}

RT_EXPORT void __afl_cmplog_ins_hook2(uint16_t a, uint16_t b, uint8_t attr) {
  rt_cmp_log_ins(__builtin_return_address(0), a, 0, b, 0, 2, attr);
}

RT_EXPORT void __afl_cmplog_ins_hook4(uint32_t a, uint32_t b, uint8_t attr) {
  rt_cmp_log_ins(__builtin_return_address(0), a, 0, b, 0, 4, attr);
}

RT_EXPORT void __afl_cmplog_ins_hook8(uint64_t a, uint64_t b, uint8_t attr) {
  rt_cmp_log_ins(__builtin_return_address(0), a, 0, b, 0, 8, attr);
}

/* Any other width up to 16 bytes (3, 5..7, 9..16), each operand as its
   low and high 64 bits, so 32-bit targets need no 128-bit type. */
RT_EXPORT void __afl_cmplog_ins_hookn(uint64_t a, uint64_t a_hi, uint64_t b,
                                      uint64_t b_hi, uint8_t attr,
                                      uint8_t size) {
  if (size >= 1 && size <= 16)
    rt_cmp_log_ins(__builtin_return_address(0), a, a_hi, b, b_hi, size, attr);
}

/* memcmp(a, b, n) and its kin: the first n bytes of each. */
RT_EXPORT void __afl_cmplog_rtn_hook_n(const void *a, const void *b, size_t n) {
  if (!__afl_cmp_map || !a || !b)
    return;
  uint32_t len = n < CMP_FN_BYTES ? (uint32_t)n : CMP_FN_BYTES;
  rt_cmp_log_fn(__builtin_return_address(0), a, len, b, len, 0);
}

/* strcmp(a, b) and its kin: each string up to its NUL. */
RT_EXPORT void __afl_cmplog_rtn_hook_str(const char *a, const char *b) {
  if (!__afl_cmp_map || !a || !b)
    return;
  rt_cmp_log_fn(__builtin_return_address(0), a, rt_cmp_str_len(a, SIZE_MAX), b,
                rt_cmp_str_len(b, SIZE_MAX), CMP_FN_STR_LEN);
}

/* strncmp(a, b, n) and its kin: each string up to its NUL or n bytes. */
RT_EXPORT void __afl_cmplog_rtn_hook_strn(const char *a, const char *b,
                                          size_t n) {
  if (!__afl_cmp_map || !a || !b || n == 0)
    return;
  rt_cmp_log_fn(__builtin_return_address(0), a, rt_cmp_str_len(a, n), b,
                rt_cmp_str_len(b, n), CMP_FN_STR_LEN);
}

/* A libstdc++ std::string (the C++11 ABI): data pointer, then length. */
struct rt_std_string {
  const char *data;
  size_t len;
};

/* std::string compared with a C string (compare(const char *), ==). */
RT_EXPORT void __afl_cmplog_rtn_stdstring_cstr(const void *s, const char *c) {
  if (!__afl_cmp_map || !s || !c)
    return;
  const struct rt_std_string *str = s;
  uint32_t len = str->len < CMP_FN_BYTES ? (uint32_t)str->len : CMP_FN_BYTES;
  rt_cmp_log_fn(__builtin_return_address(0), str->data, len, c,
                (uint32_t)strnlen(c, CMP_FN_BYTES), 0);
}

/* Two std::strings compared (compare(const string &), ==). */
RT_EXPORT void __afl_cmplog_rtn_stdstring_stdstring(const void *a,
                                                    const void *b) {
  if (!__afl_cmp_map || !a || !b)
    return;
  const struct rt_std_string *x = a, *y = b;
  uint32_t lx = x->len < CMP_FN_BYTES ? (uint32_t)x->len : CMP_FN_BYTES;
  uint32_t ly = y->len < CMP_FN_BYTES ? (uint32_t)y->len : CMP_FN_BYTES;
  rt_cmp_log_fn(__builtin_return_address(0), x->data, lx, y->data, ly, 0);
}
