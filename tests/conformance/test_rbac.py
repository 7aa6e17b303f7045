"""Users, roles, privileges, privilege groups, resource groups and replicas as pymilvus 3.0.2
requests them, each keyword argument of those methods with a case. The recorder answers the
describe calls with one entry each, so that both clients read a reply with content."""

import pytest
from pymilvus.client.types import ResourceGroupConfig
from pymilvus.grpc_gen import common_pb2, milvus_pb2, rg_pb2, schema_pb2


@pytest.fixture(autouse=True)
def server(rec):
    rec.replies["SelectUser"] = milvus_pb2.SelectUserResponse(
        status=common_pb2.Status(),
        results=[milvus_pb2.UserResult(user=milvus_pb2.UserEntity(name="u"),
                                       roles=[milvus_pb2.RoleEntity(name="r")])])
    rec.replies["SelectRole"] = milvus_pb2.SelectRoleResponse(
        status=common_pb2.Status(),
        results=[milvus_pb2.RoleResult(role=milvus_pb2.RoleEntity(name="r", description="d"))])
    rec.replies["DescribeCollection"] = milvus_pb2.DescribeCollectionResponse(
        status=common_pb2.Status(), collection_name="rg_c", collectionID=4242,
        schema=schema_pb2.CollectionSchema(name="rg_c", fields=[
            schema_pb2.FieldSchema(fieldID=100, name="id", data_type=schema_pb2.Int64,
                                   is_primary_key=True)]))
    rec.replies["GetReplicas"] = milvus_pb2.GetReplicasResponse(
        status=common_pb2.Status(),
        replicas=[milvus_pb2.ReplicaInfo(replicaID=1, collectionID=4242, node_ids=[5],
                                         resource_group_name="rg1")])
    rec.replies["DescribeResourceGroup"] = milvus_pb2.DescribeResourceGroupResponse(
        status=common_pb2.Status(),
        resource_group=milvus_pb2.ResourceGroup(name="rg1", capacity=1))
    yield
    rec.replies.clear()


# --- users --------------------------------------------------------------------------------

@pytest.mark.parametrize("description", [None, "a reader"], ids=["plain", "description"])
def test_create_user(same_request, description):
    kw = {} if description is None else {"description": description}
    same_request("CreateCredential",
                 lambda py: py.create_user("alice", "pässword1", **kw),
                 "create_user", user_name="alice", password="pässword1", **kw)


def test_drop_user(same_request):
    same_request("DeleteCredential", lambda py: py.drop_user("alice"), "drop_user",
                 user_name="alice")


@pytest.mark.parametrize("kw", [{}, {"description": "d"}, {"reset_connection": False}],
                         ids=["plain", "description", "no-reset"])
def test_update_password(same_request, kw):
    same_request("UpdateCredential",
                 lambda py: py.update_password("alice", "old-pass1", "new-pass2", **kw),
                 "update_password", user_name="alice", old_password="old-pass1",
                 new_password="new-pass2", **kw)


def test_update_password_with_reset_connection_is_refused(rec, clients):
    """docs/json-api.md: reset_connection true is refused (a client's credentials are fixed
    when it connects), where pymilvus rebuilds its channel; libmilvus then sends nothing."""
    import libmilvus

    _, lm = clients
    rec.take()
    with pytest.raises(libmilvus.MilvusError) as e:
        lm.call("update_password", user_name="alice", old_password="old-pass1",
                new_password="new-pass2", reset_connection=True)
    assert e.value.status_name == "MILVUS_ERR_INVALID_ARGUMENT"
    assert not [c for c in rec.take() if c.method == "UpdateCredential"]


def test_update_user(same_request):
    same_request("UpdateCredential", lambda py: py.update_user("alice", "new description"),
                 "update_user", user_name="alice", description="new description")


def test_list_users(same_request):
    same_request("ListCredUsers", lambda py: py.list_users(), "list_users")


def test_describe_user(same_request):
    same_request("SelectUser", lambda py: py.describe_user("u"), "describe_user",
                 user_name="u")


# --- roles --------------------------------------------------------------------------------

@pytest.mark.parametrize("kw", [{}, {"description": "readers"}], ids=["plain", "description"])
def test_create_role(same_request, kw):
    same_request("CreateRole", lambda py: py.create_role("r", **kw), "create_role",
                 role_name="r", **kw)


def test_alter_role(same_request):
    same_request("AlterRole", lambda py: py.alter_role("r", "new description"), "alter_role",
                 role_name="r", description="new description")


@pytest.mark.parametrize("kw", [{}, {"force_drop": True}, {"force_drop": False}],
                         ids=["plain", "force", "no-force"])
def test_drop_role(same_request, kw):
    same_request("DropRole", lambda py: py.drop_role("r", **kw), "drop_role", role_name="r",
                 **kw)


@pytest.mark.parametrize("kw", [{}, {"db_name": "shop"}], ids=["plain", "db"])
@pytest.mark.parametrize("rpc", ["SelectRole", "SelectGrant"])
def test_describe_role(same_request, rpc, kw):
    # One call, two requests: the role, then its grants (in the database given).
    same_request(rpc, lambda py: py.describe_role("r", **kw), "describe_role", role_name="r",
                 **kw)


