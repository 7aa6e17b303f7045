//! Non-blocking calls: started on the caller's thread, run on the I/O runtime, and completed
//! through a callback or a completion queue the caller polls (docs/guide.md "Non-blocking
//! calls").

use super::buffer::milvus_buffer;
use super::client::milvus_client;
use super::columns::{milvus_columns, shared};
use super::error::milvus_error;
use super::result::milvus_result;
use super::status::{milvus_status, status_of, MILVUS_OK};
use super::{boundary, boundary_or, catch, null, opt_str, panic_error, put_out, req_str};
use crate::api::{self, typed};
use crate::client::{with_cancel, with_deadline, Client};
use crate::codec::columns::Columns;
use crate::codec::typed::TypedResult;
use crate::error::{Error, ErrorKind, Result};
use crate::runtime;
use std::collections::VecDeque;
use std::ffi::{c_char, c_void};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// One finished non-blocking call: its status and its result or error, taken with
/// `milvus_completion_take`, then freed with `milvus_completion_free`. Owned by whoever
/// received it (the callback, or the caller of `milvus_completion_queue_pop`).
pub struct milvus_completion {
    status: milvus_status,
    user_data: UserData,
    payload: Payload,
}

enum Payload {
    Json(Vec<u8>),
    Typed(Box<TypedResult>),
    Failed(Error),
    Taken,
}

/// The caller's `user_data`, handed back untouched: never dereferenced here.
#[derive(Clone, Copy)]
struct UserData(*mut c_void);
// SAFETY: an opaque value the library only stores and returns; the caller decides its use.
unsafe impl Send for UserData {}

/// Called once per started call, on a libmilvus I/O thread (named `libmilvus-io`), with the
/// completion (the callee owns it: free it with `milvus_completion_free`, there or later) and
/// the `user_data` given when the call was started. Completions of different calls may arrive
/// in any order, one at a time per I/O thread. The callback must return quickly and must not
/// block: while it runs, no other call on its I/O thread makes progress. It may take and free
/// the completion, start more non-blocking calls and signal the application's own threads; a
/// blocking libmilvus call made from it fails with `MILVUS_ERR_RUNTIME`.
pub type milvus_completion_callback =
    Option<unsafe extern "C" fn(completion: *mut milvus_completion, user_data: *mut c_void)>;

/// Where a call's completion goes.
enum Target {
    Callback(unsafe extern "C" fn(*mut milvus_completion, *mut c_void)),
    Queue(Arc<Queue>),
}

// SAFETY: a C function pointer, callable from any thread per the callback's documented contract.
unsafe impl Send for Target {}

impl Target {
    fn deliver(self, c: milvus_completion) {
        match self {
            Target::Callback(f) => {
                let user_data = c.user_data.0;
                let c = Box::into_raw(Box::new(c));
                // SAFETY: the callback's contract (header): it takes ownership of `c`.
                unsafe { f(c, user_data) }
            }
            Target::Queue(q) => q.push(c),
        }
    }
}

// ---- completion queues ------------------------------------------------------------------------

/// A queue of completions the caller owns: started calls push their completions here, and the
/// caller pops them (`milvus_completion_queue_pop`, `milvus_completion_queue_wait`) on any
/// thread. Its file descriptor (`milvus_completion_queue_fd`) is readable while the queue holds
/// a completion, for epoll, kqueue, poll or libuv. Free it with `milvus_completion_queue_free`.
pub struct milvus_completion_queue {
    inner: Arc<Queue>,
}

struct Queue {
    items: Mutex<Items>,
    ready: Condvar,
    signal: Signal,
}

struct Items {
    list: VecDeque<milvus_completion>,
    /// Freed by its owner: later completions are dropped as they arrive.
    closed: bool,
}

impl Queue {
    fn push(&self, c: milvus_completion) {
        let Ok(mut items) = self.items.lock() else {
            return;
        };
        if items.closed {
            return;
        }
        items.list.push_back(c);
        if items.list.len() == 1 {
            self.signal.raise();
        }
        self.ready.notify_one();
    }

