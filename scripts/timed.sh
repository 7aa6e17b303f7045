#!/usr/bin/env bash
# Runs one phase of `make test` and records how long it took.
#
#   scripts/timed.sh NAME COMMAND [ARGS...]
#
# Prints "timed: NAME <seconds>s" when the phase ends (pass or fail) and appends the same line
# to target/test-phases.txt, which `scripts/timed.sh --summary` prints as a table (and
# `--reset` empties at the start of a run).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOG="$ROOT/target/test-phases.txt"
mkdir -p "$ROOT/target"
case "${1:-}" in
  --reset) : > "$LOG"; exit 0 ;;
  --summary)
    [ -s "$LOG" ] || exit 0
    echo "== make test phases (seconds)"
    awk '{ total += $3; printf "   %-26s %6d\n", $2, $3 } END { printf "   %-26s %6d\n", "total", total }' "$LOG"
    exit 0 ;;
esac
name="$1"; shift
start=$(date +%s)
"$@"
rc=$?
secs=$(( $(date +%s) - start ))
echo "timed: $name ${secs}s$([ $rc -eq 0 ] || echo " (failed: $rc)")"
echo "timed: $name $secs" >> "$LOG"
exit $rc
