//! The typed path: column builders in, typed results out (docs/typed-api.md).
//!
//! The adders and accessors of the same shape are written out one by one, not stamped by a
//! macro: cbindgen does not expand macros, and each needs its own header declaration.

use super::buffer::milvus_buffer;
use super::client::milvus_client;
use super::error::milvus_error;
use super::iterator::milvus_iterator;
use super::status::milvus_status;
use super::{boundary, boundary_or, free_box, null, opt_str, req_str};
use crate::api;
use crate::client::{with_cancel, with_deadline};
use crate::codec::columns::{Columns, Kind};
use crate::codec::typed::{TypedResult, Values};
use crate::error::{Error, ErrorKind, Result};
use crate::runtime;
use std::ffi::{c_char, c_void, CStr};

/// Column data for a typed insert or upsert, or the query vectors of a typed search. Build it
/// with `milvus_columns_new` and the `milvus_columns_add_*` functions; free it with
/// `milvus_columns_free`. Adding columns must not race with other use of the same builder;
/// once built it may be sent any number of times, from several threads at once.
pub struct milvus_columns {
    inner: Columns,
}

/// A typed result: search hits, query rows, or the outcome of a write. Read it with the
/// `milvus_result_*` accessors; free it with `milvus_result_free`. Immutable: it may be read
/// from several threads at once. An accessor that returns a value rather than a status gives
/// the same value for a NULL result as for an internal error (0, NULL, false,
/// `MILVUS_ID_NONE`, `MILVUS_TYPE_NONE`).
pub struct milvus_result {
    inner: TypedResult,
}

/// How a result identifies its rows (`milvus_result_id_type`).
pub type milvus_id_type = i32;
/// The result carries no ids (query and get results: read the primary key as a column).
pub const MILVUS_ID_NONE: milvus_id_type = 0;
/// INT64 primary keys: `milvus_result_int64_ids`.
pub const MILVUS_ID_INT64: milvus_id_type = 1;
/// VARCHAR primary keys: `milvus_result_string_id`.
pub const MILVUS_ID_STRING: milvus_id_type = 2;

/// A column's type (`milvus_result_column_type`): Milvus's DataType numbers.
pub type milvus_data_type = i32;
pub const MILVUS_TYPE_NONE: milvus_data_type = 0;
pub const MILVUS_TYPE_BOOL: milvus_data_type = 1;
pub const MILVUS_TYPE_INT8: milvus_data_type = 2;
pub const MILVUS_TYPE_INT16: milvus_data_type = 3;
pub const MILVUS_TYPE_INT32: milvus_data_type = 4;
pub const MILVUS_TYPE_INT64: milvus_data_type = 5;
pub const MILVUS_TYPE_FLOAT: milvus_data_type = 10;
pub const MILVUS_TYPE_DOUBLE: milvus_data_type = 11;
pub const MILVUS_TYPE_STRING: milvus_data_type = 20;
pub const MILVUS_TYPE_VARCHAR: milvus_data_type = 21;
pub const MILVUS_TYPE_ARRAY: milvus_data_type = 22;
pub const MILVUS_TYPE_JSON: milvus_data_type = 23;
pub const MILVUS_TYPE_GEOMETRY: milvus_data_type = 24;
pub const MILVUS_TYPE_TEXT: milvus_data_type = 25;
pub const MILVUS_TYPE_TIMESTAMPTZ: milvus_data_type = 26;
pub const MILVUS_TYPE_BINARY_VECTOR: milvus_data_type = 100;
pub const MILVUS_TYPE_FLOAT_VECTOR: milvus_data_type = 101;
pub const MILVUS_TYPE_FLOAT16_VECTOR: milvus_data_type = 102;
pub const MILVUS_TYPE_BFLOAT16_VECTOR: milvus_data_type = 103;
pub const MILVUS_TYPE_SPARSE_FLOAT_VECTOR: milvus_data_type = 104;
pub const MILVUS_TYPE_INT8_VECTOR: milvus_data_type = 105;

/// Borrows `len` elements at `ptr` (NULL is fine when `len` is 0).
///
/// # Safety
/// A non-NULL `ptr` must point to `len` readable elements that stay valid for `'a`.
unsafe fn slice<'a, T>(ptr: *const T, len: usize, what: &str) -> Result<&'a [T]> {
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

/// # Safety
/// `columns` must be NULL or a live builder not used by another thread during the call.
unsafe fn builder<'a>(columns: *mut milvus_columns) -> Result<&'a mut Columns> {
    // SAFETY: per this function's contract.
    unsafe { columns.as_mut() }
        .map(|c| &mut c.inner)
        .ok_or_else(|| null("columns"))
}

/// # Safety
/// `p` must be NULL or a NUL-terminated string.
unsafe fn field_name<'a>(p: *const c_char) -> Result<&'a str> {
    // SAFETY: forwarded contract.
    unsafe { req_str(p, "field") }
}

/// The optional validity bitmap of `n` rows.
///
/// # Safety
/// A non-NULL `validity` must point to `(n + 7) / 8` readable bytes.
unsafe fn bitmap<'a>(validity: *const u8, n: usize) -> Result<Option<&'a [u8]>> {
    if validity.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded contract.
    unsafe { slice(validity, n.div_ceil(8), "validity") }.map(Some)
}

/// Makes an empty builder for columns of `num_rows` rows (at least 1).
///
/// On success `*columns_out` receives a builder owned by the caller, freed with
/// `milvus_columns_free`.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_new(
    num_rows: usize,
    columns_out: *mut *mut milvus_columns,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        if columns_out.is_null() {
            return Err(null("columns_out"));
        }
        let b = Box::into_raw(Box::new(milvus_columns {
            inner: Columns::new(num_rows)?,
        }));
        // SAFETY: columns_out was checked non-NULL and points to writable storage.
        unsafe { *columns_out = b };
        Ok(())
    })
}

