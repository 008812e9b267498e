#!/bin/bash
# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# once-per-block.sh [FILE]: reads textual IR (stdin by default) and fails
# when any basic block loads @__afl_prev_loc more than once, i.e. when it
# was instrumented twice; prints the count of instrumented blocks
# otherwise. Used by IR tests of pipelines that might run the pass twice.
awk '
  /^define / || /^[^ ;!@#][^ ]*:/ || /^}/ { seen = 0 }
  /load i32, (ptr|i32\*) @__afl_prev_loc/ {
    if (++seen > 1) { print "block instrumented twice at line " NR; bad = 1 }
    else blocks++
  }
  END { if (bad) exit 1; print blocks + 0 }' "${1:--}"
