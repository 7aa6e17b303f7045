#!/usr/bin/env bash
# The status codes are written once, in src/ffi/status.rs; the header is generated from it.
# This checks the hand-kept lists against the header: the Go constants
# (bindings/go/milvus/errors.go), the table of docs/errors.md and the names and unknown
# values tests/c/test_api.c probes. Any difference fails.
set -euo pipefail
cd "$(dirname "$0")/.."
header_list=$(sed -n 's/^ *\(MILVUS_OK\|MILVUS_ERR_[A-Z0-9_]*\) = \([0-9]*\),$/\1 \2/p' include/milvus.h | sort)
[ -n "$header_list" ] || { echo "check_statuses: no status enumerators found in include/milvus.h" >&2; exit 1; }
rc=0
go_list=$(grep -o 'C\.MILVUS_\(OK\|ERR_[A-Z0-9_]*\)' bindings/go/milvus/errors.go | sed 's/^C\.//' | sort -u)
if ! diff <(cut -d' ' -f1 <<<"$header_list" | sort) <(echo "$go_list") >/dev/null; then
  echo "check_statuses: bindings/go/milvus/errors.go and include/milvus.h name different statuses (< header, > Go):" >&2
  diff <(cut -d' ' -f1 <<<"$header_list" | sort) <(echo "$go_list") >&2 || true
  rc=1
fi
docs_list=$(sed -n 's/^| `\(MILVUS_OK\|MILVUS_ERR_[A-Z0-9_]*\)` | \([0-9]*\) |.*/\1 \2/p' docs/errors.md | sort)
if [ "$header_list" != "$docs_list" ]; then
  echo "check_statuses: docs/errors.md's table and include/milvus.h differ (< header, > docs):" >&2
  diff <(echo "$header_list") <(echo "$docs_list") >&2 || true
  rc=1
fi
# tests/c/test_api.c names every status (N(...)) and probes values that must be unknown.
c_list=$(grep -o 'N(MILVUS_\(OK\|ERR_[A-Z0-9_]*\))' tests/c/test_api.c | sed 's/^N(//; s/)$//' | sort -u)
if ! diff <(cut -d' ' -f1 <<<"$header_list" | sort) <(echo "$c_list") >/dev/null; then
  echo "check_statuses: tests/c/test_api.c and include/milvus.h name different statuses (< header, > test):" >&2
  diff <(cut -d' ' -f1 <<<"$header_list" | sort) <(echo "$c_list") >&2 || true
  rc=1
fi
for v in $(sed -n 's/.*const milvus_status unknown\[\] = {\(.*\)};.*/\1/p' tests/c/test_api.c | tr -d ' ' | tr ',' ' '); do
  if cut -d' ' -f2 <<<"$header_list" | grep -qx -- "$v"; then
    echo "check_statuses: tests/c/test_api.c probes $v as an unknown status, but the header defines it" >&2
    rc=1
  fi
done
[ $rc = 0 ] && echo "check_statuses: Go, docs/errors.md and tests/c/test_api.c list the header's $(wc -l <<<"$header_list") statuses"
exit $rc
