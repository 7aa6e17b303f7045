//! Status codes: fixed numbers, grouped by where the failure came from, never renumbered.

use crate::error::ErrorKind;
use std::ffi::c_char;

/// The result of every fallible call: 0 (`MILVUS_OK`) or one of the `MILVUS_ERR_*` codes.
pub type milvus_status = i32;

/// Success.
pub const MILVUS_OK: milvus_status = 0;

/// A required pointer argument was NULL (the message names it).
pub const MILVUS_ERR_NULL_ARGUMENT: milvus_status = 100;
/// A string argument is not valid UTF-8.
pub const MILVUS_ERR_INVALID_UTF8: milvus_status = 101;
/// `args_json` is not well-formed JSON.
pub const MILVUS_ERR_INVALID_JSON: milvus_status = 102;
/// An argument has a wrong value, a wrong type, or an unknown key (the message names it).
pub const MILVUS_ERR_INVALID_ARGUMENT: milvus_status = 103;
/// The URI cannot be parsed or uses an unsupported scheme.
pub const MILVUS_ERR_INVALID_URI: milvus_status = 104;
/// A vector's length does not match the field's dimension (the message names row and field).
pub const MILVUS_ERR_DIMENSION_MISMATCH: milvus_status = 105;
/// A row lacks a field that has no default and is not nullable (primary key included), or a
/// call lacks both of its alternative arguments (`dimension`/`schema`, `ids`/`filter`,
/// `data`/`ids`).
pub const MILVUS_ERR_MISSING_FIELD: milvus_status = 106;
/// No such JSON method (`milvus_client_call`).
pub const MILVUS_ERR_UNKNOWN_METHOD: milvus_status = 107;
/// A typed column or query set holds a different number of rows than the builder was made for.
pub const MILVUS_ERR_ROW_COUNT_MISMATCH: milvus_status = 108;
/// A typed column's type does not fit its field, or a result accessor was asked for a column
/// of another type.
pub const MILVUS_ERR_TYPE_MISMATCH: milvus_status = 109;

/// The server could not be reached or the connection could not be set up.
pub const MILVUS_ERR_CONNECT: milvus_status = 200;
/// The call's deadline passed.
pub const MILVUS_ERR_TIMEOUT: milvus_status = 201;
/// The server became unreachable during the call (gRPC UNAVAILABLE).
pub const MILVUS_ERR_UNAVAILABLE: milvus_status = 202;
/// The credentials were refused.
pub const MILVUS_ERR_UNAUTHENTICATED: milvus_status = 203;
/// The user lacks the privilege for this call.
pub const MILVUS_ERR_PERMISSION_DENIED: milvus_status = 204;
/// The server does not implement this call.
pub const MILVUS_ERR_UNIMPLEMENTED: milvus_status = 205;
/// The call was cancelled.
pub const MILVUS_ERR_CANCELLED: milvus_status = 206;
/// TLS could not be set up or the handshake failed.
pub const MILVUS_ERR_TLS: milvus_status = 207;
/// Any other gRPC failure (the gRPC code is in `milvus_error_grpc_code`).
pub const MILVUS_ERR_TRANSPORT: milvus_status = 208;

/// The server refused the request (its code is in `milvus_error_server_code`).
pub const MILVUS_ERR_SERVER: milvus_status = 300;
/// The collection does not exist.
pub const MILVUS_ERR_COLLECTION_NOT_FOUND: milvus_status = 301;
/// The server's rate limiter refused the call.
pub const MILVUS_ERR_RATE_LIMITED: milvus_status = 302;
/// The database does not exist.
pub const MILVUS_ERR_DATABASE_NOT_FOUND: milvus_status = 303;
/// The index does not exist.
pub const MILVUS_ERR_INDEX_NOT_FOUND: milvus_status = 304;
/// The collection is not loaded.
pub const MILVUS_ERR_COLLECTION_NOT_LOADED: milvus_status = 305;
/// The partition does not exist.
pub const MILVUS_ERR_PARTITION_NOT_FOUND: milvus_status = 306;

/// A bug in libmilvus was caught at the boundary; the process is unaffected.
pub const MILVUS_ERR_PANIC: milvus_status = 900;
/// The I/O runtime could not start, or a blocking call was made from one of its threads.
pub const MILVUS_ERR_RUNTIME: milvus_status = 901;
/// An unexpected internal failure, including a malformed reply from the server.
pub const MILVUS_ERR_INTERNAL: milvus_status = 902;

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

macro_rules! names {
    ($status:expr, $($c:ident),* $(,)?) => {
        match $status {
            $($c => concat!(stringify!($c), "\0"),)*
            _ => "MILVUS_ERR_UNKNOWN_STATUS\0",
        }
    };
}

/// The name of a status code, e.g. `"MILVUS_ERR_TIMEOUT"`; `"MILVUS_ERR_UNKNOWN_STATUS"` for a
/// number that is not a status. The string is static: never free it.
#[no_mangle]
pub extern "C" fn milvus_status_str(status: milvus_status) -> *const c_char {
    // The unknown-status name is also the answer if this panics.
    let unknown = c"MILVUS_ERR_UNKNOWN_STATUS".as_ptr();
    super::boundary_or(unknown, || status_name(status).as_ptr().cast())
}

fn status_name(status: milvus_status) -> &'static str {
    names!(
        status,
        MILVUS_OK,
        MILVUS_ERR_NULL_ARGUMENT,
        MILVUS_ERR_INVALID_UTF8,
        MILVUS_ERR_INVALID_JSON,
        MILVUS_ERR_INVALID_ARGUMENT,
        MILVUS_ERR_INVALID_URI,
        MILVUS_ERR_DIMENSION_MISMATCH,
        MILVUS_ERR_MISSING_FIELD,
        MILVUS_ERR_UNKNOWN_METHOD,
        MILVUS_ERR_ROW_COUNT_MISMATCH,
        MILVUS_ERR_TYPE_MISMATCH,
        MILVUS_ERR_CONNECT,
        MILVUS_ERR_TIMEOUT,
        MILVUS_ERR_UNAVAILABLE,
        MILVUS_ERR_UNAUTHENTICATED,
        MILVUS_ERR_PERMISSION_DENIED,
        MILVUS_ERR_UNIMPLEMENTED,
        MILVUS_ERR_CANCELLED,
        MILVUS_ERR_TLS,
        MILVUS_ERR_TRANSPORT,
        MILVUS_ERR_SERVER,
        MILVUS_ERR_COLLECTION_NOT_FOUND,
        MILVUS_ERR_RATE_LIMITED,
        MILVUS_ERR_DATABASE_NOT_FOUND,
        MILVUS_ERR_INDEX_NOT_FOUND,
        MILVUS_ERR_COLLECTION_NOT_LOADED,
        MILVUS_ERR_PARTITION_NOT_FOUND,
        MILVUS_ERR_PANIC,
        MILVUS_ERR_RUNTIME,
        MILVUS_ERR_INTERNAL,
    )
}
