#!/usr/bin/env bash
# Provision and run the three real Milvus servers used by the integration tests.
#
#   scripts/servers.sh start|stop|status|restart [standalone|lite|lite3|all|secure]  (default: all)
#
#   standalone  Milvus 2.3.5 standalone (`milvus-server` from pip package milvus==2.3.5, run via
#               .servers/milvus-server-loopback.py, see write_loopback_launcher), gRPC on
#               127.0.0.1:${MILVUS_PORT:-19530}; embedded etcd on 127.0.0.1:2379/2380; every
#               component advertises 127.0.0.1 (X.ip=127.0.0.1). NB: Milvus 2.3.5 has no listen-address
#               setting, so its gRPC/HTTP listeners bind the wildcard address (*:PORT); only etcd
#               is bound to 127.0.0.1. One instance per machine (fixed etcd ports).
#               `start` returns once a collection can be created, loaded, searched and dropped.
#   lite        Milvus Lite 2.5.1 (binary shipped in milvus-lite==2.5.1), gRPC bound to
#               127.0.0.1:${MILVUS_LITE_PORT:-19531} only.
#   lite3       Milvus Lite 3.2.2 (pure-Python gRPC server of milvus-lite==3.2.2, with the Milvus
#               2.5/2.6 features: BM25 functions, nullable fields, text_match, ...), run as
#               `python -m milvus_lite server` from its own venv .venv-lite3 (scripts/venv.sh lite3:
#               it cannot share a venv with milvus-lite 2.5.1), bound to
#               127.0.0.1:${MILVUS_LITE3_PORT:-19532} only.
#
#   secure      (not part of `all`) a second Milvus 2.3.5 standalone with authorization and TLS,
#               beside the shared one: every port moved (gRPC https://127.0.0.1:${MILVUS_SECURE_PORT:-19550},
#               embedded etcd on 2479/2480 through an etcd config file named by ETCD_CONFIG_PATH --
#               milvus-server has no switch for etcd's peer port). TLS mode from
#               MILVUS_SECURE_TLS_MODE: 1 = server certificate only (default), 2 = mutual TLS.
#               Certificates from scripts/certs.sh (.servers/certs). Each start begins with empty
#               data, so the root password is the default root:Milvus. Starting it with the
#               other TLS mode restarts it.
#
# `start` prints, on stdout, one KEY=VALUE line per started server (all progress goes to stderr):
#   MILVUS_URI=http://127.0.0.1:19530
#   MILVUS_LITE_URI=http://127.0.0.1:19531
#   MILVUS_LITE3_URI=http://127.0.0.1:19532
#   (secure: MILVUS_SECURE_URI=https://127.0.0.1:19550, MILVUS_CERTS_DIR=..., MILVUS_SECURE_TLS_MODE=1)
# so `scripts/servers.sh start >>"$GITHUB_ENV"` or `eval "$(scripts/servers.sh start)"` works.
#
# State, data and logs live in $ROOT/.servers/ (git-ignored):
#   standalone.{pid,port,log} standalone/{bin,configs,data,logs}  (logs/milvus-stdout.log = server log)
#   lite.{pid,port,log}       lite/milvus.db
#   lite3.{pid,port,log}      lite3/data/
#   secure.{pid,port,mode,log} secure/{bin,configs,data,logs,etcd.yaml}   certs/ (scripts/certs.sh)
# (pid = process-group id; delete .servers/ while stopped to reset all data.)
#
# Environment:
#   MILVUS_PORT (19530)  MILVUS_LITE_PORT (19531)  MILVUS_LITE3_PORT (19532)
#   MILVUS_START_TIMEOUT (180 s)
#   MILVUS_STOP_TIMEOUT (20 s, then SIGKILL)  MILVUS_GRACEFUL_STOP_TIMEOUT (3 s, Milvus-internal)
#   MILVUS_LOG_LEVEL (info; standalone)  MILVUS_LITE_LOG_LEVEL (ERROR)
#   MILVUS_SECURE_PORT (19550)  MILVUS_SECURE_TLS_MODE (1)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.servers"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
PY_LITE3="$ROOT/.venv-lite3/bin/python"

MILVUS_PORT="${MILVUS_PORT:-19530}"
MILVUS_LITE_PORT="${MILVUS_LITE_PORT:-19531}"
MILVUS_LITE3_PORT="${MILVUS_LITE3_PORT:-19532}"
START_TIMEOUT="${MILVUS_START_TIMEOUT:-180}"
STOP_TIMEOUT="${MILVUS_STOP_TIMEOUT:-20}"

# Fixed ports of the standalone's internal components. They are all passed explicitly because
# milvus-server silently moves a component to the next free port when its port is taken.
# queryCoord defaults to 19531 in milvus-server, which collides with Lite: moved to 19541.
ETCD_PORT=2379          # the embedded etcd also listens on 2380 (peer URL, not configurable here)
ETCD_PEER_PORT=2380
PROXY_INTERNAL_PORT=19529
ROOT_COORD_PORT=53100
QUERY_COORD_PORT=19541
QUERY_NODE_PORT=21123
INDEX_NODE_PORT=21121
INDEX_COORD_PORT=22930  # config only (bindIndexNodeMode is disabled), nothing listens on it
DATA_COORD_PORT=13333
DATA_NODE_PORT=21124
# (+ /healthz & metrics HTTP on 9091: milvus-server takes the first free port >= 9091 by itself)
STANDALONE_PORTS="$MILVUS_PORT $PROXY_INTERNAL_PORT $ETCD_PORT $ETCD_PEER_PORT $ROOT_COORD_PORT $QUERY_COORD_PORT $QUERY_NODE_PORT $INDEX_NODE_PORT $DATA_COORD_PORT $DATA_NODE_PORT"

