//! Function rerankers and function chains: a search's `function_score` and `function_chains`,
//! from the JSON forms of pymilvus's `Function` (type RERANK), `FunctionScore` and
//! `FunctionChain`.

use super::schema::function_from_dict;
use crate::error::{Error, Result};
use crate::proto::common::KeyValuePair;
use crate::proto::schema::{
    function_chain_expr_arg, function_param_value, FunctionChain, FunctionChainColumnArg,
    FunctionChainExpr, FunctionChainExprArg, FunctionChainOp, FunctionChainStage,
    FunctionParamArray, FunctionParamObject, FunctionParamValue, FunctionSchema, FunctionScore,
    FunctionType,
};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
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

/// A function-chain parameter value: JSON booleans, integers, floats, text, lists and objects
/// become the matching `FunctionParamValue` (null has none).
fn param(v: &Value, what: &str) -> Result<FunctionParamValue> {
    use function_param_value::Value as P;
    let value = match v {
        Value::Bool(b) => P::BoolValue(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => P::Int64Value(i),
            None => P::DoubleValue(
                n.as_f64()
                    .ok_or_else(|| Error::invalid(format!("{what}: {n} is out of range")))?,
            ),
        },
        Value::String(s) => P::StringValue(s.clone()),
        Value::Array(items) => P::ArrayValue(FunctionParamArray {
            values: items
                .iter()
                .enumerate()
                .map(|(i, x)| param(x, &format!("{what}[{i}]")))
                .collect::<Result<_>>()?,
        }),
        Value::Object(m) => P::ObjectValue(FunctionParamObject {
            fields: param_map_of(m, what)?,
        }),
        Value::Null => {
            return Err(Error::invalid(format!(
                "{what}: null is not a parameter value"
            )))
        }
    };
    Ok(FunctionParamValue { value: Some(value) })
}

fn param_map_of(m: &Map<String, Value>, what: &str) -> Result<HashMap<String, FunctionParamValue>> {
    m.iter()
        .map(|(k, v)| {
            if k.is_empty() {
                return Err(Error::invalid(format!("{what}: a parameter name is empty")));
            }
            Ok((k.clone(), param(v, &format!("{what}.{k}"))?))
        })
        .collect()
}

fn param_map(v: Option<&Value>, what: &str) -> Result<HashMap<String, FunctionParamValue>> {
    match v {
        None | Some(Value::Null) => Ok(HashMap::new()),
        Some(Value::Object(m)) => param_map_of(m, what),
        Some(_) => Err(Error::invalid(format!("{what} must be an object"))),
    }
}

fn names(v: Option<&Value>, what: &str) -> Result<Vec<String>> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .ok_or_else(|| Error::invalid(format!("{what} must hold non-empty names")))
            })
            .collect(),
        Some(_) => Err(Error::invalid(format!("{what} must be a list of names"))),
    }
}

/// `v` as an object whose keys are all among `keys`.
pub(crate) fn object<'a>(
    v: &'a Value,
    what: &str,
    keys: &[&str],
) -> Result<&'a Map<String, Value>> {
    let m = v
        .as_object()
        .ok_or_else(|| Error::invalid(format!("{what} must be an object")))?;
    if let Some(k) = m.keys().find(|k| !keys.contains(&k.as_str())) {
        return Err(Error::invalid(format!("{what}: unknown key {k:?}")));
    }
    Ok(m)
}

fn non_empty<'a>(m: &'a Map<String, Value>, key: &str, what: &str) -> Result<&'a str> {
    m.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::invalid(format!("{what} needs a non-empty \"{key}\"")))
}

/// An expression argument: `{"column": name}` is a field, `{"literal": v}` or any other value
/// a literal.
fn expr_arg(v: &Value, what: &str) -> Result<FunctionChainExprArg> {
    use function_chain_expr_arg::Arg;
    let arg = match v.as_object() {
        Some(m) if m.len() == 1 && m.contains_key("column") => {
            let name = non_empty(m, "column", what)?;
            Arg::Column(FunctionChainColumnArg { name: name.into() })
        }
        Some(m) if m.len() == 1 && m.contains_key("literal") => {
            Arg::Literal(param(&m["literal"], what)?)
        }
        _ => Arg::Literal(param(v, what)?),
    };
    Ok(FunctionChainExprArg { arg: Some(arg) })
}

