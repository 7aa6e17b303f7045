"""Schema changes of pymilvus 3.0.2: add_function_field and drop_function_field (one
AlterCollectionSchema request each) and add_collection_struct_field; their refusals, and a
server's refusal coming back with its code and message.
"""

import pytest
from pymilvus import DataType, FieldSchema, Function, FunctionType, MilvusClient
from pymilvus.exceptions import MilvusException, ParamError
from pymilvus.grpc_gen import common_pb2, milvus_pb2
from pymilvus.milvus_client.index import IndexParams

import libmilvus


def server_error(code=1100, reason="refused by the server"):
    return common_pb2.Status(code=code, reason=reason)


@pytest.fixture(autouse=True)
def clean(rec):
    yield
    rec.replies.clear()


def index_params(field, index_type, metric_type, name="", **params):
    ip = IndexParams()
    ip.add_index(field, index_type=index_type, index_name=name, metric_type=metric_type,
                 params=params or None)
    return ip


# (function type, output type, index type, metric, index params)
FUNCTION_FIELDS = [
    (FunctionType.BM25, DataType.SPARSE_FLOAT_VECTOR, "SPARSE_INVERTED_INDEX", "BM25",
     {"inverted_index_algo": "DAAT_MAXSCORE", "bm25_k1": 1.2}),
    (FunctionType.BM25, DataType.SPARSE_FLOAT_VECTOR, "AUTOINDEX", "BM25", {}),
    (FunctionType.MINHASH, DataType.BINARY_VECTOR, "MINHASH_LSH", "MHJACCARD",
     {"mh_lsh_band": 8}),
]


@pytest.mark.parametrize("ftype,dtype,index_type,metric,params", FUNCTION_FIELDS,
                         ids=[f"{f[0].name}-{f[2]}" for f in FUNCTION_FIELDS])
@pytest.mark.parametrize("index_name", ["", "out_idx"])
def test_add_function_field(same_request, ftype, dtype, index_type, metric, params, index_name):
    field_kwargs = {"dim": 128} if dtype == DataType.BINARY_VECTOR else {}
    fparams = {"num_hashes": 16} if ftype == FunctionType.MINHASH else {}
    func = Function("fn", ftype, ["text"], ["out"], params=fparams or None)
    field = FieldSchema("out", dtype, **field_kwargs)
    same_request(
        "AlterCollectionSchema",
        lambda py: py.add_function_field(
            "c", field, func, index_params("out", index_type, metric, index_name, **params),
            timeout=5),
        "add_function_field", collection_name="c",
        field_schema={"name": "out", "type": dtype.name, **field_kwargs},
        func={"name": "fn", "type": ftype.name, "input_field_names": ["text"],
              "output_field_names": ["out"], **({"params": fparams} if fparams else {})},
        index_params=[{"field_name": "out", "index_type": index_type,
                       "index_name": index_name, "metric_type": metric,
                       **({"params": params} if params else {})}],
        timeout=5)


def test_add_function_field_index_without_field_name(same_request):
    func = Function("fn", FunctionType.BM25, ["text"], ["out"])
    same_request(
        "AlterCollectionSchema",
        lambda py: py.add_function_field(
            "c", FieldSchema("out", DataType.SPARSE_FLOAT_VECTOR), func,
            index_params("", "SPARSE_INVERTED_INDEX", "BM25")),
        "add_function_field", collection_name="c",
        field_schema={"name": "out", "type": "SPARSE_FLOAT_VECTOR"},
        func={"name": "fn", "type": "BM25", "input_field_names": ["text"],
              "output_field_names": ["out"]},
        index_params=[{"field_name": "", "index_type": "SPARSE_INVERTED_INDEX",
                       "metric_type": "BM25"}])


BAD_FUNCTION_FIELDS = [
    # A text-embedding function: only BM25 and MinHash.
    ({"name": "out", "type": "FLOAT_VECTOR", "dim": 4},
     {"name": "fn", "type": "TEXTEMBEDDING", "input_field_names": ["text"],
      "output_field_names": ["out"]},
     [{"field_name": "out", "index_type": "HNSW", "metric_type": "L2"}]),
    # BM25 into a binary vector.
    ({"name": "out", "type": "BINARY_VECTOR", "dim": 8},
     {"name": "fn", "type": "BM25", "input_field_names": ["text"],
      "output_field_names": ["out"]},
     [{"field_name": "out", "index_type": "BIN_FLAT", "metric_type": "HAMMING"}]),
    # Two indexes; another field's index; no index type.
    ({"name": "out", "type": "SPARSE_FLOAT_VECTOR"},
     {"name": "fn", "type": "BM25", "input_field_names": ["text"], "output_field_names": ["out"]},
     [{"field_name": "out", "index_type": "AUTOINDEX", "metric_type": "BM25"},
      {"field_name": "out", "index_type": "AUTOINDEX", "metric_type": "BM25"}]),
    ({"name": "out", "type": "SPARSE_FLOAT_VECTOR"},
     {"name": "fn", "type": "BM25", "input_field_names": ["text"], "output_field_names": ["out"]},
     [{"field_name": "other", "index_type": "AUTOINDEX", "metric_type": "BM25"}]),
    ({"name": "out", "type": "SPARSE_FLOAT_VECTOR"},
     {"name": "fn", "type": "BM25", "input_field_names": ["text"], "output_field_names": ["out"]},
     [{"field_name": "out", "metric_type": "BM25"}]),
]


@pytest.mark.parametrize("field,func,indexes", BAD_FUNCTION_FIELDS)
def test_add_function_field_refusals(rec, clients, field, func, indexes):
    _, lm = clients
    rec.take()
    with pytest.raises(libmilvus.MilvusError) as e:
        lm.call("add_function_field", collection_name="c", field_schema=field, func=func,
                index_params=indexes)
    assert e.value.status_name == "MILVUS_ERR_INVALID_ARGUMENT"
    assert rec.take() == []


