//! The Arrow C Data Interface (docs/typed-api.md): a typed result out as one struct array, and
//! a struct array in as typed columns. arrow-rs provides the ABI structs, the release
//! callbacks and the import; the conversions are src/codec/arrow.rs.

use super::columns::milvus_columns;
use super::error::milvus_error;
use super::result::milvus_result;
use super::status::milvus_status;
use super::{boundary, null};
use crate::codec::arrow as codec;
use crate::error::{Error, Result};
use arrow_array::ffi::{from_ffi, to_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::{Array, StructArray};
use arrow_buffer::Buffer;
use std::ffi::{c_char, c_void, CStr};
use std::ptr::{self, NonNull};
use std::sync::Arc;

/// Exports a result as one Arrow struct array (a record batch) through the Arrow C Data
/// Interface.
///
/// Query and get: one row per entity, a child per output field. Search, hybrid search and
/// search iterator pages: one row per hit, grouped by query, with the children `query_index`
/// (int64), `id` (int64 or utf8) and `distance` (float32) first, then the output fields.
/// Insert and upsert results: the `id` column. The types are mapped as docs/typed-api.md
/// lists (each child's metadata `milvus.type` names its Milvus type); a column with no
/// mapping is `MILVUS_ERR_TYPE_MISMATCH` naming it.
///
/// On success `*schema_out` and `*array_out` (caller-allocated, their previous contents
/// ignored) receive structs owned by the caller, who releases each with its `release`
/// callback. They stay valid after `milvus_result_free`: vector columns, ids, distances and
/// 32/64-bit numeric columns share the result's memory without a copy and keep it alive until
/// released. Nothing is written on failure.
#[no_mangle]
pub unsafe extern "C" fn milvus_result_export_arrow(
    result: *const milvus_result,
    schema_out: *mut FFI_ArrowSchema,
    array_out: *mut FFI_ArrowArray,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        // SAFETY: result is NULL or live (header contract).
        let r = unsafe { result.as_ref() }.ok_or_else(|| null("result"))?;
        if schema_out.is_null() {
            return Err(null("schema_out"));
        }
        if array_out.is_null() {
            return Err(null("array_out"));
        }
        let owner = r.shared();
        let share = |b: &[u8]| -> Buffer {
            let Some(start) = NonNull::new(b.as_ptr().cast_mut()).filter(|_| !b.is_empty()) else {
                // Empty, but aligned for any element type.
                return arrow_buffer::MutableBuffer::new(0).into();
            };
            let keep: Arc<dyn arrow_buffer::alloc::Allocation> = owner.clone();
            // SAFETY: codec::arrow::export shares only bytes of the result it was given, which
            // `keep` holds alive and which nothing mutates (a result is immutable).
            unsafe { Buffer::from_custom_allocation(start, b.len(), keep) }
        };
        let batch = codec::export(&owner, &share)?;
        let (array, schema) = to_ffi(&batch.to_data())
            .map_err(|e| Error::new(crate::error::ErrorKind::Internal, format!("arrow: {e}")))?;
        // SAFETY: both are non-NULL and writable for one struct (header contract); what they
        // held is not ours, so it is overwritten without being dropped.
        unsafe {
            ptr::write(schema_out, schema);
            ptr::write(array_out, array);
        }
        Ok(())
    })
}

