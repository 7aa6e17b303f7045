#!/usr/bin/env python3
"""libmilvus against the official Milvus clients, on one real server, in one run.

    .venv/bin/python benches/run.py [--quick] [--reps N] [--workloads W1,W2] [--clients a,b]
                                    [--no-build] [--uri URI]

Standard library only. Builds every client (unless --no-build), creates and loads the
collections, runs each client as its own process per workload, interleaving the clients in a
rotating order within each repetition, then prints one table per workload (medians with
min–max, ratios to libmilvus typed and to the floor) and writes benches/results/latest.md
and latest.json. Bench collections are dropped at the end. See benches/README.md.
"""
import argparse
import ctypes
import datetime
import json
import os
import platform
import random
import shutil
import statistics
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.path.join(HERE, "build")
RESULTS = os.path.join(HERE, "results")
VENV_PY = os.path.join(ROOT, ".venv", "bin", "python")
LIB = os.path.join(ROOT, "target", "release", "libmilvus.so")
RUST_TARGET = os.path.join(HERE, "target")
PREFIX = "libmilvus_bench_"
SEARCH_COLL, W1_COLL, W5_COLL = PREFIX + "search", PREFIX + "w1", PREFIX + "w5"

# name -> how to start it: argv prefix (then WORKLOAD URI TARGET key=value...).
CLIENTS = {
    "floor": [os.path.join(RUST_TARGET, "release", "floor_bench")],
    "libmilvus-typed": [os.path.join(BUILD, "bench_typed")],
    "libmilvus-json": [os.path.join(BUILD, "bench_json")],
    "libmilvus-typed-io": [os.path.join(BUILD, "bench_typed")],
    "libmilvus-json-io": [os.path.join(BUILD, "bench_json")],
    "rust-sdk": [os.path.join(RUST_TARGET, "release", "rust_sdk_bench")],
    "rust-sdk-ct": [os.path.join(RUST_TARGET, "release", "rust_sdk_bench")],
    "go-sdk": [os.path.join(BUILD, "go-bench")],
    "pymilvus": [VENV_PY, os.path.join(HERE, "py", "pymilvus_driver.py")],
}
LABELS = {
    "floor": "floor (raw tonic)",
    "libmilvus-typed": "libmilvus typed",
    "libmilvus-json": "libmilvus JSON",
    "libmilvus-typed-io": "libmilvus typed, I/O thread",
    "libmilvus-json-io": "libmilvus JSON, I/O thread",
    "rust-sdk": "Rust SDK 3.0.3",
    "rust-sdk-ct": "Rust SDK 3.0.3 (current_thread)",
    "go-sdk": "Go SDK",
    "pymilvus": "pymilvus",
}
# Extra arguments per client: the Rust SDK retries a failing call 75 times by default
# (minutes for a reply over its 4 MiB limit); 2 attempts surface the failure in seconds.
EXTRA = {"rust-sdk": ["retries=2"], "rust-sdk-ct": ["retries=2", "rt=current"]}
# Environment per client: libmilvus's other runtime model (src/runtime.rs), same binaries.
ENV = {"libmilvus-typed-io": {"MILVUS_RUNTIME": "io"}, "libmilvus-json-io": {"MILVUS_RUNTIME": "io"}}

