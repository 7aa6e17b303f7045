"""Snapshots as pymilvus 3.0.2 requests them: every keyword of create/drop/list/describe/
restore_snapshot, the restore jobs and pinning, each compared on the wire; results compared
with what pymilvus returns (its dataclasses as dicts); pymilvus's refusals refused alike,
with nothing sent; and a server's refusal read back with its code and message."""

import dataclasses

import libmilvus
import pytest
from pymilvus.exceptions import MilvusException, ParamError
from pymilvus.grpc_gen import common_pb2, milvus_pb2


def ok():
    return common_pb2.Status()


def job(job_id, state, reason=""):
    return milvus_pb2.RestoreSnapshotInfo(
        job_id=job_id, snapshot_name="s1", db_name="db2", collection_name="restored",
        state=state, progress=40, reason=reason, start_time=1_700_000_000_000,
        time_cost=1500)


@pytest.fixture(autouse=True)
def server(rec):
    """Replies with content, so that both clients read every field."""
    rec.replies.update({
        "ListSnapshots": milvus_pb2.ListSnapshotsResponse(status=ok(), snapshots=["s1", "s2"]),
        "DescribeSnapshot": milvus_pb2.DescribeSnapshotResponse(
            status=ok(), name="s1", description="daily", collection_name="c",
            partition_names=["_default", "p1"], create_ts=1_700_000_000_123,
            s3_location="s3://bucket/snapshots/s1"),
        "RestoreSnapshot": milvus_pb2.RestoreSnapshotResponse(status=ok(), job_id=9001),
        "GetRestoreSnapshotState": milvus_pb2.GetRestoreSnapshotStateResponse(
            status=ok(), info=job(9001, milvus_pb2.RestoreSnapshotExecuting)),
        "ListRestoreSnapshotJobs": milvus_pb2.ListRestoreSnapshotJobsResponse(
            status=ok(), jobs=[job(1, milvus_pb2.RestoreSnapshotCompleted),
                               job(2, milvus_pb2.RestoreSnapshotFailed, "disk full"),
                               job(3, milvus_pb2.RestoreSnapshotPending)]),
        "PinSnapshotData": milvus_pb2.PinSnapshotDataResponse(status=ok(), pin_id=77),
    })
    yield
    rec.replies.clear()


def plain(v):
    """pymilvus's result as JSON would hold it: dataclasses as dicts."""
    if dataclasses.is_dataclass(v):
        return dataclasses.asdict(v)
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


@pytest.fixture
def both(rec, clients, compare_parts):
    """both(rpc, py_call, method, **kwargs): one call through each client; the one request of
    `rpc` each sent must be equal, metadata included. Returns (pymilvus's result as plain
    data, libmilvus's)."""
    py, lm = clients
    normalised, diff = compare_parts

    def run(rpc, py_call, method, **kwargs):
        rec.take()
        a_result = py_call(py)
        a = [c for c in rec.take() if c.method == rpc]
        b_result = lm.call(method, **kwargs)
        b = [c for c in rec.take() if c.method == rpc]
        assert len(a) == len(b) == 1, f"{rpc}: pymilvus sent {len(a)}, libmilvus {len(b)}"
        (ra, ma), (rb, mb) = normalised(a[0]), normalised(b[0])
        problems = diff(ra, rb) + diff(ma, mb, "metadata")
        assert not problems, f"{rpc} differs:\n  " + "\n  ".join(problems)
        return plain(a_result), b_result

    return run


@pytest.fixture
def refused(rec, clients):
    """refused(rpc, py_call, method, **kwargs): pymilvus raises ParamError, libmilvus answers
    MILVUS_ERR_INVALID_ARGUMENT, and neither sends `rpc`."""
    py, lm = clients

    def run(rpc, py_call, method, **kwargs):
        rec.take()
        with pytest.raises(ParamError):
            py_call(py)
        with pytest.raises(libmilvus.MilvusError) as e:
            lm.call(method, **kwargs)
        assert e.value.status_name == "MILVUS_ERR_INVALID_ARGUMENT", e.value
        assert not [c for c in rec.take() if c.method == rpc]

    return run


