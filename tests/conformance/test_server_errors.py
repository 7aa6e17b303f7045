"""A server's refusal, as each library reports it: for calls of every family, the recorder
answers with a Milvus status (a code and a reason); pymilvus raises MilvusException with both,
and libmilvus fails with the status its table gives that code (src/client/classify.rs), the
server's code, and the reason in its message."""

import libmilvus
import pytest
from pymilvus.exceptions import MilvusException
from pymilvus.grpc_gen import common_pb2, milvus_pb2

# (server code, the libmilvus status it becomes)
CODES = [
    (100, "MILVUS_ERR_COLLECTION_NOT_FOUND"),
    (101, "MILVUS_ERR_COLLECTION_NOT_LOADED"),
    (200, "MILVUS_ERR_PARTITION_NOT_FOUND"),
    (700, "MILVUS_ERR_INDEX_NOT_FOUND"),
    (800, "MILVUS_ERR_DATABASE_NOT_FOUND"),
    (1401, "MILVUS_ERR_PERMISSION_DENIED"),
    (1100, "MILVUS_ERR_SERVER"),
    (65535, "MILVUS_ERR_SERVER"),
]

# (rpc, reply type or None for a bare Status, pymilvus call, libmilvus method, its arguments)
CALLS = [
    ("DescribeCollection", milvus_pb2.DescribeCollectionResponse,
     lambda py: py.describe_collection("c"), "describe_collection", {"collection_name": "c"}),
    ("ShowCollections", milvus_pb2.ShowCollectionsResponse, lambda py: py.list_collections(),
     "list_collections", {}),
    ("DropCollection", None, lambda py: py.drop_collection("c"), "drop_collection",
     {"collection_name": "c"}),
    ("ReleaseCollection", None, lambda py: py.release_collection("c"), "release_collection",
     {"collection_name": "c"}),
    ("CreatePartition", None, lambda py: py.create_partition("c", "p"), "create_partition",
     {"collection_name": "c", "partition_name": "p"}),
    ("CreateAlias", None, lambda py: py.create_alias("c", "a"), "create_alias",
     {"collection_name": "c", "alias": "a"}),
    ("ListDatabases", milvus_pb2.ListDatabasesResponse, lambda py: py.list_databases(),
     "list_databases", {}),
    ("CreateCredential", None, lambda py: py.create_user("u", "password1"), "create_user",
     {"user_name": "u", "password": "password1"}),
    ("OperateUserRole", None, lambda py: py.grant_role("u", "r"), "grant_role",
     {"user_name": "u", "role_name": "r"}),
    ("ListResourceGroups", milvus_pb2.ListResourceGroupsResponse,
     lambda py: py.list_resource_groups(), "list_resource_groups", {}),
    ("Flush", milvus_pb2.FlushResponse, lambda py: py.flush("c"), "flush",
     {"collection_name": "c"}),
]


@pytest.mark.parametrize("code,want", CODES, ids=[str(c) for c, _ in CODES])
@pytest.mark.parametrize("rpc,reply_type,py_call,method,kwargs", CALLS,
                         ids=[c[3] for c in CALLS])
def test_server_error(rec, clients, rpc, reply_type, py_call, method, kwargs, code, want):
    py, lm = clients
    status = common_pb2.Status(code=code, reason=f"refused by the server ({code})")
    rec.replies[rpc] = status if reply_type is None else reply_type(status=status)
    try:
        with pytest.raises(MilvusException) as pe:
            py_call(py)
        with pytest.raises(libmilvus.MilvusError) as le:
            lm.call(method, **kwargs)
    finally:
        rec.replies.clear()
    assert (pe.value.code, pe.value.message) == (code, status.reason)
    assert le.value.status_name == want, le.value
    assert le.value.server_code == code
    assert le.value.message.endswith(status.reason), le.value.message