def test_list_roles(same_request):
    same_request("SelectRole", lambda py: py.list_roles(), "list_roles")


@pytest.mark.parametrize("method", ["grant_role", "revoke_role"])
def test_grant_and_revoke_role(same_request, method):
    same_request("OperateUserRole", lambda py: getattr(py, method)("alice", "r"), method,
                 user_name="alice", role_name="r")


# --- privileges ---------------------------------------------------------------------------

@pytest.mark.parametrize("kw", [{}, {"db_name": "shop"}], ids=["plain", "db"])
@pytest.mark.parametrize("method", ["grant_privilege", "revoke_privilege"])
def test_grant_and_revoke_privilege(same_request, method, kw):
    same_request(
        "OperatePrivilege",
        lambda py: getattr(py, method)("r", "Collection", "Search", "books", **kw),
        method, role_name="r", object_type="Collection", privilege="Search",
        object_name="books", **kw)


@pytest.mark.parametrize("method", ["grant_privilege", "revoke_privilege"])
def test_grant_and_revoke_global_privilege(same_request, method):
    same_request(
        "OperatePrivilege",
        lambda py: getattr(py, method)("r", "Global", "CreateCollection", "*"),
        method, role_name="r", object_type="Global", privilege="CreateCollection",
        object_name="*")


@pytest.mark.parametrize("kw", [{}, {"db_name": "shop"}, {"db_name": "*"}],
                         ids=["plain", "db", "every-db"])
@pytest.mark.parametrize("method", ["grant_privilege_v2", "revoke_privilege_v2"])
def test_grant_and_revoke_privilege_v2(same_request, method, kw):
    same_request("OperatePrivilegeV2",
                 lambda py: getattr(py, method)("r", "ClusterReadOnly", "*", **kw),
                 method, role_name="r", privilege="ClusterReadOnly", collection_name="*", **kw)


# --- privilege groups ---------------------------------------------------------------------

@pytest.mark.parametrize("method,rpc", [("create_privilege_group", "CreatePrivilegeGroup"),
                                        ("drop_privilege_group", "DropPrivilegeGroup")])
def test_create_and_drop_privilege_group(same_request, method, rpc):
    same_request(rpc, lambda py: getattr(py, method)("readers"), method, group_name="readers")


def test_list_privilege_groups(same_request):
    same_request("ListPrivilegeGroups", lambda py: py.list_privilege_groups(),
                 "list_privilege_groups")


@pytest.mark.parametrize("method", ["add_privileges_to_group", "remove_privileges_from_group"])
def test_privileges_of_a_group(same_request, method):
    same_request("OperatePrivilegeGroup",
                 lambda py: getattr(py, method)("readers", ["Search", "Query"]), method,
                 group_name="readers", privileges=["Search", "Query"])


# --- resource groups and replicas ---------------------------------------------------------

CONFIG = {"requests": {"node_num": 1}, "limits": {"node_num": 3},
          "transfer_from": [{"resource_group": "__default_resource_group"}],
          "transfer_to": [{"resource_group": "rg2"}],
          "node_filter": {"node_labels": [{"key": "zone", "value": "a"}]}}


def py_config(config):
    return ResourceGroupConfig(
        requests=rg_pb2.ResourceGroupLimit(**config["requests"]),
        limits=rg_pb2.ResourceGroupLimit(**config["limits"]),
        transfer_from=[rg_pb2.ResourceGroupTransfer(**t) for t in config["transfer_from"]],
        transfer_to=[rg_pb2.ResourceGroupTransfer(**t) for t in config["transfer_to"]],
        node_filter=rg_pb2.ResourceGroupNodeFilter(node_labels=[
            common_pb2.KeyValuePair(**kv) for kv in config["node_filter"]["node_labels"]]))


def test_create_resource_group(same_request):
    same_request("CreateResourceGroup", lambda py: py.create_resource_group("rg1"),
                 "create_resource_group", name="rg1")


def test_create_resource_group_with_config(same_request):
    same_request("CreateResourceGroup",
                 lambda py: py.create_resource_group("rg1", config=py_config(CONFIG)),
                 "create_resource_group", name="rg1", config=CONFIG)


def test_create_resource_group_with_part_of_a_config(same_request):
    part = ResourceGroupConfig(requests=rg_pb2.ResourceGroupLimit(node_num=2))
    same_request("CreateResourceGroup", lambda py: py.create_resource_group("rg1", config=part),
                 "create_resource_group", name="rg1", config={"requests": {"node_num": 2}})


def test_update_resource_groups(same_request):
    small = {"requests": {"node_num": 0}, "limits": {"node_num": 1}}
    same_request(
        "UpdateResourceGroups",
        lambda py: py.update_resource_groups({"rg1": py_config(CONFIG),
                                              "rg2": ResourceGroupConfig(
                                                  requests=rg_pb2.ResourceGroupLimit(),
                                                  limits=rg_pb2.ResourceGroupLimit(node_num=1))}),
        "update_resource_groups", configs={"rg1": CONFIG, "rg2": small})


