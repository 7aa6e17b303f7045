//! Function rerankers: a search's or hybrid search's `function_score`, from the JSON forms of
//! pymilvus's `Function` (type RERANK) and `FunctionScore`.

use super::schema::function_from_dict;
use crate::error::{Error, Result};
use crate::proto::common::KeyValuePair;
use crate::proto::schema::{FunctionSchema, FunctionScore, FunctionType};
use serde::Serialize;
use serde_json::{Map, Value};
use std::io;

/// A ranker parameter as pymilvus writes it: text as is, booleans as `True`/`False`, numbers as
/// written, lists and objects as JSON with `", "` and `": "` between items.
pub fn param_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Array(_) | Value::Object(_) => spaced_json(v),
        other => other.to_string(),
    }
}

/// JSON with a space after each `,` and `:` between items.
fn spaced_json(v: &Value) -> String {
    struct Spaced;
    impl serde_json::ser::Formatter for Spaced {
        fn begin_array_value<W: ?Sized + io::Write>(
            &mut self,
            w: &mut W,
            first: bool,
        ) -> io::Result<()> {
            if first {
                Ok(())
            } else {
                w.write_all(b", ")
            }
        }
        fn begin_object_key<W: ?Sized + io::Write>(
            &mut self,
            w: &mut W,
            first: bool,
        ) -> io::Result<()> {
            if first {
                Ok(())
            } else {
                w.write_all(b", ")
            }
        }
        fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
            w.write_all(b": ")
        }
    }
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Spaced);
    // Serializing a Value into memory cannot fail.
    let _ = v.serialize(&mut ser);
    String::from_utf8(out).unwrap_or_default()
}

fn params(what: &str, v: Option<&Value>) -> Result<Vec<KeyValuePair>> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(m)) => Ok(m
            .iter()
            .map(|(k, v)| KeyValuePair {
                key: k.clone(),
                value: param_value(v),
            })
            .collect()),
        Some(_) => Err(Error::invalid(format!("{what}.params must be an object"))),
    }
}

/// One reranking function (pymilvus's `Function(..., FunctionType.RERANK, params=...)`),
/// without output fields.
fn function(v: &Value, what: &str) -> Result<FunctionSchema> {
    let mut f = function_from_dict(v).map_err(|e| e.context(what))?;
    if f.r#type != FunctionType::Rerank as i32 {
        return Err(Error::invalid(format!(
            "{what}: a ranker function has type RERANK"
        )));
    }
    if !f.output_field_names.is_empty() {
        return Err(Error::invalid(format!(
            "{what}: a ranker function has no output_field_names"
        )));
    }
    f.params = params(what, v.get("params"))?;
    Ok(f)
}

/// Whether a `ranker` names a function (or functions) rather than a hybrid search's
/// `{"strategy": ...}` fusion.
pub fn is_function(ranker: &Map<String, Value>) -> bool {
    !ranker.contains_key("strategy")
}

/// A `ranker` argument: one function (`{"name", "type": "RERANK", "input_field_names",
/// "params"}`), or a FunctionScore (`{"functions": [...], "params": {...}}`) when `several`
/// is allowed (search, not hybrid_search, as in pymilvus).
pub fn function_score(ranker: &Map<String, Value>, several: bool) -> Result<FunctionScore> {
    let v = Value::Object(ranker.clone());
    if let Some(list) = ranker.get("functions") {
        if !several {
            return Err(Error::invalid(
                "ranker: hybrid_search takes one function or a {\"strategy\": ...} ranker, not functions",
            ));
        }
        if let Some(k) = ranker.keys().find(|k| *k != "functions" && *k != "params") {
            return Err(Error::invalid(format!(
                "ranker: unknown key {k:?} beside \"functions\""
            )));
        }
        let list = list
            .as_array()
            .filter(|l| !l.is_empty())
            .ok_or_else(|| Error::invalid("ranker.functions must be a non-empty list"))?;
        let functions = list
            .iter()
            .enumerate()
            .map(|(i, f)| function(f, &format!("ranker.functions[{i}]")))
            .collect::<Result<Vec<_>>>()?;
        return Ok(FunctionScore {
            functions,
            params: params("ranker", ranker.get("params"))?,
        });
    }
    Ok(FunctionScore {
        functions: vec![function(&v, "ranker")?],
        params: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn params_are_spelled_as_pymilvus_spells_them() {
        assert_eq!(param_value(&json!("gauss")), "gauss");
        assert_eq!(param_value(&json!(true)), "True");
        assert_eq!(param_value(&json!(60)), "60");
        assert_eq!(param_value(&json!(0.5)), "0.5");
        assert_eq!(param_value(&json!([0.1, 0.9])), "[0.1, 0.9]");
        assert_eq!(
            param_value(&json!({"a": [1, 2], "b": "x"})),
            r#"{"a": [1, 2], "b": "x"}"#
        );
    }

    #[test]
    fn one_function_and_a_function_score() {
        let decay = json!({"name": "d", "type": "RERANK", "input_field_names": ["ts"],
                           "params": {"reranker": "decay", "function": "gauss", "origin": 0,
                                      "scale": 100, "decay": 0.5}});
        let fs = function_score(&obj(decay.clone()), false).unwrap();
        assert_eq!(fs.functions.len(), 1);
        let f = &fs.functions[0];
        assert_eq!(f.r#type, FunctionType::Rerank as i32);
        assert_eq!(f.input_field_names, vec!["ts"]);
        let p: Vec<(&str, &str)> = f
            .params
            .iter()
            .map(|kv| (kv.key.as_str(), kv.value.as_str()))
            .collect();
        assert!(
            p.contains(&("origin", "0")) && p.contains(&("decay", "0.5")),
            "{p:?}"
        );
        assert!(fs.params.is_empty());

        let both = json!({"functions": [decay], "params": {"boost_mode": "multiply"}});
        let fs = function_score(&obj(both.clone()), true).unwrap();
        assert_eq!(fs.params[0].key, "boost_mode");
        assert_eq!(fs.params[0].value, "multiply");
        assert!(function_score(&obj(both), false)
            .unwrap_err()
            .message
            .contains("hybrid_search"));
    }

    #[test]
    fn bad_rankers_are_clear_errors() {
        let bm25 = json!({"name": "b", "type": "BM25", "input_field_names": ["t"]});
        let e = function_score(&obj(bm25), true).unwrap_err();
        assert!(e.message.contains("RERANK"), "{e}");
        let e = function_score(&obj(json!({"functions": []})), true).unwrap_err();
        assert!(e.message.contains("non-empty"), "{e}");
        let e = function_score(&obj(json!({"functions": [], "extra": 1})), true).unwrap_err();
        assert!(e.message.contains("extra"), "{e}");
        let e = function_score(
            &obj(json!({"name": "r", "type": "RERANK", "params": 3})),
            true,
        )
        .unwrap_err();
        assert!(e.message.contains("params"), "{e}");
        assert!(is_function(&obj(json!({"name": "r"}))));
        assert!(!is_function(&obj(json!({"strategy": "rrf"}))));
    }
}
