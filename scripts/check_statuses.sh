#!/usr/bin/env bash
# The status codes are written once, in src/ffi/status.rs; the header is generated from it.
# This checks the two hand-kept lists against the header: the Go constants
# (bindings/go/milvus/errors.go) and the table of docs/errors.md. Any difference fails.
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
[ $rc = 0 ] && echo "check_statuses: Go and docs/errors.md list the header's $(wc -l <<<"$header_list") statuses"
exit $rc
