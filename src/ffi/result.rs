//! `milvus_result`: a typed call's decoded reply, read in place (docs/typed-api.md).

use super::buffer::milvus_buffer;
use super::error::milvus_error;
use super::status::milvus_status;
use super::{boundary, boundary_or, free_box, null, put_out, put_pair, req_str};
use crate::codec::typed::{TypedResult, Values};
use crate::error::{Error, ErrorKind, Result};
use std::ffi::{c_char, c_void, CString};
use std::ptr;
use std::sync::Arc;

/// A typed result: search hits, query rows, or the outcome of a write. Read it with the
/// `milvus_result_*` accessors; free it with `milvus_result_free`. Immutable: it may be read
/// from several threads at once. An accessor that returns a value rather than a status gives
/// the same value for a NULL result as for an internal error (0, NULL, false,
/// `MILVUS_ID_NONE`, `MILVUS_TYPE_NONE`).
pub struct milvus_result {
    /// Shared with the Arrow arrays exported from it, which outlive it (ffi/arrow.rs).
    inner: Arc<TypedResult>,
    /// The column names as C strings, for `milvus_result_column_name`.
    names: Vec<CString>,
}

impl milvus_result {
    /// Hands `r` to the caller, who frees it with `milvus_result_free`.
    pub(super) fn boxed(r: TypedResult) -> *mut milvus_result {
        // A name with a NUL cannot be a C string: it reads as empty.
        let names = r
            .fields()
            .iter()
            .map(|f| CString::new(f.field_name.as_str()).unwrap_or_default())
            .collect();
        Box::into_raw(Box::new(milvus_result {
            inner: Arc::new(r),
            names,
        }))
    }

    /// The decoded reply, for owners that outlive the result.
    pub(super) fn shared(&self) -> Arc<TypedResult> {
        self.inner.clone()
    }
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
    unsafe { r.as_ref() }.map(|r| &*r.inner)
}

/// The body of the value accessors: `default` for a NULL result or a panic.
fn read<T: Copy>(r: Option<&TypedResult>, default: T, f: impl FnOnce(&TypedResult) -> T) -> T {
    boundary_or(default, || r.map_or(default, f))
}

/// The body of the accessors that return a status: `f` runs in the boundary.
fn fallible(
    r: Option<&TypedResult>,
    error_out: *mut *mut milvus_error,
    f: impl FnOnce(&TypedResult) -> Result<()>,
) -> milvus_status {
    boundary(error_out, || f(r.ok_or_else(|| null("result"))?))
}

/// Number of queries: a search's nq; 1 for query, get, iterator pages and writes. 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_num_queries(result: *const milvus_result) -> usize {
    // SAFETY: result is NULL or live (header contract).
    read(unsafe { res(result) }, 0, TypedResult::num_queries)
}

/// Number of rows: all hits of all queries, the rows of a query, or the ids of a write.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_num_rows(result: *const milvus_result) -> usize {
    // SAFETY: result is NULL or live (header contract).
    read(unsafe { res(result) }, 0, TypedResult::num_rows)
}

/// The first row of query `query`'s hits (rows of a search are grouped by query). 0 when out
/// of range.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_hit_offset(
    result: *const milvus_result,
    query: usize,
) -> usize {
    // SAFETY: result is NULL or live (header contract).
    read(unsafe { res(result) }, 0, |r| {
        r.hits(query).map_or(0, |h| h.0)
    })
}

/// How many hits query `query` has: its rows are `[offset, offset + count)`. 0 when out of
/// range.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_hit_count(
    result: *const milvus_result,
    query: usize,
) -> usize {
    // SAFETY: result is NULL or live (header contract).
    read(unsafe { res(result) }, 0, |r| {
        r.hits(query).map_or(0, |h| h.1)
    })
}

/// Rows written by an insert or upsert (0 for other results).
#[no_mangle]
pub unsafe extern "C" fn milvus_result_write_count(result: *const milvus_result) -> u64 {
    // SAFETY: result is NULL or live (header contract).
    read(unsafe { res(result) }, 0, TypedResult::write_count)
}