@pytest.fixture
def server_error(rec, clients):
    """server_error(rpc, reply, py_call, method, want_status, **kwargs): the server answers
    `reply` (a status with a code and a reason); pymilvus raises MilvusException with them,
    libmilvus fails with `want_status`, the server's code and its reason in the message."""
    py, lm = clients

    def run(rpc, reply, py_call, method, want_status, **kwargs):
        rec.replies[rpc] = reply
        status = reply if isinstance(reply, common_pb2.Status) else reply.status
        with pytest.raises(MilvusException) as pe:
            py_call(py)
        with pytest.raises(libmilvus.MilvusError) as le:
            lm.call(method, **kwargs)
        assert (pe.value.code, pe.value.message) == (status.code, status.reason)
        assert le.value.status_name == want_status, le.value
        assert le.value.server_code == status.code
        assert le.value.message.endswith(status.reason), le.value.message

    return run


# ---------------------------------------------------------------------------------------------
# create_snapshot, drop_snapshot, describe_snapshot

@pytest.mark.parametrize("kwargs", [
    {},
    {"db_name": "db2"},
    {"description": "daily backup"},
    {"compaction_protection_seconds": 3600},
    {"compaction_protection_seconds": 0},
    {"timeout": 5},
    {"db_name": "db2", "description": "d", "compaction_protection_seconds": 60, "timeout": 7},
    {"db_name": None, "description": None},
], ids=lambda k: "-".join(f"{a}={b}" for a, b in k.items()) or "defaults")
def test_create_snapshot(both, kwargs):
    a, b = both("CreateSnapshot", lambda py: py.create_snapshot("s1", "c", **kwargs),
                "create_snapshot", snapshot_name="s1", collection_name="c", **kwargs)
    assert a is None and b is None


@pytest.mark.parametrize("kwargs", [{}, {"db_name": "db2"}, {"timeout": 5}],
                         ids=lambda k: "-".join(k) or "defaults")
def test_drop_snapshot(both, kwargs):
    a, b = both("DropSnapshot", lambda py: py.drop_snapshot("s1", "c", **kwargs),
                "drop_snapshot", snapshot_name="s1", collection_name="c", **kwargs)
    assert a is None and b is None


@pytest.mark.parametrize("kwargs", [{}, {"db_name": "db2"}, {"timeout": 5}],
                         ids=lambda k: "-".join(k) or "defaults")
def test_describe_snapshot(both, kwargs):
    a, b = both("DescribeSnapshot", lambda py: py.describe_snapshot("s1", "c", **kwargs),
                "describe_snapshot", snapshot_name="s1", collection_name="c", **kwargs)
    assert a == b
    assert b["partition_names"] == ["_default", "p1"] and b["create_ts"] == 1_700_000_000_123


@pytest.mark.parametrize("kwargs", [
    {},
    {"collection_name": "c"},
    {"db_name": "db2"},
    {"collection_name": "c", "db_name": "db2", "timeout": 5},
    {"collection_name": None, "db_name": None},
], ids=lambda k: "-".join(f"{a}={b}" for a, b in k.items()) or "defaults")
def test_list_snapshots(both, kwargs):
    a, b = both("ListSnapshots", lambda py: py.list_snapshots(**kwargs),
                "list_snapshots", **kwargs)
    assert a == b == ["s1", "s2"]


# ---------------------------------------------------------------------------------------------
# restore_snapshot and its jobs

@pytest.mark.parametrize("kwargs", [
    {},
    {"source_db_name": "db1"},
    {"target_db_name": "db2"},
    {"source_db_name": "db1", "target_db_name": "db2", "timeout": 5},
    {"source_db_name": None, "target_db_name": None},
], ids=lambda k: "-".join(f"{a}={b}" for a, b in k.items()) or "defaults")
def test_restore_snapshot(both, kwargs):
    a, b = both("RestoreSnapshot",
                lambda py: py.restore_snapshot("s1", "c", "restored", **kwargs),
                "restore_snapshot", snapshot_name="s1", source_collection_name="c",
                target_collection_name="restored", **kwargs)
    assert a == b == 9001


