"""dump_messages, pymilvus 3.0.2's one server-streaming call: the request, the messages as
pymilvus gives them (libmilvus: pages of an iterator, payloads in base64), a server error in
the stream, and the refusals made before anything is sent.
"""

import base64

import pytest
from pymilvus.exceptions import MilvusException, ParamError
from pymilvus.grpc_gen import common_pb2, milvus_pb2

import libmilvus

START = {"id": "0x1f2e", "wal_name": "Pulsar"}


def message(i, with_id=True):
    m = common_pb2.ImmutableMessage(payload=bytes([i, 0, 255]), properties={"n": str(i)})
    if with_id:
        m.id.CopyFrom(common_pb2.MessageID(id=f"m{i}", WAL_name=common_pb2.WALName.Kafka))
    return milvus_pb2.DumpMessagesResponse(message=m)


@pytest.fixture(autouse=True)
def clean(rec):
    yield
    rec.replies.clear()


def as_lm(m):
    return {"message_id": m["message_id"], "payload": base64.b64encode(m["payload"]).decode(),
            "properties": m["properties"]}


@pytest.mark.parametrize("kwargs", [
    {},
    {"start_timetick": 100},
    {"end_timetick": 200},
    {"start_timetick": 100, "end_timetick": 200, "timeout": 5},
], ids=lambda k: "-".join(k) or "plain")
@pytest.mark.parametrize("wal", ["Pulsar", "Kafka", "RocksMQ", "WoodPecker", "Unknown", "Test"])
def test_dump_messages(rec, adjusted_request, kwargs, wal):
    rec.replies["DumpMessages"] = [message(1), message(2, with_id=False),
                                   milvus_pb2.DumpMessagesResponse(status=common_pb2.Status()),
                                   message(3)]
    start = {"id": "0x1f2e", "wal_name": wal}
    got = {}

    def py_call(py):
        got["py"] = list(py.dump_messages("by-dev-dml_0", start, **kwargs))

    def lm_call(lm):
        got["lm"] = [m for page in lm.iterate("dump_messages", pchannel="by-dev-dml_0",
                                              start_message_id=start, **kwargs) for m in page]

    adjusted_request("DumpMessages", py_call, lm_call)
    assert len(got["py"]) == 3
    assert got["lm"] == [as_lm(m) for m in got["py"]]


def test_dump_messages_empty_stream(rec, clients):
    _, lm = clients
    assert lm.iterate("dump_messages", pchannel="p", start_message_id=START) == []


def test_dump_messages_server_error_in_the_stream(rec, clients):
    py, lm = clients
    rec.replies["DumpMessages"] = [
        message(1), milvus_pb2.DumpMessagesResponse(
            status=common_pb2.Status(code=1100, reason="wal is gone"))]
    seen = []
    with pytest.raises(MilvusException) as pe:
        for m in py.dump_messages("p", START):
            seen.append(m)
    assert len(seen) == 1 and pe.value.code == 1100
    L = libmilvus.lib()
    import ctypes
    import json
    it, err = ctypes.c_void_p(), ctypes.c_void_p()
    st = L.milvus_client_dump_messages(lm._h, json.dumps(
        {"pchannel": "p", "start_message_id": START}).encode(), ctypes.byref(it),
        ctypes.byref(err))
    assert st == 0
    try:
        pages, failure = [], None
        for _ in range(3):
            buf = libmilvus._Buffer()
            st = L.milvus_iterator_next(it, ctypes.byref(buf), ctypes.byref(err))
            if st != 0:
                failure = libmilvus._take_error(st, err.value, "next")
                break
            pages.append(json.loads(ctypes.string_at(buf.data, buf.len)))
            L.milvus_buffer_free(ctypes.byref(buf))
    finally:
        L.milvus_iterator_free(it)
    # The message before the error comes first; then the error, with the server's code.
    assert [m["properties"] for p in pages for m in p] == [{"n": "1"}]
    assert failure is not None and failure.status_name == "MILVUS_ERR_SERVER"
    assert failure.server_code == 1100 and "wal is gone" in failure.message


@pytest.mark.parametrize("args", [
    {"pchannel": "", "start_message_id": START},
    {"start_message_id": START},
    {"pchannel": "p", "start_message_id": {}},
    {"pchannel": "p", "start_message_id": {"wal_name": "Pulsar"}},
    {"pchannel": "p", "start_message_id": {"id": "", "wal_name": "Pulsar"}},
    {"pchannel": "p", "start_message_id": {"id": "1", "wal_name": "pulsar"}},
    {"pchannel": "p", "start_message_id": {"id": "1"}},
    {"pchannel": "p", "start_message_id": "1"},
])
def test_dump_messages_refusals(rec, clients, args):
    py, lm = clients
    rec.take()
    with pytest.raises((ParamError, TypeError)):
        list(py.dump_messages(args.get("pchannel"), args["start_message_id"]))
    with pytest.raises(libmilvus.MilvusError) as e:
        lm.iterate("dump_messages", **args)
    assert e.value.status_name == "MILVUS_ERR_INVALID_ARGUMENT"
    assert rec.take() == []