/// Frees a builder. NULL is a no-op. Results of calls that used it stay valid.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_free(columns: *mut milvus_columns) {
    // SAFETY: a non-NULL builder came from milvus_columns_new and is freed once (header contract).
    unsafe { free_box(columns) }
}

/// Adds a BOOL column.
///
/// `values` holds `n` elements (`n` must equal the builder's row count:
/// `MILVUS_ERR_ROW_COUNT_MISMATCH`). `validity` is NULL (every row valid) or a bitmap of
/// `(n + 7) / 8` bytes whose bit i (LSB first) is set when row i is not null; only nullable
/// fields take one, and the values of null rows are ignored. The data is copied during the
/// call; a field added twice is `MILVUS_ERR_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_add_bool(
    columns: *mut milvus_columns,
    field: *const c_char,
    values: *const bool,
    n: usize,
    validity: *const u8,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: pointers are NULL or valid as the header describes.
        let (cols, field, values, valid) = unsafe {
            (
                builder(columns)?,
                field_name(field)?,
                slice(values, n, "values")?,
                bitmap(validity, n)?,
            )
        };
        cols.add_bool(field, values, valid)
    })
}

/// Adds an INT8 column (also fits INT16 and INT32 fields). Arguments as for `milvus_columns_add_bool`.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_add_int8(
    columns: *mut milvus_columns,
    field: *const c_char,
    values: *const i8,
    n: usize,
    validity: *const u8,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: pointers are NULL or valid as the header describes.
        let (cols, field, values, valid) = unsafe {
            (
                builder(columns)?,
                field_name(field)?,
                slice(values, n, "values")?,
                bitmap(validity, n)?,
            )
        };
        cols.add_int8(field, values, valid)
    })
}

/// Adds an INT16 column (also fits INT32 fields). Arguments as for `milvus_columns_add_bool`.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_add_int16(
    columns: *mut milvus_columns,
    field: *const c_char,
    values: *const i16,
    n: usize,
    validity: *const u8,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: pointers are NULL or valid as the header describes.
        let (cols, field, values, valid) = unsafe {
            (
                builder(columns)?,
                field_name(field)?,
                slice(values, n, "values")?,
                bitmap(validity, n)?,
            )
        };
        cols.add_int16(field, values, valid)
    })
}

/// Adds an INT32 column. Arguments as for `milvus_columns_add_bool`.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_add_int32(
    columns: *mut milvus_columns,
    field: *const c_char,
    values: *const i32,
    n: usize,
    validity: *const u8,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: pointers are NULL or valid as the header describes.
        let (cols, field, values, valid) = unsafe {
            (
                builder(columns)?,
                field_name(field)?,
                slice(values, n, "values")?,
                bitmap(validity, n)?,
            )
        };
        cols.add_int32(field, values, valid)
    })
}

/// Adds an INT64 column (primary keys included). Arguments as for `milvus_columns_add_bool`.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_add_int64(
    columns: *mut milvus_columns,
    field: *const c_char,
    values: *const i64,
    n: usize,
    validity: *const u8,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: pointers are NULL or valid as the header describes.
        let (cols, field, values, valid) = unsafe {
            (
                builder(columns)?,
                field_name(field)?,
                slice(values, n, "values")?,
                bitmap(validity, n)?,
            )
        };
        cols.add_int64(field, values, valid)
    })
}

/// Adds a FLOAT column. Arguments as for `milvus_columns_add_bool`.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_add_float(
    columns: *mut milvus_columns,
    field: *const c_char,
    values: *const f32,
    n: usize,
    validity: *const u8,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: pointers are NULL or valid as the header describes.
        let (cols, field, values, valid) = unsafe {
            (
                builder(columns)?,
                field_name(field)?,
                slice(values, n, "values")?,
                bitmap(validity, n)?,
            )
        };
        cols.add_float(field, values, valid)
    })
}

/// Adds a DOUBLE column. Arguments as for `milvus_columns_add_bool`.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_add_double(
    columns: *mut milvus_columns,
    field: *const c_char,
    values: *const f64,
    n: usize,
    validity: *const u8,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: pointers are NULL or valid as the header describes.
        let (cols, field, values, valid) = unsafe {
            (
                builder(columns)?,
                field_name(field)?,
                slice(values, n, "values")?,
                bitmap(validity, n)?,
            )
        };
        cols.add_double(field, values, valid)
    })
}

