#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/ (committed).

    .venv/bin/python fuzz/make_seeds.py

Seeds are valid inputs: JSON method arguments (json_args), rows for the fixed schemas of
tests/stub/schemas.rs (rows), and search / query replies encoded with pymilvus's own protobuf
classes (results), so they are independent of the library's encoder.
"""
import hashlib
import json
import os
import struct

from pymilvus.grpc_gen import milvus_pb2, schema_pb2

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def j(v):
    return json.dumps(v, separators=(",", ":"))


def json_args():
    # Collection "c0".."c3" is described with fixed schema 0..3 by the stub server.
    seeds = [
        ("search", {"collection_name": "c0", "data": [[1, 2, 3, 4]], "limit": 3,
                    "filter": "i64 > {x}", "filter_params": {"x": 1},
                    "output_fields": ["s", "j"], "search_params": {"metric_type": "L2", "params": {"nprobe": 8}},
                    "anns_field": "v", "round_decimal": 2, "consistency_level": "Strong",
                    "group_by_field": "s", "group_size": 2, "strict_group_size": True}),
        ("search", {"collection_name": "c0", "ids": [1, 2], "limit": 2}),
        ("search", {"collection_name": "c2", "ids": ["a"], "anns_field": "fv"}),
        ("query", {"collection_name": "c0", "filter": "id in [1,2]", "output_fields": ["*"],
                   "limit": 10, "offset": 1, "consistency_level": "Bounded", "ignore_growing": True,
                   "group_by_fields": ["s"]}),
        ("query", {"collection_name": "c2", "ids": ["x", "y"]}),
        ("get", {"collection_name": "c0", "ids": [1, 2, 3], "output_fields": ["v"]}),
        ("get", {"collection_name": "c2", "ids": "k"}),
        ("delete", {"collection_name": "c0", "ids": [5]}),
        ("delete", {"collection_name": "c0", "filter": "i32 == {v}", "filter_params": {"v": [1, 2]}}),
        ("insert", {"collection_name": "c0", "data": [
            {"id": 1, "b": True, "i8": 1, "i16": 2, "i32": 3, "i64": 4, "f": 1.5, "d": 2.5, "s": "x",
             "j": {"k": [1]}, "a_i64": [1, 2], "a_s": ["a"], "a_f": [0.5], "a_d": [1.0], "a_b": [True],
             "a_i8": [1], "a_i16": [2], "a_i32": [3], "v": [1, 2, 3, 4], "extra": {"dyn": 1}}]}),
        ("upsert", {"collection_name": "c1", "data": [
            {"id": 1, "b": None, "i8": None, "v": [0.5, 0.25]}, {"id": 2, "df": 3, "v": [1, 2]}]}),
        ("upsert", {"collection_name": "c1", "partial_update": True, "data": [{"id": 1, "i32": 5}]}),
        ("insert", {"collection_name": "c2", "data": [
            {"pk": "a", "bv": [255, 0], "hv": [1, 2, 3, 4], "bfv": [0.5, 0.5, 0.5, 0.5],
             "sv": {"1": 0.5, "7": 1.5}, "i8v": [1, -2, 3, -4], "fv": [1, 2, 3]}]}),
        ("insert", {"collection_name": "c3", "data": [{"text": "hello world", "v": [1, 2]}]}),
        ("hybrid_search", {"collection_name": "c2", "reqs": [
            {"data": [[1, 2, 3]], "anns_field": "fv", "param": {"metric_type": "IP"}, "limit": 5, "expr": "pk != 'a'"},
            {"data": [[3, 2, 1]], "anns_field": "fv"}],
            "ranker": {"strategy": "weighted", "params": {"weights": [0.7, 0.3]}}, "limit": 3,
            "output_fields": ["pk"]}),
        ("hybrid_search", {"collection_name": "c0", "reqs": [{"data": [1, 2, 3, 4], "anns_field": "v"}],
                           "ranker": {"strategy": "rrf", "params": {"k": 60}}}),
        ("create_collection", {"collection_name": "n", "dimension": 8, "metric_type": "COSINE",
                               "id_type": "string", "max_length": 64, "auto_id": False,
                               "enable_dynamic_field": True, "consistency_level": "Session"}),
        ("create_collection", {"collection_name": "n2", "schema": {
            "fields": [{"name": "id", "type": "INT64", "is_primary": True},
                       {"name": "v", "type": "FLOAT_VECTOR", "dim": 4},
                       {"name": "t", "type": "VARCHAR", "max_length": 100, "enable_analyzer": True},
                       {"name": "sp", "type": "SPARSE_FLOAT_VECTOR"},
                       {"name": "arr", "type": "ARRAY", "element_type": "INT32", "max_capacity": 8}],
            "functions": [{"name": "f", "type": "BM25", "input_field_names": ["t"], "output_field_names": ["sp"]}],
            "enable_dynamic_field": True},
            "index_params": [{"field_name": "v", "index_type": "HNSW", "metric_type": "L2", "params": {"M": 8}}],
            "properties": {"collection.ttl.seconds": 60}}),
        ("create_index", {"collection_name": "c0", "index_params": [
            {"field_name": "v", "index_type": "IVF_FLAT", "metric_type": "L2", "params": {"nlist": 16}}]}),
        ("describe_collection", {"collection_name": "c1"}),
        ("describe_index", {"collection_name": "c0", "index_name": "v"}),
        ("load_collection", {"collection_name": "c0", "replica_number": 1}),
        ("flush", {"collection_name": "c0"}),
        ("list_collections", {}),
        ("run_analyzer", {"texts": ["a b", "c"], "analyzer_params": {"tokenizer": "standard"}, "with_detail": True}),
        ("alter_collection_properties", {"collection_name": "c0", "properties": {"mmap.enabled": True}}),
        ("create_partition", {"collection_name": "c0", "partition_name": "p"}),
        ("load_partitions", {"collection_name": "c0", "partition_names": ["p"]}),
        ("create_alias", {"collection_name": "c0", "alias": "a"}),
        ("use_database", {"db_name": "default"}),
    ]
    for method, args in seeds:
        write("json_args", f"{method}\n{j(args)}".encode())
    write("json_args", b"list_collections")  # no newline: args_json is NULL


def rows():
    # (schema index, mode 0 insert / 1 upsert / 2 partial upsert, rows)
    seeds = [
        (0, 0, [{"id": 1, "b": False, "i8": -1, "i16": 300, "i32": 70000, "i64": 1 << 40, "f": 0.1,
                 "d": 1e300, "s": "héllo", "j": [1, {"a": None}], "a_i64": [1], "a_s": ["x", "y"],
                 "a_f": [1.5], "a_d": [2.5], "a_b": [False], "a_i8": [1], "a_i16": [2], "a_i32": [3],
                 "v": [1, 2, 3, 4], "dyn": "x", "$meta": {"m": 1}}]),
        (1, 0, [{"id": 1, "b": None, "s": None, "j": None, "a_i64": None, "v": [1, 2]},
                {"id": 2, "di": None, "df": 2.5, "ds": "zz", "db": False, "v": [3, 4]}, {"id": 3, "v": [5, 6]}]),
        (1, 2, [{"id": 1, "i32": 5}, {"id": 2, "i32": 6}]),
        (2, 1, [{"pk": "a", "bv": [1, 2], "hv": [0.5, 1, 2, 65504], "bfv": [1, 2, 3, 4],
                 "sv": {"0": 1.0, "4294967294": 2.0}, "i8v": [127, -128, 0, 1], "fv": [1, 2, 3]}]),
        (2, 0, [{"pk": "b", "bv": "AAE=", "hv": "AAAAAAAAAAA=", "bfv": "AAAAAAAAAAA=", "sv": [[1, 0.5], [3, 1.5]],
                 "i8v": [1, 2, 3, 4], "fv": [0, 0, 0]}]),
        (3, 0, [{"text": "the quick brown fox", "v": [1, 2]}, {"text": "", "v": [0, 0], "k": 1}]),
        (3, 1, [{"id": 9, "text": "x", "v": [1, 2]}]),
    ]
    for schema, mode, rs in seeds:
        write("rows", bytes([schema, mode]) + j(rs).encode())


def scalar(name, kind, values, valid=None):
    fd = schema_pb2.FieldData(field_name=name)
    getattr(fd.scalars, kind).data.extend(values)
    if valid is not None:
        fd.valid_data.extend(valid)
    return fd


def results():
    int_col = scalar("i64", "long_data", [1, 2, 3])
    str_col = scalar("s", "string_data", ["a", "b", "c"], [True, False, True])
    bool_col = scalar("b", "bool_data", [True, False, True])
    f_col = scalar("f", "float_data", [0.5, float("nan"), 1e38])
    d_col = scalar("d", "double_data", [1.0, 2.0, float("inf")])
    i_col = scalar("i32", "int_data", [1, -1, 7])
    json_col = scalar("j", "json_data", [b'{"a":1}', b"[1,2]", b"not json"])
    meta = scalar("$meta", "json_data", [b'{"x":1,"y":"z"}', b"{}", b'{"x":[1]}'])
    meta.is_dynamic = True
    arr = schema_pb2.FieldData(field_name="arr")
    for vals in ([1, 2], [], [3]):
        sf = arr.scalars.array_data.data.add()
        sf.long_data.data.extend(vals)
    fv = schema_pb2.FieldData(field_name="v")
    fv.vectors.dim = 2
    fv.vectors.float_vector.data.extend([1, 2, 3, 4, 5, 6])
    bv = schema_pb2.FieldData(field_name="bv")
    bv.vectors.dim = 16
    bv.vectors.binary_vector = bytes(range(6))
    hv = schema_pb2.FieldData(field_name="hv")
    hv.vectors.dim = 1
    hv.vectors.float16_vector = struct.pack("<3H", 0x3C00, 0x7C00, 0x0001)
    bf = schema_pb2.FieldData(field_name="bfv")
    bf.vectors.dim = 1
    bf.vectors.bfloat16_vector = struct.pack("<3H", 0x3F80, 0x7FC0, 0x0000)
    sv = schema_pb2.FieldData(field_name="sv")
    for pairs in ([(1, 0.5)], [], [(2, 1.0), (9, 2.0)]):
        sv.vectors.sparse_float_vector.contents.append(b"".join(struct.pack("<If", i, v) for i, v in pairs))
    i8v = schema_pb2.FieldData(field_name="i8v")
    i8v.vectors.dim = 2
    i8v.vectors.int8_vector = bytes([1, 255, 2, 254, 3, 253])
    cols = [int_col, str_col, bool_col, f_col, d_col, i_col, json_col, meta, arr, fv, bv, hv, bf, sv, i8v]

    def search(ids, topks, scores, fields, output_fields, sel):
        res = schema_pb2.SearchResultData(num_queries=len(topks), top_k=max(topks or [0]),
                                          topks=topks, scores=scores, output_fields=output_fields)
        if isinstance(ids[0] if ids else 0, str):
            res.ids.str_id.data.extend(ids)
        else:
            res.ids.int_id.data.extend(ids)
        res.fields_data.extend(fields)
        write("results", bytes([sel]) + milvus_pb2.SearchResults(results=res).SerializeToString())

    names = [c.field_name for c in cols]
    search([1, 2, 3], [2, 1], [0.5, 0.25, 0.125], cols, names, 0)
    search(["a", "b", "c"], [1, 1, 1], [1.0, float("nan"), -1.0], cols[:3], ["*"], 2 * 4)
    search([7], [1, 0], [3.14159], [meta], ["x"], 2 * 3)
    # A malformed reply: topks with a negative entry that still add up to the ids.
    search([5], [2, -1], [1.0], [], [], 0)
    for n in range(0, len(cols), 4):
        q = milvus_pb2.QueryResults(output_fields=names[n:n + 4])
        q.fields_data.extend(cols[n:n + 4])
        write("results", bytes([1]) + q.SerializeToString())
    q = milvus_pb2.QueryResults(output_fields=["count(*)"])
    q.fields_data.append(scalar("count(*)", "long_data", [42]))
    write("results", bytes([1]) + q.SerializeToString())


if __name__ == "__main__":
    json_args()
    rows()
    results()
    for t in sorted(os.listdir(os.path.join(HERE, "corpus"))):
        print(t, len(os.listdir(os.path.join(HERE, "corpus", t))), "seeds")
