"""Collection, index and maintenance requests as pymilvus 3.0.2 sends them: quick setup and
full schemas (every field type, index type, metric type and consistency level), the
collection's properties, fields and functions, loading, flushing and compaction.

Scripted replies let both clients finish their waits at once: indexes are built, loads are
complete, flushes are done. Where the two send different sequences of calls, the call that
carries the user's arguments is compared and the difference is said where it occurs.
"""

import time
import types

import numpy as np
import pytest
from pymilvus import DataType, Function, FunctionType
from pymilvus.grpc_gen import common_pb2, milvus_pb2, schema_pb2
from pymilvus.milvus_client.index import IndexParams

Q_DIM = 4


def kv(k, v):
    return common_pb2.KeyValuePair(key=k, value=v)


def ok():
    return common_pb2.Status()


SCHEMA = schema_pb2.CollectionSchema(name="c", fields=[
    schema_pb2.FieldSchema(fieldID=100, name="id", data_type=schema_pb2.Int64, is_primary_key=True),
    schema_pb2.FieldSchema(fieldID=101, name="vector", data_type=schema_pb2.FloatVector,
                           type_params=[kv("dim", "4")]),
    schema_pb2.FieldSchema(fieldID=102, name="text", data_type=schema_pb2.VarChar,
                           type_params=[kv("max_length", "100"), kv("enable_analyzer", "true")]),
    schema_pb2.FieldSchema(fieldID=103, name="sparse", data_type=schema_pb2.SparseFloatVector,
                           is_function_output=True),
], functions=[schema_pb2.FunctionSchema(name="bm25", type=schema_pb2.FunctionType.BM25,
                                        input_field_names=["text"],
                                        output_field_names=["sparse"])])


@pytest.fixture(autouse=True)
def server(rec, monkeypatch):
    """A server on which every index is built, every load and flush complete."""
    import pymilvus.client.grpc_handler as handler

    # pymilvus sleeps half a second before it first asks whether an index is built.
    monkeypatch.setattr(handler, "time", types.SimpleNamespace(
        time=time.time, sleep=lambda s: time.sleep(min(s, 0.001))))
    built = []

    def create_index(req):
        built.append(req)
        return ok()

    def describe_index(req):
        return milvus_pb2.DescribeIndexResponse(status=ok(), index_descriptions=[
            milvus_pb2.IndexDescription(
                index_name=r.index_name or r.field_name, field_name=r.field_name,
                params=r.extra_params, state=common_pb2.IndexState.Finished)
            for r in built if req.index_name in ("", r.index_name)])

    rec.replies.update({
        "DescribeCollection": milvus_pb2.DescribeCollectionResponse(
            status=ok(), collection_name="c", collectionID=7, schema=SCHEMA,
            consistency_level=common_pb2.ConsistencyLevel.Bounded),
        "CreateIndex": create_index,
        "DescribeIndex": describe_index,
        "GetLoadingProgress": milvus_pb2.GetLoadingProgressResponse(
            status=ok(), progress=100, refresh_progress=100),
        "GetFlushState": milvus_pb2.GetFlushStateResponse(status=ok(), flushed=True),
        "GetFlushAllState": milvus_pb2.GetFlushAllStateResponse(status=ok(), flushed=True),
        "Flush": milvus_pb2.FlushResponse(status=ok(), flush_coll_segIDs={}),
    })
    yield
    rec.replies.clear()


# ---------------------------------------------------------------------------------------------
# create_collection, quick setup: CreateCollection, then CreateIndex on the vector field (and,
# in pymilvus, AllocTimestamp before it polls DescribeIndex at that timestamp; libmilvus polls
# without one), then LoadCollection and GetLoadingProgress.

QUICK_RPCS = ("CreateCollection", "CreateIndex", "LoadCollection")


@pytest.mark.parametrize("kwargs", [
    {},
    {"primary_field_name": "pk", "vector_field_name": "emb"},
    {"id_type": "int"},
    {"id_type": "string", "max_length": 64},
    {"id_type": "str", "max_length": 32},
    {"auto_id": True},
    {"metric_type": "L2"},
    {"metric_type": "IP"},
    {"metric_type": "COSINE"},
    {"enable_dynamic_field": False},
    {"num_shards": 2},
    {"shards_num": 3},
    {"num_partitions": 16},
    {"properties": {"collection.ttl.seconds": 60, "mmap.enabled": "true"}},
    {"description": "quick"},
    {"enable_namespace": True},
    {"timeout": 30},
], ids=lambda k: "-".join(f"{a}={b}" for a, b in k.items()) or "defaults")
def test_quick_setup(same_requests, kwargs):
    same_requests(QUICK_RPCS, lambda py: py.create_collection("q", 8, **kwargs),
                  "create_collection", collection_name="q", dimension=8, **kwargs)


@pytest.mark.parametrize("level", ["Strong", "Session", "Bounded", "Eventually", "Customized",
                                   0, 1, 2, 3, 4])
def test_quick_setup_consistency_levels(same_requests, level):
    same_requests(QUICK_RPCS,
                  lambda py: py.create_collection("q", 8, consistency_level=level),
                  "create_collection", collection_name="q", dimension=8,
                  consistency_level=level)


# ---------------------------------------------------------------------------------------------
# create_collection with a schema: every field type, every kind of field option.

def field_json(name, dtype, kwargs):
    out = {"name": name, "type": dtype.name}
    for k, v in kwargs.items():
        if k == "element_type":
            v = v.name
        elif isinstance(v, np.generic):
            v = v.item()
        elif k == "desc":
            k = "description"
        out[k] = v
    return out


