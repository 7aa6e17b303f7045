//! Logging. The library, and tonic, hyper and h2 under it, emit records through `tracing`;
//! this module is the one subscriber that reads them, and the two places they can go: stderr
//! (`MILVUS_LOG`, read once at first use) or a sink the application registers (the C callback,
//! which overrides stderr).
//!
//! Cost when nobody listens: no subscriber is installed until something does, so every
//! callsite is one relaxed load of tracing's global maximum level (OFF). When the last
//! listener goes, the filter becomes OFF and tracing's interest cache is rebuilt, which brings
//! callsites back to that cost.
//!
//! Records never carry a credential: the library's own messages name addresses, methods,
//! sizes, durations and errors (whose messages never hold a password or token), and the
//! transport's records never print header values.

use std::cell::Cell;
use std::fmt::Write as _;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{OnceLock, RwLock};
use std::time::{Duration, Instant};
use tracing::level_filters::LevelFilter;
use tracing::span;
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

/// One record, as a sink receives it. Borrowed for the sink's call only.
pub struct Record<'a> {
    pub level: Level,
    /// Where it comes from: `milvus::client::retry`, `h2::proto::connection`, ...
    pub target: &'a str,
    pub message: &'a str,
    /// The method of the call it was emitted in (`"search"`), when inside one.
    pub method: Option<&'a str>,
    /// The caller's `"call_id"` of that call, when it has one.
    pub call_id: Option<&'a str>,
}

/// Where records go when the application registers a sink.
pub type Sink = Box<dyn Fn(&Record<'_>) + Send + Sync>;

/// Which records pass: a default level and levels per target prefix, as `MILVUS_LOG` writes
/// them (`"debug"`, `"milvus=debug,h2=warn"`, `"info,tonic=off"`).
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    default: LevelFilter,
    /// Longest prefix first, so the most specific directive wins.
    targets: Vec<(String, LevelFilter)>,
}

fn parse_level(s: &str) -> Option<LevelFilter> {
    Some(match s.trim().to_ascii_lowercase().as_str() {
        "off" => LevelFilter::OFF,
        "error" => LevelFilter::ERROR,
        "warn" | "warning" => LevelFilter::WARN,
        "info" => LevelFilter::INFO,
        "debug" => LevelFilter::DEBUG,
        "trace" => LevelFilter::TRACE,
        _ => return None,
    })
}

impl Filter {
    /// Parses comma-separated directives: `level` or `target=level`. An empty text passes
    /// nothing. A directive that is not one of those is an error naming it.
    pub fn parse(text: &str) -> std::result::Result<Filter, String> {
        let mut f = Filter {
            default: LevelFilter::OFF,
            targets: Vec::new(),
        };
        for d in text.split(',').map(str::trim).filter(|d| !d.is_empty()) {
            let bad = || {
                format!("bad log directive {d:?} (want a level: error, warn, info, debug, trace or off; or target=level)")
            };
            match d.split_once('=') {
                None => f.default = parse_level(d).ok_or_else(bad)?,
                Some((target, level)) => {
                    let target = target.trim();
                    if target.is_empty() || target.contains(char::is_whitespace) {
                        return Err(bad());
                    }
                    let level = parse_level(level).ok_or_else(bad)?;
                    f.targets.retain(|(t, _)| t != target);
                    f.targets.push((target.to_string(), level));
                }
            }
        }
        f.targets.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
        Ok(f)
    }

    /// Only records at `level` or more severe.
    pub fn level(level: LevelFilter) -> Filter {
        Filter {
            default: level,
            targets: Vec::new(),
        }
    }