/// An optional list, each element read by `each` with its own path (`what[i]`).
fn list_of<T>(
    v: Option<&Value>,
    what: &str,
    each: impl Fn(&Value, &str) -> Result<T>,
) -> Result<Vec<T>> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, x)| each(x, &format!("{what}[{i}]")))
            .collect(),
        Some(_) => Err(Error::invalid(format!("{what} must be a list"))),
    }
}

fn expr(v: &Value, what: &str) -> Result<FunctionChainExpr> {
    let m = object(v, what, &["name", "args", "params"])?;
    let args = list_of(m.get("args"), &format!("{what}.args"), expr_arg)?;
    Ok(FunctionChainExpr {
        name: non_empty(m, "name", what)?.into(),
        args,
        params: param_map(m.get("params"), &format!("{what}.params"))?,
    })
}

fn op(v: &Value, what: &str) -> Result<FunctionChainOp> {
    let m = object(v, what, &["op", "expr", "inputs", "outputs", "params"])?;
    Ok(FunctionChainOp {
        op: non_empty(m, "op", what)?.into(),
        expr: match m.get("expr") {
            None | Some(Value::Null) => None,
            Some(e) => Some(expr(e, &format!("{what}.expr"))?),
        },
        inputs: names(m.get("inputs"), &format!("{what}.inputs"))?,
        outputs: names(m.get("outputs"), &format!("{what}.outputs"))?,
        params: param_map(m.get("params"), &format!("{what}.params"))?,
    })
}

/// A chain's `stage`: pymilvus's names (`"L2_RERANK"`, also `"FunctionChainStageL2Rerank"`)
/// or the enum's number.
fn stage(v: Option<&Value>, what: &str) -> Result<i32> {
    let bad = || {
        Error::invalid(format!(
            "{what}: unknown stage {}",
            v.cloned().unwrap_or(Value::Null)
        ))
    };
    match v {
        Some(Value::Number(n)) => n
            .as_i64()
            .and_then(|i| i32::try_from(i).ok())
            .filter(|i| FunctionChainStage::try_from(*i).is_ok())
            .ok_or_else(bad),
        Some(Value::String(s)) => {
            let folded: String = s
                .strip_prefix("FunctionChainStage.")
                .unwrap_or(s)
                .chars()
                .filter(|c| *c != '_')
                .collect::<String>()
                .to_ascii_lowercase();
            const STAGES: &[(&str, FunctionChainStage)] = &[
                ("unspecified", FunctionChainStage::Unspecified),
                ("ingestion", FunctionChainStage::Ingestion),
                ("preprocess", FunctionChainStage::PreProcess),
                ("l0rerank", FunctionChainStage::L0Rerank),
                ("l1rerank", FunctionChainStage::L1Rerank),
                ("l2rerank", FunctionChainStage::L2Rerank),
                ("postprocess", FunctionChainStage::PostProcess),
            ];
            let name = folded.strip_prefix("functionchainstage").unwrap_or(&folded);
            STAGES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, s)| *s as i32)
                .ok_or_else(bad)
        }
        _ => Err(Error::invalid(format!("{what} needs a \"stage\""))),
    }
}

/// `function_chains`: one chain or a list of them, each `{"name", "stage", "ops": [{"op",
/// "expr": {"name", "args", "params"}, "inputs", "outputs", "params"}]}` (pymilvus's
/// `FunctionChain.to_proto()` as JSON).
pub fn function_chains(v: &Value) -> Result<Vec<FunctionChain>> {
    let list: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(_) => vec![v],
        _ => {
            return Err(Error::invalid(
                "function_chains must be a chain object or a list of them",
            ))
        }
    };
    list.into_iter()
        .enumerate()
        .map(|(i, c)| {
            let what = format!("function_chains[{i}]");
            let m = object(c, &what, &["name", "stage", "ops"])?;
            let ops = list_of(m.get("ops"), &format!("{what}.ops"), op)?;
            Ok(FunctionChain {
                name: match m.get("name") {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(_) => return Err(Error::invalid(format!("{what}.name must be text"))),
                },
                stage: stage(m.get("stage"), &what)?,
                ops,
            })
        })
        .collect()
}

