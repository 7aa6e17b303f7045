"""close and session as pymilvus 3.0.2 has them: a closed client sends nothing more, and a
session's searches and queries carry its cluster id (in search_params, rank_params or
query_params) while everything else is the client's.
"""

import pytest
from pymilvus import AnnSearchRequest, RRFRanker
from pymilvus.exceptions import MilvusException
from pymilvus.grpc_gen import common_pb2, milvus_pb2, schema_pb2

import libmilvus

Q = [[1.0, 2.0, 3.0, 4.0]]


def kv(k, v):
    return common_pb2.KeyValuePair(key=k, value=v)


@pytest.fixture(autouse=True)
def collection(rec):
    fields = [
        schema_pb2.FieldSchema(fieldID=100, name="id", data_type=schema_pb2.Int64,
                               is_primary_key=True),
        schema_pb2.FieldSchema(fieldID=101, name="vector", data_type=schema_pb2.FloatVector,
                               type_params=[kv("dim", "4")]),
    ]
    rec.replies["DescribeCollection"] = milvus_pb2.DescribeCollectionResponse(
        status=common_pb2.Status(), collection_name="c", collectionID=7,
        schema=schema_pb2.CollectionSchema(name="c", fields=fields))
    # One row, then none: a query has its row, an iterator its one page.
    rows = iter([[1]])

    def query(req):
        ids = next(rows, [])
        col = schema_pb2.FieldData(field_name="id", type=schema_pb2.Int64,
                                   scalars=schema_pb2.ScalarField(
                                       long_data=schema_pb2.LongArray(data=ids)))
        return milvus_pb2.QueryResults(status=common_pb2.Status(), fields_data=[col],
                                       output_fields=["id"])

    rec.replies["Query"] = query
    yield
    rec.replies.clear()


@pytest.fixture
def own_clients(rec):
    """Clients of this case alone: closing them leaves the suite's clients open."""
    from pymilvus import MilvusClient

    py = MilvusClient(uri=rec.uri, dedicated=True)
    lm = libmilvus.Client(rec.uri)
    rec.take()
    yield py, lm
    lm.close()
    py.close()


def test_close_then_every_call_fails(rec, own_clients):
    py, lm = own_clients
    py.close()
    lm.call("close")
    assert rec.take() == [], "closing sends nothing"
    with pytest.raises(MilvusException):
        py.list_collections()
    for method, args in [("list_collections", {}), ("describe_collection", {"collection_name": "c"}),
                         ("get_server_type", {}), ("search", {"collection_name": "c", "data": Q})]:
        with pytest.raises(libmilvus.MilvusError) as e:
            lm.call(method, **args)
        assert e.value.status_name == "MILVUS_ERR_CLOSED", (method, e.value)
        assert "closed" in e.value.message
    with pytest.raises(libmilvus.MilvusError) as e:
        lm.iterate("query_iterator", collection_name="c")
    assert e.value.status_name == "MILVUS_ERR_CLOSED"
    assert rec.take() == [], "a closed client sends nothing"
    # Closing twice is fine, as in pymilvus.
    py.close()
    assert lm.call("close") is None


def test_close_takes_no_arguments(own_clients):
    _, lm = own_clients
    with pytest.raises(libmilvus.MilvusError) as e:
        lm.call("close", timeout=1)
    assert e.value.status_name == "MILVUS_ERR_INVALID_ARGUMENT"
    assert lm.call("list_collections") == []


def test_a_session_closes_alone_and_with_its_client(rec, own_clients):
    py, lm = own_clients
    ps, ls = py.session("cl-1"), lm.session(cluster_id="cl-1")
    ps.close()
    ls.call("close")
    with pytest.raises(MilvusException):
        ps.query("c", filter="id > 0")
    with pytest.raises(libmilvus.MilvusError) as e:
        ls.call("query", collection_name="c", filter="id > 0")
    assert e.value.status_name == "MILVUS_ERR_CLOSED"
    assert e.value.message.endswith("the session is closed")
    # The client itself is still open.
    assert lm.call("list_collections") == []
    ls2 = lm.session(cluster_id="cl-2")
    lm.call("close")
    with pytest.raises(libmilvus.MilvusError) as e:
        ls2.call("query", collection_name="c", filter="id > 0")
    assert e.value.message.endswith("the client this session came from is closed")
    with pytest.raises(libmilvus.MilvusError) as e:
        lm.session(cluster_id="cl-3")
    assert e.value.status_name == "MILVUS_ERR_CLOSED"
    ls.close()
    ls2.close()


def test_session_needs_a_string(clients):
    _, lm = clients
    for bad in [{}, {"cluster_id": 5}, {"cluster_id": "x", "timeout": 1}]:
        with pytest.raises(libmilvus.MilvusError) as e:
            lm.session(**bad)
        assert e.value.status_name == "MILVUS_ERR_INVALID_ARGUMENT", bad


