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

impl From<tonic::Status> for Error {
    fn from(s: tonic::Status) -> Self {
        use tonic::Code;
        // tonic reports its own client-side deadline as CANCELLED with a TimeoutExpired source.
        let mut timed_out = false;
        let mut cause = std::error::Error::source(&s);
        while let Some(c) = cause {
            timed_out |= c.is::<tonic::TimeoutExpired>();
            cause = c.source();
        }
        let kind = match s.code() {
            _ if timed_out => ErrorKind::Timeout,
            Code::DeadlineExceeded => ErrorKind::Timeout,
            Code::Unavailable => ErrorKind::Unavailable,
            Code::Unauthenticated => ErrorKind::Unauthenticated,
            Code::PermissionDenied => ErrorKind::PermissionDenied,
            Code::Unimplemented => ErrorKind::Unimplemented,
            Code::Cancelled => ErrorKind::Cancelled,
            Code::InvalidArgument => ErrorKind::InvalidArgument,
            _ => ErrorKind::Transport,
        };
        let mut message = format!("gRPC {:?}: {}", s.code(), s.message());
        if let Some(src) = std::error::Error::source(&s) {
            let mut cause = Some(src);
            while let Some(c) = cause {
                message.push_str(&format!(": {c}"));
                cause = c.source();
            }
        }
        // Milvus 2.3 declares some RPCs it does not implement (AlterIndex): their handler
        // returns nothing and gRPC fails to marshal it.
        let kind = if s.code() == Code::Internal && s.message().contains("Marshal called with nil")
        {
            message = format!("the server does not implement this call ({message})");
            ErrorKind::Unimplemented
        } else {
            kind
        };
        // A connection that broke mid-call surfaces as UNKNOWN with a transport cause.
        let broken = s.code() == Code::Unknown && message.contains("transport error");
        let kind = if broken { ErrorKind::Unavailable } else { kind };
        let grpc_code = if timed_out {
            Code::DeadlineExceeded
        } else {
            s.code()
        } as i32;
        if timed_out {
            message = format!("deadline exceeded: {}", s.message());
        }
        let retriable = broken || matches!(s.code(), Code::Unavailable | Code::ResourceExhausted);
        Error {
            kind,
            message,
            grpc_code,
            server_code: 0,
            retriable,
        }
    }
}
