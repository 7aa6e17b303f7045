"""The Arrow C Data Interface with a real consumer and producer, pyarrow: typed query and
search results exported by libmilvus (milvus_result_export_arrow) and imported by pyarrow are
compared with pymilvus's answers; batches exported by pyarrow and inserted by libmilvus
(milvus_columns_add_arrow) are read back through pymilvus and compared with the batch."""

import json
import struct

import pytest

from conftest import close, norm

import pyarrow as pa  # noqa: E402  (scripts/requirements.txt)

DIM = 8
N = 40


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def vec(i):
    return [f32(i + k / 8 + 0.1) for k in range(DIM)]


def has_arrays(pair):
    return pair.server != "standalone"  # ARRAY fields came with Milvus 2.4


def schema(pair, nullable=False):
    from pymilvus import DataType, MilvusClient

    s = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=True)
    s.add_field("id", DataType.INT64, is_primary=True)
    s.add_field("vec", DataType.FLOAT_VECTOR, dim=DIM)
    s.add_field("tag", DataType.VARCHAR, max_length=32)
    s.add_field("b", DataType.BOOL)
    s.add_field("i8", DataType.INT8)
    s.add_field("i16", DataType.INT16)
    s.add_field("i32", DataType.INT32)
    s.add_field("f", DataType.FLOAT)
    s.add_field("d", DataType.DOUBLE)
    s.add_field("js", DataType.JSON)
    if has_arrays(pair):
        s.add_field("arr", DataType.ARRAY, element_type=DataType.INT64, max_capacity=8)
    if nullable:
        s.add_field("ni", DataType.INT32, nullable=True)
        s.add_field("ns", DataType.VARCHAR, max_length=16, nullable=True)
    return s


def rows(pair, nullable=False):
    out = []
    for i in range(N):
        r = {"id": 100 + i, "vec": vec(i), "tag": f"t{i % 5}", "b": i % 3 == 0,
             "i8": i - 20, "i16": i * 300 - 5000, "i32": i * 100003, "f": f32(i / 3),
             "d": i / 7, "js": {"k": i, "s": [i, "x"]}, "extra": f"dyn{i}"}
        if has_arrays(pair):
            r["arr"] = list(range(i % 4))
        if nullable:
            r["ni"] = None if i % 3 == 0 else i
            r["ns"] = None if i % 4 == 1 else f"n{i}"
        out.append(r)
    return out


def create(pair, name, nullable=False):
    pair.py.create_collection(name, schema=schema(pair, nullable))
    pair.created.append(name)
    idx = pair.py.prepare_index_params()
    idx.add_index("vec", index_type="FLAT", metric_type="L2")
    pair.py.create_index(name, idx)
    pair.py.load_collection(name)


def arrow_rows(batch):
    """The batch's rows as pymilvus shows them: JSON text parsed, "$meta" keys spread out."""
    out = []
    for r in batch.to_pylist():
        meta = r.pop("$meta", None)
        if r.get("js") is not None:
            r["js"] = json.loads(r["js"])
        if meta is not None:
            r.update({k: v for k, v in json.loads(meta).items() if k not in r})
        out.append(r)
    return out


def by_id(rs):
    return sorted((norm(dict(r)) for r in rs), key=lambda r: r["id"])


def test_query_result_as_arrow(pair):
    name, _ = pair.names("arrow_q")
    create(pair, name)
    pair.py.insert(name, rows(pair))
    py = pair.py.query(name, filter="id >= 0", consistency_level="Strong", output_fields=["*"], limit=100)
    batch = pair.lm.typed_arrow("query", collection_name=name, filter="id >= 0", consistency_level="Strong",
                                output_fields=["*"], limit=100)
    assert batch.num_rows == N
    types = {f.name: f.type for f in batch.schema}
    assert types["id"] == pa.int64() and types["i8"] == pa.int8()
    assert types["i16"] == pa.int16() and types["b"] == pa.bool_()
    assert types["vec"] == pa.list_(pa.field("item", pa.float32(), nullable=False), DIM)
    js = batch.schema.field("js")
    assert js.type == pa.json_()  # pyarrow recognised the arrow.json extension
    assert batch.schema.field("vec").metadata[b"milvus.type"] == b"FLOAT_VECTOR"
    if has_arrays(pair):
        assert types["arr"] == pa.list_(pa.int64())
    close(by_id(py), by_id(arrow_rows(batch)))