/// Adds every child of an Arrow struct array (a record batch) as the column of the same name,
/// as the `milvus_columns_add_*` functions would (types as docs/typed-api.md maps them:
/// utf8, large_utf8 and utf8_view for VARCHAR; the `arrow.json` extension or the name
/// `"$meta"` for JSON; fixed_size_binary for BINARY_VECTOR, or BFLOAT16_VECTOR when the
/// child's metadata `milvus.type` says so; list and large_list for ARRAY). The batch must
/// have the builder's row count (`MILVUS_ERR_ROW_COUNT_MISMATCH`); nulls become the validity
/// of nullable fields. All columns are added or none.
///
/// Takes ownership of both structs, as Arrow's importers do, whatever the outcome: each
/// non-NULL one is moved out (the caller's copy is marked released) and released by the
/// library. A released struct, a malformed array (checked in full), or a type with no Milvus
/// counterpart is `MILVUS_ERR_INVALID_ARGUMENT` or `MILVUS_ERR_TYPE_MISMATCH` naming the
/// child.
#[no_mangle]
pub unsafe extern "C" fn milvus_columns_add_arrow(
    columns: *mut milvus_columns,
    schema: *mut FFI_ArrowSchema,
    array: *mut FFI_ArrowArray,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    // Moved first, so that both are released on every path (their Drop releases them).
    // SAFETY: a non-NULL pointer points to an initialized struct of the C Data Interface
    // (header contract); from_raw moves it out and leaves a released one behind.
    let array = (!array.is_null()).then(|| unsafe { FFI_ArrowArray::from_raw(array) });
    // SAFETY: as above.
    let schema = (!schema.is_null()).then(|| unsafe { FFI_ArrowSchema::from_raw(schema) });
    boundary(error_out, move || {
        // SAFETY: columns is NULL or a live builder not used by another thread (header contract).
        let cols = unsafe { columns.as_mut() }.ok_or_else(|| null("columns"))?;
        let schema = schema.ok_or_else(|| null("schema"))?;
        let array = array.ok_or_else(|| null("array"))?;
        let batch = import(schema, array)?;
        codec::add_batch(cols.builder()?, &batch)
    })
}

/// The C struct of an `ArrowSchema`, to check what arrow-rs would otherwise trust or panic
/// on (NULL or non-UTF-8 strings, negative counts) before it reads it.
#[repr(C)]
struct RawSchema {
    format: *const c_char,
    name: *const c_char,
    metadata: *const c_char,
    flags: i64,
    n_children: i64,
    children: *mut *mut RawSchema,
    dictionary: *mut RawSchema,
    release: Option<unsafe extern "C" fn(*mut RawSchema)>,
    private_data: *mut c_void,
}

/// The C struct of an `ArrowArray`, likewise.
#[repr(C)]
struct RawArray {
    length: i64,
    null_count: i64,
    offset: i64,
    n_buffers: i64,
    n_children: i64,
    buffers: *mut *const c_void,
    children: *mut *mut RawArray,
    dictionary: *mut RawArray,
    release: Option<unsafe extern "C" fn(*mut RawArray)>,
    private_data: *mut c_void,
}

/// Nesting deeper than this is refused rather than followed.
const MAX_DEPTH: usize = 64;

fn invalid(at: &str, what: &str) -> Error {
    if at.is_empty() {
        return Error::invalid(format!("the Arrow struct array: {what}"));
    }
    Error::invalid(format!("Arrow column {at:?}: {what}"))
}

/// A C string for an error message; "" for NULL.
///
/// # Safety
/// `p` is NULL or NUL-terminated.
unsafe fn lossy(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: per this function's contract.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// Checks a schema's strings and children, recursively; `at` names the column for errors.
///
/// # Safety
/// `s` points to an initialized `ArrowSchema` whose non-NULL pointers are valid.
unsafe fn check_schema(s: &RawSchema, at: &str, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(invalid(at, "nested too deeply"));
    }
    if s.release.is_none() {
        return Err(invalid(at, "its schema was already released"));
    }
    if s.format.is_null() {
        return Err(invalid(at, "its schema has no format"));
    }
    // SAFETY: non-NULL strings are NUL-terminated (function contract).
    if unsafe { CStr::from_ptr(s.format) }.to_str().is_err() {
        return Err(invalid(at, "its format is not UTF-8"));
    }
    // SAFETY: as above.
    if !s.name.is_null() && unsafe { CStr::from_ptr(s.name) }.to_str().is_err() {
        return Err(invalid(at, "its name is not UTF-8"));
    }
    if s.n_children < 0 || (s.n_children > 0 && s.children.is_null()) {
        return Err(invalid(at, "its schema's children are malformed"));
    }
    for i in 0..s.n_children as usize {
        // SAFETY: children holds n_children pointers (function contract).
        let c = unsafe { *s.children.add(i) };
        // SAFETY: a non-NULL child is an initialized schema (function contract).
        let c = unsafe { c.as_ref() }.ok_or_else(|| invalid(at, "a child schema is NULL"))?;
        // A child of the batch is a column: errors below it name it.
        let child_at = if depth == 0 {
            // SAFETY: as above.
            unsafe { lossy(c.name) }
        } else {
            at.to_string()
        };
        // SAFETY: as above.
        unsafe { check_schema(c, &child_at, depth + 1) }?;
    }
    // SAFETY: as above.
    match unsafe { s.dictionary.as_ref() } {
        // SAFETY: as above.
        Some(d) => unsafe { check_schema(d, at, depth + 1) },
        None => Ok(()),
    }
}

