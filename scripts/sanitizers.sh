#!/usr/bin/env bash
# Makes sure the C compiler can build and run programs under AddressSanitizer (with
# LeakSanitizer) and UndefinedBehaviorSanitizer; installs gcc's sanitizer runtimes with
# apt-get (as root) when it cannot.
#
#   scripts/sanitizers.sh [CC]
set -euo pipefail
cc="${1:-${CC:-cc}}"
flags=(-fsanitize=address,undefined -fno-omit-frame-pointer)

probe() {
  local dir
  dir="$(mktemp -d)"
  printf '#include <stdlib.h>\nint main(void){char *p=malloc(4);p[0]=1;int r=p[0]-1;free(p);return r;}\n' >"$dir/p.c"
  "$cc" "${flags[@]}" "$dir/p.c" -o "$dir/p" >/dev/null 2>&1 && "$dir/p" >/dev/null 2>&1
  local rc=$?
  rm -rf "$dir"
  return $rc
}

probe && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  # gcc's runtimes come with libgcc-N-dev (libasan, liblsan, libubsan); clang needs libclang-rt.
  if "$cc" --version 2>/dev/null | grep -qi clang; then
    major="$("$cc" -dumpversion | cut -d. -f1)"
    pkgs=("libclang-rt-${major}-dev")
  else
    major="$("$cc" -dumpversion | cut -d. -f1)"
    pkgs=("libgcc-${major}-dev")
  fi
  echo "sanitizers.sh: installing ${pkgs[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >&2
  probe && exit 0
fi
echo "sanitizers.sh: $cc cannot build programs with ${flags[*]} (install its ASan/UBSan runtimes)" >&2
exit 1
