//! Cancelling in-flight calls from another thread.

use super::client::milvus_client;
use super::error::milvus_error;
use super::status::milvus_status;
use super::{boundary, null, req_str};

/// Cancels every call of `client` that is in flight with `"call_id": call_id` in its
/// arguments (or its `options_json`): each returns `MILVUS_ERR_CANCELLED` promptly, from
/// whichever thread made it. May be called from any thread, while those calls run.
///
/// Cancelling an id with no call in flight (not started yet, or already finished) is
/// `MILVUS_OK` and does nothing: it does not affect a later call with that id. A cancelled
/// write may or may not have been applied by the server (the request may already have been
/// sent); read back to find out. Iterators do not take a call id.
///
/// `call_id` is borrowed for the call only. `client` must not be freed during this call.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_cancel(
    client: *const milvus_client,
    call_id: *const std::ffi::c_char,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: a non-NULL client came from milvus_client_new and is not freed during the call.
        let client = unsafe { client.as_ref() }.ok_or_else(|| null("client"))?;
        // SAFETY: call_id is NULL or a NUL-terminated string valid for this call.
        let id = unsafe { req_str(call_id, "call_id") }?;
        client.inner.cancel(id);
        Ok(())
    })
}
