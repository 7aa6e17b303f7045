#!/usr/bin/env bash
# Runs C test programs and sums their results.
#
#   scripts/run_c_tests.sh PROGRAM...
#
# Each program prints its own output and, last, one line `c-tests NAME: N passed, M failed`
# (tests/c/check.h). This script shows that output, then prints one line
#   c-tests: N passed, M failed
# summing them. A program that crashes, times out, exits non-zero with no failed check, or
# prints no summary line counts as one more failure. Exit status: 0 only if nothing failed.
#
# Environment:
#   C_TEST_TIMEOUT   seconds each program may run (default 900)
#   C_TEST_WRAPPER   a command to run each program under, e.g.
#                    C_TEST_WRAPPER="valgrind --error-exitcode=1 --leak-check=full" make c-tests
#   ASAN_OPTIONS, UBSAN_OPTIONS
#                    for programs built with -fsanitize=address,undefined (`make
#                    c-tests-sanitized`); the defaults below make every report fatal and keep
#                    leak detection on. Programs built without sanitizers ignore them.
#
# A sanitizer report in a program's output (AddressSanitizer, LeakSanitizer,
# UndefinedBehaviorSanitizer) counts as one more failure even if the program exited 0.
#
# No LeakSanitizer suppressions are needed: the library's long-lived allocations (the global
# I/O runtime, its worker threads, the session table) stay reachable from its statics and
# thread stacks, which LeakSanitizer scans, so only memory nothing points to is reported.
set -uo pipefail

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

if [ $# -eq 0 ]; then
  echo "usage: $0 PROGRAM..." >&2
  exit 2
fi

timeout_s="${C_TEST_TIMEOUT:-900}"
read -r -a wrapper <<<"${C_TEST_WRAPPER:-}"
runner=()
if command -v timeout >/dev/null 2>&1; then
  runner=(timeout --kill-after=10 "$timeout_s")
fi

passed=0
failed=0
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

for prog in "$@"; do
  name="$(basename "$prog")"
  echo "== $name"
  "${runner[@]}" "${wrapper[@]}" "$prog" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  summary="$(grep -E "^c-tests [^ :]+: [0-9]+ passed, [0-9]+ failed\$" "$out" | tail -n 1)"
  reports="$(grep -cE "^(SUMMARY: (Address|Leak|UndefinedBehavior)Sanitizer|.*: runtime error: )" "$out")"
  if [ "$reports" -gt 0 ]; then
    failed=$((failed + 1))
    echo "run_c_tests: $name: $reports sanitizer report(s)"
  fi
  if [ -z "$summary" ]; then
    failed=$((failed + 1))
    if [ "$rc" -eq 124 ]; then
      echo "run_c_tests: $name: timed out after ${timeout_s}s"
    elif [ "$rc" -gt 128 ]; then
      echo "run_c_tests: $name: killed by signal $((rc - 128)) ($(kill -l $((rc - 128)) 2>/dev/null))"
    else
      echo "run_c_tests: $name: exited with status $rc without a summary line"
    fi
    continue
  fi
  p="$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/' <<<"$summary")"
  f="$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/' <<<"$summary")"
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    failed=$((failed + 1))
    echo "run_c_tests: $name: exited with status $rc although no check failed"
  fi
done

echo "c-tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