@pytest.mark.parametrize("state", milvus_pb2.RestoreSnapshotState.keys())
def test_get_restore_snapshot_state(rec, both, state):
    rec.replies["GetRestoreSnapshotState"] = milvus_pb2.GetRestoreSnapshotStateResponse(
        status=ok(), info=job(9001, milvus_pb2.RestoreSnapshotState.Value(state),
                              reason="disk full" if state == "RestoreSnapshotFailed" else ""))
    a, b = both("GetRestoreSnapshotState",
                lambda py: py.get_restore_snapshot_state(9001, timeout=5),
                "get_restore_snapshot_state", job_id=9001, timeout=5)
    assert a == b and b["state"] == state


@pytest.mark.parametrize("kwargs", [
    {},
    {"collection_name": "restored"},
    {"db_name": "db2"},
    {"collection_name": "restored", "db_name": "db2", "timeout": 5},
], ids=lambda k: "-".join(k) or "defaults")
def test_list_restore_snapshot_jobs(both, kwargs):
    a, b = both("ListRestoreSnapshotJobs", lambda py: py.list_restore_snapshot_jobs(**kwargs),
                "list_restore_snapshot_jobs", **kwargs)
    assert a == b
    assert [j["state"] for j in b] == ["RestoreSnapshotCompleted", "RestoreSnapshotFailed",
                                       "RestoreSnapshotPending"]


# ---------------------------------------------------------------------------------------------
# pin_snapshot_data, unpin_snapshot_data

@pytest.mark.parametrize("kwargs", [
    {},
    {"db_name": "db2"},
    {"ttl_seconds": 3600},
    {"db_name": "db2", "ttl_seconds": 0, "timeout": 5},
], ids=lambda k: "-".join(k) or "defaults")
def test_pin_snapshot_data(both, kwargs):
    a, b = both("PinSnapshotData", lambda py: py.pin_snapshot_data("s1", "c", **kwargs),
                "pin_snapshot_data", snapshot_name="s1", collection_name="c", **kwargs)
    assert a == b == 77


@pytest.mark.parametrize("kwargs", [{}, {"timeout": 5}], ids=["defaults", "timeout"])
def test_unpin_snapshot_data(both, kwargs):
    a, b = both("UnpinSnapshotData", lambda py: py.unpin_snapshot_data(77, **kwargs),
                "unpin_snapshot_data", pin_id=77, **kwargs)
    assert a is None and b is None


# ---------------------------------------------------------------------------------------------
# What pymilvus refuses before sending

@pytest.mark.parametrize("rpc,method,kwargs", [
    ("CreateSnapshot", "create_snapshot", {"snapshot_name": "", "collection_name": "c"}),
    ("CreateSnapshot", "create_snapshot", {"snapshot_name": "s", "collection_name": ""}),
    ("CreateSnapshot", "create_snapshot",
     {"snapshot_name": "s", "collection_name": "c", "compaction_protection_seconds": -1}),
    ("CreateSnapshot", "create_snapshot",
     {"snapshot_name": "s", "collection_name": "c", "compaction_protection_seconds": None}),
    ("CreateSnapshot", "create_snapshot",
     {"snapshot_name": "s", "collection_name": "c", "compaction_protection_seconds": True}),
    ("DropSnapshot", "drop_snapshot", {"snapshot_name": "", "collection_name": "c"}),
    ("DropSnapshot", "drop_snapshot", {"snapshot_name": "s", "collection_name": ""}),
    ("DescribeSnapshot", "describe_snapshot", {"snapshot_name": "", "collection_name": "c"}),
    ("DescribeSnapshot", "describe_snapshot", {"snapshot_name": "s", "collection_name": ""}),
    ("RestoreSnapshot", "restore_snapshot", {"snapshot_name": "", "source_collection_name": "c",
                                             "target_collection_name": "t"}),
    ("RestoreSnapshot", "restore_snapshot", {"snapshot_name": "s", "source_collection_name": "",
                                             "target_collection_name": "t"}),
    ("RestoreSnapshot", "restore_snapshot", {"snapshot_name": "s", "source_collection_name": "c",
                                             "target_collection_name": ""}),
    ("GetRestoreSnapshotState", "get_restore_snapshot_state", {"job_id": 0}),
    ("GetRestoreSnapshotState", "get_restore_snapshot_state", {"job_id": -5}),
    ("PinSnapshotData", "pin_snapshot_data", {"snapshot_name": "", "collection_name": "c"}),
    ("PinSnapshotData", "pin_snapshot_data", {"snapshot_name": "s", "collection_name": ""}),
    ("PinSnapshotData", "pin_snapshot_data",
     {"snapshot_name": "s", "collection_name": "c", "ttl_seconds": -1}),
    ("PinSnapshotData", "pin_snapshot_data",
     {"snapshot_name": "s", "collection_name": "c", "ttl_seconds": False}),
    ("UnpinSnapshotData", "unpin_snapshot_data", {"pin_id": 0}),
    ("UnpinSnapshotData", "unpin_snapshot_data", {"pin_id": -1}),
    ("UnpinSnapshotData", "unpin_snapshot_data", {"pin_id": True}),
], ids=lambda v: v if isinstance(v, str) else "-".join(f"{k}={v[k]!r}" for k in v))
def test_refused_before_sending(refused, rpc, method, kwargs):
    refused(rpc, lambda py: getattr(py, method)(**kwargs), method, **kwargs)