/// Checks an array's counts and pointers, recursively.
///
/// # Safety
/// `a` points to an initialized `ArrowArray` whose non-NULL pointers are valid.
/// `names` are the batch's column names, used at the top.
unsafe fn check_array(a: &RawArray, at: &str, names: &[String], depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(invalid(at, "nested too deeply"));
    }
    if a.release.is_none() {
        return Err(invalid(at, "its array was already released"));
    }
    if a.length < 0 || a.offset < 0 || a.null_count < -1 || a.n_buffers < 0 {
        return Err(invalid(
            at,
            "its array has a negative length, offset or count",
        ));
    }
    if a.n_buffers > 0 && a.buffers.is_null() {
        return Err(invalid(at, "its array's buffers are NULL"));
    }
    if a.n_children < 0 || (a.n_children > 0 && a.children.is_null()) {
        return Err(invalid(at, "its array's children are malformed"));
    }
    for i in 0..a.n_children as usize {
        // SAFETY: children holds n_children pointers (function contract).
        let c = unsafe { *a.children.add(i) };
        let child_at = names.get(i).map_or(at, String::as_str);
        // SAFETY: a non-NULL child is an initialized array (function contract).
        let c = unsafe { c.as_ref() }.ok_or_else(|| invalid(child_at, "its array is NULL"))?;
        // SAFETY: as above.
        unsafe { check_array(c, child_at, &[], depth + 1) }?;
    }
    // SAFETY: as above.
    match unsafe { a.dictionary.as_ref() } {
        // SAFETY: as above.
        Some(d) => unsafe { check_array(d, at, &[], depth + 1) },
        None => Ok(()),
    }
}

