//! close and session: the client's own lifecycle rather than a server call.

use super::{parse_args, NULL};
use crate::client::Client;
use crate::error::{Error, Result};
use serde::Deserialize;

/// pymilvus's `close` (no arguments): every later call of the client that would reach the
/// server, and of its sessions and iterators, fails with `ErrorKind::Closed`. Closing twice
/// is fine. Result: `null`.
pub async fn close(c: &Client, args: &str) -> Result<Vec<u8>> {
    // Read as JSON first, so that malformed text is reported as such, as by every method.
    let a: serde_json::Map<String, serde_json::Value> = parse_args(args)?;
    if let Some(k) = a.keys().next() {
        return Err(Error::invalid(format!(
            "close takes no arguments, not {k:?}"
        )));
    }
    c.close();
    Ok(NULL.to_vec())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionArgs {
    cluster_id: Option<serde_json::Value>,
}

/// pymilvus's `session(cluster_id)`: a client sharing `c`'s connection whose searches and
/// queries carry `cluster_id`. pymilvus requires a string (an empty one included).
pub fn session(c: &Client, args: &str) -> Result<Client> {
    let a: SessionArgs = parse_args(args)?;
    let id = match a.cluster_id {
        Some(serde_json::Value::String(s)) => s,
        Some(other) => {
            return Err(Error::invalid(format!(
                "cluster_id must be a string, not {other}"
            )))
        }
        None => return Err(Error::invalid("missing field `cluster_id`")),
    };
    c.ensure_open()?;
    Ok(c.session(&id))
}
