"""Data requests as pymilvus 3.0.2 builds them: insert and upsert of rows of every type
(nullable, default-valued and dynamic fields included), delete, get, query, search, a hybrid
search's per-request arguments and query_iterator's first page, with each keyword argument of
those methods.

The recorder answers DescribeCollection with the schema of the collection named (SCHEMAS),
Query with one row, as pymilvus needs a reply with fields to proceed, and every write with one
timestamp (WRITE_TS), which both clients then wait for in their reads. The collections are
named data_* so that no other file's writes or cached schemas meet them.
"""

import base64

import numpy as np
import pytest
from pymilvus.grpc_gen import common_pb2, milvus_pb2, schema_pb2 as S

Q = [[0.1, 0.2, 0.3, 0.4]]
LEVELS = ["Strong", "Session", "Bounded", "Eventually", "Customized", 0, 1, 2, 3, 4]


def kv(k, v):
    return common_pb2.KeyValuePair(key=k, value=str(v))


def field(i, name, t, params=(), **kw):
    return S.FieldSchema(fieldID=100 + i, name=name, data_type=t,
                         type_params=[kv(k, v) for k, v in params], **kw)


# Every scalar and vector type, and the dynamic field.
ROWS_FIELDS = [
    field(0, "id", S.Int64, is_primary_key=True),
    field(1, "b", S.Bool), field(2, "i8", S.Int8), field(3, "i16", S.Int16),
    field(4, "i32", S.Int32), field(5, "f", S.Float), field(6, "d", S.Double),
    field(7, "s", S.VarChar, [("max_length", 64)]), field(8, "txt", S.Text),
    field(9, "j", S.JSON),
    field(10, "arr", S.Array, [("max_capacity", 8)], element_type=S.Int64),
    field(11, "arr_s", S.Array, [("max_capacity", 8), ("max_length", 8)],
          element_type=S.VarChar),
    field(12, "geo", S.Geometry), field(13, "tz", S.Timestamptz),
    field(14, "vector", S.FloatVector, [("dim", 4)]),
    field(15, "bv", S.BinaryVector, [("dim", 16)]),
    field(16, "f16", S.Float16Vector, [("dim", 4)]),
    field(17, "bf16", S.BFloat16Vector, [("dim", 4)]),
    field(18, "sp", S.SparseFloatVector), field(19, "i8v", S.Int8Vector, [("dim", 4)]),
]
# A VARCHAR key, nullable fields of several types and default values.
NULLS_FIELDS = [
    field(0, "pk", S.VarChar, [("max_length", 16)], is_primary_key=True),
    field(1, "vector", S.FloatVector, [("dim", 2)]),
    field(2, "ns", S.VarChar, [("max_length", 64)], nullable=True),
    field(3, "ni", S.Int32, nullable=True),
    field(4, "nj", S.JSON, nullable=True),
    field(5, "na", S.Array, [("max_capacity", 4), ("max_length", 8)], nullable=True,
          element_type=S.VarChar),
    field(6, "nv", S.FloatVector, [("dim", 2)], nullable=True),
    field(7, "dl", S.Int64, default_value=S.ValueField(long_data=7)),
    field(8, "ds", S.VarChar, [("max_length", 8)], default_value=S.ValueField(string_data="x")),
    field(9, "dn", S.Double, nullable=True, default_value=S.ValueField(double_data=0.5)),
]
AUTO_FIELDS = [
    field(0, "id", S.Int64, is_primary_key=True, autoID=True),
    field(1, "vector", S.FloatVector, [("dim", 2)]),
]
# A BM25 function fills "sparse" from "text": rows carry no value for it.
BM25_FIELDS = [
    field(0, "id", S.Int64, is_primary_key=True),
    field(1, "text", S.VarChar, [("max_length", 200), ("enable_analyzer", "true")]),
    field(2, "sparse", S.SparseFloatVector, is_function_output=True),
]
BM25 = [S.FunctionSchema(name="bm25", type=S.FunctionType.BM25, input_field_names=["text"],
                         output_field_names=["sparse"])]
SCHEMAS = {
    "data_rows": (ROWS_FIELDS, True),
    "data_nulls": (NULLS_FIELDS, False),
    "data_auto": (AUTO_FIELDS, False),
    "data_bm25": (BM25_FIELDS, False),
}


def describe(req):
    if req.collection_name not in SCHEMAS:
        return None
    fields, dynamic = SCHEMAS[req.collection_name]
    return milvus_pb2.DescribeCollectionResponse(
        status=common_pb2.Status(), collection_name=req.collection_name, collectionID=9,
        update_timestamp=77, consistency_level=common_pb2.ConsistencyLevel.Bounded,
        schema=S.CollectionSchema(name=req.collection_name, fields=fields,
                                  enable_dynamic_field=dynamic,
                                  functions=BM25 if req.collection_name == "data_bm25" else []))


def query_reply(req):
    if req.collection_name == "data_nulls":
        col = S.FieldData(field_name="pk", type=S.VarChar, scalars=S.ScalarField(
            string_data=S.StringArray(data=["a"])))
    else:
        col = S.FieldData(field_name="id", type=S.Int64, scalars=S.ScalarField(
            long_data=S.LongArray(data=[1])))
    return milvus_pb2.QueryResults(status=common_pb2.Status(), fields_data=[col],
                                   output_fields=[col.field_name], collection_name="x",
                                   session_ts=450_000_000_000_000_000)


# The timestamp of every write here: both clients remember it for the collection and wait for it
# in the reads that follow (Session, or the collection's own level).
WRITE_TS = 449_000_000_000_000_000


