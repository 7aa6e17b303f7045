#!/usr/bin/env bash
# Makes sure the build tools are present; installs missing Debian packages (as root).
set -euo pipefail
missing=()
command -v cc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v nm >/dev/null 2>&1 || missing+=(binutils)
command -v python3 >/dev/null 2>&1 || missing+=(python3 python3-venv)
command -v git >/dev/null 2>&1 || missing+=(git)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "toolchain.sh: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  else
    echo "toolchain.sh: missing tools (${missing[*]}); install them first" >&2
    exit 1
  fi
fi
for tool in cargo rustc; do
  command -v "$tool" >/dev/null 2>&1 || { echo "toolchain.sh: $tool not found: install Rust (rustup) first" >&2; exit 1; }
done
cargo fmt --version >/dev/null 2>&1 || { echo "toolchain.sh: rustfmt is missing (rustup component add rustfmt)" >&2; exit 1; }
cargo clippy --version >/dev/null 2>&1 || { echo "toolchain.sh: clippy is missing (rustup component add clippy)" >&2; exit 1; }