STANDALONE_URI="http://127.0.0.1:$MILVUS_PORT"

# The secure instance: the same components on other ports, so it runs beside the shared one.
MILVUS_SECURE_PORT="${MILVUS_SECURE_PORT:-19550}"
SECURE_TLS_MODE="${MILVUS_SECURE_TLS_MODE:-1}"
SECURE_ETCD_PORT=2479
SECURE_ETCD_PEER_PORT=2480
SECURE_PROXY_INTERNAL_PORT=19549
SECURE_ROOT_COORD_PORT=53110
SECURE_QUERY_COORD_PORT=19561
SECURE_QUERY_NODE_PORT=21133
SECURE_INDEX_NODE_PORT=21131
SECURE_INDEX_COORD_PORT=22940
SECURE_DATA_COORD_PORT=13343
SECURE_DATA_NODE_PORT=21134
SECURE_PORTS="$MILVUS_SECURE_PORT $SECURE_PROXY_INTERNAL_PORT $SECURE_ETCD_PORT $SECURE_ETCD_PEER_PORT $SECURE_ROOT_COORD_PORT $SECURE_QUERY_COORD_PORT $SECURE_QUERY_NODE_PORT $SECURE_INDEX_NODE_PORT $SECURE_DATA_COORD_PORT $SECURE_DATA_NODE_PORT"
SECURE_URI="https://127.0.0.1:$MILVUS_SECURE_PORT"
CERTS="$STATE/certs"
LITE_URI="http://127.0.0.1:$MILVUS_LITE_PORT"
LITE3_URI="http://127.0.0.1:$MILVUS_LITE3_PORT"