def mutation(req):
    return milvus_pb2.MutationResult(status=common_pb2.Status(), timestamp=WRITE_TS)


@pytest.fixture(autouse=True)
def server(rec):
    rec.replies["DescribeCollection"] = describe
    rec.replies["Query"] = query_reply
    for rpc in ("Insert", "Upsert", "Delete"):
        rec.replies[rpc] = mutation
    yield
    rec.replies.clear()


def b64(b):
    return base64.b64encode(b).decode()


F16 = np.array([1, 2, 0.5, -4], dtype=np.float16).tobytes()
# bfloat16 is the upper half of a float32.
BF16 = (np.array([1, 2, 0.5, -4], dtype=np.float32).view(np.uint32) >> 16).astype(
    np.uint16).tobytes()


def typed_row(i, **dynamic):
    """One row of "data_rows" for pymilvus and the same row as libmilvus's JSON."""
    py = {"id": i, "b": i % 2 == 0, "i8": -3, "i16": 300, "i32": 70000, "f": 1.5, "d": 2.25,
          "s": "héllo", "txt": "a longer text", "j": {"a": [1, 2], "b": None, "c": "x"},
          "arr": [1, 2, 3], "arr_s": ["a", "b"], "geo": "POINT (1 2)",
          "tz": "2025-01-02T03:04:05Z", "vector": [0.1, 0.2, 0.3, 0.4],
          "bv": bytes([1, 255]), "f16": F16, "bf16": BF16, "sp": {3: 0.5, 1: 0.25},
          "i8v": np.array([-1, 0, 1, 127], dtype=np.int8), **dynamic}
    lm = dict(py, bv=b64(py["bv"]), f16=b64(F16), bf16=b64(BF16), sp={"3": 0.5, "1": 0.25},
              i8v=[-1, 0, 1, 127])
    return py, lm


# --- insert and upsert --------------------------------------------------------------------

@pytest.mark.parametrize("method", ["insert", "upsert"])
def test_write_every_type(adjusted_request, method):
    # Dynamic keys of several JSON types, different in each row, not in sorted order.
    py1, lm1 = typed_row(1, color="red", n=5)
    py2, lm2 = typed_row(2, tags=["a", 1], nested={"k": [1.5, None]})
    py_req, _ = adjusted_request(
        method.capitalize(), lambda py: getattr(py, method)("data_rows", [py1, py2]),
        lambda lm: lm.call(method, collection_name="data_rows", data=[lm1, lm2]))
    names = [f.field_name for f in py_req.fields_data]
    assert names[-1] == "$meta" and len(names) == len(ROWS_FIELDS) + 1
    assert py_req.schema_timestamp == 77


@pytest.mark.parametrize("method", ["insert", "upsert"])
def test_write_one_row_object_to_a_partition(same_request, method):
    py, lm = typed_row(7)
    same_request(method.capitalize(),
                 lambda c: getattr(c, method)("data_rows", py, partition_name="p1"),
                 method, collection_name="data_rows", data=lm, partition_name="p1")


def half_precision_written(body, _):
    """docs/json-api.md, "Values": FLOAT16 and BFLOAT16 vectors given as numbers are rounded
    to half precision (to nearest even) by libmilvus and sent as such; pymilvus sends the
    float32 values for the server to convert."""
    for fd in body["fields_data"]:
        if fd["field_name"] not in ("f16", "bf16"):
            continue
        x = np.array(fd["vectors"].pop("float_vector")["data"], dtype=np.float32)
        if fd["field_name"] == "f16":
            fd["vectors"]["float16_vector"] = b64(x.astype(np.float16).tobytes())
        else:
            u = x.view(np.uint32).astype(np.uint64)
            half = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)
            fd["vectors"]["bfloat16_vector"] = b64(half.tobytes())
    return body


def test_write_half_precision_vectors_given_as_numbers(adjusted_request):
    py, lm = typed_row(3)
    # 0.1 and 1/3 are not half-precision numbers: both roundings are exercised.
    halves = [0.1, 1 / 3, -2.5, 65504.0]
    py = dict(py, f16=halves, bf16=halves)
    lm = dict(lm, f16=halves, bf16=halves)
    adjusted_request("Insert", lambda c: c.insert("data_rows", py),
                     lambda c: c.call("insert", collection_name="data_rows", data=lm),
                     adjust=half_precision_written)


NULL_ROWS = [
    {"pk": "a", "vector": [1, 2], "ns": "s", "ni": 1, "nj": {"k": 1}, "na": ["x"],
     "nv": [3, 4], "dl": 1, "ds": "y", "dn": 1.5},
    {"pk": "b", "vector": [1, 2], "ns": None, "ni": None, "nj": None, "na": None, "nv": None,
     "dl": None, "ds": None, "dn": None},
    {"pk": "c", "vector": [1, 2]},
]


def defaults_written(body, _):
    """docs/json-api.md, "Default values": a row that omits a field with a default value, or
    gives null for it, gets the default written by libmilvus (a valid value), where pymilvus
    sends the row as invalid for the server to fill in. A field that is not nullable then has
    no validity list at all. Everything else is as pymilvus sends it."""
    defaults = {"dl": ("long_data", "7", False), "ds": ("string_data", "x", False),
                "dn": ("double_data", 0.5, True)}
    for fd in body["fields_data"]:
        if fd["field_name"] not in defaults:
            continue
        kind, value, nullable = defaults[fd["field_name"]]
        given = iter(fd["scalars"][kind]["data"])
        fd["scalars"][kind]["data"] = [next(given) if ok else value for ok in fd["valid_data"]]
        if nullable:
            fd["valid_data"] = [True] * len(fd["valid_data"])
        else:
            del fd["valid_data"]
    return body