/// # Safety
/// `values` must hold `n` pointers, each to a string of `lengths[i]` bytes (or NUL-terminated
/// when `lengths` is NULL).
unsafe fn strings<'a>(
    values: *const *const c_char,
    lengths: *const usize,
    n: usize,
) -> Result<Vec<&'a [u8]>> {
    // SAFETY: forwarded contract.
    let (ptrs, lens) = unsafe {
        (
            slice(values, n, "values")?,
            if lengths.is_null() {
                None
            } else {
                Some(slice(lengths, n, "lengths")?)
            },
        )
    };
    ptrs.iter()
        .enumerate()
        .map(|(i, p)| {
            if p.is_null() {
                return Err(null(&format!("values[{i}]")));
            }
            Ok(match lens {
                // SAFETY: the caller vouches for lengths[i] readable bytes at values[i].
                Some(l) => unsafe { slice(p.cast::<u8>(), l[i], "values[i]")? },
                // SAFETY: values[i] is NUL-terminated when no lengths are given.
                None => unsafe { CStr::from_ptr(*p) }.to_bytes(),
            })
        })
        .collect()
}

/// Adds a VARCHAR column: `values` holds `n` strings, each of `lengths[i]` bytes, or
/// NUL-terminated when `lengths` is NULL. Strings must be UTF-8 (`MILVUS_ERR_INVALID_UTF8`).
/// `validity` as for the numeric columns. The strings are copied during the call.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_add_varchar(
    columns: *mut milvus_columns,
    field: *const c_char,
    values: *const *const c_char,
    lengths: *const usize,
    n: usize,
    validity: *const u8,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: pointers are NULL or valid as the header describes.
        let (cols, field, values, valid) = unsafe {
            (
                builder(columns)?,
                field_name(field)?,
                strings(values, lengths, n)?,
                bitmap(validity, n)?,
            )
        };
        cols.add_strings(field, &values, valid, false)
    })
}

/// Adds a JSON column: each value a JSON document (checked: `MILVUS_ERR_INVALID_ARGUMENT`).
/// The field `"$meta"` is the dynamic fields, one JSON object per row. Otherwise as
/// `milvus_columns_add_varchar`.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_add_json(
    columns: *mut milvus_columns,
    field: *const c_char,
    values: *const *const c_char,
    lengths: *const usize,
    n: usize,
    validity: *const u8,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: pointers are NULL or valid as the header describes.
        let (cols, field, values, valid) = unsafe {
            (
                builder(columns)?,
                field_name(field)?,
                strings(values, lengths, n)?,
                bitmap(validity, n)?,
            )
        };
        cols.add_strings(field, &values, valid, true)
    })
}

/// Adds a FLOAT_VECTOR column: `data` holds `n` rows of `dim` floats, row-major and
/// contiguous. The floats are copied once, straight into the request's wire bytes. For a
/// search, `field` names the anns_field ("" = the collection's only vector field).
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_add_float_vector(
    columns: *mut milvus_columns,
    field: *const c_char,
    data: *const f32,
    n: usize,
    dim: usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: pointers are NULL or valid as the header describes.
        let (cols, field, data) = unsafe {
            (
                builder(columns)?,
                field_name(field)?,
                slice(data, n.saturating_mul(dim), "data")?,
            )
        };
        cols.add_float_vector(field, data, n, dim)
    })
}

/// Adds a BINARY_VECTOR column: `dim` is in bits (a multiple of 8); `data` holds `n` rows of
/// `dim / 8` bytes. Otherwise as `milvus_columns_add_float_vector`.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_add_binary_vector(
    columns: *mut milvus_columns,
    field: *const c_char,
    data: *const u8,
    n: usize,
    dim: usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: pointers are NULL or valid as the header describes.
        let (cols, field, data) = unsafe {
            (
                builder(columns)?,
                field_name(field)?,
                slice(data, n.saturating_mul(dim / 8), "data")?,
            )
        };
        cols.add_binary_vector(field, data, n, dim)
    })
}

/// # Safety
/// As the header describes for the half-precision adders.
unsafe fn add_half(
    columns: *mut milvus_columns,
    field: *const c_char,
    data: *const u16,
    n: usize,
    dim: usize,
    kind: Kind,
) -> Result<()> {
    // SAFETY: forwarded contract.
    let (cols, field, data) = unsafe {
        (
            builder(columns)?,
            field_name(field)?,
            slice(data, n.saturating_mul(dim), "data")?,
        )
    };
    cols.add_half_vector(field, kind, data, n, dim)
}

/// Adds a FLOAT16_VECTOR column: `data` holds `n` rows of `dim` IEEE half-precision bit
/// patterns. Otherwise as `milvus_columns_add_float_vector`.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_add_float16_vector(
    columns: *mut milvus_columns,
    field: *const c_char,
    data: *const u16,
    n: usize,
    dim: usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // SAFETY: pointers are NULL or valid as the header describes.
    boundary(error_out, || unsafe {
        add_half(columns, field, data, n, dim, Kind::Float16Vector)
    })
}

