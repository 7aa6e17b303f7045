//! The typed client calls: columns or JSON arguments in, a `milvus_result` out
//! (docs/typed-api.md).

use super::client::milvus_client;
use super::columns::{built, milvus_columns};
use super::error::milvus_error;
use super::iterator::milvus_iterator;
use super::result::milvus_result;
use super::status::milvus_status;
use super::{boundary, null, opt_str, put_out, req_str, slice};
use crate::api::typed::{
    get_typed, hybrid_columns, hybrid_search_typed, query_typed, search_columns, search_typed,
    write_columns,
};
use crate::api::{self, CallScope};
use crate::client::{with_cancel, with_deadline, Client};
use crate::codec::columns::Columns;
use crate::codec::typed::TypedResult;
use crate::error::Result;
use crate::runtime;
use std::ffi::c_char;
use std::future::Future;

/// Runs a typed call's future under its options' `timeout` and `call_id`, as JSON methods run,
/// and logged as the call `method`.
fn scoped<T>(
    c: &Client,
    method: &'static str,
    scope: &CallScope<'_>,
    fut: impl Future<Output = Result<T>>,
) -> Result<T> {
    let id = scope.call_id.as_deref();
    // A typed call's future is large (about 8 KB for a search): boxed once here, each wrapper
    // below (deadline, cancellation, the runtime's block_on) moves a pointer, not a copy.
    let fut = Box::pin(fut);
    if crate::log::active() {
        let call = with_cancel(c, id, with_deadline(c, scope.timeout, fut));
        let bytes = scope.args.len();
        runtime::block_on(crate::log::call(method, id, bytes, |_| None, call))?
    } else {
        runtime::block_on(with_cancel(c, id, with_deadline(c, scope.timeout, fut)))?
    }
}

/// The body of every typed call: checks `client` and `result_out`, then hands what `f`
/// returns to the caller.
///
/// # Safety
/// Each pointer must be NULL or valid as the header describes.
unsafe fn typed_call(
    client: *const milvus_client,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
    f: impl FnOnce(&Client) -> Result<TypedResult>,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: a non-NULL client came from milvus_client_new and is not freed during the call.
        let client = unsafe { client.as_ref() }.ok_or_else(|| null("client"))?;
        put_out(result_out, "result_out", || {
            f(&client.inner).map(milvus_result::boxed)
        })
    })
}

/// The body of the calls that send a builder (`what` names it in errors): `call` gets the
/// collection, the columns and the options.
///
/// # Safety
/// Each pointer must be NULL or valid as the header describes.
unsafe fn send(
    c: &Client,
    collection_name: *const c_char,
    columns: *const milvus_columns,
    what: &str,
    options_json: *const c_char,
    method: &'static str,
    call: impl AsyncFnOnce(&Client, &str, &Columns, &str) -> Result<TypedResult>,
) -> Result<TypedResult> {
    // SAFETY: forwarded contract.
    let (collection, cols, options) = unsafe {
        (
            req_str(collection_name, "collection_name")?,
            built(columns, what)?,
            opt_str(options_json, "options_json")?,
        )
    };
    let scope = api::call_scope(options.unwrap_or(""))?;
    scoped(c, method, &scope, call(c, collection, cols, &scope.args))
}

/// The body of the `*_typed` calls: `call` gets the JSON method's arguments.
///
/// # Safety
/// Each pointer must be NULL or valid as the header describes.
unsafe fn json_typed(
    client: *const milvus_client,
    args_json: *const c_char,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
    method: &'static str,
    call: impl AsyncFnOnce(&Client, &str) -> Result<TypedResult>,
) -> milvus_status {
    // SAFETY: forwarded contract.
    unsafe {
        typed_call(client, result_out, error_out, |c| {
            let scope = api::call_scope(opt_str(args_json, "args_json")?.unwrap_or("{}"))?;
            scoped(c, method, &scope, call(c, &scope.args))
        })
    }
}

async fn insert(c: &Client, name: &str, cols: &Columns, options: &str) -> Result<TypedResult> {
    write_columns(c, name, cols, options, false).await
}

async fn upsert(c: &Client, name: &str, cols: &Columns, options: &str) -> Result<TypedResult> {
    write_columns(c, name, cols, options, true).await
}

/// Inserts the rows held by `columns` into `collection_name`. Each column is matched to the
/// field of its name; a field without a column gets its default value, or null when
/// nullable, else the call fails with `MILVUS_ERR_MISSING_FIELD` (an auto_id primary key is
/// left to the server). A column the schema lacks is `MILVUS_ERR_INVALID_ARGUMENT`, a column
/// of the wrong type `MILVUS_ERR_TYPE_MISMATCH`, a vector of the wrong dimension
/// `MILVUS_ERR_DIMENSION_MISMATCH`; nothing is sent then. The column bytes go to the socket
/// without another copy.
///
/// `options_json`: NULL or `{"partition_name": ..., "timeout": seconds}`.
/// On success `*result_out` receives a result owned by the caller (free with
/// `milvus_result_free`): `milvus_result_write_count` and the ids. `columns` stays the
/// caller's, unchanged.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_insert_columns(
    client: *const milvus_client,
    collection_name: *const c_char,
    columns: *const milvus_columns,
    options_json: *const c_char,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // SAFETY: pointers are NULL or valid as the header describes.
    unsafe {
        typed_call(client, result_out, error_out, |c| {
            send(
                c,
                collection_name,
                columns,
                "columns",
                options_json,
                "insert_columns",
                insert,
            )
        })
    }
}

