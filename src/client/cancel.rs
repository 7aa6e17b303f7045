//! Whole calls: cancellation by a caller-chosen id, and the deadline of a call that makes
//! several RPCs (each RPC has its own deadline too; this bounds their sum).

use super::Client;
use crate::error::{Error, ErrorKind, Result};
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// One in-flight call: its registration key and what wakes it to cancel.
type Slot = (u64, Arc<Notify>);

/// The in-flight calls of one client that have an id.
#[derive(Default)]
pub(crate) struct Calls {
    by_id: Mutex<HashMap<String, Vec<Slot>>>,
    next: AtomicU64,
}

/// One registered call; unregisters itself when the call ends, however it ends.
struct Registration<'a> {
    calls: &'a Calls,
    id: &'a str,
    key: u64,
    notify: Arc<Notify>,
}

impl Calls {
    fn register<'a>(&'a self, id: &'a str) -> Registration<'a> {
        let key = self.next.fetch_add(1, Ordering::Relaxed);
        let notify = Arc::new(Notify::new());
        if let Ok(mut m) = self.by_id.lock() {
            m.entry(id.to_string())
                .or_default()
                .push((key, notify.clone()));
        }
        Registration {
            calls: self,
            id,
            key,
            notify,
        }
    }

    /// Wakes every in-flight call with this id; returns how many there were.
    fn cancel(&self, id: &str) -> usize {
        let Ok(m) = self.by_id.lock() else { return 0 };
        let Some(slots) = m.get(id) else { return 0 };
        // notify_one keeps a permit when the call has not started waiting yet.
        slots.iter().for_each(|(_, n)| n.notify_one());
        slots.len()
    }
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        if let Ok(mut m) = self.calls.by_id.lock() {
            if let Some(slots) = m.get_mut(self.id) {
                slots.retain(|(k, _)| *k != self.key);
                if slots.is_empty() {
                    m.remove(self.id);
                }
            }
        }
    }
}

impl Client {
    /// Cancels every in-flight call of this client made with `call_id`: each returns
    /// `ErrorKind::Cancelled` at once. Returns how many calls were cancelled (0 is not an error:
    /// the calls may have finished already).
    pub fn cancel(&self, call_id: &str) -> usize {
        self.calls.cancel(call_id)
    }

    /// How many calls with an id are in flight (for tests: registrations must not leak).
    pub fn calls_in_flight(&self) -> usize {
        self.calls
            .by_id
            .lock()
            .map(|m| m.values().map(Vec::len).sum())
            .unwrap_or(0)
    }
}

/// Runs `fut` as the call `call_id` of `client`: `client.cancel(call_id)` from any thread makes
/// it return `ErrorKind::Cancelled` promptly, dropping whatever it was waiting for. Without an
/// id this is just `fut`.
pub async fn with_cancel<T>(
    client: &Client,
    call_id: Option<&str>,
    fut: impl Future<Output = Result<T>>,
) -> Result<T> {
    let Some(id) = call_id else { return fut.await };
    let reg = client.calls.register(id);
    tokio::select! {
        biased;
        _ = reg.notify.notified() => {
            tracing::info!("call {id:?} cancelled");
            Err(Error::new(ErrorKind::Cancelled, format!("call {id:?} was cancelled")))
        }
        r = fut => r,
    }
}

/// Bounds a whole call by `timeout`, or by the client's default deadline when it is None.
pub async fn with_deadline<T>(
    client: &Client,
    timeout: Option<Duration>,
    fut: impl Future<Output = Result<T>>,
) -> Result<T> {
    match timeout.or(client.timeout) {
        None => fut.await,
        Some(t) => tokio::time::timeout(t, fut).await.unwrap_or_else(|_| {
            tracing::warn!("deadline exceeded: the call took more than {t:?}");
            Err(Error {
                grpc_code: tonic::Code::DeadlineExceeded as i32,
                ..Error::new(
                    ErrorKind::Timeout,
                    format!("deadline exceeded: the call took more than {t:?}"),
                )
            })
        }),
    }
}