    /// The oldest completion, waiting up to `timeout` for one (None: not at all).
    fn pop(&self, timeout: Option<Duration>) -> Option<milvus_completion> {
        let mut items = self.items.lock().ok()?;
        if let Some(t) = timeout {
            // None: beyond what an Instant holds (Duration::MAX), so no end at all.
            let end = Instant::now().checked_add(t);
            while items.list.is_empty() {
                items = match end {
                    None => self.ready.wait(items).ok()?,
                    Some(end) => {
                        let left = end.saturating_duration_since(Instant::now());
                        if left.is_zero() {
                            break;
                        }
                        self.ready.wait_timeout(items, left).ok()?.0
                    }
                };
            }
        }
        let c = items.list.pop_front()?;
        if items.list.is_empty() {
            self.signal.clear();
        }
        Some(c)
    }
}

/// The readiness of a queue's file descriptor: raised when the queue stops being empty,
/// cleared when it becomes empty again (both under the queue's lock).
struct Signal {
    read_fd: i32,
    write_fd: i32,
}

impl Signal {
    #[cfg(target_os = "linux")]
    fn new() -> Result<Signal> {
        // SAFETY: eventfd takes no pointers; the descriptor is owned by the Signal.
        let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
        if fd < 0 {
            return Err(os_error("eventfd"));
        }
        Ok(Signal {
            read_fd: fd,
            write_fd: fd,
        })
    }

    #[cfg(not(target_os = "linux"))]
    fn new() -> Result<Signal> {
        let mut fds = [0i32; 2];
        // SAFETY: fds has room for the two descriptors pipe writes.
        if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
            return Err(os_error("pipe"));
        }
        for fd in fds {
            // SAFETY: fcntl on descriptors this Signal owns.
            unsafe {
                libc::fcntl(fd, libc::F_SETFL, libc::O_NONBLOCK);
                libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
            }
        }
        Ok(Signal {
            read_fd: fds[0],
            write_fd: fds[1],
        })
    }

    fn raise(&self) {
        let one: u64 = 1;
        // SAFETY: writes 8 bytes from a live u64 to a descriptor this Signal owns. A full
        // eventfd or pipe already reads as ready, so a failed write loses nothing.
        unsafe { libc::write(self.write_fd, (&one as *const u64).cast(), 8) };
    }

    fn clear(&self) {
        let mut buf = [0u8; 64];
        // SAFETY: reads into a live buffer from a non-blocking descriptor this Signal owns,
        // until it would block: then the descriptor no longer reads as ready.
        while unsafe { libc::read(self.read_fd, buf.as_mut_ptr().cast(), buf.len()) } > 0 {}
    }
}

impl Drop for Signal {
    fn drop(&mut self) {
        // SAFETY: closes the descriptors this Signal owns, once.
        unsafe {
            libc::close(self.read_fd);
            if self.write_fd != self.read_fd {
                libc::close(self.write_fd);
            }
        }
    }
}

fn os_error(what: &str) -> Error {
    Error::new(
        ErrorKind::Runtime,
        format!(
            "cannot make the completion queue's {what}: {}",
            std::io::Error::last_os_error()
        ),
    )
}

/// Makes an empty completion queue. On success `*queue_out` receives a queue owned by the
/// caller, freed with `milvus_completion_queue_free`.
#[no_mangle]
pub unsafe extern "C" fn milvus_completion_queue_new(
    queue_out: *mut *mut milvus_completion_queue,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        put_out(queue_out, "queue_out", || {
            let inner = Arc::new(Queue {
                items: Mutex::new(Items {
                    list: VecDeque::new(),
                    closed: false,
                }),
                ready: Condvar::new(),
                signal: Signal::new()?,
            });
            Ok(Box::into_raw(Box::new(milvus_completion_queue { inner })))
        })
    })
}

/// A file descriptor that reads as ready (readable) while the queue holds a completion; -1
/// for NULL. Watch it for readability (level-triggered: it stays ready until the queue is
/// empty), then pop until `milvus_completion_queue_pop` gives NULL. Do not read, write or close
/// it: it belongs to the queue and is closed by `milvus_completion_queue_free`.
#[no_mangle]
pub unsafe extern "C" fn milvus_completion_queue_fd(queue: *const milvus_completion_queue) -> i32 {
    // SAFETY: queue is NULL or live (header contract).
    boundary_or(-1, || {
        unsafe { queue.as_ref() }.map_or(-1, |q| q.inner.signal.read_fd)
    })
}

