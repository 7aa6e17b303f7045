"""Records the request bytes pymilvus sends, for the floor (benches/rust/src/floor.rs).

    encode_requests.py URI OUT_DIR SEARCH_COLL QUERIES_FILE INSERT_COLL key=value...

Calls MilvusClient with the arguments the pymilvus driver uses, through a stub wrapper that
keeps each serialized request and passes the call on (so the inserts really happen: the
orchestrator recreates INSERT_COLL afterwards). Writes search.req, insert.req,
insert_warm.req and query.req: each a sequence of u32 little-endian length + message.
"""
import os
import struct
import sys

from bench_common import read_queries, vectors
from pymilvus_driver import rows


class Capture:
    def __init__(self, inner, sink):
        self.inner, self.sink = inner, sink

    def __call__(self, request, *a, **kw):
        self.sink.append(request.SerializeToString())
        return self.inner(request, *a, **kw)

    def future(self, request, *a, **kw):
        self.sink.append(request.SerializeToString())
        return self.inner.future(request, *a, **kw)


def write(path, msgs):
    with open(path, "wb") as f:
        for m in msgs:
            f.write(struct.pack("<I", len(m)))
            f.write(m)


def main():
    uri, out, scoll, qfile, icoll = sys.argv[1:6]
    kv = dict(x.split("=", 1) for x in sys.argv[6:])
    dim, n_search = int(kv.get("dim", 128)), int(kv.get("n_search", 1000))
    rows_n, batch, expect = int(kv.get("rows", 50000)), int(kv.get("batch", 5000)), int(kv.get("expect", 10000))
    from pymilvus import MilvusClient
    c = MilvusClient(uri=uri)
    stub = c._get_connection()._stub
    got = {"Search": [], "Insert": [], "Query": []}
    for name, sink in got.items():
        setattr(stub, name, Capture(getattr(stub, name), sink))

    for q in read_queries(qfile, dim)[:n_search]:
        c.search(collection_name=scoll, data=[q], limit=10, output_fields=["tag"], anns_field="vec")
    c.query(collection_name=scoll, filter="id < %d" % expect, output_fields=["tag", "vec"])
    c.insert(collection_name=icoll, data=rows(-16, vectors(2, 16, dim)))
    warm = got["Insert"][:]
    del got["Insert"][:]
    for b in range(rows_n // batch):
        c.insert(collection_name=icoll, data=rows(b * batch, vectors(b + 1, batch, dim)))
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "search.req"), got["Search"])
    write(os.path.join(out, "query.req"), got["Query"])
    write(os.path.join(out, "insert.req"), got["Insert"])
    write(os.path.join(out, "insert_warm.req"), warm)
    print("search %d, query %d, insert %d requests (%d bytes each)" % (
        len(got["Search"]), len(got["Query"]), len(got["Insert"]), len(got["Insert"][0])))


if __name__ == "__main__":
    main()