/// `highlighter`: `{"type": "lexical" | "semantic" (or 0 | 1), "params": {...}}`, the params
/// of pymilvus's `LexicalHighlighter` / `SemanticHighlighter`, spelled as pymilvus spells them.
pub fn highlighter(v: &Value) -> Result<crate::proto::common::Highlighter> {
    use crate::proto::common::HighlightType;
    let m = object(v, "highlighter", &["type", "params"])?;
    let kind = match m.get("type") {
        Some(Value::String(t)) => match t.to_ascii_lowercase().trim_start_matches("highlighttype.")
        {
            "lexical" => Some(HighlightType::Lexical),
            "semantic" => Some(HighlightType::Semantic),
            _ => None,
        },
        Some(Value::Number(n)) => n
            .as_i64()
            .and_then(|i| i32::try_from(i).ok())
            .and_then(|i| HighlightType::try_from(i).ok()),
        _ => None,
    }
    .ok_or_else(|| {
        Error::invalid(format!(
            "highlighter.type must be \"lexical\" or \"semantic\", not {}",
            m.get("type").cloned().unwrap_or(Value::Null)
        ))
    })?;
    Ok(crate::proto::common::Highlighter {
        r#type: kind as i32,
        params: params("highlighter", m.get("params"))?,
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

    #[test]
    fn function_chains_as_pymilvus_builds_them() {
        let chain = json!({"name": "c", "stage": "L2_RERANK", "ops": [
            {"op": "map", "outputs": ["$score"],
             "expr": {"name": "round_decimal", "args": [{"column": "$score"}, 2.5, {"literal": {"column": "x"}}],
                      "params": {"decimal": 1, "w": [0.5, true, "s"]}}},
            {"op": "sort", "inputs": ["ts"], "params": {"column": "ts", "desc": true}},
            {"op": "limit", "params": {"limit": 3, "offset": 0}}]});
        let c = function_chains(&chain).unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].stage, FunctionChainStage::L2Rerank as i32);
        assert_eq!(c[0].ops.len(), 3);
        let e = c[0].ops[0].expr.as_ref().unwrap();
        use function_chain_expr_arg::Arg;
        use function_param_value::Value as P;
        assert!(matches!(&e.args[0].arg, Some(Arg::Column(c)) if c.name == "$score"));
        assert!(
            matches!(&e.args[1].arg, Some(Arg::Literal(FunctionParamValue { value: Some(P::DoubleValue(x)) })) if *x == 2.5)
        );
        assert!(matches!(
            &e.args[2].arg,
            Some(Arg::Literal(FunctionParamValue {
                value: Some(P::ObjectValue(_))
            }))
        ));
        assert_eq!(e.params["decimal"].value, Some(P::Int64Value(1)));
        assert_eq!(c[0].ops[1].params["desc"].value, Some(P::BoolValue(true)));
        for (s, n) in [
            (json!(5), 5),
            (json!("FunctionChainStage.L2_RERANK"), 5),
            (json!("PRE_PROCESS"), 2),
        ] {
            let c = function_chains(&json!([{"stage": s, "ops": []}])).unwrap();
            assert_eq!(c[0].stage, n);
        }
        for (bad, says) in [
            (json!({"ops": []}), "stage"),
            (json!({"stage": 9}), "stage"),
            (json!({"stage": 5, "ops": [{"op": ""}]}), "op"),
            (
                json!({"stage": 5, "ops": [{"op": "map", "oops": 1}]}),
                "oops",
            ),
            (
                json!({"stage": 5, "ops": [{"op": "map", "params": {"a": null}}]}),
                "null",
            ),
            (json!(3), "function_chains"),
        ] {
            let e = function_chains(&bad).unwrap_err();
            assert!(e.message.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn highlighters() {
        let h = highlighter(&json!({"type": "lexical", "params": {"pre_tags": ["<b>"],
            "highlight_search_text": true, "fragment_size": 20}}))
        .unwrap();
        assert_eq!(h.r#type, 0);
        let p: Vec<(&str, &str)> = h
            .params
            .iter()
            .map(|kv| (kv.key.as_str(), kv.value.as_str()))
            .collect();
        assert!(p.contains(&("pre_tags", r#"["<b>"]"#)), "{p:?}");
        assert!(p.contains(&("highlight_search_text", "True")), "{p:?}");
        assert!(p.contains(&("fragment_size", "20")), "{p:?}");
        assert_eq!(highlighter(&json!({"type": 1})).unwrap().r#type, 1);
        assert_eq!(
            highlighter(&json!({"type": "HighlightType.SEMANTIC"}))
                .unwrap()
                .r#type,
            1
        );
        assert!(highlighter(&json!({"type": "bold"}))
            .unwrap_err()
            .message
            .contains("lexical"));
        assert!(highlighter(&json!({"type": 0, "x": 1}))
            .unwrap_err()
            .message
            .contains("x"));
    }
}
