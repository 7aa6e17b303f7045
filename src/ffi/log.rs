//! Logging from C: a callback that receives every record, and the slow-call threshold.

use super::error::milvus_error;
use super::status::milvus_status;
use super::{boundary, opt_str};
use crate::error::Error;
use crate::log::{self, Filter, Record};
use std::ffi::{c_char, c_void, CString};
use std::time::Duration;
use tracing::Level;

/// A record's severity (`milvus_log_callback`'s `level`).
pub type milvus_log_level = i32;
pub const MILVUS_LOG_ERROR: milvus_log_level = 1;
pub const MILVUS_LOG_WARN: milvus_log_level = 2;
pub const MILVUS_LOG_INFO: milvus_log_level = 3;
pub const MILVUS_LOG_DEBUG: milvus_log_level = 4;
pub const MILVUS_LOG_TRACE: milvus_log_level = 5;

/// Receives one log record. `target` names where it comes from (`"milvus::client::retry"`,
/// `"h2::proto::connection"`, ...); `message` is the record's UTF-8 text; `method` (e.g.
/// `"search"`) and `call_id` (the call's `"call_id"` argument) are NULL outside a call, and
/// `call_id` also when the call has none. The strings are valid only during the callback.
///
/// It runs on the thread that emitted the record: a thread that is making a call, or one of
/// the library's I/O threads (connections, reconnects). It may run on several threads at
/// once. It must not call any libmilvus function (a call from an I/O thread would fail with
/// MILVUS_ERR_RUNTIME, and changing the callback from inside it is refused); it should return
/// quickly, as the call that emitted the record waits for it.
pub type milvus_log_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        level: milvus_log_level,
        target: *const c_char,
        message: *const c_char,
        method: *const c_char,
        call_id: *const c_char,
    ),
>;

/// The application's callback and its pointer, called from any thread.
struct Callback {
    f: unsafe extern "C" fn(
        *mut c_void,
        milvus_log_level,
        *const c_char,
        *const c_char,
        *const c_char,
        *const c_char,
    ),
    user_data: *mut c_void,
}

// SAFETY: the header requires the callback to accept calls from any thread, with this
// user_data, until milvus_log_set_callback replaces it (which waits for running calls).
unsafe impl Send for Callback {}
// SAFETY: as above; the pointer is only passed back to the callback, never dereferenced here.
unsafe impl Sync for Callback {}

/// A NUL-terminated copy; an interior NUL (from a server's message) is written as `\0`.
fn c_text(s: &str) -> CString {
    CString::new(s).unwrap_or_else(|_| {
        CString::new(s.replace('\0', "\\0")).expect("no NUL left after replacing them")
    })
}

fn level_of(l: Level) -> milvus_log_level {
    match l {
        Level::ERROR => MILVUS_LOG_ERROR,
        Level::WARN => MILVUS_LOG_WARN,
        Level::INFO => MILVUS_LOG_INFO,
        Level::DEBUG => MILVUS_LOG_DEBUG,
        _ => MILVUS_LOG_TRACE,
    }
}

impl Callback {
    fn deliver(&self, r: &Record<'_>) {
        let (target, message) = (c_text(r.target), c_text(r.message));
        let (method, call_id) = (r.method.map(c_text), r.call_id.map(c_text));
        let ptr = |s: &Option<CString>| s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr());
        // SAFETY: the callback was registered for exactly this use (see the Send/Sync note);
        // every string is NUL-terminated and outlives the call.
        unsafe {
            (self.f)(
                self.user_data,
                level_of(r.level),
                target.as_ptr(),
                message.as_ptr(),
                ptr(&method),
                ptr(&call_id),
            )
        }
    }
}

/// Sends the library's log records to `callback` (with `user_data`), replacing any callback
/// set before; a NULL `callback` removes it. While a callback is set, `MILVUS_LOG` writes
/// nothing to stderr; after removal it does again (when set).
///
/// `filter` chooses the records, as `MILVUS_LOG` does: a level (`"error"`, `"warn"`,
/// `"info"`, `"debug"`, `"trace"`, `"off"`) and/or `target=level` pairs, comma-separated
/// (`"info,milvus=debug,h2=off"`); NULL means `"info"`. A bad filter is
/// `MILVUS_ERR_INVALID_ARGUMENT` and leaves the current callback in place.
///
/// May be called at any time, from any thread. When it returns, the callback it replaced is
/// not running on any thread and is never called again, so its `user_data` may be freed.
/// Called from inside the callback it is `MILVUS_ERR_INVALID_ARGUMENT` (it would wait for
/// itself). The records never contain passwords, tokens, authorization headers or the
/// credentials of a URI. See `milvus_log_callback` for the thread it runs on.
#[no_mangle]
pub unsafe extern "C" fn milvus_log_set_callback(
    filter: *const c_char,
    callback: milvus_log_callback,
    user_data: *mut c_void,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        let Some(f) = callback else {
            return log::set_sink(None);
        };
        // SAFETY: filter is NULL or a NUL-terminated string valid for this call (header contract).
        let text = unsafe { opt_str(filter, "filter") }?.unwrap_or("info");
        let filter = Filter::parse(text).map_err(|e| Error::invalid(format!("filter: {e}")))?;
        let cb = Callback { f, user_data };
        log::set_sink(Some((filter, Box::new(move |r| cb.deliver(r)))))
    })
}

/// Calls that take `seconds` or longer are logged at warn level with their duration (default
/// 1 s, or the environment variable `MILVUS_LOG_SLOW_MS` in milliseconds, read at first use).
/// A negative, NaN or infinite value is `MILVUS_ERR_INVALID_ARGUMENT`. Any thread, any time.
#[no_mangle]
pub unsafe extern "C" fn milvus_log_set_slow_call_threshold(
    seconds: f64,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        let d = Duration::try_from_secs_f64(seconds).map_err(|_| {
            Error::invalid(format!(
                "seconds must be a finite number >= 0, not {seconds}"
            ))
        })?;
        log::set_slow_threshold(d);
        Ok(())
    })
}
