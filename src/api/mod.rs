//! The JSON methods: for each pymilvus `MilvusClient` method, decode its keyword arguments from
//! JSON, call the client, encode the result as pymilvus shapes it. One async fn per method,
//! named after it; the tables in `src/ffi/methods/` export each as `milvus_client_<name>`.

mod alias;
mod collection;
mod data;
mod database;
mod external;
mod file_resource;
mod index;
pub mod iterator;
mod lifecycle;
mod maintenance;
pub mod messages;
mod partition;
mod rbac;
mod replicate;
mod resource_group;
mod schema_changes;
mod segments;
mod snapshot;
pub mod typed;

pub use alias::*;
pub use collection::*;
pub use data::*;
pub use database::*;
pub use external::*;
pub use file_resource::*;
pub use index::*;
pub use lifecycle::*;
pub use maintenance::*;
pub use partition::*;
pub use rbac::*;
pub use replicate::*;
pub use resource_group::*;
pub use schema_changes::*;
pub use segments::*;
pub use snapshot::*;

use crate::client::CallOpts;
use crate::error::{Error, ErrorKind, Result};
use std::time::Duration;

/// Parses a method's arguments; unknown keys are errors that name the key.
/// Empty text means no arguments; anything else must be a JSON object.
pub(crate) fn parse_args<'a, T: serde::Deserialize<'a>>(args: &'a str) -> Result<T> {
    let args = if args.trim().is_empty() { "{}" } else { args };
    let syntax =
        |e: serde_json::Error| Error::new(ErrorKind::InvalidJson, format!("args_json: {e}"));
    serde_json::from_str(args)
        .map_err(|e| {
            use serde_json::error::Category;
            if let Category::Syntax | Category::Eof | Category::Io = e.classify() {
                return syntax(e);
            }
            // A typing error can be met before a syntax error further on: report the syntax first.
            if let Err(s) = serde_json::from_str::<serde::de::IgnoredAny>(args) {
                return syntax(s);
            }
            Error::invalid(format!("args_json: {e}"))
        })
        .and_then(|v| {
            if args.trim_start().starts_with('{') {
                Ok(v)
            } else {
                Err(Error::invalid(
                    "args_json must be a JSON object of keyword arguments",
                ))
            }
        })
}

/// The per-call `timeout` argument (seconds; absent or null = the client's default).
pub(crate) fn call_opts(timeout: Option<f64>) -> Result<CallOpts> {
    Ok(CallOpts {
        timeout: timeout
            .map(|t| crate::client::options::seconds("timeout", t, false))
            .transpose()?,
        ..Default::default()
    })
}

/// What a whole call takes besides its method's own arguments: the optional `"call_id"` (for
/// `Client::cancel`) and `"timeout"` (the deadline of the whole call). `args` is the arguments
/// with `call_id` removed, so that each method's strict parsing never sees it.
#[derive(Debug)]
pub struct CallScope<'a> {
    pub call_id: Option<String>,
    pub timeout: Option<Duration>,
    pub args: std::borrow::Cow<'a, str>,
}

/// Reads `call_id` and `timeout` from a call's arguments (or a typed call's `options_json`).
/// Cheap when neither key appears; otherwise the object's members are read once, and the
/// arguments are rewritten only when `call_id` must be taken out. A `timeout` of the wrong
/// kind is left for the method to report; a `call_id` that is not a string is refused here.
pub fn call_scope(args: &str) -> Result<CallScope<'_>> {
    use std::borrow::Cow;
    let mut scope = CallScope {
        call_id: None,
        timeout: None,
        args: Cow::Borrowed(args),
    };
    if !args.trim_start().starts_with('{')
        || !args.contains("\"call_id\"") && !args.contains("\"timeout\"")
    {
        return Ok(scope);
    }
    // Malformed text: the method's own parsing reports it.
    let Some(members) = members(args) else {
        return Ok(scope);
    };
    let mut has_id = false;
    for (key, value) in &members {
        match key.as_str() {
            "timeout" => {
                scope.timeout = serde_json::from_str::<f64>(value.get())
                    .ok()
                    .and_then(|t| call_opts(Some(t)).ok())
                    .and_then(|o| o.timeout);
            }
            "call_id" => {
                has_id = true;
                scope.call_id = match serde_json::from_str::<Option<String>>(value.get()) {
                    Ok(id) => id,
                    Err(_) => return Err(Error::invalid("call_id must be a string")),
                };
            }
            _ => {}
        }
    }
    if has_id {
        let mut out = String::with_capacity(args.len());
        out.push('{');
        for (k, v) in members.iter().filter(|(k, _)| k != "call_id") {
            if out.len() > 1 {
                out.push(',');
            }
            out.push_str(&serde_json::to_string(k).unwrap_or_default());
            out.push(':');
            out.push_str(v.get());
        }
        out.push('}');
        scope.args = Cow::Owned(out);
    }
    Ok(scope)
}