    fn level_for(&self, target: &str) -> LevelFilter {
        self.targets
            .iter()
            .find(|(t, _)| {
                target
                    .strip_prefix(t.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
            })
            .map_or(self.default, |(_, l)| *l)
    }

    pub fn enabled(&self, level: &Level, target: &str) -> bool {
        *level <= self.level_for(target)
    }

    fn max(&self) -> LevelFilter {
        self.targets
            .iter()
            .map(|(_, l)| *l)
            .fold(self.default, std::cmp::max)
    }
}

/// The filter of whoever listens now (the sink's, else `MILVUS_LOG`'s); None: nobody.
static FILTER: RwLock<Option<Filter>> = RwLock::new(None);
/// The application's sink, which wins over `MILVUS_LOG`.
static SINK: RwLock<Option<(Filter, Sink)>> = RwLock::new(None);
/// Serialises changes of who listens (they rebuild tracing's interest cache).
static CHANGE: std::sync::Mutex<()> = std::sync::Mutex::new(());
/// Whether anything listens: the one check a call makes when logging is off.
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Calls slower than this are logged (nanoseconds).
static SLOW_NANOS: AtomicU64 = AtomicU64::new(1_000_000_000);

thread_local! {
    /// Set while this thread runs a sink: its records are dropped, and it may not change the
    /// sink (that would wait for itself).
    static IN_SINK: Cell<bool> = const { Cell::new(false) };
}

/// `MILVUS_LOG` (and `MILVUS_LOG_SLOW_MS`), read once.
fn env_filter() -> Option<&'static Filter> {
    static ENV: OnceLock<Option<Filter>> = OnceLock::new();
    ENV.get_or_init(|| {
        if let Some(ms) = std::env::var("MILVUS_LOG_SLOW_MS")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
        {
            SLOW_NANOS.store(ms.saturating_mul(1_000_000), Ordering::Relaxed);
        }
        let text = std::env::var("MILVUS_LOG").ok()?;
        match Filter::parse(&text) {
            Ok(f) if f.max() != LevelFilter::OFF => Some(f),
            Ok(_) => None,
            Err(e) => {
                stderr_line(&format!("libmilvus: MILVUS_LOG ignored: {e}"));
                None
            }
        }
    })
    .as_ref()
}

/// Reads `MILVUS_LOG` the first time; later calls cost one load. Called when a client
/// connects and when a sink changes.
pub fn init() {
    static DONE: std::sync::Once = std::sync::Once::new();
    DONE.call_once(|| {
        if env_filter().is_some() {
            apply();
        }
    });
}

/// Registers the application's sink and its filter (replacing any earlier one), or removes it
/// (`None`), falling back to `MILVUS_LOG`. When this returns, the sink it replaced is not
/// running on any thread and will not be called again. Refused from inside a sink.
pub fn set_sink(sink: Option<(Filter, Sink)>) -> crate::Result<()> {
    if IN_SINK.with(Cell::get) {
        return Err(crate::Error::invalid(
            "the log callback cannot be changed from inside the log callback",
        ));
    }
    init();
    let _change = CHANGE.lock().unwrap_or_else(|e| e.into_inner());
    *SINK.write().unwrap_or_else(|e| e.into_inner()) = sink;
    apply_locked();
    Ok(())
}

/// Logs calls that take longer than `threshold` (at `warn`, with their duration).
pub fn set_slow_threshold(threshold: Duration) {
    init();
    let nanos = u64::try_from(threshold.as_nanos()).unwrap_or(u64::MAX);
    SLOW_NANOS.store(nanos, Ordering::Relaxed);
}

fn apply() {
    let _change = CHANGE.lock().unwrap_or_else(|e| e.into_inner());
    apply_locked();
}

/// Makes FILTER what SINK and `MILVUS_LOG` say, then has tracing ask every callsite again.
fn apply_locked() {
    let filter = {
        let sink = SINK.read().unwrap_or_else(|e| e.into_inner());
        match (&*sink, env_filter()) {
            (Some((f, _)), _) => Some(f.clone()),
            (None, Some(f)) => Some(f.clone()),
            (None, None) => None,
        }
    };
    // A filter that passes nothing ("off") costs calls nothing either.
    let active = filter.as_ref().is_some_and(|f| f.max() != LevelFilter::OFF);
    *FILTER.write().unwrap_or_else(|e| e.into_inner()) = filter;
    ACTIVE.store(active, Ordering::Relaxed);
    if active {
        install();
    }
    tracing::callsite::rebuild_interest_cache();
}

/// Installs the subscriber for the whole process, once. Fails quietly when the host (a Rust
/// program linking the rlib) has installed its own: its subscriber then gets the records.
fn install() {
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        tracing::dispatcher::set_global_default(tracing::Dispatch::new(Listener)).is_ok()
    });
}

