//! Sessions (pymilvus `MilvusClient.session`): a client handle pinned to a cluster.

use super::client::milvus_client;
use super::error::milvus_error;
use super::status::milvus_status;
use super::{boundary, null, opt_str, put_out};
use std::ffi::c_char;

/// Starts a session (pymilvus `session`). Args: `cluster_id` (a string). The session is a
/// `milvus_client` that shares this client's connection, credentials, database and default
/// deadline, and sends `cluster_id` in the parameters of its `search`, `hybrid_search`,
/// `query`, `get` and iterator pages (`search_params`, `rank_params`, `query_params`), as
/// pymilvus's session does. Every other method works on it as on the client. Sends nothing.
///
/// `milvus_client_close` on the session ends only the session; closed, or with the client it
/// came from closed, its calls fail with `MILVUS_ERR_CLOSED`. A session on a closed client is
/// `MILVUS_ERR_CLOSED`.
///
/// On success `*session_out` receives a client owned by the caller: release it with
/// `milvus_client_free`, before or after the client it came from (each keeps the connection
/// alive). On failure it is left untouched.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_session(
    client: *const milvus_client,
    args_json: *const c_char,
    session_out: *mut *mut milvus_client,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: a non-NULL client came from milvus_client_new and is not freed during the call.
        let client = unsafe { client.as_ref() }.ok_or_else(|| null("client"))?;
        put_out(session_out, "session_out", || {
            // SAFETY: args_json is NULL or a NUL-terminated string valid for this call.
            let args = unsafe { opt_str(args_json, "args_json") }?.unwrap_or("{}");
            let session = crate::api::session(&client.inner, args)?;
            Ok(Box::into_raw(Box::new(milvus_client {
                inner: std::sync::Arc::new(session),
                in_flight: Default::default(),
            })))
        })
    })
}