log() { echo "servers.sh: $*" >&2; }
die() { echo "servers.sh: ERROR: $*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

usage() {
  echo "usage: $0 start|stop|status|restart [standalone|lite|lite3|all|secure]" >&2
  exit 2
}

# ---------------------------------------------------------------------------------------------
# Python helper (runs with the venv interpreter; stdlib + pymilvus only).
read -r -d '' HELPER <<'PYEOF' || true
import os, socket, sys, time

def proc_info(pid):
    try:
        exe = os.readlink(f"/proc/{pid}/exe")
    except OSError:
        exe = "?"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        cmd = "?"
    return exe, cmd

def listeners(ports):
    """[(port, pid, exe, cmdline)] of LISTEN tcp sockets on any address with these ports."""
    inodes = {}
    for fn in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(fn) as f:
                next(f)
                for line in f:
                    p = line.split()
                    if p[3] != "0A":
                        continue
                    port = int(p[1].rsplit(":", 1)[1], 16)
                    if port in ports:
                        inodes[p[9]] = port
        except OSError:
            pass
    out = []
    if not inodes:
        return out
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:[") and link[8:-1] in inodes:
                out.append((inodes[link[8:-1]], int(pid)) + proc_info(pid))
    # sockets whose owner we could not see
    seen = {o[0] for o in out}
    out += [(port, 0, "?", "?") for port in set(inodes.values()) - seen]
    return sorted(set(out))

def bind_free(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # like Go listeners (ignore TIME_WAIT)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()

def group_procs(pgid):
    res = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                st = f.read()
        except OSError:
            continue
        fields = st[st.rindex(")") + 2:].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            res.append((int(pid), st[st.index("(") + 1:st.rindex(")")]))
    return res

# Extra MilvusClient arguments (token, TLS files) for the secure instance, as JSON.
KW = __import__("json").loads(os.environ.get("MILVUS_HELPER_KWARGS") or "{}")

def healthy(uri, timeout=5.0):
    """A real gRPC round trip: MilvusClient(uri).list_collections()."""
    import logging
    logging.disable(logging.CRITICAL)
    try:
        from pymilvus import MilvusClient
        c = MilvusClient(uri=uri, timeout=timeout, **KW)
        try:
            c.list_collections(timeout=timeout)
        finally:
            try:
                c.close()
            except Exception:
                pass
        return True, ""
    except Exception as e:  # noqa
        return False, f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300]

def warm_up(uri, timeout):
    """Create (+index +load), insert, search and drop a tiny collection: after a restart Milvus
    2.3.5 answers list_collections() long before it can load anything (it first recovers the
    collections that were loaded and waits for the previous run's node sessions to expire)."""
    import logging
    logging.disable(logging.CRITICAL)
    name = "servers_sh_warmup"
    try:
        from pymilvus import MilvusClient
        c = MilvusClient(uri=uri, timeout=10, **KW)
        try:
            if c.has_collection(name, timeout=10):
                c.drop_collection(name, timeout=10)
            c.create_collection(name, dimension=2, consistency_level="Strong", timeout=timeout)
            c.insert(name, [{"id": 1, "vector": [0.5, 0.5]}], timeout=timeout)
            c.search(name, data=[[0.5, 0.5]], limit=1, timeout=timeout)
            c.drop_collection(name, timeout=10)
        finally:
            try:
                c.close()
            except Exception:
                pass
        return True, ""
    except Exception as e:  # noqa
        return False, f"warm-up: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300]

def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "listeners":                     # listeners PORT...
        for port, pid, exe, cmdline in listeners({int(p) for p in args}):
            print(f"{port}\t{pid}\t{exe}\t{cmdline}")
    elif cmd == "busy":                        # busy PORT...  -> prints busy ports
        ports = [int(p) for p in args]
        held = {l[0] for l in listeners(set(ports))}
        print(" ".join(str(p) for p in ports if p in held or not bind_free(p)))
    elif cmd == "group":                       # group PGID -> "pid comm" lines
        for pid, comm in group_procs(int(args[0])):
            print(pid, comm)
    elif cmd == "health":                      # health URI [TIMEOUT]
        ok, err = healthy(args[0], float(args[1]) if len(args) > 1 else 5.0)
        if not ok:
            print(err)
        sys.exit(0 if ok else 1)
    elif cmd == "wait":                        # wait URI TIMEOUT PGID BINCOMM [warmup]
        uri, timeout, pgid, comm = args[0], float(args[1]), int(args[2]), args[3]
        warm = args[4:] == ["warmup"]
        deadline = time.monotonic() + timeout
        seen_bin, err = False, ""
        while True:
            procs = group_procs(pgid)
            if not procs:
                print(f"process group {pgid} exited"); sys.exit(2)
            has_bin = any(c == comm for _, c in procs)
            if seen_bin and not has_bin:
                print(f"the '{comm}' server process died"); sys.exit(2)
            seen_bin |= has_bin
            if has_bin:
                ok, err = healthy(uri, 5.0)
                if ok and warm:
                    ok, err = warm_up(uri, max(5.0, deadline - time.monotonic()))
                if ok:
                    sys.exit(0)
            if time.monotonic() > deadline:
                print(f"not healthy after {timeout:.0f}s; last error: {err}"); sys.exit(1)
            time.sleep(1)
    else:
        sys.exit(f"unknown helper command {cmd}")

main()
PYEOF

helper() { "$PY" -c "$HELPER" "$@"; }
# helper_for NAME ARGS... : the helper with the credentials and TLS files that NAME needs.
helper_for() {
  local name="$1" kw="" mode
  shift
  if [ "$name" = secure ]; then
    mode="$(cat "$STATE/secure.mode" 2>/dev/null || echo "$SECURE_TLS_MODE")"
    kw="{\"token\": \"root:Milvus\", \"server_name\": \"localhost\", \"ca_pem_path\": \"$CERTS/ca.pem\""
    if [ "$mode" = 2 ]; then
      kw="$kw, \"client_pem_path\": \"$CERTS/client.pem\", \"client_key_path\": \"$CERTS/client.key\"}"
    else
      kw="$kw, \"server_pem_path\": \"$CERTS/ca.pem\"}"
    fi
  fi
  MILVUS_HELPER_KWARGS="$kw" helper "$@"
}

# ---------------------------------------------------------------------------------------------
# Debian packages for shared libraries the bundled binaries cannot find.
APT_UPDATED=0
lib_pkg() {
  case "$1" in
    libstdc++.so.6) echo libstdc++6 ;;
    libgcc_s.so.1) echo libgcc-s1 ;;
    libgomp.so.1) echo libgomp1 ;;
    libgfortran.so.5) echo libgfortran5 ;;
    libquadmath.so.0) echo libquadmath0 ;;
    libatomic.so.1) echo libatomic1 ;;
    libz.so.1) echo zlib1g ;;
    libtbb.so.12) echo libtbb12 ;;
    libopenblas.so.0) echo libopenblas0 ;;
    libhwloc.so.15) echo libhwloc15 ;;
    libdouble-conversion.so.3) echo libdouble-conversion3 ;;
    libgflags*) echo libgflags2.2 ;;
    libglog.so.*) echo libgoogle-glog0v6 ;;
    libm.so.*|libc.so.*|libdl.so.*|libpthread.so.*|librt.so.*|libresolv.so.*) echo libc6 ;;
    *) return 1 ;;
  esac
}

ensure_libs() {  # ensure_libs BINARY LIBDIR
  local bin="$1" libdir="$2" missing pkgs="" lib pkg
  missing="$(LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ldd "$bin" 2>/dev/null \
    | awk '/not found/ { print $1 }' | sort -u)"
  [ -z "$missing" ] && return 0
  for lib in $missing; do
    pkg="$(lib_pkg "$lib")" || die "$bin needs $lib, which is missing and has no known Debian package"
    pkgs="$pkgs $pkg"
  done
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    die "$bin needs missing libraries ($(echo $missing)); install:$pkgs"
  fi
  export DEBIAN_FRONTEND=noninteractive
  if [ "$APT_UPDATED" = 0 ]; then
    log "apt-get update"
    apt-get update -qq >&2 || die "apt-get update failed"
    APT_UPDATED=1
  fi
  log "installing missing libraries ($(echo $missing)):$pkgs"
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $pkgs >&2 || die "apt-get install$pkgs failed"
  missing="$(LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ldd "$bin" 2>/dev/null \
    | awk '/not found/ { print $1 }' | sort -u)"
  [ -z "$missing" ] || die "$bin still misses: $(echo $missing)"
}

