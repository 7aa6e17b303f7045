#!/usr/bin/env bash
# Installs a built libmilvus: `make install` runs it after the cargo build.
#
#   pkg/install.sh BUILD_DIR          (BUILD_DIR: target/release or target/debug)
#
# Environment (the usual GNU names; paths must be absolute):
#   PREFIX      /usr/local
#   LIBDIR      $PREFIX/lib
#   INCLUDEDIR  $PREFIX/include
#   DESTDIR     staging root prepended to every path written (packaging); the files keep
#               referring to PREFIX
#
# Installs, following the SONAME policy of README.md ("Versioning"):
#   LIBDIR/libmilvus.so.X.Y.Z             the shared library (SONAME libmilvus.so.0.Y before
#   LIBDIR/libmilvus.so.0.Y -> ...X.Y.Z   1.0, libmilvus.so.X from 1.0 on), the SONAME link,
#   LIBDIR/libmilvus.so -> SONAME         and the link-time name
#   LIBDIR/libmilvus.a
#   INCLUDEDIR/milvus.h, milvus.hpp
#   LIBDIR/pkgconfig/milvus.pc, milvus-static.pc
#   LIBDIR/cmake/milvus/milvusConfig.cmake, milvusConfigVersion.cmake
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:?usage: pkg/install.sh target/release|target/debug}"
PREFIX="${PREFIX:-/usr/local}"
LIBDIR="${LIBDIR:-$PREFIX/lib}"
INCLUDEDIR="${INCLUDEDIR:-$PREFIX/include}"
DESTDIR="${DESTDIR:-}"
for d in "$PREFIX" "$LIBDIR" "$INCLUDEDIR"; do
  case "$d" in /*) ;; *) echo "install.sh: $d: PREFIX, LIBDIR and INCLUDEDIR must be absolute" >&2; exit 2 ;; esac
done
for f in "$build/libmilvus.so" "$build/libmilvus.a" "$root/include/milvus.h"; do
  [ -f "$f" ] || { echo "install.sh: $f is missing (build first)" >&2; exit 1; }
done

# The version is the one the header was generated with (from Cargo.toml).
version="$(sed -n 's/^#define MILVUS_VERSION_STRING "\(.*\)"$/\1/p' "$root/include/milvus.h")"
IFS=. read -r major minor _patch <<<"${version%%[-+]*}"
if [ "$major" = 0 ]; then soname="libmilvus.so.0.$minor"; else soname="libmilvus.so.$major"; fi
real="libmilvus.so.$version"
built_soname="$(readelf -d "$build/libmilvus.so" 2>/dev/null | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')"
if [ "$built_soname" != "$soname" ]; then
  echo "install.sh: $build/libmilvus.so has SONAME '$built_soname', expected $soname (rebuild)" >&2
  exit 1
fi

# System libraries a static link needs: `cargo rustc -- --print native-static-libs` on Linux.
static_libs="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
cmake_static_libs="$(sed 's/-l//g; s/ /;/g' <<<"$static_libs")"

# The CMake files find the prefix relative to themselves when the directories are under it.
cmakedir="$LIBDIR/cmake/milvus"
relative() { realpath -m --relative-to="$1" "$2"; }
under_prefix() { case "$1/" in "$PREFIX"/*) return 0 ;; *) return 1 ;; esac; }
if under_prefix "$LIBDIR" && under_prefix "$INCLUDEDIR"; then
  to_prefix="$(relative "$cmakedir" "$PREFIX")"
  cmake_libdir="\${_milvus_prefix}/$(relative "$PREFIX" "$LIBDIR")"
  cmake_includedir="\${_milvus_prefix}/$(relative "$PREFIX" "$INCLUDEDIR")"
else
  to_prefix="."
  cmake_libdir="$LIBDIR"
  cmake_includedir="$INCLUDEDIR"
fi
bits="$(getconf LONG_BIT)"

render() { # template output
  sed -e "s|@PREFIX@|$PREFIX|g" -e "s|@LIBDIR@|$LIBDIR|g" -e "s|@INCLUDEDIR@|$INCLUDEDIR|g" \
      -e "s|@VERSION@|$version|g" -e "s|@MAJOR@|$major|g" -e "s|@MINOR@|$minor|g" \
      -e "s|@SONAME@|$soname|g" -e "s|@STATIC_LIBS@|$static_libs|g" \
      -e "s|@CMAKE_STATIC_LIBS@|$cmake_static_libs|g" -e "s|@CMAKE_TO_PREFIX@|$to_prefix|g" \
      -e "s|@CMAKE_LIBDIR@|$cmake_libdir|g" -e "s|@CMAKE_INCLUDEDIR@|$cmake_includedir|g" \
      -e "s|@SIZEOF_VOID_P@|$((bits / 8))|g" -e "s|@SIZEOF_VOID_P_BITS@|$bits|g" "$1" >"$2"
  chmod 644 "$2"
}

lib="$DESTDIR$LIBDIR"
inc="$DESTDIR$INCLUDEDIR"
install -d "$lib" "$inc" "$lib/pkgconfig" "$DESTDIR$cmakedir"
install -m 755 "$build/libmilvus.so" "$lib/$real"
ln -sfn "$real" "$lib/$soname"
ln -sfn "$soname" "$lib/libmilvus.so"
install -m 644 "$build/libmilvus.a" "$lib/libmilvus.a"
install -m 644 "$root/include/milvus.h" "$inc/milvus.h"
install -m 644 "$root/include/milvus.hpp" "$inc/milvus.hpp"
render "$root/pkg/milvus.pc.in" "$lib/pkgconfig/milvus.pc"
render "$root/pkg/milvus-static.pc.in" "$lib/pkgconfig/milvus-static.pc"
render "$root/pkg/milvusConfig.cmake.in" "$DESTDIR$cmakedir/milvusConfig.cmake"
render "$root/pkg/milvusConfigVersion.cmake.in" "$DESTDIR$cmakedir/milvusConfigVersion.cmake"
echo "install.sh: libmilvus $version ($soname) installed into $DESTDIR$PREFIX"
