/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Magic values behind single comparisons, each taken from stdin: a 32-bit
 * integer (bytes 0-3, little-endian), a switch on a 32-bit value (bytes
 * 4-7), a double (bytes 8-15) and a string (from byte 16). Plain edge
 * coverage sees only "matched" or "not"; built with AFL_LLVM_LAF_ALL, an
 * input matching part of a value reaches map bytes one matching no part
 * does not.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static volatile int found;

__attribute__((noinline)) static void check(const uint8_t *in) {
  uint32_t magic, key;
  double real;
  memcpy(&magic, in, 4);
  memcpy(&key, in + 4, 4);
  memcpy(&real, in + 8, 8);
  if (magic == 0x5eedf00d)
    found |= 1;
  switch (key) {
  case 0x11223344:
    found |= 2;
    break;
  case 0x55667788:
    found |= 4;
    break;
  case 0x99aabbcc:
    found |= 8;
    break;
  default:
    break;
  }
  if (real == 1234.5)
    found |= 16;
  if (strcmp((const char *)in + 16, "open-sesame") == 0)
    found |= 32;
}

int main(void) {
  uint8_t in[64] = {0};
  if (fread(in, 1, sizeof(in) - 1, stdin) == 0)
    return 1;
  check(in);
  return found == 51 ? 42 : 0;
}