@pytest.mark.parametrize("method", ["insert", "upsert"])
def test_write_nullable_and_default_fields(adjusted_request, method):
    py_req, _ = adjusted_request(
        method.capitalize(), lambda py: getattr(py, method)("data_nulls", NULL_ROWS),
        lambda lm: lm.call(method, collection_name="data_nulls", data=NULL_ROWS),
        adjust=defaults_written)
    ni = next(f for f in py_req.fields_data if f.field_name == "ni")
    assert list(ni.valid_data) == [True, False, False]


def test_write_nulls_and_given_defaults(adjusted_request):
    # Nullable fields without a default: null and absent are sent alike by both. The
    # default-valued fields are given in every row.
    data = [{"pk": "a", "vector": [1, 2], "ns": None, "nv": None, "dl": 1, "ds": "y", "dn": 1.0},
            {"pk": "b", "vector": [1, 2], "ni": 3, "na": ["p", "q"], "dl": 2, "ds": "z",
             "dn": 2.0}]
    adjusted_request("Insert", lambda py: py.insert("data_nulls", data),
                     lambda lm: lm.call("insert", collection_name="data_nulls", data=data),
                     adjust=defaults_written)


def test_upsert_partial_update(same_request):
    data = [{"pk": "a", "ni": 5, "ns": "new"}, {"pk": "b", "ni": None, "ns": "b"}]
    py_req, _ = same_request("Upsert", lambda py: py.upsert("data_nulls", data, partial_update=True),
                             "upsert", collection_name="data_nulls", data=data, partial_update=True)
    assert py_req.partial_update
    assert sorted(f.field_name for f in py_req.fields_data) == ["ni", "ns", "pk"]


def test_upsert_partial_update_to_a_partition(same_request):
    data = {"id": 3, "vector": [0.5, 0.5]}
    same_request("Upsert",
                 lambda py: py.upsert("data_auto", data, partition_name="p", partial_update=True),
                 "upsert", collection_name="data_auto", data=data, partition_name="p",
                 partial_update=True)


def test_insert_with_auto_id(same_request):
    data = [{"vector": [1, 2]}, {"vector": [3, 4]}]
    py_req, _ = same_request("Insert", lambda py: py.insert("data_auto", data), "insert",
                             collection_name="data_auto", data=data)
    assert [f.field_name for f in py_req.fields_data] == ["vector"]


def test_insert_with_auto_id_and_keys_given(same_request):
    # pymilvus sends the keys when the first row has one.
    data = [{"id": 10, "vector": [1, 2]}, {"id": 11, "vector": [3, 4]}]
    py_req, _ = same_request("Insert", lambda py: py.insert("data_auto", data), "insert",
                             collection_name="data_auto", data=data)
    assert [f.field_name for f in py_req.fields_data] == ["vector", "id"]


@pytest.mark.parametrize("method", ["insert", "upsert"])
def test_write_leaves_function_outputs_out(same_request, method):
    data = [{"id": 1, "text": "a quick fox"}, {"id": 2, "text": "a lazy dog"}]
    py_req, _ = same_request(method.capitalize(),
                             lambda py: getattr(py, method)("data_bm25", data), method,
                             collection_name="data_bm25", data=data)
    assert [f.field_name for f in py_req.fields_data] == ["id", "text"]


def test_write_json_given_as_text(same_request):
    # A string holding JSON is that JSON, for both (a JSON field and a dynamic key alike).
    py, lm = typed_row(4)
    py = dict(py, j='{"k": [1, 2]}')
    lm = dict(lm, j='{"k": [1, 2]}')
    same_request("Insert", lambda c: c.insert("data_rows", py), "insert",
                 collection_name="data_rows", data=lm)


def test_upsert_with_auto_id_carries_the_key(same_request):
    data = [{"id": 1, "vector": [1, 2]}]
    same_request("Upsert", lambda py: py.upsert("data_auto", data), "upsert",
                 collection_name="data_auto", data=data)


# --- delete -------------------------------------------------------------------------------

@pytest.mark.parametrize("ids", [[1, 2, 3], 5], ids=["list", "one"])
def test_delete_by_ids(same_request, ids):
    py_req, _ = same_request("Delete", lambda py: py.delete("data_rows", ids=ids), "delete",
                             collection_name="data_rows", ids=ids)
    assert py_req.expr.startswith("id in [")


def quoted_keys(body, _):
    """docs/json-api.md: string primary keys in get/delete/query(ids=...) are escaped, in double
    quotes (pymilvus puts them in single quotes unescaped). The keys here hold no quote or
    backslash, so the two spellings differ only in the quote character."""
    body["expr"] = body["expr"].replace("'", '"')
    return body


def test_delete_by_string_ids(adjusted_request):
    adjusted_request("Delete", lambda py: py.delete("data_nulls", ids=["a", "b c"]),
                     lambda lm: lm.call("delete", collection_name="data_nulls", ids=["a", "b c"]),
                     adjust=quoted_keys)


def test_delete_by_filter(same_request):
    same_request("Delete", lambda py: py.delete("data_rows", filter="i32 > 5 and s like 'a%'"),
                 "delete", collection_name="data_rows", filter="i32 > 5 and s like 'a%'")