/// The oldest completion in the queue, without waiting: NULL when it is empty (or NULL). The
/// caller owns what it gets (`milvus_completion_free`). Any thread may pop.
#[no_mangle]
pub unsafe extern "C" fn milvus_completion_queue_pop(
    queue: *mut milvus_completion_queue,
) -> *mut milvus_completion {
    boundary_or(std::ptr::null_mut(), || {
        // SAFETY: queue is NULL or live (header contract).
        let Some(q) = (unsafe { queue.as_ref() }) else {
            return std::ptr::null_mut();
        };
        q.inner
            .pop(None)
            .map_or(std::ptr::null_mut(), |c| Box::into_raw(Box::new(c)))
    })
}

/// As `milvus_completion_queue_pop`, waiting up to `timeout_seconds` for a completion to
/// arrive (0: not at all; a negative, NaN or infinite value waits as long as it takes). NULL
/// when none came in time.
#[no_mangle]
pub unsafe extern "C" fn milvus_completion_queue_wait(
    queue: *mut milvus_completion_queue,
    timeout_seconds: f64,
) -> *mut milvus_completion {
    boundary_or(std::ptr::null_mut(), || {
        // SAFETY: queue is NULL or live (header contract).
        let Some(q) = (unsafe { queue.as_ref() }) else {
            return std::ptr::null_mut();
        };
        let timeout = if timeout_seconds.is_finite() && timeout_seconds >= 0.0 {
            Duration::try_from_secs_f64(timeout_seconds).unwrap_or(Duration::MAX)
        } else {
            Duration::MAX
        };
        q.inner
            .pop(Some(timeout))
            .map_or(std::ptr::null_mut(), |c| Box::into_raw(Box::new(c)))
    })
}

/// Frees the queue and the completions still in it. Calls started with it and still in
/// flight complete as usual, and their completions are freed as they arrive. NULL is a no-op.
/// Must not race with other use of the same queue.
#[no_mangle]
pub unsafe extern "C" fn milvus_completion_queue_free(queue: *mut milvus_completion_queue) {
    if queue.is_null() {
        return;
    }
    boundary_or((), || {
        // SAFETY: a non-NULL queue came from milvus_completion_queue_new and is freed once.
        let q = unsafe { Box::from_raw(queue) };
        let left = q.inner.items.lock().map(|mut items| {
            items.closed = true;
            std::mem::take(&mut items.list)
        });
        // Their results are dropped with the runtime entered, as milvus_result_free does.
        if let Ok(left) = left {
            runtime::drop_in_runtime(left);
        }
    })
}

// ---- completions -------------------------------------------------------------------------------

/// The status of the call (`MILVUS_OK` when it succeeded); `MILVUS_ERR_NULL_ARGUMENT` for NULL.
#[no_mangle]
pub unsafe extern "C" fn milvus_completion_status(
    completion: *const milvus_completion,
) -> milvus_status {
    let none = status_of(ErrorKind::NullArgument);
    // SAFETY: completion is NULL or live (header contract).
    boundary_or(none, || {
        unsafe { completion.as_ref() }.map_or(none, |c| c.status)
    })
}

/// The `user_data` given when the call was started; NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn milvus_completion_user_data(
    completion: *const milvus_completion,
) -> *mut c_void {
    boundary_or(std::ptr::null_mut(), || {
        // SAFETY: completion is NULL or live (header contract).
        unsafe { completion.as_ref() }.map_or(std::ptr::null_mut(), |c| c.user_data.0)
    })
}