# ---------------------------------------------------------------------------------------------
pidfile() { echo "$STATE/$1.pid"; }
read_pid() { local f; f="$(pidfile "$1")"; [ -s "$f" ] && tr -dc '0-9' <"$f" || true; }
group_alive() {  # group_alive PGID : some non-zombie process is in that process group
  local pg="$1" f st a
  [ -n "$pg" ] && kill -0 -- "-$pg" 2>/dev/null || return 1
  for f in /proc/[0-9]*/stat; do
    { read -r st <"$f"; } 2>/dev/null || continue  # (the process may be gone already)
    st="${st##*) }"
    read -r -a a <<<"$st"
    [ "${a[2]:-}" = "$pg" ] && [ "${a[0]}" != Z ] && return 0
  done
  return 1
}
uri_of() {
  case "$1" in
    standalone) echo "$STANDALONE_URI" ;; secure) echo "$SECURE_URI" ;; lite3) echo "$LITE3_URI" ;;
    *) echo "$LITE_URI" ;;
  esac
}
ports_of() {
  case "$1" in
    standalone) echo "$STANDALONE_PORTS" ;; secure) echo "$SECURE_PORTS" ;; lite3) echo "$MILVUS_LITE3_PORT" ;;
    *) echo "$MILVUS_LITE_PORT" ;;
  esac
}
# Milvus 2.3.5 standalone-like instances (many ports, a warm-up, Milvus's own logs) vs the Lites.
is_standalone() { [ "$1" = standalone ] || [ "$1" = secure ]; }
# The process name (comm) of the server process in its process group.
comm_of() { if [ "$1" = lite3 ]; then echo python; else echo milvus; fi; }
logs_of() {
  if is_standalone "$1"; then
    echo "$STATE/$1.log $STATE/$1/logs/milvus-stdout.log $STATE/$1/logs/milvus-stderr.log"
  else
    echo "$STATE/$1.log"
  fi
}
# Is PID a server process of this checkout (even if its pid file was lost)?
ours() {  # ours NAME PID
  local exe
  exe="$(readlink "/proc/$2/exe" 2>/dev/null)" || return 1
  if is_standalone "$1"; then
    [ "$exe" = "$STATE/$1/bin/milvus" ]
  elif [ "$1" = lite3 ]; then
    # a Python interpreter running `milvus_lite server` on our data directory
    local cmd
    cmd="$(tr '\0' ' ' <"/proc/$2/cmdline" 2>/dev/null)" || return 1
    case "$cmd" in *" -m milvus_lite server "*" --data-dir $STATE/lite3/data "*) return 0 ;; *) return 1 ;; esac
  else
    # the venv's Lite binary is also used by pymilvus for local .db files: only ours if it serves our db
    [ "$exe" = "$LITE_LIB/milvus" ] && tr '\0' ' ' <"/proc/$2/cmdline" 2>/dev/null | grep -qF " $STATE/lite/milvus.db "
  fi
}

