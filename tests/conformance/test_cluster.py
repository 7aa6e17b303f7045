"""Replication, external collections and file resources as pymilvus 3.0.2 requests them: every
keyword of each method compared on the wire, results compared with what pymilvus returns,
pymilvus's refusals refused alike with nothing sent, and a server's refusal read back with its
code and message. The fixtures `both`, `refused` and `server_error` are test_snapshots.py's."""

import dataclasses

import libmilvus
import pytest
from google.protobuf.json_format import MessageToDict
from pymilvus.grpc_gen import common_pb2, milvus_pb2
from test_snapshots import both, refused, server_error  # noqa: F401  (fixtures)


def ok():
    return common_pb2.Status()


def refusal(code, reason):
    return common_pb2.Status(code=code, reason=reason)


def refresh_job(job_id, state, **kw):
    return milvus_pb2.RefreshExternalCollectionJobInfo(
        job_id=job_id, collection_name="ext", state=state, progress=60,
        external_source="s3://bucket/data/", start_time=1_700_000_000_000, end_time=0, **kw)


CONFIG = common_pb2.ReplicateConfiguration(
    clusters=[
        common_pb2.MilvusCluster(
            cluster_id="primary",
            connection_param=common_pb2.ConnectionParam(uri="http://a:19530", token="t"),
            pchannels=["a-dml_0", "a-dml_1"]),
        common_pb2.MilvusCluster(
            cluster_id="standby", connection_param=common_pb2.ConnectionParam(uri="http://b")),
    ],
    cross_cluster_topology=[common_pb2.CrossClusterTopology(source_cluster_id="primary",
                                                            target_cluster_id="standby")])


@pytest.fixture(autouse=True)
def server(rec):
    rec.replies.update({
        "GetReplicateConfiguration": milvus_pb2.GetReplicateConfigurationResponse(
            status=ok(), configuration=CONFIG),
        "GetReplicateInfo": milvus_pb2.GetReplicateInfoResponse(
            checkpoint=common_pb2.ReplicateCheckpoint(
                cluster_id="primary", pchannel="a-dml_0", time_tick=449_000_000_000_000_000,
                message_id=common_pb2.MessageID(id="0a0b", WAL_name=common_pb2.WoodPecker))),
        "RefreshExternalCollection": milvus_pb2.RefreshExternalCollectionResponse(
            status=ok(), job_id=31),
        "GetRefreshExternalCollectionProgress":
            milvus_pb2.GetRefreshExternalCollectionProgressResponse(
                status=ok(), job_info=refresh_job(31, milvus_pb2.RefreshInProgress,
                                                  external_spec='{"format": "parquet"}')),
        "ListRefreshExternalCollectionJobs":
            milvus_pb2.ListRefreshExternalCollectionJobsResponse(
                status=ok(), jobs=[refresh_job(30, milvus_pb2.RefreshCompleted),
                                   refresh_job(31, milvus_pb2.RefreshFailed, reason="no files")]),
        "ListFileResources": milvus_pb2.ListFileResourcesResponse(
            status=ok(), resources=[milvus_pb2.FileResourceInfo(id=1, name="dict",
                                                                path="s3://b/dict.txt"),
                                    milvus_pb2.FileResourceInfo(id=2, name="stop",
                                                                path="/data/stop.txt")]),
    })
    yield
    rec.replies.clear()


# ---------------------------------------------------------------------------------------------
# Replication

CLUSTERS = [
    {"cluster_id": "primary", "connection_param": {"uri": "http://a:19530", "token": "t"},
     "pchannels": ["a-dml_0", "a-dml_1"]},
    {"cluster_id": "standby", "connection_param": {"uri": "http://b:19530"}},
]
TOPOLOGY = [{"source_cluster_id": "primary", "target_cluster_id": "standby"}]


def status_dict(s):
    """pymilvus returns the reply's Status message: its fields by name."""
    return {"error_code": s.error_code, "reason": s.reason, "code": s.code,
            "retriable": s.retriable, "detail": s.detail, "extra_info": dict(s.extra_info)}


@pytest.mark.parametrize("kwargs", [
    {},
    {"cross_cluster_topology": TOPOLOGY},
    {"force_promote": True},
    {"force_promote": False, "timeout": 5},
    {"cross_cluster_topology": [], "force_promote": True, "timeout": 5},
], ids=lambda k: "-".join(k) or "defaults")
@pytest.mark.parametrize("clusters", [CLUSTERS, CLUSTERS[:1], []], ids=["two", "one", "none"])
def test_update_replicate_configuration(both, clusters, kwargs):
    a, b = both("UpdateReplicateConfiguration",
                lambda py: status_dict(py.update_replicate_configuration(clusters, **kwargs)),
                "update_replicate_configuration", clusters=clusters, **kwargs)
    assert a == b


def test_get_replicate_configuration(both):
    a, b = both("GetReplicateConfiguration",
                lambda py: MessageToDict(py.get_replicate_configuration(timeout=5),
                                         preserving_proto_field_name=True,
                                         always_print_fields_with_no_presence=True),
                "get_replicate_configuration", timeout=5)
    assert a == b
    assert b["clusters"][1] == {"cluster_id": "standby", "pchannels": [],
                                "connection_param": {"uri": "http://b", "token": ""}}


