"""Differential tests of the RBAC and resource-group methods: users, roles, grants, resource
groups and replicas through pymilvus's MilvusClient and through libmilvus, on Milvus 2.3.5
standalone (Milvus Lite 2.5.1 has none of these RPCs: both clients must see UNIMPLEMENTED).

Both clients send root:Milvus: the server (authorization off) takes the grantor's name from the
credentials. Each client works on its own users / roles / resource groups (suffix _py / _lm);
names are normalised before comparison. pymilvus's ResourceGroupInfo / ReplicaInfo objects are
compared by their attributes (json-api.md: libmilvus returns them as objects of those names).
"""

import grpc
import pytest
from google.protobuf.json_format import MessageToDict
from pymilvus import MilvusClient
from pymilvus.exceptions import MilvusException

from conftest import RUN_ID, SERVERS
from libmilvus import Client, MilvusError

DEFAULT_RG = "__default_resource_group"


@pytest.fixture(scope="module")
def clients():
    uri = SERVERS["standalone"]
    py = MilvusClient(uri=uri, user="root", password="Milvus", timeout=60)
    lm = Client(uri, user="root", password="Milvus", timeout=60)
    yield py, lm
    py.close()
    lm.close()


def names(tag):
    base = f"diff_{RUN_ID}_{tag}"
    return f"{base}_py", f"{base}_lm"


def rg_info(g):
    return {
        "name": g.name,
        "capacity": g.capacity,
        "num_available_node": g.num_available_node,
        "num_loaded_replica": dict(g.num_loaded_replica),
        "num_outgoing_node": dict(g.num_outgoing_node),
        "num_incoming_node": dict(g.num_incoming_node),
        "config": MessageToDict(g.config, preserving_proto_field_name=True),
        "nodes": [{"node_id": n._node_id, "address": n._address, "hostname": n._hostname}
                  for n in g.nodes],
    }


def replica_info(r):
    return {
        "id": r.id,
        "shards": [{"channel_name": s.channel_name, "shard_nodes": sorted(s.shard_nodes),
                    "shard_leader": s.shard_leader} for s in r.shards],
        "group_nodes": list(r.group_nodes),
        "resource_group": r.resource_group,
        "num_outbound_node": dict(r.num_outbound_node),
    }


