# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# The libraries of the real-world tier: how each is built with its own build
# system, which of its own tests run, and its harness and inputs (see
# steps.sh for the contract of the L_build, L_check, L_harness, L_inputs
# and L_fuzzer functions). Build and check functions run inside the fresh source tree.

# shellcheck disable=SC2034 # used by run.sh
RW_LIBS="zlib libpng sqlite tinyxml2 cjson"

# lib_package LIB: the Debian source package of LIB.
lib_package() {
  case $1 in
    libpng) echo libpng1.6 ;;
    sqlite) echo sqlite3 ;;
    *) echo "$1" ;;
  esac
}

# ---- zlib: its own configure script and Makefile -------------------------
zlib_build() {
  bounded "$RW_CONFIGURE_TIMEOUT" configure.log ./configure
  bounded "$RW_BUILD_TIMEOUT" build.log make -j"$RW_JOBS"
  instrumented libz.a libz.so example minigzip
}

# zlib's `make test`: example and minigzip, statically and shared linked.
zlib_check() {
  bounded "$RW_CHECK_TIMEOUT" check.log make test
  grep -q '\*\*\* zlib test OK \*\*\*' check.log || fail "zlib static test did not pass"
  grep -q '\*\*\* zlib shared test OK \*\*\*' check.log || fail "zlib shared test did not pass"
  grep -q '\*\*\* zlib 64-bit test OK \*\*\*' check.log || fail "zlib 64-bit test did not pass"
}

zlib_harness() {
  "$CC" -I"$1" "$HARNESS/zlib_inflate.c" "$1/libz.a" -o harness ||
    fail "cannot build the zlib harness"
}

# a: plain text (rejected at the header); b and the seed: zlib("hello").
zlib_inputs() {
  mkdir -p seeds
  printf 'hello' >a
  printf '\x78\x9c\xcb\x48\xcd\xc9\xc9\x07\x00\x06\x2c\x02\x15' >b
  cp b seeds/hello.z
}

# ---- libpng1.6: autotools, shared and static library ----------------------
libpng_build() {
  bounded "$RW_CONFIGURE_TIMEOUT" configure.log ./configure
  bounded "$RW_BUILD_TIMEOUT" build.log make -j"$RW_JOBS"
  instrumented .libs/libpng16.so .libs/libpng16.a .libs/pngtest
}

# libpng's whole `make check` (32 tests: pngtest, pngvalid, pngstest,
# pngunknown, pngimage), run on the instrumented shared library.
libpng_check() {
  bounded "$RW_CHECK_TIMEOUT" check.log make -j"$RW_JOBS" check
  grep -q '^# PASS: *[1-9]' check.log || fail "make check ran no test"
  if ! grep -q '^# FAIL: *0$' check.log || ! grep -q '^# ERROR: *0$' check.log; then
    fail "make check: $(grep -E '^(FAIL|ERROR):' check.log | head -5)"
  fi
}

libpng_harness() {
  "$CC" -I"$1" "$HARNESS/png_read.c" "$1/.libs/libpng16.a" -lz -lm -o harness ||
    fail "cannot build the libpng harness"
}

# libpng also runs the harness linked to the instrumented libpng16.so (found
# by rpath): the library's edges must reach the map through the
# executable's runtime, so inputs a and b must give different maps.
# shellcheck disable=SC2034 # read by run_lib
libpng_steps="build check showmap shlib fuzz libfuzzer"

# libpng's own libFuzzer harness (what OSS-Fuzz builds), unchanged, with
# -fsanitize=fuzzer as OSS-Fuzz's LIB_FUZZING_ENGINE gives it for AFL++.
libpng_fuzzer() {
  "$CXX" -std=c++11 -I"$1" "$1/contrib/oss-fuzz/libpng_read_fuzzer.cc" -o fuzzer \
    -fsanitize=fuzzer "$1/.libs/libpng16.a" -lz || fail "cannot build libpng_read_fuzzer.cc"
}

# libpng links with a named version script ending in `local: *`, which
# would also hide the runtime's weak fallbacks (__afl_area_ptr,
# __afl_prev_loc) that the wrapper puts into every shared library; the
# wrapper's own version node keeps them global. See docs/realworld.md.
step_shlib() {
  need_step harness
  local src=$RW_BUILD/libpng/src
  "$CC" -I"$src" "$HARNESS/png_read.c" -L"$src/.libs" -lpng16 -lz -lm \
    -Wl,-rpath,"$src/.libs" -o harness || fail "cannot build the shared libpng harness"
  ldd harness | grep -q "$src/.libs/libpng16.so" || fail "harness does not use the built libpng16.so"
  libpng_inputs
  lop_showmap ./harness a a.txt
  lop_showmap ./harness b b.txt
  nm -D "$src/.libs/libpng16.so" | grep -q ' __afl_area_ptr@@LOP_RT_1' ||
    fail "libpng16.so does not export lop's __afl_area_ptr"
  ! cmp -s a.txt b.txt || fail "inputs a and b gave the same map through libpng16.so"
}

# a: a 1-bit grey image; b: an 8-bit RGB one (PngSuite, shipped in libpng).
libpng_inputs() {
  local suite=$RW_BUILD/libpng/src/contrib/pngsuite
  mkdir -p seeds
  cp "$suite/basn0g01.png" a
  cp "$suite/basn2c08.png" b
  cp a b seeds/
}

