//! One RPC with retries: which failures earn another attempt, capped exponential backoff with
//! jitter inside the call's deadline, and a request encoded from one shared message so that a
//! retry costs no copy of it.

use super::{classify, CallOpts, Client, WithStatus};
use crate::error::{Error, ErrorKind, Result};
use crate::proto::milvus::milvus_service_client::MilvusServiceClient;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tonic::codec::{Codec, EncodeBuf, Encoder};
use tonic::transport::Channel;

/// How a client retries rate-limited and transiently failed calls. The defaults are
/// pymilvus's (`retry_on_rpc_failure`): up to 75 retries, from 10 ms, each pause three times
/// the last, up to 3 s;
/// the call's deadline always bounds the whole series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Attempts after the first; 0 disables retrying.
    pub max_retries: u32,
    /// The pause before the first retry.
    pub initial_backoff: Duration,
    /// No pause is longer.
    pub max_backoff: Duration,
    /// Each pause is the previous one times this (at least 1).
    pub multiplier: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 75,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_secs(3),
            multiplier: 3.0,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub const NONE: RetryPolicy = RetryPolicy {
        max_retries: 0,
        initial_backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
        multiplier: 1.0,
    };

    /// The pause before retry number `n` (0-based), before jitter.
    pub fn backoff(&self, n: u32) -> Duration {
        let factor = self.multiplier.max(1.0).powi(n.min(1000) as i32);
        let secs =
            (self.initial_backoff.as_secs_f64() * factor).min(self.max_backoff.as_secs_f64());
        Duration::from_secs_f64(secs.max(0.0))
    }
}

/// The `"retry"` connect option: any key may be left out (the default's value is kept).
/// Backoffs are seconds.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetryOptions {
    pub max_retries: Option<u32>,
    pub initial_backoff: Option<f64>,
    pub max_backoff: Option<f64>,
    pub backoff_multiplier: Option<f64>,
}

impl RetryOptions {
    pub fn into_policy(self) -> Result<RetryPolicy> {
        let mut p = RetryPolicy::default();
        let secs = |what: &str, v: f64| super::options::seconds(&format!("retry.{what}"), v, true);
        if let Some(n) = self.max_retries {
            p.max_retries = n;
        }
        if let Some(v) = self.initial_backoff {
            p.initial_backoff = secs("initial_backoff", v)?;
        }
        if let Some(v) = self.max_backoff {
            p.max_backoff = secs("max_backoff", v)?;
        }
        if let Some(m) = self.backoff_multiplier {
            if !(m.is_finite() && (1.0..=1000.0).contains(&m)) {
                return Err(Error::invalid(format!(
                    "retry.backoff_multiplier must be from 1 to 1000, not {m}"
                )));
            }
            p.multiplier = m;
        }
        if p.max_backoff < p.initial_backoff {
            return Err(Error::invalid(
                "retry.max_backoff must not be less than retry.initial_backoff",
            ));
        }
        Ok(p)
    }
}

/// A pause drawn uniformly from [d/2, d], so that clients refused together do not come back
/// together.
fn jitter(d: Duration) -> Duration {
    static STATE: AtomicU64 = AtomicU64::new(0x853c_49e6_748f_ea9b);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|t| t.subsec_nanos() as u64)
        .unwrap_or(0);
    // splitmix64 over a shared counter: cheap, and different for concurrent callers.
    let mut z = STATE.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed) ^ nanos;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    let unit = (z >> 11) as f64 / (1u64 << 53) as f64;
    d.mul_f64(0.5 + 0.5 * unit)
}

/// What a failed attempt allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Repeating cannot help (bad arguments, auth, deadline, a server error).
    Final,
    /// The connection failed during the call: the server may or may not have acted on it.
    Ambiguous,
    /// Certainly never reached the server (no connection could be made).
    NotSent,
    /// The server refused it for now (rate limit), without acting on it.
    Refused,
}

/// RPCs that change nothing on the server: repeating them after an ambiguous failure is safe.
/// Everything else is treated as a write.
fn is_read(method: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "describe_",
        "show_",
        "has_",
        "get_",
        "list_",
        "select_",
        "check_health",
        "query",
        "search",
        "hybrid_search",
        "run_analyzer",
        "alloc_timestamp",
        "connect",
    ];
    PREFIXES.iter().any(|p| method.starts_with(p))
}

/// Encodes a shared message: every attempt sends the same `Arc` instead of a copy.
struct SharedEncoder<T>(PhantomData<T>);