/// How the rows are identified: `MILVUS_ID_INT64`, `MILVUS_ID_STRING`, or `MILVUS_ID_NONE`
/// (query results, which carry the primary key as a column).
#[no_mangle]
pub unsafe extern "C" fn milvus_result_id_type(result: *const milvus_result) -> milvus_id_type {
    // SAFETY: result is NULL or live (header contract).
    read(unsafe { res(result) }, MILVUS_ID_NONE, |r| {
        match (r.int_ids(), r.str_ids()) {
            (Some(_), _) => MILVUS_ID_INT64,
            (None, Some(_)) => MILVUS_ID_STRING,
            (None, None) => MILVUS_ID_NONE,
        }
    })
}

/// The `num_rows` INT64 ids, or NULL when the ids are not INT64 (or there are no rows).
/// Borrowed: valid until `milvus_result_free`.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_int64_ids(result: *const milvus_result) -> *const i64 {
    // SAFETY: result is NULL or live (header contract).
    read(unsafe { res(result) }, ptr::null(), |r| {
        non_empty(r.int_ids())
    })
}

/// The first element of `s`, or NULL when there is none.
fn non_empty<T>(s: Option<&[T]>) -> *const T {
    s.filter(|s| !s.is_empty())
        .map_or(ptr::null(), <[T]>::as_ptr)
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
    // SAFETY: result is NULL or live (header contract).
    fallible(unsafe { res(result) }, error_out, |r| {
        put_pair(ptr, len, ["ptr", "len"], || {
            let ids = r.str_ids().ok_or_else(|| {
                Error::new(ErrorKind::TypeMismatch, "the result's ids are not strings")
            })?;
            let s = ids
                .get(row)
                .ok_or_else(|| out_of_range("row", row, ids.len()))?;
            Ok((s.as_ptr().cast(), s.len()))
        })
    })
}

/// The `num_rows` distances (scores) of a search, grouped by query; NULL for other results.
/// Borrowed: valid until `milvus_result_free`.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_distances(result: *const milvus_result) -> *const f32 {
    // SAFETY: result is NULL or live (header contract).
    read(unsafe { res(result) }, ptr::null(), |r| {
        non_empty(r.distances())
    })
}

/// Number of columns (output fields; `"$meta"` holds the dynamic fields).
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_count(result: *const milvus_result) -> usize {
    // SAFETY: result is NULL or live (header contract).
    read(unsafe { res(result) }, 0, |r| r.fields().len())
}

/// The name of column `column` (NUL-terminated), NULL when out of range. Borrowed: valid until
/// `milvus_result_free`.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_name(
    result: *const milvus_result,
    column: usize,
) -> *const c_char {
    // SAFETY: result is NULL or live (header contract).
    let names = unsafe { result.as_ref() }.map(|r| &r.names);
    boundary_or(ptr::null(), || {
        names
            .and_then(|n| n.get(column))
            .map_or(ptr::null(), |n| n.as_ptr())
    })
}