FULL = {
    "reps": 5, "reps_w5": 3, "search_rows": 20000,
    "W1": {"rows": 50000, "batch": 5000, "dim": 128},
    "W2": {"n": 1000},
    "W3": {"n": 2000, "threads": 8},
    "W4": {"n": 10, "expect": 10000},
    "W5": {"rows": 200000, "batch": 20000, "dim": 768},
    "W6": {"n": 1000, "expect": 10000},
}
QUICK = {
    "reps": 1, "reps_w5": 1, "search_rows": 12000,
    "W1": {"rows": 10000, "batch": 5000, "dim": 128},
    "W2": {"n": 200},
    "W3": {"n": 400, "threads": 8},
    "W4": {"n": 2, "expect": 10000},
    "W5": {"rows": 40000, "batch": 20000, "dim": 768},
    "W6": {"n": 200, "expect": 10000},
}
WORKLOADS = {
    "W1": ("insert", "W1 insert: {rows} rows x {dim}-d float32 + int64 id + varchar tag, batches of {batch}"),
    "W2": ("search", "W2 sequential search: {n} searches, nq=1, top 10, output tag"),
    "W3": ("csearch", "W3 concurrent search: {threads} threads sharing one client, {n} searches"),
    "W4": ("query", "W4 bulk read: query returning {expect} rows with the vector field, x{n}"),
    "W5": ("memory", "W5 memory: {rows} rows x {dim}-d float32 in batches of {batch}"),
    "W6": ("mixed", "W6 searches beside a bulk reader: W2's {n} searches while another thread "
                    "repeats W4's {expect}-row query on the same client"),
}
# Which clients take part in which workload (the floor has nothing to say about memory).
TAKES_PART = {
    "W1": ["floor", "libmilvus-typed", "libmilvus-json", "libmilvus-typed-io", "rust-sdk", "go-sdk", "pymilvus"],
    "W2": ["floor", "libmilvus-typed", "libmilvus-json", "libmilvus-typed-io", "libmilvus-json-io", "rust-sdk", "rust-sdk-ct", "go-sdk", "pymilvus"],
    "W3": ["floor", "libmilvus-typed", "libmilvus-json", "libmilvus-typed-io", "libmilvus-json-io", "rust-sdk", "rust-sdk-ct", "go-sdk", "pymilvus"],
    "W4": ["floor", "libmilvus-typed", "libmilvus-json", "libmilvus-typed-io", "rust-sdk", "go-sdk", "pymilvus"],
    "W5": ["libmilvus-typed", "libmilvus-json", "libmilvus-typed-io", "rust-sdk", "go-sdk", "pymilvus"],
    "W6": ["libmilvus-typed", "libmilvus-typed-io"],
}
TIMEOUT = {"W1": 180, "W2": 180, "W3": 180, "W4": 180, "W5": 600, "W6": 300}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- building the clients