# ---------------------------------------------------------------------------------------------
# A server's refusal: its code and reason, in pymilvus's exception and in libmilvus's error.

def refusal(code, reason):
    return common_pb2.Status(code=code, reason=reason)


@pytest.mark.parametrize("code,reason,want", [
    (1100, "snapshot s1 already exists", "MILVUS_ERR_SERVER"),
    (100, "collection not found[collection=c]", "MILVUS_ERR_COLLECTION_NOT_FOUND"),
    (800, "database not found[database=db2]", "MILVUS_ERR_DATABASE_NOT_FOUND"),
], ids=["1100", "collection-not-found", "database-not-found"])
def test_create_snapshot_server_error(server_error, code, reason, want):
    server_error("CreateSnapshot", refusal(code, reason),
                 lambda py: py.create_snapshot("s1", "c", db_name="db2"),
                 "create_snapshot", want, snapshot_name="s1", collection_name="c",
                 db_name="db2")


ERRORS = [
    ("DropSnapshot", refusal(1100, "snapshot not found"),
     lambda py: py.drop_snapshot("s1", "c"), "drop_snapshot",
     {"snapshot_name": "s1", "collection_name": "c"}),
    ("ListSnapshots",
     milvus_pb2.ListSnapshotsResponse(status=refusal(1100, "snapshots disabled")),
     lambda py: py.list_snapshots(), "list_snapshots", {}),
    ("DescribeSnapshot",
     milvus_pb2.DescribeSnapshotResponse(status=refusal(1100, "snapshot not found")),
     lambda py: py.describe_snapshot("s1", "c"), "describe_snapshot",
     {"snapshot_name": "s1", "collection_name": "c"}),
    ("RestoreSnapshot",
     milvus_pb2.RestoreSnapshotResponse(status=refusal(65535, "target collection exists")),
     lambda py: py.restore_snapshot("s1", "c", "t"), "restore_snapshot",
     {"snapshot_name": "s1", "source_collection_name": "c", "target_collection_name": "t"}),
    ("GetRestoreSnapshotState",
     milvus_pb2.GetRestoreSnapshotStateResponse(status=refusal(1100, "job not found")),
     lambda py: py.get_restore_snapshot_state(4), "get_restore_snapshot_state", {"job_id": 4}),
    ("ListRestoreSnapshotJobs",
     milvus_pb2.ListRestoreSnapshotJobsResponse(status=refusal(1100, "not supported")),
     lambda py: py.list_restore_snapshot_jobs(), "list_restore_snapshot_jobs", {}),
    ("PinSnapshotData",
     milvus_pb2.PinSnapshotDataResponse(status=refusal(1100, "snapshot not found")),
     lambda py: py.pin_snapshot_data("s1", "c"), "pin_snapshot_data",
     {"snapshot_name": "s1", "collection_name": "c"}),
    ("UnpinSnapshotData", refusal(1100, "pin not found"),
     lambda py: py.unpin_snapshot_data(5), "unpin_snapshot_data", {"pin_id": 5}),
]


@pytest.mark.parametrize("rpc,reply,py_call,method,kwargs", ERRORS, ids=[e[0] for e in ERRORS])
def test_server_error(server_error, rpc, reply, py_call, method, kwargs):
    server_error(rpc, reply, py_call, method, "MILVUS_ERR_SERVER", **kwargs)
