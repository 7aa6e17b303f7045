#!/usr/bin/env bash
# Checks that Sources/CMilvus/module.modulemap builds as a Clang module over include/milvus.h
# (what Swift's `import CMilvus` does), since no Swift toolchain is available here. Installs
# clang with apt-get when it is missing (as root, like scripts/toolchain.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if ! command -v clang >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "check_modulemap: installing clang" >&2
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends clang; } >/dev/null
  else
    echo "check_modulemap: clang is missing; install it first" >&2
    exit 1
  fi
fi
cache="$(mktemp -d "${TMPDIR:-/tmp}/milvus-modcache.XXXXXX")"
trap 'rm -rf "$cache"' EXIT
# -Wno-... none: any warning from the module or the header is an error.
clang -x objective-c -fmodules -fmodules-cache-path="$cache" -Werror -Wall -Wextra \
  -fmodule-map-file="$here/Sources/CMilvus/module.modulemap" -I "$root/include" \
  -fsyntax-only "$here/check/use_module.m"
# A module that does not exist must fail, so the check above cannot pass vacuously.
if echo '@import CMilvusMissing;' | clang -x objective-c -fmodules -fmodules-cache-path="$cache" \
     -fmodule-map-file="$here/Sources/CMilvus/module.modulemap" -I "$root/include" \
     -fsyntax-only - 2>/dev/null; then
  echo "check_modulemap: importing a missing module succeeded; the check is not effective" >&2
  exit 1
fi
echo "swift-modulemap-check: CMilvus builds as a Clang module ($(clang --version | head -n 1))"