/// Takes the call's outcome, as the blocking form of the call would have returned it: the
/// call's status; on success the result moved to `*result_out` (calls started with
/// `milvus_client_start`: a JSON buffer, free with `milvus_buffer_free`) or `*typed_out`
/// (calls started with `milvus_client_start_typed` or `milvus_client_start_columns`: free with
/// `milvus_result_free`); on failure the error moved to `*error_out` (may be NULL to drop it).
/// The out-parameter the call's kind does not use may be NULL. Taking twice is
/// `MILVUS_ERR_INVALID_ARGUMENT`; a NULL out-parameter the result needs is
/// `MILVUS_ERR_NULL_ARGUMENT`, and the result stays in the completion.
#[no_mangle]
pub unsafe extern "C" fn milvus_completion_take(
    completion: *mut milvus_completion,
    result_out: *mut milvus_buffer,
    typed_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    let mut failed: Option<milvus_status> = None;
    let status = boundary(error_out, || {
        // SAFETY: completion is NULL or live and not used by another thread (header contract).
        let c = unsafe { completion.as_mut() }.ok_or_else(|| null("completion"))?;
        match std::mem::replace(&mut c.payload, Payload::Taken) {
            Payload::Json(bytes) => {
                if result_out.is_null() {
                    c.payload = Payload::Json(bytes);
                    return Err(null("result_out"));
                }
                put_out(result_out, "result_out", || {
                    Ok(milvus_buffer::from_vec(bytes))
                })
            }
            Payload::Typed(r) => {
                if typed_out.is_null() {
                    c.payload = Payload::Typed(r);
                    return Err(null("typed_out"));
                }
                put_out(typed_out, "typed_out", || Ok(milvus_result::boxed(*r)))
            }
            Payload::Failed(e) => {
                failed = Some(c.status);
                Err(e)
            }
            Payload::Taken => Err(Error::invalid("completion: its outcome was already taken")),
        }
    });
    // A failed call's status is its own, not that of a problem taking it.
    failed.unwrap_or(status)
}

/// Frees a completion and whatever of its outcome was not taken. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn milvus_completion_free(completion: *mut milvus_completion) {
    if completion.is_null() {
        return;
    }
    boundary_or((), || {
        // SAFETY: a non-NULL completion was handed over by this library and is freed once.
        let c = unsafe { Box::from_raw(completion) };
        runtime::drop_in_runtime(c);
    })
}

// ---- calls in flight per client --------------------------------------------------------------

/// The non-blocking calls of one client handle still in flight, so that freeing the handle
/// cancels them and waits for their completions.
pub(crate) struct InFlight {
    count: Mutex<usize>,
    idle: Condvar,
    stop: tokio::sync::watch::Sender<bool>,
}

impl Default for InFlight {
    fn default() -> Self {
        InFlight {
            count: Mutex::new(0),
            idle: Condvar::new(),
            stop: tokio::sync::watch::Sender::new(false),
        }
    }
}

impl InFlight {
    /// Cancels every call in flight, then waits until each has delivered its completion.
    /// On a libmilvus thread (inside a callback) it cannot wait, as the calls need that
    /// thread to finish: they then complete after this returns.
    pub(crate) fn cancel_all(&self) {
        self.stop.send_replace(true);
        if runtime::on_runtime_thread() {
            return;
        }
        let Ok(mut n) = self.count.lock() else {
            return;
        };
        while *n > 0 {
            match self.idle.wait(n) {
                Ok(g) => n = g,
                Err(_) => return,
            }
        }
    }

    fn begin(&self) {
        if let Ok(mut n) = self.count.lock() {
            *n += 1;
        }
    }

    fn end(&self) {
        if let Ok(mut n) = self.count.lock() {
            *n -= 1;
            if *n == 0 {
                self.idle.notify_all();
            }
        }
    }
}

/// A future whose panics become `MILVUS_ERR_PANIC` (quietly, as at the boundary).
struct CatchPanic<F>(F);

impl<T, F: Future<Output = Result<T>> + Unpin> Future for CatchPanic<F> {
    type Output = Result<T>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        let fut = Pin::new(&mut self.0);
        match catch(move || fut.poll(cx)) {
            Ok(p) => p,
            Err(panic) => Poll::Ready(Err(panic_error(panic))),
        }
    }
}

type Work = Pin<Box<dyn Future<Output = Result<Payload>> + Send>>;

