"""Collection definitions as pymilvus 3.0.2 sends them: BM25 functions, analyzers, nullable
and default-valued fields, and the calls around them (truncate, text_match filters)."""

from pymilvus import DataType, Function, FunctionType
from pymilvus.grpc_gen import common_pb2, milvus_pb2, schema_pb2


def bm25_schema(py):
    s = py.create_schema(auto_id=False, enable_dynamic_field=True, description="docs")
    s.add_field("id", DataType.INT64, is_primary=True)
    s.add_field("text", DataType.VARCHAR, max_length=1000, enable_analyzer=True,
                enable_match=True, analyzer_params={"tokenizer": "standard",
                                                    "filter": ["lowercase"]})
    s.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    s.add_field("dense", DataType.FLOAT_VECTOR, dim=4)
    s.add_field("note", DataType.VARCHAR, max_length=100, nullable=True)
    s.add_field("rank", DataType.INT64, default_value=7)
    s.add_field("score", DataType.DOUBLE, nullable=True, default_value=0.5)
    s.add_function(Function(name="bm25", function_type=FunctionType.BM25,
                            input_field_names=["text"], output_field_names=["sparse"]))
    return s


SCHEMA_JSON = {
    "auto_id": False, "enable_dynamic_field": True, "description": "docs",
    "fields": [
        {"name": "id", "type": "INT64", "is_primary": True},
        {"name": "text", "type": "VARCHAR", "max_length": 1000, "enable_analyzer": True,
         "enable_match": True,
         "analyzer_params": {"tokenizer": "standard", "filter": ["lowercase"]}},
        {"name": "sparse", "type": "SPARSE_FLOAT_VECTOR"},
        {"name": "dense", "type": "FLOAT_VECTOR", "dim": 4},
        {"name": "note", "type": "VARCHAR", "max_length": 100, "nullable": True},
        {"name": "rank", "type": "INT64", "default_value": 7},
        {"name": "score", "type": "DOUBLE", "nullable": True, "default_value": 0.5},
    ],
    "functions": [{"name": "bm25", "type": "BM25", "input_field_names": ["text"],
                   "output_field_names": ["sparse"]}],
}


def test_create_collection_with_bm25_nullable_and_defaults(same_request):
    same_request(
        "CreateCollection",
        lambda py: py.create_collection("docs", schema=bm25_schema(py),
                                        consistency_level="Strong"),
        "create_collection", collection_name="docs", schema=SCHEMA_JSON,
        consistency_level="Strong")


def test_truncate_collection(same_request):
    same_request("TruncateCollection", lambda py: py.truncate_collection("docs"),
                 "truncate_collection", collection_name="docs")


def test_text_match_query(rec, same_request):
    ids = schema_pb2.FieldData(field_name="id", type=schema_pb2.Int64, scalars=schema_pb2.ScalarField(
        long_data=schema_pb2.LongArray(data=[1])))
    rec.replies["Query"] = milvus_pb2.QueryResults(status=common_pb2.Status(), fields_data=[ids],
                                                   output_fields=["id"])
    expr = "text_match(text, 'vector database') and note is not null"
    same_request("Query",
                 lambda py: py.query("docs", filter=expr, output_fields=["id", "note"], limit=5),
                 "query", collection_name="docs", filter=expr, output_fields=["id", "note"],
                 limit=5)
    rec.replies.clear()
