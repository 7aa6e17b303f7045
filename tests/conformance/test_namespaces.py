"""Partitions, aliases and databases as pymilvus 3.0.2 sends them, and the database a client
names in every call's metadata once use_database has switched to it."""

import pytest
from pymilvus.grpc_gen import common_pb2, milvus_pb2


def ok():
    return common_pb2.Status()


@pytest.fixture(autouse=True)
def server(rec):
    """Loads complete at once."""
    rec.replies["GetLoadingProgress"] = milvus_pb2.GetLoadingProgressResponse(
        status=ok(), progress=100, refresh_progress=100)
    yield
    rec.replies.clear()


# ---------------------------------------------------------------------------------------------
# Partitions.

@pytest.mark.parametrize("rpc,method", [
    ("CreatePartition", "create_partition"),
    ("DropPartition", "drop_partition"),
    ("HasPartition", "has_partition"),
    ("GetPartitionStatistics", "get_partition_stats"),
])
@pytest.mark.parametrize("timeout", [None, 5])
def test_one_partition(same_request, rpc, method, timeout):
    kwargs = {} if timeout is None else {"timeout": timeout}
    same_request(rpc, lambda py: getattr(py, method)("c", "p", **kwargs),
                 method, collection_name="c", partition_name="p", **kwargs)


def test_list_partitions(same_request):
    same_request("ShowPartitions", lambda py: py.list_partitions("c"),
                 "list_partitions", collection_name="c")
    same_request("ShowPartitions", lambda py: py.list_partitions("c", timeout=5),
                 "list_partitions", collection_name="c", timeout=5)


@pytest.mark.parametrize("names", ["p", ["p"], ["p", "q"]], ids=["one", "list-of-one", "two"])
@pytest.mark.parametrize("kwargs", [
    {},
    {"replica_number": 2},
    {"load_fields": ["id", "vector"]},
    {"skip_load_dynamic_field": True},
    {"resource_groups": ["rg"]},
    {"refresh": True},
    {"_refresh": True},
    {"_load_fields": ["id"]},
    {"priority": "low"},
    {"timeout": 5},
], ids=lambda k: "-".join(k) or "defaults")
def test_load_partitions(same_requests, names, kwargs):
    same_requests(["LoadPartitions", "GetLoadingProgress"],
                  lambda py: py.load_partitions("c", names, **kwargs),
                  "load_partitions", collection_name="c", partition_names=names, **kwargs)


@pytest.mark.parametrize("names", ["p", ["p", "q"]], ids=["one", "two"])
def test_release_partitions(same_request, names):
    same_request("ReleasePartitions", lambda py: py.release_partitions("c", names, timeout=5),
                 "release_partitions", collection_name="c", partition_names=names, timeout=5)


# ---------------------------------------------------------------------------------------------
# Aliases.

@pytest.mark.parametrize("timeout", [None, 5])
def test_aliases(same_request, timeout):
    kw = {} if timeout is None else {"timeout": timeout}
    same_request("CreateAlias", lambda py: py.create_alias("c", "a", **kw),
                 "create_alias", collection_name="c", alias="a", **kw)
    same_request("AlterAlias", lambda py: py.alter_alias("d", "a", **kw),
                 "alter_alias", collection_name="d", alias="a", **kw)
    same_request("DescribeAlias", lambda py: py.describe_alias("a", **kw),
                 "describe_alias", alias="a", **kw)
    same_request("DropAlias", lambda py: py.drop_alias("a", **kw),
                 "drop_alias", alias="a", **kw)


@pytest.mark.parametrize("kwargs", [
    {},
    {"collection_name": ""},
    {"collection_name": "c"},
    {"collection_name": "c", "db_name": "other"},
    {"db_name": "other"},
    {"timeout": 5},
], ids=lambda k: "-".join(f"{a}={b}" for a, b in k.items()) or "defaults")
def test_list_aliases(same_request, kwargs):
    same_request("ListAliases", lambda py: py.list_aliases(**kwargs),
                 "list_aliases", **kwargs)


# ---------------------------------------------------------------------------------------------
# Databases.

@pytest.mark.parametrize("kwargs", [
    {},
    {"properties": {"database.replica.number": 1}},
    {"properties": {"database.force.deny.writing": True, "database.max.collections": 10}},
    {"properties": {"database.resource_groups": "rg1,rg2"}},
    {"timeout": 5},
], ids=lambda k: "-".join(f"{a}={b}" for a, b in k.items()) or "defaults")
def test_create_database(same_request, kwargs):
    same_request("CreateDatabase", lambda py: py.create_database("db", **kwargs),
                 "create_database", db_name="db", **kwargs)


