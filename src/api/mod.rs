//! The JSON methods: for each pymilvus `MilvusClient` method, decode its keyword arguments from
//! JSON, call the client, encode the result as pymilvus shapes it. One async fn per method,
//! named after it; the tables in `src/ffi/methods/` export each as `milvus_client_<name>`.

mod alias;
mod collection;
mod data;
mod database;
mod index;
pub mod iterator;
mod maintenance;
mod partition;

pub use alias::*;
pub use collection::*;
pub use data::*;
pub use database::*;
pub use index::*;
pub use maintenance::*;
pub use partition::*;

use crate::client::CallOpts;
use crate::error::{Error, ErrorKind, Result};
use serde::de::DeserializeOwned;
use std::time::Duration;

/// Parses a method's arguments; unknown keys are errors that name the key.
/// Empty text means no arguments; anything else must be a JSON object.
pub(crate) fn parse_args<T: DeserializeOwned>(args: &str) -> Result<T> {
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
    match timeout {
        None => Ok(CallOpts::default()),
        Some(t) if t.is_finite() && t > 0.0 && t < 1e9 => Ok(CallOpts {
            timeout: Some(Duration::from_secs_f64(t)),
        }),
        Some(t) => Err(Error::invalid(format!(
            "timeout must be a positive number of seconds, not {t}"
        ))),
    }
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

/// Properties as the server takes them: strings as they are, anything else as its JSON text.
pub(crate) fn kv_list(
    m: &serde_json::Map<String, serde_json::Value>,
) -> Vec<crate::proto::common::KeyValuePair> {
    m.iter()
        .map(|(k, v)| crate::proto::common::KeyValuePair {
            key: k.clone(),
            value: crate::codec::schema::param_string(v),
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
