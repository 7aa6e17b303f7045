//! Schemas and values round-trip exactly through the three test servers (Milvus 2.3.5
//! standalone, Milvus Lite 2.5.1 and Milvus Lite 3.2.2), each with the types it has.

mod common;
use common::*;
use milvus::ErrorKind;
use serde_json::{json, Value};

fn f32_bits(v: &Value) -> Vec<u32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| (x.as_f64().unwrap() as f32).to_bits())
        .collect()
}

/// Creates from a full schema, describes, and checks describe → create → describe is stable.
fn round_trip_schema(label: &str, c: &milvus::Client, fields: Value) -> (String, Value) {
    let name = unique("types");
    let schema = json!({"fields": fields.clone(), "enable_dynamic_field": true});
    call(
        c,
        m::create_collection,
        json!({"collection_name": name, "schema": schema}),
    )
    .unwrap_or_else(|e| panic!("{label}: {e}"));
    let d1 = call(c, m::describe_collection, json!({"collection_name": name})).unwrap();
    let mut fields1 = d1["fields"].clone();
    if label == "lite3" {
        // Milvus Lite 3.2.2 describes an ARRAY of VARCHAR without its max_length: the copy
        // takes it from the schema given.
        for f in fields1.as_array_mut().unwrap() {
            if f["type"] == "ARRAY" && f["element_type"] == "VARCHAR" {
                assert_eq!(f["params"].get("max_length"), None, "{label}: {f}");
                let given = fields
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|g| g["name"] == f["name"])
                    .unwrap();
                f["params"]["max_length"] = given["max_length"].clone();
            }
        }
    }
    let copy = unique("types_copy");
    let schema2 = json!({"fields": fields1, "enable_dynamic_field": d1["enable_dynamic_field"]});
    call(
        c,
        m::create_collection,
        json!({"collection_name": copy, "schema": schema2}),
    )
    .unwrap_or_else(|e| panic!("{label}: {e}"));
    let d2 = call(c, m::describe_collection, json!({"collection_name": copy})).unwrap();
    let strip = |d: &Value| -> Vec<Value> {
        d["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let mut f = f.clone();
                f.as_object_mut().unwrap().remove("field_id");
                f
            })
            .collect()
    };
    assert_eq!(
        strip(&d1),
        strip(&d2),
        "{label}: describe → create → describe changed the schema"
    );
    assert_eq!(d1["enable_dynamic_field"], json!(true));
    call(c, m::drop_collection, json!({"collection_name": copy})).unwrap();
    (name, d1)
}

fn index_and_load(c: &milvus::Client, name: &str, field: &str, index: &str, metric: &str) {
    // create_collection with index_params indexes and loads; here on an existing collection via
    // the client directly.
    let p = vec![
        milvus::proto::common::KeyValuePair {
            key: "index_type".into(),
            value: index.into(),
        },
        milvus::proto::common::KeyValuePair {
            key: "metric_type".into(),
            value: metric.into(),
        },
    ];
    block(c.create_index(name, field, "", p, &Default::default())).unwrap();
    block(c.load_collection(name, 0, &Default::default())).unwrap();
}

