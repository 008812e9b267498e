#!/bin/bash
# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# once-per-block.sh [FILE]: reads textual IR (stdin by default) and fails
# when any basic block bumps more than one coverage counter (a nosanitize
# load of an i8: the counter read of lop's update), i.e. when it was
# instrumented twice; prints the count of blocks with a counter otherwise.
# Used by IR tests of pipelines that might run the pass twice.
awk '
  /^define / || /^[^ ;!@#][^ ]*:/ || /^}/ { seen = 0 }
  /load i8, (ptr|i8\*) [^,]*, align 1, !nosanitize/ {
    if (++seen > 1) { print "block instrumented twice at line " NR; bad = 1 }
    else blocks++
  }
  END { if (bad) exit 1; print blocks + 0 }' "${1:--}"