# `milvus-server` (milvus==2.3.5) probes every port by binding 127.0.0.1:PORT *without*
# SO_REUSEADDR and silently moves a component to PORT+1 when that fails -- which it does for a
# minute after every stop because of TIME_WAIT connections (seen: etcd.endpoints rewritten to
# localhost:2380 = etcd's *peer* port, proxy moved off 19530). This launcher runs the very same
# `milvus-server` entry point (milvus.main) with the probe using SO_REUSEADDR, like the Go
# listeners of the server itself; ports really in use are rejected by check_ports_free before.
write_loopback_launcher() {
  cat >"$STATE/milvus-server-loopback.py" <<'PYEOF'
# Generated by scripts/servers.sh: `milvus-server` with a TIME_WAIT-tolerant port probe.
import socket
import sys

import milvus


def try_bind_port(self, port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
        sock.listen()
        return sock
    except OSError:
        sock.close()
        return None


milvus.MilvusServerConfig.try_bind_port = try_bind_port
sys.argv[0] = "milvus-server"
sys.exit(milvus.main())
PYEOF
}

# After a start: every component must listen on the port it was given, and the config must point
# at our etcd (guards against milvus-server's silent port shifting).
verify_standalone_ports() {  # verify_standalone_ports [NAME] (standalone or secure)
  local name="${1:-standalone}" held p missing="" cfg etcd_port="$ETCD_PORT"
  cfg="$STATE/$name/configs/milvus.yaml"
  [ "$name" = secure ] && etcd_port="$SECURE_ETCD_PORT"
  held="$(helper listeners $(ports_of "$name") | awk -F'\t' -v exe="$STATE/$name/bin/milvus" '$3 == exe { print $1 }')"
  for p in $(ports_of "$name"); do
    echo "$held" | grep -qx "$p" || missing="$missing $p"
  done
  grep -qE "^  endpoints: localhost:$etcd_port\b" "$cfg" || missing="$missing etcd.endpoints($(grep -m1 -E '^  endpoints:' "$cfg" | tr -d ' '))"
  [ -z "$missing" ] && return 0
  log "$name: not listening/configured as expected:$missing (see $cfg)"
  return 1
}

show_logs() {
  local f
  for f in $(logs_of "$1"); do
    [ -s "$f" ] || continue
    echo "----- tail -n 40 $f -----" >&2
    tail -n 40 "$f" >&2
  done
  echo "-----" >&2
}

# Launch CMD... detached in its own session; the session leader writes its pid (= pgid) itself,
# which stays correct even when setsid has to fork.
launch() {  # launch NAME LOGFILE CWD CMD...
  local name="$1" logf="$2" cwd="$3" pf i
  shift 3
  pf="$(pidfile "$name")"
  rm -f "$pf"
  # 8>&- : the long-lived server must not inherit (and keep holding) servers.sh's flock fd.
  ( cd "$cwd" && exec setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pf" "$@" ) \
    >"$logf" 2>&1 </dev/null 8>&- &
  for i in $(seq 1 100); do
    [ -s "$pf" ] && return 0
    sleep 0.1
  done
  die "$name: could not launch (no pid file), see $logf"
}

check_ports_free() {  # check_ports_free NAME
  local busy
  busy="$(helper busy $(ports_of "$1"))"
  [ -z "$busy" ] && return 0
  log "$1: ports already in use: $busy"
  helper listeners $busy | awk -F'\t' '{ printf "  port %s: pid %s %s\n", $1, $2, $4 }' >&2 || true
  die "$1: cannot start, port(s) $busy busy (another Milvus? try '$0 stop $1', or set MILVUS_PORT / MILVUS_LITE_PORT)"
}

# The port a running server was started with (kept next to its pid file).
port_file() { echo "$STATE/$1.port"; }
check_same_port() {  # check_same_port NAME : die if the running instance uses another port
  local want have
  want="$(uri_of "$1")"; want="${want##*:}"
  have="$(cat "$(port_file "$1")" 2>/dev/null || echo "$want")"
  [ "$have" = "$want" ] || die "$1 is running on port $have, not $want: run '$0 stop $1' first (with the same MILVUS_PORT/MILVUS_LITE_PORT as at start)"
}

# The secure instance (see the header): fresh data, moved ports, authorization, TLS.
start_secure() {
  local data="$STATE/secure" x extra=()
  case "$SECURE_TLS_MODE" in 1|2) ;; *) die "MILVUS_SECURE_TLS_MODE must be 1 or 2, not '$SECURE_TLS_MODE'" ;; esac
  "$ROOT/scripts/certs.sh" "$CERTS" >/dev/null || die "secure: making test certificates failed"
  rm -rf "$data/configs" "$data/data" "$data/logs" "$data/run"
  mkdir -p "$data"
  "$PY" -c 'import sys, milvus; milvus._initialize_data_files(sys.argv[1])' "$data" \
    || die "secure: unpacking milvus binaries into $data/bin failed"
  ensure_libs "$data/bin/milvus" "$data/bin"
  # Milvus reads etcd.config.path from ETCD_CONFIG_PATH and gives that file to its embedded etcd:
  # the only way to move etcd's peer port (2380) off the shared instance's.
  cat >"$data/etcd.yaml" <<EOF
name: default
listen-client-urls: http://127.0.0.1:$SECURE_ETCD_PORT
advertise-client-urls: http://127.0.0.1:$SECURE_ETCD_PORT
listen-peer-urls: http://127.0.0.1:$SECURE_ETCD_PEER_PORT
initial-advertise-peer-urls: http://127.0.0.1:$SECURE_ETCD_PEER_PORT
initial-cluster: default=http://127.0.0.1:$SECURE_ETCD_PEER_PORT
EOF
  for x in rootCoord proxy queryCoord queryNode indexNode dataCoord dataNode; do
    extra+=(--extra-config "$x.ip=127.0.0.1")
  done
  extra+=(--extra-config "log.level=${MILVUS_LOG_LEVEL:-info}")
  extra+=(--extra-config "common.gracefulStopTimeout=${MILVUS_GRACEFUL_STOP_TIMEOUT:-3}")
  log "secure: starting Milvus 2.3.5 on 127.0.0.1:$MILVUS_SECURE_PORT (authorization, TLS mode $SECURE_TLS_MODE; data: $data)"
  write_loopback_launcher
  echo "$SECURE_TLS_MODE" >"$STATE/secure.mode"
  launch secure "$STATE/secure.log" "$data" \
    env ETCD_CONFIG_PATH="$data/etcd.yaml" \
    "$PY" "$STATE/milvus-server-loopback.py" --data "$data" \
    --proxy-port "$MILVUS_SECURE_PORT" --proxy-internal-port "$SECURE_PROXY_INTERNAL_PORT" \
    --etcd-port "$SECURE_ETCD_PORT" --root-coord-port "$SECURE_ROOT_COORD_PORT" \
    --query-coord-port "$SECURE_QUERY_COORD_PORT" --query-node-port "$SECURE_QUERY_NODE_PORT" \
    --index-coord-port "$SECURE_INDEX_COORD_PORT" --index-node-port "$SECURE_INDEX_NODE_PORT" \
    --data-coord-port "$SECURE_DATA_COORD_PORT" --data-node-port "$SECURE_DATA_NODE_PORT" \
    --authorization-enabled true --tls-mode "$SECURE_TLS_MODE" \
    --server-pem-path "$CERTS/server.pem" --server-key-path "$CERTS/server.key" \
    --ca-pem-path "$CERTS/ca.pem" \
    "${extra[@]}"
}

