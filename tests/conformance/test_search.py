"""Search requests as pymilvus 3.0.2 builds them: rerank functions, function chains,
highlighters, aggregation, full-text queries, hybrid rankers, the V2 iterator probe, and
run_analyzer. No test server here has every one of these; the recorder stands in for Milvus.
"""

import pytest
from pymilvus import (
    AnnSearchRequest,
    Function,
    FunctionScore,
    FunctionType,
    RRFRanker,
    WeightedRanker,
)
from pymilvus.grpc_gen import common_pb2, milvus_pb2, schema_pb2

Q = [[1.0, 2.0, 3.0, 4.0]]
DECAY = {"reranker": "decay", "function": "gauss", "origin": 100, "scale": 50, "decay": 0.5}


def kv(k, v):
    return common_pb2.KeyValuePair(key=k, value=v)


@pytest.fixture(autouse=True)
def collection(rec):
    fields = [
        schema_pb2.FieldSchema(fieldID=100, name="id", data_type=schema_pb2.Int64,
                               is_primary_key=True),
        schema_pb2.FieldSchema(fieldID=101, name="vector", data_type=schema_pb2.FloatVector,
                               type_params=[kv("dim", "4")]),
        schema_pb2.FieldSchema(fieldID=102, name="ts", data_type=schema_pb2.Int64),
        schema_pb2.FieldSchema(fieldID=103, name="text", data_type=schema_pb2.VarChar,
                               type_params=[kv("max_length", "1000"),
                                            kv("enable_analyzer", "true")]),
        schema_pb2.FieldSchema(fieldID=104, name="sparse",
                               data_type=schema_pb2.SparseFloatVector, is_function_output=True),
    ]
    functions = [schema_pb2.FunctionSchema(name="bm25", type=schema_pb2.FunctionType.BM25,
                                           input_field_names=["text"],
                                           output_field_names=["sparse"])]
    rec.replies["DescribeCollection"] = milvus_pb2.DescribeCollectionResponse(
        status=common_pb2.Status(), collection_name="c", collectionID=7,
        schema=schema_pb2.CollectionSchema(name="c", fields=fields, functions=functions))
    yield
    rec.replies.clear()


def fn(name, params, inputs=()):
    return Function(name=name, input_field_names=list(inputs),
                    function_type=FunctionType.RERANK, params=params)


def as_json(f):
    return {"name": f.name, "type": "RERANK", "input_field_names": f.input_field_names,
            "params": f.params}


def test_decay_ranker(same_request):
    decay = fn("d", DECAY, ["ts"])
    same_request("Search",
                 lambda py: py.search("c", Q, limit=5, ranker=decay, output_fields=["ts"]),
                 "search", collection_name="c", data=Q, limit=5, ranker=as_json(decay),
                 output_fields=["ts"])


def test_function_score(same_request):
    boost = fn("b", {"reranker": "boost", "filter": "ts > 5", "weight": 2.0})
    decay = fn("d", DECAY, ["ts"])
    fs = FunctionScore(functions=[boost, decay], params={"boost_mode": "multiply"})
    _, lm = same_request(
        "Search", lambda py: py.search("c", Q, limit=5, ranker=fs),
        "search", collection_name="c", data=Q, limit=5,
        ranker={"functions": [as_json(boost), as_json(decay)], "params": fs.params})
    assert len(lm.function_score.functions) == 2


def test_function_chain(same_request):
    from pymilvus.function_chain import FunctionChain, FunctionChainStage, col
    from pymilvus.function_chain import fn as chain_fn
    chain = (FunctionChain(FunctionChainStage.L2_RERANK, name="c")
             .map("$score", chain_fn.round_decimal(col("$score"), decimal=1))
             .sort(col("ts"), desc=True, tie_break_col="id")
             .limit(3, offset=1))
    as_chain = {"name": "c", "stage": "L2_RERANK", "ops": [
        {"op": "map", "outputs": ["$score"],
         "expr": {"name": "round_decimal", "args": [{"column": "$score"}],
                  "params": {"decimal": 1}}},
        {"op": "sort", "inputs": ["ts", "id"],
         "params": {"column": "ts", "desc": True, "tie_break_col": "id"}},
        {"op": "limit", "params": {"limit": 3, "offset": 1}}]}
    same_request("Search", lambda py: py.search("c", Q, limit=5, function_chains=chain),
                 "search", collection_name="c", data=Q, limit=5, function_chains=as_chain)