/// Adds a BFLOAT16_VECTOR column: `data` holds `n` rows of `dim` bfloat16 bit patterns.
/// Otherwise as `milvus_columns_add_float_vector`.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_add_bfloat16_vector(
    columns: *mut milvus_columns,
    field: *const c_char,
    data: *const u16,
    n: usize,
    dim: usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // SAFETY: pointers are NULL or valid as the header describes.
    boundary(error_out, || unsafe {
        add_half(columns, field, data, n, dim, Kind::BFloat16Vector)
    })
}

/// Adds an INT8_VECTOR column: `data` holds `n` rows of `dim` int8 values. Otherwise as
/// `milvus_columns_add_float_vector`.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_add_int8_vector(
    columns: *mut milvus_columns,
    field: *const c_char,
    data: *const i8,
    n: usize,
    dim: usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: pointers are NULL or valid as the header describes.
        let (cols, field, data) = unsafe {
            (
                builder(columns)?,
                field_name(field)?,
                slice(data, n.saturating_mul(dim), "data")?,
            )
        };
        cols.add_int8_vector(field, data, n, dim)
    })
}

/// Adds a SPARSE_FLOAT_VECTOR column in CSR form: `indptr` holds `n + 1` offsets, and row i
/// is the pairs `indices[k], values[k]` for `indptr[i] <= k < indptr[i + 1]` (any order; an
/// index twice in a row is `MILVUS_ERR_INVALID_ARGUMENT`). `indices` and `values` hold
/// `indptr[n]` elements.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_add_sparse_vector(
    columns: *mut milvus_columns,
    field: *const c_char,
    indptr: *const u64,
    indices: *const u32,
    values: *const f32,
    n: usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: pointers are NULL or valid as the header describes.
        let (cols, field, indptr) = unsafe {
            (
                builder(columns)?,
                field_name(field)?,
                slice(indptr, n.saturating_add(1), "indptr")?,
            )
        };
        let nnz =
            usize::try_from(indptr[n]).map_err(|_| Error::invalid("indptr[n] is too large"))?;
        // SAFETY: the caller vouches for indptr[n] indices and values.
        let (indices, values) = unsafe {
            (
                slice(indices, nnz, "indices")?,
                slice(values, nnz, "values")?,
            )
        };
        cols.add_sparse_vector(field, indptr, indices, values)
    })
}

/// Runs a typed call's future under its options' `timeout` and `call_id`, as JSON methods run.
fn scoped<T>(
    c: &crate::client::Client,
    scope: &api::CallScope<'_>,
    fut: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    let call = with_deadline(c, scope.timeout, fut);
    runtime::block_on(with_cancel(c, scope.call_id.as_deref(), call))?
}

/// # Safety
/// Each pointer must be NULL or valid as the header describes.
unsafe fn typed_call(
    client: *const milvus_client,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
    f: impl FnOnce(&crate::client::Client) -> Result<TypedResult>,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: a non-NULL client came from milvus_client_new and is not freed during the call.
        let client = unsafe { client.as_ref() }.ok_or_else(|| null("client"))?;
        if result_out.is_null() {
            return Err(null("result_out"));
        }
        let r = f(&client.inner)?;
        let b = Box::into_raw(Box::new(milvus_result { inner: r }));
        // SAFETY: result_out was checked non-NULL and points to writable storage.
        unsafe { *result_out = b };
        Ok(())
    })
}

/// # Safety
/// `columns` must be NULL or a live builder.
unsafe fn built<'a>(columns: *const milvus_columns, what: &str) -> Result<&'a Columns> {
    // SAFETY: per this function's contract.
    unsafe { columns.as_ref() }
        .map(|c| &c.inner)
        .ok_or_else(|| null(what))
}

