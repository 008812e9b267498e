# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
#
# Prints the one table of make bench from the results in $W/res: overhead
# rows as ratios to plain clang (the plain column gives the absolute base),
# execs/s rows in thousands per second, then the ceilings and a one-line
# summary. Sourced by bench/run.

res() { cat "$W/res/$1" 2>/dev/null; }

# fmt_base KIND VALUE: the plain column's absolute value, short.
fmt_base() {
  awk -v k="$1" -v x="$2" 'BEGIN {
    if (x == "") { print "-"; exit }
    if (k == "s") printf "%.2fs\n", x
    else if (k == "n") printf "%.3gG\n", x / 1e9
    else printf "%.0fk\n", x / 1024 }'
}

# ratio A B: A / B with two decimals, "-" when either is missing.
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f\n", a / b }'
}

# kilo X: X / 1000 with one decimal and "k", "-" when missing.
kilo() {
  awk -v x="$1" 'BEGIN { if (x == "") print "-"; else printf "%.1fk\n", x / 1000 }'
}

# row_ratio LABEL KEY KIND: one overhead row, every variant / plain.
row_ratio() {
  local v base line
  base=$(res "$2.plain")
  line=$(printf '%-30s %9s' "$1" "$(fmt_base "$3" "$base")")
  for v in $VARIANTS; do
    [ "$v" = plain ] && continue
    line+=$(printf ' %11s' "$(ratio "$(res "$2.$v")" "$base")")
  done
  echo "$line"
}

# row_execs LABEL KEY: one execs/s row (no plain build runs under a fuzzer).
row_execs() {
  local v line
  line=$(printf '%-30s %9s' "$1" "")
  for v in $VARIANTS; do
    [ "$v" = plain ] && continue
    line+=$(printf ' %11s' "$(kilo "$(res "$2.$v")")")
  done
  echo "$line"
}

report_table() {
  local v head
  head=$(printf '%-30s %9s' "ratio to plain clang" "plain")
  for v in $VARIANTS; do
    [ "$v" = plain ] || head+=$(printf ' %11s' "$v")
  done
  echo "$head"
  row_ratio "zlib CPU time (median of $ROUNDS)" cpu-zlib s
  row_ratio "zlib instructions (callgrind)" ins-zlib n
  row_ratio "zlib .text size" text-zlib b
  row_ratio "zlib compile CPU time" cc-zlib s
  row_ratio "sqlite CPU time (median of $ROUNDS)" cpu-sqlite s
  row_ratio "sqlite instructions (callgrind)" ins-sqlite n
  row_ratio "sqlite .text size" text-sqlite b
  row_ratio "sqlite3.c compile CPU time" cc-sqlite s
  echo "execs/s (median of $EXEC_ROUNDS)"
  if [ -n "$AFLPP_FUZZ" ]; then
    row_execs "afl-fuzz forkserver" afl-fsrv
    row_execs "afl-fuzz persistent" afl-persist
    row_execs "afl-fuzz persistent+shm" afl-shm
  fi
  row_execs "lop client forkserver" lop-fsrv
  row_execs "lop client persistent" lop-persist
  row_execs "lop client persistent+shm" lop-shm
  echo "ceilings (CPU $BENCH_CPU, median of $EXEC_ROUNDS): fork+_exit+waitpid $(kilo "$(res ceil-fork)")/s," \
    "pipe forkserver $(kilo "$(res ceil-fsrv)")/s (child leaving through exit(): $(kilo "$(res ceil-exit)")/s)," \
    "SIGSTOP/SIGCONT $(kilo "$(res ceil-stop)")/s," \
    "pipe round trip $(kilo "$(res ceil-pipe)")/s"
}

# report_summary SECONDS: the last line.
report_summary() {
  local p=plain line
  line="bench: lop CPU x$(ratio "$(res cpu-zlib.lop)" "$(res cpu-zlib.$p)") zlib"
  line+=" x$(ratio "$(res cpu-sqlite.lop)" "$(res cpu-sqlite.$p)") sqlite"
  line+=", compact x$(ratio "$(res cpu-zlib.lop-compact)" "$(res cpu-zlib.$p)")"
  line+=" x$(ratio "$(res cpu-sqlite.lop-compact)" "$(res cpu-sqlite.$p)")"
  if [ -n "$AFLPP_CC" ]; then
    line+=" (AFL++ x$(ratio "$(res cpu-zlib.afl)" "$(res cpu-zlib.$p)")"
    line+=" x$(ratio "$(res cpu-sqlite.afl)" "$(res cpu-sqlite.$p)"))"
  fi
  line+="; persistent+shm $(kilo "$(res lop-shm.lop)")/s lop client"
  [ -n "$AFLPP_FUZZ" ] &&
    line+=", afl-fuzz $(kilo "$(res afl-shm.lop)")/s, compact $(kilo "$(res afl-shm.lop-compact)")/s (AFL++ build $(kilo "$(res afl-shm.afl)")/s)"
  echo "$line; ${1}s"
}
