/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * One comparison of each kind CmpLog logs, each against a constant a test
 * can find in the CmpLog map: 8- and 16-byte integers, an odd width
 * (3 bytes), switches on a byte and on a 16-bit word (each case its own
 * call), strcmp, strncmp and strcasecmp. Prints a bit per comparison that
 * passed.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Case bodies with calls, so the switches stay switches (no lookup table). */
static int on_byte(uint8_t c) {
  switch (c) {
  case 'q':
    return puts("q");
  case 'z':
    return puts("z");
  case 0xa7:
    return puts("a7");
  default:
    return 0;
  }
}

static int on_word(uint16_t w) {
  switch (w) {
  case 0x4b1d:
    return puts("4b1d");
  case 0xbeef:
    return puts("beef");
  case 0x1234:
    return puts("1234");
  default:
    return 0;
  }
}

/* The integer compares, on the first 16 bytes of buf. */
static int integers(const char *buf) {
  uint64_t w;
  unsigned __int128 x;
  uint32_t t = 0;
  memcpy(&w, buf, sizeof(w));
  memcpy(&x, buf, sizeof(x));
  memcpy(&t, buf, 3);
  int r = 0;
  if (w == 0x1122334455667788ULL)
    r |= 1;
  if (x == (((unsigned __int128)0x0102030405060708ULL << 64) |
            0x1112131415161718ULL))
    r |= 2;
  /* A 24-bit field: the compare is on an i24 after optimisation. */
  struct {
    unsigned v : 24;
  } f = {t};
  if (f.v == 0xabcdefU)
    r |= 4;
  return r;
}

int main(void) {
  char buf[64] = {0};
  if (read(0, buf, sizeof(buf) - 1) <= 0)
    return 0;
  int r = integers(buf);
  r |= on_byte((uint8_t)buf[0]) ? 8 : 0;
  uint16_t w;
  memcpy(&w, buf, sizeof(w));
  r |= on_word(w) ? 16 : 0;
  if (strcmp(buf, "strcmp-token") == 0)
    r |= 32;
  if (strncmp(buf, "strncmp-token", 13) == 0)
    r |= 64;
  if (strcasecmp(buf, "CaseToken") == 0)
    r |= 128;
  printf("%d\n", r);
  return 0;
}