TEMPLATES = {"n": 5, "x": 1.5, "s": "red", "flag": True, "ints": [1, 2, 3], "floats": [0.5, 1.5],
             "strs": ["a", "b"], "bools": [True, False], "nested": [[1, 2], [3]],
             "mixed": [1, 2.5, {"k": "v"}]}
TEMPLATE_FILTER = ("i32 > {n} and d < {x} and s == {s} and b == {flag} and id in {ints} "
                   "and f in {floats} and s in {strs} and b in {bools} "
                   "and arr == {nested} and j['a'] in {mixed}")


def test_delete_by_filter_with_templates(same_request):
    py_req, _ = same_request(
        "Delete", lambda py: py.delete("data_rows", filter=TEMPLATE_FILTER, filter_params=TEMPLATES),
        "delete", collection_name="data_rows", filter=TEMPLATE_FILTER, filter_params=TEMPLATES)
    assert set(py_req.expr_template_values) == set(TEMPLATES)


@pytest.mark.parametrize("by", ["ids", "filter"])
def test_delete_in_a_partition(same_request, by):
    args = {"ids": [4]} if by == "ids" else {"filter": "id > 0"}
    same_request("Delete", lambda py: py.delete("data_rows", partition_name="p1", **args), "delete",
                 collection_name="data_rows", partition_name="p1", **args)


@pytest.mark.parametrize("level", LEVELS)
def test_delete_consistency_level(same_request, level):
    # pymilvus reads it for the filter's evaluation and sends 0 (Strong) without it.
    same_request("Delete",
                 lambda py: py.delete("data_rows", filter="i32 > 1", consistency_level=level),
                 "delete", collection_name="data_rows", filter="i32 > 1",
                 consistency_level=level)


# --- get ----------------------------------------------------------------------------------

@pytest.mark.parametrize("ids", [[1, 2], 3], ids=["list", "one"])
def test_get(same_request, ids):
    same_request("Query", lambda py: py.get("data_rows", ids), "get", collection_name="data_rows",
                 ids=ids)


def test_get_output_fields_and_partitions(same_request):
    same_request(
        "Query",
        lambda py: py.get("data_rows", [1, 2], output_fields=["s", "vector", "color"],
                          partition_names=["p1", "p2"]),
        "get", collection_name="data_rows", ids=[1, 2], output_fields=["s", "vector", "color"],
        partition_names=["p1", "p2"])


def test_get_by_string_ids(adjusted_request):
    adjusted_request("Query", lambda py: py.get("data_nulls", ["a", "b"]),
                     lambda lm: lm.call("get", collection_name="data_nulls", ids=["a", "b"]),
                     adjust=quoted_keys)


@pytest.mark.parametrize("level", ["Strong", "Eventually", 2])
def test_get_consistency_level(same_request, level):
    same_request("Query", lambda py: py.get("data_rows", [1], consistency_level=level), "get",
                 collection_name="data_rows", ids=[1], consistency_level=level)


# --- query --------------------------------------------------------------------------------

def test_query_filter(same_request):
    same_request("Query", lambda py: py.query("data_rows", filter="id > 0"), "query",
                 collection_name="data_rows", filter="id > 0")


def test_query_filter_params(same_request):
    py_req, _ = same_request(
        "Query", lambda py: py.query("data_rows", filter=TEMPLATE_FILTER, filter_params=TEMPLATES),
        "query", collection_name="data_rows", filter=TEMPLATE_FILTER, filter_params=TEMPLATES)
    t = py_req.expr_template_values
    assert t["mixed"].array_val.HasField("json_data")
    assert t["nested"].array_val.HasField("array_data")


def test_query_limit_offset(same_request):
    same_request("Query", lambda py: py.query("data_rows", filter="", limit=10, offset=5), "query",
                 collection_name="data_rows", filter="", limit=10, offset=5)


@pytest.mark.parametrize("fields", [["count(*)"], ["id", "s", "j", "color"], ["*", "vector"],
                                    []], ids=["count", "named", "star", "empty"])
def test_query_output_fields(same_request, fields):
    same_request("Query", lambda py: py.query("data_rows", filter="id >= 0", output_fields=fields),
                 "query", collection_name="data_rows", filter="id >= 0", output_fields=fields)


def test_query_partitions(same_request):
    same_request(
        "Query", lambda py: py.query("data_rows", filter="id > 1", partition_names=["p1", "p2"]),
        "query", collection_name="data_rows", filter="id > 1", partition_names=["p1", "p2"])


@pytest.mark.parametrize("level", LEVELS)
def test_query_consistency_level(same_request, level):
    same_request("Query", lambda py: py.query("data_rows", filter="id > 0", consistency_level=level),
                 "query", collection_name="data_rows", filter="id > 0", consistency_level=level)


def test_query_before_any_write(same_request):
    # No write recorded for the collection: Session and the collection's own level both wait
    # for nothing (timestamp 1, "eventually").
    for kw in ({"consistency_level": "Session"}, {}):
        py_req, _ = same_request("Query", lambda c: c.query("data_fresh", filter="id > 0", **kw),
                                 "query", collection_name="data_fresh", filter="id > 0", **kw)
        assert py_req.guarantee_timestamp == 1


def test_query_session_after_a_write(clients, same_request):
    # Both remember the write's timestamp and wait for it: Session, and the collection's own
    # level (use_default_consistency), read after it.
    py, lm = clients
    data = [{"vector": [1, 2]}]
    py.insert("data_auto", data)
    lm.call("insert", collection_name="data_auto", data=data)
    for kw in ({"consistency_level": "Session"}, {}):
        py_req, _ = same_request("Query", lambda c: c.query("data_auto", filter="id > 0", **kw),
                                 "query", collection_name="data_auto", filter="id > 0", **kw)
        assert py_req.guarantee_timestamp == WRITE_TS


