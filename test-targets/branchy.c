/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Branching target: reads stdin (or the file named by argv[1]) and takes a
 * different path for each prefix of "LOP!", so every extra matching byte
 * gives new edges. The demo fuzzes it; the tests compare its maps.
 */
#include <stdio.h>
#include <string.h>

/* Deepest magic level reached; volatile so that each level stays a real
   branch (the optimiser may turn side-effect-free ifs into selects). */
static volatile int reached;

/* Returns how many leading bytes of buf match the magic, one branch each. */
static int match_magic(const char *buf, size_t len) {
  if (len > 0 && buf[0] == 'L') {
    reached = 1;
    if (len > 1 && buf[1] == 'O') {
      reached = 2;
      if (len > 2 && buf[2] == 'P') {
        reached = 3;
        if (len > 3 && buf[3] == '!')
          reached = 4;
      }
    }
  }
  return reached;
}

/* Counts character classes so inputs of different shapes differ too. */
static void classify(const char *buf, size_t len, int counts[3]) {
  for (size_t i = 0; i < len; i++) {
    if (buf[i] >= '0' && buf[i] <= '9')
      counts[0]++;
    else if (buf[i] >= 'a' && buf[i] <= 'z')
      counts[1]++;
    else
      counts[2]++;
  }
}

int main(int argc, char **argv) {
  char buf[256];
  FILE *in = argc > 1 ? fopen(argv[1], "rb") : stdin;
  if (!in)
    return 2;
  size_t len = fread(buf, 1, sizeof(buf), in);
  int counts[3] = {0, 0, 0};
  classify(buf, len, counts);
  int depth = match_magic(buf, len);
  if (depth == 4)
    puts("magic");
  return counts[0] > 100 ? 3 : 0;
}