/// Whether anything listens (for work done only to be logged, such as timing a call).
#[inline]
pub fn active() -> bool {
    ACTIVE.load(Ordering::Relaxed)
}

fn current_filter_enabled(meta: &Metadata<'_>) -> bool {
    if meta.is_span() {
        // Records carry the call's method and id themselves; spans are not needed.
        return false;
    }
    let filter = FILTER.read().unwrap_or_else(|e| e.into_inner());
    filter
        .as_ref()
        .is_some_and(|f| f.enabled(meta.level(), meta.target()))
}

struct Listener;

impl Subscriber for Listener {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        if current_filter_enabled(meta) {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        let filter = FILTER.read().unwrap_or_else(|e| e.into_inner());
        Some(filter.as_ref().map_or(LevelFilter::OFF, Filter::max))
    }

    fn enabled(&self, meta: &Metadata<'_>) -> bool {
        current_filter_enabled(meta)
    }

    fn new_span(&self, _: &span::Attributes<'_>) -> span::Id {
        span::Id::from_u64(1)
    }

    fn record(&self, _: &span::Id, _: &span::Record<'_>) {}

    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}

    fn event(&self, event: &Event<'_>) {
        let meta = event.metadata();
        // An interest cached before the last change may still let a record through.
        if IN_SINK.with(Cell::get) || !current_filter_enabled(meta) {
            return;
        }
        let mut text = Text(String::new());
        event.record(&mut text);
        CALL.try_with(|c| deliver(meta, &text.0, Some(c.method), c.call_id.as_deref()))
            .unwrap_or_else(|_| deliver(meta, &text.0, None, None));
    }

    fn enter(&self, _: &span::Id) {}

    fn exit(&self, _: &span::Id) {}
}

/// An event's message, then its other fields as ` name=value`.
struct Text(String);

impl tracing::field::Visit for Text {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "message" {
            self.0.insert_str(0, value);
        } else {
            let _ = write!(self.0, " {}={value}", field.name());
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0.insert_str(0, &format!("{value:?}"));
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }
}

fn deliver(meta: &Metadata<'_>, message: &str, method: Option<&str>, call_id: Option<&str>) {
    let record = Record {
        level: *meta.level(),
        target: meta.target(),
        message,
        method,
        call_id,
    };
    // Read-locked while the sink runs: `set_sink` waits for running sinks to return.
    let sink = SINK.read().unwrap_or_else(|e| e.into_inner());
    match &*sink {
        Some((_, s)) => {
            IN_SINK.with(|f| f.set(true));
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| s(&record)));
            IN_SINK.with(|f| f.set(false));
            drop(r);
        }
        // Without a sink (it may have been removed just now), only `MILVUS_LOG` writes.
        None => {
            drop(sink);
            if env_filter().is_some_and(|f| f.enabled(meta.level(), meta.target())) {
                stderr_line(&format_line(&record));
            }
        }
    }
}

/// The stderr form of a record: `2026-12-03 10:38:23.123456 WARN milvus::client::retry
/// [search q-1] message`.
pub fn format_line(r: &Record<'_>) -> String {
    let mut line = format!(
        "{} {:<5} {}",
        crate::client::python_datetime(std::time::SystemTime::now()),
        r.level,
        r.target
    );
    match (r.method, r.call_id) {
        (Some(m), Some(id)) => {
            let _ = write!(line, " [{m} {id}]");
        }
        (Some(m), None) => {
            let _ = write!(line, " [{m}]");
        }
        _ => {}
    }
    line.push(' ');
    line.push_str(r.message);
    line
}

fn stderr_line(line: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(line.as_bytes());
    let _ = err.write_all(b"\n");
}

/// The call a record was emitted in.
struct CallContext {
    method: &'static str,
    call_id: Option<Box<str>>,
}

tokio::task_local! {
    static CALL: CallContext;
}

