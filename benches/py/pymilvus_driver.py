"""pymilvus (MilvusClient) as a bench client: one workload per process, one JSON line out.

Rows are dicts whose vectors are Python lists, as pymilvus's documentation writes them.
"""
import threading
import time

from bench_common import (Meter, fail, parse_args, peak_rss_kb, percentile, read_queries,
                          report, rss_baseline_kb, vectors)


def rows(start, vecs):
    return [{"id": start + i, "vec": v, "tag": "tag-%d" % ((start + i) % 1000)}
            for i, v in enumerate(vecs)]


def do_insert(c, coll, data):
    r = c.insert(collection_name=coll, data=data)
    if r["insert_count"] != len(data):
        fail("insert_count %s != %d" % (r["insert_count"], len(data)))


def insert(c, coll, kv, memory):
    n, batch, dim = int(kv.get("rows", 50000)), int(kv.get("batch", 5000)), int(kv.get("dim", 128))
    do_insert(c, coll, rows(-16, vectors(2, 16, dim)))
    nb = n // batch
    if memory:
        data = rows(0, vectors(1, batch, dim))
        base = rss_baseline_kb()
        m = Meter()
        for _ in range(nb):
            do_insert(c, coll, data)
        wall, cpu = m.stop()
        report({"ok": True, "rows": nb * batch, "wall_s": wall, "cpu_s": cpu,
                "rss_base_kb": base, "rss_peak_kb": peak_rss_kb()})
        return
    batches = [rows(b * batch, vectors(b + 1, batch, dim)) for b in range(nb)]
    m = Meter()
    for data in batches:
        do_insert(c, coll, data)
    wall, cpu = m.stop()
    report({"ok": True, "rows": nb * batch, "wall_s": wall, "cpu_s": cpu})


def search_one(c, coll, q):
    r = c.search(collection_name=coll, data=[q], limit=10, output_fields=["tag"], anns_field="vec")
    if len(r) != 1 or len(r[0]) != 10 or "tag" not in r[0][0]["entity"]:
        raise RuntimeError("search: expected 1 query with 10 hits and tag, got %r" % (r,))


def search(c, coll, kv):
    n, dim = int(kv.get("n", 1000)), int(kv.get("dim", 128))
    qs = read_queries(kv["queries"], dim)
    for q in qs[:20]:
        search_one(c, coll, q)
    lat = []
    m = Meter()
    for i in range(n):
        t = time.perf_counter()
        search_one(c, coll, qs[i % len(qs)])
        lat.append((time.perf_counter() - t) * 1e6)
    wall, cpu = m.stop()
    lat.sort()
    report({"ok": True, "ops": n, "wall_s": wall, "cpu_s": cpu,
            "p50_us": percentile(lat, 50), "p99_us": percentile(lat, 99)})


def csearch(c, coll, kv):
    n, dim, threads = int(kv.get("n", 2000)), int(kv.get("dim", 128)), int(kv.get("threads", 8))
    qs = read_queries(kv["queries"], dim)
    for q in qs[:20]:
        search_one(c, coll, q)
    per = n // threads
    errors = []

    def work(t):
        try:
            for i in range(per):
                search_one(c, coll, qs[(t * per + i) % len(qs)])
        except Exception as e:  # reported below, after the clock stops
            errors.append(repr(e))

    ths = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    m = Meter()
    for t in ths:
        t.start()
    for t in ths:
        t.join()
    wall, cpu = m.stop()
    if errors:
        fail(errors[0])
    report({"ok": True, "ops": per * threads, "wall_s": wall, "cpu_s": cpu})


def query(c, coll, kv):
    n, expect = int(kv.get("n", 10)), int(kv.get("expect", 10000))

    def once():
        r = c.query(collection_name=coll, filter="id < %d" % expect, output_fields=["tag", "vec"])
        if len(r) != expect or "vec" not in r[0]:
            fail("query: %d rows, expected %d with vectors" % (len(r), expect))

    once()
    m = Meter()
    for _ in range(n):
        once()
    wall, cpu = m.stop()
    report({"ok": True, "ops": n, "rows": n * expect, "wall_s": wall, "cpu_s": cpu})


def main():
    workload, uri, coll, kv = parse_args()
    from pymilvus import MilvusClient
    try:
        c = MilvusClient(uri=uri)
        if workload in ("insert", "memory"):
            insert(c, coll, kv, workload == "memory")
        elif workload == "search":
            search(c, coll, kv)
        elif workload == "csearch":
            csearch(c, coll, kv)
        elif workload == "query":
            query(c, coll, kv)
        else:
            fail("unknown workload " + workload)
    except Exception as e:
        fail("%s: %s" % (type(e).__name__, e))


if __name__ == "__main__":
    main()