def test_query_session_after_a_write_without_timestamp(rec, clients, adjusted_request):
    """docs/json-api.md, "Consistency": where the server returns no write timestamp, libmilvus
    waits for its own clock's reading at the write, which is later than the write; pymilvus
    records the 0 and then waits for nothing (1)."""
    import time


    py, lm = clients
    rec.replies["Delete"] = milvus_pb2.MutationResult(status=common_pb2.Status())
    py.delete("data_clock", filter="id > 0")
    before = (int(time.time() * 1000) - 1) << 18
    lm.call("delete", collection_name="data_clock", filter="id > 0")
    after = (int(time.time() * 1000) + 1) << 18

    def adjust(body, lm_body):
        assert body["guarantee_timestamp"] == "1"
        assert before <= int(lm_body["guarantee_timestamp"]) <= after
        body["guarantee_timestamp"] = lm_body["guarantee_timestamp"]

    adjusted_request("Query",
                     lambda c: c.query("data_clock", filter="id > 0", consistency_level="Session"),
                     lambda c: c.call("query", collection_name="data_clock", filter="id > 0",
                                      consistency_level="Session"),
                     adjust=adjust)


@pytest.mark.parametrize("ids", [[1, 2], 7], ids=["list", "one"])
def test_query_by_ids(same_request, ids):
    same_request("Query", lambda py: py.query("data_rows", ids=ids, output_fields=["s"]), "query",
                 collection_name="data_rows", ids=ids, output_fields=["s"])


def test_query_ignore_growing(same_request):
    same_request("Query", lambda py: py.query("data_rows", filter="id > 0", ignore_growing=True),
                 "query", collection_name="data_rows", filter="id > 0", ignore_growing=True)


def test_query_group_by_fields(same_request):
    same_request(
        "Query",
        lambda py: py.query("data_rows", filter="", output_fields=["s", "count(*)"],
                            group_by_fields=["s", "i32"], limit=10),
        "query", collection_name="data_rows", filter="", output_fields=["s", "count(*)"],
        group_by_fields=["s", "i32"], limit=10)


@pytest.mark.parametrize("order", [
    [{"field": "i32", "order": "desc"}, {"field": "s"}],
    ["i32:desc", "s:asc"],
    "i32:desc",
], ids=["dicts", "strings", "text"])
def test_query_order_by_fields(same_request, order):
    same_request(
        "Query", lambda py: py.query("data_rows", filter="id > 0", limit=5, order_by_fields=order),
        "query", collection_name="data_rows", filter="id > 0", limit=5, order_by_fields=order)


def test_query_order_by_alias(same_request):
    # pymilvus reads `order_by` as another name for `order_by_fields`.
    same_request(
        "Query", lambda py: py.query("data_rows", filter="id > 0", limit=5, order_by=["d:asc"]),
        "query", collection_name="data_rows", filter="id > 0", limit=5, order_by=["d:asc"])


def test_query_timezone_and_time_fields(same_request):
    same_request(
        "Query",
        lambda py: py.query("data_rows", filter="tz > ISO '2025-01-01T00:00:00'",
                            timezone="Asia/Shanghai", time_fields="year,month"),
        "query", collection_name="data_rows", filter="tz > ISO '2025-01-01T00:00:00'",
        timezone="Asia/Shanghai", time_fields="year,month")


@pytest.mark.parametrize("stop", [True, False])
def test_query_reduce_stop_for_best(same_request, stop):
    same_request(
        "Query",
        lambda py: py.query("data_rows", filter="id > 0", limit=3, reduce_stop_for_best=stop),
        "query", collection_name="data_rows", filter="id > 0", limit=3,
        reduce_stop_for_best=stop)


# --- search -------------------------------------------------------------------------------

def test_search_plain(same_request):
    same_request("Search", lambda py: py.search("data_rows", Q), "search", collection_name="data_rows",
                 data=Q)


def test_search_several_vectors_filter_and_output(same_request):
    data = [[0.1, 0.2, 0.3, 0.4], [1, 2, 3, 4], [-1.5, 0, 0, 2.5]]
    same_request(
        "Search",
        lambda py: py.search("data_rows", data, filter="i32 > 1", limit=3,
                             output_fields=["s", "j", "color"]),
        "search", collection_name="data_rows", data=data, filter="i32 > 1", limit=3,
        output_fields=["s", "j", "color"])


@pytest.mark.parametrize("params", [
    {"metric_type": "L2", "params": {"nprobe": 16}},
    {"metric_type": "COSINE", "params": {"ef": 64, "radius": 0.2, "range_filter": 0.9}},
    {"metric_type": "IP", "radius": 0.5, "range_filter": 1.0},
    {"ef": 32},
    {"params": {"level": 2, "search_list": 30}},
    {"metric_type": "L2", "params": {}, "hints": "iterative_filter"},
    {"params": {"drop_ratio_search": 0.2}, "analyzer_name": "en"},
    {"metric_type": "L2", "params": {"nprobe": 8}, "page_retain_order": True},
    {"params": {"nprobe": 8}, "offset": 3},
    {"params": {"nprobe": 8}, "ignore_growing": True},
    {},
], ids=["nprobe", "range-in-params", "range-top", "flat", "level", "hints", "analyzer",
        "retain-order", "offset-in-params", "ignore-growing-in-params", "empty"])
