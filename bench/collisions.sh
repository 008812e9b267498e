# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Collisions of the classic map: compiles the bench workloads (zlib's
# library files, sqlite3.c) with lop's classic mode and LOP_EDGE_LOG, then
# counts the static intra-procedural edges, the map bytes they use and the
# edges that share a byte with another edge. The logs are cached in
# $BENCH_DIR/build/edges-lop like the variant builds. Sourced by bench/run
# (after build.sh, whose variant_cc, variant_key and flags it reuses).

# edges_key: a hash of everything the edge logs depend on: the lop
# variant's inputs and this script.
edges_key() {
  {
    variant_key lop
    cat "$BENCH_SRC/collisions.sh"
  } | md5sum | cut -d' ' -f1
}

# edges_build: writes zlib.edges and sqlite.edges into
# $BENCH_DIR/build/edges-lop, unless up to date. The objects are thrown away.
# $cc, $BENCH_CFLAGS and $SQLITE_DEFS are word lists, split on purpose.
# shellcheck disable=SC2086
edges_build() {
  local d=$BENCH_DIR/build/edges-lop key cc
  key=$(edges_key)
  [ -f "$d/key" ] && [ "$(cat "$d/key")" = "$key" ] && return 0
  rm -rf "$d" && mkdir -p "$d/obj"
  cc=$(variant_cc lop)
  (
    cd "$d" || exit 1
    for f in $ZLIB_FILES; do
      env LOP_EDGE_LOG="$d/zlib.edges" $cc $BENCH_CFLAGS -I"$ZLIB_SRC" \
        -c "$ZLIB_SRC/$f.c" -o "obj/$f.o" || exit 1
    done
    env LOP_EDGE_LOG="$d/sqlite.edges" $cc $BENCH_CFLAGS $SQLITE_DEFS \
      -c "$SQLITE_C" -o obj/sqlite3.o || exit 1
  ) >"$d/build.log" 2>&1 || die "building the edge logs failed; see $d/build.log"
  rm -rf "$d/obj"
  echo "$key" >"$d/key"
}

# collisions_count LOG: prints "EDGES BYTES SHARED" for an edge log: its
# distinct lines, the distinct map bytes (first field) they use, and the
# edges whose byte is used by at least one other edge.
collisions_count() {
  sort -u "$1" | awk '
    { n[$1]++ }
    END {
      for (b in n) { bytes++; if (n[b] > 1) shared += n[b] }
      print NR, bytes + 0, shared + 0
    }'
}

# measure_collisions: builds the logs and stores the counts in
# $W/res/coll-zlib and $W/res/coll-sqlite.
measure_collisions() {
  note "collisions of the classic map (LOP_EDGE_LOG, cached in $BENCH_DIR/build/edges-lop)"
  edges_build
  put_res coll-zlib "$(collisions_count "$BENCH_DIR/build/edges-lop/zlib.edges")"
  put_res coll-sqlite "$(collisions_count "$BENCH_DIR/build/edges-lop/sqlite.edges")"
}

# map_size: MAP_SIZE of include/config.h (1 << MAP_SIZE_POW2).
map_size() {
  echo $((1 << $(sed -n 's/^#define MAP_SIZE_POW2 \([0-9]*\).*/\1/p' "$LOP_ROOT/include/config.h")))
}

# collisions_line NAME EDGES BYTES SHARED: one report line. The expected
# share for ids drawn at random is 1 - (1 - 1/MAP)^(EDGES - 1).
collisions_line() {
  awk -v name="$1" -v e="$2" -v b="$3" -v s="$4" -v map="$(map_size)" 'BEGIN {
    if (e == "") { printf "collisions %s: -\n", name; exit }
    pct = e ? 100 * s / e : 0
    rnd = 100 * (1 - exp((e - 1) * log(1 - 1 / map)))
    printf "collisions %s: %d of %d edges (%.1f%%) share a map byte with another edge;", name, s, e, pct
    printf " %d bytes used (random ids: %.1f%%)\n", b, rnd
  }'
}

# report_collisions: the collision lines of the report.
report_collisions() {
  local wl e b s
  for wl in zlib sqlite; do
    read -r e b s <<<"$(res "coll-$wl")"
    collisions_line "$wl" "$e" "$b" "$s"
  done
}