/// The type of column `column` (`MILVUS_TYPE_*`); `MILVUS_TYPE_NONE` when out of range.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_type(
    result: *const milvus_result,
    column: usize,
) -> milvus_data_type {
    // SAFETY: result is NULL or live (header contract).
    read(unsafe { res(result) }, MILVUS_TYPE_NONE, |r| {
        r.fields()
            .get(column)
            .map_or(MILVUS_TYPE_NONE, |f| f.r#type)
    })
}

/// Whether column `column` holds the dynamic fields (`"$meta"`, a JSON object per row).
#[no_mangle]
pub unsafe extern "C" fn milvus_result_column_is_dynamic(
    result: *const milvus_result,
    column: usize,
) -> bool {
    // SAFETY: result is NULL or live (header contract).
    read(unsafe { res(result) }, false, |r| {
        r.fields().get(column).is_some_and(|f| f.is_dynamic)
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
    // SAFETY: result is NULL or live (header contract).
    fallible(unsafe { res(result) }, error_out, |r| {
        let name = req_str(name, "name")?;
        put_out(index_out, "index_out", || r.column_index(name))
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

/// The element types `milvus_result_column_<type>` hands out as one array.
trait Element: Sized {
    /// The column types that hold it, for `MILVUS_ERR_TYPE_MISMATCH`.
    const TYPES: &'static str;
    fn pick(v: Values<'_>) -> Option<&[Self]>;
}

macro_rules! element {
    ($($t:ty: $variant:ident $types:literal),* $(,)?) => {$(
        impl Element for $t {
            const TYPES: &'static str = $types;
            fn pick(v: Values<'_>) -> Option<&[Self]> {
                match v {
                    Values::$variant(s) => Some(s),
                    _ => None,
                }
            }
        }
    )*};
}

element!(
    bool: Bool "BOOL",
    i32: Int32 "INT8/INT16/INT32",
    i64: Int64 "INT64",
    f32: Float "FLOAT",
    f64: Double "DOUBLE",
);

/// The body of `milvus_result_column_bool` and its siblings.
fn column_slice<T: Element>(
    r: Option<&TypedResult>,
    column: usize,
    values_out: *mut *const T,
    len_out: *mut usize,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    fallible(r, error_out, |r| {
        let s = T::pick(r.values(column)?).ok_or_else(|| mismatch(r, column, T::TYPES))?;
        put_pair(values_out, len_out, ["values_out", "len_out"], || {
            Ok((s.as_ptr(), s.len()))
        })
    })
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
    // SAFETY: result is NULL or live (header contract).
    let r = unsafe { res(result) };
    column_slice(r, column, values_out, len_out, error_out)
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
    // SAFETY: result is NULL or live (header contract).
    let r = unsafe { res(result) };
    column_slice(r, column, values_out, len_out, error_out)
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
    // SAFETY: result is NULL or live (header contract).
    let r = unsafe { res(result) };
    column_slice(r, column, values_out, len_out, error_out)
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
    // SAFETY: result is NULL or live (header contract).
    let r = unsafe { res(result) };
    column_slice(r, column, values_out, len_out, error_out)
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
    // SAFETY: result is NULL or live (header contract).
    let r = unsafe { res(result) };
    column_slice(r, column, values_out, len_out, error_out)
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
    // SAFETY: result is NULL or live (header contract).
    fallible(unsafe { res(result) }, error_out, |r| {
        put_pair(ptr, len, ["ptr", "len"], || {
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
            Ok((bytes.as_ptr().cast(), bytes.len()))
        })
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
    // SAFETY: result is NULL or live (header contract).
    fallible(unsafe { res(result) }, error_out, |r| {
        put_pair(data_out, dim_out, ["data_out", "dim_out"], || {
            match r.values(column)? {
                Values::FloatVectors { data, dim } => Ok((data.as_ptr().cast(), dim)),
                Values::Vectors { data, dim } => Ok((data.as_ptr().cast(), dim)),
                _ => Err(mismatch(r, column, "dense vector")),
            }
        })
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
    // SAFETY: result is NULL or live (header contract).
    fallible(unsafe { res(result) }, error_out, |r| {
        put_pair(pairs_out, nnz_out, ["pairs_out", "nnz_out"], || {
            let row_bytes = match r.values(column)? {
                Values::Sparse(rows) => rows
                    .get(row)
                    .ok_or_else(|| out_of_range("row", row, rows.len()))?,
                _ => return Err(mismatch(r, column, "sparse vector")),
            };
            Ok((row_bytes.as_ptr(), row_bytes.len() / 8))
        })
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
    // SAFETY: result is NULL or live (header contract).
    fallible(unsafe { res(result) }, error_out, |r| {
        let v = &r.column(column)?.valid_data;
        put_pair(valid_out, len_out, ["valid_out", "len_out"], || {
            Ok((non_empty(Some(v.as_slice())), v.len()))
        })
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
    // SAFETY: result is NULL or live (header contract).
    fallible(unsafe { res(result) }, error_out, |r| {
        put_out(json_out, "json_out", || {
            r.to_json().map(milvus_buffer::from_vec)
        })
    })
}