def test_search_params(same_request, params):
    same_request("Search", lambda py: py.search("data_rows", Q, search_params=params), "search",
                 collection_name="data_rows", data=Q, search_params=params)


def test_search_offset(same_request):
    same_request("Search", lambda py: py.search("data_rows", Q, limit=5, offset=10), "search",
                 collection_name="data_rows", data=Q, limit=5, offset=10)


@pytest.mark.parametrize("keep", [True, False])
def test_search_page_retain_order(same_request, keep):
    # pymilvus sends no `false` argument.
    same_request("Search", lambda py: py.search("data_rows", Q, limit=5, page_retain_order=keep),
                 "search", collection_name="data_rows", data=Q, limit=5, page_retain_order=keep)


@pytest.mark.parametrize("group", [
    {"group_by_field": "s"},
    {"group_by_field": "s", "group_size": 3},
    {"group_by_field": "i32", "group_size": 2, "strict_group_size": True},
    {"group_by_field": "i32", "strict_group_size": False},
], ids=["field", "size", "strict", "not-strict"])
def test_search_group_by(same_request, group):
    same_request("Search", lambda py: py.search("data_rows", Q, limit=4, **group), "search",
                 collection_name="data_rows", data=Q, limit=4, **group)


def test_search_group_by_fields(same_request):
    same_request("Search",
                 lambda py: py.search("data_rows", Q, limit=4, group_by_fields=["s", "i32"],
                                      group_size=2),
                 "search", collection_name="data_rows", data=Q, limit=4,
                 group_by_fields=["s", "i32"], group_size=2)


@pytest.mark.parametrize("order", [
    [{"field": "i32", "order": "desc"}, {"field": "s"}],
    "d:asc",
], ids=["dicts", "text"])
def test_search_order_by_fields(same_request, order):
    same_request("Search", lambda py: py.search("data_rows", Q, limit=4, order_by_fields=order),
                 "search", collection_name="data_rows", data=Q, limit=4, order_by_fields=order)


@pytest.mark.parametrize("cast", [
    {"json_path": "j['a']"},
    {"json_path": "j['c']", "json_type": "VARCHAR", "strict_cast": True},
    {"json_path": "j['a']", "json_type": "INT64", "strict_cast": False},
], ids=["path", "varchar-strict", "int64"])
def test_search_group_by_json(same_request, cast):
    from pymilvus import DataType
    py_cast = dict(cast)
    if "json_type" in cast:
        py_cast["json_type"] = DataType[cast["json_type"]]
    same_request("Search",
                 lambda py: py.search("data_rows", Q, limit=3, group_by_field="j", **py_cast),
                 "search", collection_name="data_rows", data=Q, limit=3, group_by_field="j",
                 **cast)


def test_search_timezone_and_time_fields(same_request):
    same_request("Search",
                 lambda py: py.search("data_rows", Q, output_fields=["tz"], timezone="UTC",
                                      time_fields="year"),
                 "search", collection_name="data_rows", data=Q, output_fields=["tz"],
                 timezone="UTC", time_fields="year")


def test_search_partitions(same_request):
    same_request("Search", lambda py: py.search("data_rows", Q, partition_names=["p1", "p2"]),
                 "search", collection_name="data_rows", data=Q, partition_names=["p1", "p2"])


def test_search_round_decimal(same_request):
    same_request("Search", lambda py: py.search("data_rows", Q, round_decimal=3), "search",
                 collection_name="data_rows", data=Q, round_decimal=3)


@pytest.mark.parametrize("level", LEVELS)
def test_search_consistency_level(same_request, level):
    same_request("Search", lambda py: py.search("data_rows", Q, consistency_level=level), "search",
                 collection_name="data_rows", data=Q, consistency_level=level)


@pytest.mark.parametrize("where", ["kwarg", "both"])
def test_search_ignore_growing(same_request, where):
    sp = {"metric_type": "L2"} if where == "kwarg" else {"metric_type": "L2",
                                                         "ignore_growing": False}
    same_request("Search",
                 lambda py: py.search("data_rows", Q, search_params=sp, ignore_growing=True),
                 "search", collection_name="data_rows", data=Q, search_params=sp,
                 ignore_growing=True)


def test_search_anns_field(same_request):
    same_request("Search", lambda py: py.search("data_rows", Q, anns_field="vector", limit=2),
                 "search", collection_name="data_rows", data=Q, anns_field="vector", limit=2)


def test_search_sparse_vector(same_request):
    same_request("Search",
                 lambda py: py.search("data_rows", [{1: 0.5, 30: 0.25}], anns_field="sp", limit=2),
                 "search", collection_name="data_rows", data=[{"1": 0.5, "30": 0.25}],
                 anns_field="sp", limit=2)


@pytest.mark.parametrize("coll,ids", [("data_rows", [1, 2]), ("data_rows", 5), ("data_nulls", ["a", "b"])],
                         ids=["int", "one", "str"])
def test_search_by_ids(same_request, coll, ids):
    py_req, _ = same_request(
        "Search", lambda py: py.search(coll, ids=ids, anns_field="vector", limit=3), "search",
        collection_name=coll, ids=ids, anns_field="vector", limit=3)
    assert py_req.WhichOneof("search_input") == "ids"


def test_search_filter_params(same_request):
    same_request(
        "Search",
        lambda py: py.search("data_rows", Q, filter=TEMPLATE_FILTER, filter_params=TEMPLATES),
        "search", collection_name="data_rows", data=Q, filter=TEMPLATE_FILTER,
        filter_params=TEMPLATES)