# (data type, add_field keyword arguments): each becomes one field beside the primary key and a
# vector.
FIELDS = [
    (DataType.BOOL, {}),
    (DataType.BOOL, {"default_value": True}),
    (DataType.INT8, {"default_value": np.int8(-3)}),
    (DataType.INT16, {"default_value": np.int16(300)}),
    (DataType.INT32, {"default_value": np.int32(70000)}),
    (DataType.INT64, {"default_value": 1 << 40}),
    (DataType.INT64, {"is_partition_key": True}),
    (DataType.INT64, {"is_clustering_key": True}),
    (DataType.FLOAT, {"default_value": 0.25}),
    (DataType.DOUBLE, {"nullable": True}),
    (DataType.VARCHAR, {"max_length": 64}),
    (DataType.VARCHAR, {"max_length": 64, "default_value": "x", "nullable": True}),
    (DataType.VARCHAR, {"max_length": 64, "is_partition_key": True}),
    (DataType.VARCHAR, {"max_length": 64, "mmap_enabled": True}),
    (DataType.VARCHAR, {"max_length": 64, "enable_analyzer": True, "enable_match": True,
                        "analyzer_params": {"type": "english"}}),
    (DataType.VARCHAR, {"max_length": 64, "enable_analyzer": True,
                        "multi_analyzer_params": {
                            "by_field": "lang", "analyzers": {"default": {"type": "standard"}}}}),
    (DataType.JSON, {}),
    (DataType.JSON, {"nullable": True}),
    (DataType.ARRAY, {"element_type": DataType.INT64, "max_capacity": 8}),
    (DataType.ARRAY, {"element_type": DataType.VARCHAR, "max_capacity": 8, "max_length": 16}),
    (DataType.ARRAY, {"element_type": DataType.BOOL, "max_capacity": 4}),
    (DataType.ARRAY, {"element_type": DataType.INT8, "max_capacity": 4}),
    (DataType.ARRAY, {"element_type": DataType.INT16, "max_capacity": 4}),
    (DataType.ARRAY, {"element_type": DataType.INT32, "max_capacity": 4}),
    (DataType.ARRAY, {"element_type": DataType.FLOAT, "max_capacity": 4}),
    (DataType.ARRAY, {"element_type": DataType.DOUBLE, "max_capacity": 4, "nullable": True}),
    (DataType.GEOMETRY, {}),
    (DataType.GEOMETRY, {"nullable": True, "default_value": "POINT (1 2)"}),
    (DataType.TIMESTAMPTZ, {}),
    (DataType.TIMESTAMPTZ, {"nullable": True}),
    (DataType.FLOAT_VECTOR, {"dim": 8}),
    (DataType.FLOAT_VECTOR, {"dim": 8, "mmap_enabled": False}),
    (DataType.BINARY_VECTOR, {"dim": 64}),
    (DataType.FLOAT16_VECTOR, {"dim": 8}),
    (DataType.BFLOAT16_VECTOR, {"dim": 8}),
    (DataType.SPARSE_FLOAT_VECTOR, {}),
    (DataType.INT8_VECTOR, {"dim": 8}),
    (DataType.INT64, {"desc": "a described field"}),
    (DataType.TEXT, {"max_length": 64}),
    (DataType.STRING, {}),
]


def fid(p):
    dtype, kwargs = p
    return "-".join([dtype.name] + [f"{k}" for k in kwargs])


@pytest.mark.parametrize("dtype,kwargs", FIELDS, ids=[fid(p) for p in FIELDS])
def test_schema_field(same_request, dtype, kwargs):
    def build(py):
        s = py.create_schema()
        s.add_field("id", DataType.INT64, is_primary=True)
        s.add_field("v", DataType.FLOAT_VECTOR, dim=Q_DIM)
        s.add_field("f", dtype, **{("description" if k == "desc" else k): v
                                   for k, v in kwargs.items()})
        if dtype == DataType.VARCHAR and "multi_analyzer_params" in kwargs:
            s.add_field("lang", DataType.VARCHAR, max_length=8)
        return s

    fields = [{"name": "id", "type": "INT64", "is_primary": True},
              {"name": "v", "type": "FLOAT_VECTOR", "dim": Q_DIM},
              field_json("f", dtype, kwargs)]
    if dtype == DataType.VARCHAR and "multi_analyzer_params" in kwargs:
        fields.append({"name": "lang", "type": "VARCHAR", "max_length": 8})
    same_request("CreateCollection", lambda py: py.create_collection("s", schema=build(py)),
                 "create_collection", collection_name="s", schema={"fields": fields})


@pytest.mark.parametrize("schema_kwargs", [
    {},
    {"auto_id": True},
    {"enable_dynamic_field": True},
    {"description": "all of it"},
    {"primary_field": "id"},
    {"partition_key_field": "key"},
    {"enable_namespace": True},
], ids=lambda k: "-".join(k) or "defaults")
def test_schema_options(same_request, schema_kwargs):
    def build(py):
        s = py.create_schema(**schema_kwargs)
        s.add_field("id", DataType.INT64, is_primary="primary_field" not in schema_kwargs,
                    auto_id=schema_kwargs.get("auto_id", False))
        s.add_field("key", DataType.VARCHAR, max_length=16)
        s.add_field("v", DataType.FLOAT_VECTOR, dim=Q_DIM)
        return s

    as_json = {"fields": [
        {"name": "id", "type": "INT64", "is_primary": "primary_field" not in schema_kwargs,
         "auto_id": schema_kwargs.get("auto_id", False)},
        {"name": "key", "type": "VARCHAR", "max_length": 16,
         "is_partition_key": "partition_key_field" in schema_kwargs},
        {"name": "v", "type": "FLOAT_VECTOR", "dim": Q_DIM}]}
    as_json.update({k: v for k, v in schema_kwargs.items() if k != "partition_key_field"})
    same_request("CreateCollection", lambda py: py.create_collection("s", schema=build(py)),
                 "create_collection", collection_name="s", schema=as_json)


def small_schema(py):
    s = py.create_schema()
    s.add_field("id", DataType.INT64, is_primary=True)
    s.add_field("v", DataType.FLOAT_VECTOR, dim=Q_DIM)
    return s


SMALL = {"fields": [{"name": "id", "type": "INT64", "is_primary": True},
                    {"name": "v", "type": "FLOAT_VECTOR", "dim": Q_DIM}]}


