/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Target whose inputs differ only in which call site enters which function:
 * the first input byte's low bit swaps two function pointers, picked from a
 * table without a branch, so every input runs the same blocks the same
 * number of times. Only the edges into the callees' entries (caller's
 * block -> callee) tell "f from the first site, g from the second" apart
 * from the swap; classic maps count those edges.
 */
#include <unistd.h>

static volatile int sink;

static __attribute__((noinline)) void f(void) { sink += 1; }
static __attribute__((noinline)) void g(void) { sink += 2; }

static void (*const callees[2])(void) = {f, g};

int main(void) {
  unsigned char c = 0;
  ssize_t n = read(0, &c, 1);
  void (*first)(void) = callees[c & 1];
  void (*second)(void) = callees[(c & 1) ^ 1];
  first();
  if (n > 0) /* taken the same way by every one-byte input */
    second();
  return 0;
}