start_one() {
  local name="$1" uri pgid t0 rc out
  uri="$(uri_of "$name")"
  mkdir -p "$STATE"
  pgid="$(read_pid "$name")"
  if [ "$name" = secure ] && group_alive "$pgid" \
      && [ "$(cat "$STATE/secure.mode" 2>/dev/null)" != "$SECURE_TLS_MODE" ]; then
    log "secure: running with TLS mode $(cat "$STATE/secure.mode" 2>/dev/null), restarting it with mode $SECURE_TLS_MODE"
    stop_one secure
  fi
  if group_alive "$pgid"; then
    check_same_port "$name"
    if helper_for "$name" health "$uri" 5 >/dev/null; then
      log "$name: already running and healthy (pgid $pgid) at $uri"
      return 0
    fi
    if [ -n "$(helper group "$pgid" | awk -v c="$(comm_of "$name")" '$2 == c')" ]; then
      log "$name: running (pgid $pgid) but not healthy yet; waiting up to ${START_TIMEOUT}s"
      t0="$(now)"
      if out="$(helper_for "$name" wait "$uri" "$START_TIMEOUT" "$pgid" "$(comm_of "$name")" "$(is_standalone "$name" && echo warmup)")"; then
        log "$name: healthy after $(elapsed "$t0")s at $uri"
        return 0
      fi
      log "$name: $out"
    fi
    log "$name: unhealthy instance (pgid $pgid), restarting it"
    stop_one "$name"
  fi

  t0="$(now)"
  check_ports_free "$name"
  if [ "$name" = secure ]; then
    start_secure
  elif [ "$name" = standalone ]; then
    local data="$STATE/standalone" x extra=()
    mkdir -p "$data"
    # milvus-server unpacks its .lzma binaries into DATA/bin on every start (skipped when the md5
    # stamp matches); do it up front so we can check the shared libraries before launching.
    "$PY" -c 'import sys, milvus; milvus._initialize_data_files(sys.argv[1])' "$data" \
      || die "standalone: unpacking milvus binaries into $data/bin failed"
    ensure_libs "$data/bin/milvus" "$data/bin"
    for x in rootCoord proxy queryCoord queryNode indexNode dataCoord dataNode; do
      extra+=(--extra-config "$x.ip=127.0.0.1")
    done
    extra+=(--extra-config "log.level=${MILVUS_LOG_LEVEL:-info}")
    # On SIGTERM a query node with loaded collections waits gracefulStopTimeout (default 1800 s)
    # for its segments to move to another node -- there is none in standalone.
    extra+=(--extra-config "common.gracefulStopTimeout=${MILVUS_GRACEFUL_STOP_TIMEOUT:-3}")
    log "standalone: starting Milvus 2.3.5 on 127.0.0.1:$MILVUS_PORT (data: $data)"
    write_loopback_launcher
    launch standalone "$STATE/standalone.log" "$data" \
      "$PY" "$STATE/milvus-server-loopback.py" --data "$data" \
      --proxy-port "$MILVUS_PORT" --proxy-internal-port "$PROXY_INTERNAL_PORT" \
      --etcd-port "$ETCD_PORT" --root-coord-port "$ROOT_COORD_PORT" \
      --query-coord-port "$QUERY_COORD_PORT" --query-node-port "$QUERY_NODE_PORT" \
      --index-coord-port "$INDEX_COORD_PORT" --index-node-port "$INDEX_NODE_PORT" \
      --data-coord-port "$DATA_COORD_PORT" --data-node-port "$DATA_NODE_PORT" \
      "${extra[@]}"
  elif [ "$name" = lite3 ]; then
    local dir="$STATE/lite3"
    mkdir -p "$dir"
    log "lite3: starting Milvus Lite 3.2.2 on 127.0.0.1:$MILVUS_LITE3_PORT (data: $dir/data)"
    # -u: its log lines reach lite3.log as they are written
    launch lite3 "$STATE/lite3.log" "$dir" \
      "$PY_LITE3" -u -m milvus_lite server --host 127.0.0.1 --port "$MILVUS_LITE3_PORT" --data-dir "$dir/data"
  else
    local dir="$STATE/lite"
    mkdir -p "$dir"
    ensure_libs "$LITE_LIB/milvus" "$LITE_LIB"
    log "lite: starting Milvus Lite 2.5.1 on 127.0.0.1:$MILVUS_LITE_PORT (db: $dir/milvus.db)"
    # argv as in milvus_lite/server.py for a TCP address: milvus DBFILE ADDRESS LOG_LEVEL
    # (the 5th "lock file" argument is only used in its unix-socket mode).
    # (the binary aborts with "basic_string: construction from null" when HOME is unset)
    HOME="${HOME:-$dir}" LD_LIBRARY_PATH="$LITE_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
      launch lite "$STATE/lite.log" "$dir" \
      "$LITE_LIB/milvus" "$dir/milvus.db" "127.0.0.1:$MILVUS_LITE_PORT" "${MILVUS_LITE_LOG_LEVEL:-ERROR}"
  fi
  pgid="$(read_pid "$name")"
  echo "${uri##*:}" >"$(port_file "$name")"
  rc=0
  # standalone: also wait until a collection can really be created, loaded and searched
  out="$(helper_for "$name" wait "$uri" "$START_TIMEOUT" "$pgid" "$(comm_of "$name")" "$(is_standalone "$name" && echo warmup)")" || rc=$?
  if [ "$rc" != 0 ]; then
    log "$name: start FAILED: $out"
    show_logs "$name"
    stop_one "$name" || true
    exit 1
  fi
  if is_standalone "$name" && ! verify_standalone_ports "$name"; then
    show_logs "$name"
    stop_one "$name" || true
    exit 1
  fi
  log "$name: healthy after $(elapsed "$t0")s at $uri (pgid $pgid)"
}