@pytest.mark.parametrize("kwargs", [
    {"consistency_level": "Strong"},
    {"consistency_level": "Session"},
    {"consistency_level": "Bounded"},
    {"consistency_level": "Eventually"},
    {"consistency_level": "Customized"},
    {"consistency_level": 0},
    {"consistency_level": 3},
    {"num_shards": 4},
    {"shards_num": 1},
    {"num_partitions": 64},
    {"properties": {"collection.ttl.seconds": 3600}},
    {"properties": {"mmap.enabled": True, "partitionkey.isolation": False}},
    {"timeout": 10},
], ids=lambda k: "-".join(f"{a}={b}" for a, b in k.items()))
def test_schema_create_options(same_request, kwargs):
    same_request("CreateCollection",
                 lambda py: py.create_collection("s", schema=small_schema(py), **kwargs),
                 "create_collection", collection_name="s", schema=SMALL, **kwargs)


def test_schema_with_top_level_dynamic_field(rec, clients):
    # With a schema, pymilvus reads enable_dynamic_field from the schema only and drops the
    # keyword argument; libmilvus lets the argument override the schema's (docs/json-api.md).
    # Otherwise the requests are the same.
    from conftest import compare_calls

    py, lm = clients
    rec.take()
    py.create_collection("s", schema=small_schema(py), enable_dynamic_field=True)
    a = rec.take()
    lm.call("create_collection", collection_name="s", schema=SMALL, enable_dynamic_field=True)
    b = rec.take()
    schemas = [schema_pb2.CollectionSchema.FromString(c[0].request.schema) for c in (a, b)]
    assert [s.enable_dynamic_field for s in schemas] == [False, True]
    schemas[1].enable_dynamic_field = False
    b[0].request.schema = schemas[1].SerializeToString()
    compare_calls("CreateCollection", a, b)


def test_schema_with_functions(same_request):
    def build(py):
        s = py.create_schema()
        s.add_field("id", DataType.VARCHAR, is_primary=True, max_length=32)
        s.add_field("text", DataType.VARCHAR, max_length=1000, enable_analyzer=True)
        s.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        s.add_field("dense", DataType.FLOAT_VECTOR, dim=Q_DIM)
        s.add_function(Function("bm25", FunctionType.BM25, ["text"], ["sparse"],
                                description="full text", params={"bm25_k1": 1.2, "bm25_b": 0.75}))
        s.add_function(Function("emb", FunctionType.TEXTEMBEDDING, ["text"], ["dense"],
                                params={"provider": "openai", "model_name": "m", "dim": 4}))
        return s

    as_json = {"fields": [
        {"name": "id", "type": "VARCHAR", "is_primary": True, "max_length": 32},
        {"name": "text", "type": "VARCHAR", "max_length": 1000, "enable_analyzer": True},
        {"name": "sparse", "type": "SPARSE_FLOAT_VECTOR"},
        {"name": "dense", "type": "FLOAT_VECTOR", "dim": Q_DIM}],
        "functions": [
            {"name": "bm25", "type": "BM25", "input_field_names": ["text"],
             "output_field_names": ["sparse"], "description": "full text",
             "params": {"bm25_k1": 1.2, "bm25_b": 0.75}},
            {"name": "emb", "type": "TEXTEMBEDDING", "input_field_names": ["text"],
             "output_field_names": ["dense"],
             "params": {"provider": "openai", "model_name": "m", "dim": 4}}]}
    same_request("CreateCollection", lambda py: py.create_collection("s", schema=build(py)),
                 "create_collection", collection_name="s", schema=as_json)


# ---------------------------------------------------------------------------------------------
# Indexes: every index type with its usual parameters, on the field type it is built for.

# (field type, index type, metric type or None, params)
INDEXES = [
    (DataType.FLOAT_VECTOR, "FLAT", "L2", {}),
    (DataType.FLOAT_VECTOR, "IVF_FLAT", "IP", {"nlist": 128}),
    (DataType.FLOAT_VECTOR, "IVF_SQ8", "COSINE", {"nlist": 64}),
    (DataType.FLOAT_VECTOR, "IVF_PQ", "L2", {"nlist": 64, "m": 2, "nbits": 8}),
    (DataType.FLOAT_VECTOR, "IVF_RABITQ", "L2", {"nlist": 64, "refine": True,
                                                 "refine_type": "SQ8"}),
    (DataType.FLOAT_VECTOR, "HNSW", "COSINE", {"M": 16, "efConstruction": 200}),
    (DataType.FLOAT_VECTOR, "HNSW_SQ", "IP", {"M": 16, "efConstruction": 100, "sq_type": "SQ8"}),
    (DataType.FLOAT_VECTOR, "HNSW_PQ", "L2", {"M": 16, "efConstruction": 100, "m": 2,
                                              "nbits": 8}),
    (DataType.FLOAT_VECTOR, "HNSW_PRQ", "L2", {"M": 16, "efConstruction": 100, "m": 2,
                                               "nbits": 8, "nrq": 1}),
    (DataType.FLOAT_VECTOR, "DISKANN", "L2", {}),
    (DataType.FLOAT_VECTOR, "SCANN", "IP", {"nlist": 64, "with_raw_data": True}),
    (DataType.FLOAT_VECTOR, "AUTOINDEX", "COSINE", {}),
    (DataType.FLOAT_VECTOR, "GPU_CAGRA", "L2", {"intermediate_graph_degree": 64,
                                                "graph_degree": 32,
                                                "cache_dataset_on_device": "true"}),
    (DataType.FLOAT_VECTOR, "GPU_IVF_FLAT", "L2", {"nlist": 64}),
    (DataType.FLOAT_VECTOR, "GPU_IVF_PQ", "L2", {"nlist": 64, "m": 2}),
    (DataType.FLOAT_VECTOR, "GPU_BRUTE_FORCE", "L2", {}),
    (DataType.FLOAT16_VECTOR, "HNSW", "L2", {"M": 8}),
    (DataType.BFLOAT16_VECTOR, "IVF_FLAT", "IP", {"nlist": 16}),
    (DataType.INT8_VECTOR, "HNSW", "COSINE", {"M": 8}),
    (DataType.BINARY_VECTOR, "BIN_FLAT", "HAMMING", {}),
    (DataType.BINARY_VECTOR, "BIN_IVF_FLAT", "JACCARD", {"nlist": 16}),
    (DataType.BINARY_VECTOR, "MINHASH_LSH", "MHJACCARD", {"mh_lsh_band": 4}),
    (DataType.BINARY_VECTOR, "BIN_FLAT", "SUBSTRUCTURE", {}),
    (DataType.BINARY_VECTOR, "BIN_FLAT", "SUPERSTRUCTURE", {}),
    (DataType.BINARY_VECTOR, "BIN_FLAT", "TANIMOTO", {}),
    (DataType.SPARSE_FLOAT_VECTOR, "SPARSE_INVERTED_INDEX", "IP",
     {"inverted_index_algo": "DAAT_MAXSCORE"}),
    (DataType.SPARSE_FLOAT_VECTOR, "SPARSE_WAND", "IP", {"drop_ratio_build": 0.2}),
    (DataType.SPARSE_FLOAT_VECTOR, "SPARSE_INVERTED_INDEX", "BM25",
     {"bm25_k1": 1.2, "bm25_b": 0.75}),
    (DataType.INT64, "STL_SORT", None, {}),
    (DataType.INT64, "INVERTED", None, {}),
    (DataType.INT64, "BITMAP", None, {}),
    (DataType.VARCHAR, "Trie", None, {}),
    (DataType.VARCHAR, "NGRAM", None, {"min_gram": 2, "max_gram": 3}),
    (DataType.JSON, "INVERTED", None, {"json_path": "meta['a']", "json_cast_type": "varchar"}),
    (DataType.ARRAY, "INVERTED", None, {}),
    (DataType.GEOMETRY, "RTREE", None, {}),
    (DataType.INT64, "", None, {}),
]


