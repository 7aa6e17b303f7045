#!/usr/bin/env bash
# Install tests: `make install` into a staging DESTDIR and into a temporary prefix, then
# C and C++ programs built outside the tree against the installed copy, with pkg-config and
# with CMake, linked to libmilvus.so and statically to libmilvus.a, each run against a real
# server (connect, create collection, insert, search, drop).
#
#   tests/install/run.sh [debug|release]      (default debug; MILVUS_URI names the server)
#
# Prints `install-tests: N passed, M failed` last; exit status 0 only if nothing failed.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
profile="${1:-debug}"
uri="${MILVUS_URI:-http://127.0.0.1:19530}"
CC="${CC:-cc}"
CXX="${CXX:-c++}"

# Tools: a fresh Debian CI machine may lack some; install them (as root) like toolchain.sh.
missing=()
command -v "$CXX" >/dev/null 2>&1 || missing+=(g++)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v readelf >/dev/null 2>&1 || missing+=(binutils)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "install-tests: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >/dev/null ||
      { echo "install-tests: could not install ${missing[*]}"; exit 1; }
  else
    echo "install-tests: missing ${missing[*]}; install them first"
    exit 1
  fi
fi

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL install-tests: $*"; }
check() { # description command...
  local what="$1"; shift
  if "$@"; then pass; else fail "$what"; fi
}

tmp="$(mktemp -d "${TMPDIR:-/tmp}/milvus-install-test.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

