#!/bin/bash
# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# static-edges.sh [FILE]: reads textual IR instrumented by the classic pass
# (stdin by default) and prints one line "FUNCTION P B BYTE" for every
# counter at a constant map byte in a block with a single predecessor:
# BYTE is the constant index, B the block's position in its function, P
# its predecessor's (from the printer's "; preds =" comment). These are
# the edges LOP_EDGE_LOG must list, so tests can compare the two.
awk '
  /^define / {
    match($0, /@[A-Za-z0-9_.]+\(/)
    f = substr($0, RSTART + 1, RLENGTH - 2); pos = 0; body = 0; pred = ""
    next
  }
  /^[^ ;!@#}][^ ]*:/ {
    if (body) pos++
    name = substr($1, 1, length($1) - 1)
    at[f, name] = pos
    pred = ""
    if (match($0, /; preds = %[^ ,]+$/)) pred = substr($0, RSTART + 11)
    next
  }
  /^  / { body = 1 }
  /getelementptr i8, .*, i64 [0-9]+$/ && pred != "" {
    n++; fn[n] = f; from[n] = pred; to[n] = pos; byte[n] = $NF
  }
  END { for (i = 1; i <= n; i++) print fn[i], at[fn[i], from[i]], to[i], byte[i] }
' "${1:--}"