def test_hybrid_search_round_decimal(same_request):
    # pymilvus passes round_decimal to every sub-search as well as to the ranking.
    from pymilvus import AnnSearchRequest, RRFRanker
    reqs = [AnnSearchRequest(Q, "vector", {"metric_type": "L2"}, 5, expr="i32 > 0")]
    same_request(
        "HybridSearch",
        lambda py: py.hybrid_search("data_rows", reqs, RRFRanker(), limit=3, round_decimal=2),
        "hybrid_search", collection_name="data_rows", limit=3, round_decimal=2,
        reqs=[{"data": Q, "anns_field": "vector", "param": {"metric_type": "L2"}, "limit": 5,
               "expr": "i32 > 0"}],
        ranker={"strategy": "rrf"})


def test_hybrid_search_request_filters_with_templates(same_request):
    from pymilvus import AnnSearchRequest, RRFRanker
    reqs = [AnnSearchRequest(Q, "vector", {}, 5, filter="i32 > {n}", expr_params={"n": 3}),
            AnnSearchRequest([{1: 0.5}], "sp", {}, 5, expr="s in {strs}",
                             expr_params={"strs": ["a", "b"]})]
    same_request(
        "HybridSearch", lambda py: py.hybrid_search("data_rows", reqs, RRFRanker(), limit=3),
        "hybrid_search", collection_name="data_rows", limit=3, ranker={"strategy": "rrf"},
        reqs=[{"data": Q, "anns_field": "vector", "limit": 5, "filter": "i32 > {n}",
               "expr_params": {"n": 3}},
              {"data": [{"1": 0.5}], "anns_field": "sp", "limit": 5, "expr": "s in {strs}",
               "expr_params": {"strs": ["a", "b"]}}])


# --- query_iterator -----------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    dict(batch_size=7, limit=20, filter="i32 > 0", output_fields=["s", "d"],
         partition_names=["p1"]),
    dict(batch_size=50),
], ids=["every-argument", "defaults"])
def test_query_iterator_first_page(adjusted_request, args):
    """pymilvus first sends a one-row query to learn the server's timestamp, then reads every
    page at that timestamp; libmilvus sends no such query (its pages wait for this process's
    writes or the present moment, whichever is later, docs/json-api.md "Iterators"). So
    pymilvus's second Query, its first page, is compared with libmilvus's first, and the
    timestamp and the consistency that carries it are stated here."""

    def py_call(py):
        py.query_iterator("data_rows", **args).next()

    def adjust(body, lm_body):
        # libmilvus pins its own timestamp with the Customized level; pymilvus passes the
        # server's session timestamp with the collection's level.
        assert body["guarantee_timestamp"] == "450000000000000000"
        assert body["use_default_consistency"] is True and "consistency_level" not in body
        body["guarantee_timestamp"] = lm_body["guarantee_timestamp"]
        del body["use_default_consistency"]
        body["consistency_level"] = "Customized"

    _, lm_req = adjusted_request(
        "Query", py_call,
        lambda lm: lm.iterate("query_iterator", collection_name="data_rows", **args),
        adjust=adjust, py_pick=1, lm_pick=0)
    assert lm_req.guarantee_timestamp > 0


# --- a call's timeout ---------------------------------------------------------------------

def test_hybrid_search_output_fields_partitions_and_timeout(same_request):
    from pymilvus import AnnSearchRequest, RRFRanker
    reqs = [AnnSearchRequest(Q, "vector", {}, 5)]
    same_request(
        "HybridSearch",
        lambda py: py.hybrid_search("data_rows", reqs, RRFRanker(), limit=3,
                                    output_fields=["s", "i32"], partition_names=["p1", "p2"],
                                    timeout=30),
        "hybrid_search", collection_name="data_rows", limit=3, ranker={"strategy": "rrf"},
        reqs=[{"data": Q, "anns_field": "vector", "limit": 5}], output_fields=["s", "i32"],
        partition_names=["p1", "p2"], timeout=30)


# Each data method's timeout is the deadline of the request that does the work.
TIMED = [
    ("Insert", "insert", {"collection_name": "data_auto", "data": [{"vector": [0.5, 0.25]}]}),
    ("Upsert", "upsert", {"collection_name": "data_auto",
                          "data": [{"id": 3, "vector": [0.5, 0.25]}]}),
    ("Delete", "delete", {"collection_name": "data_rows", "ids": [1, 2]}),
    ("Query", "get", {"collection_name": "data_rows", "ids": [1]}),
    ("Query", "query", {"collection_name": "data_rows", "filter": "id > 0"}),
    ("Search", "search", {"collection_name": "data_rows", "data": Q}),
    ("TruncateCollection", "truncate_collection", {"collection_name": "data_rows"}),
]


@pytest.mark.parametrize("rpc,method,kw", TIMED, ids=[m for _, m, _ in TIMED])
def test_timeout_is_the_deadline(same_request, rpc, method, kw):
    same_request(rpc, lambda py: getattr(py, method)(**kw, timeout=30), method, **kw,
                 timeout=30)


def test_query_iterator_timeout(adjusted_request):
    # As test_query_iterator_first_page: pymilvus's first page is its second Query.
    def adjust(body, lm_body):
        body["guarantee_timestamp"] = lm_body["guarantee_timestamp"]
        del body["use_default_consistency"]
        body["consistency_level"] = "Customized"

    adjusted_request(
        "Query", lambda py: py.query_iterator("data_rows", batch_size=5, timeout=30).next(),
        lambda lm: lm.iterate("query_iterator", collection_name="data_rows", batch_size=5,
                              timeout=30),
        adjust=adjust, py_pick=1, lm_pick=0)