def renamed(v, old, new):
    """v with every string equal to `old` replaced by `new`."""
    if isinstance(v, dict):
        return {k: renamed(x, old, new) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [renamed(x, old, new) for x in v]
    return new if v == old else v


def test_users_roles_grants(clients):
    py, lm = clients
    u_py, u_lm = names("user")
    r_py, r_lm = names("role")
    try:
        py.create_user(u_py, "Passw0rd!")
        lm.create_user(user_name=u_lm, password="Passw0rd!")
        with pytest.raises(MilvusException) as pe:
            py.create_user(u_py, "Passw0rd!")
        with pytest.raises(MilvusError) as le:
            lm.create_user(user_name=u_lm, password="Passw0rd!")
        assert le.value.server_code == pe.value.code
        assert set(lm.list_users()) == set(py.list_users())

        py.create_role(r_py)
        lm.create_role(role_name=r_lm)
        assert set(lm.list_roles()) == set(py.list_roles())
        py.grant_role(u_py, r_py)
        lm.grant_role(user_name=u_lm, role_name=r_lm)
        want = renamed(renamed(py.describe_user(u_py), u_py, "U"), r_py, "R")
        want["roles"] = list(want["roles"])
        assert renamed(renamed(lm.describe_user(user_name=u_lm), u_lm, "U"), r_lm, "R") == want

        grants = [("Collection", "Search", "*", ""), ("Global", "CreateCollection", "*", ""),
                  ("Collection", "Query", "some_collection", "default")]
        for t, p, o, db in grants:
            py.grant_privilege(r_py, t, p, o, db_name=db)
            lm.grant_privilege(role_name=r_lm, object_type=t, privilege=p, object_name=o,
                               db_name=db)
        for kw in ({}, {"db_name": "default"}):
            want = renamed(py.describe_role(r_py, **kw), r_py, "R")
            got = renamed(lm.describe_role(role_name=r_lm, **kw), r_lm, "R")
            assert got == want
            assert len(got["privileges"]) == 3
        for t, p, o, db in grants:
            py.revoke_privilege(r_py, t, p, o, db_name=db)
            lm.revoke_privilege(role_name=r_lm, object_type=t, privilege=p, object_name=o,
                                db_name=db)
        assert renamed(lm.describe_role(role_name=r_lm), r_lm, "R") == \
            renamed(py.describe_role(r_py), r_py, "R")
        py.revoke_role(u_py, r_py)
        lm.revoke_role(user_name=u_lm, role_name=r_lm)
        assert lm.describe_user(user_name=u_lm)["roles"] == list(py.describe_user(u_py)["roles"])
        assert lm.describe_user(user_name=u_lm + "_x") == py.describe_user(u_py + "_x") == {}
    finally:
        for r in (r_py, r_lm):
            for t, p, o, db in [("Collection", "Search", "*", ""),
                                ("Global", "CreateCollection", "*", ""),
                                ("Collection", "Query", "some_collection", "default")]:
                try:
                    py.revoke_privilege(r, t, p, o, db_name=db)
                except Exception:
                    pass
        for u, r in ((u_py, r_py), (u_lm, r_lm)):
            for f in (lambda: py.revoke_role(u, r), lambda: py.drop_role(r),
                      lambda: py.drop_user(u)):
                try:
                    f()
                except Exception:
                    pass


def test_resource_groups_and_replicas(clients):
    py, lm = clients
    g_py, g_lm = names("rg")
    c_py, _ = names("replica")
    try:
        py.create_resource_group(g_py)
        lm.create_resource_group(name=g_lm)
        assert renamed(lm.describe_resource_group(name=g_lm), g_lm, "G") == \
            renamed(rg_info(py.describe_resource_group(g_py)), g_py, "G")
        groups = lm.list_resource_groups()
        assert g_py in groups and g_lm in groups and DEFAULT_RG in groups
        assert set(groups) == set(py.list_resource_groups())

        py.create_collection(c_py, dimension=4)
        want = [replica_info(r) for r in py.describe_replica(c_py)]
        assert lm.describe_replica(collection_name=c_py) == want
        with pytest.raises(MilvusException) as pe:
            py.transfer_replica(DEFAULT_RG, g_py, c_py, 1)
        with pytest.raises(MilvusError) as le:
            lm.transfer_replica(source_group=DEFAULT_RG, target_group=g_lm,
                                collection_name=c_py, num_replicas=1)
        assert le.value.server_code == pe.value.code
        assert pe.value.message in le.value.message

        py.drop_resource_group(g_py)
        lm.drop_resource_group(name=g_lm)
        assert g_lm not in lm.list_resource_groups()
    finally:
        for f in (lambda: py.drop_collection(c_py), lambda: py.drop_resource_group(g_py),
                  lambda: py.drop_resource_group(g_lm)):
            try:
                f()
            except Exception:
                pass


def test_newer_rpcs_unimplemented_on_both(clients):
    py, lm = clients
    calls = [
        ("alter_role", ("r", "d"), {"role_name": "r", "description": "d"}),
        ("list_privilege_groups", (), {}),
        ("create_privilege_group", ("g",), {"group_name": "g"}),
        ("grant_privilege_v2", ("r", "Search", "*"),
         {"role_name": "r", "privilege": "Search", "collection_name": "*"}),
        ("update_resource_groups", ({},), {"configs": {}}),
    ]
    for name, args, kwargs in calls:
        with pytest.raises(grpc.RpcError) as pe:
            getattr(py, name)(*args)
        assert pe.value.code() == grpc.StatusCode.UNIMPLEMENTED
        with pytest.raises(MilvusError) as le:
            lm.call(name, **kwargs)
        assert le.value.status_name == "MILVUS_ERR_UNIMPLEMENTED", name
