/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * What the client may learn about a process before it signals one: the
 * pid a forkserver reports is only a word on a pipe, and a pipe out of
 * step (a target whose forked copies also spoke) hands over an exit status
 * or any other number instead. The client kills a pid only when the
 * kernel says it is a child of the forkserver.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

bool fsrv_is_child_of(pid_t pid, pid_t parent) {
  char path[64], line[512];
  if (pid <= 0 || parent <= 0)
    return false;
  snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
  FILE *f = fopen(path, "re");
  if (!f)
    return false;
  char *got = fgets(line, sizeof(line), f);
  fclose(f);
  /* "pid (comm) state ppid ...": comm may hold spaces and parentheses. */
  char *end = got ? strrchr(line, ')') : NULL;
  char state;
  int ppid;
  return end && sscanf(end + 1, " %c %d", &state, &ppid) == 2 &&
         ppid == (int)parent;
}