/// Checks the target, then runs `work` (with the call's deadline and `call_id` from `args`)
/// on the runtime; its completion goes to the target. Errors here mean nothing was started.
///
/// # Safety
/// `client` and `queue` must be NULL or live.
unsafe fn start(
    client: *const milvus_client,
    queue: *mut milvus_completion_queue,
    callback: milvus_completion_callback,
    user_data: *mut c_void,
    method: &'static str,
    args: Option<&str>,
    work: impl FnOnce(Arc<Client>, String) -> Work,
) -> Result<()> {
    // SAFETY: per this function's contract.
    let handle = unsafe { client.as_ref() }.ok_or_else(|| null("client"))?;
    // SAFETY: per this function's contract.
    let target = match (unsafe { queue.as_ref() }, callback) {
        (Some(q), None) => Target::Queue(q.inner.clone()),
        (None, Some(f)) => Target::Callback(f),
        (None, None) => return Err(null("queue and callback")),
        (Some(_), Some(_)) => return Err(Error::invalid("give a queue or a callback, not both")),
    };
    let scope = api::call_scope(args.unwrap_or("{}"))?;
    let (timeout, call_id) = (scope.timeout, scope.call_id.clone());
    let args = scope.args.into_owned();
    let request_bytes = args.len();
    let client = handle.inner.clone();
    let in_flight = handle.in_flight.clone();
    let mut stopped = in_flight.stop.subscribe();
    let user_data = UserData(user_data);
    let fut = CatchPanic(work(client.clone(), args));
    in_flight.begin();
    let task = async move {
        let id = call_id.as_deref();
        let call = with_cancel(&client, id, with_deadline(&client, timeout, fut));
        let size = |p: &Payload| match p {
            Payload::Json(b) => Some(b.len()),
            _ => None,
        };
        let call = crate::log::call(method, id, request_bytes, size, call);
        let outcome = tokio::select! {
            biased;
            r = call => r,
            _ = stopped.wait_for(|s| *s) => Err(Error::new(
                ErrorKind::Cancelled,
                "the client was freed with this call in flight",
            )),
        };
        drop(client);
        match outcome {
            Ok(payload) => milvus_completion {
                status: MILVUS_OK,
                user_data,
                payload,
            },
            Err(e) => milvus_completion {
                status: status_of(e.kind),
                user_data,
                payload: Payload::Failed(e),
            },
        }
    };
    let done = move |c| {
        target.deliver(c);
        in_flight.end();
    };
    runtime::spawn_then(task, done).inspect_err(|_| handle.in_flight.end())
}

/// Starts the JSON method named `method` (e.g. `"search"`) with `args_json`, as
/// `milvus_client_call` would make it, without waiting for it. Its completion goes to exactly
/// one of `queue` (pushed there) or `callback` (called with it and `user_data`); give one and
/// leave the other NULL.
///
/// A call that was started completes exactly once, with the status, result or error its
/// blocking form would give: argument checks that need the server, deadlines (`"timeout"`),
/// cancellation by `"call_id"` (`milvus_client_cancel`) and retries all apply. Freeing the
/// client completes the calls still in flight with `MILVUS_ERR_CANCELLED`, and waits until
/// every one has been delivered, so no callback runs after `milvus_client_free` returns
/// (unless it is called from a callback, which cannot wait). When this returns an error,
/// nothing was started and nothing will be delivered: an unknown method
/// (`MILVUS_ERR_UNKNOWN_METHOD`), a NULL client, both or neither of queue and callback,
/// arguments that are not a JSON object (`MILVUS_ERR_INVALID_JSON`) or a bad `call_id`.
/// `method` and `args_json` are only read during this call. `user_data` is passed through.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_start(
    client: *const milvus_client,
    method: *const c_char,
    args_json: *const c_char,
    queue: *mut milvus_completion_queue,
    callback: milvus_completion_callback,
    user_data: *mut c_void,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: method and args_json are NULL or NUL-terminated strings (header contract).
        let (name, args) =
            unsafe { (req_str(method, "method")?, opt_str(args_json, "args_json")?) };
        let (method, handler) = super::methods::lookup(name).ok_or_else(|| {
            Error::new(
                ErrorKind::UnknownMethod,
                format!("no JSON method named {name:?}"),
            )
        })?;
        // SAFETY: client and queue are NULL or live (header contract).
        unsafe {
            start(
                client,
                queue,
                callback,
                user_data,
                method,
                args,
                move |c, args| Box::pin(async move { handler(&c, &args).await.map(Payload::Json) }),
            )
        }
    })
}