def test_drop_function_field(same_request):
    same_request("AlterCollectionSchema",
                 lambda py: py.drop_function_field("c", "bm25", timeout=5),
                 "drop_function_field", collection_name="c", function_name="bm25", timeout=5)


def test_drop_function_field_needs_a_name(rec, clients):
    py, lm = clients
    with pytest.raises(ParamError):
        py.drop_function_field("c", "")
    with pytest.raises(libmilvus.MilvusError) as e:
        lm.call("drop_function_field", collection_name="c", function_name="")
    assert e.value.status_name == "MILVUS_ERR_INVALID_ARGUMENT"


def struct_schema():
    s = MilvusClient.create_struct_field_schema()
    s.add_field("label", DataType.VARCHAR, max_length=64, description="a label")
    s.add_field("score", DataType.FLOAT)
    s.add_field("emb", DataType.FLOAT_VECTOR, dim=4)
    return s


STRUCT_JSON = {"fields": [
    {"name": "label", "type": "VARCHAR", "max_length": 64, "description": "a label"},
    {"name": "score", "type": "FLOAT"},
    {"name": "emb", "type": "FLOAT_VECTOR", "dim": 4},
]}

# keyword arguments of add_collection_struct_field beyond the required ones
STRUCT_KWARGS = [
    {},
    {"desc": "clips"},
    {"nullable": True},
    {"mmap_enabled": True},
    {"warmup": "sync"},
    {"desc": "clips", "mmap_enabled": False, "warmup": "disable"},
]


@pytest.mark.parametrize("kwargs", STRUCT_KWARGS, ids=lambda k: "-".join(k) or "plain")
def test_add_collection_struct_field(same_request, kwargs):
    same_request("AddCollectionStructField",
                 lambda py: py.add_collection_struct_field("c", "clips", struct_schema(), 16,
                                                           timeout=5, **kwargs),
                 "add_collection_struct_field", collection_name="c", field_name="clips",
                 struct_schema=STRUCT_JSON, max_capacity=16, timeout=5, **kwargs)


BAD_STRUCTS = [
    ({"fields": []}, {}),
    ({"fields": [{"name": "a", "type": "INT64", "is_primary": True}]}, {}),
    ({"fields": [{"name": "a", "type": "INT64", "nullable": True}]}, {}),
    ({"fields": [{"name": "a", "type": "INT64", "default_value": 1}]}, {}),
    ({"fields": [{"name": "a", "type": "INT64"}, {"name": "a", "type": "FLOAT"}]}, {}),
    ({"fields": [{"name": "a", "type": "ARRAY", "element_type": "INT64",
                  "max_capacity": 4}]}, {}),
    (STRUCT_JSON, {"nullable": False}),
]


@pytest.mark.parametrize("struct,kwargs", BAD_STRUCTS)
def test_add_collection_struct_field_refusals(rec, clients, struct, kwargs):
    _, lm = clients
    rec.take()
    with pytest.raises(libmilvus.MilvusError) as e:
        lm.call("add_collection_struct_field", collection_name="c", field_name="s",
                struct_schema=struct, max_capacity=4, **kwargs)
    assert e.value.status_name == "MILVUS_ERR_INVALID_ARGUMENT"
    assert rec.take() == []


def test_struct_field_not_nullable_refused_by_both(clients):
    py, lm = clients
    with pytest.raises(ParamError):
        py.add_collection_struct_field("c", "s", struct_schema(), 4, nullable=False)


# (rpc, reply carrying the server's refusal, pymilvus call, libmilvus method and arguments)
SERVER_ERRORS = [
    ("AlterCollectionSchema",
     milvus_pb2.AlterCollectionSchemaResponse(alter_status=server_error()),
     lambda py: py.drop_function_field("c", "bm25"),
     "drop_function_field", {"collection_name": "c", "function_name": "bm25"}),
    ("AlterCollectionSchema",
     milvus_pb2.AlterCollectionSchemaResponse(alter_status=server_error()),
     lambda py: py.add_function_field(
         "c", FieldSchema("out", DataType.SPARSE_FLOAT_VECTOR),
         Function("fn", FunctionType.BM25, ["text"], ["out"]),
         index_params("out", "SPARSE_INVERTED_INDEX", "BM25")),
     "add_function_field", {"collection_name": "c",
                            "field_schema": {"name": "out", "type": "SPARSE_FLOAT_VECTOR"},
                            "func": {"name": "fn", "type": "BM25", "input_field_names": ["text"],
                                     "output_field_names": ["out"]},
                            "index_params": [{"field_name": "out",
                                              "index_type": "SPARSE_INVERTED_INDEX",
                                              "metric_type": "BM25"}]}),
    ("AddCollectionStructField", server_error(),
     lambda py: py.add_collection_struct_field("c", "clips", struct_schema(), 16),
     "add_collection_struct_field", {"collection_name": "c", "field_name": "clips",
                                     "struct_schema": STRUCT_JSON, "max_capacity": 16}),
]


@pytest.mark.parametrize("rpc,reply,py_call,method,args", SERVER_ERRORS,
                         ids=[e[3] for e in SERVER_ERRORS])
def test_server_refusals(rec, clients, rpc, reply, py_call, method, args):
    py, lm = clients
    rec.replies[rpc] = reply
    with pytest.raises(MilvusException) as pe:
        py_call(py)
    with pytest.raises(libmilvus.MilvusError) as e:
        lm.call(method, **args)
    assert pe.value.code == 1100
    assert e.value.status_name == "MILVUS_ERR_SERVER"
    assert e.value.server_code == 1100
    assert "refused by the server" in e.value.message
