"""list_segments and optimize as pymilvus 3.0.2 sends them. optimize is a sequence of
requests (the schema, the vector indexes, a wait for each, the compaction, its state, the
index rebuild, the load state, a refresh): both clients must send the same ones in the same
order. The recorder answers at once (indexes built, compaction complete), and pymilvus's
half-second pauses are shortened.
"""

import itertools
import time
import types

import pytest
from pymilvus.client.types import SegmentState
from pymilvus.exceptions import MilvusException, ParamError
from pymilvus.grpc_gen import common_pb2, milvus_pb2, schema_pb2

import libmilvus

ok = common_pb2.Status
NAMES = (f"opt_{i}" for i in itertools.count())


def kv(k, v):
    return common_pb2.KeyValuePair(key=k, value=v)


def describe(req):
    return milvus_pb2.DescribeCollectionResponse(
        status=ok(), collection_name=req.collection_name, collectionID=9,
        schema=schema_pb2.CollectionSchema(name=req.collection_name, fields=[
            schema_pb2.FieldSchema(fieldID=100, name="id", data_type=schema_pb2.Int64,
                                   is_primary_key=True),
            schema_pb2.FieldSchema(fieldID=101, name="vector", data_type=schema_pb2.FloatVector,
                                   type_params=[kv("dim", "4")]),
            schema_pb2.FieldSchema(fieldID=102, name="n", data_type=schema_pb2.Int64),
        ]))


def describe_index(req):
    indexes = [("vec_idx", "vector"), ("n_idx", "n")]
    return milvus_pb2.DescribeIndexResponse(status=ok(), index_descriptions=[
        milvus_pb2.IndexDescription(index_name=n, field_name=f,
                                    state=common_pb2.IndexState.Finished)
        for n, f in indexes if req.index_name in ("", n)])


@pytest.fixture(autouse=True)
def server(rec, monkeypatch):
    import pymilvus.client.grpc_handler as handler
    import pymilvus.milvus_client.milvus_client as mc

    quick = types.SimpleNamespace(time=time.time, sleep=lambda s: time.sleep(min(s, 0.001)))
    monkeypatch.setattr(handler, "time", quick)
    monkeypatch.setattr(mc, "time", quick)
    rec.replies.update({
        "DescribeCollection": describe,
        "DescribeIndex": describe_index,
        "AllocTimestamp": milvus_pb2.AllocTimestampResponse(status=ok(), timestamp=4242),
        "ManualCompaction": milvus_pb2.ManualCompactionResponse(status=ok(), compactionID=55),
        "GetCompactionState": milvus_pb2.GetCompactionStateResponse(
            status=ok(), state=common_pb2.CompactionState.Completed),
        "GetLoadState": milvus_pb2.GetLoadStateResponse(
            status=ok(), state=common_pb2.LoadState.LoadStateLoaded),
        "GetLoadingProgress": milvus_pb2.GetLoadingProgressResponse(
            status=ok(), progress=100, refresh_progress=100),
    })
    yield
    rec.replies.clear()


def sequence(calls):
    """The RPCs in order, a load's progress polls left out (their number is timing)."""
    return [c.method for c in calls if c.method != "GetLoadingProgress"]


def run_both(rec, clients, py_call, lm_args):
    py, lm = clients
    rec.take()
    py_result = py_call(py)
    a = rec.take()
    lm_result = lm.call("optimize", **lm_args)
    b = rec.take()
    return a, b, py_result, lm_result


@pytest.mark.parametrize("target_size", [None, "512MB", "1.5gb", " 2 GB ", "3000000", 1048576 * 3])
@pytest.mark.parametrize("loaded", [True, False])
def test_optimize(rec, clients, compare_parts, target_size, loaded):
    if not loaded:
        rec.replies["GetLoadState"] = milvus_pb2.GetLoadStateResponse(
            status=ok(), state=common_pb2.LoadState.LoadStateNotLoad)
    name = next(NAMES)
    args = {"collection_name": name, "timeout": 30}
    if target_size is not None:
        args["target_size"] = target_size
    a, b, py_result, lm_result = run_both(
        rec, clients, lambda py: py.optimize(name, target_size=target_size, timeout=30), args)
    assert sequence(a) == sequence(b)
    assert sequence(b)[:2] == ["DescribeCollection", "DescribeIndex"]
    assert sequence(b).count("AllocTimestamp") == 2 and "ManualCompaction" in sequence(b)
    normalised, diff = compare_parts
    problems = []
    for i, (x, y) in enumerate(zip([c for c in a if c.method != "GetLoadingProgress"],
                                   [c for c in b if c.method != "GetLoadingProgress"])):
        (ra, ma), (rb, mb) = normalised(x), normalised(y)
        # libmilvus's timeout bounds the whole call, each request getting what is left;
        # pymilvus gives some requests the whole timeout and others none (docs/json-api.md).
        pd, ld = ma.pop("(deadline, s)", None), mb.pop("(deadline, s)", None)
        assert ld is not None and ld <= 30 and (pd is None or pd == 30)
        problems += diff(ra, rb, f"{x.method}[{i}]") + diff(ma, mb, f"{x.method}[{i}].md")
    assert not problems, "\n".join(problems)
    assert lm_result == {"status": py_result.status, "collection_name": name,
                         "compaction_id": 55, "target_size": py_result.target_size,
                         "progress": [str(p.value) for p in py_result.progress]}
    assert ("LoadCollection" in sequence(b)) == loaded