/// Imports a struct array, checking its structs before arrow-rs reads them and its data in
/// full after, column by column so that an error names the column.
fn import(schema: FFI_ArrowSchema, array: FFI_ArrowArray) -> Result<StructArray> {
    // SAFETY: the structs were moved from the caller, who vouched for them; the layouts are
    // the C Data Interface's, which FFI_ArrowSchema/FFI_ArrowArray are too (repr(C)).
    let (rs, ra) = unsafe {
        (
            &*(&schema as *const FFI_ArrowSchema).cast::<RawSchema>(),
            &*(&array as *const FFI_ArrowArray).cast::<RawArray>(),
        )
    };
    // SAFETY: as above.
    unsafe { check_schema(rs, "", 0) }?;
    if schema.format() != "+s" {
        return Err(Error::invalid(format!(
            "the Arrow array is not a struct array (a record batch): its format is {:?}",
            schema.format()
        )));
    }
    let names: Vec<String> = schema
        .children()
        .map(|c| c.name().unwrap_or_default().to_string())
        .collect();
    // SAFETY: as above.
    unsafe { check_array(ra, "", &names, 0) }?;
    if array.num_children() != names.len() {
        return Err(Error::invalid(format!(
            "the Arrow schema has {} children, the array {}",
            names.len(),
            array.num_children()
        )));
    }
    for (c, name) in schema.children().zip(&names) {
        arrow_schema::Field::try_from(c).map_err(|e| invalid(name, &e.to_string()))?;
    }
    // SAFETY: the structs are checked above; the buffers are as the caller vouched.
    let data = unsafe { from_ffi(array, &schema) }
        .map_err(|e| Error::invalid(format!("Arrow import: {e}")))?;
    for (c, name) in data.child_data().iter().zip(&names) {
        c.validate_full()
            .map_err(|e| invalid(name, &e.to_string()))?;
    }
    data.validate()
        .map_err(|e| Error::invalid(format!("Arrow struct array: {e}")))?;
    let batch = StructArray::from(data);
    if batch.is_empty() && batch.num_columns() == 0 {
        return Err(Error::invalid("the Arrow struct array has no columns"));
    }
    Ok(batch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::typed::TypedResult;
    use crate::proto::milvus as m;
    use crate::proto::schema::{field_data, vector_field, FieldData, FloatArray, VectorField};
    use arrow_array::cast::AsArray;
    use arrow_array::types::Float32Type;
    use std::mem::MaybeUninit;

    const N: usize = 20_000;
    const DIM: usize = 128;

    fn vectors() -> *mut milvus_result {
        let data: Vec<f32> = (0..N * DIM).map(|i| i as f32).collect();
        let fd = FieldData {
            r#type: 101,
            field_name: "v".into(),
            field: Some(field_data::Field::Vectors(VectorField {
                dim: DIM as i64,
                data: Some(vector_field::Data::FloatVector(FloatArray { data })),
            })),
            ..Default::default()
        };
        milvus_result::boxed(TypedResult::rows(m::QueryResults {
            fields_data: vec![fd],
            output_fields: vec!["v".into()],
            ..Default::default()
        }))
    }

    /// The FLOAT_VECTOR child is the result's own buffer (no copy), and it outlives the result.
    #[test]
    fn exported_vectors_share_the_result_and_outlive_it() {
        let r = vectors();
        // SAFETY: r is live until freed below.
        let shared = match unsafe { &*r }.shared().values(0).unwrap() {
            crate::codec::typed::Values::FloatVectors { data, .. } => data.as_ptr(),
            _ => unreachable!(),
        };
        let mut s = MaybeUninit::<FFI_ArrowSchema>::uninit();
        let mut a = MaybeUninit::<FFI_ArrowArray>::uninit();
        let started = std::time::Instant::now();
        // SAFETY: r is live; s and a are writable.
        let st = unsafe {
            milvus_result_export_arrow(r, s.as_mut_ptr(), a.as_mut_ptr(), ptr::null_mut())
        };
        let took = started.elapsed();
        assert_eq!(st, milvus_status::MILVUS_OK);
        // SAFETY: r came from boxed and is freed once.
        unsafe { super::super::result::milvus_result_free(r) };
        // SAFETY: written by the successful export.
        let (s, a) = unsafe { (s.assume_init(), a.assume_init()) };
        // SAFETY: a batch just exported by arrow-rs.
        let data = unsafe { from_ffi(a, &s) }.unwrap();
        let batch = StructArray::from(data);
        let v = batch.column(0).as_fixed_size_list();
        let items = v.values().as_primitive::<Float32Type>();
        assert_eq!(items.values().as_ptr(), shared);
        assert_eq!(items.value(N * DIM - 1), (N * DIM - 1) as f32);
        // For the record (10 MB by reference: ~0.4 ms in a debug build, the schema's and the
        // structs' allocations); the pointer identity above is the proof of no copy.
        eprintln!("export of {N}x{DIM} float32 vectors took {took:?}");
    }

    #[test]
    fn import_takes_both_structs_on_every_path() {
        let r = vectors();
        let mut s = MaybeUninit::<FFI_ArrowSchema>::uninit();
        let mut a = MaybeUninit::<FFI_ArrowArray>::uninit();
        // SAFETY: r is live; s and a are writable.
        assert_eq!(
            unsafe {
                milvus_result_export_arrow(r, s.as_mut_ptr(), a.as_mut_ptr(), ptr::null_mut())
            },
            milvus_status::MILVUS_OK
        );
        // SAFETY: r came from boxed and is freed once.
        unsafe { super::super::result::milvus_result_free(r) };
        // SAFETY: written by the successful export.
        let (mut s, mut a) = unsafe { (s.assume_init(), a.assume_init()) };
        // A NULL builder: refused, and both structs released all the same.
        // SAFETY: s and a are live structs.
        let st =
            unsafe { milvus_columns_add_arrow(ptr::null_mut(), &mut s, &mut a, ptr::null_mut()) };
        assert_eq!(
            st,
            crate::ffi::status::status_of(crate::error::ErrorKind::NullArgument)
        );
        assert!(a.is_released() && s.release().is_none());
    }
}