kill_and_wait() {  # kill_and_wait TIMEOUT PID... : SIGTERM, wait, SIGKILL
  local timeout="$1" i p alive
  shift
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  for i in $(seq 1 $((timeout * 5))); do
    alive=""
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
    [ -z "$alive" ] && return 0
    sleep 0.2
  done
  log "still alive after ${timeout}s, sending SIGKILL to:$alive"
  # shellcheck disable=SC2086
  kill -KILL $alive 2>/dev/null || true
  sleep 0.5
}

stop_one() {
  local name="$1" pgid i t0 strays p exe cmd port ports
  t0="$(now)"
  pgid="$(read_pid "$name")"
  # ports to clean up: those of the running instance if known, else the configured ones
  ports="$(ports_of "$name")"
  if ! is_standalone "$name" && [ -s "$(port_file "$name")" ]; then ports="$(cat "$(port_file "$name")")"; fi
  if is_standalone "$name" && [ -s "$(port_file "$name")" ]; then
    ports="$(cat "$(port_file "$name")") ${ports#* }"
  fi
  if group_alive "$pgid"; then
    log "$name: stopping (pgid $pgid)"
    local slog="$STATE/$name/logs/milvus-stdout.log" off=0 nodes_down=""
    is_standalone "$name" && off="$(stat -c %s "$slog" 2>/dev/null || echo 0)"
    kill -TERM -- "-$pgid" 2>/dev/null || true
    # The secure instance's data is thrown away at its next start: no point waiting long.
    local wait_s="$STOP_TIMEOUT"
    [ "$name" = secure ] && wait_s=5
    for i in $(seq 1 $((wait_s * 5))); do
      group_alive "$pgid" || break
      # Milvus 2.3.5 standalone: once coordinators and nodes are down (data flushed), stopping the
      # proxy often hangs forever (it keeps retrying the stopped rootcoord): don't wait 20 s for it.
      if is_standalone "$name" && [ -z "$nodes_down" ] \
          && tail -c +"$((off + 1))" "$slog" 2>/dev/null | grep -q '"All nodes have stopped"'; then
        nodes_down="$i"
      fi
      if [ -n "$nodes_down" ] && [ "$((i - nodes_down))" -ge 15 ]; then
        log "$name: all components stopped but the proxy hangs (Milvus 2.3 quirk), sending SIGKILL"
        kill -KILL -- "-$pgid" 2>/dev/null || true
        for i in $(seq 1 25); do group_alive "$pgid" || break; sleep 0.2; done
        break
      fi
      sleep 0.2
    done
    if group_alive "$pgid"; then
      log "$name: still running after ${wait_s}s, sending SIGKILL"
      kill -KILL -- "-$pgid" 2>/dev/null || true
      for i in $(seq 1 25); do group_alive "$pgid" || break; sleep 0.2; done
    fi
    group_alive "$pgid" && die "$name: process group $pgid survived SIGKILL"
  fi
  rm -f "$(pidfile "$name")" "$(port_file "$name")"
  [ "$name" = secure ] && rm -f "$STATE/secure.mode"

  # Strays: any milvus/etcd/milvus-server process (e.g. from a lost pid file or a crashed wrapper)
  # still holding one of this server's ports, or running one of this checkout's binaries.
  strays=""
  while IFS=$'\t' read -r port p exe cmd; do
    [ -n "$p" ] && [ "$p" != 0 ] || continue
    case "$(basename "$exe") $cmd" in
      milvus\ *|etcd\ *|*milvus-server*|*milvus_lite*) strays="$strays $p" ;;  # incl. milvus-server-loopback.py
      *) log "$name: WARNING: port $port is held by a non-Milvus process (pid $p: $cmd), leaving it alone" ;;
    esac
  done < <(helper listeners $ports)
  for p in $(ls /proc | grep -E '^[0-9]+$'); do
    if ours "$name" "$p"; then strays="$strays $p"; fi
  done
  strays="$(echo $strays | tr ' ' '\n' | sort -un | tr '\n' ' ')"
  if [ -n "${strays// /}" ]; then
    log "$name: killing stray Milvus processes:$(for p in $strays; do echo -n " $p($(cat /proc/$p/comm 2>/dev/null))"; done)"
    # shellcheck disable=SC2086
    kill_and_wait "$STOP_TIMEOUT" $strays
  fi
  log "$name: stopped ($(elapsed "$t0")s)"
}