def test_optimize_without_wait(rec, clients):
    # pymilvus runs the optimization in a thread and returns its task; libmilvus returns once
    # the compaction is started (docs/json-api.md). The requests up to it are the same.
    name = next(NAMES)

    def py_call(py):
        task = py.optimize(name, target_size="1GB", wait=False)
        return task.result(timeout=30)

    a, b, _, lm_result = run_both(rec, clients, py_call,
                                  {"collection_name": name, "target_size": "1GB", "wait": False})
    upto = sequence(a)[: sequence(a).index("ManualCompaction") + 1]
    assert sequence(b) == upto
    assert lm_result == {"status": "started", "collection_name": name, "compaction_id": 55,
                         "target_size": "1GB",
                         "progress": ["initializing", "waiting for indexes", "compacting"]}


@pytest.mark.parametrize("size", ["abc", "1KB", "12 XB", 10, [1]])
def test_optimize_target_size_refusals(rec, clients, size):
    py, lm = clients
    name = next(NAMES)
    rec.take()
    with pytest.raises(libmilvus.MilvusError) as e:
        lm.call("optimize", collection_name=name, target_size=size)
    assert e.value.status_name == "MILVUS_ERR_INVALID_ARGUMENT"
    assert rec.take() == []
    with pytest.raises(ParamError):
        py.optimize(name, target_size=size)


def test_optimize_times_out_while_compacting(rec, clients):
    _, lm = clients
    rec.replies["GetCompactionState"] = milvus_pb2.GetCompactionStateResponse(
        status=ok(), state=common_pb2.CompactionState.Executing)
    start = time.monotonic()
    with pytest.raises(libmilvus.MilvusError) as e:
        lm.call("optimize", collection_name=next(NAMES), timeout=2)
    assert e.value.status_name == "MILVUS_ERR_TIMEOUT"
    assert time.monotonic() - start < 4


def test_optimize_server_refusal(rec, clients):
    py, lm = clients
    rec.replies["ManualCompaction"] = milvus_pb2.ManualCompactionResponse(
        status=common_pb2.Status(code=1100, reason="compaction refused"))
    with pytest.raises(MilvusException) as pe:
        py.optimize(next(NAMES))
    with pytest.raises(libmilvus.MilvusError) as e:
        lm.call("optimize", collection_name=next(NAMES))
    assert pe.value.code == e.value.server_code == 1100
    assert e.value.status_name == "MILVUS_ERR_SERVER"
    assert "compaction refused" in e.value.message


INFOS = [
    milvus_pb2.PersistentSegmentInfo(segmentID=1, collectionID=9, partitionID=3, num_rows=10,
                                     state=common_pb2.SegmentState.Flushed,
                                     level=common_pb2.SegmentLevel.L1, is_sorted=True,
                                     storage_version=2, insert_channel="dml_0",
                                     compaction_from=[7, 8]),
    milvus_pb2.PersistentSegmentInfo(segmentID=2, collectionID=9, num_rows=1,
                                     state=common_pb2.SegmentState.Dropped),
]


@pytest.mark.parametrize("states", [None, [SegmentState.Flushed],
                                    [SegmentState.Growing, SegmentState.Dropped]])
def test_list_segments(rec, same_request, states):
    rec.replies["GetPersistentSegmentInfo"] = milvus_pb2.GetPersistentSegmentInfoResponse(
        status=ok(), infos=INFOS)
    args = {"collection_name": "c", "timeout": 5}
    if states is not None:
        args["states"] = [s.name for s in states]
    got = {}

    def py_call(py):
        got["py"] = py.list_segments("c", states=states, timeout=5)

    same_request("GetPersistentSegmentInfo", py_call, "list_segments", **args)
    assert len(got["py"]) == 2


def test_list_segments_result(rec, clients):
    py, lm = clients
    rec.replies["GetPersistentSegmentInfo"] = milvus_pb2.GetPersistentSegmentInfoResponse(
        status=ok(), infos=INFOS)
    want = [{"segment_id": s.segment_id, "collection_id": s.collection_id,
             "collection_name": s.collection_name, "num_rows": s.num_rows,
             "is_sorted": s.is_sorted, "state": s.state_name, "level": s.level_name,
             "storage_version": s.storage_version, "partition_id": s.partition_id,
             "insert_channel": s.insert_channel, "compaction_from": s.compaction_from}
            for s in py.list_segments("c")]
    assert lm.call("list_segments", collection_name="c") == want


@pytest.mark.parametrize("states", [[], "Flushed", ["Melted"], [99]])
def test_list_segments_refusals(rec, clients, states):
    _, lm = clients
    rec.take()
    with pytest.raises(libmilvus.MilvusError) as e:
        lm.call("list_segments", collection_name="c", states=states)
    assert e.value.status_name == "MILVUS_ERR_INVALID_ARGUMENT"
    assert rec.take() == []


def test_list_segments_server_refusal(rec, clients):
    py, lm = clients
    rec.replies["GetPersistentSegmentInfo"] = milvus_pb2.GetPersistentSegmentInfoResponse(
        status=common_pb2.Status(code=100, reason="collection not found[c]"))
    with pytest.raises(MilvusException) as pe:
        py.list_segments("c")
    with pytest.raises(libmilvus.MilvusError) as e:
        lm.call("list_segments", collection_name="c")
    assert pe.value.code == e.value.server_code == 100
    assert e.value.status_name == "MILVUS_ERR_COLLECTION_NOT_FOUND"
    assert "collection not found[c]" in e.value.message