def test_search_result_as_arrow(pair):
    name, _ = pair.names("arrow_s")
    create(pair, name)
    pair.py.insert(name, rows(pair))
    queries = [vec(3.3), vec(17.6)]
    py = pair.py.search(name, data=queries, limit=5, output_fields=["tag", "vec", "i32"],
                        consistency_level="Strong")
    batch = pair.lm.typed_arrow("search", collection_name=name, data=queries, limit=5,
                                output_fields=["tag", "vec", "i32"], consistency_level="Strong")
    assert batch.schema.names[:3] == ["query_index", "id", "distance"]
    got = arrow_rows(batch)
    assert [r["query_index"] for r in got] == [0] * 5 + [1] * 5
    for q, hits in enumerate(py):
        mine = [r for r in got if r["query_index"] == q]
        want = [{"id": h["id"], "distance": h["distance"], **h["entity"]} for h in hits]
        have = [{k: v for k, v in r.items() if k != "query_index"} for r in mine]
        close(norm(want), norm(have), tol=1e-5)


def test_insert_from_arrow(pair):
    py_name, lm_name = pair.names("arrow_in")
    create(pair, lm_name)
    src = rows(pair)
    cols = {
        "id": pa.array([r["id"] for r in src], pa.int64()),
        "vec": pa.array([r["vec"] for r in src], pa.list_(pa.float32(), DIM)),
        "tag": pa.array([r["tag"] for r in src], pa.large_string()),
        "b": pa.array([r["b"] for r in src], pa.bool_()),
        "i8": pa.array([r["i8"] for r in src], pa.int8()),
        "i16": pa.array([r["i16"] for r in src], pa.int16()),
        "i32": pa.array([r["i32"] for r in src], pa.int32()),
        "f": pa.array([r["f"] for r in src], pa.float32()),
        "d": pa.array([r["d"] for r in src], pa.float64()),
        "js": pa.array([json.dumps(r["js"]) for r in src], pa.json_()),
        "$meta": pa.array([json.dumps({"extra": r["extra"]}) for r in src], pa.string()),
    }
    if has_arrays(pair):
        cols["arr"] = pa.array([r["arr"] for r in src], pa.list_(pa.int64()))
    batch = pa.RecordBatch.from_pydict(cols)
    # A slice starts its buffers at an offset: the import must honour it.
    assert pair.lm.insert_arrow(lm_name, batch.slice(5)) == N - 5
    assert pair.lm.insert_arrow(lm_name, batch.slice(0, 5)) == 5
    back = pair.py.query(lm_name, filter="id >= 0", consistency_level="Strong", output_fields=["*"], limit=100)
    close(by_id(src), by_id(back))


def test_arrow_round_trip_and_errors(pair):
    """A query's batch inserted back as it came out, and bad batches refused by name."""
    from libmilvus import MilvusError

    src_name, dst_name = pair.names("arrow_rt")
    create(pair, src_name)
    create(pair, dst_name)
    pair.py.insert(src_name, rows(pair))
    batch = pair.lm.typed_arrow("query", collection_name=src_name, filter="id >= 0", consistency_level="Strong",
                                output_fields=["*"], limit=100)
    assert pair.lm.insert_arrow(dst_name, batch) == N
    a = pair.py.query(src_name, filter="id >= 0", consistency_level="Strong", output_fields=["*"], limit=100)
    b = pair.py.query(dst_name, filter="id >= 0", consistency_level="Strong", output_fields=["*"], limit=100)
    close(by_id(a), by_id(b))

    bad = batch.append_column("when", pa.array([0] * N, pa.date64()))
    with pytest.raises(MilvusError) as e:
        pair.lm.insert_arrow(dst_name, bad)
    assert e.value.status_name == "MILVUS_ERR_TYPE_MISMATCH" and '"when"' in e.value.message
    wrong = batch.set_column(batch.schema.get_field_index("tag"), "tag",
                             pa.array([1.5] * N, pa.float64()))
    with pytest.raises(MilvusError) as e:
        pair.lm.insert_arrow(dst_name, wrong)
    assert e.value.status_name == "MILVUS_ERR_TYPE_MISMATCH" and '"tag"' in e.value.message


