//! Search requests: parameter strings, the placeholder group, consistency timestamps.

use super::schema::param_string;
use crate::error::{Error, Result};
use crate::proto::common::{KeyValuePair, PlaceholderGroup, PlaceholderType, PlaceholderValue};
use prost::Message as _;
use serde_json::{Map, Value};

fn kv(key: &str, value: impl Into<String>) -> KeyValuePair {
    KeyValuePair {
        key: key.to_string(),
        value: value.into(),
    }
}

/// pymilvus's `search_params` dict → the wire key/values: `topk`, `round_decimal`,
/// `ignore_growing`, [`offset`], [`metric_type`], [`anns_field`], [`hints`], [`analyzer_name`],
/// then `params` as JSON holding the user's `params` merged with every other top-level key.
/// As in pymilvus, `offset` and `ignore_growing` may be given in `search_params` instead of as
/// arguments (`offset` in one place only; growing segments are ignored when either says so),
/// and `hints` and `analyzer_name` are also sent as keys of their own.
pub fn search_params(
    limit: i64,
    offset: Option<i64>,
    round_decimal: i64,
    anns_field: Option<&str>,
    user: Option<&Map<String, Value>>,
) -> Result<Vec<KeyValuePair>> {
    let top = |k: &str| user.and_then(|u| u.get(k)).filter(|v| !v.is_null());
    let ignore_growing = match top("ignore_growing") {
        None => false,
        Some(v) => v.as_bool().ok_or_else(|| {
            Error::invalid(format!(
                "search_params.ignore_growing must be a boolean, not {v}"
            ))
        })?,
    };
    let offset = match (offset, top("offset")) {
        (Some(_), Some(_)) => {
            return Err(Error::invalid(
                "offset is given both as an argument and in search_params: give it once",
            ))
        }
        // pymilvus leaves out an offset argument of 0, not one given in search_params.
        (Some(o), None) => Some(o).filter(|o| *o > 0),
        (None, Some(v)) => Some(v.as_i64().ok_or_else(|| {
            Error::invalid(format!("search_params.offset must be an integer, not {v}"))
        })?),
        (None, None) => None,
    };
    let mut out = vec![
        kv("topk", limit.to_string()),
        kv("round_decimal", round_decimal.to_string()),
        kv(
            "ignore_growing",
            if ignore_growing { "True" } else { "False" },
        ),
    ];
    if let Some(o) = offset {
        out.push(kv("offset", o.to_string()));
    }
    let mut params = Map::new();
    if let Some(user) = user {
        for (k, v) in user {
            if k != "params" {
                continue;
            }
            match v {
                Value::Object(m) => params.extend(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
                Value::Null => {}
                _ => return Err(Error::invalid("search_params.params must be an object")),
            }
        }
        for (k, v) in user {
            if k == "params" {
                continue;
            }
            if let Some(old) = params.get(k).filter(|old| *old != v) {
                return Err(Error::invalid(format!(
                    "search_params: {k:?} given twice ({old} and {v})"
                )));
            }
            params.insert(k.clone(), v.clone());
        }
    }
    if let Some(m) = top("metric_type") {
        out.push(kv("metric_type", param_string(m)));
    }
    if let Some(a) = anns_field.filter(|a| !a.is_empty()) {
        out.push(kv("anns_field", a));
    }
    for key in ["hints", "analyzer_name"] {
        if let Some(v) = top(key) {
            out.push(kv(key, super::schema::py_param_string(v)));
        }
    }
    out.push(kv("params", Value::Object(params).to_string()));
    Ok(out)
}

/// pymilvus's `order_by_fields` as the wire's `order_by_fields` value: a list of `{"field":
/// name, "order": "asc" | "desc"}` objects (`order` defaults to `asc`) becomes
/// `name:order,...`; a text is sent as it is. Query also takes `"name:order"` texts in the list
/// (`texts_in_list`), as pymilvus's query does and its search does not. An empty list is none.
pub fn order_by_fields(v: &Value, texts_in_list: bool) -> Result<Option<String>> {
    let list = match v {
        Value::Null => return Ok(None),
        Value::String(s) => return Ok(Some(s.clone())),
        Value::Array(l) => l,
        other => {
            return Err(Error::invalid(format!(
                "order_by_fields must be a list or a text, not {other}"
            )))
        }
    };
    let items = list
        .iter()
        .map(|item| match item {
            Value::String(s) if texts_in_list => Ok(s.clone()),
            Value::Object(o) => {
                let field = o.get("field").and_then(Value::as_str).unwrap_or_default();
                if field.is_empty() {
                    return Err(Error::invalid(format!(
                        "order_by_fields: {item} names no \"field\""
                    )));
                }
                let order = match o.get("order") {
                    None | Some(Value::Null) => "asc",
                    Some(Value::String(d)) => d.as_str(),
                    Some(other) => {
                        return Err(Error::invalid(format!(
                            "order_by_fields: order {other} is not a text"
                        )))
                    }
                };
                Ok(format!("{field}:{order}"))
            }
            other => Err(Error::invalid(format!(
                "order_by_fields: {other} is not a {{\"field\", \"order\"}} object{}",
                if texts_in_list { " or a text" } else { "" }
            ))),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((!items.is_empty()).then(|| items.join(",")))
}

/// Float query vectors → the serialized placeholder group (`$0`, one value per query).
pub fn float_placeholder(vectors: &[Vec<f32>]) -> Vec<u8> {
    let values = vectors
        .iter()
        .map(|v| {
            let mut b = Vec::with_capacity(v.len() * 4);
            for x in v {
                b.extend_from_slice(&x.to_le_bytes());
            }
            b
        })
        .collect();
    placeholder(PlaceholderType::FloatVector, values)
}

/// Query texts (full-text search on a field fed by a BM25 function) → the serialized
/// placeholder group: type VarChar, each text's UTF-8 bytes a value, as pymilvus sends them.
pub fn text_placeholder<S: AsRef<str>>(texts: &[S]) -> Vec<u8> {
    let values = texts
        .iter()
        .map(|t| t.as_ref().as_bytes().to_vec())
        .collect();
    placeholder(PlaceholderType::VarChar, values)
}

/// What a search looks for: query vectors, or query texts (full-text search).
#[derive(Debug, Clone, PartialEq)]
pub enum Queries {
    Vectors(Vec<Vec<f32>>),
    Texts(Vec<String>),
    /// Sparse query vectors, each as its sorted (u32 index, f32 value) LE pairs.
    Sparse(Vec<Vec<u8>>),
}

impl Queries {
    /// The number of queries (nq).
    pub fn len(&self) -> usize {
        match self {
            Queries::Vectors(v) => v.len(),
            Queries::Texts(t) => t.len(),
            Queries::Sparse(s) => s.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The serialized placeholder group.
    pub fn placeholder(&self) -> Vec<u8> {
        match self {
            Queries::Vectors(v) => float_placeholder(v),
            Queries::Texts(t) => text_placeholder(t),
            Queries::Sparse(s) => placeholder(PlaceholderType::SparseFloatVector, s.clone()),
        }
    }
}

/// Query texts from a JSON `data` list when it holds text, as pymilvus decides (a string
/// first element makes a VarChar placeholder); None when it holds no string at all (vectors).
/// A list mixing texts with anything else is an error naming the first element that differs.
pub fn query_texts(data: &Value) -> Result<Option<Vec<String>>> {
    let Some(list) = data.as_array() else {
        return Ok(None);
    };
    let Some(first_text) = list.iter().position(Value::is_string) else {
        return Ok(None);
    };
    if first_text != 0 {
        return Err(Error::invalid(format!(
            "data[{first_text}] is a text but data[0] is not: a query list holds either texts \
             or vectors, not both"
        )));
    }
    list.iter()
        .enumerate()
        .map(|(i, x)| match x {
            Value::String(s) => Ok(s.clone()),
            other => Err(Error::invalid(format!(
                "data[{i}]: {other} is not a text, but data[0] is: a query list holds either \
                 texts or vectors, not both"
            ))),
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

/// Sparse query vectors from a JSON `data`: one `{"index": value}` object or a list of them
/// (pymilvus takes dicts), each a SparseFloatVector placeholder value in the layout of an
/// inserted sparse row; None when `data` holds no object first (vectors or texts).
pub fn query_sparse(data: &Value) -> Result<Option<Vec<Vec<u8>>>> {
    let rows: Vec<&Value> = match data {
        Value::Object(_) => vec![data],
        Value::Array(list) if list.first().is_some_and(Value::is_object) => list.iter().collect(),
        _ => return Ok(None),
    };
    rows.into_iter()
        .enumerate()
        .map(|(i, r)| {
            if !r.is_object() {
                return Err(Error::invalid(format!(
                    "data[{i}]: {r} is not a sparse vector, but data[0] is: a query list holds \
                     one kind of query"
                )));
            }
            if r.as_object().is_some_and(|m| m.is_empty()) {
                // Nothing to search for; some servers fail an assertion on it.
                return Err(Error::invalid(format!(
                    "data[{i}]: an empty sparse vector is no query"
                )));
            }
            super::vectors::sparse_row(r)
                .map(|(bytes, _)| bytes)
                .map_err(|e| e.context(format!("data[{i}]")))
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

pub fn placeholder(kind: PlaceholderType, values: Vec<Vec<u8>>) -> Vec<u8> {
    PlaceholderGroup {
        placeholders: vec![PlaceholderValue {
            tag: "$0".into(),
            r#type: kind as i32,
            values,
            ..Default::default()
        }],
    }
    .encode_to_vec()
}

/// (consistency_level, guarantee_timestamp, use_default_consistency) as pymilvus sends them.
/// `last_write` is the newest write timestamp known for the collection (Session reads, and
/// the collection's default level, which the server resolves and may be Session).
pub fn consistency(level: Option<i32>, last_write: Option<u64>) -> (i32, u64, bool) {
    let session_ts = last_write.filter(|t| *t > 0).unwrap_or(1);
    match level {
        None => (0, session_ts, true),
        Some(0) => (0, 0, false),
        Some(1) => (1, session_ts, false),
        Some(2) => (2, 2, false),
        Some(l) => (l, 1, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn params_merge_top_level_keys() {
        let user = json!({"metric_type": "L2", "params": {"ef": 32}, "radius": 1.5});
        let p = search_params(10, Some(5), -1, Some("v"), user.as_object()).unwrap();
        let get = |k: &str| p.iter().find(|x| x.key == k).map(|x| x.value.clone());
        assert_eq!(get("topk").unwrap(), "10");
        assert_eq!(get("offset").unwrap(), "5");
        assert_eq!(get("metric_type").unwrap(), "L2");
        assert_eq!(get("anns_field").unwrap(), "v");
        let params: Value = serde_json::from_str(&get("params").unwrap()).unwrap();
        assert_eq!(
            params,
            json!({"ef": 32, "metric_type": "L2", "radius": 1.5})
        );
        assert_eq!(p.last().unwrap().key, "params");
        let clash = json!({"ef": 1, "params": {"ef": 2}});
        assert!(search_params(1, None, -1, None, clash.as_object()).is_err());
    }

    #[test]
    fn params_take_offset_ignore_growing_hints_and_analyzer_as_pymilvus_does() {
        let get =
            |p: &[KeyValuePair], k: &str| p.iter().find(|x| x.key == k).map(|x| x.value.clone());
        let user = json!({"offset": 0, "ignore_growing": true, "hints": "iterative_filter",
                          "analyzer_name": "en", "params": {"nprobe": 8}});
        let p = search_params(5, None, -1, None, user.as_object()).unwrap();
        // An offset given in search_params is sent even when 0 (the argument is not).
        assert_eq!(get(&p, "offset").as_deref(), Some("0"));
        assert_eq!(get(&p, "ignore_growing").as_deref(), Some("True"));
        assert_eq!(get(&p, "hints").as_deref(), Some("iterative_filter"));
        assert_eq!(get(&p, "analyzer_name").as_deref(), Some("en"));
        let params: Value = serde_json::from_str(&get(&p, "params").unwrap()).unwrap();
        assert_eq!(
            params,
            json!({"nprobe": 8, "offset": 0, "ignore_growing": true, "hints": "iterative_filter",
                   "analyzer_name": "en"})
        );
        assert!(get(
            &search_params(5, Some(0), -1, None, None).unwrap(),
            "offset"
        )
        .is_none());
        // Given in both places: refused, as by pymilvus.
        let e = search_params(5, Some(3), -1, None, json!({"offset": 2}).as_object()).unwrap_err();
        assert!(e.message.contains("offset"), "{}", e.message);
        for bad in [json!({"offset": "2"}), json!({"ignore_growing": "yes"})] {
            assert!(
                search_params(5, None, -1, None, bad.as_object()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn order_by_fields_as_pymilvus_writes_them() {
        let o = |v: Value, texts: bool| order_by_fields(&v, texts);
        assert_eq!(
            o(
                json!([{"field": "a", "order": "desc"}, {"field": "b"}]),
                false
            )
            .unwrap(),
            Some("a:desc,b:asc".into())
        );
        assert_eq!(o(json!("a:desc"), false).unwrap(), Some("a:desc".into()));
        assert_eq!(
            o(json!(["a:desc", {"field": "b"}]), true).unwrap(),
            Some("a:desc,b:asc".into())
        );
        assert_eq!(o(json!([]), true).unwrap(), None);
        assert_eq!(o(Value::Null, true).unwrap(), None);
        for (bad, texts) in [
            (json!(["a:desc"]), false),
            (json!([{"order": "asc"}]), true),
            (json!([{"field": "a", "order": 1}]), true),
            (json!(5), true),
        ] {
            assert!(o(bad.clone(), texts).is_err(), "{bad}");
        }
    }

    #[test]
    fn consistency_timestamps() {
        assert_eq!(consistency(None, None), (0, 1, true));
        assert_eq!(consistency(None, Some(99)), (0, 99, true));
        assert_eq!(consistency(Some(0), Some(99)), (0, 0, false));
        assert_eq!(consistency(Some(1), Some(99)), (1, 99, false));
        assert_eq!(consistency(Some(1), None), (1, 1, false));
        assert_eq!(consistency(Some(2), Some(99)), (2, 2, false));
        assert_eq!(consistency(Some(3), Some(99)), (3, 1, false));
    }

    #[test]
    fn text_placeholder_is_varchar_utf8() {
        let g =
            PlaceholderGroup::decode(text_placeholder(&["vector db", "größe"]).as_slice()).unwrap();
        let p = &g.placeholders[0];
        assert_eq!(p.tag, "$0");
        assert_eq!(p.r#type, 21);
        assert_eq!(p.r#type, PlaceholderType::VarChar as i32);
        assert_eq!(
            p.values,
            vec![b"vector db".to_vec(), "größe".as_bytes().to_vec()]
        );
    }

    #[test]
    fn sparse_queries_are_sorted_index_value_pairs() {
        let pair = |i: u32, x: f32| [i.to_le_bytes(), x.to_le_bytes()].concat();
        let one = query_sparse(&json!({"7": 0.5, "2": 0.25}))
            .unwrap()
            .unwrap();
        assert_eq!(one, [[pair(2, 0.25), pair(7, 0.5)].concat()]);
        let two = query_sparse(&json!([{"1": 1.5}, {"3": 0.5}]))
            .unwrap()
            .unwrap();
        assert_eq!(two, [pair(1, 1.5), pair(3, 0.5)]);
        let q = Queries::Sparse(two);
        assert_eq!(q.len(), 2);
        let g = PlaceholderGroup::decode(q.placeholder().as_slice()).unwrap();
        assert_eq!(
            g.placeholders[0].r#type,
            PlaceholderType::SparseFloatVector as i32
        );
        assert_eq!(g.placeholders[0].values, [pair(1, 1.5), pair(3, 0.5)]);
        for not_sparse in [json!([[0.1, 0.2]]), json!([0.1]), json!(["a"]), json!([])] {
            assert_eq!(query_sparse(&not_sparse).unwrap(), None, "{not_sparse}");
        }
        let e = query_sparse(&json!([{"1": 1.0}, [0.5]])).unwrap_err();
        assert!(e.message.contains("data[1]"), "{e}");
        let e = query_sparse(&json!([{"x": 1.0}])).unwrap_err();
        assert!(e.message.contains("data[0]"), "{e}");
    }

    #[test]
    fn query_texts_mirror_pymilvus() {
        assert_eq!(
            query_texts(&json!(["a b", "c"])).unwrap(),
            Some(vec!["a b".to_string(), "c".to_string()])
        );
        assert_eq!(query_texts(&json!([[0.1, 0.2]])).unwrap(), None);
        assert_eq!(query_texts(&json!([0.1, 0.2])).unwrap(), None);
        assert_eq!(query_texts(&json!({"a": 1})).unwrap(), None);
        let e = query_texts(&json!(["a", 0.5])).unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::InvalidArgument);
        assert!(
            e.message.contains("data[1]: 0.5 is not a text"),
            "{}",
            e.message
        );
        let e = query_texts(&json!([[0.1], "a"])).unwrap_err();
        assert!(
            e.message.contains("data[1] is a text but data[0] is not"),
            "{}",
            e.message
        );
        let e = query_texts(&json!([0.1, "a"])).unwrap_err();
        assert!(e.message.starts_with("data[1] is a text"), "{}", e.message);
    }

    #[test]
    fn placeholder_bytes() {
        let g = PlaceholderGroup::decode(float_placeholder(&[vec![0.1, 0.2]]).as_slice()).unwrap();
        assert_eq!(g.placeholders[0].tag, "$0");
        assert_eq!(
            g.placeholders[0].r#type,
            PlaceholderType::FloatVector as i32
        );
        assert_eq!(
            g.placeholders[0].values[0],
            [0xcd, 0xcc, 0xcc, 0x3d, 0xcd, 0xcc, 0x4c, 0x3e]
        );
    }

    #[test]
    fn an_empty_sparse_query_is_refused() {
        let e = query_sparse(&serde_json::json!({})).unwrap_err();
        assert!(e.message.contains("empty sparse vector"), "{e}");
        let e = query_sparse(&serde_json::json!([{"1": 0.5}, {}])).unwrap_err();
        assert!(e.message.starts_with("data[1]"), "{e}");
        assert_eq!(
            query_sparse(&serde_json::json!([{"1": 0.5}]))
                .unwrap()
                .unwrap()
                .len(),
            1
        );
    }
}
