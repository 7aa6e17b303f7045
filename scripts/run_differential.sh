#!/usr/bin/env bash
# Differential tests: libmilvus (target/debug/libmilvus.so through ctypes) against pymilvus
# MilvusClient, on the same real servers (tests/differential/).
#
#   scripts/run_differential.sh [--start-servers] [PYTEST_ARGS...]
#
# - makes sure the project venv (.venv, with pytest from scripts/requirements.txt) is ready;
# - builds the debug library with `cargo build` unless LIBMILVUS_SO names another build or
#   DIFF_NO_BUILD=1;
# - needs the three servers: MILVUS_URI (Milvus 2.3.5, default http://127.0.0.1:19530),
#   MILVUS_LITE_URI (Milvus Lite 2.5.1, default http://127.0.0.1:19531) and MILVUS_LITE3_URI
#   (Milvus Lite 3.2.2, default http://127.0.0.1:19532). With --start-servers (or
#   DIFF_START_SERVERS=1) it runs `scripts/servers.sh start all` first; otherwise an
#   unreachable server fails the run (`-k 'not lite3'` and the like pick servers);
# - runs pytest (no stdin, no cache files, no .pyc in the tree) under `timeout`
#   (DIFF_TIMEOUT seconds, default 900) and exits with pytest's status: 0 only when every
#   test passed or was skipped/xfailed as marked.
# Nothing secret is printed: credentials in the URIs are masked.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { echo "run_differential.sh: $*" >&2; }
mask() { sed -E 's#(://)[^/@]*@#\1***@#'; }

start_servers="${DIFF_START_SERVERS:-0}"
args=()
for a in "$@"; do
  case "$a" in
    --start-servers) start_servers=1 ;;
    *) args+=("$a") ;;
  esac
done

scripts/venv.sh </dev/null
PY="$ROOT/.venv/bin/python"
"$PY" -c 'import pytest, pymilvus' 2>/dev/null \
  || { log "pytest or pymilvus missing from .venv (see scripts/requirements.txt)"; exit 2; }

if [ -z "${LIBMILVUS_SO:-}" ] && [ "${DIFF_NO_BUILD:-0}" != 1 ]; then
  log "cargo build (debug library)"
  cargo build --quiet </dev/null >&2
fi
so="${LIBMILVUS_SO:-$ROOT/target/debug/libmilvus.so}"
[ -f "$so" ] || { log "no library at $so"; exit 2; }

if [ "$start_servers" = 1 ]; then
  log "starting the test servers (scripts/servers.sh start all)"
  # start prints MILVUS_URI=... / MILVUS_LITE_URI=... / MILVUS_LITE3_URI=... for the servers
  # it runs
  started="$(scripts/servers.sh start all </dev/null)" || { log "servers.sh start failed"; exit 2; }
  while IFS='=' read -r key value; do
    case "$key" in
      MILVUS_URI) export MILVUS_URI="${MILVUS_URI:-$value}" ;;
      MILVUS_LITE_URI) export MILVUS_LITE_URI="${MILVUS_LITE_URI:-$value}" ;;
      MILVUS_LITE3_URI) export MILVUS_LITE3_URI="${MILVUS_LITE3_URI:-$value}" ;;
    esac
  done <<<"$started"
fi
export MILVUS_URI="${MILVUS_URI:-http://127.0.0.1:19530}"
export MILVUS_LITE_URI="${MILVUS_LITE_URI:-http://127.0.0.1:19531}"
export MILVUS_LITE3_URI="${MILVUS_LITE3_URI:-http://127.0.0.1:19532}"
log "servers: standalone $(printf '%s' "$MILVUS_URI" | mask), lite $(printf '%s' "$MILVUS_LITE_URI" | mask), lite3 $(printf '%s' "$MILVUS_LITE3_URI" | mask)"

export PYTHONDONTWRITEBYTECODE=1
export LIBMILVUS_SO="$so"
runner=()
if command -v timeout >/dev/null 2>&1; then
  runner=(timeout --kill-after=15 "${DIFF_TIMEOUT:-900}")
fi

set +e
"${runner[@]}" "$PY" -m pytest -p no:cacheprovider -rfEsxX --tb=short \
  --rootdir "$ROOT/tests/differential" "$ROOT/tests/differential" ${args[@]+"${args[@]}"} </dev/null
rc=$?
set -e
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
  log "pytest timed out after ${DIFF_TIMEOUT:-900} s"
  echo "0 passed, 1 failed"
fi
exit "$rc"