/// # Safety
/// As for `milvus_client_insert_columns`.
unsafe fn write(
    client: *const milvus_client,
    collection_name: *const c_char,
    columns: *const milvus_columns,
    options_json: *const c_char,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
    upsert: bool,
) -> milvus_status {
    // SAFETY: forwarded contract.
    unsafe {
        typed_call(client, result_out, error_out, |c| {
            let collection = req_str(collection_name, "collection_name")?;
            let cols = built(columns, "columns")?;
            let scope = api::call_scope(opt_str(options_json, "options_json")?.unwrap_or(""))?;
            let fut = api::typed::write_columns(c, collection, cols, &scope.args, upsert);
            scoped(c, &scope, fut)
        })
    }
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
    // SAFETY: the caller's pointers are checked inside.
    unsafe {
        write(
            client,
            collection_name,
            columns,
            options_json,
            result_out,
            error_out,
            false,
        )
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
    // SAFETY: the caller's pointers are checked inside.
    unsafe {
        write(
            client,
            collection_name,
            columns,
            options_json,
            result_out,
            error_out,
            true,
        )
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
            let collection = req_str(collection_name, "collection_name")?;
            let q = built(queries, "queries")?;
            let scope = api::call_scope(opt_str(options_json, "options_json")?.unwrap_or(""))?;
            scoped(
                c,
                &scope,
                api::typed::search_columns(c, collection, q, &scope.args),
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
                &scope,
                api::typed::search_columns(c, collection, &q, &scope.args),
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
            let collection = req_str(collection_name, "collection_name")?;
            let q = built(queries, "queries")?;
            let scope = api::call_scope(opt_str(options_json, "options_json")?.unwrap_or(""))?;
            scoped(
                c,
                &scope,
                api::typed::hybrid_columns(c, collection, q, &scope.args),
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
        typed_call(client, result_out, error_out, |c| {
            let scope = api::call_scope(opt_str(args_json, "args_json")?.unwrap_or("{}"))?;
            scoped(c, &scope, api::typed::search_typed(c, &scope.args))
        })
    }
}

/// `milvus_client_hybrid_search`'s arguments, answered as a typed result.
///
/// On success `*result_out` receives a result owned by the caller (`milvus_result_free`);
/// errors as for the JSON method.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_hybrid_search_typed(
    client: *const milvus_client,
    args_json: *const c_char,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // SAFETY: pointers are NULL or valid as the header describes.
    unsafe {
        typed_call(client, result_out, error_out, |c| {
            let scope = api::call_scope(opt_str(args_json, "args_json")?.unwrap_or("{}"))?;
            scoped(c, &scope, api::typed::hybrid_search_typed(c, &scope.args))
        })
    }
}

/// `milvus_client_query`'s arguments, answered as a typed result (one "query" whose rows
/// are the matching entities).
///
/// On success `*result_out` receives a result owned by the caller (`milvus_result_free`);
/// errors as for the JSON method.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_query_typed(
    client: *const milvus_client,
    args_json: *const c_char,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // SAFETY: pointers are NULL or valid as the header describes.
    unsafe {
        typed_call(client, result_out, error_out, |c| {
            let scope = api::call_scope(opt_str(args_json, "args_json")?.unwrap_or("{}"))?;
            scoped(c, &scope, api::typed::query_typed(c, &scope.args))
        })
    }
}

/// `milvus_client_get`'s arguments, answered as a typed result.
///
/// On success `*result_out` receives a result owned by the caller (`milvus_result_free`);
/// errors as for the JSON method.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_get_typed(
    client: *const milvus_client,
    args_json: *const c_char,
    result_out: *mut *mut milvus_result,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // SAFETY: pointers are NULL or valid as the header describes.
    unsafe {
        typed_call(client, result_out, error_out, |c| {
            let scope = api::call_scope(opt_str(args_json, "args_json")?.unwrap_or("{}"))?;
            scoped(c, &scope, api::typed::get_typed(c, &scope.args))
        })
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
        if result_out.is_null() {
            return Err(null("result_out"));
        }
        let r = it.with(|i| runtime::block_on(api::iterator::next_page_typed(i)))???;
        let b = Box::into_raw(Box::new(milvus_result { inner: r }));
        // SAFETY: result_out was checked non-NULL and points to writable storage.
        unsafe { *result_out = b };
        Ok(())
    })
}

/// Frees a result; every view obtained from it becomes invalid. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_free(result: *mut milvus_result) {
    // SAFETY: a non-NULL result came from a typed call and is freed once (header contract).
    unsafe { free_box(result) }
}

/// # Safety
/// `r` must be NULL or a live result.
unsafe fn res<'a>(r: *const milvus_result) -> Option<&'a TypedResult> {
    // SAFETY: per this function's contract.
    unsafe { r.as_ref() }.map(|r| &r.inner)
}

/// Number of queries: a search's nq; 1 for query, get, iterator pages and writes. 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_num_queries(result: *const milvus_result) -> usize {
    boundary_or(0, || {
        // SAFETY: result is NULL or live (header contract).
        unsafe { res(result) }.map_or(0, TypedResult::num_queries)
    })
}

/// Number of rows: all hits of all queries, the rows of a query, or the ids of a write.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_num_rows(result: *const milvus_result) -> usize {
    boundary_or(0, || {
        // SAFETY: result is NULL or live (header contract).
        unsafe { res(result) }.map_or(0, TypedResult::num_rows)
    })
}

/// The first row of query `query`'s hits (rows of a search are grouped by query). 0 when out
/// of range.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_hit_offset(
    result: *const milvus_result,
    query: usize,
) -> usize {
    boundary_or(0, || {
        // SAFETY: result is NULL or live (header contract).
        unsafe { res(result) }
            .and_then(|r| r.hits(query))
            .map_or(0, |h| h.0)
    })
}

/// How many hits query `query` has: its rows are `[offset, offset + count)`. 0 when out of
/// range.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_hit_count(
    result: *const milvus_result,
    query: usize,
) -> usize {
    boundary_or(0, || {
        // SAFETY: result is NULL or live (header contract).
        unsafe { res(result) }
            .and_then(|r| r.hits(query))
            .map_or(0, |h| h.1)
    })
}

