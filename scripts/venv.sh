#!/usr/bin/env bash
# Create/refresh a project-local Python venv used by scripts/servers.sh.
#
#   scripts/venv.sh            # $ROOT/.venv from scripts/requirements.txt
#   scripts/venv.sh lite3      # $ROOT/.venv-lite3 from scripts/requirements-lite3.txt (Milvus Lite
#                              # 3.2.2; it cannot share a venv with milvus-lite 2.5.1)
#   (idempotent; silent when the venv is already up to date)
#
# - creates the venv with ${PYTHON:-python3} if it is missing (on Debian, installs
#   python3-venv with apt-get when running as root and `python3 -m venv` cannot work);
# - pip-installs the requirements file only when it (or the interpreter) changed since the
#   last successful install (stamp: VENV/.requirements.sha256).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "${1:-}" in
  '') VENV="$ROOT/.venv"; REQ="$ROOT/scripts/requirements.txt" ;;
  lite3) VENV="$ROOT/.venv-lite3"; REQ="$ROOT/scripts/requirements-lite3.txt" ;;
  *) echo "usage: $0 [lite3]" >&2; exit 2 ;;
esac
STAMP="$VENV/.requirements.sha256"
PYTHON="${PYTHON:-python3}"

log() { echo "venv.sh: $*" >&2; }
die() { echo "venv.sh: ERROR: $*" >&2; exit 1; }

[ -f "$REQ" ] || die "missing $REQ"

# Serialise concurrent callers (e.g. two `servers.sh start` at once) on the requirements file.
if command -v flock >/dev/null 2>&1; then
  exec 9<"$REQ"
  flock 9
fi

venv_ok() {
  [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1 \
    && "$VENV/bin/python" -m pip --version >/dev/null 2>&1
}

apt_install() {
  # apt_install PKG... : only as root on apt-based systems, non-interactive.
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    return 1
  fi
  log "installing Debian packages: $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || return 1
  apt-get install -y -qq --no-install-recommends "$@" >&2
}

req_hash() {  # hash of requirements.txt + exact interpreter of the venv
  { sha256sum "$REQ" | cut -d' ' -f1; "$VENV/bin/python" -VV 2>&1; } | sha256sum | cut -d' ' -f1
}

# Fast path: venv interpreter works and the stamp matches.
if [ -x "$VENV/bin/python" ] && [ -s "$STAMP" ] && [ "$(req_hash)" = "$(cat "$STAMP")" ]; then
  exit 0
fi

if ! venv_ok; then
  command -v "$PYTHON" >/dev/null 2>&1 || die "'$PYTHON' not found; install Python 3.11 (or set PYTHON=/path/to/python3)"
  "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' \
    || die "$("$PYTHON" -V 2>&1) is too old; need Python >= 3.9 (3.11 recommended)"
  # Debian/Ubuntu split venv/ensurepip out of python3 into python3-venv / python3.X-venv.
  if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    pyver="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    apt_install python3-venv "python${pyver}-venv" || apt_install python3-venv \
      || die "'$PYTHON -m venv' is unavailable (no ensurepip). Install python3-venv (e.g. apt-get install python3-venv)."
  fi
  log "creating $VENV with $("$PYTHON" -V 2>&1)"
  "$PYTHON" -m venv "$VENV" >&2 || die "'$PYTHON -m venv $VENV' failed"
  venv_ok || die "$VENV was created but its python/pip does not work"
  rm -f "$STAMP"
fi

want="$(req_hash)"
have="$(cat "$STAMP" 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
  log "installing $(basename "$REQ") into $VENV (requirements changed)"
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install -q --no-input -r "$REQ" >&2 \
    || die "pip install -r $REQ failed (see pip output above)"
  echo "$want" >"$STAMP"
  log "venv ready"
fi
exit 0