def test_get_replicate_configuration_unset(rec, both):
    rec.replies["GetReplicateConfiguration"] = milvus_pb2.GetReplicateConfigurationResponse(
        status=ok())
    a, b = both("GetReplicateConfiguration",
                lambda py: MessageToDict(py.get_replicate_configuration(),
                                         preserving_proto_field_name=True,
                                         always_print_fields_with_no_presence=True),
                "get_replicate_configuration")
    assert a == b == {"clusters": [], "cross_cluster_topology": []}


@pytest.mark.parametrize("reply", [
    None,
    milvus_pb2.GetReplicateInfoResponse(),
    milvus_pb2.GetReplicateInfoResponse(
        checkpoint=common_pb2.ReplicateCheckpoint(cluster_id="primary", pchannel="a-dml_0"),
        salvage_checkpoint=common_pb2.ReplicateCheckpoint(
            time_tick=5, message_id=common_pb2.MessageID(id="ff", WAL_name=common_pb2.Kafka))),
    milvus_pb2.GetReplicateInfoResponse(
        checkpoint=common_pb2.ReplicateCheckpoint(message_id=common_pb2.MessageID())),
], ids=["checkpoint", "empty", "salvage", "only-message-id"])
def test_get_replicate_info(rec, both, reply):
    if reply is not None:
        rec.replies["GetReplicateInfo"] = reply
    a, b = both("GetReplicateInfo",
                lambda py: py.get_replicate_info("primary", "a-dml_0", timeout=5),
                "get_replicate_info", source_cluster_id="primary", target_pchannel="a-dml_0",
                timeout=5)
    assert a == b


def test_get_replicate_info_read_back(both):
    _, b = both("GetReplicateInfo", lambda py: py.get_replicate_info("primary", "a-dml_0"),
                "get_replicate_info", source_cluster_id="primary", target_pchannel="a-dml_0")
    assert b == {"checkpoint": {"cluster_id": "primary", "pchannel": "a-dml_0",
                                "message_id": {"id": "0a0b", "wal_name": "WoodPecker"},
                                "time_tick": 449_000_000_000_000_000},
                 "salvage_checkpoint": None}


# ---------------------------------------------------------------------------------------------
# External collections

@pytest.mark.parametrize("kwargs", [
    {},
    {"external_source": "s3://bucket/new/"},
    {"external_spec": '{"format": "parquet"}'},
    {"db_name": "db2"},
    {"external_source": "s3://b/", "external_spec": "{}", "db_name": "db2", "timeout": 5},
    {"external_source": None, "external_spec": None, "db_name": None},
], ids=lambda k: "-".join(f"{a}={b}" for a, b in k.items()) or "defaults")
def test_refresh_external_collection(both, kwargs):
    a, b = both("RefreshExternalCollection",
                lambda py: py.refresh_external_collection("ext", **kwargs),
                "refresh_external_collection", collection_name="ext", **kwargs)
    assert a == b == 31


def as_dict(v):
    return [as_dict(x) for x in v] if isinstance(v, list) else dataclasses.asdict(v)


@pytest.mark.parametrize("state", milvus_pb2.RefreshExternalCollectionState.keys())
def test_get_refresh_external_collection_progress(rec, both, state):
    rec.replies["GetRefreshExternalCollectionProgress"] = \
        milvus_pb2.GetRefreshExternalCollectionProgressResponse(
            status=ok(), job_info=refresh_job(
                31, milvus_pb2.RefreshExternalCollectionState.Value(state),
                external_spec='{"format": "parquet"}'))
    a, b = both("GetRefreshExternalCollectionProgress",
                lambda py: as_dict(py.get_refresh_external_collection_progress(31, timeout=5)),
                "get_refresh_external_collection_progress", job_id=31, timeout=5)
    assert a == b and b["state"] == state


@pytest.mark.parametrize("kwargs", [
    {},
    {"collection_name": "ext"},
    {"db_name": "db2"},
    {"collection_name": "ext", "db_name": "db2", "timeout": 5},
    {"collection_name": None, "db_name": None},
], ids=lambda k: "-".join(f"{a}={b}" for a, b in k.items()) or "defaults")
def test_list_refresh_external_collection_jobs(both, kwargs):
    a, b = both("ListRefreshExternalCollectionJobs",
                lambda py: as_dict(py.list_refresh_external_collection_jobs(**kwargs)),
                "list_refresh_external_collection_jobs", **kwargs)
    assert a == b
    assert [(j["job_id"], j["state"], j["reason"]) for j in b] == [
        (30, "RefreshCompleted", ""), (31, "RefreshFailed", "no files")]


# ---------------------------------------------------------------------------------------------
# File resources

