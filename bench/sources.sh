# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Workload sources for make bench: zlib and the SQLite amalgamation from
# Debian's source packages (apt-get source), unpacked once and cached under
# $BENCH_DIR/src. Enables deb-src and installs dpkg-dev when root and
# missing. Sourced by bench/run; defines ZLIB_SRC and SQLITE_C.

# The fetching is the real-world tier's (tests/realworld/sources.sh): it
# enables deb-src as root and falls back to older versions when the mirror
# lacks the newest (a security update), as Debian's mirrors here do.
. "$BENCH_SRC/../tests/realworld/sources.sh"

# src_fetch PKG: download PKG's Debian source into $BENCH_DIR/src once.
src_fetch() {
  local why
  RW_CACHE=$BENCH_DIR/src
  why=$(enable_sources) || die "cannot fetch the $1 source package: $why"
  fetch_source "$1" >/dev/null || die "cannot fetch the $1 source package (see $RW_CACHE/fetch.log)"
}

# src_zlib: ZLIB_SRC = directory of an unpacked zlib source tree.
src_zlib() {
  ZLIB_SRC=$(ls -d "$BENCH_DIR"/src/zlib-*/ 2>/dev/null | head -n 1)
  if [ -z "$ZLIB_SRC" ]; then
    src_fetch zlib
    tar -C "$BENCH_DIR/src" -xjf "$(ls "$BENCH_DIR"/src/zlib_*.orig.tar.* | head -n 1)" ||
      die "cannot unpack the zlib source"
    ZLIB_SRC=$(ls -d "$BENCH_DIR"/src/zlib-*/ | head -n 1)
  fi
  ZLIB_SRC=${ZLIB_SRC%/}
}

# src_sqlite: SQLITE_C = the sqlite3.c amalgamation (with sqlite3.h next to
# it), generated once from the source package with its own configure/make.
src_sqlite() {
  SQLITE_C=$BENCH_DIR/src/sqlite-amalgamation/sqlite3.c
  [ -f "$SQLITE_C" ] && return 0
  src_fetch sqlite3
  local tree=$BENCH_DIR/src/sqlite-tree
  rm -rf "$tree" && mkdir -p "$tree"
  tar -C "$tree" --strip-components=1 -xJf "$(ls "$BENCH_DIR"/src/sqlite3_*.orig.tar.xz | head -n 1)" ||
    die "cannot unpack the sqlite3 source"
  command -v tclsh >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq tcl >/dev/null; }
  (cd "$tree" && ./configure >/dev/null 2>&1 && make sqlite3.c >/dev/null 2>&1) ||
    die "cannot generate sqlite3.c (needs tclsh: apt-get install tcl)"
  mkdir -p "${SQLITE_C%/*}"
  cp "$tree/sqlite3.c" "$tree/sqlite3.h" "${SQLITE_C%/*}/"
  rm -rf "$tree"
}
