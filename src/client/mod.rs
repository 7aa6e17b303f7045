//! A safe async client of Milvus: one tonic channel, one method per RPC family.

mod admin;
mod cancel;
mod channel;
pub(crate) mod classify;
mod collection;
mod data;
mod lifecycle;
pub(crate) use data::{rows_body, WriteBody};
mod cluster;
pub mod iterator;
mod namespaces;
mod optimize;
pub mod options;
mod raw;
mod rbac;
pub mod retry;
mod session;
pub mod stream;
pub mod uri;

pub use crate::codec::schema::CollectionInfo;
pub use cancel::{with_cancel, with_deadline};
pub use channel::{KeepAlive, TlsOptions};
pub use retry::RetryPolicy;
pub use session::now_ts;

use crate::error::{Error, ErrorKind, Result};
use crate::proto::common;
use crate::proto::common::ClientInfo;
use crate::proto::milvus::milvus_service_client::MilvusServiceClient;
use crate::proto::milvus::ConnectRequest;
use base64::Engine as _;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tonic::metadata::{AsciiMetadataValue, MetadataMap};
use tonic::transport::Channel;
use uri::Address;

/// Used when the caller gives no timeout: how long connecting may take (pymilvus's default).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What `Client::connect` needs. Explicit values win over what the URI carries.
/// `options::parse` builds one from the JSON options of `milvus_client_connect`.
#[derive(Clone, Default)]
pub struct ClientConfig {
    pub uri: String,
    pub user: Option<String>,
    pub password: Option<String>,
    pub token: Option<String>,
    pub db_name: Option<String>,
    /// Connect timeout and default deadline of every call; `None` means no per-call deadline
    /// (connecting then gives up after `DEFAULT_CONNECT_TIMEOUT`).
    pub timeout: Option<Duration>,
    /// CA files, client certificate, server name, forced TLS.
    pub tls: TlsOptions,
    pub keepalive: KeepAlive,
    /// How calls are retried (see `RetryPolicy`; `RetryPolicy::NONE` disables retries).
    pub retry: RetryPolicy,
}

impl std::fmt::Debug for ClientConfig {
    // Never prints a credential (nor the URI's userinfo).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("uri", &uri::redacted(&self.uri))
            .field("user", &self.user.as_ref().map(|_| "<set>"))
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("db_name", &self.db_name)
            .field("timeout", &self.timeout)
            .field("tls", &self.tls)
            .field("keepalive", &self.keepalive)
            .finish_non_exhaustive()
    }
}

/// Per-call options.
#[derive(Debug, Clone, Copy, Default)]
pub struct CallOpts {
    /// Overrides the client's default deadline for this call.
    pub timeout: Option<Duration>,
    /// Overrides the client's retry policy for this call.
    pub retry: Option<RetryPolicy>,
}

pub struct Client {
    svc: MilvusServiceClient<Channel>,
    /// The same channel, for requests sent as pre-encoded chunks (`raw`).
    channel: Channel,
    authorization: Option<AsciiMetadataValue>,
    identifier: Option<AsciiMetadataValue>,
    /// Host name (or socket path) connected to.
    host: String,
    /// `host:port` (or the socket path): the server part of Session-consistency keys.
    server: String,
    /// The timestamp of this client's last flush_all, 0 before the first.
    pub(crate) last_flush_all_ts: std::sync::atomic::AtomicU64,
    /// The handshake's `ServerInfo` (None when the server has no Connect RPC).
    server_info: Option<common::ServerInfo>,
    /// `ServerInfo.build_tags` from the handshake ("" when the server sent none).
    build_tags: String,
    db_name: RwLock<(String, AsciiMetadataValue)>,
    timeout: Option<Duration>,
    schemas: Mutex<HashMap<(String, String), Arc<CollectionInfo>>>,
    /// In-flight calls that have a call id, for `cancel`.
    calls: cancel::Calls,
    retry: RetryPolicy,
    /// Set by `close`: this client's own flag first, then its parents' (a session stops with
    /// the client it came from).
    closed: Vec<Arc<std::sync::atomic::AtomicBool>>,
    /// A session's cluster (`session`): sent with its searches and queries.
    cluster_id: Option<String>,
}