@pytest.mark.parametrize("kind", ["lexical", "semantic"])
def test_highlighter(same_request, kind):
    from pymilvus.orm.schema import LexicalHighlighter, SemanticHighlighter
    if kind == "lexical":
        h = LexicalHighlighter(pre_tags=["<b>"], post_tags=["</b>"], fragment_size=20,
                               highlight_search_text=True)
    else:
        h = SemanticHighlighter(["vector db"], ["text"], threshold=0.5, highlight_only=True)
    same_request("Search", lambda py: py.search("c", Q, limit=5, highlighter=h),
                 "search", collection_name="c", data=Q, limit=5,
                 highlighter={"type": kind, "params": h.params})


def test_search_aggregation(same_request):
    from pymilvus.client.search_aggregation import SearchAggregation, TopHits
    agg = SearchAggregation(
        fields=["ts"], size=3, metrics={"n": {"count": "*"}, "m": {"max": "id"}},
        order=[{"m": "desc"}, {"_count": "asc"}],
        top_hits=TopHits(size=2, sort=[{"id": "asc"}]),
        sub_aggregation=SearchAggregation(fields=["id"], size=2))
    as_agg = {"fields": ["ts"], "size": 3, "metrics": {"n": {"count": "*"}, "m": {"max": "id"}},
              "order": [{"m": "desc"}, {"_count": "asc"}],
              "top_hits": {"size": 2, "sort": [{"id": "asc"}]},
              "sub_aggregation": {"fields": ["id"], "size": 2}}
    same_request("Search", lambda py: py.search("c", Q, limit=5, search_aggregation=agg),
                 "search", collection_name="c", data=Q, limit=5, search_aggregation=as_agg)


def test_search_by_text(same_request):
    py_req, _ = same_request(
        "Search", lambda py: py.search("c", ["vector database", "fox"], anns_field="sparse",
                                       limit=3),
        "search", collection_name="c", data=["vector database", "fox"], anns_field="sparse",
        limit=3)
    group = common_pb2.PlaceholderGroup.FromString(py_req.placeholder_group)
    assert group.placeholders[0].type == common_pb2.PlaceholderType.VarChar


@pytest.mark.parametrize("ranker,as_ranker", [
    (RRFRanker(), {"strategy": "rrf"}),
    (RRFRanker(30), {"strategy": "rrf", "params": {"k": 30}}),
    (WeightedRanker(0.2, 0.8), {"strategy": "weighted", "params": {"weights": [0.2, 0.8]}}),
    (WeightedRanker(0.2, 0.8, norm_score=False),
     {"strategy": "weighted", "params": {"weights": [0.2, 0.8], "norm_score": False}}),
    (fn("r", {"reranker": "rrf", "k": 60}), None),
], ids=["rrf", "rrf-k", "weighted", "weighted-raw", "function"])
def test_hybrid_rankers(same_request, ranker, as_ranker):
    reqs = [AnnSearchRequest(Q, "vector", {}, 5), AnnSearchRequest(["fox"], "sparse", {}, 5)]
    same_request(
        "HybridSearch", lambda py: py.hybrid_search("c", reqs, ranker, limit=4),
        "hybrid_search", collection_name="c", limit=4,
        reqs=[{"data": Q, "anns_field": "vector", "limit": 5},
              {"data": ["fox"], "anns_field": "sparse", "limit": 5}],
        ranker=as_ranker or as_json(ranker))