def test_nullable_fields_through_arrow(pair):
    if pair.server != "lite3":
        pytest.skip("nullable fields need Milvus 2.5 (Milvus Lite 3.2.2 here)")
    py_name, lm_name = pair.names("arrow_null")
    create(pair, py_name, nullable=True)
    create(pair, lm_name, nullable=True)
    src = rows(pair, nullable=True)
    pair.py.insert(py_name, src)
    py = pair.py.query(py_name, filter="id >= 0", consistency_level="Strong", output_fields=["*"], limit=100)
    batch = pair.lm.typed_arrow("query", collection_name=py_name, filter="id >= 0", consistency_level="Strong",
                                output_fields=["*"], limit=100)
    assert batch.schema.field("ni").nullable and batch.column("ni").null_count == N // 3 + 1
    close(by_id(py), by_id(arrow_rows(batch)))
    # And in: the nulls of pyarrow's validity bitmaps reach the server as nulls.
    assert pair.lm.insert_arrow(lm_name, batch) == N
    back = pair.py.query(lm_name, filter="id >= 0", consistency_level="Strong", output_fields=["*"], limit=100)
    close(by_id(src), by_id(back))


def test_other_vectors_through_arrow(pair):
    if pair.server != "lite":
        pytest.skip("float16, bfloat16 and sparse vectors: Milvus 2.4+, and not Milvus Lite 3")
    import numpy as np
    from pymilvus import DataType, MilvusClient

    py_name, lm_name = pair.names("arrow_vec")
    s = MilvusClient.create_schema(auto_id=False)
    s.add_field("id", DataType.INT64, is_primary=True)
    s.add_field("h", DataType.FLOAT16_VECTOR, dim=DIM)
    s.add_field("bh", DataType.BFLOAT16_VECTOR, dim=DIM)
    s.add_field("bin", DataType.BINARY_VECTOR, dim=16)
    s.add_field("sp", DataType.SPARSE_FLOAT_VECTOR)
    idx = pair.py.prepare_index_params()
    idx.add_index("h", index_type="FLAT", metric_type="L2")
    idx.add_index("bh", index_type="FLAT", metric_type="L2")
    idx.add_index("bin", index_type="BIN_FLAT", metric_type="HAMMING")
    idx.add_index("sp", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
    for name in (py_name, lm_name):
        pair.py.create_collection(name, schema=s, index_params=idx)
        pair.created.append(name)
    h = np.arange(N * DIM, dtype=np.float16).reshape(N, DIM) / 8
    bh = np.arange(N * DIM, dtype=np.float32).reshape(N, DIM) / 4
    bh_bits = (bh.view(np.uint32) >> 16).astype(np.uint16)  # exact in bfloat16
    binv = np.arange(N * 2, dtype=np.uint8).reshape(N, 2)
    sp = [{i + 1: float(i) + 0.5, 100 + i: 2.0} for i in range(N)]
    src = [{"id": i, "h": h[i], "bh": bh_bits[i].tobytes(), "bin": binv[i].tobytes(),
            "sp": sp[i]} for i in range(N)]
    pair.py.insert(py_name, src)
    pair.py.load_collection(py_name)
    batch = pair.lm.typed_arrow("query", collection_name=py_name, filter="id >= 0", consistency_level="Strong",
                                output_fields=["*"], limit=100)
    got = sorted(batch.to_pylist(), key=lambda r: r["id"])
    assert batch.schema.field("h").type == pa.list_(pa.field("item", pa.float16(), False), DIM)
    assert batch.schema.field("bh").type == pa.binary(DIM * 2)
    assert batch.schema.field("bin").type == pa.binary(2)
    for i, r in enumerate(got):
        assert r["id"] == i
        assert [float(x) for x in r["h"]] == [float(x) for x in h[i]]
        assert r["bh"] == bh_bits[i].tobytes()
        assert r["bin"] == binv[i].tobytes()
        assert dict(r["sp"]) == sp[i]
    # Inserted back as exported (bfloat16 told apart by its milvus.type metadata).
    assert pair.lm.insert_arrow(lm_name, batch) == N
    pair.py.load_collection(lm_name)
    a = pair.py.query(py_name, filter="id >= 0", consistency_level="Strong", output_fields=["*"], limit=100)
    b = pair.py.query(lm_name, filter="id >= 0", consistency_level="Strong", output_fields=["*"], limit=100)
    assert by_id(a) == by_id(b)