impl std::fmt::Debug for Client {
    // Never prints the credential.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("db_name", &self.db_name())
            .finish_non_exhaustive()
    }
}

fn ascii_value(what: &str, s: &str) -> Result<AsciiMetadataValue> {
    AsciiMetadataValue::try_from(s)
        .map_err(|_| Error::invalid(format!("{what} must be printable ASCII")))
}

impl Client {
    /// Opens the channel, performs the Connect handshake and keeps its identifier.
    pub async fn connect(cfg: ClientConfig) -> Result<Client> {
        crate::log::init();
        let mut target = uri::parse(&cfg.uri)?;
        cfg.tls.check(&target.address)?;
        if let Address::Tcp { tls, .. } = &mut target.address {
            *tls |= cfg.tls.secure;
        }
        let addr = cfg_addr(&target.address);
        let tls = matches!(target.address, Address::Tcp { tls: true, .. });
        let mode = if tls { "TLS" } else { "plain text" };
        tracing::debug!("connecting to {addr} ({mode})");
        let start = Instant::now();
        match Self::connect_to(cfg, target).await {
            Ok(c) => {
                let version = match c.build_tags.as_str() {
                    "" => "not reported",
                    v => v,
                };
                tracing::info!(
                    "connected to {addr} ({mode}) in {:.3?}; server version {version}",
                    start.elapsed()
                );
                Ok(c)
            }
            Err(e) => {
                tracing::warn!(
                    "connecting to {addr} ({mode}) failed ({:?}): {}",
                    e.kind,
                    e.message
                );
                Err(e)
            }
        }
    }

    async fn connect_to(cfg: ClientConfig, target: uri::Target) -> Result<Client> {
        let nonempty =
            |s: &Option<String>| s.as_deref().filter(|v| !v.is_empty()).map(str::to_string);
        let token = nonempty(&cfg.token)
            .or_else(|| {
                nonempty(&cfg.user)
                    .map(|u| format!("{u}:{}", cfg.password.as_deref().unwrap_or("")))
            })
            .or(target.token.clone());
        let db = nonempty(&cfg.db_name)
            .or(target.db_name.clone())
            .unwrap_or_default();
        let authorization = match token {
            Some(t) => {
                let mut v = AsciiMetadataValue::try_from(
                    base64::engine::general_purpose::STANDARD.encode(t),
                )
                .map_err(|_| Error::new(ErrorKind::Internal, "base64 produced a bad header"))?;
                // Debug output of the header (or a request carrying it) shows "Sensitive".
                v.set_sensitive(true);
                Some(v)
            }
            None => None,
        };
        let db_value = ascii_value("db_name", &db)?;
        let connect_timeout = cfg.timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        let channel = tokio::time::timeout(
            connect_timeout,
            channel::open_channel(&target.address, &cfg.tls, &cfg.keepalive, connect_timeout),
        )
        .await
        .map_err(|_| {
            Error::new(
                ErrorKind::Timeout,
                format!("connecting to {} timed out", cfg_addr(&target.address)),
            )
        })??;
        let svc = MilvusServiceClient::new(channel.clone())
            .max_decoding_message_size(usize::MAX)
            .max_encoding_message_size(usize::MAX);
        let mut client = Client {
            svc,
            channel,
            authorization,
            identifier: None,
            server_info: None,
            build_tags: String::new(),
            last_flush_all_ts: Default::default(),
            server: cfg_addr(&target.address),
            host: match &target.address {
                Address::Tcp { host, .. } => host.clone(),
                Address::Unix(p) => p.clone(),
            },
            db_name: RwLock::new((db, db_value)),
            timeout: cfg.timeout,
            schemas: Mutex::new(HashMap::new()),
            calls: Default::default(),
            retry: cfg.retry,
            closed: vec![Default::default()],
            cluster_id: None,
        };
        if let Some((identifier, info)) = client
            .handshake(connect_timeout, &target.address, &cfg.tls)
            .await?
        {
            client.identifier = Some(identifier);
            client.build_tags = info.build_tags.clone();
            client.server_info = Some(info);
        }
        Ok(client)
    }

