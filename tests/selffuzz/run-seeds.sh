#!/bin/bash
# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Runs every self-fuzzing harness (build/selffuzz/<name> and its ASan build
# build/selffuzz/asan/<name>) over its seeds (tests/selffuzz/seeds/<name>)
# under lop's afl-showmap, and fails when an input crashes or hangs one, or
# a harness reports no coverage. Build them first: make selffuzz-harnesses.
set -u
root=${LOP_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
out=$(mktemp -d "${TMPDIR:-/tmp}/lop-selffuzz-seeds.XXXXXX")
trap 'rm -rf "$out"' EXIT
status=0
for seeds in "$root"/tests/selffuzz/seeds/*/; do
  name=$(basename "$seeds")
  for h in "$root/build/selffuzz/$name" "$root/build/selffuzz/asan/$name"; do
    if [ ! -x "$h" ]; then
      echo "error: $h is not built; run make selffuzz-harnesses" >&2
      status=1
      continue
    fi
    rm -rf "$out/maps" && mkdir "$out/maps"
    line=$("$root/bin/afl-showmap" -t 5000 -i "$seeds" -o "$out/maps" -- "$h" 2>&1 | tail -n 1)
    echo "${h#"$root"/}: $line"
    case $line in
      *"(0 crashes, 0 timeouts)"*) ;;
      *) status=1 ;;
    esac
    for m in "$out"/maps/*; do
      [ -s "$m" ] || { echo "error: $h gave no coverage for $(basename "$m")" >&2; status=1; }
    done
  done
done
exit $status