# ---- sqlite3: autoconf, the amalgamation built with tclsh ------------------
# Static library only: a shared build compiles the 8 MiB amalgamation twice.
sqlite_build() {
  bounded "$RW_CONFIGURE_TIMEOUT" configure.log ./configure --disable-shared
  bounded "$RW_BUILD_TIMEOUT" build.log make -j"$RW_JOBS" libsqlite3.la sqlite3
  instrumented .libs/libsqlite3.a sqlite3
  [ "$(echo 'SELECT 6*7;' | ./sqlite3)" = 42 ] || fail "the instrumented sqlite3 shell cannot compute 6*7"
}

# SQLite's own Tcl test suite (testfixture) runs for hours in full; these 30
# files of it (about 21,000 cases: parser, planner, DML, triggers, views,
# CTEs, window functions, built-in, JSON and date functions, VACUUM) take
# seconds. delete.test is left out: its read-only-file cases fail as root.
SQLITE_TESTS="select1 select2 select3 select4 select5 select6 insert insert2 expr func
  where where2 join join2 update trigger1 trigger2 view with1 with2 window1 window2
  distinct json101 printf date subquery autoinc collate1 vacuum"

sqlite_check() {
  local t
  bounded "$RW_BUILD_TIMEOUT" testfixture.log make -j"$RW_JOBS" testfixture
  instrumented testfixture
  for t in $SQLITE_TESTS; do
    bounded "$RW_CHECK_TIMEOUT" "test-$t.log" ./testfixture "test/$t.test"
    grep -q '^0 errors out of [1-9][0-9]* tests' "test-$t.log" ||
      fail "test/$t.test: $(grep -E 'errors out of|Failures' "test-$t.log" | head -3)"
    echo "test/$t.test: $(grep 'errors out of' "test-$t.log")"
  done
}

sqlite_harness() {
  "$CC" -I"$1" "$HARNESS/sqlite_exec.c" "$1/.libs/libsqlite3.a" -lm -lz -lpthread -ldl \
    -o harness || fail "cannot build the sqlite harness"
}

sqlite_inputs() {
  mkdir -p seeds
  printf 'SELECT 1;' >a
  printf 'CREATE TABLE t(a, b); INSERT INTO t VALUES(1, 2), (3, 4);\nSELECT sum(a), max(b) FROM t WHERE a > 1;' >b
  cp a b seeds/
}

# ---- tinyxml2 (C++): CMake and CTest ---------------------------------------
tinyxml2_build() {
  bounded "$RW_CONFIGURE_TIMEOUT" configure.log cmake -S . -B build \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" -Dtinyxml2_BUILD_TESTING=ON
  bounded "$RW_BUILD_TIMEOUT" build.log cmake --build build -j "$RW_JOBS"
  instrumented build/libtinyxml2.a build/xmltest
}

# tinyxml2's own test program (xmltest, hundreds of checks) through CTest.
tinyxml2_check() {
  bounded "$RW_CHECK_TIMEOUT" check.log ctest --test-dir build --output-on-failure
  grep -q '100% tests passed' check.log || fail "ctest: $(tail -3 check.log)"
}

tinyxml2_harness() {
  "$CXX" -I"$1" "$HARNESS/tinyxml2_parse.cpp" "$1/build/libtinyxml2.a" -o harness ||
    fail "cannot build the tinyxml2 harness"
}

tinyxml2_inputs() {
  mkdir -p seeds
  printf '<a/>' >a
  printf '<doc v="42"><item id="1">text</item><item id="2"/></doc>' >b
  cp a b seeds/
}

# ---- cJSON: CMake, its own Unity tests, its OSS-Fuzz harness ---------------
# No AFL harness of lop's: the project's libFuzzer harness is the one run.
# shellcheck disable=SC2034 # read by run_lib
cjson_steps="build check libfuzzer"

cjson_build() {
  bounded "$RW_CONFIGURE_TIMEOUT" configure.log cmake -S . -B build \
    -DCMAKE_C_COMPILER="$CC" -DBUILD_SHARED_LIBS=OFF -DENABLE_CJSON_TEST=ON
  bounded "$RW_BUILD_TIMEOUT" build.log cmake --build build -j "$RW_JOBS"
  instrumented build/libcjson.a
}

# cJSON's own tests (Unity, about 20 programs) through CTest.
cjson_check() {
  bounded "$RW_CHECK_TIMEOUT" check.log ctest --test-dir build --output-on-failure
  grep -q '100% tests passed' check.log || fail "ctest: $(tail -3 check.log)"
}

# fuzzing/cjson_read_fuzzer.c as the project's fuzzing/ossfuzz.sh builds it
# (with $CXX), LIB_FUZZING_ENGINE being -fsanitize=fuzzer.
cjson_fuzzer() {
  "$CXX" "$1/fuzzing/cjson_read_fuzzer.c" -I"$1/build" -o fuzzer \
    -fsanitize=fuzzer "$1/build/libcjson.a" 2>fuzzer-build.log ||
    fail "cannot build cjson_read_fuzzer.c: $(tail -3 fuzzer-build.log)"
}

# The harness reads 4 option flags ('0'/'1'), then NUL-terminated JSON.
cjson_inputs() {
  mkdir -p seeds
  printf '1111[1]\0' >a
  printf '0101{"a": [1, 2.5e3, {"b": null, "c": "\\u00e9"}]}\0' >b
  cp a b seeds/
}
