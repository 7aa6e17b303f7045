//! The fixed collection schemas the stub describes (collection `cN` gets schema N). Between
//! them they hold every field type, so rows of any type can be encoded against them.

use milvus::codec::schema::{schema_from_dict, CollectionInfo};
use milvus::proto::milvus::DescribeCollectionResponse;
use serde_json::{json, Value};

/// The fixed schemas, in pymilvus's `CollectionSchema.to_dict()` form. Between them they hold
/// every data type a row can carry, nullable and default-valued fields, dynamic fields, an
/// auto_id key, a VARCHAR key and a function output.
pub fn schema_dicts() -> Vec<Value> {
    let scalars = |nullable: bool| {
        let n = |name: &str, t: &str| json!({"name": name, "type": t, "nullable": nullable});
        vec![
            n("b", "BOOL"),
            n("i8", "INT8"),
            n("i16", "INT16"),
            n("i32", "INT32"),
            n("i64", "INT64"),
            n("f", "FLOAT"),
            n("d", "DOUBLE"),
            json!({"name": "s", "type": "VARCHAR", "max_length": 16, "nullable": nullable}),
            n("j", "JSON"),
            json!({"name": "a_i64", "type": "ARRAY", "element_type": "INT64", "max_capacity": 4, "nullable": nullable}),
            json!({"name": "a_s", "type": "ARRAY", "element_type": "VARCHAR", "max_capacity": 4, "max_length": 8, "nullable": nullable}),
            json!({"name": "a_f", "type": "ARRAY", "element_type": "FLOAT", "max_capacity": 4, "nullable": nullable}),
            json!({"name": "a_d", "type": "ARRAY", "element_type": "DOUBLE", "max_capacity": 4, "nullable": nullable}),
            json!({"name": "a_b", "type": "ARRAY", "element_type": "BOOL", "max_capacity": 4, "nullable": nullable}),
            json!({"name": "a_i8", "type": "ARRAY", "element_type": "INT8", "max_capacity": 4, "nullable": nullable}),
            json!({"name": "a_i16", "type": "ARRAY", "element_type": "INT16", "max_capacity": 4, "nullable": nullable}),
            json!({"name": "a_i32", "type": "ARRAY", "element_type": "INT32", "max_capacity": 4, "nullable": nullable}),
        ]
    };
    let mut all = vec![json!({"name": "id", "type": "INT64", "is_primary": true})];
    all.extend(scalars(false));
    all.push(json!({"name": "v", "type": "FLOAT_VECTOR", "dim": 4}));

    let mut nullable = vec![json!({"name": "id", "type": "INT64", "is_primary": true})];
    nullable.extend(scalars(true));
    nullable.extend([
        json!({"name": "df", "type": "FLOAT", "default_value": 1.5}),
        json!({"name": "ds", "type": "VARCHAR", "max_length": 8, "default_value": "x"}),
        json!({"name": "di", "type": "INT32", "default_value": 7, "nullable": true}),
        json!({"name": "db", "type": "BOOL", "default_value": true}),
        json!({"name": "v", "type": "FLOAT_VECTOR", "dim": 2}),
    ]);

    let vectors = vec![
        json!({"name": "pk", "type": "VARCHAR", "max_length": 32, "is_primary": true}),
        json!({"name": "bv", "type": "BINARY_VECTOR", "dim": 16}),
        json!({"name": "hv", "type": "FLOAT16_VECTOR", "dim": 4}),
        json!({"name": "bfv", "type": "BFLOAT16_VECTOR", "dim": 4}),
        json!({"name": "sv", "type": "SPARSE_FLOAT_VECTOR"}),
        json!({"name": "i8v", "type": "INT8_VECTOR", "dim": 4}),
        json!({"name": "fv", "type": "FLOAT_VECTOR", "dim": 3}),
    ];

    let auto = vec![
        json!({"name": "id", "type": "INT64", "is_primary": true, "auto_id": true}),
        json!({"name": "text", "type": "VARCHAR", "max_length": 64, "enable_analyzer": true}),
        json!({"name": "sparse", "type": "SPARSE_FLOAT_VECTOR", "is_function_output": true}),
        json!({"name": "v", "type": "FLOAT_VECTOR", "dim": 2}),
    ];
    vec![
        json!({"fields": all, "enable_dynamic_field": true}),
        json!({"fields": nullable, "enable_dynamic_field": false}),
        json!({"fields": vectors, "enable_dynamic_field": true}),
        json!({"fields": auto, "enable_dynamic_field": true, "functions": [{
            "name": "bm25", "type": "BM25",
            "input_field_names": ["text"], "output_field_names": ["sparse"], "params": {}
        }]}),
    ]
}

/// The describe reply of fixed schema `index` (modulo their number) for `collection`.
pub fn describe(index: usize, collection: &str) -> DescribeCollectionResponse {
    let dicts = schema_dicts();
    let dict = &dicts[index % dicts.len()];
    let schema = schema_from_dict(collection, dict)
        .unwrap_or_else(|e| panic!("fixed schema {index} is invalid: {e}"));
    DescribeCollectionResponse {
        schema: Some(schema),
        collection_name: collection.to_string(),
        collection_id: 1,
        ..Default::default()
    }
}

/// Every fixed schema as the client sees it after describing the collection.
pub fn infos() -> Vec<CollectionInfo> {
    (0..schema_dicts().len())
        .map(|i| {
            CollectionInfo::from_describe(describe(i, &format!("c{i}")))
                .unwrap_or_else(|e| panic!("fixed schema {i}: {e}"))
        })
        .collect()
}

/// Which fixed schema the stub describes a collection with: the digit after a leading `c`
/// (`"c2"`, `"c3_x"`), else 0. Lets an input pick the schema by the name it writes to.
pub fn schema_for(collection: &str) -> usize {
    collection
        .strip_prefix('c')
        .and_then(|r| r.bytes().next())
        .filter(u8::is_ascii_digit)
        .map(|d| (d - b'0') as usize)
        .unwrap_or(0)
}