/// Rows written by an insert or upsert (0 for other results).
#[no_mangle]
pub unsafe extern "C" fn milvus_result_write_count(result: *const milvus_result) -> u64 {
    boundary_or(0, || {
        // SAFETY: result is NULL or live (header contract).
        unsafe { res(result) }.map_or(0, TypedResult::write_count)
    })
}

/// How the rows are identified: `MILVUS_ID_INT64`, `MILVUS_ID_STRING`, or `MILVUS_ID_NONE`
/// (query results, which carry the primary key as a column).
#[no_mangle]
pub unsafe extern "C" fn milvus_result_id_type(result: *const milvus_result) -> milvus_id_type {
    boundary_or(MILVUS_ID_NONE, || {
        // SAFETY: result is NULL or live (header contract).
        match unsafe { res(result) } {
            Some(r) if r.int_ids().is_some() => MILVUS_ID_INT64,
            Some(r) if r.str_ids().is_some() => MILVUS_ID_STRING,
            _ => MILVUS_ID_NONE,
        }
    })
}

/// The `num_rows` INT64 ids, or NULL when the ids are not INT64 (or there are no rows).
/// Borrowed: valid until `milvus_result_free`.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_int64_ids(result: *const milvus_result) -> *const i64 {
    boundary_or(std::ptr::null(), || {
        // SAFETY: result is NULL or live (header contract).
        unsafe { res(result) }
            .and_then(TypedResult::int_ids)
            .filter(|i| !i.is_empty())
            .map_or(std::ptr::null(), <[i64]>::as_ptr)
    })
}

/// The VARCHAR id of row `row` as `*ptr` (not NUL-terminated) and `*len` bytes. Borrowed:
/// valid until `milvus_result_free`. `MILVUS_ERR_TYPE_MISMATCH` when the ids are not strings.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_string_id(
    result: *const milvus_result,
    row: usize,
    ptr: *mut *const c_char,
    len: *mut usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: result is NULL or live (header contract).
        let r = unsafe { res(result) }.ok_or_else(|| null("result"))?;
        if ptr.is_null() || len.is_null() {
            return Err(null(if ptr.is_null() { "ptr" } else { "len" }));
        }
        let ids = r.str_ids().ok_or_else(|| {
            Error::new(ErrorKind::TypeMismatch, "the result's ids are not strings")
        })?;
        let s = ids
            .get(row)
            .ok_or_else(|| out_of_range("row", row, ids.len()))?;
        // SAFETY: both were checked non-NULL and point to writable storage.
        unsafe {
            *ptr = s.as_ptr().cast();
            *len = s.len();
        }
        Ok(())
    })
}

/// The `num_rows` distances (scores) of a search, grouped by query; NULL for other results.
/// Borrowed: valid until `milvus_result_free`.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_distances(result: *const milvus_result) -> *const f32 {
    boundary_or(std::ptr::null(), || {
        // SAFETY: result is NULL or live (header contract).
        unsafe { res(result) }
            .and_then(TypedResult::distances)
            .filter(|d| !d.is_empty())
            .map_or(std::ptr::null(), <[f32]>::as_ptr)
    })
}

/// Number of columns (output fields; `"$meta"` holds the dynamic fields).
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_count(result: *const milvus_result) -> usize {
    boundary_or(0, || {
        // SAFETY: result is NULL or live (header contract).
        unsafe { res(result) }.map_or(0, |r| r.fields().len())
    })
}

/// The name of column `column` (NUL-terminated), NULL when out of range. Borrowed: valid until
/// `milvus_result_free`.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_name(
    result: *const milvus_result,
    column: usize,
) -> *const c_char {
    boundary_or(std::ptr::null(), || {
        // SAFETY: result is NULL or live (header contract).
        unsafe { res(result) }
            .and_then(|r| r.column_name(column))
            .map_or(std::ptr::null(), |n| n.as_ptr())
    })
}

/// The type of column `column` (`MILVUS_TYPE_*`); `MILVUS_TYPE_NONE` when out of range.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_type(
    result: *const milvus_result,
    column: usize,
) -> milvus_data_type {
    boundary_or(MILVUS_TYPE_NONE, || {
        // SAFETY: result is NULL or live (header contract).
        unsafe { res(result) }
            .and_then(|r| r.fields().get(column))
            .map_or(MILVUS_TYPE_NONE, |f| f.r#type)
    })
}

/// Whether column `column` holds the dynamic fields (`"$meta"`, a JSON object per row).
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_is_dynamic(
    result: *const milvus_result,
    column: usize,
) -> bool {
    boundary_or(false, || {
        // SAFETY: result is NULL or live (header contract).
        unsafe { res(result) }
            .and_then(|r| r.fields().get(column))
            .is_some_and(|f| f.is_dynamic)
    })
}

/// Finds the column named `name`: `*index_out` receives its index. `MILVUS_ERR_MISSING_FIELD`
/// when there is none.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_index(
    result: *const milvus_result,
    name: *const c_char,
    index_out: *mut usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: result is NULL or live; name NULL or NUL-terminated (header contract).
        let (r, name) = unsafe {
            (
                res(result).ok_or_else(|| null("result"))?,
                req_str(name, "name")?,
            )
        };
        if index_out.is_null() {
            return Err(null("index_out"));
        }
        let i = r.column_index(name)?;
        // SAFETY: index_out was checked non-NULL.
        unsafe { *index_out = i };
        Ok(())
    })
}

