//! The process-wide tokio runtime: created on first use, never torn down, shared by all clients.
//!
//! Two models, chosen once per process by `MILVUS_RUNTIME` (benches/README.md measures both):
//! - `caller` (the default): a current_thread runtime driven by the threads that wait on it. A
//!   blocking call runs its request, the connection's I/O and its reply on the calling thread,
//!   with no hand-off to another thread; when several threads call at once, one drives the
//!   connection for all and tokio passes that role on as calls end. One `libmilvus-io` thread
//!   drives it while non-blocking calls are in flight, runs their completion callbacks, and
//!   otherwise looks in once per `IDLE_TICK` (keepalive pings, a closed connection).
//! - `io`: a multi-thread runtime whose `MILVUS_IO_THREADS` threads (default 1) move every
//!   HTTP/2 frame; a blocking call encodes and decodes on its own thread and waits for them.

use crate::error::{Error, ErrorKind, Result};
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;
use tokio::runtime::{Builder, Handle, Runtime};
use tokio::sync::mpsc;

/// How often the idle `libmilvus-io` thread drives the caller-driven runtime: timers due
/// (keepalive pings are sent and their replies read), connections closed by the server.
const IDLE_TICK: Duration = Duration::from_millis(500);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Model {
    Caller,
    Io,
}

/// `MILVUS_RUNTIME`: `caller` or `io`; anything else (or unset) is the default, `caller`.
fn model_from_env() -> Model {
    match std::env::var("MILVUS_RUNTIME").as_deref().map(str::trim) {
        Ok("io") => Model::Io,
        _ => Model::Caller,
    }
}

/// I/O threads of the `io` model: `MILVUS_IO_THREADS` (1 to 64) when set, else 1. One keeps
/// every hand-off on one core: 23% less client CPU per search than two (benches/).
fn io_threads() -> usize {
    std::env::var("MILVUS_IO_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| (1..=64).contains(n))
        .unwrap_or(1)
}

type Job = Box<dyn FnOnce() + Send>;

/// The caller-driven model's `libmilvus-io` thread: what it has to run, and when to drive.
struct Driver {
    /// Non-blocking calls started and not yet delivered.
    pending: AtomicUsize,
    wake: (Mutex<()>, Condvar),
    /// Deliveries (completion callbacks, queue pushes), run on the driver thread.
    jobs: mpsc::UnboundedSender<Job>,
}

struct Shared {
    rt: &'static Runtime,
    /// The `libmilvus-io` thread of the caller-driven model (None: the `io` model).
    driver: Option<&'static Driver>,
}

static RUNTIME: OnceLock<std::result::Result<Shared, String>> = OnceLock::new();

// ---- fork detection ---------------------------------------------------------------------------

/// The process that created the runtime. A child forked after that has the runtime's state but
/// not its threads: nothing would drive I/O or timers there, so a call would hang forever.
static OWNER: OnceLock<u32> = OnceLock::new();
/// Set in a forked child by the fork hook (`note_fork`).
static FORKED: AtomicBool = AtomicBool::new(false);
/// Whether the fork hook was in place when the runtime was created: then `FORKED` is exact and
/// no call needs `getpid`.
static HOOKED: AtomicBool = AtomicBool::new(false);
static HOOK_BEFORE_RUNTIME: OnceLock<bool> = OnceLock::new();

/// Called by the FFI layer once its fork hook (`pthread_atfork`) is registered.
pub fn fork_hook_installed() {
    HOOKED.store(true, Ordering::Release);
}

/// The fork hook's child handler: async-signal-safe (one atomic store).
pub fn note_fork() {
    FORKED.store(true, Ordering::Relaxed);
}

#[inline(always)]
fn forked() -> bool {
    match HOOK_BEFORE_RUNTIME.get() {
        None => false,
        Some(true) => FORKED.load(Ordering::Relaxed),
        Some(false) => OWNER.get().is_some_and(|&pid| pid != std::process::id()),
    }
}

fn forked_error() -> Error {
    Error::new(
        ErrorKind::Runtime,
        "libmilvus was used before this process was forked: its I/O threads do not exist \
         in the child, so it cannot be used here (use it only after exec, or fork first)",
    )
}

// ---- the runtime ------------------------------------------------------------------------------

fn build() -> std::result::Result<Shared, String> {
    let _ = HOOK_BEFORE_RUNTIME.set(HOOKED.load(Ordering::Acquire));
    let _ = OWNER.set(std::process::id());
    let err = |e: std::io::Error| format!("cannot start the I/O runtime: {e}");
    match model_from_env() {
        Model::Io => Ok(Shared {
            rt: Box::leak(Box::new(
                Builder::new_multi_thread()
                    .worker_threads(io_threads())
                    .thread_name("libmilvus-io")
                    .enable_all()
                    .build()
                    .map_err(err)?,
            )),
            driver: None,
        }),
        Model::Caller => {
            let rt: &'static Runtime = Box::leak(Box::new(
                Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(err)?,
            ));
            let (jobs, rx) = mpsc::unbounded_channel();
            let driver: &'static Driver = Box::leak(Box::new(Driver {
                pending: AtomicUsize::new(0),
                wake: (Mutex::new(()), Condvar::new()),
                jobs,
            }));
            std::thread::Builder::new()
                .name("libmilvus-io".into())
                .spawn(move || drive(rt, driver, rx))
                .map_err(err)?;
            Ok(Shared {
                rt,
                driver: Some(driver),
            })
        }
    }
}

