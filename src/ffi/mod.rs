//! The C surface: argument checks, the panic boundary, ownership, status mapping.
//! Every `unsafe` block of the crate lives under this module.
#![allow(non_camel_case_types)]
// The header's "Safety" section is the one contract of every export that takes a pointer.
#![allow(clippy::missing_safety_doc)]

pub mod buffer;
pub mod cancel;
pub mod client;
pub mod error;
pub mod iterator;
pub mod methods;
pub mod status;
pub mod text_search;
pub mod typed;

use crate::error::{Error, ErrorKind, Result};
use error::milvus_error;
use status::{milvus_status, status_of, MILVUS_OK};
use std::cell::Cell;
use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static IN_BOUNDARY: Cell<bool> = const { Cell::new(false) };
}

/// A panic caught at the boundary is reported through the status and error object; printing it
/// on the host's stderr as well would be noise. Other panics go to the hook that was there.
fn quiet_caught_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_BOUNDARY.with(Cell::get) {
                previous(info)
            }
        }));
    });
}

/// Runs `f`, turning a panic into `MILVUS_ERR_PANIC` and a failure into a status plus, when
/// `error_out` is not NULL, an owned `milvus_error`. `*error_out` is NULL on success.
pub(crate) fn boundary(
    error_out: *mut *mut milvus_error,
    f: impl FnOnce() -> Result<()>,
) -> milvus_status {
    // SAFETY: a non-NULL error_out must point to writable storage for one pointer (header contract).
    let slot = unsafe { error_out.as_mut() };
    quiet_caught_panics();
    let outer = IN_BOUNDARY.with(|b| b.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    IN_BOUNDARY.with(|b| b.set(outer));
    let result = result.unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Err(Error::new(
            ErrorKind::Panic,
            format!("internal error (panic): {what}"),
        ))
    });
    match result {
        Ok(()) => {
            if let Some(slot) = slot {
                *slot = std::ptr::null_mut();
            }
            MILVUS_OK
        }
        Err(e) => {
            let status = status_of(e.kind);
            if let Some(slot) = slot {
                *slot = Box::into_raw(Box::new(milvus_error::from(e)));
            }
            status
        }
    }
}

/// Borrows a C string argument; NULL gives None.
///
/// # Safety
/// `p` must be NULL or point to a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn opt_str<'a>(p: *const c_char, what: &str) -> Result<Option<&'a str>> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL and NUL-terminated per this function's contract.
    let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
    std::str::from_utf8(bytes).map(Some).map_err(|e| {
        Error::new(
            ErrorKind::InvalidUtf8,
            format!("{what} is not valid UTF-8 (byte {})", e.valid_up_to()),
        )
    })
}

/// Borrows a required C string argument.
///
/// # Safety
/// As for `opt_str`.
pub(crate) unsafe fn req_str<'a>(p: *const c_char, what: &str) -> Result<&'a str> {
    // SAFETY: forwarded contract.
    unsafe { opt_str(p, what) }?.ok_or_else(|| null(what))
}

pub(crate) fn null(what: &str) -> Error {
    Error::new(ErrorKind::NullArgument, format!("{what} is NULL"))
}