#[test]
fn scalar_json_array_and_float_vectors_round_trip() {
    for (label, uri) in servers() {
        let c = connect(&uri);
        let (name, desc) = round_trip_schema(
            label,
            &c,
            json!([
                {"name": "pk", "type": "VARCHAR", "is_primary": true, "max_length": 64},
                {"name": "b", "type": "BOOL"},
                {"name": "i8", "type": "INT8"},
                {"name": "i16", "type": "INT16"},
                {"name": "i32", "type": "INT32"},
                {"name": "i64", "type": "INT64"},
                {"name": "f", "type": "FLOAT"},
                {"name": "d", "type": "DOUBLE"},
                {"name": "s", "type": "VARCHAR", "params": {"max_length": 100}},
                {"name": "j", "type": "JSON"},
                {"name": "arr", "type": "ARRAY", "element_type": "INT64", "max_capacity": 4},
                {"name": "sarr", "type": "ARRAY", "element_type": "VARCHAR", "max_capacity": 3, "max_length": 8},
                {"name": "v", "type": "FLOAT_VECTOR", "dim": 3},
            ]),
        );
        let types: Vec<&str> = desc["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["type"].as_str().unwrap())
            .collect();
        assert_eq!(
            types,
            [
                "VARCHAR",
                "BOOL",
                "INT8",
                "INT16",
                "INT32",
                "INT64",
                "FLOAT",
                "DOUBLE",
                "VARCHAR",
                "JSON",
                "ARRAY",
                "ARRAY",
                "FLOAT_VECTOR"
            ]
        );
        assert_eq!(desc["fields"][12]["params"]["dim"], json!(3), "{label}");
        // Milvus Lite 2.5.1 cannot delete a key holding a single quote (its own bug: pymilvus
        // gets the same "internal error"), so Lite gets the other hard characters only.
        let key = if label == "lite" {
            "a \"quoted\" \\ key"
        } else {
            "it's \"quoted\" \\ key"
        };
        let rows = json!([
            {"pk": key, "b": true, "i8": -128, "i16": 32767, "i32": -2147483648i64, "i64": 9007199254740993i64,
             "f": 0.1, "d": 0.1, "s": "héllo ✓", "j": {"a": [1, 2, {"b": null}], "c": "x"}, "arr": [1, -2, 3], "sarr": ["a", "bb"],
             "v": [0.1, -0.2, 3.4028235e38], "extra": {"k": 1}},
            {"pk": "plain", "b": false, "i8": 127, "i16": -32768, "i32": 2147483647, "i64": -9223372036854775808i64,
             "f": -1.5e-30, "d": 1e300, "s": "", "j": {"list": [1, "two"], "n": -0.5}, "arr": [], "sarr": [], "v": [1, 2, 3]},
        ]);
        let r = call(
            &c,
            m::insert,
            json!({"collection_name": name, "data": rows}),
        )
        .unwrap();
        assert_eq!(r["ids"], json!([key, "plain"]), "{label}");
        index_and_load(&c, &name, "v", "FLAT", "L2");
        let got = call(
            &c,
            m::get,
            json!({"collection_name": name, "ids": [key, "plain"], "output_fields": ["*"]}),
        )
        .unwrap();
        let got = got.as_array().unwrap();
        assert_eq!(got.len(), 2, "{label}: {got:?}");
        for want in rows.as_array().unwrap() {
            let row = got
                .iter()
                .find(|r| r["pk"] == want["pk"])
                .unwrap_or_else(|| panic!("{label}: {} missing", want["pk"]));
            for k in [
                "b", "i8", "i16", "i32", "i64", "d", "s", "j", "arr", "sarr", "extra",
            ] {
                assert_eq!(row.get(k), want.get(k), "{label}: field {k}");
            }
            assert_eq!(
                (row["f"].as_f64().unwrap() as f32).to_bits(),
                (want["f"].as_f64().unwrap() as f32).to_bits(),
                "{label}"
            );
            assert_eq!(
                f32_bits(&row["v"]),
                f32_bits(&want["v"]),
                "{label}: vector bits"
            );
        }
        let d = call(
            &c,
            m::delete,
            json!({"collection_name": name, "ids": [key]}),
        )
        .unwrap();
        assert_eq!(d["delete_count"], json!(1), "{label}");
        let left = call(&c, m::query, json!({"collection_name": name, "filter": "i8 != 0", "output_fields": ["pk"], "consistency_level": "Strong"})).unwrap();
        assert_eq!(left, json!([{"pk": "plain"}]), "{label}");
        call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
    }
}

#[test]
fn binary_vectors_and_dynamic_output_fields() {
    for (label, uri) in servers() {
        let c = connect(&uri);
        let fields = json!([{"name": "id", "type": "INT64", "is_primary": true}, {"name": "bv", "type": "BINARY_VECTOR", "dim": 16}]);
        if label == "lite3" {
            // Milvus Lite 3.2.2 has no binary vectors.
            let e = call(
                &c,
                m::create_collection,
                json!({"collection_name": unique("types"), "schema": {"fields": fields}}),
            )
            .unwrap_err();
            assert_eq!(
                (e.kind, e.server_code),
                (ErrorKind::Server, 6),
                "{label}: {e}"
            );
            assert!(
                e.message
                    .contains("BinaryVector which MilvusLite does not support"),
                "{label}: {e}"
            );
            continue;
        }
        let (name, _) = round_trip_schema(label, &c, fields);
        let rows = json!([{"id": 1, "bv": [255, 0], "color": "red", "n": 1}, {"id": 2, "bv": "AP8=", "color": "blue", "n": 2}]);
        call(
            &c,
            m::insert,
            json!({"collection_name": name, "data": rows}),
        )
        .unwrap();
        index_and_load(&c, &name, "bv", "BIN_FLAT", "HAMMING");
        let got = call(&c, m::query, json!({"collection_name": name, "filter": "id > 0", "output_fields": ["bv", "color"], "consistency_level": "Strong"})).unwrap();
        let mut got = got.as_array().unwrap().clone();
        got.sort_by_key(|r| r["id"].as_i64());
        // Only the dynamic key asked for comes back; binary vectors read back as base64.
        assert_eq!(
            got,
            vec![
                json!({"id": 1, "bv": "/wA=", "color": "red"}),
                json!({"id": 2, "bv": "AP8=", "color": "blue"})
            ],
            "{label}"
        );
        let e = call(
            &c,
            m::insert,
            json!({"collection_name": name, "data": [{"id": 3, "bv": [1, 2, 3]}]}),
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::DimensionMismatch, "{label}: {e}");
        call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
    }
}

/// Sparse, float16 and bfloat16 vectors exist from Milvus 2.4: Lite 2.5.1 has them all.
/// Milvus Lite 2.5.1 crashes when an Insert leaves a default-valued field out of some rows (as
/// pymilvus 3.0.2 sends it); libmilvus writes the default itself, so row 2 omits it safely.
#[test]
fn newer_types_on_lite() {
    let label = "lite";
    let Some(uri) = server(label) else { return };
    let c = connect(&uri);
    let (name, _) = round_trip_schema(
        label,
        &c,
        json!([
            {"name": "id", "type": "INT64", "is_primary": true},
            {"name": "h", "type": "FLOAT16_VECTOR", "dim": 2},
            {"name": "bh", "type": "BFLOAT16_VECTOR", "dim": 2},
            {"name": "sp", "type": "SPARSE_FLOAT_VECTOR"},
            {"name": "dflt", "type": "VARCHAR", "max_length": 8, "default_value": "none"},
        ]),
    );
    let rows = json!([
        {"id": 1, "h": [1.0, -2.5], "bh": [1.0, 0.15625], "sp": {"7": 0.5, "2": 0.25}, "dflt": "x"},
        {"id": 2, "h": "ADwAQA==", "bh": [3.0, -1.0], "sp": [[1, 1.5]]},
    ]);
    call(
        &c,
        m::insert,
        json!({"collection_name": name, "data": rows}),
    )
    .unwrap();
    index_and_load(&c, &name, "h", "FLAT", "L2");
    let got = call(&c, m::query, json!({"collection_name": name, "filter": "id > 0", "output_fields": ["*"], "consistency_level": "Strong"})).unwrap();
    let mut got = got.as_array().unwrap().clone();
    got.sort_by_key(|r| r["id"].as_i64());
    assert_eq!(got[0]["h"], json!([1.0, -2.5]), "{label}: {got:?}");
    assert_eq!(got[1]["h"], json!([1.0, 2.0]), "{label}: base64 fp16 in");
    assert_eq!(got[0]["bh"], json!([1.0, 0.15625]));
    assert_eq!(got[0]["sp"], json!({"2": 0.25, "7": 0.5}));
    assert_eq!(got[1]["sp"], json!({"1": 1.5}));
    assert_eq!(got[0]["dflt"], json!("x"));
    assert_eq!(
        got[1]["dflt"],
        json!("none"),
        "default written by the client"
    );
    call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
}

/// A field with a default_value may be left out of a row, or be null, in any mix of rows
/// (libmilvus writes the default itself: Milvus 2.3.5 alone refuses a partly filled column).
/// On Milvus 2.3.5 standalone and Milvus Lite 3.2.2.
#[test]
fn default_values_fill_missing_fields() {
    for (label, uri) in servers() {
        if label != "lite" {
            default_values_fill_missing_fields_on(label, &uri);
        }
    }
}

fn default_values_fill_missing_fields_on(label: &str, uri: &str) {
    let c = connect(uri);
    let (name, desc) = round_trip_schema(
        label,
        &c,
        json!([
            {"name": "id", "type": "INT64", "is_primary": true},
            {"name": "v", "type": "FLOAT_VECTOR", "dim": 2},
            {"name": "d", "type": "VARCHAR", "max_length": 8, "default_value": "none"},
            {"name": "n", "type": "INT32", "default_value": -7},
        ]),
    );
    assert_eq!(desc["fields"][2]["default_value"], json!("none"), "{label}");
    assert_eq!(desc["fields"][3]["default_value"], json!(-7), "{label}");
    let rows = json!([{"id": 1, "v": [1, 2]}, {"id": 2, "v": [3, 4], "d": "set", "n": 5}, {"id": 3, "v": [5, 6], "n": null}]);
    call(
        &c,
        m::insert,
        json!({"collection_name": name, "data": rows}),
    )
    .unwrap();
    index_and_load(&c, &name, "v", "FLAT", "L2");
    let got = call(&c, m::query, json!({"collection_name": name, "filter": "id > 0", "output_fields": ["d", "n"], "consistency_level": "Strong"})).unwrap();
    let mut got = got.as_array().unwrap().clone();
    got.sort_by_key(|r| r["id"].as_i64());
    assert_eq!(
        got,
        vec![
            json!({"id": 1, "d": "none", "n": -7}),
            json!({"id": 2, "d": "set", "n": 5}),
            json!({"id": 3, "d": "none", "n": -7})
        ],
        "{label}"
    );
    call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
}

/// Milvus Lite 3.2.2 has sparse vectors (searched with a sparse query) and nullable fields
/// (2.5), with or without a default, but no float16 or bfloat16 vectors.
#[test]
fn newer_types_on_lite3() {
    let label = "lite3";
    let Some(uri) = server(label) else { return };
    let c = connect(&uri);
    for t in ["FLOAT16_VECTOR", "BFLOAT16_VECTOR"] {
        let fields = json!([{"name": "id", "type": "INT64", "is_primary": true}, {"name": "h", "type": t, "dim": 2}]);
        let e = call(
            &c,
            m::create_collection,
            json!({"collection_name": unique("types"), "schema": {"fields": fields}}),
        )
        .unwrap_err();
        assert_eq!(
            (e.kind, e.server_code),
            (ErrorKind::Server, 6),
            "{label} {t}: {e}"
        );
        assert!(
            e.message.contains("MilvusLite does not support"),
            "{label} {t}: {e}"
        );
    }
    let (name, desc) = round_trip_schema(
        label,
        &c,
        json!([
            {"name": "id", "type": "INT64", "is_primary": true},
            {"name": "sp", "type": "SPARSE_FLOAT_VECTOR"},
            {"name": "dflt", "type": "VARCHAR", "max_length": 8, "default_value": "none"},
            {"name": "nn", "type": "INT32", "nullable": true},
            {"name": "nd", "type": "DOUBLE", "nullable": true, "default_value": 2.5},
        ]),
    );
    let f = &desc["fields"];
    assert_eq!(
        (
            &f[2]["default_value"],
            &f[3]["nullable"],
            &f[4]["nullable"],
            &f[4]["default_value"]
        ),
        (&json!("none"), &json!(true), &json!(true), &json!(2.5)),
        "{label}: {desc}"
    );
    // Row 2 leaves the three out, row 3 gives null for each.
    let rows = json!([
        {"id": 1, "sp": {"7": 0.5, "2": 0.25}, "dflt": "x", "nn": 5, "nd": 1.0},
        {"id": 2, "sp": [[1, 1.5]]},
        {"id": 3, "sp": {"7": 2.0}, "dflt": null, "nn": null, "nd": null},
    ]);
    call(
        &c,
        m::insert,
        json!({"collection_name": name, "data": rows}),
    )
    .unwrap();
    index_and_load(&c, &name, "sp", "SPARSE_INVERTED_INDEX", "IP");
    let got = call(&c, m::query, json!({"collection_name": name, "filter": "id > 0", "output_fields": ["*"], "consistency_level": "Strong"})).unwrap();
    let mut got = got.as_array().unwrap().clone();
    got.sort_by_key(|r| r["id"].as_i64());
    assert_eq!(
        got,
        vec![
            json!({"id": 1, "sp": {"2": 0.25, "7": 0.5}, "dflt": "x", "nn": 5, "nd": 1.0}),
            json!({"id": 2, "sp": {"1": 1.5}, "dflt": "none", "nn": null, "nd": 2.5}),
            json!({"id": 3, "sp": {"7": 2.0}, "dflt": "none", "nn": null, "nd": 2.5}),
        ],
        "{label}: a default where given, else null"
    );
    let nulls = call(&c, m::query, json!({"collection_name": name, "filter": "nn is null", "output_fields": ["id"], "consistency_level": "Strong"})).unwrap();
    let mut nulls: Vec<i64> = nulls
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    nulls.sort();
    assert_eq!(nulls, [2, 3], "{label}");
    // Inner product with {7: 1}: row 3 scores 2, row 1 0.5; row 2 shares no index.
    let hits = call(&c, m::search, json!({"collection_name": name, "data": [{"7": 1.0}], "anns_field": "sp", "limit": 3, "consistency_level": "Strong"})).unwrap();
    let scored: Vec<(i64, f64)> = hits[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["id"].as_i64().unwrap(), h["distance"].as_f64().unwrap()))
        .collect();
    assert_eq!(scored, [(3, 2.0), (1, 0.5)], "{label}: {hits}");
    call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
}