fn out_of_range(what: &str, i: usize, n: usize) -> Error {
    Error::invalid(format!("{what} {i} is out of range (there are {n})"))
}

fn mismatch(r: &TypedResult, column: usize, want: &str) -> Error {
    let name = r
        .fields()
        .get(column)
        .map(|f| f.field_name.clone())
        .unwrap_or_default();
    Error::new(
        ErrorKind::TypeMismatch,
        format!("column {name:?} does not hold {want} values"),
    )
}

/// # Safety
/// `values_out` and `len_out` must be NULL or writable.
unsafe fn put_slice<T>(s: &[T], values_out: *mut *const T, len_out: *mut usize) -> Result<()> {
    if values_out.is_null() || len_out.is_null() {
        return Err(null(if values_out.is_null() {
            "values_out"
        } else {
            "len_out"
        }));
    }
    // SAFETY: both checked non-NULL.
    unsafe {
        *values_out = s.as_ptr();
        *len_out = s.len();
    }
    Ok(())
}

/// The values of a BOOL column.
///
/// `*values_out` receives a borrowed array of `*len_out` values (one per row; for a nullable
/// column, see `milvus_result_column_validity`), valid until `milvus_result_free`.
/// `MILVUS_ERR_TYPE_MISMATCH` for a column of another type, `MILVUS_ERR_INVALID_ARGUMENT` for a
/// column out of range.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_bool(
    result: *const milvus_result,
    column: usize,
    values_out: *mut *const bool,
    len_out: *mut usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: result is NULL or live (header contract).
        let r = unsafe { res(result) }.ok_or_else(|| null("result"))?;
        match r.values(column)? {
            // SAFETY: the out-pointers are checked inside.
            Values::Bool(s) => unsafe { put_slice(s, values_out, len_out) },
            _ => Err(mismatch(r, column, "BOOL")),
        }
    })
}

/// The values of an INT8, INT16 or INT32 column, as int32 (as they travel). Otherwise as `milvus_result_column_bool`.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_int32(
    result: *const milvus_result,
    column: usize,
    values_out: *mut *const i32,
    len_out: *mut usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: result is NULL or live (header contract).
        let r = unsafe { res(result) }.ok_or_else(|| null("result"))?;
        match r.values(column)? {
            // SAFETY: the out-pointers are checked inside.
            Values::Int32(s) => unsafe { put_slice(s, values_out, len_out) },
            _ => Err(mismatch(r, column, "INT8/INT16/INT32")),
        }
    })
}

/// The values of an INT64 column. Otherwise as `milvus_result_column_bool`.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_int64(
    result: *const milvus_result,
    column: usize,
    values_out: *mut *const i64,
    len_out: *mut usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: result is NULL or live (header contract).
        let r = unsafe { res(result) }.ok_or_else(|| null("result"))?;
        match r.values(column)? {
            // SAFETY: the out-pointers are checked inside.
            Values::Int64(s) => unsafe { put_slice(s, values_out, len_out) },
            _ => Err(mismatch(r, column, "INT64")),
        }
    })
}

/// The values of a FLOAT column. Otherwise as `milvus_result_column_bool`.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_float(
    result: *const milvus_result,
    column: usize,
    values_out: *mut *const f32,
    len_out: *mut usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: result is NULL or live (header contract).
        let r = unsafe { res(result) }.ok_or_else(|| null("result"))?;
        match r.values(column)? {
            // SAFETY: the out-pointers are checked inside.
            Values::Float(s) => unsafe { put_slice(s, values_out, len_out) },
            _ => Err(mismatch(r, column, "FLOAT")),
        }
    })
}

/// The values of a DOUBLE column. Otherwise as `milvus_result_column_bool`.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_double(
    result: *const milvus_result,
    column: usize,
    values_out: *mut *const f64,
    len_out: *mut usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: result is NULL or live (header contract).
        let r = unsafe { res(result) }.ok_or_else(|| null("result"))?;
        match r.values(column)? {
            // SAFETY: the out-pointers are checked inside.
            Values::Double(s) => unsafe { put_slice(s, values_out, len_out) },
            _ => Err(mismatch(r, column, "DOUBLE")),
        }
    })
}

