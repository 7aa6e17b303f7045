"""Function rerankers (pymilvus `Function` of type RERANK and `FunctionScore`) in search and
hybrid_search, and function chains in search: the same collection searched through pymilvus
and libmilvus, hits compared.

Only Milvus Lite 3.2.2 among the test servers has function rerankers (Milvus 2.5+); the
older servers are skipped here, and their refusal is not what this file proves.
"""

import pytest
from pymilvus import AnnSearchRequest, DataType, Function, FunctionScore, FunctionType

import libmilvus
from test_differential import compare_search, norm_hits

DECAY = {"reranker": "decay", "function": "gauss", "origin": 100, "offset": 0,
         "decay": 0.5, "scale": 50}
BOOST = {"reranker": "boost", "filter": "ts <= 40", "weight": 3.0}
Q1, Q2 = [[5.0, 0.0, 0.0, 0.0]], [[9.0, 0.0, 0.0, 0.0]]


def fn(name, params, inputs=()):
    return Function(name=name, input_field_names=list(inputs),
                    function_type=FunctionType.RERANK, params=params)


def as_json(f):
    """A pymilvus Function in libmilvus's JSON form."""
    return {"name": f.name, "type": "RERANK", "input_field_names": f.input_field_names,
            "params": f.params}


@pytest.fixture(scope="module")
def coll(pair):
    if pair.server != "lite3":
        pytest.skip(f"{pair.server} has no function rerankers (Milvus 2.5+)")
    name, _ = pair.names("rerank")
    pair.created.append(name)
    py = pair.py
    schema = py.create_schema(auto_id=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=4)
    schema.add_field("ts", DataType.INT64)
    index = py.prepare_index_params()
    index.add_index("vector", index_type="FLAT", metric_type="L2")
    py.create_collection(name, schema=schema, index_params=index, consistency_level="Strong")
    py.insert(name, [{"id": i, "vector": [float(i), 0.0, 0.0, 0.0], "ts": i * 10}
                     for i in range(20)])
    return pair, name


def test_search_with_a_decay_function(coll):
    pair, name = coll
    decay = fn("d", DECAY, ["ts"])
    a = pair.py.search(name, Q1, limit=5, ranker=decay, output_fields=["ts"])
    b = pair.lm.call("search", collection_name=name, data=Q1, limit=5, ranker=as_json(decay),
                     output_fields=["ts"])
    compare_search(norm_hits(a, "id"), b)
    # The decay around ts=100 reorders the plain L2 order (5, 4, 6, ...): the scores are the
    # decay's, highest first.
    assert [h["id"] for h in b[0]] == [5, 6, 4, 7, 8]
    assert b[0][0]["distance"] == pytest.approx(0.5)


def test_search_with_a_function_score(coll):
    pair, name = coll
    boost, decay = fn("b", BOOST), fn("d", DECAY, ["ts"])
    fs = FunctionScore(functions=[boost, decay],
                       params={"boost_mode": "multiply", "function_mode": "sum"})
    a = pair.py.search(name, Q1, limit=5, ranker=fs, output_fields=["ts"])
    b = pair.lm.call("search", collection_name=name, data=Q1, limit=5,
                     ranker={"functions": [as_json(boost), as_json(decay)], "params": fs.params},
                     output_fields=["ts"])
    compare_search(norm_hits(a, "id"), b)
    plain = pair.lm.call("search", collection_name=name, data=Q1, limit=5,
                         ranker=as_json(decay), output_fields=["ts"])
    assert [h["id"] for h in b[0]] != [h["id"] for h in plain[0]], "the boost changed nothing"


@pytest.mark.parametrize("params", [{"reranker": "rrf", "k": 60},
                                    {"reranker": "weighted", "weights": [0.2, 0.8],
                                     "norm_score": True}], ids=["rrf", "weighted"])
def test_hybrid_search_with_a_function(coll, params):
    pair, name = coll
    ranker = fn("r", params)
    reqs = [AnnSearchRequest(Q1, "vector", {}, 5), AnnSearchRequest(Q2, "vector", {}, 5)]
    a = pair.py.hybrid_search(name, reqs, ranker, limit=5, output_fields=["ts"])
    b = pair.lm.call("hybrid_search", collection_name=name, limit=5, output_fields=["ts"],
                     reqs=[{"data": Q1, "anns_field": "vector", "limit": 5},
                           {"data": Q2, "anns_field": "vector", "limit": 5}],
                     ranker=as_json(ranker))
    compare_search(norm_hits(a, "id"), b)
    assert len(b[0]) == 5


def test_a_fusion_ranker_is_refused_by_search(coll):
    pair, name = coll
    with pytest.raises(libmilvus.MilvusError) as e:
        pair.lm.call("search", collection_name=name, data=Q1, limit=5,
                     ranker={"strategy": "rrf", "params": {"k": 60}})
    assert "MILVUS_ERR_INVALID_ARGUMENT" in str(e.value)


def test_search_with_a_function_chain(coll):
    from pymilvus.function_chain import FunctionChain, FunctionChainStage, col
    from pymilvus.function_chain import fn as chain_fn
    pair, name = coll
    chain = (FunctionChain(FunctionChainStage.L2_RERANK, name="c")
             .map("$score", chain_fn.round_decimal(col("$score"), decimal=1))
             .sort(col("ts"), desc=True)
             .limit(3))
    a = pair.py.search(name, Q1, limit=5, function_chains=chain, output_fields=["ts"])
    as_json_chain = {
        "name": "c", "stage": "L2_RERANK", "ops": [
            {"op": "map", "outputs": ["$score"],
             "expr": {"name": "round_decimal", "args": [{"column": "$score"}],
                      "params": {"decimal": 1}}},
            {"op": "sort", "inputs": ["ts"], "params": {"column": "ts", "desc": True}},
            {"op": "limit", "params": {"limit": 3, "offset": 0}}]}
    b = pair.lm.call("search", collection_name=name, data=Q1, limit=5,
                     function_chains=[as_json_chain], output_fields=["ts"])
    compare_search(norm_hits(a, "id"), b)
    # Sorted by ts, highest first, three kept.
    assert [h["entity"]["ts"] for h in b[0]] == [70, 60, 50]
    with pytest.raises(libmilvus.MilvusError) as e:
        pair.lm.call("search", collection_name=name, data=Q1, limit=5,
                     function_chains=as_json_chain, ranker=as_json(fn("d", DECAY, ["ts"])))
    assert "cannot be used together" in str(e.value)
    with pytest.raises(libmilvus.MilvusError) as e:
        pair.lm.call("hybrid_search", collection_name=name,
                     reqs=[{"data": Q1, "anns_field": "vector"}],
                     ranker={"strategy": "rrf"}, function_chains=as_json_chain)
    assert "hybrid_search" in str(e.value)