version="$(sed -n 's/^#define MILVUS_VERSION_STRING "\(.*\)"$/\1/p' "$root/include/milvus.h")"
IFS=. read -r major minor _patch <<<"${version%%[-+]*}"
if [ "$major" = 0 ]; then soname="libmilvus.so.0.$minor"; else soname="libmilvus.so.$major"; fi
soname_of() { readelf -d "$1" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p'; }
needed_of() { readelf -d "$1" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'; }

# 1. Packaging: DESTDIR stages the files under it, and they refer to PREFIX.
stage="$tmp/stage"
make -C "$root" --no-print-directory -s install PROFILE="$profile" DESTDIR="$stage" PREFIX=/opt/milvus >/dev/null ||
  fail "make install DESTDIR=... PREFIX=/opt/milvus"
s="$stage/opt/milvus"
check "staged real library file" test -f "$s/lib/libmilvus.so.$version" -a ! -L "$s/lib/libmilvus.so.$version"
check "staged library SONAME is $soname" test "$(soname_of "$s/lib/libmilvus.so.$version")" = "$soname"
check "staged $soname -> libmilvus.so.$version" test "$(readlink "$s/lib/$soname")" = "libmilvus.so.$version"
check "staged libmilvus.so -> $soname" test "$(readlink "$s/lib/libmilvus.so")" = "$soname"
for f in lib/libmilvus.a include/milvus.h include/milvus.hpp lib/pkgconfig/milvus.pc \
         lib/pkgconfig/milvus-static.pc lib/cmake/milvus/milvusConfig.cmake \
         lib/cmake/milvus/milvusConfigVersion.cmake; do
  check "staged $f" test -f "$s/$f"
done
check "milvus.pc refers to PREFIX, not DESTDIR" grep -qx 'prefix=/opt/milvus' "$s/lib/pkgconfig/milvus.pc"
check "nothing staged outside DESTDIR/PREFIX" test "$(ls "$stage")" = opt

echo "install-tests: staged install checked (${SECONDS}s)"

# 2. The installation the programs are built against.
prefix="$tmp/prefix"
make -C "$root" --no-print-directory -s install PROFILE="$profile" PREFIX="$prefix" >/dev/null ||
  fail "make install PREFIX=$prefix"
lib="$prefix/lib"
export PKG_CONFIG_PATH="$lib/pkgconfig"
check "pkg-config --modversion milvus = $version" test "$(pkg-config --modversion milvus)" = "$version"
words() { echo $*; } # shellcheck disable=SC2048,SC2086
check "pkg-config --libs milvus" test "$(words "$(pkg-config --libs milvus)")" = "-L$lib -lmilvus"
check "pkg-config --static --libs milvus has the private libraries" \
  test "$(words "$(pkg-config --static --libs milvus)")" = "-L$lib -lmilvus -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"

# Out of the tree: the sources are copied to the temporary folder.
src="$tmp/src"
mkdir -p "$src"
cp "$root/tests/install/app.c" "$root/tests/install/app.cpp" "$root/tests/install/CMakeLists.txt" "$src/"
cd "$src" || exit 1

# What a statically linked program may still need: the C (and C++) runtime only.
allowed_static='^(libgcc_s\.so\.1|libutil\.so\.1|librt\.so\.1|libpthread\.so\.0|libm\.so\.6|libdl\.so\.2|libc\.so\.6|libstdc\+\+\.so\.6|ld-linux.*)$'
# (Outputs are captured first: `grep -q` closing a pipe early would fail it under pipefail.)
check_shared() { # binary
  local needed resolved
  needed="$(needed_of "$1")" && resolved="$(ldd "$1")" &&
    grep -qx "$soname" <<<"$needed" && grep -q "$soname => $lib/$soname" <<<"$resolved"
}
check_static() { # binary
  local needed
  needed="$(needed_of "$1")" && ! grep -q milvus <<<"$needed" && ! grep -Evq "$allowed_static" <<<"$needed"
}
n=0
run() { # binary
  n=$((n + 1))
  local out
  if out="$("$1" "$uri" "install_test_$$_$n" 2>&1)" && grep -q ': ok$' <<<"$out"; then
    pass
  else
    fail "$1 against $uri: $out"
  fi
}
build() { # description output command...
  local what="$1" out="$2"; shift 2
  if "$@" -o "$out" >"$out.log" 2>&1; then pass; else fail "$what: $(cat "$out.log")"; return 1; fi
}

# 3. pkg-config, shared and static, C and C++.
CFLAGS="-std=c11 -Wall -Wextra -Werror"
CXXFLAGS="-std=c++17 -Wall -Wextra -Werror"
# shellcheck disable=SC2046,SC2086
{
  build "C, pkg-config, shared" app_pc_shared "$CC" $CFLAGS app.c $(pkg-config --cflags --libs milvus) -Wl,-rpath,"$lib" &&
    { check "app_pc_shared needs $soname from the prefix" check_shared app_pc_shared; run ./app_pc_shared; }
  build "C++, pkg-config, shared" app_cpp_pc_shared "$CXX" $CXXFLAGS app.cpp $(pkg-config --cflags --libs milvus) -Wl,-rpath,"$lib" &&
    { check "app_cpp_pc_shared needs $soname" check_shared app_cpp_pc_shared; run ./app_cpp_pc_shared; }
  build "C, pkg-config, static" app_pc_static "$CC" $CFLAGS app.c $(pkg-config --cflags --libs milvus-static) &&
    { check "app_pc_static needs only the C runtime" check_static app_pc_static; run ./app_pc_static; }
  build "C++, pkg-config, static" app_cpp_pc_static "$CXX" $CXXFLAGS app.cpp $(pkg-config --cflags --libs milvus-static) &&
    { check "app_cpp_pc_static needs only the C/C++ runtime" check_static app_cpp_pc_static; run ./app_cpp_pc_static; }
  # The static link line README.md gives, word for word.
  build "C, README static line" app_readme_static "$CC" app.c -I"$prefix/include" "$lib/libmilvus.a" -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc &&
    { check "app_readme_static needs only the C runtime" check_static app_readme_static; run ./app_readme_static; }
}

echo "install-tests: pkg-config builds run (${SECONDS}s)"

# 4. CMake: find_package(milvus X.Y) + milvus::milvus / milvus::milvus_static.
cmake_build() { # dir extra-args...
  local dir="$1"; shift
  cmake -S . -B "$dir" -DCMAKE_PREFIX_PATH="$prefix" -DMILVUS_EXPECT_VERSION="$major.$minor" "$@" >"$dir.log" 2>&1 &&
    cmake --build "$dir" >>"$dir.log" 2>&1
}
if cmake_build cm_shared; then
  pass
  check "cmake shared app needs $soname" check_shared cm_shared/app
  check "cmake shared app_cpp needs $soname" check_shared cm_shared/app_cpp
  run cm_shared/app
  run cm_shared/app_cpp
else
  fail "cmake, milvus::milvus: $(cat cm_shared.log)"
fi
if cmake_build cm_static -DMILVUS_STATIC=ON; then
  pass
  check "cmake static app needs only the C runtime" check_static cm_static/app
  check "cmake static app_cpp needs only the C/C++ runtime" check_static cm_static/app_cpp
  run cm_static/app
  run cm_static/app_cpp
else
  fail "cmake, milvus::milvus_static: $(cat cm_static.log)"
fi
# The version file follows the SONAME policy: another major (or, before 1.0, minor) is refused.
if [ "$major" = 0 ]; then other="0.$((minor + 1))"; else other="$((major + 1)).0"; fi
if cmake -S . -B cm_other -DCMAKE_PREFIX_PATH="$prefix" -DMILVUS_EXPECT_VERSION="$other" >cm_other.log 2>&1; then
  fail "find_package(milvus $other) accepted version $version"
else
  check "find_package(milvus $other) refused as incompatible" grep -q "not compatible\|unsuitable\|version: $version" cm_other.log
fi

echo "install-tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