def test_search_iterator_v2_probe(rec, same_request):
    # A server that iterates: a token in every reply, and no rows (the walk ends at once).
    def search(req):
        params = {p.key: p.value for p in req.search_params}
        res = schema_pb2.SearchResultData(num_queries=1, topks=[0])
        if params.get("search_iter_v2") == "True":
            res.search_iterator_v2_results.token = "t"
        return milvus_pb2.SearchResults(status=common_pb2.Status(), results=res, session_ts=5)
    rec.replies["Search"] = search

    def walk(py):
        it = py.search_iterator("c", Q, batch_size=7, output_fields=["ts"])
        assert len(it.next()) == 0

    # The probe, then the first page (pinned to the probe's session timestamp).
    for pick in (0, 1):
        same_request("Search", walk, "iterate:search_iterator", pick=pick, collection_name="c",
                     data=Q, batch_size=7, output_fields=["ts"])


def test_run_analyzer(same_request):
    same_request(
        "RunAnalyzer",
        lambda py: py.run_analyzer(["Hello World"], analyzer_params={"tokenizer": "standard"},
                                   with_detail=True, with_hash=True),
        "run_analyzer", texts=["Hello World"], analyzer_params={"tokenizer": "standard"},
        with_detail=True, with_hash=True)


def test_model_ranker(same_request):
    model = fn("m", {"reranker": "model", "provider": "tei", "queries": ["vector db"],
                     "endpoint": "http://127.0.0.1:9", "maxBatch": 32, "truncate": True},
               ["text"])
    py_req, _ = same_request(
        "Search", lambda py: py.search("c", Q, limit=5, ranker=model),
        "search", collection_name="c", data=Q, limit=5, ranker=as_json(model))
    params = {p.key: p.value for p in py_req.function_score.functions[0].params}
    assert params["queries"] == '["vector db"]' and params["truncate"] == "True"


def test_search_iterator_every_argument(rec, same_request):
    def search(req):
        res = schema_pb2.SearchResultData(num_queries=1, topks=[0])
        res.search_iterator_v2_results.token = "t"
        return milvus_pb2.SearchResults(status=common_pb2.Status(), results=res, session_ts=5)
    rec.replies["Search"] = search
    kw = dict(batch_size=7, filter="ts > 3", limit=50, output_fields=["ts"],
              partition_names=["p1"], round_decimal=3, anns_field="vector", timeout=30,
              search_params={"metric_type": "L2", "params": {"ef": 32}})

    def walk(py):
        assert len(py.search_iterator("c", Q, **kw).next()) == 0

    for pick in (0, 1):
        same_request("Search", walk, "iterate:search_iterator", pick=pick, collection_name="c",
                     data=Q, **kw)


def test_search_iterator_external_filter_func_is_refused(rec, clients):
    """docs/json-api.md: external_filter_func is a Python callable pymilvus runs on each page;
    no JSON value is one, so libmilvus refuses the argument and sends nothing."""
    import libmilvus
    _, lm = clients
    rec.take()
    with pytest.raises(libmilvus.MilvusError) as e:
        lm.iterate("search_iterator", collection_name="c", data=Q, batch_size=7,
                   external_filter_func="lambda hits: hits")
    assert e.value.status_name == "MILVUS_ERR_INVALID_ARGUMENT"
    assert "external_filter_func" in e.value.message
    assert not [c for c in rec.take() if c.method == "Search"]


@pytest.mark.parametrize("kw", [
    {"collection_name": "c", "field_name": "text"},
    {"collection_name": "c", "field_name": "text", "analyzer_names": "en"},
    {"collection_name": "c", "field_name": "text", "analyzer_names": ["en", "de"]},
], ids=["field", "one-name", "names"])
def test_run_analyzer_of_a_field(same_request, kw):
    same_request("RunAnalyzer", lambda py: py.run_analyzer(["Hello World", "Bye"], timeout=30, **kw),
                 "run_analyzer", texts=["Hello World", "Bye"], timeout=30, **kw)
