#!/usr/bin/env bash
# Checks what the build generates: the committed header is current, and the shared library
# exports nothing but milvus_* symbols.
set -euo pipefail
cd "$(dirname "$0")/.."
lib="${1:?usage: check_generated.sh path/to/libmilvus.so}"

if [ -n "$(git status --porcelain -- include/milvus.h)" ]; then
  git --no-pager diff --stat -- include/milvus.h >&2 || true
  if [ "${CI:-}" = "true" ]; then
    echo "check_generated: include/milvus.h differs from the committed header (regenerate and commit it)" >&2
    exit 1
  fi
  echo "check_generated: warning: include/milvus.h was regenerated and is not committed yet" >&2
fi

stray="$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^milvus_' || true)"
if [ -n "$stray" ]; then
  echo "check_generated: $lib exports symbols outside the milvus_ namespace:" >&2
  echo "$stray" | head -20 >&2
  exit 1
fi
echo "check_generated: header current, $(nm -D --defined-only "$lib" | grep -c ' milvus_') milvus_* symbols exported"