type TypedHandler = for<'a> fn(
    &'a Client,
    &'a str,
) -> Pin<Box<dyn Future<Output = Result<TypedResult>> + Send + 'a>>;

fn typed_handler(name: &str) -> Option<(&'static str, TypedHandler)> {
    Some(match name {
        "search" => ("search_typed", |c, a| Box::pin(typed::search_typed(c, a))),
        "hybrid_search" => ("hybrid_search_typed", |c, a| {
            Box::pin(typed::hybrid_search_typed(c, a))
        }),
        "query" => ("query_typed", |c, a| Box::pin(typed::query_typed(c, a))),
        "get" => ("get_typed", |c, a| Box::pin(typed::get_typed(c, a))),
        _ => return None,
    })
}

/// As `milvus_client_start`, for the calls with a typed result: `method` is `"search"`,
/// `"hybrid_search"`, `"query"` or `"get"`, with the JSON arguments of that method (as
/// `milvus_client_<method>_typed` takes them), and the completion holds a `milvus_result`
/// (`milvus_completion_take`'s `typed_out`). Another method is `MILVUS_ERR_UNKNOWN_METHOD`.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_start_typed(
    client: *const milvus_client,
    method: *const c_char,
    args_json: *const c_char,
    queue: *mut milvus_completion_queue,
    callback: milvus_completion_callback,
    user_data: *mut c_void,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: method and args_json are NULL or NUL-terminated strings (header contract).
        let (name, args) =
            unsafe { (req_str(method, "method")?, opt_str(args_json, "args_json")?) };
        let (method, handler) = typed_handler(name).ok_or_else(|| {
            Error::new(
                ErrorKind::UnknownMethod,
                format!("no typed call named {name:?} (search, hybrid_search, query, get)"),
            )
        })?;
        // SAFETY: client and queue are NULL or live (header contract).
        unsafe {
            start(
                client,
                queue,
                callback,
                user_data,
                method,
                args,
                move |c, args| {
                    Box::pin(async move {
                        handler(&c, &args)
                            .await
                            .map(|r| Payload::Typed(Box::new(r)))
                    })
                },
            )
        }
    })
}

type ColumnsCall = for<'a> fn(
    &'a Client,
    &'a str,
    &'a Columns,
    &'a str,
) -> Pin<Box<dyn Future<Output = Result<TypedResult>> + Send + 'a>>;

fn columns_handler(name: &str) -> Option<(&'static str, ColumnsCall)> {
    Some(match name {
        "insert" => ("insert_columns", |c, n, q, o| {
            Box::pin(typed::write_columns(c, n, q, o, false))
        }),
        "upsert" => ("upsert_columns", |c, n, q, o| {
            Box::pin(typed::write_columns(c, n, q, o, true))
        }),
        "search" => ("search_columns", |c, n, q, o| {
            Box::pin(typed::search_columns(c, n, q, o))
        }),
        "hybrid_search" => ("hybrid_search_columns", |c, n, q, o| {
            Box::pin(typed::hybrid_columns(c, n, q, o))
        }),
        _ => return None,
    })
}

