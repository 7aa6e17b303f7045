//! `milvus_columns`: the typed path's column builder (docs/typed-api.md).

use super::error::milvus_error;
use super::status::milvus_status;
use super::{boundary, free_box, null, put_out, req_str, slice};
use crate::codec::columns::{Columns, Kind};
use crate::error::{Error, Result};
use std::ffi::{c_char, CStr};

/// Column data for a typed insert or upsert, or the query vectors of a typed search. Build it
/// with `milvus_columns_new` and the `milvus_columns_add_*` functions; free it with
/// `milvus_columns_free`. Adding columns must not race with other use of the same builder;
/// once built it may be sent any number of times, from several threads at once.
pub struct milvus_columns {
    /// Shared with the non-blocking calls sending it, which may outlive the handle.
    inner: std::sync::Arc<Columns>,
}

impl milvus_columns {
    /// The builder, for adders defined elsewhere (ffi/arrow.rs); refused while a non-blocking
    /// call still sends the columns.
    pub(super) fn builder(&mut self) -> Result<&mut Columns> {
        std::sync::Arc::get_mut(&mut self.inner).ok_or_else(|| {
            Error::invalid(
                "columns: a non-blocking call still sends them; add once it has completed",
            )
        })
    }
}

/// # Safety
/// `columns` must be NULL or a live builder.
pub(super) unsafe fn built<'a>(columns: *const milvus_columns, what: &str) -> Result<&'a Columns> {
    // SAFETY: per this function's contract.
    unsafe { columns.as_ref() }
        .map(|c| &*c.inner)
        .ok_or_else(|| null(what))
}

/// A reference of its own to a builder's columns, for a call that may outlive the handle.
///
/// # Safety
/// `columns` must be NULL or a live builder.
pub(super) unsafe fn shared(
    columns: *const milvus_columns,
    what: &str,
) -> Result<std::sync::Arc<Columns>> {
    // SAFETY: per this function's contract.
    unsafe { columns.as_ref() }
        .map(|c| c.inner.clone())
        .ok_or_else(|| null(what))
}

/// The builder and field name every adder starts with.
///
/// # Safety
/// `columns` must be NULL or a live builder not used by another thread during the call;
/// `field` NULL or a NUL-terminated string.
unsafe fn target<'a>(
    columns: *mut milvus_columns,
    field: *const c_char,
) -> Result<(&'a mut Columns, &'a str)> {
    // SAFETY: per this function's contract.
    let cols = unsafe { columns.as_mut() }.ok_or_else(|| null("columns"))?;
    let inner = cols.builder()?;
    // SAFETY: per this function's contract.
    Ok((inner, unsafe { req_str(field, "field") }?))
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
        put_out(columns_out, "columns_out", || {
            let inner = std::sync::Arc::new(Columns::new(num_rows)?);
            Ok(Box::into_raw(Box::new(milvus_columns { inner })))
        })
    })
}

/// Frees a builder. NULL is a no-op. Results of calls that used it stay valid.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_free(columns: *mut milvus_columns) {
    // SAFETY: a non-NULL builder came from milvus_columns_new and is freed once (header contract).
    unsafe { free_box(columns) }
}

/// A numeric adder, `Columns::add_<type>`.
type AddScalar<T> = fn(&mut Columns, &str, &[T], Option<&[u8]>) -> Result<()>;

