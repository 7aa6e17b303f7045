"""A scripted Milvus gRPC server for what a real server cannot do on demand (reliability tests).

    .venv/bin/python scripts/scripted_milvus.py MODE [N]

Listens on a free 127.0.0.1 port and prints `PORT <n>` on stdout, then one `REQ <Rpc> <count>`
line per request it receives (counted per RPC), flushed at once; exits when its parent process
does. Connect always succeeds.
ShowCollections (a read) and Insert (a write) behave as MODE says:

  ok             both succeed (ShowCollections lists "scripted"; Insert echoes num_rows)
  ratelimit N    the first N replies of each carry Milvus rate-limit status (ShowCollections:
                 code 8; Insert: legacy error_code 49 RateLimit), then success
  exhausted N    the first N calls of each fail with gRPC RESOURCE_EXHAUSTED, then success
  unavailable N  the first N calls of each fail with gRPC UNAVAILABLE, then success
  stall          ShowCollections never answers; Insert succeeds
  slow           the first call of each takes 3 s (time for the test to drop the connection)
  garbage        ShowCollections answers with bytes that are not a protobuf message
  truncated      ShowCollections answers with a valid reply cut off in the middle
  schemamismatch K,...  the Inserts numbered K,... are refused with legacy error_code 62
                 SchemaMismatch; DescribeCollection describes "scripted" (id INT64 key, v
                 FLOAT_VECTOR dim 2) with update_timestamp = its call number, and the REQ line
                 of an Insert ends with ` ts=<its schema_timestamp>`
  search         Search answers over ten rows, ids 0..9 at distance = id, as a Milvus 2.6
                 proxy would: asked to iterate (search_iter_v2), it iterates server-side, each
                 reply carrying the token "tok-9", the page's last distance as its bound and
                 session_ts 777; asked to aggregate, it adds one bucket per query (key: the
                 first field = 1, count 2, each metric alias = 2, one top hit: id 0) and
                 agg_topks. The REQ line of a Search ends with ` <key>=<value>` for each search
                 parameter, ` gts=<guarantee_timestamp>` and ` agg=<fields>/<size>` when it
                 aggregates
"""

import os
import sys
import threading
import time
from concurrent import futures

import grpc
from pymilvus.grpc_gen import common_pb2, milvus_pb2, schema_pb2

SERVICE = "milvus.proto.milvus.MilvusService"

mode = sys.argv[1]
arg = sys.argv[2] if len(sys.argv) > 2 else "0"
refused = {int(k) for k in arg.split(",")} if mode == "schemamismatch" else set()
limit = 0 if mode == "schemamismatch" else int(arg)
counts = {}
lock = threading.Lock()


def seen(rpc, note=""):
    with lock:
        counts[rpc] = counts.get(rpc, 0) + 1
        n = counts[rpc]
    print(f"REQ {rpc} {n}{note}", flush=True)
    return n


def connect(req, ctx):
    seen("Connect")
    return milvus_pb2.ConnectResponse(
        status=common_pb2.Status(),
        identifier=7,
        server_info=common_pb2.ServerInfo(build_tags="v2.5.0-scripted"),
    )


def before(rpc, n, ctx):
    """Fails the call as MODE says; returns a rate-limit Status to reply with, or None."""
    if mode == "exhausted" and n <= limit:
        ctx.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, "scripted: resource exhausted")
    if mode == "unavailable" and n <= limit:
        ctx.abort(grpc.StatusCode.UNAVAILABLE, "scripted: unavailable")
    if mode == "slow" and n == 1:
        time.sleep(3)
    if mode == "ratelimit" and n <= limit:
        if rpc == "Insert":
            return common_pb2.Status(error_code=common_pb2.RateLimit, reason="scripted: rate limit")
        return common_pb2.Status(code=8, reason="scripted: rate limit")
    return None


def show_collections(raw, ctx):
    n = seen("ShowCollections")
    if mode == "stall":
        time.sleep(3600)
    good = milvus_pb2.ShowCollectionsResponse(
        status=common_pb2.Status(), collection_names=["scripted"]
    ).SerializeToString()
    if mode == "garbage":
        return b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
    if mode == "truncated":
        return good[: len(good) - 4]
    limited = before("ShowCollections", n, ctx)
    if limited is not None:
        return milvus_pb2.ShowCollectionsResponse(status=limited).SerializeToString()
    return good