impl<T: prost::Message> Encoder for SharedEncoder<T> {
    type Item = Arc<T>;
    type Error = tonic::Status;

    fn encode(
        &mut self,
        item: Arc<T>,
        buf: &mut EncodeBuf<'_>,
    ) -> std::result::Result<(), Self::Error> {
        item.encode(buf)
            .map_err(|e| tonic::Status::internal(format!("encoding the request: {e}")))
    }
}

struct SharedCodec<T, U>(PhantomData<(T, U)>);

impl<T, U> Codec for SharedCodec<T, U>
where
    T: prost::Message + Send + Sync + 'static,
    U: prost::Message + Default + Send + 'static,
{
    type Encode = Arc<T>;
    type Decode = U;
    type Encoder = SharedEncoder<T>;
    type Decoder = tonic_prost::ProstDecoder<U>;

    fn encoder(&mut self) -> Self::Encoder {
        SharedEncoder(PhantomData)
    }

    fn decoder(&mut self) -> Self::Decoder {
        tonic_prost::ProstDecoder::default()
    }
}

/// `insert` → `/milvus.proto.milvus.MilvusService/Insert` (every name in proto/rpcs.txt
/// round-trips through snake case; a unit test keeps it so).
pub(crate) fn rpc_path(method: &str) -> Result<http::uri::PathAndQuery> {
    let mut path = String::from("/milvus.proto.milvus.MilvusService/");
    for part in method.split('_') {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            path.push(first.to_ascii_uppercase());
            path.extend(chars);
        }
    }
    http::uri::PathAndQuery::from_maybe_shared(path)
        .map_err(|e| Error::new(ErrorKind::Internal, format!("{method}: RPC path: {e}")))
}

/// Names the reply type of the generated client method that `call` invokes, without calling
/// it: `rpc!` sends through `unary` but keeps the generated client's compile-time typing.
pub(crate) fn reply_type<T, U, Fut>(
    _msg: &T,
    _call: impl FnOnce(MilvusServiceClient<Channel>, tonic::Request<T>) -> Fut,
) -> PhantomData<U>
where
    Fut: Future<Output = std::result::Result<tonic::Response<U>, tonic::Status>>,
{
    PhantomData
}

/// A failed attempt: the gRPC status, and whether the request certainly was not sent.
pub(crate) type AttemptError = (tonic::Status, bool);

/// One attempt of a unary RPC, with `left` as its deadline.
async fn attempt<T, U>(
    client: &Client,
    path: &http::uri::PathAndQuery,
    msg: Arc<T>,
    opts: &CallOpts,
    left: Option<Duration>,
) -> std::result::Result<U, AttemptError>
where
    T: prost::Message + Send + Sync + 'static,
    U: prost::Message + Default + Send + Sync + 'static,
{
    let mut req = client.request(msg, opts);
    if let Some(left) = left {
        req.set_timeout(left);
    }
    let mut grpc = tonic::client::Grpc::new(client.channel.clone())
        .max_decoding_message_size(usize::MAX)
        .max_encoding_message_size(usize::MAX);
    grpc.ready().await.map_err(|e| {
        let s = tonic::Status::unavailable(format!("the connection is not ready: {e}"));
        (s, true)
    })?;
    grpc.unary(req, path.clone(), SharedCodec::<T, U>(PhantomData))
        .await
        .map(tonic::Response::into_inner)
        .map_err(|s| {
            let unsent = classify::not_sent(&s);
            (s, unsent)
        })
}

/// Sends one RPC with the client's headers, deadline and retry policy, and checks the reply's
/// status. Errors name `method`.
pub(crate) async fn unary<T, U>(
    client: &Client,
    method: &'static str,
    msg: T,
    opts: &CallOpts,
    _reply: PhantomData<U>,
) -> Result<U>
where
    T: prost::Message + Send + Sync + 'static,
    U: prost::Message + Default + Send + Sync + 'static + WithStatus,
{
    let path = rpc_path(method)?;
    // Sizes are measured only for a listener (encoded_len walks the message).
    let sent =
        tracing::enabled!(tracing::Level::DEBUG).then(|| (msg.encoded_len(), Instant::now()));
    let msg = Arc::new(msg);
    let reply = retrying(client, method, opts, |left| {
        attempt::<T, U>(client, &path, msg.clone(), opts, left)
    })
    .await;
    if let (Some((n, start)), Ok(r)) = (sent, &reply) {
        tracing::debug!(
            "RPC {method}: {n} bytes sent, {} bytes received in {:.3?}",
            r.encoded_len(),
            start.elapsed()
        );
    }
    reply
}

