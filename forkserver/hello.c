/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Pure decoding of every forkserver hello a client can meet (PROTOCOL.md
 * 2.6): classic 0 (AFL 2.57b), the extended option word (AFL++ 4.04c), the
 * v1 sequence (AFL++ >= 4.20c) and both error words. No I/O here, so every
 * case is testable from a table of words.
 */
#include "forkserver.h"

/* Order matters: the v1 hello and the error words would also pass looser
   checks, so they are tested first; anything unknown is classic. */
void fsrv_hello_decode(uint32_t word, struct fsrv_hello *h) {
  *h = (struct fsrv_hello){.kind = FSRV_HELLO_CLASSIC};
  if (word == FS_NEW_HELLO) {
    h->kind = FSRV_HELLO_V1;
  } else if ((word & 0xffff0000U) == FS_NEW_ERROR) {
    h->kind = FSRV_HELLO_ERROR;
    h->error_code = word & 0xffffU;
  } else if ((word & FS_OPT_ERROR) == FS_OPT_ERROR) {
    h->kind = FSRV_HELLO_ERROR;
    h->error_code = FS_OPT_GET_ERROR(word);
  } else if ((word & FS_OPT_ENABLED) == FS_OPT_ENABLED) {
    h->kind = FSRV_HELLO_EXTENDED;
    if (word & FS_OPT_MAPSIZE)
      fsrv_hello_set_size(FS_OPT_GET_MAPSIZE(word), h);
    h->shm_fuzz = (word & FS_OPT_SHDMEM_FUZZ) != 0;
    h->autodict = (word & FS_OPT_AUTODICT) != 0;
  }
}

/* v1 announces the map size as a separate raw word, so only the two
   feature bits are taken from the option word. */
void fsrv_hello_v1_options(uint32_t options, struct fsrv_hello *h) {
  h->shm_fuzz = (options & FS_NEW_OPT_SHDMEM_FUZZ) != 0;
  h->autodict = (options & FS_NEW_OPT_AUTODICT) != 0;
}

/* Fuzzers round the size up to MAP_SIZE_ALIGN; we do the same so the map
   we read matches what afl-fuzz would read. */
bool fsrv_hello_set_size(uint32_t size, struct fsrv_hello *h) {
  if (size == 0 || size > MAP_SIZE_MAX)
    return false;
  h->map_size = (size + MAP_SIZE_ALIGN - 1) & ~(MAP_SIZE_ALIGN - 1);
  return true;
}

/* AFL++ 4.04c answers both feature requests in one word; a target that
   asked for neither expects no reply at all. */
uint32_t fsrv_hello_reply(const struct fsrv_hello *h, bool with_shm) {
  uint32_t r = FS_OPT_ENABLED;
  if (h->kind != FSRV_HELLO_EXTENDED || (!h->shm_fuzz && !h->autodict))
    return 0;
  if (h->shm_fuzz && with_shm)
    r |= FS_OPT_SHDMEM_FUZZ;
  if (h->autodict)
    r |= FS_OPT_AUTODICT;
  return r;
}

/* Codes are bits in the AFL++ runtime, but a target only ever sends one;
   the lowest set bit names it. */
const char *fsrv_hello_error_text(uint32_t code) {
  if (code & FS_ERROR_MAP_SIZE)
    return "target's coverage map is larger than the shared memory (map size)";
  if (code & FS_ERROR_MAP_ADDR)
    return "target could not map the shared memory at its fixed address "
           "(map addr)";
  if (code & FS_ERROR_SHM_OPEN)
    return "target could not open the shared memory (shm_open)";
  if (code & FS_ERROR_SHMAT)
    return "target could not map the shared memory (shmat)";
  if (code & FS_ERROR_MMAP)
    return "target could not mmap the shared memory (mmap)";
  return "target reported an unknown forkserver error";
}

const char *fsrv_hello_name(enum fsrv_hello_kind k) {
  switch (k) {
  case FSRV_HELLO_CLASSIC:
    return "classic";
  case FSRV_HELLO_EXTENDED:
    return "extended";
  case FSRV_HELLO_V1:
    return "v1";
  case FSRV_HELLO_ERROR:
    return "error";
  }
  return "?";
}
