"""Full-text search and the Milvus 2.5 schema features, pymilvus 3.0.2 against libmilvus on one
collection: search by text, hybrid text + dense, the text search iterator, text_match filters
(phrase_match reaches the server as written), nullable and default-valued fields.

Only Milvus Lite 3.2.2 among the test servers has BM25 functions and nullable fields; the older
servers are skipped here (their refusals are tested elsewhere).
"""

import pytest
from pymilvus import AnnSearchRequest, DataType, Function, FunctionType, RRFRanker

from conftest import close, norm
from test_differential import compare_search, norm_hits

DOCS = [
    "vector database for AI",
    "the quick brown fox",
    "milvus is a vector database",
    "cooking pasta at home",
    "search engines rank documents",
    "brown bears eat fish",
]
DENSE = [[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0],
         [0.0, 0.0, 0.0, 1.0], [2.0, 1.0, 0.0, 0.0], [0.0, 1.0, 1.0, 0.0]]
STRONG = "Strong"


@pytest.fixture(scope="module")
def coll(pair):
    if pair.server != "lite3":
        pytest.skip(f"{pair.server} has no BM25 functions or nullable fields (Milvus 2.5+)")
    name, _ = pair.names("fts")
    pair.created.append(name)
    py = pair.py
    schema = py.create_schema(auto_id=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("text", DataType.VARCHAR, max_length=1000, enable_analyzer=True,
                     enable_match=True)
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=4)
    schema.add_field("note", DataType.VARCHAR, max_length=100, nullable=True)
    schema.add_field("rank", DataType.INT64, default_value=7)
    schema.add_function(Function(name="bm25", function_type=FunctionType.BM25,
                                 input_field_names=["text"], output_field_names=["sparse"]))
    index = py.prepare_index_params()
    index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
    index.add_index("dense", index_type="FLAT", metric_type="L2")
    py.create_collection(name, schema=schema, index_params=index, consistency_level=STRONG)
    rows = []
    for i, (doc, vec) in enumerate(zip(DOCS, DENSE), start=1):
        row = {"id": i, "text": doc, "dense": vec}
        if i in (1, 3, 5):
            row["note"], row["rank"] = f"n{i}", i - 1
        elif i == 4:
            row["note"] = None
        elif i == 6:
            row["rank"] = None
        rows.append(row)
    py.insert(name, rows)
    return pair, name


def test_search_by_text(coll):
    pair, name = coll
    kw = dict(limit=3, output_fields=["text", "note", "rank"])
    a = pair.py.search(name, ["milvus vector database", "brown fox"], anns_field="sparse", **kw)
    b = pair.lm.call("search", collection_name=name, data=["milvus vector database", "brown fox"],
                     anns_field="sparse", **kw)
    compare_search(norm_hits(a, "id"), b)
    assert [h["id"] for h in b[0]][:1] == [3]
    assert b[1][0]["entity"] == {"text": DOCS[1], "note": None, "rank": 7}


def test_hybrid_text_and_dense(coll):
    pair, name = coll
    q = [0.0, 1.0, 0.0, 0.0]
    a = pair.py.hybrid_search(
        name, [AnnSearchRequest(["brown fox"], "sparse", {}, 5),
               AnnSearchRequest([q], "dense", {}, 5)],
        RRFRanker(60), limit=4, output_fields=["text"])
    b = pair.lm.call("hybrid_search", collection_name=name, limit=4, output_fields=["text"],
                     reqs=[{"data": ["brown fox"], "anns_field": "sparse", "limit": 5},
                           {"data": [q], "anns_field": "dense", "limit": 5}],
                     ranker={"strategy": "rrf", "params": {"k": 60}})
    compare_search(norm_hits(a, "id"), b)
    assert b[0][0]["id"] == 2, "the fox is first in both lists"


@pytest.mark.parametrize("expr", ["text_match(text, 'brown')",
                                  "text_match(text, 'vector database')",
                                  "note is null", "note is not null and rank >= 2",
                                  "rank == 7"])
def test_filters(coll, expr):
    pair, name = coll
    a = pair.py.query(name, filter=expr, output_fields=["id", "note", "rank"],
                      consistency_level=STRONG)
    b = pair.lm.call("query", collection_name=name, filter=expr,
                     output_fields=["id", "note", "rank"], consistency_level=STRONG)
    key = lambda r: r["id"]  # noqa: E731
    close(sorted(norm(a), key=key), sorted(b, key=key))
    assert b, f"{expr} matches rows"


def test_phrase_match_reaches_the_server_unchanged(coll):
    # Lite 3.2.2 has text_match but not phrase_match: both clients get its refusal, which
    # names the function as written.
    import libmilvus
    from pymilvus.exceptions import MilvusException
    pair, name = coll
    expr = "phrase_match(text, 'vector database')"
    with pytest.raises(MilvusException) as a:
        pair.py.query(name, filter=expr, output_fields=["id"])
    with pytest.raises(libmilvus.MilvusError) as b:
        pair.lm.call("query", collection_name=name, filter=expr, output_fields=["id"])
    assert b.value.server_code == a.value.code == 6
    assert b.value.message.endswith(a.value.message) and "phrase_match" in a.value.message


def test_text_match_in_a_dense_search(coll):
    pair, name = coll
    q = [[0.0, 1.0, 0.0, 0.0]]
    a = pair.py.search(name, q, anns_field="dense", limit=6,
                       filter="text_match(text, 'brown')", output_fields=["text"])
    b = pair.lm.call("search", collection_name=name, data=q, anns_field="dense", limit=6,
                     filter="text_match(text, 'brown')", output_fields=["text"])
    compare_search(norm_hits(a, "id"), b)
    assert sorted(h["id"] for h in b[0]) == [2, 6]


def test_text_search_iterator(coll):
    pair, name = coll
    it = pair.py.search_iterator(name, data=["brown fox"], anns_field="sparse", batch_size=2,
                                 output_fields=["text"])
    py_ids = []
    while True:
        page = it.next()
        if len(page) == 0:
            break
        py_ids.append([h["id"] for h in page])
    it.close()
    lm_pages = pair.lm.iterate("search_iterator", collection_name=name, data=["brown fox"],
                               anns_field="sparse", batch_size=2, output_fields=["text"])
    lm_ids = [[h["id"] for h in p] for p in lm_pages]
    # Both clients fall back to range searches here (Lite 3.2.2 has no server-side
    # iteration), and Lite 3.2.2 answers no range search on a BM25 field: one page each.
    assert lm_ids == py_ids == [[2, 6]], (py_ids, lm_ids)
