"""What the Python bench drivers share: arguments, CPU/RSS probes, the JSON report."""
import json
import math
import os
import random
import resource
import struct
import sys
import time


def parse_args():
    """`driver.py WORKLOAD URI TARGET key=value...`"""
    a = sys.argv[1:]
    kv = dict(x.split("=", 1) for x in a[3:] if "=" in x)
    return a[0], a[1], a[2], kv


def cpu_seconds():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _status_kb(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1])
    return 0


def rss_baseline_kb():
    """Current RSS; resets the peak so peak_rss_kb() measures from here."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    return _status_kb("VmRSS:")


def peak_rss_kb():
    return _status_kb("VmHWM:")


class Meter:
    def __init__(self):
        self.t0, self.c0 = time.perf_counter(), cpu_seconds()

    def stop(self):
        return time.perf_counter() - self.t0, cpu_seconds() - self.c0


def vectors(seed, n, dim):
    """Random floats in [0, 1) (the values do not matter, only their count)."""
    r = random.Random(seed).random
    return [[r() for _ in range(dim)] for _ in range(n)]


def read_queries(path, dim):
    raw = open(path, "rb").read()
    n = len(raw) // (dim * 4)
    flat = struct.unpack("<%df" % (n * dim), raw[: n * dim * 4])
    return [list(flat[i * dim:(i + 1) * dim]) for i in range(n)]


def percentile(sorted_vals, p):
    if not sorted_vals:
        return 0.0
    rank = math.ceil(p / 100 * len(sorted_vals))
    return sorted_vals[min(max(rank, 1), len(sorted_vals)) - 1]


def report(d):
    print(json.dumps(d), flush=True)


def fail(msg):
    report({"ok": False, "error": msg})
    os._exit(0)
