//! `milvus_error`: the owned description of one failed call.

use super::status::{milvus_status, status_of, MILVUS_OK};
use super::{boundary_or, free_box};
use crate::error::Error;
use std::ffi::{c_char, CString};

/// An owned error. Read it with the `milvus_error_*` accessors; free it with `milvus_error_free`.
/// An accessor gives the same value for a NULL error as for an internal error.
pub struct milvus_error {
    status: milvus_status,
    message: CString,
    grpc_code: i32,
    server_code: i32,
    retriable: bool,
}

impl From<Error> for milvus_error {
    fn from(e: Error) -> Self {
        let text = e.message.replace('\0', "\\0");
        milvus_error {
            status: status_of(e.kind),
            message: CString::new(text).unwrap_or_default(),
            grpc_code: e.grpc_code,
            server_code: e.server_code,
            retriable: e.retriable,
        }
    }
}

/// The body of the accessors: `default` for a NULL error or a panic.
fn with<T: Copy>(
    error: Option<&milvus_error>,
    default: T,
    f: impl FnOnce(&milvus_error) -> T,
) -> T {
    boundary_or(default, || error.map_or(default, f))
}

/// The status of the failed call; `MILVUS_OK` for NULL.
#[no_mangle]
pub unsafe extern "C" fn milvus_error_status(error: *const milvus_error) -> milvus_status {
    // SAFETY: error is NULL or live (header contract).
    with(unsafe { error.as_ref() }, MILVUS_OK, |e| e.status)
}

/// What went wrong, in UTF-8; `""` for NULL. Valid until `milvus_error_free(error)`.
#[no_mangle]
pub unsafe extern "C" fn milvus_error_message(error: *const milvus_error) -> *const c_char {
    // SAFETY: error is NULL or live (header contract).
    with(unsafe { error.as_ref() }, c"".as_ptr(), |e| {
        e.message.as_ptr()
    })
}

/// The Milvus server's error code (`Status.code`, or the legacy `error_code` when that is 0);
/// 0 when the server did not answer with an error, and for NULL.
#[no_mangle]
pub unsafe extern "C" fn milvus_error_server_code(error: *const milvus_error) -> i32 {
    // SAFETY: error is NULL or live (header contract).
    with(unsafe { error.as_ref() }, 0, |e| e.server_code)
}

/// The gRPC status code (1 = CANCELLED ... 16 = UNAUTHENTICATED) when the call failed at the
/// gRPC layer; 0 otherwise, and for NULL.
#[no_mangle]
pub unsafe extern "C" fn milvus_error_grpc_code(error: *const milvus_error) -> i32 {
    // SAFETY: error is NULL or live (header contract).
    with(unsafe { error.as_ref() }, 0, |e| e.grpc_code)
}

/// Whether the same call may succeed if repeated later (rate limits, unavailable servers);
/// false for NULL.
#[no_mangle]
pub unsafe extern "C" fn milvus_error_retriable(error: *const milvus_error) -> bool {
    // SAFETY: error is NULL or live (header contract).
    with(unsafe { error.as_ref() }, false, |e| e.retriable)
}

/// Frees an error. NULL is a no-op. Any string obtained from it becomes invalid.
#[no_mangle]
pub unsafe extern "C" fn milvus_error_free(error: *mut milvus_error) {
    // SAFETY: a non-NULL pointer was made by Box::into_raw in this library and is freed once.
    unsafe { free_box(error) }
}