fn shared() -> Result<&'static Shared> {
    RUNTIME
        .get_or_init(build)
        .as_ref()
        .map_err(|e| Error::new(ErrorKind::Runtime, e.clone()))
}

/// The `libmilvus-io` thread of the caller-driven model.
fn drive(rt: &'static Runtime, d: &'static Driver, mut rx: mpsc::UnboundedReceiver<Job>) {
    loop {
        if let Ok(g) = d.wake.0.lock() {
            if d.pending.load(Ordering::Acquire) == 0 {
                let _ = d.wake.1.wait_timeout(g, IDLE_TICK);
            }
        }
        if d.pending.load(Ordering::Acquire) > 0 {
            rt.block_on(async {
                while d.pending.load(Ordering::Acquire) > 0 {
                    let Some(job) = rx.recv().await else { return };
                    // A panic in a delivery must not end the thread every other call needs.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                    d.pending.fetch_sub(1, Ordering::AcqRel);
                }
            });
        } else {
            // Runs what is due (timers, I/O readiness), unless a caller is driving already.
            rt.block_on(settle());
        }
    }
}

/// A few rounds of the scheduler: enough for a chain of wake-ups (a dropped client's buffer
/// task ends, then its connection task closes the socket) to run through.
async fn settle() {
    for _ in 0..8 {
        tokio::task::yield_now().await;
    }
}

/// Runs `fut` to completion on the calling thread. Refuses (rather than panicking) when the
/// caller is itself a runtime thread, where blocking would deadlock.
// Inlined into each caller: the call's future (tens of KB for a typed search) is then moved
// once less on its way to the runtime (callgrind, W2: 6% fewer instructions per search).
#[inline(always)]
pub fn block_on<F: Future>(fut: F) -> Result<F::Output> {
    if Handle::try_current().is_ok() {
        return Err(Error::new(
            ErrorKind::Runtime,
            "a blocking libmilvus call was made from inside an async runtime thread",
        ));
    }
    if forked() {
        return Err(forked_error());
    }
    Ok(shared()?.rt.block_on(fut))
}

/// Delivers a job once, even when the task carrying it is dropped before it finishes.
struct Delivery {
    driver: &'static Driver,
    job: Option<Job>,
}

impl Drop for Delivery {
    fn drop(&mut self) {
        let job = self.job.take().unwrap_or_else(|| Box::new(|| ()));
        if let Err(e) = self.driver.jobs.send(job) {
            // The driver is gone (never, as it lives as long as the process): run it here.
            (e.0)();
        }
    }
}

/// Runs `fut` on the runtime without waiting for it (the non-blocking calls), then `then` with
/// its output on a `libmilvus-io` thread, never on a thread inside a blocking call.
pub fn spawn_then<F, T>(fut: F, then: T) -> Result<()>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
    T: FnOnce(F::Output) + Send + 'static,
{
    if forked() {
        return Err(forked_error());
    }
    let s = shared()?;
    match s.driver {
        None => {
            s.rt.spawn(async move { then(fut.await) });
        }
        Some(d) => {
            if d.pending.fetch_add(1, Ordering::AcqRel) == 0 {
                let _g = d.wake.0.lock();
                d.wake.1.notify_one();
            }
            let delivery = Delivery {
                driver: d,
                job: None,
            };
            s.rt.spawn(async move {
                let mut delivery = delivery;
                let out = fut.await;
                delivery.job = Some(Box::new(move || then(out)));
                drop(delivery);
            });
        }
    }
    Ok(())
}

/// Whether the calling thread is one of the runtime's (where waiting would stall it).
pub fn on_runtime_thread() -> bool {
    Handle::try_current().is_ok()
}

/// Drops `value` with the runtime entered, so tasks it owns can be shut down cleanly.
pub fn drop_in_runtime<T>(value: T) {
    if forked() {
        // Its tasks belong to the parent's runtime: leave them be.
        std::mem::forget(value);
        return;
    }
    match shared() {
        Ok(s) if Handle::try_current().is_err() => {
            {
                let _guard = s.rt.enter();
                drop(value);
            }
            if s.driver.is_some() {
                // Nothing else may drive the runtime soon: run the teardown of what was just
                // dropped (a client's connection is closed before its free returns).
                s.rt.block_on(settle());
            }
        }
        _ => drop(value),
    }
}
