//! The one error type of the crate. Every layer returns it; the FFI layer maps its kind to a
//! `milvus_status` number.

use std::fmt;

/// What went wrong, grouped as the C statuses are (client input, transport, server, internal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    NullArgument,
    InvalidUtf8,
    InvalidJson,
    InvalidArgument,
    InvalidUri,
    DimensionMismatch,
    MissingField,
    UnknownMethod,
    RowCountMismatch,
    TypeMismatch,
    Closed,
    Connect,
    Timeout,
    Unavailable,
    Unauthenticated,
    PermissionDenied,
    Unimplemented,
    Cancelled,
    Tls,
    Transport,
    Server,
    CollectionNotFound,
    RateLimited,
    DatabaseNotFound,
    IndexNotFound,
    CollectionNotLoaded,
    PartitionNotFound,
    Panic,
    Runtime,
    Internal,
}

#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// gRPC status code of the failed call, 0 when the failure was not a gRPC error.
    pub grpc_code: i32,
    /// Milvus `Status.code` (or the legacy `error_code` when `code` is 0), 0 when not a server error.
    pub server_code: i32,
    pub retriable: bool,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            grpc_code: 0,
            server_code: 0,
            retriable: false,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, message)
    }

    /// Prefixes the message with where the problem was found (an argument, a row, a field).
    pub fn context(mut self, what: impl fmt::Display) -> Self {
        self.message = format!("{what}: {}", self.message);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

// `From<tonic::Status>` lives in client/classify.rs, with every other reading of a reply.