def iid(p):
    return "-".join(str(x) for x in p[:3] if x is not None).replace("DataType.", "") or "none"


@pytest.mark.parametrize("dtype,index_type,metric,params", INDEXES,
                         ids=[iid(p) for p in INDEXES])
def test_create_index(same_requests, dtype, index_type, metric, params):
    extra = {"metric_type": metric} if metric else {}
    ip = IndexParams()
    ip.add_index("f", index_type=index_type, index_name="idx", params=dict(params), **extra)
    same_requests(["CreateIndex"], lambda py: py.create_index("c", ip),
                  "create_index", collection_name="c",
                  index_params=[{"field_name": "f", "index_type": index_type,
                                 "index_name": "idx", "params": params, **extra}])


def test_create_index_flat_params_and_several(same_requests):
    # Parameters given beside index_type instead of inside params; two indexes in one call.
    ip = IndexParams()
    ip.add_index("v", "HNSW", "", metric_type="L2", M=8, efConstruction=64)
    ip.add_index("t", "INVERTED", "t_idx")
    same_requests(["CreateIndex"], lambda py: py.create_index("c", ip, timeout=20),
                  "create_index", collection_name="c", timeout=20, index_params=[
                      {"field_name": "v", "index_type": "HNSW", "metric_type": "L2",
                       "params": {"M": 8, "efConstruction": 64}},
                      {"field_name": "t", "index_type": "INVERTED", "index_name": "t_idx"}])


def test_create_index_without_waiting(same_requests):
    # sync=False: CreateIndex only, no wait for the build.
    ip = IndexParams()
    ip.add_index("v", "FLAT", "f", metric_type="L2")
    calls = same_requests(["CreateIndex"], lambda py: py.create_index("c", ip, sync=False),
                          "create_index", collection_name="c", sync=False,
                          index_params=[{"field_name": "v", "index_type": "FLAT",
                                         "index_name": "f", "metric_type": "L2"}])
    assert len(calls["CreateIndex"][1]) == 1


def test_create_index_waits_for_the_build(rec, clients):
    # Both poll DescribeIndex until the index is built. pymilvus first allocates a timestamp
    # (AllocTimestamp) and asks for the index's state as of then; libmilvus asks for its state
    # now, which may count segments flushed since and so waits as long or longer. Otherwise the
    # requests are the same.
    from conftest import compare_calls

    rec.replies["AllocTimestamp"] = milvus_pb2.AllocTimestampResponse(status=ok(), timestamp=99)
    ip = IndexParams()
    ip.add_index("v", "FLAT", "f", metric_type="L2")
    py, lm = clients
    rec.take()
    py.create_index("c", ip)
    a = rec.take()
    lm.call("create_index", collection_name="c", index_params=[
        {"field_name": "v", "index_type": "FLAT", "index_name": "f", "metric_type": "L2"}])
    b = rec.take()
    assert [c.method for c in a] == ["CreateIndex", "AllocTimestamp", "DescribeIndex"]
    assert [c.method for c in b] == ["CreateIndex", "DescribeIndex"]
    assert (a[2].request.timestamp, b[1].request.timestamp) == (99, 0)
    a[2].request.ClearField("timestamp")
    compare_calls("CreateIndex", a, b)
    compare_calls("DescribeIndex", a, b)


def test_index_property_values(same_requests):
    # Index parameters that are not numbers or text: pymilvus writes booleans as Python does.
    ip = IndexParams()
    ip.add_index("v", "HNSW", "h", metric_type="L2", params={"mmap.enabled": True})
    same_requests(["CreateIndex"], lambda py: py.create_index("c", ip),
                  "create_index", collection_name="c", index_params=[
                      {"field_name": "v", "index_type": "HNSW", "index_name": "h",
                       "metric_type": "L2", "params": {"mmap.enabled": True}}])


def test_create_collection_with_index_params(same_requests):
    def build(py):
        s = small_schema(py)
        s.add_field("t", DataType.VARCHAR, max_length=8)
        return s

    def py_call(py):
        ip = py.prepare_index_params()
        ip.add_index("v", "IVF_FLAT", "v_idx", metric_type="IP", params={"nlist": 32})
        ip.add_index("t", "INVERTED")
        py.create_collection("s", schema=build(py), index_params=ip,
                             consistency_level="Strong")

    same_requests(
        ("CreateCollection", "CreateIndex", "LoadCollection"), py_call,
        "create_collection", collection_name="s", consistency_level="Strong",
        schema={"fields": SMALL["fields"] + [{"name": "t", "type": "VARCHAR", "max_length": 8}]},
        index_params=[{"field_name": "v", "index_type": "IVF_FLAT", "index_name": "v_idx",
                       "metric_type": "IP", "params": {"nlist": 32}},
                      {"field_name": "t", "index_type": "INVERTED"}])


