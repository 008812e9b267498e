/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Self-fuzzing harness of the client's hello decoder (forkserver/hello.c):
 * the testcase is up to three host-endian u32 words, the hello word, then
 * (for a v1 hello) the option word and the raw map size. Checks what
 * PROTOCOL.md 2.6 promises about every decoded hello.
 */
#include "config.h"
#include "forkserver.h"

#include "harness.h"

/* Word i of data (zero past its end). */
static uint32_t word(const char *data, size_t len, size_t i) {
  uint32_t w = 0;
  if (len >= (i + 1) * 4)
    memcpy(&w, data + i * 4, 4);
  return w;
}

/* A map size a client may use: 0 (none announced) or aligned, in range. */
static void check_size(uint32_t size) {
  CHECK(size == 0 || (size % MAP_SIZE_ALIGN == 0 && size <= MAP_SIZE_MAX));
}

static void one_input(char *data, size_t len) {
  struct fsrv_hello h;
  uint32_t w = word(data, len, 0);
  fsrv_hello_decode(w, &h);
  CHECK(strcmp(fsrv_hello_name(h.kind), "?") != 0);
  check_size(h.map_size);
  if (h.kind == FSRV_HELLO_V1) {
    fsrv_hello_v1_options(word(data, len, 1), &h);
    uint32_t size = word(data, len, 2);
    bool ok = fsrv_hello_set_size(size, &h);
    CHECK(ok == (size != 0 && size <= MAP_SIZE_MAX));
    CHECK(!ok || (h.map_size >= size && h.map_size - size < MAP_SIZE_ALIGN));
    check_size(h.map_size);
  }
  if (h.kind == FSRV_HELLO_ERROR)
    CHECK(fsrv_hello_error_text(h.error_code) != NULL);
  if (h.kind == FSRV_HELLO_EXTENDED && (w & FS_OPT_MAPSIZE))
    CHECK(h.map_size >= FS_OPT_GET_MAPSIZE(w));
  uint32_t reply = fsrv_hello_reply(&h, true);
  CHECK(reply == 0 || (h.kind == FSRV_HELLO_EXTENDED &&
                       (reply & FS_OPT_ENABLED) == FS_OPT_ENABLED));
}
