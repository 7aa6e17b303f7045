//! The process-wide tokio runtime: created on first use, never torn down, shared by all clients.

use crate::error::{Error, ErrorKind, Result};
use std::future::Future;
use std::sync::OnceLock;
use tokio::runtime::{Builder, Handle, Runtime};

static RUNTIME: OnceLock<std::result::Result<Runtime, String>> = OnceLock::new();
/// The process that created the runtime. A child forked after that has the runtime's state but
/// not its threads: nothing would drive I/O or timers there, so a call would hang forever.
static OWNER: OnceLock<u32> = OnceLock::new();

fn forked() -> bool {
    OWNER.get().is_some_and(|&pid| pid != std::process::id())
}

/// I/O threads: `MILVUS_IO_THREADS` (1 to 64) when set, else 1. Requests are encoded and
/// replies decoded on the calling threads; the I/O thread only moves HTTP/2 frames, and one
/// keeps every hand-off on one core: 23% less client CPU per search than two (benches/).
fn io_threads() -> usize {
    std::env::var("MILVUS_IO_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| (1..=64).contains(n))
        .unwrap_or(1)
}

fn runtime() -> Result<&'static Runtime> {
    RUNTIME
        .get_or_init(|| {
            let _ = OWNER.set(std::process::id());
            Builder::new_multi_thread()
                .worker_threads(io_threads())
                .thread_name("libmilvus-io")
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the I/O runtime: {e}"))
        })
        .as_ref()
        .map_err(|e| Error::new(ErrorKind::Runtime, e.clone()))
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
        return Err(Error::new(
            ErrorKind::Runtime,
            "libmilvus was used before this process was forked: its I/O threads do not exist \
             in the child, so it cannot be used here (use it only after exec, or fork first)",
        ));
    }
    Ok(runtime()?.block_on(fut))
}

/// Runs `fut` on the I/O runtime without waiting for it (the non-blocking calls).
pub fn spawn<F: Future<Output = ()> + Send + 'static>(fut: F) -> Result<()> {
    if forked() {
        return Err(Error::new(
            ErrorKind::Runtime,
            "libmilvus was used before this process was forked: its I/O threads do not exist \
             in the child, so it cannot be used here (use it only after exec, or fork first)",
        ));
    }
    runtime()?.spawn(fut);
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
    match runtime() {
        Ok(rt) if Handle::try_current().is_err() => {
            let _guard = rt.enter();
            drop(value);
        }
        _ => drop(value),
    }
}