FIELD_KWARGS = {
    DataType.FLOAT_VECTOR: {"dim": 8}, DataType.FLOAT16_VECTOR: {"dim": 8},
    DataType.BFLOAT16_VECTOR: {"dim": 8}, DataType.INT8_VECTOR: {"dim": 8},
    DataType.BINARY_VECTOR: {"dim": 64}, DataType.VARCHAR: {"max_length": 16},
    DataType.ARRAY: {"element_type": DataType.INT64, "max_capacity": 4},
}


@pytest.mark.parametrize("dtype,index_type,metric,params", INDEXES,
                         ids=[iid(p) for p in INDEXES])
def test_create_collection_indexed(same_requests, dtype, index_type, metric, params):
    # A schema and index_params: CreateCollection, one CreateIndex per index (each waited
    # for), LoadCollection.
    kwargs = FIELD_KWARGS.get(dtype, {})
    extra = {"metric_type": metric} if metric else {}

    def py_call(py):
        s = small_schema(py)
        s.add_field("f", dtype, **kwargs)
        ip = py.prepare_index_params()
        ip.add_index("v", "HNSW", "v_idx", metric_type="COSINE", params={"M": 8})
        ip.add_index("f", index_type, "f_idx", params=dict(params), **extra)
        py.create_collection("s", schema=s, index_params=ip)

    same_requests(
        ("CreateCollection", "CreateIndex", "LoadCollection"), py_call,
        "create_collection", collection_name="s",
        schema={"fields": SMALL["fields"] + [field_json("f", dtype, kwargs)]},
        index_params=[{"field_name": "v", "index_type": "HNSW", "index_name": "v_idx",
                       "metric_type": "COSINE", "params": {"M": 8}},
                      {"field_name": "f", "index_type": index_type, "index_name": "f_idx",
                       "params": params, **extra}])


def test_list_indexes(same_request):
    for kwargs in ({}, {"field_name": "vector"}, {"timeout": 5}):
        same_request("DescribeIndex", lambda py: py.list_indexes("c", **kwargs),
                     "list_indexes", collection_name="c", **kwargs)


def test_describe_index(rec, same_request):
    rec.replies["DescribeIndex"] = milvus_pb2.DescribeIndexResponse(
        status=ok(), index_descriptions=[milvus_pb2.IndexDescription(
            index_name="idx", field_name="vector", state=common_pb2.IndexState.Finished,
            params=[kv("index_type", "HNSW"), kv("metric_type", "L2"),
                    kv("params", '{"M": 8}')])])
    py_req, _ = same_request("DescribeIndex",
                             lambda py: py.describe_index("c", "idx", timeout=5),
                             "describe_index", collection_name="c", index_name="idx",
                             timeout=5)
    assert py_req.index_name == "idx"
    py_req, _ = same_request("DescribeIndex",
                             lambda py: py.describe_index("c", "idx", timestamp=123),
                             "describe_index", collection_name="c", index_name="idx",
                             timestamp=123)
    assert py_req.timestamp == 123


def test_drop_index(same_request):
    same_request("DropIndex", lambda py: py.drop_index("c", "idx", timeout=5),
                 "drop_index", collection_name="c", index_name="idx", timeout=5)


@pytest.mark.parametrize("properties", [
    {"mmap.enabled": True},
    {"mmap.enabled": False},
    {"mmap.enabled": "true"},
    {"index.offset_cache.enabled": "false"},
], ids=lambda p: "-".join(f"{k}={v!r}" for k, v in p.items()))
def test_alter_index_properties(same_request, properties):
    same_request("AlterIndex",
                 lambda py: py.alter_index_properties("c", "idx", properties=properties),
                 "alter_index_properties", collection_name="c", index_name="idx",
                 properties=properties)
    same_request("AlterIndex",
                 lambda py: py.alter_index_properties("c", "idx", properties, timeout=5),
                 "alter_index_properties", collection_name="c", index_name="idx",
                 properties=properties, timeout=5)


def test_drop_index_properties(same_request):
    same_request("AlterIndex",
                 lambda py: py.drop_index_properties("c", "idx", property_keys=["mmap.enabled"],
                                                     timeout=5),
                 "drop_index_properties", collection_name="c", index_name="idx",
                 property_keys=["mmap.enabled"], timeout=5)


# ---------------------------------------------------------------------------------------------
# Describing, listing, renaming and dropping.

def test_describe_has_drop(same_request):
    same_request("DescribeCollection", lambda py: py.describe_collection("c", timeout=5),
                 "describe_collection", collection_name="c", timeout=5)
    same_request("DescribeCollection", lambda py: py.has_collection("c"),
                 "has_collection", collection_name="c")
    same_request("DescribeCollection", lambda py: py.has_collection("c", timeout=5),
                 "has_collection", collection_name="c", timeout=5)
    same_request("DropCollection", lambda py: py.drop_collection("c", timeout=5),
                 "drop_collection", collection_name="c", timeout=5)
    same_request("ShowCollections", lambda py: py.list_collections(),
                 "list_collections")
    same_request("ShowCollections", lambda py: py.list_collections(timeout=5),
                 "list_collections", timeout=5)
    same_request("GetCollectionStatistics", lambda py: py.get_collection_stats("c", timeout=5),
                 "get_collection_stats", collection_name="c", timeout=5)


@pytest.mark.parametrize("target_db", [None, "", "other"])
@pytest.mark.parametrize("timeout", [None, 5])
def test_rename_collection(same_request, target_db, timeout):
    kwargs = {} if target_db is None else {"target_db": target_db}
    kwargs.update({} if timeout is None else {"timeout": timeout})
    same_request("RenameCollection", lambda py: py.rename_collection("c", "d", **kwargs),
                 "rename_collection", old_name="c", new_name="d", **kwargs)


# ---------------------------------------------------------------------------------------------
# Properties, fields and functions of an existing collection.