/// The top-level members of a JSON object, values as written; None when `args` is not one.
fn members(args: &str) -> Option<Vec<(String, &serde_json::value::RawValue)>> {
    use serde::de::{Deserializer, MapAccess, Visitor};
    use serde_json::value::RawValue;
    struct MembersOf;
    impl<'de> Visitor<'de> for MembersOf {
        type Value = Vec<(String, &'de RawValue)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(
            self,
            mut m: A,
        ) -> std::result::Result<Self::Value, A::Error> {
            let mut v = Vec::new();
            while let Some(k) = m.next_key::<String>()? {
                v.push((k, m.next_value::<&'de RawValue>()?));
            }
            Ok(v)
        }
    }
    let mut de = serde_json::Deserializer::from_str(args);
    let members = de.deserialize_map(MembersOf).ok()?;
    de.end().ok()?;
    Some(members)
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(v)
        .map_err(|e| Error::new(ErrorKind::Internal, format!("encoding the result: {e}")))
}

pub(crate) const NULL: &[u8] = b"null";

/// The arguments of a method that takes none.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoArgs {
    pub timeout: Option<f64>,
}

/// The arguments of a method that takes only a collection.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CollectionArgs {
    pub collection_name: String,
    pub timeout: Option<f64>,
}

/// Properties as pymilvus sends them (`str(v)`): strings as they are, booleans `True`/`False`,
/// anything else as its JSON text.
pub(crate) fn kv_list(
    m: &serde_json::Map<String, serde_json::Value>,
) -> Vec<crate::proto::common::KeyValuePair> {
    m.iter()
        .map(|(k, v)| crate::proto::common::KeyValuePair {
            key: k.clone(),
            value: crate::codec::schema::py_param_string(v),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct A {
        collection_name: String,
        timeout: Option<f64>,
    }

    #[test]
    fn syntax_errors_win_over_typing_errors() {
        let kind = |s: &str| parse_args::<A>(s).unwrap_err().kind;
        assert_eq!(kind("{\"timeout\": 5} x"), ErrorKind::InvalidJson);
        assert_eq!(kind("{}}"), ErrorKind::InvalidJson);
        assert_eq!(kind("{\"colour\": "), ErrorKind::InvalidJson);
        assert_eq!(kind(&"[".repeat(100_000)), ErrorKind::InvalidJson);
        assert_eq!(kind("{\"colour\": 1}"), ErrorKind::InvalidArgument);
        assert_eq!(kind("[\"x\", null]"), ErrorKind::InvalidArgument);
        assert_eq!(kind("{\"collection_name\": 1}"), ErrorKind::InvalidArgument);
        assert_eq!(
            parse_args::<A>(" {\"collection_name\": \"c\"} ")
                .unwrap()
                .collection_name,
            "c"
        );
    }

    #[test]
    fn call_scope_takes_call_id_and_timeout() {
        let s = call_scope(r#"{"collection_name": "c"}"#).unwrap();
        assert!(s.call_id.is_none() && s.timeout.is_none());
        assert!(matches!(s.args, std::borrow::Cow::Borrowed(_)));
        let s = call_scope(
            r#"{"collection_name": "c", "call_id": "q-1", "timeout": 2.5, "data": {"call_id": 1}}"#,
        )
        .unwrap();
        assert_eq!(s.call_id.as_deref(), Some("q-1"));
        assert_eq!(s.timeout, Some(Duration::from_millis(2500)));
        // Only the top-level key goes; the rest is untouched, and still strictly parsed.
        assert_eq!(
            s.args,
            r#"{"collection_name":"c","timeout":2.5,"data":{"call_id": 1}}"#
        );
        let a: A = parse_args(
            &call_scope(r#"{"collection_name": "c", "call_id": "x"}"#)
                .unwrap()
                .args,
        )
        .unwrap();
        assert_eq!(a.collection_name, "c");
        assert_eq!(
            call_scope(r#"{"call_id": 5}"#).unwrap_err().kind,
            ErrorKind::InvalidArgument
        );
        assert!(call_scope(r#"{"call_id": null}"#)
            .unwrap()
            .call_id
            .is_none());
        // A bad timeout is the method's to report; malformed JSON too.
        assert!(call_scope(r#"{"timeout": -1}"#).unwrap().timeout.is_none());
        assert_eq!(
            call_scope(r#"{"timeout": 1, "#).unwrap().args,
            r#"{"timeout": 1, "#
        );
        assert_eq!(
            parse_args::<A>(&call_scope(r#"{"call_id": "x", "colour": 1}"#).unwrap().args)
                .unwrap_err()
                .kind,
            ErrorKind::InvalidArgument
        );
    }

    #[test]
    fn properties_spelled_as_pymilvus_spells_them() {
        let m = serde_json::json!({"mmap.enabled": true, "ttl": 60, "rg": "a,b", "off": false});
        let kv: Vec<(String, String)> = kv_list(m.as_object().unwrap())
            .into_iter()
            .map(|p| (p.key, p.value))
            .collect();
        let want = [
            ("mmap.enabled", "True"),
            ("off", "False"),
            ("rg", "a,b"),
            ("ttl", "60"),
        ];
        assert_eq!(
            kv,
            want.map(|(k, v)| (k.to_string(), v.to_string())).to_vec()
        );
    }

    #[test]
    fn timeouts() {
        assert!(call_opts(None).unwrap().timeout.is_none());
        assert_eq!(
            call_opts(Some(1.5)).unwrap().timeout,
            Some(Duration::from_millis(1500))
        );
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e300] {
            assert_eq!(
                call_opts(Some(bad)).unwrap_err().kind,
                ErrorKind::InvalidArgument
            );
        }
    }
}
