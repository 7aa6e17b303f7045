//! Iterators: the one stateful exception to the JSON-method signature.

use super::buffer::milvus_buffer;
use super::client::milvus_client;
use super::error::milvus_error;
use super::status::milvus_status;
use super::{boundary, boundary_or, null, opt_str, put_out};
use crate::api;
use crate::error::{Error, ErrorKind};
use crate::runtime;
use std::ffi::c_char;
use std::sync::Mutex;

/// A position in a paged read. Pages come from `milvus_iterator_next`; free it with
/// `milvus_iterator_free`. It keeps its own reference to the connection, so it stays usable
/// after `milvus_client_free`. Calls on one iterator are serialised.
pub struct milvus_iterator {
    inner: Mutex<api::iterator::Pager>,
}

impl milvus_iterator {
    /// Runs `f` on the iterator, calls on one iterator taking turns.
    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&mut api::iterator::Pager) -> T,
    ) -> crate::error::Result<T> {
        let mut guard = self.inner.lock().map_err(|_| {
            Error::new(
                ErrorKind::Internal,
                "the iterator was poisoned by an earlier failure",
            )
        })?;
        Ok(f(&mut guard))
    }
}

type Start =
    fn(std::sync::Arc<crate::client::Client>, &str) -> crate::error::Result<api::iterator::Pager>;

/// The shared body of the iterator constructors.
///
/// # Safety
/// Each pointer must be NULL or valid as the header describes.
unsafe fn start(
    client: *const milvus_client,
    args_json: *const c_char,
    iterator_out: *mut *mut milvus_iterator,
    error_out: *mut *mut milvus_error,
    make: Start,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: a non-NULL client came from milvus_client_new and is not freed during the call.
        let client = unsafe { client.as_ref() }.ok_or_else(|| null("client"))?;
        put_out(iterator_out, "iterator_out", || {
            // SAFETY: args_json is NULL or a NUL-terminated string valid for this call.
            let args = unsafe { opt_str(args_json, "args_json") }?.unwrap_or("{}");
            let inner = Mutex::new(make(client.inner.clone(), args)?);
            Ok(Box::into_raw(Box::new(milvus_iterator { inner })))
        })
    })
}

/// Starts a query iterator (pymilvus `query_iterator`). Args: `collection_name`, optional
/// `batch_size` (1000, at most 16384), `limit` (-1 = all rows), `filter`, `output_fields`,
/// `partition_names`, `offset`, `timeout` (per page). Rows come in primary-key order, each
/// exactly once; every page waits for the writes made before the iterator started.
///
/// On success `*iterator_out` receives an iterator owned by the caller (free it with
/// `milvus_iterator_free`); on failure it is left untouched.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_query_iterator(
    client: *const milvus_client,
    args_json: *const c_char,
    iterator_out: *mut *mut milvus_iterator,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // SAFETY: the caller's pointers are checked inside start.
    unsafe {
        start(client, args_json, iterator_out, error_out, |c, a| {
            runtime::block_on(api::iterator::query_iterator(c, a))?
        })
    }
}

/// Starts a search iterator (pymilvus `search_iterator`): the nearest rows to one query vector,
/// in distance order, page by page. Args: `collection_name`, `data` (one vector), optional
/// `batch_size` (1000), `limit` (-1 = all), `filter`, `output_fields`, `search_params`
/// (`metric_type` defaults to the index's), `anns_field`, `partition_names`, `round_decimal`,
/// `timeout` (per page). Each page is a JSON list of hits `{"id", "distance", "entity"}`; each row comes once.
///
/// Ownership as `milvus_client_query_iterator`.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_search_iterator(
    client: *const milvus_client,
    args_json: *const c_char,
    iterator_out: *mut *mut milvus_iterator,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // SAFETY: the caller's pointers are checked inside start.
    unsafe {
        start(client, args_json, iterator_out, error_out, |c, a| {
            runtime::block_on(api::iterator::search_iterator(c, a))?
        })
    }
}

/// Starts reading a WAL range (pymilvus `dump_messages`, a server-streaming call). Args:
/// `pchannel`, `start_message_id` (`{"id": string, "wal_name": "Unknown", "RocksMQ",
/// "Pulsar", "Kafka", "WoodPecker" or "Test"}`, e.g. get_replicate_info's
/// `salvage_checkpoint.message_id`), optional `start_timetick`, `end_timetick` (0 = no end:
/// the stream lasts until the deadline or `milvus_iterator_free`), `timeout` (seconds, for
/// the whole stream). Each page from `milvus_iterator_next` is a JSON list of messages
/// `{"message_id": {"id", "wal_name"} or null, "payload": base64 of the bytes, "properties":
/// {string: string}}`: it waits for one message, then takes those already received (up to
/// 1000); `[]` once the stream has ended. A server error in the stream fails that page
/// (after the messages received before it) and ends the stream.
///
/// Ownership as `milvus_client_query_iterator`.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_dump_messages(
    client: *const milvus_client,
    args_json: *const c_char,
    iterator_out: *mut *mut milvus_iterator,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // SAFETY: the caller's pointers are checked inside start.
    unsafe {
        start(client, args_json, iterator_out, error_out, |c, a| {
            runtime::block_on(api::messages::dump_messages(c, a))?
        })
    }
}

/// Reads the next page: `*result_out` receives a JSON list (query rows, or search hits),
/// `[]` once every row has been read. Free it with `milvus_buffer_free`. After a failure the
/// same page can be asked for again.
#[no_mangle]
pub unsafe extern "C" fn milvus_iterator_next(
    iterator: *mut milvus_iterator,
    result_out: *mut milvus_buffer,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: a non-NULL iterator came from an iterator constructor and is not freed.
        let it = unsafe { iterator.as_ref() }.ok_or_else(|| null("iterator"))?;
        put_out(result_out, "result_out", || {
            let bytes = it.with(|i| runtime::block_on(api::iterator::next_page(i)))???;
            Ok(milvus_buffer::from_vec(bytes))
        })
    })
}

/// Frees an iterator. NULL is a no-op. Must not race with `milvus_iterator_next` on it.
#[no_mangle]
pub unsafe extern "C" fn milvus_iterator_free(iterator: *mut milvus_iterator) {
    if iterator.is_null() {
        return;
    }
    boundary_or((), || {
        // SAFETY: a non-NULL iterator came from Box::into_raw here and is freed once.
        let owned = unsafe { Box::from_raw(iterator) };
        runtime::drop_in_runtime(owned);
    });
}