@pytest.mark.parametrize("properties", [
    {"collection.ttl.seconds": 60},
    {"collection.ttl.seconds": "60"},
    {"mmap.enabled": True},
    {"mmap.enabled": False, "collection.autocompaction.enabled": True},
    {"lazyload.enabled": "false"},
    {"collection.replica.number": 2, "collection.resource_groups": "rg1,rg2"},
], ids=lambda p: "-".join(f"{k}={v!r}" for k, v in p.items()))
def test_alter_collection_properties(same_request, properties):
    same_request("AlterCollection",
                 lambda py: py.alter_collection_properties("c", properties, timeout=5),
                 "alter_collection_properties", collection_name="c", properties=properties,
                 timeout=5)


def test_drop_collection_properties(same_request):
    keys = ["collection.ttl.seconds", "mmap.enabled"]
    same_request("AlterCollection",
                 lambda py: py.drop_collection_properties("c", keys, timeout=5),
                 "drop_collection_properties", collection_name="c", property_keys=keys,
                 timeout=5)


@pytest.mark.parametrize("field_params", [
    {"max_length": 200},
    {"mmap.enabled": True},
    {"mmap.enabled": False},
    {"max_capacity": 16},
    {"warmup": "sync"},
], ids=lambda p: "-".join(f"{k}={v!r}" for k, v in p.items()))
def test_alter_collection_field(same_request, field_params):
    same_request("AlterCollectionField",
                 lambda py: py.alter_collection_field("c", "text", field_params, timeout=5),
                 "alter_collection_field", collection_name="c", field_name="text",
                 field_params=field_params, timeout=5)


@pytest.fixture
def legacy_add_field(rec):
    # pymilvus 3.0.2 first sends the new field as an AlterCollectionSchema add request and
    # sends AddCollectionField only when the server turns that down; libmilvus sends
    # AddCollectionField. A server that turns it down makes pymilvus send the request compared.
    rec.replies["AlterCollectionSchema"] = milvus_pb2.AlterCollectionSchemaResponse(
        alter_status=common_pb2.Status(code=1100, reason="alter collection schema operation "
                                       "is not supported for external collection"))


# add_collection_field(collection, field_name, data_type, desc, **field keyword arguments)
ADDED = [
    (DataType.INT64, {"nullable": True}),
    (DataType.INT64, {"nullable": True, "default_value": 5}),
    (DataType.BOOL, {"nullable": True, "default_value": False}),
    (DataType.INT32, {"nullable": True, "default_value": np.int32(9)}),
    (DataType.FLOAT, {"nullable": True, "default_value": 1.5}),
    (DataType.DOUBLE, {"nullable": True}),
    (DataType.VARCHAR, {"nullable": True, "max_length": 32, "default_value": "n/a"}),
    (DataType.VARCHAR, {"nullable": True, "max_length": 32, "enable_analyzer": True,
                        "analyzer_params": {"tokenizer": "standard"}}),
    (DataType.VARCHAR, {"nullable": True, "max_length": 32, "mmap_enabled": True}),
    (DataType.JSON, {"nullable": True}),
    (DataType.ARRAY, {"nullable": True, "element_type": DataType.INT64, "max_capacity": 4}),
    (DataType.GEOMETRY, {"nullable": True}),
    (DataType.TIMESTAMPTZ, {"nullable": True}),
    (DataType.FLOAT_VECTOR, {"nullable": True, "dim": 4}),
    (DataType.SPARSE_FLOAT_VECTOR, {"nullable": True}),
]


@pytest.mark.parametrize("dtype,kwargs", ADDED, ids=[fid(p) for p in ADDED])
def test_add_collection_field(legacy_add_field, same_request, dtype, kwargs):
    as_json = {k: v for k, v in field_json("new", dtype, kwargs).items()
               if k not in ("name", "type")}
    same_request("AddCollectionField",
                 lambda py: py.add_collection_field("c", "new", dtype, **kwargs),
                 "add_collection_field", collection_name="c", field_name="new",
                 data_type=dtype.name, **as_json)


AS_SCHEMA_CHANGE = ADDED[:3] + ADDED[7:9]


@pytest.mark.parametrize("dtype,kwargs", AS_SCHEMA_CHANGE, ids=[fid(p) for p in AS_SCHEMA_CHANGE])
def test_add_collection_field_as_schema_change(rec, clients, dtype, kwargs):
    # On a server that takes it, pymilvus adds the field with AlterCollectionSchema; the field
    # it sends there is the one libmilvus sends in AddCollectionField.
    from conftest import _kv_lists_as_maps
    from google.protobuf.json_format import MessageToDict

    py, lm = clients
    rec.take()
    py.add_collection_field("c", "new", dtype, **kwargs)
    (a,) = rec.take()
    as_json = {k: v for k, v in field_json("new", dtype, kwargs).items()
               if k not in ("name", "type")}
    lm.call("add_collection_field", collection_name="c", field_name="new",
            data_type=dtype.name, **as_json)
    (b,) = rec.take()
    assert (a.method, b.method) == ("AlterCollectionSchema", "AddCollectionField")
    assert a.metadata.get("dbname") == b.metadata.get("dbname") == ""
    assert a.request.collection_name == b.request.collection_name == "c"
    (info,) = a.request.action.add_request.field_infos
    assert not a.request.action.add_request.func_schema and not info.extra_params

    def as_dict(f):
        return _kv_lists_as_maps(MessageToDict(f, preserving_proto_field_name=True))

    added = schema_pb2.FieldSchema.FromString(b.request.schema)
    assert as_dict(info.field_schema) == as_dict(added)


def test_add_collection_field_desc_and_timeout(legacy_add_field, same_request):
    same_request("AddCollectionField",
                 lambda py: py.add_collection_field("c", "n", DataType.INT64, "a note",
                                                    timeout=5, nullable=True),
                 "add_collection_field", collection_name="c", field_name="n",
                 data_type="INT64", desc="a note", timeout=5, nullable=True)


@pytest.mark.parametrize("kwargs", [{"field_name": "text"}, {"field_id": 102}],
                         ids=["by-name", "by-id"])
def test_drop_collection_field(same_request, kwargs):
    same_request("AlterCollectionSchema",
                 lambda py: py.drop_collection_field("c", timeout=5, **kwargs),
                 "drop_collection_field", collection_name="c", timeout=5, **kwargs)


