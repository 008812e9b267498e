# lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Source download helpers of the real-world tier: make `apt-get source` work
# (deb-src entries, dpkg-dev) and fetch each Debian source package once into
# the cache. Sourced by tests/realworld/run.sh after tests/lib.sh.

APT_SOURCES=/etc/apt/sources.list.d/debian.sources

# has_deb_src: true when apt knows at least one deb-src entry.
has_deb_src() {
  grep -qsE '^Types:.*deb-src' "$APT_SOURCES" /etc/apt/sources.list.d/*.sources ||
    grep -qsE '^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list
}

# apt_retry CMD...: run an apt command, waiting for a lock another apt holds.
apt_retry() {
  local i
  for i in 1 2 3 4 5 6; do
    "$@" -o DPkg::Lock::Timeout=60 && return 0
    sleep $((i * 5))
  done
  return 1
}

# enable_sources: make `apt-get source` usable; as root it adds deb-src to
# the deb822 sources and installs dpkg-dev. Prints why when it cannot.
enable_sources() {
  if ! has_deb_src; then
    [ "$(id -u)" = 0 ] || { echo "no deb-src entries in apt sources and not root to add them"; return 1; }
    [ -f "$APT_SOURCES" ] || { echo "no deb-src entries and no $APT_SOURCES to add them to"; return 1; }
    sed -i 's/^Types: deb$/Types: deb deb-src/' "$APT_SOURCES"
    apt_retry apt-get update -qq >/dev/null || { echo "apt-get update failed after adding deb-src"; return 1; }
  fi
  if ! command -v dpkg-source >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "dpkg-dev missing (apt-get install dpkg-dev) and not root"; return 1; }
    DEBIAN_FRONTEND=noninteractive apt_retry apt-get install -y -qq dpkg-dev >/dev/null ||
      { echo "apt-get install dpkg-dev failed"; return 1; }
  fi
}

# fetch_source PKG: download PKG's Debian source (.dsc and tarballs) into
# $RW_CACHE once; prints the .dsc path. Later runs reuse the download.
fetch_source() {
  local pkg=$1 dsc v
  dsc=$(ls "$RW_CACHE"/"${pkg}"_*.dsc 2>/dev/null | tail -n 1)
  # Newest version first; a mirror may lack the newest (e.g. a security
  # update), so older versions apt still lists are tried too.
  apt-cache showsrc "$pkg" 2>/dev/null | grep -q '^Version: ' ||
    { echo "apt knows no source package $pkg (apt-get update?)" >&2; return 1; }
  for v in $(apt-cache showsrc "$pkg" 2>/dev/null | sed -n 's/^Version: //p'); do
    [ -z "$dsc" ] || break
    (cd "$RW_CACHE" && timeout 600 apt-get source -qq --download-only "$pkg=$v") \
      >"$RW_CACHE/fetch.log" 2>&1 || continue
    dsc=$(ls "$RW_CACHE"/"${pkg}"_*.dsc 2>/dev/null | tail -n 1)
  done
  [ -n "$dsc" ] || { echo "apt-get source $pkg failed: $(grep -E '^E:' "$RW_CACHE/fetch.log" | head -n 1)" >&2; return 1; }
  echo "$dsc"
}

# unpack_source PKG DIR: a fresh, patched copy of PKG's source tree in DIR.
unpack_source() {
  local dsc
  dsc=$(fetch_source "$1") || return 1
  rm -rf "$2"
  dpkg-source --no-check -x "$dsc" "$2" >/dev/null ||
    { echo "dpkg-source -x $dsc failed" >&2; return 1; }
}

# Debian packages the libraries' builds and test suites need: zlib headers
# (libpng, sqlite), Tcl (sqlite generates its amalgamation with tclsh and
# its test suite runs in Tcl), CMake (tinyxml2).
RW_BUILD_DEPS="zlib1g-dev tcl8.6 tcl8.6-dev cmake"

# install_build_deps: install the missing RW_BUILD_DEPS (root only); prints
# the command to run when it cannot.
install_build_deps() {
  local p missing=
  for p in $RW_BUILD_DEPS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  [ "$(id -u)" = 0 ] || { echo "missing build dependencies; run: sudo apt-get install$missing"; return 1; }
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt_retry apt-get install -y -qq $missing >/dev/null ||
    { echo "apt-get install$missing failed"; return 1; }
}
