//! The JSON methods, stamped out from the `methods/` tables by build.rs: one exported
//! `milvus_client_<name>` per entry, each a call of `json_call` with its `api::<name>`.

use super::buffer::milvus_buffer;
use super::client::milvus_client;
use super::error::milvus_error;
use super::status::milvus_status;
use super::{boundary, null, opt_str, put_out};
use crate::api;
use crate::client::{with_cancel, with_deadline, Client};
use crate::error::Result;
use crate::{log, runtime};
use std::ffi::c_char;
use std::future::Future;
use std::pin::Pin;

/// One JSON method's work: arguments JSON in, result JSON out.
pub(crate) type Call<'a> = Pin<Box<dyn Future<Output = Result<Vec<u8>>> + Send + 'a>>;

/// A JSON method.
pub(crate) type Handler = for<'a> fn(&'a Client, &'a str) -> Call<'a>;

/// The shared body of every JSON method: checks, the panic boundary, the whole call's deadline
/// and cancellation (`"timeout"`, `"call_id"`), and ownership of the result.
///
/// # Safety
/// Each pointer must be NULL or valid as the header describes for `milvus_client_<name>`.
pub(crate) unsafe fn json_call(
    client: *const milvus_client,
    args_json: *const c_char,
    result_out: *mut milvus_buffer,
    error_out: *mut *mut milvus_error,
    method: &'static str,
    handler: Handler,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: a non-NULL client came from milvus_client_new and is not freed during the call.
        let client = unsafe { client.as_ref() }.ok_or_else(|| null("client"))?;
        put_out(result_out, "result_out", || {
            // SAFETY: args_json is NULL or a NUL-terminated string valid for this call.
            let args = unsafe { opt_str(args_json, "args_json") }?.unwrap_or("{}");
            let scope = api::call_scope(args)?;
            let c = &*client.inner;
            let id = scope.call_id.as_deref();
            let call = with_deadline(c, scope.timeout, handler(c, &scope.args));
            // Two paths, so that with logging off the call runs exactly as it did before
            // logging existed (a wrapper future would be one more copy of the call's future).
            let bytes = if log::active() {
                let size = |b: &Vec<u8>| Some(b.len());
                let call = with_cancel(c, id, call);
                runtime::block_on(log::call(method, id, args.len(), size, call))??
            } else {
                runtime::block_on(with_cancel(c, id, call))??
            };
            Ok(milvus_buffer::from_vec(bytes))
        })
    })
}

include!(concat!(env!("OUT_DIR"), "/json_methods.rs"));
