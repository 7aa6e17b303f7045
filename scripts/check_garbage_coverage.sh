#!/usr/bin/env bash
# Checks that tests/c/test_garbage.c calls every function the library exports, so a new
# export cannot skip the NULL-and-garbage tests.
#
#   scripts/check_garbage_coverage.sh path/to/libmilvus.so
#
# The JSON methods (milvus_client_<name> for each `== name` in src/ffi/methods/*.txt) are
# covered by test_garbage.c itself: it looks each one up by name at run time (dlsym) and
# calls it. Every other exported function must appear in test_garbage.c by name (called, or
# put in a table of functions that is called).
set -euo pipefail
cd "$(dirname "$0")/.."
lib="${1:?usage: check_garbage_coverage.sh path/to/libmilvus.so}"
test_file=tests/c/test_garbage.c

json_methods="$(sed -n 's/^== *\([a-z0-9_]*\) *$/milvus_client_\1/p' src/ffi/methods/*.txt | sort -u)"
exports="$(nm -D --defined-only "$lib" | awk '$2 == "T" { print $3 }' | sort -u)"
[ -n "$exports" ] || { echo "check_garbage_coverage: no functions exported by $lib" >&2; exit 1; }

missing=()
total=0
while read -r sym; do
  total=$((total + 1))
  if grep -qx "$sym" <<<"$json_methods"; then
    continue
  fi
  grep -qw "$sym" "$test_file" || missing+=("$sym")
done <<<"$exports"

if [ ${#missing[@]} -gt 0 ]; then
  echo "check_garbage_coverage: $test_file never names these exported functions:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  echo "check_garbage_coverage: add NULL / garbage argument tests for them to $test_file" >&2
  exit 1
fi
echo "check_garbage_coverage: all $total exported functions are called by $test_file"