/// Runs `attempt` (given what is left of the deadline) until it succeeds, fails for good, the
/// policy's retries are spent, or the deadline leaves no time for another pause. Retries rate
/// limits and transient transport failures; a write (any RPC `is_read` does not name) is
/// repeated only when it certainly was not sent or the server refused it for its rate.
/// Checks the reply's status; errors name `method`.
pub(crate) async fn retrying<U, F, Fut>(
    client: &Client,
    method: &str,
    opts: &CallOpts,
    mut attempt: F,
) -> Result<U>
where
    U: WithStatus,
    F: FnMut(Option<Duration>) -> Fut,
    Fut: Future<Output = std::result::Result<U, AttemptError>>,
{
    let policy = opts.retry.unwrap_or(client.retry);
    let until = client.deadline(opts).map(|d| Instant::now() + d);
    let read = is_read(method);
    let mut retries = 0u32;
    // The failure that earned the retry under way: a server that stays down is reported as
    // down, not as a deadline that a retry's connection attempt happened to outlast.
    let mut earlier: Option<Error> = None;
    let out_of_time = |earlier: Option<Error>, retries: u32| {
        tracing::warn!("{method}: deadline exceeded after {retries} retries");
        let (e, note) = match earlier {
            Some(e) => (e, "; the deadline passed during the next attempt"),
            None => (Error::new(ErrorKind::Timeout, "deadline exceeded"), ""),
        };
        Err(with_retries(e, retries, note).context(method))
    };
    loop {
        // A closed client sends nothing more, retries included.
        client.ensure_open().map_err(|e| e.context(method))?;
        let left = until.map(|t| t.saturating_duration_since(Instant::now()));
        if left == Some(Duration::ZERO) {
            return out_of_time(earlier, retries);
        }
        let (err, failure) = match attempt(left).await {
            Ok(resp) => match classify::reply(resp.status()) {
                Ok(()) => return Ok(resp),
                Err(e) if e.kind == ErrorKind::RateLimited => (e, Failure::Refused),
                Err(e) => (e, Failure::Final),
            },
            Err((s, unsent)) => {
                let e = Error::from(s.clone());
                if e.kind == ErrorKind::Timeout && earlier.is_some() {
                    return out_of_time(earlier, retries);
                }
                let f = classify::attempt(&s, &e, unsent);
                (e, f)
            }
        };
        let allowed = match failure {
            Failure::Final => false,
            Failure::Ambiguous => read,
            Failure::NotSent | Failure::Refused => true,
        };
        if !allowed {
            let note = if failure == Failure::Ambiguous {
                "; not repeated: the server may have received this write"
            } else {
                ""
            };
            return Err(failed(with_retries(err, retries, note).context(method)));
        }
        if retries >= policy.max_retries {
            return Err(failed(with_retries(err, retries, "").context(method)));
        }
        let pause = jitter(policy.backoff(retries));
        if until.is_some_and(|t| Instant::now() + pause >= t) {
            let note = "; the deadline leaves no time for another attempt";
            return Err(failed(with_retries(err, retries, note).context(method)));
        }
        tracing::warn!(
            "{method}: retry {} of {} in {pause:.3?} after {:?}: {}",
            retries + 1,
            policy.max_retries,
            err.kind,
            err.message
        );
        tokio::time::sleep(pause).await;
        retries += 1;
        earlier = Some(err);
    }
}

/// Logs an RPC's final failure (the message names the RPC, and a server error's code).
fn failed(e: Error) -> Error {
    match e.kind {
        ErrorKind::Timeout => tracing::warn!("deadline exceeded: {}", e.message),
        kind => tracing::warn!("failed ({kind:?}): {}", e.message),
    }
    e
}