def describe_collection(raw, ctx):
    n = seen("DescribeCollection")
    dim = common_pb2.KeyValuePair(key="dim", value="2")
    schema = schema_pb2.CollectionSchema(
        name="scripted",
        fields=[
            schema_pb2.FieldSchema(
                fieldID=100, name="id", data_type=schema_pb2.Int64, is_primary_key=True
            ),
            schema_pb2.FieldSchema(
                fieldID=101, name="v", data_type=schema_pb2.FloatVector, type_params=[dim]
            ),
        ],
    )
    return milvus_pb2.DescribeCollectionResponse(
        status=common_pb2.Status(),
        schema=schema,
        collection_name="scripted",
        collectionID=4242,
        update_timestamp=n,
    ).SerializeToString()


def insert(raw, ctx):
    req = milvus_pb2.InsertRequest.FromString(raw)
    n = seen("Insert", f" ts={req.schema_timestamp}" if mode == "schemamismatch" else "")
    if n in refused:
        status = common_pb2.Status(
            error_code=common_pb2.SchemaMismatch, reason="scripted: schema mismatch"
        )
        return milvus_pb2.MutationResult(status=status).SerializeToString()
    limited = before("Insert", n, ctx)
    if limited is not None:
        return milvus_pb2.MutationResult(status=limited).SerializeToString()
    return milvus_pb2.MutationResult(
        status=common_pb2.Status(), insert_cnt=req.num_rows
    ).SerializeToString()


def search(raw, ctx):
    req = milvus_pb2.SearchRequest.FromString(raw)
    params = {p.key: p.value for p in req.search_params}
    note = "".join(f" {p.key}={p.value}" for p in req.search_params)
    agg = req.search_aggregation if req.HasField("search_aggregation") else None
    if agg is not None:
        note += f" agg={','.join(agg.fields)}/{agg.size}"
    seen("Search", f"{note} gts={req.guarantee_timestamp}")
    batch = int(params.get("search_iter_batch_size", params.get("topk", "10")))
    bound = float(params.get("search_iter_last_bound", "-inf"))
    ids = [i for i in range(10) if i > bound][:batch]
    results = schema_pb2.SearchResultData(
        num_queries=1,
        top_k=batch,
        topks=[len(ids)],
        scores=[float(i) for i in ids],
        ids=schema_pb2.IDs(int_id=schema_pb2.LongArray(data=ids)),
    )
    if params.get("search_iter_v2") == "True":
        results.search_iterator_v2_results.CopyFrom(
            schema_pb2.SearchIteratorV2Results(
                token="tok-9", last_bound=float(ids[-1]) if ids else bound
            )
        )
    if agg is not None:
        for _ in range(req.nq):
            results.agg_buckets.append(
                schema_pb2.AggBucket(
                    key=[schema_pb2.BucketKeyEntry(field_id=100, field_name=agg.fields[0], int_val=1)],
                    count=2,
                    metrics={a: schema_pb2.MetricValue(int_val=2) for a in agg.metrics},
                    hits=[schema_pb2.AggHit(int_pk=0, score=0.0)],
                )
            )
        results.agg_topks.extend([1] * req.nq)
    return milvus_pb2.SearchResults(
        status=common_pb2.Status(), results=results, session_ts=777
    ).SerializeToString()


def raw_method(fn):
    # Bytes in, bytes out: the handlers decide what goes on the wire.
    return grpc.unary_unary_rpc_method_handler(
        fn, request_deserializer=None, response_serializer=None
    )


class Handler(grpc.GenericRpcHandler):
    def service(self, details):
        name = details.method.rsplit("/", 1)[-1]
        if name == "Connect":
            return grpc.unary_unary_rpc_method_handler(
                connect,
                request_deserializer=milvus_pb2.ConnectRequest.FromString,
                response_serializer=milvus_pb2.ConnectResponse.SerializeToString,
            )
        if name == "ShowCollections":
            return raw_method(show_collections)
        if name == "Insert":
            return raw_method(insert)
        if name == "DescribeCollection":
            return raw_method(describe_collection)
        if name == "Search" and mode == "search":
            return raw_method(search)
        return None


def main():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=32))
    server.add_generic_rpc_handlers((Handler(),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(f"PORT {port}", flush=True)
    # Exit with the test that started us (we are reparented when it ends). Not server.stop():
    # a stalled handler would keep the worker pool, and so the process, alive.
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(0)


if __name__ == "__main__":
    main()