/// The value of row `row` of a VARCHAR, JSON or `"$meta"` column (JSON as its text) as `*ptr`
/// (not NUL-terminated) and `*len` bytes. Borrowed: valid until `milvus_result_free`.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_string(
    result: *const milvus_result,
    column: usize,
    row: usize,
    ptr: *mut *const c_char,
    len: *mut usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: result is NULL or live (header contract).
        let r = unsafe { res(result) }.ok_or_else(|| null("result"))?;
        if ptr.is_null() || len.is_null() {
            return Err(null(if ptr.is_null() { "ptr" } else { "len" }));
        }
        let bytes: &[u8] = match r.values(column)? {
            Values::Strings(s) => s
                .get(row)
                .ok_or_else(|| out_of_range("row", row, s.len()))?
                .as_bytes(),
            Values::Bytes(b) => b
                .get(row)
                .ok_or_else(|| out_of_range("row", row, b.len()))?,
            _ => return Err(mismatch(r, column, "string or JSON")),
        };
        // SAFETY: both checked non-NULL.
        unsafe {
            *ptr = bytes.as_ptr().cast();
            *len = bytes.len();
        }
        Ok(())
    })
}

/// The vectors of a dense vector column, row-major and contiguous: `*data_out` points to
/// `num_rows * dim` floats (FLOAT_VECTOR), `num_rows * dim` uint16 bit patterns
/// (FLOAT16/BFLOAT16), `num_rows * dim` int8 (INT8_VECTOR) or `num_rows * dim / 8` bytes
/// (BINARY_VECTOR, dim in bits); `*dim_out` receives the dimension. Borrowed, no copy: valid
/// until `milvus_result_free`.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_vectors(
    result: *const milvus_result,
    column: usize,
    data_out: *mut *const c_void,
    dim_out: *mut usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: result is NULL or live (header contract).
        let r = unsafe { res(result) }.ok_or_else(|| null("result"))?;
        if data_out.is_null() || dim_out.is_null() {
            return Err(null(if data_out.is_null() {
                "data_out"
            } else {
                "dim_out"
            }));
        }
        let (p, dim) = match r.values(column)? {
            Values::FloatVectors { data, dim } => (data.as_ptr().cast::<c_void>(), dim),
            Values::Vectors { data, dim } => (data.as_ptr().cast::<c_void>(), dim),
            _ => return Err(mismatch(r, column, "dense vector")),
        };
        // SAFETY: both checked non-NULL.
        unsafe {
            *data_out = p;
            *dim_out = dim;
        }
        Ok(())
    })
}

/// Row `row` of a SPARSE_FLOAT_VECTOR column: `*pairs_out` points to `*nnz_out` pairs of
/// (uint32 index, float value), 8 bytes each, little-endian and sorted by index (not
/// necessarily aligned: read with memcpy). Borrowed: valid until `milvus_result_free`.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_sparse(
    result: *const milvus_result,
    column: usize,
    row: usize,
    pairs_out: *mut *const u8,
    nnz_out: *mut usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: result is NULL or live (header contract).
        let r = unsafe { res(result) }.ok_or_else(|| null("result"))?;
        if pairs_out.is_null() || nnz_out.is_null() {
            return Err(null(if pairs_out.is_null() {
                "pairs_out"
            } else {
                "nnz_out"
            }));
        }
        let row_bytes = match r.values(column)? {
            Values::Sparse(rows) => rows
                .get(row)
                .ok_or_else(|| out_of_range("row", row, rows.len()))?,
            _ => return Err(mismatch(r, column, "sparse vector")),
        };
        // SAFETY: both checked non-NULL.
        unsafe {
            *pairs_out = row_bytes.as_ptr();
            *nnz_out = row_bytes.len() / 8;
        }
        Ok(())
    })
}

/// Which rows of a nullable column hold a value: `*valid_out` receives `*len_out` flags (one
/// per row), or NULL and 0 when the column is not nullable (every row valid). Borrowed: valid
/// until `milvus_result_free`.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_validity(
    result: *const milvus_result,
    column: usize,
    valid_out: *mut *const bool,
    len_out: *mut usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: result is NULL or live (header contract).
        let r = unsafe { res(result) }.ok_or_else(|| null("result"))?;
        let v = &r.column(column)?.valid_data;
        let v: &[bool] = if v.is_empty() { &[] } else { v };
        if valid_out.is_null() || len_out.is_null() {
            return Err(null(if valid_out.is_null() {
                "valid_out"
            } else {
                "len_out"
            }));
        }
        // SAFETY: both checked non-NULL.
        unsafe {
            *valid_out = if v.is_empty() {
                std::ptr::null()
            } else {
                v.as_ptr()
            };
            *len_out = v.len();
        }
        Ok(())
    })
}

/// Renders the result as the JSON the JSON method returns (search and hybrid search: hits per
/// query; query and get: rows; iterator pages: the page; writes: counts and ids). On success
/// `*json_out` receives a buffer owned by the caller (`milvus_buffer_free`).
#[no_mangle]
pub unsafe extern "C" fn milvus_result_to_json(
    result: *const milvus_result,
    json_out: *mut milvus_buffer,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: result is NULL or live (header contract).
        let r = unsafe { res(result) }.ok_or_else(|| null("result"))?;
        if json_out.is_null() {
            return Err(null("json_out"));
        }
        let bytes = r.to_json()?;
        // SAFETY: json_out was checked non-NULL and points to a writable milvus_buffer.
        unsafe { json_out.write(milvus_buffer::from_vec(bytes)) };
        Ok(())
    })
}