@pytest.mark.parametrize("timeout", [None, 5])
def test_databases(same_request, timeout):
    kw = {} if timeout is None else {"timeout": timeout}
    same_request("DropDatabase", lambda py: py.drop_database("db", **kw),
                 "drop_database", db_name="db", **kw)
    same_request("ListDatabases", lambda py: py.list_databases(**kw),
                 "list_databases", **kw)
    same_request("DescribeDatabase", lambda py: py.describe_database("db", **kw),
                 "describe_database", db_name="db", **kw)
    same_request("AlterDatabase",
                 lambda py: py.drop_database_properties("db", ["database.max.collections"], **kw),
                 "drop_database_properties", db_name="db",
                 property_keys=["database.max.collections"], **kw)


@pytest.mark.parametrize("properties", [
    {"database.max.collections": 10},
    {"database.force.deny.writing": True},
    {"database.force.deny.reading": False, "database.replica.number": "2"},
], ids=lambda p: "-".join(f"{k}={v!r}" for k, v in p.items()))
def test_alter_database_properties(same_request, properties):
    same_request("AlterDatabase",
                 lambda py: py.alter_database_properties("db", properties),
                 "alter_database_properties", db_name="db", properties=properties)
    same_request("AlterDatabase",
                 lambda py: py.alter_database_properties("db", properties, timeout=5),
                 "alter_database_properties", db_name="db", properties=properties, timeout=5)


@pytest.fixture
def fresh(rec):
    """A pymilvus and a libmilvus client of their own: use_database changes the database a
    client names for the rest of its life."""
    import libmilvus
    from pymilvus import MilvusClient

    py = MilvusClient(uri=rec.uri)
    lm = libmilvus.Client(rec.uri, timeout=0)
    rec.take()
    yield py, lm
    lm.close()
    py.close()


# (method, pymilvus call, libmilvus arguments, the RPC carrying them)
AFTER_USE = [
    ("list_collections", lambda py: py.list_collections(), {}, "ShowCollections"),
    ("drop_collection", lambda py: py.drop_collection("c"), {"collection_name": "c"},
     "DropCollection"),
    ("create_partition", lambda py: py.create_partition("c", "p"),
     {"collection_name": "c", "partition_name": "p"}, "CreatePartition"),
    ("list_aliases", lambda py: py.list_aliases(), {}, "ListAliases"),
    ("release_collection", lambda py: py.release_collection("c"), {"collection_name": "c"},
     "ReleaseCollection"),
    ("flush_all", lambda py: py.flush_all(), {}, "FlushAll"),
]


def test_use_database_then_calls(rec, fresh):
    from conftest import compare_calls

    rec.replies["GetFlushAllState"] = milvus_pb2.GetFlushAllStateResponse(
        status=ok(), flushed=True)
    py, lm = fresh
    py.use_database("db1", timeout=5)
    a = rec.take()
    lm.call("use_database", db_name="db1", timeout=5)
    b = rec.take()
    compare_calls("DescribeDatabase", a, b)
    for method, py_call, lm_args, rpc in AFTER_USE:
        py_call(py)
        a = rec.take()
        lm.call(method, **lm_args)
        b = rec.take()
        _, (lm_req,) = compare_calls(rpc, a, b)
        assert [c.metadata.get("dbname") for c in b if c.method == rpc] == ["db1"], method
    # And back to the default database.
    py.use_database("default")
    lm.call("use_database", db_name="default")
    rec.take()
    py.list_collections()
    a = rec.take()
    lm.call("list_collections")
    b = rec.take()
    compare_calls("ShowCollections", a, b)


def test_using_database(rec, fresh):
    from conftest import compare_calls

    py, lm = fresh
    with pytest.warns(FutureWarning):
        py.using_database("db2")
    a = rec.take()
    lm.call("using_database", db_name="db2")
    b = rec.take()
    compare_calls("DescribeDatabase", a, b)
    py.has_partition("c", "p")
    a = rec.take()
    lm.call("has_partition", collection_name="c", partition_name="p")
    b = rec.take()
    compare_calls("HasPartition", a, b)