EMBED = Function("emb", FunctionType.TEXTEMBEDDING, ["text"], ["dense"], description="d",
                 params={"provider": "openai", "model_name": "text-embedding-3-small",
                         "dim": 4})
EMBED_JSON = {"name": "emb", "type": "TEXTEMBEDDING", "input_field_names": ["text"],
              "output_field_names": ["dense"], "description": "d",
              "params": {"provider": "openai", "model_name": "text-embedding-3-small",
                         "dim": 4}}


@pytest.mark.filterwarnings("ignore::FutureWarning")  # the deprecated function methods
def test_add_alter_drop_collection_function(same_request):
    same_request("AddCollectionFunction",
                 lambda py: py.add_collection_function("c", EMBED, timeout=5),
                 "add_collection_function", collection_name="c", function=EMBED_JSON,
                 timeout=5)
    same_request("AlterCollectionFunction",
                 lambda py: py.alter_collection_function("c", "emb", EMBED, timeout=5),
                 "alter_collection_function", collection_name="c", function_name="emb",
                 function=EMBED_JSON, timeout=5)
    same_request("DropCollectionFunction",
                 lambda py: py.drop_collection_function("c", "emb", timeout=5),
                 "drop_collection_function", collection_name="c", function_name="emb",
                 timeout=5)


@pytest.mark.parametrize("ftype,params", [
    ("BM25", {}),
    ("BM25", {"bm25_k1": 1.5}),
    ("MINHASH", {"num_hashes": 16}),
    ("TEXTEMBEDDING", {"provider": "openai", "truncate": True}),
], ids=["bm25", "bm25-params", "minhash", "embedding-bool"])
@pytest.mark.filterwarnings("ignore::FutureWarning")  # the deprecated function methods
def test_function_types(same_request, ftype, params):
    f = Function("f", getattr(FunctionType, ftype), ["text"], ["out"], params=params)
    same_request("AddCollectionFunction", lambda py: py.add_collection_function("c", f),
                 "add_collection_function", collection_name="c",
                 function={"name": "f", "type": ftype, "input_field_names": ["text"],
                           "output_field_names": ["out"], "params": params})


# ---------------------------------------------------------------------------------------------
# Loading and releasing.

@pytest.mark.parametrize("kwargs", [
    {},
    {"replica_number": 2},
    {"load_fields": ["id", "vector"]},
    {"skip_load_dynamic_field": True},
    {"resource_groups": ["rg1", "rg2"]},
    {"refresh": True},
    {"_refresh": True},
    {"_resource_groups": ["rg"]},
    {"_load_fields": ["id"]},
    {"_skip_load_dynamic_field": True},
    {"priority": "high"},
    {"timeout": 5},
], ids=lambda k: "-".join(k) or "defaults")
def test_load_collection(same_requests, kwargs):
    same_requests(["LoadCollection", "GetLoadingProgress"],
                  lambda py: py.load_collection("c", **kwargs),
                  "load_collection", collection_name="c", **kwargs)


@pytest.mark.parametrize("kwargs", [{}, {"load_fields": ["id"]}, {"timeout": 5}],
                         ids=lambda k: "-".join(k) or "defaults")
def test_refresh_load(same_requests, kwargs):
    same_requests(["LoadCollection", "GetLoadingProgress"],
                  lambda py: py.refresh_load("c", **kwargs),
                  "refresh_load", collection_name="c", **kwargs)


def test_release_collection(same_request):
    same_request("ReleaseCollection", lambda py: py.release_collection("c", timeout=5),
                 "release_collection", collection_name="c", timeout=5)


@pytest.mark.parametrize("state", ["LoadStateNotExist", "LoadStateNotLoad",
                                   "LoadStateLoading", "LoadStateLoaded"])
@pytest.mark.parametrize("partition", [None, "", "p"])
def test_get_load_state(rec, same_requests, state, partition):
    rec.replies["GetLoadState"] = milvus_pb2.GetLoadStateResponse(
        status=ok(), state=common_pb2.LoadState.Value(state))
    rec.replies["GetLoadingProgress"] = milvus_pb2.GetLoadingProgressResponse(
        status=ok(), progress=40)
    kwargs = {} if partition is None else {"partition_name": partition}
    rpcs = ["GetLoadState"] + (["GetLoadingProgress"] if state == "LoadStateLoading" else [])
    same_requests(rpcs, lambda py: py.get_load_state("c", timeout=5, **kwargs),
                  "get_load_state", collection_name="c", timeout=5, **kwargs)


# ---------------------------------------------------------------------------------------------
# Flushing and compaction.

def test_flush(rec, same_requests):
    rec.replies["Flush"] = milvus_pb2.FlushResponse(
        status=ok(), coll_segIDs={"c": schema_pb2.LongArray(data=[1, 2])},
        coll_flush_ts={"c": 99})
    same_requests(["Flush", "GetFlushState"], lambda py: py.flush("c", timeout=5),
                  "flush", collection_name="c", timeout=5)


def test_flush_all(rec, same_requests):
    rec.replies["FlushAll"] = milvus_pb2.FlushAllResponse(status=ok(), flush_all_ts=77)
    same_requests(["FlushAll", "GetFlushAllState"], lambda py: py.flush_all(timeout=5),
                  "flush_all", timeout=5)


def test_flush_all_one_database(rec, same_requests):
    rec.replies["FlushAll"] = milvus_pb2.FlushAllResponse(status=ok(), flush_all_ts=77)
    same_requests(["FlushAll", "GetFlushAllState"], lambda py: py.flush_all(db="other"),
                  "flush_all", db="other")