def sh(cmd, cwd=ROOT, env=None, timeout=1800):
    log("+ " + " ".join(cmd))
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run(cmd, cwd=cwd, env=e, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout


def build(unavailable):
    """Builds everything; a client whose build fails is recorded, not fatal."""
    os.makedirs(BUILD, exist_ok=True)
    for cmd, what in ((["scripts/venv.sh"], "pymilvus (.venv)"),
                      (["cargo", "build", "--release"], "libmilvus (release)"),
                      (["scripts/soname_link.sh", "target/release"], "the SONAME link")):
        rc, out = sh(cmd)
        if rc != 0:
            sys.exit("bench: %s failed:\n%s" % (what, out[-3000:]))
    cflags = ["cc", "-std=c11", "-O2", "-g", "-Wall", "-Wextra", "-Iinclude", "-Ibenches/c"]
    link = ["-Ltarget/release", "-lmilvus", "-lm", "-pthread",
            "-Wl,-rpath," + os.path.join(ROOT, "target", "release")]
    for name, src in (("libmilvus-json", "bench_json"), ("libmilvus-typed", "bench_typed")):
        rc, out = sh(cflags + ["benches/c/%s.c" % src, "-o", os.path.join(BUILD, src)] + link)
        if rc != 0:
            unavailable[name] = unavailable[name + "-io"] = "C driver does not build: " + first_error(out)
    rc, out = sh(["cargo", "build", "--release", "--manifest-path", "benches/rust/Cargo.toml"],
                 env={"CARGO_TARGET_DIR": RUST_TARGET})
    if rc != 0:
        for n in ("floor", "rust-sdk", "rust-sdk-ct"):
            unavailable[n] = "benches/rust does not build: " + first_error(out)
    rc, out = sh(["go", "build", "-buildvcs=false", "-o", os.path.join(BUILD, "go-bench"), "."],
                 cwd=os.path.join(HERE, "go"))
    if rc != 0:
        unavailable["go-sdk"] = "benches/go does not build: " + first_error(out)


def first_error(out):
    lines = [l for l in out.splitlines() if "error" in l.lower()]
    return (lines[0] if lines else out.strip().splitlines()[-1] if out.strip() else "?")[:300]


# ---------------------------------------------------------------- server set-up (libmilvus via ctypes)

class Buf(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("len", ctypes.c_size_t)]


class Admin:
    """Collections are made and dropped through libmilvus's JSON path (milvus_client_call)."""

    def __init__(self, uri):
        self.lib = lib = ctypes.CDLL(LIB)
        vp, cp = ctypes.c_void_p, ctypes.c_char_p
        lib.milvus_client_new.argtypes = [cp, cp, cp, cp, ctypes.c_double,
                                          ctypes.POINTER(vp), ctypes.POINTER(vp)]
        lib.milvus_client_call.argtypes = [vp, cp, cp, ctypes.POINTER(Buf), ctypes.POINTER(vp)]
        lib.milvus_error_message.argtypes = [vp]
        lib.milvus_error_message.restype = cp
        lib.milvus_error_free.argtypes = [vp]
        lib.milvus_buffer_free.argtypes = [ctypes.POINTER(Buf)]
        lib.milvus_client_free.argtypes = [vp]
        self.client, err = vp(), vp()
        if lib.milvus_client_new(uri.encode(), None, None, None, 300.0,
                                 ctypes.byref(self.client), ctypes.byref(err)) != 0:
            sys.exit("bench: cannot connect to %s: %s" % (uri, lib.milvus_error_message(err).decode()))

    def call(self, method, **args):
        buf, err = Buf(), ctypes.c_void_p()
        st = self.lib.milvus_client_call(self.client, method.encode(), json.dumps(args).encode(),
                                         ctypes.byref(buf), ctypes.byref(err))
        if st != 0:
            msg = self.lib.milvus_error_message(err).decode()
            self.lib.milvus_error_free(err)
            raise RuntimeError("%s: %s" % (method, msg))
        out = json.loads(ctypes.string_at(buf.data, buf.len))
        self.lib.milvus_buffer_free(ctypes.byref(buf))
        return out

    def recreate(self, name, dim):
        self.call("drop_collection", collection_name=name)
        self.call("create_collection", collection_name=name, consistency_level="Bounded", schema={
            "auto_id": False, "enable_dynamic_field": False,
            "fields": [
                {"name": "id", "type": "INT64", "is_primary": True},
                {"name": "vec", "type": "FLOAT_VECTOR", "params": {"dim": dim}},
                {"name": "tag", "type": "VARCHAR", "params": {"max_length": 64}},
            ]})

    def drop_all(self):
        for name in self.call("list_collections"):
            if name.startswith(PREFIX):
                self.call("drop_collection", collection_name=name)


def setup_search_collection(admin, rows, dim=128):
    """rows x dim random vectors, ids 0..rows-1, AUTOINDEX (L2), flushed, loaded."""
    admin.recreate(SEARCH_COLL, dim)
    rnd = random.Random(7)
    for start in range(0, rows, 5000):
        data = [{"id": i, "vec": [rnd.random() for _ in range(dim)], "tag": "tag-%d" % (i % 1000)}
                for i in range(start, min(rows, start + 5000))]
        admin.call("insert", collection_name=SEARCH_COLL, data=data)
    admin.call("flush", collection_name=SEARCH_COLL)
    admin.call("create_index", collection_name=SEARCH_COLL, index_params=[
        {"field_name": "vec", "index_type": "AUTOINDEX", "metric_type": "L2", "index_name": "vec"}])
    admin.call("load_collection", collection_name=SEARCH_COLL)


def write_queries(path, n, dim=128):
    rnd = random.Random(11)
    with open(path, "wb") as f:
        f.write(struct.pack("<%df" % (n * dim), *(rnd.random() for _ in range(n * dim))))


# ---------------------------------------------------------------- running

def run_client(client, wl, uri, target, params, timeout):
    argv = CLIENTS[client] + [WORKLOADS[wl][0], uri, target]
    argv += ["%s=%s" % kv for kv in params.items()] + EXTRA.get(client, [])
    t0 = time.time()
    try:
        env = dict(os.environ, **ENV.get(client, {}))
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": "timed out after %ds" % timeout}
    except OSError as e:
        return {"ok": False, "error": str(e)}
    for line in reversed(p.stdout.strip().splitlines()):
        if line.startswith("{"):
            try:
                r = json.loads(line)
            except ValueError:
                continue
            r["elapsed_s"] = time.time() - t0
            return r
    tail = (p.stderr.strip().splitlines() or ["no output"])[-1]
    return {"ok": False, "error": "exit %d, no result: %s" % (p.returncode, tail[:300])}


def metrics(wl, r, params):
    """The figures a workload reports, from one client run's JSON line."""
    wall, cpu = r["wall_s"], r["cpu_s"]
    if wl == "W1":
        rows = r.get("rows") or params["rows"]
        return {"rows_s": rows / wall, "cpu_s_10k": cpu / rows * 1e4}
    if wl == "W2":
        return {"p50_ms": r["p50_us"] / 1e3, "p99_ms": r["p99_us"] / 1e3,
                "cpu_us_op": cpu / r["ops"] * 1e6}
    if wl == "W3":
        return {"qps": r["ops"] / wall, "cpu_us_op": cpu / r["ops"] * 1e6}
    if wl == "W4":
        return {"rows_s": r["rows"] / wall, "cpu_s_op": cpu / r["ops"]}
    if wl == "W6":
        return {"p50_ms": r["p50_us"] / 1e3, "p99_ms": r["p99_us"] / 1e3,
                "max_ms": r["max_us"] / 1e3, "reads": r["reads"]}
    payload = params["batch"] * params["dim"] * 4
    above = max(0, r["rss_peak_kb"] - r["rss_base_kb"]) * 1024
    return {"peak_above_mb": above / 1e6, "x_batch": above / payload,
            "rows_s": r["rows"] / wall, "cpu_s_10k": cpu / r["rows"] * 1e4}


# metric -> (heading, format, higher is better)
COLUMNS = {
    "W1": [("rows_s", "rows/s", "{:,.0f}", True), ("cpu_s_10k", "client CPU s / 10k rows", "{:.4f}", False)],
    "W2": [("p50_ms", "p50 ms", "{:.3f}", False), ("p99_ms", "p99 ms", "{:.3f}", False),
           ("cpu_us_op", "client CPU µs / search", "{:.0f}", False)],
    "W3": [("qps", "QPS", "{:,.0f}", True), ("cpu_us_op", "client CPU µs / search", "{:.0f}", False)],
    "W4": [("rows_s", "rows/s", "{:,.0f}", True), ("cpu_s_op", "client CPU s / query", "{:.4f}", False)],
    "W5": [("peak_above_mb", "peak RSS above idle, MB", "{:,.0f}", False),
           ("x_batch", "÷ batch payload", "{:.2f}", False), ("rows_s", "rows/s", "{:,.0f}", True),
           ("cpu_s_10k", "client CPU s / 10k rows", "{:.4f}", False)],
    "W6": [("p50_ms", "search p50 ms", "{:.3f}", False), ("p99_ms", "search p99 ms", "{:.3f}", False),
           ("max_ms", "search max ms", "{:.1f}", False), ("reads", "bulk reads meanwhile", "{:.0f}", True)],
}


def summarise(runs):
    """Per workload and client: median, min, max of each metric, or the failure."""
    out = {}
    for wl, per_client in runs.items():
        out[wl] = {}
        for client, rs in per_client.items():
            good = [r["metrics"] for r in rs if r.get("ok")]
            bad = [r for r in rs if not r.get("ok")]
            if not good:
                out[wl][client] = {"failed": bad[0]["error"] if bad else "not run"}
                continue
            s = {"n": len(good)}
            for k in good[0]:
                vals = [g[k] for g in good]
                s[k] = {"median": statistics.median(vals), "min": min(vals), "max": max(vals)}
            if bad:
                s["failures"] = [b["error"] for b in bad]
            out[wl][client] = s
    return out


def render(summary, config, meta, unavailable):
    ref_name = "libmilvus-typed"
    lines = ["# libmilvus benchmark", "",
             "%s, %s. Milvus %s at %s; %s; repetitions: %d (W5: %d), clients interleaved in "
             "rotating order; medians with [min–max]. Ratios are this client's median ÷ the "
             "reference's (for rows/s and QPS higher is better, for time, CPU and memory lower is "
             "better)." % (meta["date"], meta["machine"], meta["server"], meta["uri"],
                           "quick mode" if meta["quick"] else "full run",
                           config["reps"], config["reps_w5"]), "",
             "Client versions: " + ", ".join("%s %s" % kv for kv in meta["versions"].items()) + ".", ""]
    for wl in summary:
        params = config[wl]
        lines += ["## " + WORKLOADS[wl][1].format(**params), ""]
        ref = ref_name if "median" in str(summary[wl].get(ref_name)) else "libmilvus-json"
        cols = COLUMNS[wl]
        head = ["client"]
        for key, h, _, _ in cols:
            head.append(h)
            if key == "x_batch":
                continue
            head.append("÷ " + ("typed" if ref == ref_name else "JSON"))
            if "floor" in summary[wl]:
                head.append("÷ floor")
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
        for client in summary[wl]:
            s = summary[wl][client]
            row = [LABELS[client]]
            if "failed" in s:
                row.append("**fails**: " + s["failed"].replace("|", "/")[:200])
                row += [""] * (len(head) - 2)
                lines.append("| " + " | ".join(row) + " |")
                continue
            for key, _, fmt, _ in cols:
                m = s[key]
                cell = fmt.format(m["median"])
                if s["n"] > 1:
                    cell += " [" + fmt.format(m["min"]) + "–" + fmt.format(m["max"]) + "]"
                row.append(cell)
                if key == "x_batch":
                    continue
                for r in [ref] + (["floor"] if "floor" in summary[wl] else []):
                    rs = summary[wl].get(r, {})
                    if key in rs and rs[key]["median"]:
                        row.append("%.2f×" % (m["median"] / rs[key]["median"]))
                    else:
                        row.append("—")
            if s.get("failures"):
                row[0] += " (%d failed run(s))" % len(s["failures"])
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    if unavailable:
        lines += ["## Not measured", ""]
        lines += ["- %s: %s" % (LABELS.get(k, k), v) for k, v in unavailable.items()]
        lines.append("")
    return "\n".join(lines)


def versions():
    v = {}
    try:
        v["pymilvus"] = subprocess.run([VENV_PY, "-c", "import pymilvus;print(pymilvus.__version__)"],
                                       capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    v["milvus-sdk-rust"] = "3.0.3"
    try:
        for line in open(os.path.join(HERE, "go", "go.mod")):
            if "milvus/client/v2 " in line:
                v["Go client/v2"] = line.split()[-1]
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip()
        v["libmilvus"] = "commit " + commit + " (+ working tree)"
    except OSError:
        pass
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="1 repetition, small sizes (smoke test)")
    ap.add_argument("--reps", type=int, help="repetitions (default 5; W5: 3)")
    ap.add_argument("--workloads", default="W1,W2,W3,W4,W5,W6")
    ap.add_argument("--clients", default=",".join(CLIENTS))
    ap.add_argument("--no-build", action="store_true", help="use the binaries already built")
    ap.add_argument("--uri", default=os.environ.get("MILVUS_URI", "http://127.0.0.1:19530"))
    ap.add_argument("--out", default=os.path.join(RESULTS, "latest"),
                    help="write OUT.md and OUT.json (default benches/results/latest)")
    a = ap.parse_args()
    config = json.loads(json.dumps(QUICK if a.quick else FULL))
    if a.reps:
        config["reps"] = config["reps_w5"] = a.reps
    wls = [w for w in a.workloads.split(",") if w]
    chosen = [c for c in a.clients.split(",") if c]
    unavailable = {}
    t_start = time.time()
    if not a.no_build:
        build(unavailable)
    for c in chosen:
        exe = CLIENTS[c][0]
        if c not in unavailable and not os.access(exe, os.X_OK):
            unavailable[c] = "not built (%s missing)" % os.path.relpath(exe, ROOT)

    admin = Admin(a.uri)
    try:
        server = admin.call("get_server_version")
    except RuntimeError:  # Milvus Lite reports no version
        server = "unknown version"
    admin.drop_all()
    os.makedirs(BUILD, exist_ok=True)
    queries = os.path.join(BUILD, "queries.f32")
    write_queries(queries, max(config["W2"]["n"], 1000))
    log("setting up %s (%d rows, AUTOINDEX, load)" % (SEARCH_COLL, config["search_rows"]))
    setup_search_collection(admin, config["search_rows"])
    if "floor" in chosen and "floor" not in unavailable:
        admin.recreate(W1_COLL, 128)
        w1 = config["W1"]
        rc, out = sh([VENV_PY, os.path.join(HERE, "py", "encode_requests.py"), a.uri, BUILD, SEARCH_COLL,
                      queries, W1_COLL, "rows=%d" % w1["rows"], "batch=%d" % w1["batch"],
                      "dim=%d" % w1["dim"], "expect=%d" % config["W4"]["expect"]], cwd=os.path.join(HERE, "py"))
        if rc != 0:
            unavailable["floor"] = "encoding the requests failed: " + first_error(out)
        log(out.strip()[-300:])

    runs = {}
    for wl in wls:
        params = dict(config[wl])
        clients = [c for c in TAKES_PART[wl] if c in chosen and c not in unavailable]
        reps = config["reps_w5"] if wl == "W5" else config["reps"]
        runs[wl] = {c: [] for c in clients}
        failed = set()
        for rep in range(reps):
            order = clients[rep % len(clients):] + clients[:rep % len(clients)]
            for c in order:
                if c in failed:
                    continue
                target, p = SEARCH_COLL, dict(params)
                if wl in ("W1", "W5"):
                    target = W1_COLL if wl == "W1" else W5_COLL
                    admin.recreate(target, params["dim"])
                if wl in ("W2", "W3", "W6"):
                    p.update(queries=queries, dim=128)
                if c == "floor":
                    req = {"W1": "insert", "W2": "search", "W3": "search", "W4": "query"}[wl]
                    target = os.path.join(BUILD, req + ".req")
                    if wl == "W1":
                        p["warmup"] = os.path.join(BUILD, "insert_warm.req")
                r = run_client(c, wl, a.uri, target, p, TIMEOUT[wl])
                if r.get("ok"):
                    r["metrics"] = metrics(wl, r, params)
                    log("%s rep %d %-16s %s" % (wl, rep + 1, c,
                                                ", ".join("%s=%.4g" % kv for kv in r["metrics"].items())))
                else:
                    failed.add(c)
                    log("%s rep %d %-16s FAILED: %s" % (wl, rep + 1, c, r["error"]))
                runs[wl][c].append(r)
            if wl in ("W1", "W5"):
                admin.call("drop_collection", collection_name=W1_COLL if wl == "W1" else W5_COLL)
    admin.drop_all()

    summary = summarise(runs)
    meta = {"date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "machine": "%s, %d cores" % (platform.machine(), os.cpu_count() or 0),
            "server": server, "uri": a.uri, "quick": a.quick, "versions": versions(),
            "total_s": round(time.time() - t_start)}
    md = render(summary, config, meta, unavailable)
    md += "\nWhole run (build included): %d s.\n" % meta["total_s"]
    print(md)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out + ".md", "w") as f:
        f.write(md)
    with open(a.out + ".json", "w") as f:
        json.dump({"meta": meta, "config": config, "unavailable": unavailable,
                   "summary": summary, "runs": runs}, f, indent=1)
    log("wrote %s.md and %s.json" % (a.out, a.out))


if __name__ == "__main__":
    main()