    /// The Connect RPC: the identifier to send with later calls, and the server's build tags.
    async fn handshake(
        &self,
        timeout: Duration,
        addr: &Address,
        tls: &TlsOptions,
    ) -> Result<Option<(AsciiMetadataValue, common::ServerInfo)>> {
        let req = ConnectRequest {
            base: None,
            client_info: Some(ClientInfo {
                sdk_type: "libmilvus".into(),
                sdk_version: env!("CARGO_PKG_VERSION").into(),
                local_time: python_datetime(std::time::SystemTime::now()),
                host: host_name(),
                ..Default::default()
            }),
        };
        let mut request = tonic::Request::new(req);
        if let Some(auth) = &self.authorization {
            request.metadata_mut().insert("authorization", auth.clone());
        }
        request.set_timeout(timeout);
        match self.svc.clone().connect(request).await {
            Ok(resp) => {
                let resp = resp.into_inner();
                classify::reply(resp.status.as_ref())?;
                Ok(Some((
                    ascii_value("identifier", &resp.identifier.to_string())?,
                    resp.server_info.unwrap_or_default(),
                )))
            }
            // Servers older than the Connect RPC still serve everything else.
            Err(s) if s.code() == tonic::Code::Unimplemented => Ok(None),
            Err(s) => {
                let mut why = channel::tls_failure(&s, tls, addr);
                // A refused client certificate reaches the RPC only as a closed connection.
                if why.is_none() && matches!(addr, Address::Tcp { tls: true, .. }) {
                    use tonic::Code;
                    if matches!(
                        s.code(),
                        Code::Cancelled | Code::Unavailable | Code::Unknown
                    ) {
                        why = channel::probe(addr, tls, timeout).await;
                    }
                }
                if let Some(why) = why {
                    return Err(Error {
                        grpc_code: s.code() as i32,
                        ..Error::new(
                            ErrorKind::Tls,
                            format!("TLS with {}: {why}", cfg_addr(addr)),
                        )
                    });
                }
                let mut e = Error::from(s);
                // Nothing cancels the handshake: CANCELLED here is a connection that closed.
                if matches!(
                    e.kind,
                    ErrorKind::Unavailable | ErrorKind::Transport | ErrorKind::Cancelled
                ) {
                    e.kind = ErrorKind::Connect;
                    e.message = format!("cannot connect to {}: {}", cfg_addr(addr), e.message);
                    // A TLS server drops a plain-text client right after it connected.
                    if let Address::Tcp { tls: false, .. } = addr {
                        e.message.push_str(
                            " (if the server requires TLS, use an https:// uri or secure: true)",
                        );
                    }
                }
                Err(e)
            }
        }
    }

    /// Remembers a write's timestamp for Session-consistent reads of the collection.
    /// A server that returns no timestamp (Milvus 2.3 on delete) gets the client's clock as a
    /// hybrid timestamp, which is later than the write.
    pub(crate) fn record_write(&self, collection: &str, ts: u64) {
        let ts = if ts != 0 { ts } else { session::now_ts() };
        session::record(&self.server, &self.db_name(), collection, ts);
    }

    /// The newest write timestamp this process knows for the collection.
    pub fn last_write_ts(&self, collection: &str) -> Option<u64> {
        session::last_write(&self.server, &self.db_name(), collection)
    }