@pytest.mark.parametrize("method,rpc", [("drop_resource_group", "DropResourceGroup"),
                                        ("describe_resource_group", "DescribeResourceGroup")])
def test_drop_and_describe_resource_group(same_request, method, rpc):
    same_request(rpc, lambda py: getattr(py, method)("rg1"), method, name="rg1")


def test_list_resource_groups(same_request):
    same_request("ListResourceGroups", lambda py: py.list_resource_groups(),
                 "list_resource_groups")


def test_transfer_replica(same_request):
    same_request("TransferReplica", lambda py: py.transfer_replica("rg1", "rg2", "rg_c", 2),
                 "transfer_replica", source_group="rg1", target_group="rg2",
                 collection_name="rg_c", num_replicas=2)


def test_describe_replica(same_request):
    # The collection's id, from DescribeCollection, is what GetReplicas carries.
    py_req, _ = same_request("GetReplicas", lambda py: py.describe_replica("rg_c"),
                             "describe_replica", collection_name="rg_c")
    assert py_req.collectionID == 4242


# --- a call's timeout ---------------------------------------------------------------------

# Every method of this file with a timeout, one call each: the deadline both send (gRPC's
# grpc-timeout, compared in whole seconds) must be the same.
TIMED = [
    ("CreateCredential", "create_user", {"user_name": "alice", "password": "pässword1"}),
    ("DeleteCredential", "drop_user", {"user_name": "alice"}),
    ("UpdateCredential", "update_password",
     {"user_name": "alice", "old_password": "old-pass1", "new_password": "new-pass2"}),
    ("UpdateCredential", "update_user", {"user_name": "alice", "description": "d"}),
    ("ListCredUsers", "list_users", {}),
    ("SelectUser", "describe_user", {"user_name": "u"}),
    ("CreateRole", "create_role", {"role_name": "r"}),
    ("AlterRole", "alter_role", {"role_name": "r", "description": "d"}),
    ("DropRole", "drop_role", {"role_name": "r"}),
    ("SelectGrant", "describe_role", {"role_name": "r"}),
    ("SelectRole", "list_roles", {}),
    ("OperateUserRole", "grant_role", {"user_name": "alice", "role_name": "r"}),
    ("OperateUserRole", "revoke_role", {"user_name": "alice", "role_name": "r"}),
    ("OperatePrivilege", "grant_privilege", {"role_name": "r", "object_type": "Collection",
                                             "privilege": "Search", "object_name": "books"}),
    ("OperatePrivilege", "revoke_privilege", {"role_name": "r", "object_type": "Collection",
                                              "privilege": "Search", "object_name": "books"}),
    ("OperatePrivilegeV2", "grant_privilege_v2",
     {"role_name": "r", "privilege": "Search", "collection_name": "books"}),
    ("OperatePrivilegeV2", "revoke_privilege_v2",
     {"role_name": "r", "privilege": "Search", "collection_name": "books"}),
    ("CreatePrivilegeGroup", "create_privilege_group", {"group_name": "readers"}),
    ("DropPrivilegeGroup", "drop_privilege_group", {"group_name": "readers"}),
    ("ListPrivilegeGroups", "list_privilege_groups", {}),
    ("OperatePrivilegeGroup", "add_privileges_to_group",
     {"group_name": "readers", "privileges": ["Search"]}),
    ("OperatePrivilegeGroup", "remove_privileges_from_group",
     {"group_name": "readers", "privileges": ["Search"]}),
    ("CreateResourceGroup", "create_resource_group", {"name": "rg1"}),
    ("DropResourceGroup", "drop_resource_group", {"name": "rg1"}),
    ("DescribeResourceGroup", "describe_resource_group", {"name": "rg1"}),
    ("ListResourceGroups", "list_resource_groups", {}),
    ("UpdateResourceGroups", "update_resource_groups",
     {"configs": {"rg1": {"requests": {"node_num": 1}, "limits": {"node_num": 1}}}}),
    ("TransferReplica", "transfer_replica", {"source_group": "rg1", "target_group": "rg2",
                                             "collection_name": "rg_c", "num_replicas": 1}),
    ("GetReplicas", "describe_replica", {"collection_name": "rg_c"}),
]


def _py_args(method, kw):
    if method == "update_resource_groups":
        return {"configs": {name: ResourceGroupConfig(
            requests=rg_pb2.ResourceGroupLimit(**c["requests"]),
            limits=rg_pb2.ResourceGroupLimit(**c["limits"])) for name, c in kw["configs"].items()}}
    return kw


@pytest.mark.parametrize("rpc,method,kw", TIMED, ids=[m for _, m, _ in TIMED])
def test_timeout_is_the_deadline(same_request, rpc, method, kw):
    py_kw = _py_args(method, kw)
    same_request(rpc, lambda py: getattr(py, method)(**py_kw, timeout=30), method, **kw,
                 timeout=30)
