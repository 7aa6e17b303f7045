#!/usr/bin/env bash
# Builds the cargo-fuzz targets of fuzz/ and runs each for a bounded time (libFuzzer, with
# AddressSanitizer), starting from the committed seeds in fuzz/corpus/<target>/.
#
#   scripts/fuzz.sh [TARGET...]        default: every target in fuzz/fuzz_targets/
#
# Environment:
#   FUZZ_SECONDS   run time of each target (default 45)
#   FUZZ_JOBS      codegen units of the build (default 16: a faster build, slightly slower fuzzing)
#
# cargo-fuzz needs nightly-only compiler flags (-Zsanitizer): the stable toolchain is told to
# accept them with RUSTC_BOOTSTRAP=1, so no nightly toolchain has to be installed. cargo-fuzz
# itself is installed from crates.io (pinned) when missing.
#
# New inputs found go to target/fuzz/corpus/<target>/ (not committed); a crash leaves its
# input in target/fuzz/artifacts/<target>/ and fails the run. Reproduce one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz --target-dir target/fuzz TARGET FILE
# Prints, per target, the executions and seconds, then `fuzz: N passed, M failed`.
set -uo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
seconds="${FUZZ_SECONDS:-45}"
cgu="${FUZZ_JOBS:-16}"
export RUSTC_BOOTSTRAP=1

if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
  echo "fuzz.sh: installing cargo-fuzz $CARGO_FUZZ_VERSION" >&2
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked >&2 || {
    echo "fuzz.sh: cannot install cargo-fuzz" >&2
    exit 1
  }
fi

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(ls fuzz/fuzz_targets/*.rs | xargs -n1 basename | sed 's/\.rs$//')
fi

start=$(date +%s)
cargo fuzz build --fuzz-dir fuzz --target-dir target/fuzz --codegen-units "$cgu" || {
  echo "fuzz.sh: building the fuzz targets failed" >&2
  exit 1
}
echo "fuzz.sh: built in $(( $(date +%s) - start )) s"

bin_dir=target/fuzz/x86_64-unknown-linux-gnu/release
passed=0
failed=0
for t in "${targets[@]}"; do
  work="target/fuzz/corpus/$t"
  artifacts="target/fuzz/artifacts/$t"
  rm -rf "$artifacts"
  mkdir -p "$work" "$artifacts" "fuzz/corpus/$t"
  log="target/fuzz/$t.log"
  t0=$(date +%s)
  # The first folder receives new inputs; the committed seeds are only read.
  timeout --kill-after=30 $((seconds + 120)) "$bin_dir/$t" "$work" "fuzz/corpus/$t" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
  rc=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    echo "fuzz $t: ${execs:-?} executions in $(( $(date +%s) - t0 )) s, no crash"
  else
    failed=$((failed + 1))
    echo "fuzz $t: FAILED (exit $rc) after ${execs:-?} executions in $(( $(date +%s) - t0 )) s; log $log:"
    grep -vE '^#[0-9]+' "$log" | grep -v '^ *"' | tail -n 40
    ls "$artifacts" | sed "s|^|  input: $artifacts/|"
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