# (pymilvus session call, libmilvus method, its arguments, the RPC compared)
SESSION_CALLS = [
    (lambda s: s.search("c", data=Q, limit=3, output_fields=["id"]),
     "search", {"collection_name": "c", "data": Q, "limit": 3, "output_fields": ["id"]},
     "Search"),
    (lambda s: s.query("c", filter="id > 0", limit=5),
     "query", {"collection_name": "c", "filter": "id > 0", "limit": 5}, "Query"),
    (lambda s: s.get("c", ids=[1, 2]), "get", {"collection_name": "c", "ids": [1, 2]}, "Query"),
    (lambda s: s.hybrid_search("c", [AnnSearchRequest(Q, "vector", {}, 3)], RRFRanker(), limit=3),
     "hybrid_search", {"collection_name": "c", "reqs": [
         {"data": Q, "anns_field": "vector", "param": {}, "limit": 3}],
         "ranker": {"strategy": "rrf", "params": {"k": 60}}, "limit": 3}, "HybridSearch"),
]


@pytest.mark.parametrize("py_call,method,args,rpc", SESSION_CALLS,
                         ids=[c[1] for c in SESSION_CALLS])
def test_session_calls_carry_the_cluster_id(adjusted_request, py_call, method, args, rpc):
    def lm_call(lm):
        s = lm.session(cluster_id="cluster-a")
        try:
            s.call(method, **args)
        finally:
            s.close()

    a, b = adjusted_request(rpc, lambda py: py_call(py.session("cluster-a")), lm_call)
    params = {"Search": "search_params", "Query": "query_params",
              "HybridSearch": "rank_params"}[rpc]
    assert {p.key: p.value for p in getattr(b, params)}["cluster_id"] == "cluster-a"


@pytest.mark.parametrize("method,rpc", [("query_iterator", "Query"),
                                        ("search_iterator", "Search")])
def test_session_iterators_carry_the_cluster_id(rec, clients, method, rpc):
    # The two iterators' first requests differ (pymilvus probes first; test_data.py and
    # test_search.py compare those): here every page request of each must carry the id.
    py, lm = clients
    rec.replies["DescribeIndex"] = milvus_pb2.DescribeIndexResponse(
        status=common_pb2.Status(), index_descriptions=[milvus_pb2.IndexDescription(
            index_name="vector", field_name="vector", params=[kv("metric_type", "L2")],
            state=common_pb2.IndexState.Finished)])
    args = {"collection_name": "c", "batch_size": 10}
    if method == "search_iterator":
        args["data"] = Q

    def search(req):
        # Nothing more to find: the first page is empty.
        return milvus_pb2.SearchResults(status=common_pb2.Status(), results=schema_pb2.SearchResultData(
            num_queries=1, top_k=0, topks=[0]))

    rec.replies["Search"] = search
    rec.take()
    it = getattr(py.session("cluster-b"), method)(**args)
    it.next()
    it.close()
    a = [c for c in rec.take() if c.method == rpc]
    s = lm.session(cluster_id="cluster-b")
    try:
        s.iterate(method, **args)
    finally:
        s.close()
    b = [c for c in rec.take() if c.method == rpc]
    params = "search_params" if rpc == "Search" else "query_params"
    for who, calls in (("pymilvus", a), ("libmilvus", b)):
        assert calls, who
        for c in calls:
            assert {p.key: p.value for p in getattr(c.request, params)}.get(
                "cluster_id") == "cluster-b", (who, c.request)


def test_session_other_calls_are_the_clients(rec, clients):
    _, lm = clients
    s = lm.session(cluster_id="cluster-c")
    try:
        rec.take()
        s.call("describe_collection", collection_name="c")
        (call,) = rec.take()
        assert call.method == "DescribeCollection" and call.request.collection_name == "c"
    finally:
        s.close()


def test_session_server_error(rec, clients):
    py, lm = clients
    rec.replies["Search"] = milvus_pb2.SearchResults(
        status=common_pb2.Status(code=65535, reason="cluster cl-9 unknown"))
    with pytest.raises(MilvusException) as pe:
        py.session("cl-9").search("c", data=Q, limit=1)
    s = lm.session(cluster_id="cl-9")
    try:
        with pytest.raises(libmilvus.MilvusError) as e:
            s.call("search", collection_name="c", data=Q, limit=1)
    finally:
        s.close()
    assert pe.value.code == e.value.server_code == 65535
    assert e.value.status_name == "MILVUS_ERR_SERVER"
    assert "cluster cl-9 unknown" in e.value.message