/// Runs `fut`, the whole call `method` (with the caller's `call_id`, sent `request_bytes`),
/// so that its records name it; logs its duration and result size at `debug`, and a warning
/// when it is slower than the threshold. For use when `active()`: awaiting a future passed by
/// value copies it, and a call's future is large, so callers run `fut` directly otherwise.
pub async fn call<T>(
    method: &'static str,
    call_id: Option<&str>,
    request_bytes: usize,
    size: impl FnOnce(&T) -> Option<usize>,
    fut: impl Future<Output = crate::Result<T>>,
) -> crate::Result<T> {
    if !active() {
        return fut.await;
    }
    let ctx = CallContext {
        method,
        call_id: call_id.map(Into::into),
    };
    CALL.scope(ctx, async move {
        let start = Instant::now();
        let out = fut.await;
        let took = start.elapsed();
        match &out {
            Ok(v) => match size(v) {
                Some(n) => tracing::debug!(
                    "{method}: done in {took:.3?}; request {request_bytes} bytes, response {n} bytes"
                ),
                None => tracing::debug!("{method}: done in {took:.3?}; request {request_bytes} bytes"),
            },
            Err(e) => tracing::debug!(
                "{method}: failed in {took:.3?} ({:?}); request {request_bytes} bytes",
                e.kind
            ),
        }
        let slow = Duration::from_nanos(SLOW_NANOS.load(Ordering::Relaxed));
        if took >= slow {
            tracing::warn!("{method}: slow call: {took:.3?} (threshold {slow:?})");
        }
        out
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters() {
        let f = Filter::parse("warn, milvus=debug, milvus::client::retry=trace,h2=off").unwrap();
        assert!(f.enabled(&Level::WARN, "tonic::transport"));
        assert!(!f.enabled(&Level::INFO, "tonic::transport"));
        assert!(f.enabled(&Level::DEBUG, "milvus::client"));
        assert!(!f.enabled(&Level::TRACE, "milvus::client"));
        assert!(f.enabled(&Level::TRACE, "milvus::client::retry"));
        assert!(!f.enabled(&Level::ERROR, "h2::proto"));
        // A prefix matches whole path segments only.
        assert!(!f.enabled(&Level::DEBUG, "milvusx"));
        assert_eq!(f.max(), LevelFilter::TRACE);
        assert_eq!(Filter::parse("").unwrap().max(), LevelFilter::OFF);
        assert_eq!(
            Filter::parse("DEBUG").unwrap(),
            Filter::level(LevelFilter::DEBUG)
        );
        for bad in ["loud", "milvus=", "=debug", "a b=info", "milvus=verbose"] {
            assert!(Filter::parse(bad).is_err(), "{bad}");
        }
    }

    /// Nothing listening: tracing's global level is OFF, so every callsite is one load. A sink
    /// raises it to its filter's level; removing the sink brings it back to OFF.
    #[test]
    fn callsites_cost_nothing_when_nobody_listens() {
        if std::env::var_os("MILVUS_LOG").is_some() {
            return;
        }
        init();
        assert!(!active());
        assert_eq!(LevelFilter::current(), LevelFilter::OFF);
        let sink: Sink = Box::new(|_| {});
        set_sink(Some((Filter::parse("warn").unwrap(), sink))).unwrap();
        assert!(active());
        assert_eq!(LevelFilter::current(), LevelFilter::WARN);
        assert!(tracing::enabled!(Level::WARN) && !tracing::enabled!(Level::INFO));
        set_sink(None).unwrap();
        assert!(!active());
        assert_eq!(LevelFilter::current(), LevelFilter::OFF);
        assert!(!tracing::enabled!(Level::ERROR));
        let sink: Sink = Box::new(|_| {});
        set_sink(Some((Filter::parse("off").unwrap(), sink))).unwrap();
        assert!(!active());
        assert_eq!(LevelFilter::current(), LevelFilter::OFF);
        set_sink(None).unwrap();
    }

    #[test]
    fn stderr_lines_name_the_call() {
        let r = Record {
            level: Level::WARN,
            target: "milvus::client::retry",
            message: "m",
            method: Some("search"),
            call_id: Some("q-1"),
        };
        let line = format_line(&r);
        assert!(
            line.ends_with(" WARN  milvus::client::retry [search q-1] m"),
            "{line}"
        );
    }
}