/// As `milvus_client_start`, for the calls that send columns: `method` is `"insert"`,
/// `"upsert"`, `"search"` or `"hybrid_search"`, and the arguments are those of
/// `milvus_client_<method>_columns`. The call holds its own reference to the columns: the
/// caller may free `columns` as soon as this returns, but may not add to it until the call has
/// completed (adding then is `MILVUS_ERR_INVALID_ARGUMENT`). The completion holds a
/// `milvus_result`. Another method is `MILVUS_ERR_UNKNOWN_METHOD`.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_start_columns(
    client: *const milvus_client,
    method: *const c_char,
    collection_name: *const c_char,
    columns: *const milvus_columns,
    options_json: *const c_char,
    queue: *mut milvus_completion_queue,
    callback: milvus_completion_callback,
    user_data: *mut c_void,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: the strings are NULL or NUL-terminated, columns NULL or live (header contract).
        let (name, collection, cols, options) = unsafe {
            (
                req_str(method, "method")?,
                req_str(collection_name, "collection_name")?,
                shared(columns, "columns")?,
                opt_str(options_json, "options_json")?,
            )
        };
        let (method, call) = columns_handler(name).ok_or_else(|| {
            Error::new(
                ErrorKind::UnknownMethod,
                format!("no columns call named {name:?} (insert, upsert, search, hybrid_search)"),
            )
        })?;
        let collection = collection.to_string();
        // SAFETY: client and queue are NULL or live (header contract).
        unsafe {
            start(
                client,
                queue,
                callback,
                user_data,
                method,
                options,
                move |c, options| {
                    Box::pin(async move {
                        call(&c, &collection, &cols, &options)
                            .await
                            .map(|r| Payload::Typed(Box::new(r)))
                    })
                },
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(n: u8) -> milvus_completion {
        milvus_completion {
            status: MILVUS_OK,
            user_data: UserData(std::ptr::null_mut()),
            payload: Payload::Json(vec![n]),
        }
    }

    fn readable(fd: i32) -> bool {
        let mut p = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one live pollfd, no wait.
        unsafe { libc::poll(&mut p, 1, 0) == 1 }
    }

    #[test]
    fn the_queue_descriptor_is_ready_exactly_while_the_queue_holds_completions() {
        let mut q: *mut milvus_completion_queue = std::ptr::null_mut();
        // SAFETY: a live out-pointer.
        assert_eq!(
            unsafe { milvus_completion_queue_new(&mut q, std::ptr::null_mut()) },
            MILVUS_OK
        );
        // SAFETY: q is live until freed below.
        let queue = unsafe { &*q };
        // SAFETY: q is live.
        let fd = unsafe { milvus_completion_queue_fd(q) };
        assert!(fd >= 0 && !readable(fd));
        queue.inner.push(done(1));
        queue.inner.push(done(2));
        assert!(readable(fd));
        let first = queue.inner.pop(None).unwrap();
        assert!(matches!(first.payload, Payload::Json(ref b) if b == &[1]));
        assert!(readable(fd));
        assert!(queue.inner.pop(Some(Duration::ZERO)).is_some());
        assert!(!readable(fd));
        let t = Instant::now();
        assert!(queue.inner.pop(Some(Duration::from_millis(30))).is_none());
        assert!(t.elapsed() >= Duration::from_millis(30));
        queue.inner.push(done(3));
        // SAFETY: q came from milvus_completion_queue_new; freed once.
        unsafe { milvus_completion_queue_free(q) };
    }

    #[test]
    fn waiting_without_a_limit_waits_for_a_completion() {
        let mut q: *mut milvus_completion_queue = std::ptr::null_mut();
        // SAFETY: a live out-pointer.
        assert_eq!(
            unsafe { milvus_completion_queue_new(&mut q, std::ptr::null_mut()) },
            MILVUS_OK
        );
        // SAFETY: q is live until freed below.
        let inner = unsafe { &*q }.inner.clone();
        let pusher = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            inner.push(done(9));
        });
        let t = Instant::now();
        for limit in [-1.0, f64::INFINITY, f64::NAN, 1e300] {
            // SAFETY: q is live.
            let c = unsafe { milvus_completion_queue_wait(q, limit) };
            if c.is_null() {
                panic!(
                    "wait({limit}) returned without a completion after {:?}",
                    t.elapsed()
                );
            }
            // SAFETY: c came from the queue; freed once.
            unsafe { milvus_completion_free(c) };
            if limit == -1.0 {
                assert!(t.elapsed() >= Duration::from_millis(40));
            }
            // SAFETY: q is live.
            unsafe { &*q }.inner.push(done(1));
        }
        pusher.join().unwrap();
        // SAFETY: q came from milvus_completion_queue_new; freed once.
        unsafe { milvus_completion_queue_free(q) };
    }

    #[test]
    fn a_panicking_call_completes_with_the_panic_status() {
        let fut = CatchPanic(Box::pin(async { panic!("a bug") }));
        let e: Result<()> = futures_lite_block_on(fut);
        assert_eq!(e.unwrap_err().kind, ErrorKind::Panic);
    }

    fn futures_lite_block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }
}
