//! Status codes: fixed numbers, grouped by where the failure came from, never renumbered.

use crate::error::ErrorKind;
use std::ffi::{c_char, CString};
use std::sync::OnceLock;
use strum::IntoEnumIterator;

/// The result of every fallible call: `MILVUS_OK` (0) or one of the `MILVUS_ERR_*` codes. In C
/// it is an `int32_t`; the numbers are grouped by where the failure came from (1xx arguments,
/// 2xx transport, 3xx server, 9xx internal) and never renumbered. This enum is the one place
/// they are written: the header, `milvus_status_str`, the Go constants and docs/errors.md
/// follow from it (`make check` compares the last two with the header).
#[repr(i32)]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, strum::FromRepr, strum::IntoStaticStr, strum::EnumIter,
)]
pub enum milvus_status {
    /// Success.
    MILVUS_OK = 0,

    /// A required pointer argument was NULL (the message names it).
    MILVUS_ERR_NULL_ARGUMENT = 100,
    /// A string argument is not valid UTF-8.
    MILVUS_ERR_INVALID_UTF8 = 101,
    /// `args_json` is not well-formed JSON.
    MILVUS_ERR_INVALID_JSON = 102,
    /// An argument has a wrong value, a wrong type, or an unknown key (the message names it).
    MILVUS_ERR_INVALID_ARGUMENT = 103,
    /// The URI cannot be parsed or uses an unsupported scheme.
    MILVUS_ERR_INVALID_URI = 104,
    /// A vector's length does not match the field's dimension (the message names row and field).
    MILVUS_ERR_DIMENSION_MISMATCH = 105,
    /// A row lacks a field that has no default and is not nullable (primary key included), or a
    /// call lacks both of its alternative arguments (`dimension`/`schema`, `ids`/`filter`,
    /// `data`/`ids`).
    MILVUS_ERR_MISSING_FIELD = 106,
    /// No such JSON method (`milvus_client_call`).
    MILVUS_ERR_UNKNOWN_METHOD = 107,
    /// A typed column or query set holds a different number of rows than the builder was made for.
    MILVUS_ERR_ROW_COUNT_MISMATCH = 108,
    /// A typed column's type does not fit its field, or a result accessor was asked for a column
    /// of another type.
    MILVUS_ERR_TYPE_MISMATCH = 109,
    /// The client (or session) was closed by `milvus_client_close`, or the client a session
    /// came from was.
    MILVUS_ERR_CLOSED = 110,

    /// The server could not be reached or the connection could not be set up.
    MILVUS_ERR_CONNECT = 200,
    /// The call's deadline passed.
    MILVUS_ERR_TIMEOUT = 201,
    /// The server became unreachable during the call (gRPC UNAVAILABLE).
    MILVUS_ERR_UNAVAILABLE = 202,
    /// The credentials were refused.
    MILVUS_ERR_UNAUTHENTICATED = 203,
    /// The user lacks the privilege for this call.
    MILVUS_ERR_PERMISSION_DENIED = 204,
    /// The server does not implement this call.
    MILVUS_ERR_UNIMPLEMENTED = 205,
    /// The call was cancelled.
    MILVUS_ERR_CANCELLED = 206,
    /// TLS could not be set up or the handshake failed.
    MILVUS_ERR_TLS = 207,
    /// Any other gRPC failure (the gRPC code is in `milvus_error_grpc_code`).
    MILVUS_ERR_TRANSPORT = 208,

    /// The server refused the request (its code is in `milvus_error_server_code`).
    MILVUS_ERR_SERVER = 300,
    /// The collection does not exist.
    MILVUS_ERR_COLLECTION_NOT_FOUND = 301,
    /// The server's rate limiter refused the call.
    MILVUS_ERR_RATE_LIMITED = 302,
    /// The database does not exist.
    MILVUS_ERR_DATABASE_NOT_FOUND = 303,
    /// The index does not exist.
    MILVUS_ERR_INDEX_NOT_FOUND = 304,
    /// The collection is not loaded.
    MILVUS_ERR_COLLECTION_NOT_LOADED = 305,
    /// The partition does not exist.
    MILVUS_ERR_PARTITION_NOT_FOUND = 306,