status_one() {  # prints one line, returns 0 if healthy
  local name="$1" uri pgid err busy
  uri="$(uri_of "$name")"
  pgid="$(read_pid "$name")"
  if group_alive "$pgid"; then
    uri="${uri%:*}:$(cat "$(port_file "$name")" 2>/dev/null || echo "${uri##*:}")"
    if err="$(helper_for "$name" health "$uri" 5)"; then
      echo "$name: running, healthy   $uri (pgid $pgid)"
      return 0
    fi
    echo "$name: running, UNHEALTHY $uri (pgid $pgid): $err"
    return 1
  fi
  busy="$(helper busy "${uri##*:}")"
  if [ -n "$busy" ]; then
    echo "$name: stopped (but port ${uri##*:} is in use by another process, not managed by this script)"
  else
    echo "$name: stopped"
  fi
  return 1
}

# ---------------------------------------------------------------------------------------------
# Everything runs inside main() and the last line exits, so that editing this file while an
# instance runs (bash reads scripts incrementally) cannot make that instance execute stray lines.
env_line() {  # the KEY=VALUE line `start` prints for a server
  case "$1" in
    standalone) echo "MILVUS_URI=$STANDALONE_URI" ;;
    secure) echo "MILVUS_SECURE_URI=$SECURE_URI"; echo "MILVUS_CERTS_DIR=$CERTS"; echo "MILVUS_SECURE_TLS_MODE=$SECURE_TLS_MODE" ;;
    lite3) echo "MILVUS_LITE3_URI=$LITE3_URI" ;;
    *) echo "MILVUS_LITE_URI=$LITE_URI" ;;
  esac
}

main() {
  action="${1:-}"
  target="${2:-all}"
  [ $# -le 2 ] || usage
  case "$action" in start|stop|status|restart) ;; *) usage ;; esac
  case "$target" in
    all) servers="standalone lite lite3" ;;
    standalone|lite|lite3|secure) servers="$target" ;;
    *) usage ;;
  esac
  for p in "$MILVUS_PORT" "$MILVUS_LITE_PORT" "$MILVUS_LITE3_PORT" "$MILVUS_SECURE_PORT"; do
    case "$p" in ''|*[!0-9]*) die "invalid port '$p'" ;; esac
    [ "$p" -ge 1 ] && [ "$p" -le 65535 ] || die "invalid port '$p'"
  done
  for p in $STANDALONE_PORTS; do
    [ "$p" != "$MILVUS_LITE_PORT" ] || die "MILVUS_LITE_PORT=$MILVUS_LITE_PORT collides with a Milvus standalone port ($STANDALONE_PORTS)"
    [ "$p" != "$MILVUS_LITE3_PORT" ] || die "MILVUS_LITE3_PORT=$MILVUS_LITE3_PORT collides with a Milvus standalone port ($STANDALONE_PORTS)"
    for q in $SECURE_PORTS; do
      [ "$p" != "$q" ] || die "the secure instance's port $q collides with a standalone port ($STANDALONE_PORTS)"
    done
  done

  "$ROOT/scripts/venv.sh" >&2 || die "could not prepare the Python venv ($VENV)"
  LITE_LIB="$("$PY" -c 'import os, importlib.util as u; print(os.path.join(os.path.dirname(u.find_spec("milvus_lite").origin), "lib"))')" \
    || die "milvus_lite is not installed in $VENV"
  [ -x "$LITE_LIB/milvus" ] || die "Milvus Lite binary not found at $LITE_LIB/milvus"
  [ "$MILVUS_LITE_PORT" != "$MILVUS_LITE3_PORT" ] || die "MILVUS_LITE_PORT and MILVUS_LITE3_PORT are both $MILVUS_LITE_PORT"
  case " $servers " in
    *" lite3 "*)
      if [ "$action" = start ] || [ "$action" = restart ]; then
        "$ROOT/scripts/venv.sh" lite3 >&2 || die "could not prepare the Milvus Lite 3 venv ($ROOT/.venv-lite3)"
      fi
      ;;
  esac

  mkdir -p "$STATE"
  # One servers.sh at a time per checkout.
  if command -v flock >/dev/null 2>&1; then
    exec 8>"$STATE/.lock"
    flock -w 600 8 || die "another servers.sh holds $STATE/.lock for more than 600s"
  fi

  case "$action" in
    start)
      for s in $servers; do start_one "$s"; done
      for s in $servers; do env_line "$s"; done
      ;;
    stop)
      for s in $servers; do stop_one "$s"; done
      ;;
    restart)
      for s in $servers; do stop_one "$s"; done
      for s in $servers; do start_one "$s"; done
      for s in $servers; do env_line "$s"; done
      ;;
    status)
      rc=0
      for s in $servers; do status_one "$s" || rc=1; done
      exit "$rc"
      ;;
  esac
}

main "$@"; exit $?
