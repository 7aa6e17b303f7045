//! The JSON methods: for each pymilvus `MilvusClient` method, decode its keyword arguments from
//! JSON, call the client, encode the result as pymilvus shapes it. One async fn per method,
//! named after it; the tables in `src/ffi/methods/` export each as `milvus_client_<name>`.

mod collection;
mod data;

pub use collection::*;
pub use data::*;

use crate::client::CallOpts;
use crate::error::{Error, ErrorKind, Result};
use serde::de::DeserializeOwned;
use std::time::Duration;

/// Parses a method's arguments; unknown keys are errors that name the key.
pub(crate) fn parse_args<T: DeserializeOwned>(args: &str) -> Result<T> {
    let args = if args.trim().is_empty() { "{}" } else { args };
    serde_json::from_str(args).map_err(|e| {
        use serde_json::error::Category;
        let kind = match e.classify() {
            Category::Syntax | Category::Eof | Category::Io => ErrorKind::InvalidJson,
            Category::Data => ErrorKind::InvalidArgument,
        };
        Error::new(kind, format!("args_json: {e}"))
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
