#!/usr/bin/env bash
# Puts the SONAME link (README "Versioning") beside a built libmilvus.so, so that programs
# linked against target/<profile>/ also run from there. build.rs sets the SONAME but writes
# nothing outside OUT_DIR, so this is a make step.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:?usage: soname_link.sh target/<profile>}"
[ -f "$dir/libmilvus.so" ] || { echo "soname_link: no $dir/libmilvus.so (build first)" >&2; exit 1; }
soname=$(readelf -d "$dir/libmilvus.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ -n "$soname" ] || { echo "soname_link: $dir/libmilvus.so has no SONAME" >&2; exit 1; }
[ "$(readlink "$dir/$soname" 2>/dev/null)" = libmilvus.so ] || ln -sfn libmilvus.so "$dir/$soname"
