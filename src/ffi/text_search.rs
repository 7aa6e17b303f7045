//! Full-text search on the typed path: `milvus_client_search_texts`.
//!
//! It turns the texts into the JSON `search` arguments (`api::typed::search_texts_args`) and answers
//! through `milvus_client_search_typed`, the very path of every typed search, so the request
//! and the result are those of `milvus_client_search` with texts in `data`.

use super::client::milvus_client;
use super::error::milvus_error;
use super::result::milvus_result;
use super::status::{milvus_status, MILVUS_OK};
use super::typed_calls::milvus_client_search_typed;
use super::{boundary, null, opt_str, req_str};
use crate::api;
use crate::error::{Error, ErrorKind, Result};
use std::ffi::{c_char, CStr, CString};

/// Borrows the `n` texts at `texts`, each `lengths[i]` bytes long (NUL-terminated when
/// `lengths` is NULL), checked to be UTF-8.
///
/// # Safety
/// A non-NULL `texts` must point to `n` pointers, each NULL or to a text as described; a
/// non-NULL `lengths` to `n` sizes.
unsafe fn texts<'a>(
    texts: *const *const c_char,
    lengths: *const usize,
    n: usize,
) -> Result<Vec<&'a str>> {
    if n == 0 {
        return Err(Error::invalid("nq: give at least one text"));
    }
    if texts.is_null() {
        return Err(null("texts"));
    }
    if n > isize::MAX as usize / std::mem::size_of::<usize>() {
        return Err(Error::invalid(format!("nq: {n} texts is too many")));
    }
    if !texts.is_aligned() || !lengths.is_aligned() {
        return Err(Error::invalid(
            "texts or lengths is not aligned for its element type",
        ));
    }
    // SAFETY: non-NULL and aligned; the caller vouches for n readable pointers.
    let ptrs = unsafe { std::slice::from_raw_parts(texts, n) };
    let lens = if lengths.is_null() {
        None
    } else {
        // SAFETY: non-NULL and aligned; the caller vouches for n readable sizes.
        Some(unsafe { std::slice::from_raw_parts(lengths, n) })
    };
    ptrs.iter()
        .enumerate()
        .map(|(i, p)| {
            let bytes: &[u8] = match lens {
                Some(l) if l[i] == 0 => &[],
                _ if p.is_null() => return Err(null(&format!("texts[{i}]"))),
                Some(l) if l[i] > isize::MAX as usize => {
                    return Err(Error::invalid(format!("lengths[{i}] is too large")))
                }
                // SAFETY: the caller vouches for lengths[i] readable bytes at texts[i].
                Some(l) => unsafe { std::slice::from_raw_parts(p.cast::<u8>(), l[i]) },
                // SAFETY: texts[i] is NUL-terminated when no lengths are given.
                None => unsafe { CStr::from_ptr(*p) }.to_bytes(),
            };
            std::str::from_utf8(bytes).map_err(|e| {
                Error::new(
                    ErrorKind::InvalidUtf8,
                    format!("texts[{i}] is not valid UTF-8 (byte {})", e.valid_up_to()),
                )
            })
        })
        .collect()
}

/// Full-text search: `nq` query texts for a field fed by a BM25 function (`anns_field`, its
/// SPARSE_FLOAT_VECTOR output; NULL or "" lets the server pick, as pymilvus does). Each text
/// is `lengths[i]` bytes of UTF-8 (`MILVUS_ERR_INVALID_UTF8` otherwise), or NUL-terminated when
/// `lengths` is NULL; a text of length 0 may be NULL. `options_json` holds `search`'s other
/// arguments (`limit`, `filter`, `output_fields`, `search_params`, ..., `timeout`, `call_id`;
/// naming `collection_name`, `anns_field`, `data` or `ids` is `MILVUS_ERR_INVALID_ARGUMENT`).
///
/// On success `*result_out` receives a result owned by the caller (`milvus_result_free`), as
/// from `milvus_client_search_float`; errors as for the JSON method `milvus_client_search`.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_search_texts(
    client: *const milvus_client,
    collection_name: *const c_char,
    anns_field: *const c_char,
    texts: *const *const c_char,
    lengths: *const usize,
    nq: usize,
    options_json: *const c_char,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    let mut args = CString::default();
    let status = boundary(error_out, || {
        if client.is_null() {
            return Err(null("client"));
        }
        if result_out.is_null() {
            return Err(null("result_out"));
        }
        // SAFETY: pointers are NULL or valid as the header describes.
        let (collection, field, texts, options) = unsafe {
            (
                req_str(collection_name, "collection_name")?,
                opt_str(anns_field, "anns_field")?.unwrap_or(""),
                self::texts(texts, lengths, nq)?,
                opt_str(options_json, "options_json")?.unwrap_or(""),
            )
        };
        let json = api::typed::search_texts_args(collection, field, &texts, options)?;
        // serde_json escapes every control character, so the text has no NUL byte.
        args = CString::new(json).map_err(|e| Error::invalid(format!("options_json: {e}")))?;
        Ok(())
    });
    if status != MILVUS_OK {
        return status;
    }
    // SAFETY: client and result_out were checked non-NULL and are valid per the header;
    // args is a NUL-terminated string that outlives the call.
    unsafe { milvus_client_search_typed(client, args.as_ptr(), result_out, error_out) }
}