/// The body of the numeric adders.
///
/// # Safety
/// As the header describes for `milvus_columns_add_bool`.
unsafe fn add_scalar<T>(
    columns: *mut milvus_columns,
    field: *const c_char,
    values: *const T,
    n: usize,
    validity: *const u8,
    add: AddScalar<T>,
) -> Result<()> {
    // SAFETY: forwarded contract.
    unsafe {
        let (cols, field) = target(columns, field)?;
        add(
            cols,
            field,
            slice(values, n, "values")?,
            bitmap(validity, n)?,
        )
    }
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
    // SAFETY: pointers are NULL or valid as the header describes.
    boundary(error_out, || unsafe {
        add_scalar(columns, field, values, n, validity, Columns::add_bool)
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
    // SAFETY: pointers are NULL or valid as the header describes.
    boundary(error_out, || unsafe {
        add_scalar(columns, field, values, n, validity, Columns::add_int8)
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
    // SAFETY: pointers are NULL or valid as the header describes.
    boundary(error_out, || unsafe {
        add_scalar(columns, field, values, n, validity, Columns::add_int16)
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
    // SAFETY: pointers are NULL or valid as the header describes.
    boundary(error_out, || unsafe {
        add_scalar(columns, field, values, n, validity, Columns::add_int32)
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
    // SAFETY: pointers are NULL or valid as the header describes.
    boundary(error_out, || unsafe {
        add_scalar(columns, field, values, n, validity, Columns::add_int64)
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
    // SAFETY: pointers are NULL or valid as the header describes.
    boundary(error_out, || unsafe {
        add_scalar(columns, field, values, n, validity, Columns::add_float)
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
    // SAFETY: pointers are NULL or valid as the header describes.
    boundary(error_out, || unsafe {
        add_scalar(columns, field, values, n, validity, Columns::add_double)
    })
}

/// The body of the VARCHAR and JSON adders.
///
/// # Safety
/// As the header describes for `milvus_columns_add_varchar`.
unsafe fn add_text(
    columns: *mut milvus_columns,
    field: *const c_char,
    values: *const *const c_char,
    lengths: *const usize,
    n: usize,
    validity: *const u8,
    json: bool,
) -> Result<()> {
    // SAFETY: forwarded contract.
    let (cols, field, ptrs, lens) = unsafe {
        let (cols, field) = target(columns, field)?;
        let ptrs = slice(values, n, "values")?;
        let lens = if lengths.is_null() {
            None
        } else {
            Some(slice(lengths, n, "lengths")?)
        };
        (cols, field, ptrs, lens)
    };
    let mut strings = Vec::with_capacity(n);
    for (i, &p) in ptrs.iter().enumerate() {
        if p.is_null() {
            return Err(null(&format!("values[{i}]")));
        }
        strings.push(match lens {
            // SAFETY: the caller vouches for lengths[i] readable bytes at values[i].
            Some(l) => unsafe { slice(p.cast::<u8>(), l[i], "values[i]")? },
            // SAFETY: values[i] is NUL-terminated when no lengths are given.
            None => unsafe { CStr::from_ptr(p) }.to_bytes(),
        });
    }
    // SAFETY: forwarded contract.
    let valid = unsafe { bitmap(validity, n) }?;
    cols.add_strings(field, &strings, valid, json)
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
    // SAFETY: pointers are NULL or valid as the header describes.
    boundary(error_out, || unsafe {
        add_text(columns, field, values, lengths, n, validity, false)
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
    // SAFETY: pointers are NULL or valid as the header describes.
    boundary(error_out, || unsafe {
        add_text(columns, field, values, lengths, n, validity, true)
    })
}

/// The body of the dense vector adders: `data` holds `len` elements, handed to `add`.
///
/// # Safety
/// As the header describes for `milvus_columns_add_float_vector`.
unsafe fn add_vector<T>(
    columns: *mut milvus_columns,
    field: *const c_char,
    data: *const T,
    len: usize,
    add: impl FnOnce(&mut Columns, &str, &[T]) -> Result<()>,
) -> Result<()> {
    // SAFETY: forwarded contract.
    unsafe {
        let (cols, field) = target(columns, field)?;
        add(cols, field, slice(data, len, "data")?)
    }
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
    // SAFETY: pointers are NULL or valid as the header describes.
    boundary(error_out, || unsafe {
        add_vector(columns, field, data, n.saturating_mul(dim), |c, f, d| {
            c.add_float_vector(f, d, n, dim)
        })
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
    // SAFETY: pointers are NULL or valid as the header describes.
    boundary(error_out, || unsafe {
        add_vector(
            columns,
            field,
            data,
            n.saturating_mul(dim / 8),
            |c, f, d| c.add_binary_vector(f, d, n, dim),
        )
    })
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
        add_vector(columns, field, data, n.saturating_mul(dim), |c, f, d| {
            c.add_half_vector(f, Kind::Float16Vector, d, n, dim)
        })
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
        add_vector(columns, field, data, n.saturating_mul(dim), |c, f, d| {
            c.add_half_vector(f, Kind::BFloat16Vector, d, n, dim)
        })
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
    // SAFETY: pointers are NULL or valid as the header describes.
    boundary(error_out, || unsafe {
        add_vector(columns, field, data, n.saturating_mul(dim), |c, f, d| {
            c.add_int8_vector(f, d, n, dim)
        })
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
            let (cols, field) = target(columns, field)?;
            (cols, field, slice(indptr, n.saturating_add(1), "indptr")?)
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