@pytest.mark.parametrize("kwargs", [{}, {"timeout": 5}], ids=["defaults", "timeout"])
def test_add_remove_file_resource(both, kwargs):
    a, b = both("AddFileResource",
                lambda py: py.add_file_resource("dict", "s3://b/dict.txt", **kwargs),
                "add_file_resource", name="dict", path="s3://b/dict.txt", **kwargs)
    assert a is None and b is None
    a, b = both("RemoveFileResource", lambda py: py.remove_file_resource("dict", **kwargs),
                "remove_file_resource", name="dict", **kwargs)
    assert a is None and b is None


@pytest.mark.parametrize("kwargs", [{}, {"timeout": 5}], ids=["defaults", "timeout"])
def test_list_file_resources(both, kwargs):
    a, b = both("ListFileResources",
                lambda py: [vars(r) for r in py.list_file_resources(**kwargs)],
                "list_file_resources", **kwargs)
    assert a == b == [{"name": "dict", "path": "s3://b/dict.txt"},
                      {"name": "stop", "path": "/data/stop.txt"}]


# ---------------------------------------------------------------------------------------------
# What pymilvus refuses before sending

@pytest.mark.parametrize("kwargs", [
    {"clusters": None},
    {"clusters": [{"connection_param": {"uri": "http://a"}}]},
    {"clusters": [{"cluster_id": "a"}]},
    {"clusters": [{"cluster_id": "a", "connection_param": {"token": "t"}}]},
    {"clusters": [], "cross_cluster_topology": [{"target_cluster_id": "b"}]},
    {"clusters": [], "cross_cluster_topology": [{"source_cluster_id": "a"}]},
], ids=["no-clusters", "no-cluster-id", "no-connection-param", "no-uri", "no-source",
        "no-target"])
def test_update_replicate_configuration_refused(refused, kwargs):
    refused("UpdateReplicateConfiguration",
            lambda py: py.update_replicate_configuration(**kwargs),
            "update_replicate_configuration", **kwargs)


@pytest.mark.parametrize("kwargs", [
    {"source_cluster_id": "", "target_pchannel": "p"},
    {"source_cluster_id": "a", "target_pchannel": ""},
    {"source_cluster_id": None, "target_pchannel": "p"},
    {"source_cluster_id": "a", "target_pchannel": None},
], ids=["empty-source", "empty-pchannel", "null-source", "null-pchannel"])
def test_get_replicate_info_refused(refused, kwargs):
    refused("GetReplicateInfo", lambda py: py.get_replicate_info(**kwargs),
            "get_replicate_info", **kwargs)


# ---------------------------------------------------------------------------------------------
# A server's refusal: its code and reason, in pymilvus's exception and in libmilvus's error.

ERRORS = [
    ("UpdateReplicateConfiguration", refusal(1100, "invalid topology"),
     lambda py: py.update_replicate_configuration(CLUSTERS, TOPOLOGY),
     "update_replicate_configuration", {"clusters": CLUSTERS, "cross_cluster_topology": TOPOLOGY}),
    ("GetReplicateConfiguration",
     milvus_pb2.GetReplicateConfigurationResponse(status=refusal(1100, "not a primary")),
     lambda py: py.get_replicate_configuration(), "get_replicate_configuration", {}),
    ("RefreshExternalCollection",
     milvus_pb2.RefreshExternalCollectionResponse(status=refusal(1100, "not external")),
     lambda py: py.refresh_external_collection("ext"), "refresh_external_collection",
     {"collection_name": "ext"}),
    ("GetRefreshExternalCollectionProgress",
     milvus_pb2.GetRefreshExternalCollectionProgressResponse(status=refusal(1100, "no job")),
     lambda py: py.get_refresh_external_collection_progress(8),
     "get_refresh_external_collection_progress", {"job_id": 8}),
    ("ListRefreshExternalCollectionJobs",
     milvus_pb2.ListRefreshExternalCollectionJobsResponse(status=refusal(1100, "disabled")),
     lambda py: py.list_refresh_external_collection_jobs(),
     "list_refresh_external_collection_jobs", {}),
    ("AddFileResource", refusal(1100, "file resource exists"),
     lambda py: py.add_file_resource("dict", "/d"), "add_file_resource",
     {"name": "dict", "path": "/d"}),
    ("RemoveFileResource", refusal(1100, "file resource in use"),
     lambda py: py.remove_file_resource("dict"), "remove_file_resource", {"name": "dict"}),
    ("ListFileResources",
     milvus_pb2.ListFileResourcesResponse(status=refusal(1100, "disabled")),
     lambda py: py.list_file_resources(), "list_file_resources", {}),
]


@pytest.mark.parametrize("rpc,reply,py_call,method,kwargs", ERRORS, ids=[e[0] for e in ERRORS])
def test_server_error(server_error, rpc, reply, py_call, method, kwargs):
    server_error(rpc, reply, py_call, method, "MILVUS_ERR_SERVER", **kwargs)


def test_refresh_external_collection_not_found(server_error):
    server_error("RefreshExternalCollection",
                 milvus_pb2.RefreshExternalCollectionResponse(
                     status=refusal(100, "collection not found[collection=ext]")),
                 lambda py: py.refresh_external_collection("ext"),
                 "refresh_external_collection", "MILVUS_ERR_COLLECTION_NOT_FOUND",
                 collection_name="ext")