    /// A bug in libmilvus was caught at the boundary; the process is unaffected.
    MILVUS_ERR_PANIC = 900,
    /// The I/O runtime could not start, or a blocking call was made from one of its threads.
    MILVUS_ERR_RUNTIME = 901,
    /// An unexpected internal failure, including a malformed reply from the server.
    MILVUS_ERR_INTERNAL = 902,
}

pub use milvus_status::*;

pub(crate) fn status_of(kind: ErrorKind) -> milvus_status {
    use ErrorKind::*;
    match kind {
        NullArgument => MILVUS_ERR_NULL_ARGUMENT,
        InvalidUtf8 => MILVUS_ERR_INVALID_UTF8,
        InvalidJson => MILVUS_ERR_INVALID_JSON,
        InvalidArgument => MILVUS_ERR_INVALID_ARGUMENT,
        InvalidUri => MILVUS_ERR_INVALID_URI,
        DimensionMismatch => MILVUS_ERR_DIMENSION_MISMATCH,
        MissingField => MILVUS_ERR_MISSING_FIELD,
        UnknownMethod => MILVUS_ERR_UNKNOWN_METHOD,
        RowCountMismatch => MILVUS_ERR_ROW_COUNT_MISMATCH,
        TypeMismatch => MILVUS_ERR_TYPE_MISMATCH,
        Closed => MILVUS_ERR_CLOSED,
        Connect => MILVUS_ERR_CONNECT,
        Timeout => MILVUS_ERR_TIMEOUT,
        Unavailable => MILVUS_ERR_UNAVAILABLE,
        Unauthenticated => MILVUS_ERR_UNAUTHENTICATED,
        PermissionDenied => MILVUS_ERR_PERMISSION_DENIED,
        Unimplemented => MILVUS_ERR_UNIMPLEMENTED,
        Cancelled => MILVUS_ERR_CANCELLED,
        Tls => MILVUS_ERR_TLS,
        Transport => MILVUS_ERR_TRANSPORT,
        Server => MILVUS_ERR_SERVER,
        CollectionNotFound => MILVUS_ERR_COLLECTION_NOT_FOUND,
        RateLimited => MILVUS_ERR_RATE_LIMITED,
        DatabaseNotFound => MILVUS_ERR_DATABASE_NOT_FOUND,
        IndexNotFound => MILVUS_ERR_INDEX_NOT_FOUND,
        CollectionNotLoaded => MILVUS_ERR_COLLECTION_NOT_LOADED,
        PartitionNotFound => MILVUS_ERR_PARTITION_NOT_FOUND,
        Panic => MILVUS_ERR_PANIC,
        Runtime => MILVUS_ERR_RUNTIME,
        Internal => MILVUS_ERR_INTERNAL,
    }
}

/// The name of a status code, e.g. `"MILVUS_ERR_TIMEOUT"`; `"MILVUS_ERR_UNKNOWN_STATUS"` for a
/// number that is not a status. The string is static: never free it.
#[no_mangle]
pub extern "C" fn milvus_status_str(status: i32) -> *const c_char {
    let unknown = c"MILVUS_ERR_UNKNOWN_STATUS".as_ptr();
    // The unknown-status name is also the answer if this panics.
    super::boundary_or(unknown, || status_name(status).unwrap_or(unknown))
}

/// NUL-terminated copies of the enum's names, made once.
fn status_name(status: i32) -> Option<*const c_char> {
    static NAMES: OnceLock<Vec<(i32, CString)>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        milvus_status::iter()
            .map(|s| {
                (
                    s as i32,
                    CString::new(<&str>::from(s)).expect("no NUL in a name"),
                )
            })
            .collect()
    });
    names
        .iter()
        .find(|(n, _)| *n == status)
        .map(|(_, name)| name.as_ptr())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn every_status_is_named_by_its_number() {
        for s in milvus_status::iter() {
            // SAFETY: milvus_status_str returns a static NUL-terminated string.
            let name = unsafe { CStr::from_ptr(milvus_status_str(s as i32)) };
            assert_eq!(name.to_str().unwrap(), format!("{s:?}"));
            assert_eq!(milvus_status::from_repr(s as i32), Some(s));
        }
        // SAFETY: as above.
        let unknown = unsafe { CStr::from_ptr(milvus_status_str(42)) };
        assert_eq!(unknown.to_str().unwrap(), "MILVUS_ERR_UNKNOWN_STATUS");
    }
}