    /// The server's version as (major, minor, patch), when it reported one at Connect
    /// ("v2.3.5-lite" → (2, 3, 5)). For refusing features an older server would silently drop.
    pub fn server_version(&self) -> Option<(u32, u32, u32)> {
        parse_version(&self.build_tags)
    }

    /// The host name (or unix socket path) this client is connected to.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The database this client sends with every call ("" = the server's default).
    pub fn db_name(&self) -> String {
        self.db_name.read().map(|g| g.0.clone()).unwrap_or_default()
    }

    /// Switches the database sent with later calls, for this client only.
    pub fn set_db_name(&self, db: &str) -> Result<()> {
        let value = ascii_value("db_name", db)?;
        if let Ok(mut g) = self.db_name.write() {
            *g = (db.to_string(), value);
        }
        Ok(())
    }

    fn deadline(&self, opts: &CallOpts) -> Option<Duration> {
        opts.timeout.or(self.timeout)
    }

    /// Wraps a message with the headers every call carries and the call's deadline.
    fn request<T>(&self, msg: T, opts: &CallOpts) -> tonic::Request<T> {
        let mut req = tonic::Request::new(msg);
        let md: &mut MetadataMap = req.metadata_mut();
        if let Ok(g) = self.db_name.read() {
            md.insert("dbname", g.1.clone());
        }
        if let Some(id) = &self.identifier {
            md.insert("identifier", id.clone());
        }
        if let Some(auth) = &self.authorization {
            md.insert("authorization", auth.clone());
        }
        if let Some(t) = self.deadline(opts) {
            req.set_timeout(t);
        }
        req
    }
}

/// When a polled operation must be finished by, from the call's deadline.
pub(crate) struct Waiter {
    until: Option<Instant>,
    what: String,
}

impl Waiter {
    pub(crate) fn new(client: &Client, opts: &CallOpts, what: String) -> Self {
        Waiter {
            until: client.deadline(opts).map(|d| Instant::now() + d),
            what,
        }
    }

    /// Options for one poll RPC: whatever is left of the budget.
    pub(crate) fn opts(&self) -> Result<CallOpts> {
        match self.until {
            None => Ok(CallOpts::default()),
            Some(t) => match t.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => Ok(CallOpts {
                    timeout: Some(left),
                    ..Default::default()
                }),
                _ => Err(Error::new(
                    ErrorKind::Timeout,
                    format!("timed out waiting for {}", self.what),
                )),
            },
        }
    }

    /// Sleeps `d`, or until the deadline when that comes first.
    pub(crate) async fn pause(&self, d: Duration) -> Result<()> {
        let d = match self.opts()?.timeout {
            Some(left) => d.min(left),
            None => d,
        };
        tokio::time::sleep(d).await;
        Ok(())
    }
}

/// "v2.3.5-lite", "2.4.0", "v2.6.1-rc1" → the three numbers; None when there are none.
pub(crate) fn parse_version(tags: &str) -> Option<(u32, u32, u32)> {
    let t = tags.trim().trim_start_matches(['v', 'V']);
    let mut parts = t
        .split(|c: char| !c.is_ascii_digit())
        .take(3)
        .map(|p| p.parse::<u32>().ok());
    Some((
        parts.next()??,
        parts.next()??,
        parts.next().flatten().unwrap_or(0),
    ))
}

/// A clock reading as Python's `str(datetime)` writes it ("2024-05-01 13:45:07.123456", the
/// fraction left out when zero), as pymilvus sends its clock in Connect's client_info. In UTC:
/// the process's time zone is not known here.
pub(crate) fn python_datetime(t: std::time::SystemTime) -> String {
    let d = t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // The proleptic Gregorian date of a day count from 1970-01-01, in 400-year eras that begin
    // on March 1st (so that the leap day ends a year).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let mut out = format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        rem / 3_600,
        rem / 60 % 60,
        rem % 60
    );
    if d.subsec_micros() != 0 {
        out.push_str(&format!(".{:06}", d.subsec_micros()));
    }
    out
}

