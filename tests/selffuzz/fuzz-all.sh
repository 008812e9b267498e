#!/bin/bash
# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Fuzzes every self-fuzzing harness's ASan build (build/selffuzz/asan/<name>)
# with lop-fuzz for a bounded number of executions (LOP_SELFFUZZ_EXECS,
# default 30000) from its seeds, with a fixed seed, and fails when any run
# saves a crash or a hang: lop's own parsers must survive their fuzzer.
# Findings stay in LOP_SELFFUZZ_OUT (default a temp directory, removed
# when nothing was found). Build the harnesses first: make selffuzz-harnesses.
set -u
root=${LOP_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
execs=${LOP_SELFFUZZ_EXECS:-30000}
out=${LOP_SELFFUZZ_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/lop-selffuzz.XXXXXX")}
mkdir -p "$out" || exit 1
status=0
for seeds in "$root"/tests/selffuzz/seeds/*/; do
  name=$(basename "$seeds")
  h=$root/build/selffuzz/asan/$name
  if [ ! -x "$h" ]; then
    echo "error: $h is not built; run make selffuzz-harnesses" >&2
    status=1
    continue
  fi
  rm -rf "${out:?}/$name"
  AFL_NO_UI=1 "$root/bin/lop-fuzz" -i "$seeds" -o "$out/$name" -s 1 -t 1000 \
    -E "$execs" -- "$h" >"$out/$name.log" 2>&1 || {
    echo "error: lop-fuzz failed on $name: $(tail -n 2 "$out/$name.log")" >&2
    status=1
    continue
  }
  stats=$out/$name/default/fuzzer_stats
  get() { sed -n "s/^$1 *: //p" "$stats"; }
  echo "$name: $(get execs_done) execs, $(get corpus_count) entries, $(get saved_crashes) crashes, $(get saved_hangs) hangs"
  if [ "$(get saved_crashes)" != 0 ] || [ "$(get saved_hangs)" != 0 ]; then
    echo "error: lop-fuzz found a crash or hang in $name: see $out/$name/default" >&2
    status=1
  fi
done
[ "$status" = 0 ] && [ -z "${LOP_SELFFUZZ_OUT:-}" ] && rm -rf "$out"
exit $status
