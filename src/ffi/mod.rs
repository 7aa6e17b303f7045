//! The C surface: argument checks, the panic boundary, ownership, status mapping.
//! Every `unsafe` block of the crate lives under this module.
//!
//! Conventions of every export:
//! - It is `unsafe extern "C"` when it takes a pointer, which it may dereference (the caller
//!   vouches for it: the header's "Safety"); an export without pointer parameters is a safe
//!   `extern "C"`.
//! - Its body runs inside `boundary` (calls returning a status) or `boundary_or` (accessors
//!   returning a value, and frees), so a panic never unwinds into C. Only `milvus_version`,
//!   a constant, has no body to guard.
//! - Its signature is written out, as cbindgen does not expand macros; exports of the same
//!   shape share their body as a helper.
#![allow(non_camel_case_types)]
// The header's "Safety" section is the one contract of every export that takes a pointer.
#![allow(clippy::missing_safety_doc)]

pub mod arrow;
pub mod buffer;
pub mod cancel;
pub mod client;
pub mod columns;
pub mod completion;
pub mod error;
mod fork;
pub mod iterator;
pub mod log;
pub mod methods;
pub mod result;
pub mod session;
pub mod status;
pub mod text_search;
pub mod typed_calls;

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

/// Runs `f`, catching a panic without printing it.
fn catch<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    quiet_caught_panics();
    let outer = IN_BOUNDARY.with(|b| b.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    IN_BOUNDARY.with(|b| b.set(outer));
    result
}

/// Runs `f`, turning a panic into `MILVUS_ERR_PANIC` and a failure into a status plus, when
/// `error_out` is not NULL, an owned `milvus_error`. `*error_out` is NULL on success.
pub(crate) fn boundary(
    error_out: *mut *mut milvus_error,
    f: impl FnOnce() -> Result<()>,
) -> milvus_status {
    // SAFETY: a non-NULL error_out must point to writable storage for one pointer (header contract).
    let slot = unsafe { error_out.as_mut() };
    let result = catch(f).unwrap_or_else(|panic| Err(panic_error(panic)));
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

/// The error a caught panic becomes: `MILVUS_ERR_PANIC` with the panic's message.
fn panic_error(panic: Box<dyn std::any::Any + Send>) -> Error {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    Error::new(ErrorKind::Panic, format!("internal error (panic): {what}"))
}

/// The boundary of exports that return a value rather than a status (accessors) or nothing
/// (frees): runs `f`, giving `default` if it panics. The defaults are documented with the
/// objects: the value an accessor gives for a NULL argument.
pub(crate) fn boundary_or<T>(default: T, f: impl FnOnce() -> T) -> T {
    catch(f).unwrap_or(default)
}

/// Frees what `Box::into_raw` handed to the caller. NULL is a no-op.
///
/// # Safety
/// `p` must be NULL or come from `Box::into_raw` in this library and not be freed yet.
pub(crate) unsafe fn free_box<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: per this function's contract, and it is freed once.
        boundary_or((), || drop(unsafe { Box::from_raw(p) }));
    }
}

/// Checks an export's out-parameter `out` (NULL: an error naming `what`), then writes what
/// `f` makes; nothing is written on failure. Like `boundary` with `error_out`, it relies on
/// the header's contract that a non-NULL out-parameter is writable.
pub(crate) fn put_out<T>(out: *mut T, what: &str, f: impl FnOnce() -> Result<T>) -> Result<()> {
    if out.is_null() {
        return Err(null(what));
    }
    let value = f()?;
    // SAFETY: non-NULL, and writable per the header contract.
    unsafe { out.write(value) };
    Ok(())
}

/// `put_out` for two out-parameters, checked in order; `names` name them in errors.
pub(crate) fn put_pair<A, B>(
    a: *mut A,
    b: *mut B,
    names: [&str; 2],
    f: impl FnOnce() -> Result<(A, B)>,
) -> Result<()> {
    if a.is_null() || b.is_null() {
        return Err(null(if a.is_null() { names[0] } else { names[1] }));
    }
    let (x, y) = f()?;
    // SAFETY: both non-NULL, and writable per the header contract.
    unsafe { (a.write(x), b.write(y)) };
    Ok(())
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

/// Borrows `len` elements at `ptr` (NULL is fine when `len` is 0).
///
/// # Safety
/// A non-NULL `ptr` must point to `len` readable elements that stay valid for `'a`.
pub(crate) unsafe fn slice<'a, T>(ptr: *const T, len: usize, what: &str) -> Result<&'a [T]> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(null(what));
    }
    if !ptr.is_aligned() {
        return Err(Error::invalid(format!(
            "{what} is not aligned for its element type"
        )));
    }
    if len > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
        return Err(Error::invalid(format!(
            "{what}: {len} elements is too many"
        )));
    }
    // SAFETY: non-NULL, aligned, and the caller vouches for len readable elements.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary_or_gives_the_default_for_a_panic() {
        assert_eq!(boundary_or(7, || 1), 1);
        assert_eq!(boundary_or(7, || -> i32 { panic!("a bug") }), 7);
        // Still inside no boundary afterwards: later panics reach the previous hook.
        assert!(!IN_BOUNDARY.with(Cell::get));
    }

    #[test]
    fn put_pair_names_the_first_null_and_writes_nothing_on_failure() {
        let (mut a, mut b) = (0u8, 0u8);
        let err = put_pair(&mut a, std::ptr::null_mut::<u8>(), ["a", "b"], || {
            Ok((1, 2))
        });
        let err = err.unwrap_err();
        assert_eq!(
            (err.kind, err.message.as_str()),
            (ErrorKind::NullArgument, "b is NULL")
        );
        let err = put_pair(&mut a, &mut b, ["a", "b"], || Err(null("x")));
        assert!(err.is_err() && (a, b) == (0, 0));
        put_pair(&mut a, &mut b, ["a", "b"], || Ok((1, 2))).unwrap();
        assert_eq!((a, b), (1, 2));
    }
}