/// As `milvus_client_insert_columns`, replacing rows with the same primary keys (the primary
/// key column is required).
#[no_mangle]
pub unsafe extern "C" fn milvus_client_upsert_columns(
    client: *const milvus_client,
    collection_name: *const c_char,
    columns: *const milvus_columns,
    options_json: *const c_char,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // SAFETY: pointers are NULL or valid as the header describes.
    unsafe {
        typed_call(client, result_out, error_out, |c| {
            send(
                c,
                collection_name,
                columns,
                "columns",
                options_json,
                "upsert_columns",
                upsert,
            )
        })
    }
}

/// Searches `collection_name` with the one vector column of `queries` (one row per query; the
/// column's name is the anns_field, "" for the collection's only vector field).
///
/// `options_json`: NULL or the keyword arguments of the JSON method `search` other than
/// `collection_name`, `data`, `ids` and `anns_field`: `filter`, `limit`, `output_fields`,
/// `search_params`, `partition_names`, `group_by_field`, `consistency_level`, `timeout`, ...
/// On success `*result_out` receives a result owned by the caller (`milvus_result_free`).
#[no_mangle]
pub unsafe extern "C" fn milvus_client_search_columns(
    client: *const milvus_client,
    collection_name: *const c_char,
    queries: *const milvus_columns,
    options_json: *const c_char,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // SAFETY: pointers are NULL or valid as the header describes.
    unsafe {
        typed_call(client, result_out, error_out, |c| {
            send(
                c,
                collection_name,
                queries,
                "queries",
                options_json,
                "search_columns",
                search_columns,
            )
        })
    }
}

/// Searches with `nq` float query vectors of `dim` floats each, row-major at `vectors`.
/// `anns_field` may be NULL or "" (the collection's only vector field). Otherwise as
/// `milvus_client_search_columns`.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_search_float(
    client: *const milvus_client,
    collection_name: *const c_char,
    anns_field: *const c_char,
    vectors: *const f32,
    nq: usize,
    dim: usize,
    options_json: *const c_char,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // SAFETY: pointers are NULL or valid as the header describes.
    unsafe {
        typed_call(client, result_out, error_out, |c| {
            let collection = req_str(collection_name, "collection_name")?;
            let field = opt_str(anns_field, "anns_field")?.unwrap_or("");
            let data = slice(vectors, nq.saturating_mul(dim), "vectors")?;
            let scope = api::call_scope(opt_str(options_json, "options_json")?.unwrap_or(""))?;
            let mut q = Columns::new(nq)?;
            q.add_float_vector(field, data, nq, dim)?;
            scoped(
                c,
                "search_float",
                &scope,
                search_columns(c, collection, &q, &scope.args),
            )
        })
    }
}

/// Hybrid search: `options_json` holds the JSON method's arguments other than
/// `collection_name` (`reqs`, `ranker`, `limit`, `output_fields`, ...), and each request of
/// `reqs` (without `data`) takes its query vectors from the column of `queries` named by its
/// `anns_field` (a missing one is `MILVUS_ERR_MISSING_FIELD`).
#[no_mangle]
pub unsafe extern "C" fn milvus_client_hybrid_search_columns(
    client: *const milvus_client,
    collection_name: *const c_char,
    queries: *const milvus_columns,
    options_json: *const c_char,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // SAFETY: pointers are NULL or valid as the header describes.
    unsafe {
        typed_call(client, result_out, error_out, |c| {
            send(
                c,
                collection_name,
                queries,
                "queries",
                options_json,
                "hybrid_search_columns",
                hybrid_columns,
            )
        })
    }
}

/// `milvus_client_search`'s arguments, answered as a typed result.
///
/// On success `*result_out` receives a result owned by the caller (`milvus_result_free`);
/// errors as for the JSON method.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_search_typed(
    client: *const milvus_client,
    args_json: *const c_char,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // SAFETY: pointers are NULL or valid as the header describes.
    unsafe {
        json_typed(
            client,
            args_json,
            result_out,
            error_out,
            "search_typed",
            search_typed,
        )
    }
}

/// `milvus_client_hybrid_search`'s arguments, answered as a typed result. Otherwise as
/// `milvus_client_search_typed`.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_hybrid_search_typed(
    client: *const milvus_client,
    args_json: *const c_char,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // SAFETY: pointers are NULL or valid as the header describes.
    unsafe {
        json_typed(
            client,
            args_json,
            result_out,
            error_out,
            "hybrid_search_typed",
            hybrid_search_typed,
        )
    }
}

/// `milvus_client_query`'s arguments, answered as a typed result (one "query" whose rows
/// are the matching entities). Otherwise as `milvus_client_search_typed`.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_query_typed(
    client: *const milvus_client,
    args_json: *const c_char,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // SAFETY: pointers are NULL or valid as the header describes.
    unsafe {
        json_typed(
            client,
            args_json,
            result_out,
            error_out,
            "query_typed",
            query_typed,
        )
    }
}

/// `milvus_client_get`'s arguments, answered as a typed result. Otherwise as
/// `milvus_client_search_typed`.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_get_typed(
    client: *const milvus_client,
    args_json: *const c_char,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // SAFETY: pointers are NULL or valid as the header describes.
    unsafe {
        json_typed(
            client,
            args_json,
            result_out,
            error_out,
            "get_typed",
            get_typed,
        )
    }
}

/// The next page of an iterator as a typed result; a result with no rows once the iterator
/// is exhausted. On success `*result_out` receives a result owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn milvus_iterator_next_typed(
    iterator: *mut milvus_iterator,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: a non-NULL iterator came from an iterator constructor and is not freed.
        let it = unsafe { iterator.as_ref() }.ok_or_else(|| null("iterator"))?;
        put_out(result_out, "result_out", || {
            let r = it.with(|i| runtime::block_on(api::iterator::next_page_typed(i)))???;
            Ok(milvus_result::boxed(r))
        })
    })
}
