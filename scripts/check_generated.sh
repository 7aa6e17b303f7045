#!/usr/bin/env bash
# Checks what the build produces: the shared library exports nothing but milvus_* symbols.
# (The header's freshness is checked by `milvus-header --check`, run by `make check`.)
set -euo pipefail
cd "$(dirname "$0")/.."
lib="${1:?usage: check_generated.sh path/to/libmilvus.so}"

stray="$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^milvus_' || true)"
if [ -n "$stray" ]; then
  echo "check_generated: $lib exports symbols outside the milvus_ namespace:" >&2
  echo "$stray" | head -20 >&2
  exit 1
fi
echo "check_generated: $(nm -D --defined-only "$lib" | grep -c ' milvus_') milvus_* symbols exported"