/// This machine's name, as pymilvus sends it in Connect's client_info
/// (`socket.gethostname()`); empty where it cannot be read.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod client_info_tests {
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn clock_as_python_writes_a_datetime() {
        for (secs, micros, want) in [
            (0, 0, "1970-01-01 00:00:00"),
            (951_782_400, 0, "2000-02-29 00:00:00"),
            (1_796_286_725, 833_091, "2026-12-03 08:32:05.833091"),
            (4_107_542_399, 999_999, "2100-02-28 23:59:59.999999"),
            (1_709_164_800, 5, "2024-02-29 00:00:00.000005"),
        ] {
            let t = UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_micros(micros);
            assert_eq!(super::python_datetime(t), want);
        }
    }
}

#[cfg(test)]
mod version_tests {
    #[test]
    fn versions() {
        assert_eq!(super::parse_version("v2.3.5-lite"), Some((2, 3, 5)));
        assert_eq!(super::parse_version("2.6.1"), Some((2, 6, 1)));
        assert_eq!(super::parse_version("v2.4"), Some((2, 4, 0)));
        assert_eq!(super::parse_version(""), None);
        assert_eq!(super::parse_version("milvus_lite"), None);
    }
}

fn cfg_addr(a: &Address) -> String {
    match a {
        Address::Tcp { host, port, .. } => format!("{host}:{port}"),
        Address::Unix(p) => format!("unix:{p}"),
    }
}

/// Responses that carry a `status` field.
pub(crate) trait WithStatus {
    fn status(&self) -> Option<&common::Status>;
}

/// Implements `WithStatus` for responses that carry a `status` field.
macro_rules! with_status {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::client::WithStatus for $t {
            fn status(&self) -> Option<&$crate::proto::common::Status> { self.status.as_ref() }
        }
    )*};
}
use crate::proto::milvus as m;
pub(crate) use with_status;
with_status!(
    m::GetVersionResponse,
    m::BoolResponse,
    m::DescribeCollectionResponse,
    m::ShowCollectionsResponse,
    m::GetLoadingProgressResponse,
    m::GetLoadStateResponse,
    m::GetCollectionStatisticsResponse,
    m::DescribeIndexResponse,
    m::MutationResult,
    m::SearchResults,
    m::QueryResults,
    m::FlushResponse,
    m::GetFlushStateResponse,
    m::AllocTimestampResponse,
    m::CheckHealthResponse,
);

impl WithStatus for common::Status {
    fn status(&self) -> Option<&common::Status> {
        Some(self)
    }
}

/// Sends one RPC with the client's headers, deadline and retry policy (`retry::unary`), and
/// checks the reply's status. `$method` is the generated client's method: it fixes the request
/// and reply types at compile time, and its name is the RPC's.
macro_rules! rpc {
    ($client:expr, $method:ident, $msg:expr, $opts:expr) => {{
        let msg = $msg;
        let reply = $crate::client::retry::reply_type(&msg, |mut svc, req| async move {
            svc.$method(req).await
        });
        $crate::client::retry::unary(&*$client, stringify!($method), msg, $opts, reply).await?
    }};
}
pub(crate) use rpc;

/// Client methods that send one request as given and return the checked reply:
/// `name(RequestType) -> ResponseType;` where `name` is the RPC's snake-case name.
macro_rules! passthrough {
    ($($(#[$doc:meta])* $name:ident($req:ty) -> $resp:ty;)*) => {
        impl $crate::client::Client {$(
            $(#[$doc])*
            pub async fn $name(&self, req: $req, opts: &$crate::client::CallOpts) -> $crate::error::Result<$resp> {
                Ok($crate::client::rpc!(self, $name, req, opts))
            }
        )*}
    };
}
pub(crate) use passthrough;
