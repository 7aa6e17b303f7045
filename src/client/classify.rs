//! What a failure means: the one place that reads a server reply's `common.Status`, a gRPC
//! status and its cause chain, and decides the error kind, whether it is retriable and
//! whether another attempt may be made.

use super::retry::Failure;
use crate::error::{Error, ErrorKind, Result};
use crate::proto::common::{self, ErrorCode};
use tonic::Code;

/// Milvus's error codes (`Status.code`, Milvus 2.3 and later). The proto declares only the
/// legacy `error_code` values (`common::ErrorCode`); these are the server's own numbering.
mod code {
    pub const RATE_LIMIT: i32 = 8;
    pub const COLLECTION_NOT_FOUND: i32 = 100;
    pub const COLLECTION_NOT_LOADED: i32 = 101;
    pub const PARTITION_NOT_FOUND: i32 = 200;
    pub const INDEX_NOT_FOUND: i32 = 700;
    pub const DATABASE_NOT_FOUND: i32 = 800;
    pub const UNAUTHENTICATED: i32 = 1400;
    pub const PERMISSION_DENIED: i32 = 1401;
}

/// Texts that are the only sign of a condition: neither the server nor tonic marks these
/// with a code or an error type we can test for.
mod text {
    /// Older servers name a missing collection only in the reason.
    pub const NO_COLLECTION: [&str; 2] = ["can't find collection", "collection not found"];
    pub const NO_DATABASE: &str = "database not found";
    /// The server ran out of the call's deadline itself (Milvus 2.3 answers code 65535).
    pub const SERVER_DEADLINE: &str = "context deadline exceeded";
    /// Milvus 2.3 declares RPCs it does not implement (AlterIndex): their handler returns
    /// nothing and gRPC fails to marshal it.
    pub const NIL_REPLY: &str = "Marshal called with nil";
    /// A connection that broke mid-call surfaces as UNKNOWN with this in the message.
    pub const BROKEN: &str = "transport error";
    /// hyper's connector could not open the connection: nothing was sent.
    pub const NO_CONNECTION: &str = "tcp connect error";
    /// tonic could not decode the reply message.
    pub const UNDECODABLE: &str = "failed to decode";
}

/// Fails unless both the new `code` and the legacy `error_code` of a reply say success.
pub(crate) fn reply(status: Option<&common::Status>) -> Result<()> {
    let Some(s) = status else { return Ok(()) };
    if s.code == 0 && s.error_code == 0 {
        return Ok(());
    }
    let server_code = if s.code != 0 { s.code } else { s.error_code };
    let reason = s.reason.to_lowercase();
    let legacy = ErrorCode::try_from(s.error_code).ok();
    let kind = match (s.code, legacy) {
        (code::COLLECTION_NOT_FOUND, _) | (_, Some(ErrorCode::CollectionNotExists)) => {
            ErrorKind::CollectionNotFound
        }
        (code::RATE_LIMIT, _) | (_, Some(ErrorCode::RateLimit)) => ErrorKind::RateLimited,
        (code::DATABASE_NOT_FOUND, _) => ErrorKind::DatabaseNotFound,
        (code::INDEX_NOT_FOUND, _) | (_, Some(ErrorCode::IndexNotExist)) => {
            ErrorKind::IndexNotFound
        }
        (code::COLLECTION_NOT_LOADED, _) => ErrorKind::CollectionNotLoaded,
        (code::PARTITION_NOT_FOUND, _) => ErrorKind::PartitionNotFound,
        (code::UNAUTHENTICATED, _) => ErrorKind::Unauthenticated,
        (code::PERMISSION_DENIED, _) => ErrorKind::PermissionDenied,
        _ if text::NO_COLLECTION.iter().any(|t| reason.contains(t)) => {
            ErrorKind::CollectionNotFound
        }
        _ if reason.contains(text::NO_DATABASE) => ErrorKind::DatabaseNotFound,
        _ if reason.contains(text::SERVER_DEADLINE) => ErrorKind::Timeout,
        _ => ErrorKind::Server,
    };
    Err(Error {
        kind,
        message: format!("server error {server_code}: {}", s.reason),
        grpc_code: 0,
        server_code,
        retriable: s.retriable || kind == ErrorKind::RateLimited,
    })
}

/// A write refused because the client's cached schema is older than the collection's: the
/// caller refreshes the schema and sends once more.
pub(crate) fn is_schema_mismatch(e: &Error) -> bool {
    e.server_code == ErrorCode::SchemaMismatch as i32
}

/// Whether the failure shows that no connection carried the request.
pub(crate) fn not_sent(s: &tonic::Status) -> bool {
    let mut cause = std::error::Error::source(s);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            if matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::NotFound
            ) {
                return true;
            }
        }
        if c.to_string().contains(text::NO_CONNECTION) {
            return true;
        }
        cause = c.source();
    }
    false
}

/// What a failed attempt allows, given its gRPC status, its error, and whether it certainly
/// was not sent.
pub(crate) fn attempt(s: &tonic::Status, e: &Error, unsent: bool) -> Failure {
    if e.kind == ErrorKind::Timeout {
        return Failure::Final;
    }
    if unsent {
        return Failure::NotSent;
    }
    match s.code() {
        Code::ResourceExhausted => Failure::Refused,
        Code::Unavailable | Code::Unknown if not_sent(s) => Failure::NotSent,
        _ if e.kind == ErrorKind::Unavailable => Failure::Ambiguous,
        _ => Failure::Final,
    }
}

impl From<tonic::Status> for Error {
    fn from(s: tonic::Status) -> Self {
        // tonic reports its own client-side deadline as CANCELLED with a TimeoutExpired source.
        let mut timed_out = false;
        let mut cause = std::error::Error::source(&s);
        while let Some(c) = cause {
            timed_out |= c.is::<tonic::TimeoutExpired>();
            cause = c.source();
        }
        let mut message = format!("gRPC {:?}: {}", s.code(), s.message());
        let mut cause = std::error::Error::source(&s);
        while let Some(c) = cause {
            message.push_str(&format!(": {c}"));
            cause = c.source();
        }
        let broken = s.code() == Code::Unknown && message.contains(text::BROKEN);
        let kind = match s.code() {
            _ if timed_out => ErrorKind::Timeout,
            _ if broken => ErrorKind::Unavailable,
            Code::Internal if s.message().contains(text::NIL_REPLY) => {
                message = format!("the server does not implement this call ({message})");
                ErrorKind::Unimplemented
            }
            Code::Internal if s.message().starts_with(text::UNDECODABLE) => {
                // A reply we cannot read is the server's (or a proxy's) fault, not gRPC's.
                message = format!("malformed reply from the server: {message}");
                ErrorKind::Internal
            }
            Code::DeadlineExceeded => ErrorKind::Timeout,
            Code::Unavailable => ErrorKind::Unavailable,
            Code::Unauthenticated => ErrorKind::Unauthenticated,
            Code::PermissionDenied => ErrorKind::PermissionDenied,
            Code::Unimplemented => ErrorKind::Unimplemented,
            Code::Cancelled => ErrorKind::Cancelled,
            Code::InvalidArgument => ErrorKind::InvalidArgument,
            _ => ErrorKind::Transport,
        };
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