@pytest.mark.parametrize("kwargs", [
    {},
    {"is_clustering": True},
    {"is_l0": True},
    {"target_size": 3 << 20, "target_size_unit": "b"},
    {"target_size": 3 << 20, "target_size_unit": ""},
    {"target_size": 2048, "target_size_unit": "kb"},
    {"target_size": 512},
    {"target_size": 512, "target_size_unit": "mb"},
    {"target_size": 2, "target_size_unit": "gb"},
    {"target_size": 1, "target_size_unit": "tb"},
    {"target_size": 1, "target_size_unit": "pb"},
    {"target_size": 2, "target_size_unit": "GB"},
    {"timeout": 5},
], ids=lambda k: "-".join(f"{a}={b}" for a, b in k.items()) or "defaults")
def test_compact(rec, clients, kwargs):
    from conftest import compare_calls

    # pymilvus sends ManualCompaction by name and describes the collection only when the
    # server does not know the name (servers before 2.4 find a collection by its id only);
    # libmilvus describes it first and sends the id beside the name, which every server
    # accepts. Besides collectionID, the requests are the same.
    rec.replies["ManualCompaction"] = milvus_pb2.ManualCompactionResponse(
        status=ok(), compactionID=42)
    py, lm = clients
    rec.take()
    assert py.compact("c", **kwargs) == 42
    a = rec.take()
    assert lm.call("compact", collection_name="c", **kwargs) == 42
    b = rec.take()
    assert [c.method for c in a] == ["ManualCompaction"]
    assert [c.method for c in b] == ["DescribeCollection", "ManualCompaction"]
    assert (a[0].request.collectionID, b[1].request.collectionID) == (0, 7)
    b[1].request.ClearField("collectionID")
    compare_calls("ManualCompaction", a, b)


@pytest.mark.parametrize("size,unit", [(1000, "kb"), (5, "b"), (0, "mb")])
def test_compact_refuses_less_than_a_megabyte(rec, clients, size, unit):
    import libmilvus
    from pymilvus.exceptions import ParamError

    py, lm = clients
    rec.take()
    with pytest.raises(ParamError):
        py.compact("c", target_size=size, target_size_unit=unit)
    with pytest.raises(libmilvus.MilvusError) as e:
        lm.call("compact", collection_name="c", target_size=size, target_size_unit=unit)
    assert e.value.status_name == "MILVUS_ERR_INVALID_ARGUMENT"
    assert not [c for c in rec.take() if c.method == "ManualCompaction"]


def test_compaction_state_and_plans(rec, same_request):
    rec.replies["GetCompactionState"] = milvus_pb2.GetCompactionStateResponse(
        status=ok(), state=common_pb2.CompactionState.Completed)
    rec.replies["GetCompactionStateWithPlans"] = milvus_pb2.GetCompactionPlansResponse(
        status=ok(), state=common_pb2.CompactionState.Executing,
        mergeInfos=[milvus_pb2.CompactionMergeInfo(sources=[1, 2], target=3)])
    same_request("GetCompactionState", lambda py: py.get_compaction_state(42, timeout=5),
                 "get_compaction_state", job_id=42, timeout=5)
    same_request("GetCompactionStateWithPlans",
                 lambda py: py.get_compaction_plans(42, timeout=5),
                 "get_compaction_plans", job_id=42, timeout=5)


# --- segments, flush-all state, compaction tasks, the server --------------------------------

@pytest.mark.parametrize("kw", [{}, {"db": "shop"}], ids=["plain", "db"])
def test_get_flush_all_state(same_request, kw):
    # pymilvus 3.0.2 fails without flush_all_ts (its handler requires it; MilvusClient passes it
    # through **kwargs); libmilvus defaults it to its last flush_all, docs/json-api.md.
    same_request("GetFlushAllState",
                 lambda py: py.get_flush_all_state(timeout=30, flush_all_ts=4242, **kw),
                 "get_flush_all_state", timeout=30, flush_all_ts=4242, **kw)


@pytest.mark.parametrize("kw", [{}, {"timeout": 30}], ids=["plain", "timeout"])
def test_list_loaded_segments(same_request, kw):
    same_request("GetQuerySegmentInfo", lambda py: py.list_loaded_segments("c", **kw),
                 "list_loaded_segments", collection_name="c", **kw)


@pytest.mark.parametrize("states", [None, ["Growing"], ["Sealed", "Flushed", "Flushing"]],
                         ids=["default", "one", "several"])
def test_list_persistent_segments(same_request, states):
    from pymilvus.client.types import SegmentState
    py_kw = {} if states is None else {"states": [SegmentState[s] for s in states]}
    lm_kw = {} if states is None else {"states": states}
    same_request("GetPersistentSegmentInfo",
                 lambda py: py.list_persistent_segments("c", timeout=30, **py_kw),
                 "list_persistent_segments", collection_name="c", timeout=30, **lm_kw)


@pytest.mark.parametrize("states", [[], "Growing", ["growing"]], ids=["empty", "text", "bad"])
def test_list_persistent_segments_bad_states(rec, clients, states):
    import libmilvus
    _, lm = clients
    rec.take()
    with pytest.raises(libmilvus.MilvusError) as e:
        lm.call("list_persistent_segments", collection_name="c", states=states)
    assert e.value.status_name == "MILVUS_ERR_INVALID_ARGUMENT"
    assert not rec.take()


def test_list_compaction_tasks(same_request):
    same_request("GetCompactionStateWithPlans",
                 lambda py: py.list_compaction_tasks("c", timeout=30),
                 "list_compaction_tasks", collection_name="c", timeout=30)


@pytest.mark.parametrize("kw", [{}, {"detail": False}, {"detail": True}, {"timeout": 30}],
                         ids=["plain", "no-detail", "detail", "timeout"])
def test_get_server_version(rec, clients, kw):
    py, lm = clients
    rec.replies["GetVersion"] = milvus_pb2.GetVersionResponse(status=ok(), version="v2.6.3")
    rec.take()
    a = py.get_server_version(**kw)
    ra = [c.method for c in rec.take()]
    b = lm.call("get_server_version", **kw)
    rb = [c.method for c in rec.take()]
    if not kw.get("detail"):
        assert ra == rb == ["GetVersion"]
        assert a == b == "v2.6.3"
    else:
        # pymilvus asks with a second Connect; libmilvus answers from its own handshake's.
        assert (ra, rb) == (["Connect"], [])
        assert a == b and a["version"] == "v2.6.0"


def test_get_server_type(rec, clients):
    py, lm = clients
    assert py.get_server_type() == lm.call("get_server_type") == "milvus"