# --- the typed functions and the non-blocking calls ---------------------------------------
# The same requests as the JSON methods send: each case runs pymilvus, then libmilvus's typed
# function, then the same call started without blocking (milvus_client_start /
# _start_typed, completed through a completion queue).

def _typed(lm, method, **kw):
    import ctypes
    import json

    import libmilvus
    L, vp = libmilvus.lib(), ctypes.c_void_p
    res, err = vp(), vp()
    st = getattr(L, f"milvus_client_{method}_typed")(lm._h, json.dumps(kw).encode(),
                                                     ctypes.byref(res), ctypes.byref(err))
    if st != 0:
        raise libmilvus._take_error(st, err.value, f"{method}_typed")
    L.milvus_result_free(res)


def _started(lm, method, typed=False, **kw):
    """Starts `method` without blocking, waits for its completion on a queue, takes it."""
    import ctypes
    import json

    import libmilvus
    L, vp = libmilvus.lib(), ctypes.c_void_p
    for f in ("milvus_client_start", "milvus_client_start_typed"):
        getattr(L, f).argtypes = [vp, ctypes.c_char_p, ctypes.c_char_p, vp, vp, vp,
                                  ctypes.POINTER(vp)]
        getattr(L, f).restype = ctypes.c_int32
    L.milvus_completion_queue_new.argtypes = [ctypes.POINTER(vp), ctypes.POINTER(vp)]
    L.milvus_completion_queue_wait.argtypes = [vp, ctypes.c_double]
    L.milvus_completion_queue_wait.restype = vp
    L.milvus_completion_queue_free.argtypes = [vp]
    L.milvus_completion_take.argtypes = [vp, ctypes.POINTER(libmilvus._Buffer),
                                         ctypes.POINTER(vp), ctypes.POINTER(vp)]
    L.milvus_completion_take.restype = ctypes.c_int32
    L.milvus_completion_free.argtypes = [vp]
    q, err = vp(), vp()
    assert L.milvus_completion_queue_new(ctypes.byref(q), ctypes.byref(err)) == 0
    try:
        start = L.milvus_client_start_typed if typed else L.milvus_client_start
        st = start(lm._h, method.encode(), json.dumps(kw).encode(), q, None, None,
                   ctypes.byref(err))
        if st != 0:
            raise libmilvus._take_error(st, err.value, f"start {method}")
        done = L.milvus_completion_queue_wait(q, 30.0)
        assert done, f"{method}: no completion within 30 s"
        buf, res = libmilvus._Buffer(), vp()
        st = L.milvus_completion_take(done, ctypes.byref(buf), ctypes.byref(res),
                                      ctypes.byref(err))
        L.milvus_completion_free(done)
        if st != 0:
            raise libmilvus._take_error(st, err.value, method)
        if buf.data:
            L.milvus_buffer_free(ctypes.byref(buf))
        if res:
            L.milvus_result_free(res)
    finally:
        L.milvus_completion_queue_free(q)


SEARCH_KW = dict(collection_name="data_rows", data=Q, filter="i32 > 1", limit=7,
                 output_fields=["s", "d"], search_params={"metric_type": "IP"},
                 consistency_level="Strong")
QUERY_KW = dict(collection_name="data_rows", filter="id > 0", output_fields=["s"], limit=5)
GET_KW = dict(collection_name="data_rows", ids=[1, 2], output_fields=["f"])

PATHS = ["typed", "start", "start_typed"]


def _run(path, method, kw):
    def go(lm):
        if path == "typed":
            _typed(lm, method, **kw)
        else:
            _started(lm, method, typed=path == "start_typed", **kw)
    return go


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("rpc,method,kw,py_call", [
    ("Search", "search", SEARCH_KW,
     lambda py: py.search("data_rows", Q, filter="i32 > 1", limit=7, output_fields=["s", "d"],
                          search_params={"metric_type": "IP"}, consistency_level="Strong")),
    ("Query", "query", QUERY_KW,
     lambda py: py.query("data_rows", filter="id > 0", output_fields=["s"], limit=5)),
    ("Query", "get", GET_KW, lambda py: py.get("data_rows", [1, 2], output_fields=["f"])),
], ids=["search", "query", "get"])
def test_typed_and_started_calls(adjusted_request, path, rpc, method, kw, py_call):
    adjusted_request(rpc, py_call, _run(path, method, kw))


@pytest.mark.parametrize("path", PATHS)
def test_typed_and_started_hybrid_search(adjusted_request, path):
    from pymilvus import AnnSearchRequest, RRFRanker
    reqs = [AnnSearchRequest(Q, "vector", {"metric_type": "L2"}, 5, expr="i32 > 0")]
    kw = dict(collection_name="data_rows", limit=3, ranker={"strategy": "rrf"},
              reqs=[{"data": Q, "anns_field": "vector", "param": {"metric_type": "L2"},
                     "limit": 5, "expr": "i32 > 0"}])
    adjusted_request("HybridSearch",
                     lambda py: py.hybrid_search("data_rows", reqs, RRFRanker(), limit=3),
                     _run(path, "hybrid_search", kw))


def test_started_insert(adjusted_request):
    rows = [{"vector": [0.5, 0.25]}, {"vector": [1.0, 2.0]}]
    adjusted_request("Insert", lambda py: py.insert("data_auto", rows),
                     lambda lm: _started(lm, "insert", collection_name="data_auto", data=rows))