/// Says how many retries came before the error, and why there were no more.
fn with_retries(mut e: Error, retries: u32, note: &str) -> Error {
    match retries {
        0 if note.is_empty() => {}
        0 => e
            .message
            .push_str(&format!(" ({})", note.trim_start_matches("; "))),
        1 => e.message.push_str(&format!(" (after 1 retry{note})")),
        n => e.message.push_str(&format!(" (after {n} retries{note})")),
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rpc_path_round_trips() {
        // prost names a method by snake-casing the RPC: the path must come back exactly.
        for line in include_str!("../../proto/rpcs.txt").lines() {
            let name = line.trim();
            if name.is_empty() || name.starts_with('#') || name.contains(' ') {
                continue;
            }
            let mut snake = String::new();
            let chars: Vec<char> = name.chars().collect();
            for (i, &c) in chars.iter().enumerate() {
                let boundary = i > 0
                    && c.is_ascii_uppercase()
                    && (chars[i - 1].is_ascii_lowercase()
                        || chars[i - 1].is_ascii_digit()
                        || chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase()));
                if boundary {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
            }
            assert_eq!(
                rpc_path(&snake).unwrap().as_str(),
                format!("/milvus.proto.milvus.MilvusService/{name}"),
                "{name} does not round-trip through {snake}"
            );
        }
    }

    #[test]
    fn backoff_grows_to_the_cap_with_jitter_below_it() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(0), Duration::from_millis(10));
        assert_eq!(p.backoff(1), Duration::from_millis(30));
        assert_eq!(p.backoff(2), Duration::from_millis(90));
        assert_eq!(p.backoff(10), Duration::from_secs(3));
        assert_eq!(p.backoff(u32::MAX), Duration::from_secs(3));
        for _ in 0..1000 {
            let j = jitter(Duration::from_millis(100));
            assert!(j >= Duration::from_millis(50) && j <= Duration::from_millis(100));
        }
        let spread: std::collections::HashSet<_> =
            (0..50).map(|_| jitter(Duration::from_secs(1))).collect();
        assert!(spread.len() > 40, "jitter must vary");
    }

    #[test]
    fn retry_options() {
        let p = |j: &str| {
            serde_json::from_str::<RetryOptions>(j)
                .unwrap()
                .into_policy()
        };
        assert_eq!(p("{}").unwrap(), RetryPolicy::default());
        let q = p(r#"{"max_retries": 3, "initial_backoff": 0.5, "max_backoff": 2, "backoff_multiplier": 2}"#)
            .unwrap();
        assert_eq!(q.max_retries, 3);
        assert_eq!(q.backoff(0), Duration::from_millis(500));
        assert_eq!(q.backoff(1), Duration::from_secs(1));
        assert_eq!(q.backoff(5), Duration::from_secs(2));
        assert_eq!(p(r#"{"max_retries": 0}"#).unwrap().max_retries, 0);
        for bad in [
            r#"{"initial_backoff": -1}"#,
            r#"{"backoff_multiplier": 0.5}"#,
            r#"{"initial_backoff": 5, "max_backoff": 1}"#,
        ] {
            assert_eq!(
                p(bad).unwrap_err().kind,
                ErrorKind::InvalidArgument,
                "{bad}"
            );
        }
        assert!(serde_json::from_str::<RetryOptions>(r#"{"retries": 1}"#).is_err());
        assert!(serde_json::from_str::<RetryOptions>(r#"{"max_retries": -1}"#).is_err());
    }

    #[test]
    fn what_is_worth_another_attempt() {
        use tonic::{Code, Status};
        let class = |s: Status| classify::attempt(&s, &Error::from(s.clone()), false);
        for code in [
            Code::Unauthenticated,
            Code::PermissionDenied,
            Code::InvalidArgument,
            Code::DeadlineExceeded,
            Code::Unimplemented,
            Code::Internal,
            Code::Cancelled,
            Code::AlreadyExists,
        ] {
            assert_eq!(class(Status::new(code, "x")), Failure::Final, "{code:?}");
        }
        assert_eq!(class(Status::unavailable("x")), Failure::Ambiguous);
        assert_eq!(class(Status::resource_exhausted("x")), Failure::Refused);
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(
            class(Status::from_error(Box::new(refused))),
            Failure::NotSent
        );
        let mut s = Status::unavailable("transport error");
        s.set_source(Arc::new(std::io::Error::from(
            std::io::ErrorKind::ConnectionRefused,
        )));
        assert_eq!(class(s), Failure::NotSent);
    }

    #[test]
    fn reads_and_writes() {
        for r in [
            "search",
            "query",
            "get_load_state",
            "describe_collection",
            "list_databases",
        ] {
            assert!(is_read(r), "{r}");
        }
        for w in [
            "insert",
            "upsert",
            "delete",
            "create_collection",
            "drop_index",
            "flush",
        ] {
            assert!(!is_read(w), "{w}");
        }
    }

    #[test]
    fn messages_count_retries() {
        let e = || Error::new(ErrorKind::RateLimited, "server error 8: slow down");
        assert_eq!(
            with_retries(e(), 0, "").message,
            "server error 8: slow down"
        );
        assert_eq!(
            with_retries(e(), 3, "").message,
            "server error 8: slow down (after 3 retries)"
        );
        assert_eq!(
            with_retries(e(), 0, "; why").message,
            "server error 8: slow down (why)"
        );
    }
}
