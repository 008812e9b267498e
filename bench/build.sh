# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Builds the bench workloads once per compiler variant, into
# $BENCH_DIR/build/VARIANT, timing the compiles; variants found cached are
# compiled once more just for the timing (compile_times), so compile-time
# ratios always come from one run. A variant is
# rebuilt only when its compiler (for lop: the built wrapper, pass and
# runtime), the bench sources or the workload sources change. Sourced by
# bench/run.

# Compile flags every variant gets, as the issue's baseline prescribes.
BENCH_CFLAGS="-O3 -funroll-loops -g"
# zlib's library proper (the gz* file layer is not part of the workload).
ZLIB_FILES="adler32 crc32 deflate infback inffast inflate inftrees trees zutil compress uncompr"
# Keeps sqlite3.c free of -lpthread/-ldl so every variant links the same way.
SQLITE_DEFS="-DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION"

# variant_cc VARIANT: the compiler command of a variant (words).
variant_cc() {
  case $1 in
  plain) echo "$CLANG" ;;
  lop) echo "env AFL_QUIET=1 AFL_LLVM_INSTRUMENT=classic $LOP_ROOT/bin/afl-clang-fast" ;;
  lop-compact) echo "env AFL_QUIET=1 AFL_LLVM_INSTRUMENT=compact $LOP_ROOT/bin/afl-clang-fast" ;;
  lop-pcguard) echo "env AFL_QUIET=1 AFL_LLVM_INSTRUMENT=pcguard $LOP_ROOT/bin/afl-clang-fast" ;;
  afl) echo "env AFL_QUIET=1 AFL_LLVM_INSTRUMENT=pcguard $AFLPP_CC" ;;
  afl-classic) echo "env AFL_QUIET=1 AFL_LLVM_INSTRUMENT=classic $AFLPP_CC" ;;
  esac
}

# variant_key VARIANT: a hash of everything its binaries depend on.
variant_key() {
  {
    variant_cc "$1"
    "$CLANG" --version
    case $1 in
    lop*) cat "$LOP_ROOT/bin/afl-clang-fast" "$LOP_ROOT"/lib/lop/* ;;
    afl*) cat "$AFLPP_CC" ;;
    esac
    # The sources the variants compile; not the helpers (ceilings.c,
    # fsrv-bench.c), which every run builds anew.
    cat "$BENCH_SRC"/harness.c "$BENCH_SRC"/zlib-work.c "$BENCH_SRC"/sqlite-work.c "$SQLITE_C"
    echo "$ZLIB_SRC $BENCH_CFLAGS $ZLIB_FILES $SQLITE_DEFS"
  } | md5sum | cut -d' ' -f1
}

# cpu_time CMD...: runs CMD, prints its user+sys CPU seconds on stdout.
cpu_time() {
  local TIMEFORMAT='%3U %3S' t
  t=$({ time "$@" >>"$BENCH_LOG" 2>&1 || echo FAIL >&2; } 2>&1)
  case $t in *FAIL*) return 1 ;; esac
  echo "$t" | awk 'END { printf "%.3f\n", $1 + $2 }'
}

# compile_zlib CC DIR: zlib's library files compiled with CC into DIR.
compile_zlib() {
  local f
  for f in $ZLIB_FILES; do
    $1 $BENCH_CFLAGS -I"$ZLIB_SRC" -c "$ZLIB_SRC/$f.c" -o "$2/$f.o" || return 1
  done
}

# compile_times VARIANT: CPU time of compiling zlib's files and of
# sqlite3.c with VARIANT's compiler now, into the results.
compile_times() {
  local v=$1 d=$W/cc-$1 cc t
  cc=$(variant_cc "$v")
  mkdir -p "$d"
  local BENCH_LOG=$d/log
  t=$(cpu_time compile_zlib "$cc" "$d") || die "compiling zlib with $v failed; see $BENCH_LOG"
  put_res "cc-zlib.$v" "$t"
  t=$(cpu_time $cc $BENCH_CFLAGS $SQLITE_DEFS -c "$SQLITE_C" -o "$d/sqlite3.o") ||
    die "compiling sqlite3.c with $v failed; see $BENCH_LOG"
  put_res "cc-sqlite.$v" "$t"
  rm -rf "$d"
}

# measure_compile: compile_times of every variant not built in this run
# (a build records its own), two at a time (CPU time hardly changes when
# the two cores are shared).
measure_compile() {
  local v
  for v in $VARIANTS; do
    [ -s "$W/res/cc-sqlite.$v" ] && continue
    compile_times "$v" &
    [ "$(jobs -rp | wc -l)" -ge 2 ] && wait -n
  done
  wait
}

# build_variant VARIANT: builds zlib-work, sqlite-work and the three
# harnesses of VARIANT into $BENCH_DIR/build/VARIANT, unless up to date.
build_variant() {
  local v=$1 d=$BENCH_DIR/build/$1 key cc f
  key=$(variant_key "$v")
  [ -f "$d/key" ] && [ "$(cat "$d/key")" = "$key" ] && return 0
  rm -rf "$d" && mkdir -p "$d/zlib"
  cc=$(variant_cc "$v")
  local BENCH_LOG=$d/build.log
  (
    cd "$d" || exit 1
    cpu_time compile_zlib "$cc" zlib >"$W/res/cc-zlib.$v" || exit 1
    ar rcs libz.a zlib/*.o &&
      $cc $BENCH_CFLAGS -I"$ZLIB_SRC" "$BENCH_SRC/zlib-work.c" libz.a -o zlib-work || exit 1
    cpu_time $cc $BENCH_CFLAGS $SQLITE_DEFS -c "$SQLITE_C" -o sqlite3.o \
      >"$W/res/cc-sqlite.$v" || exit 1
    $cc $BENCH_CFLAGS -I"${SQLITE_C%/*}" "$BENCH_SRC/sqlite-work.c" sqlite3.o -lm \
      -o sqlite-work || exit 1
    [ "$v" = plain ] && exit 0
    $cc $BENCH_CFLAGS "$BENCH_SRC/harness.c" -o harness-fsrv &&
      $cc $BENCH_CFLAGS -DBENCH_PERSIST "$BENCH_SRC/harness.c" -o harness-persist &&
      $cc $BENCH_CFLAGS -DBENCH_PERSIST -DBENCH_SHM "$BENCH_SRC/harness.c" -o harness-shm
  ) >>"$BENCH_LOG" 2>&1 || die "building the $v variant failed; see $BENCH_LOG"
  echo "$key" >"$d/key"
}

# build_all: builds every variant, two at a time (compile time is CPU time,
# which sharing the cores does not change much).
build_all() {
  local v running=0
  for v in $VARIANTS; do
    build_variant "$v" &
    running=$((running + 1))
    if [ $running -ge 2 ]; then
      wait -n || die "a build failed"
      running=$((running - 1))
    fi
  done
  while [ $running -gt 0 ]; do
    wait -n || die "a build failed"
    running=$((running - 1))
  done
}
