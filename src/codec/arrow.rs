//! Typed results as one Arrow struct array (a record batch), and Arrow struct arrays as typed
//! columns: the data side of the Arrow C Data Interface (the ABI is src/ffi/arrow.rs). The
//! type mapping is documented in docs/typed-api.md.

use super::columns::{Columns, Kind};
use super::schema::type_name;
use super::typed::TypedResult;
use crate::error::{Error, ErrorKind, Result};
use crate::proto::schema::{
    field_data, scalar_field, vector_field, DataType as M, FieldData, ScalarField,
};
use arrow_array::types::{
    Float16Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt32Type,
};
use arrow_array::{
    Array, ArrayRef, BooleanArray, FixedSizeBinaryArray, FixedSizeListArray, GenericByteArray,
    GenericListArray, LargeStringArray, MapArray, OffsetSizeTrait, PrimitiveArray, StringArray,
    StringViewArray, StructArray,
};
use arrow_buffer::{
    ArrowNativeType, BooleanBuffer, Buffer, MutableBuffer, NullBuffer, OffsetBuffer, ScalarBuffer,
    ToByteSlice,
};
use arrow_schema::{DataType, Field, Fields};
use half::f16;
use std::collections::HashMap;
use std::sync::Arc;

/// The canonical extension name of JSON text columns.
pub const JSON_EXTENSION: &str = "arrow.json";
const EXTENSION_KEY: &str = "ARROW:extension:name";
/// Field metadata naming the Milvus type of an exported column; on import it tells a
/// BFLOAT16_VECTOR from a BINARY_VECTOR (both fixed_size_binary).
pub const TYPE_KEY: &str = "milvus.type";

/// Makes a buffer of bytes that lie inside the result being exported, without copying them:
/// the buffer keeps the result alive (src/ffi/arrow.rs).
pub type Share<'a> = &'a dyn Fn(&[u8]) -> Buffer;

fn shared<T: ArrowNativeType>(share: Share<'_>, s: &[T]) -> ScalarBuffer<T> {
    // A slice of T is aligned for T, so the shared bytes are too.
    ScalarBuffer::from(share(s.to_byte_slice()))
}

fn malformed(name: &str, what: String) -> Error {
    Error::new(
        ErrorKind::Internal,
        format!("malformed reply: column {name:?} {what}"),
    )
}

fn unmappable(name: &str, what: &str) -> Error {
    Error::new(
        ErrorKind::TypeMismatch,
        format!("column {name:?}: {what} has no Arrow mapping"),
    )
}

/// The first `n` of `s`, or an error naming the column when the reply is short.
fn first<'a, T>(name: &str, s: &'a [T], n: usize, per_row: usize) -> Result<&'a [T]> {
    n.checked_mul(per_row)
        .and_then(|want| s.get(..want))
        .ok_or_else(|| {
            malformed(
                name,
                format!("has {} values, {n} rows of {per_row} expected", s.len()),
            )
        })
}

/// The result as one struct array. Query and get: one row per entity, a column per output
/// field. Search: one row per hit, `query_index`, `id` and `distance` first. Writes: the ids.
pub fn export(r: &TypedResult, share: Share<'_>) -> Result<StructArray> {
    let n = r.num_rows();
    let mut fields: Vec<Field> = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    let search = r.distances().is_some();
    if search {
        let mut q = Vec::with_capacity(n);
        for query in 0..r.num_queries() {
            let (_, count) = r.hits(query).unwrap_or((0, 0));
            q.extend(std::iter::repeat_n(query as i64, count));
        }
        fields.push(Field::new("query_index", DataType::Int64, false));
        arrays.push(Arc::new(PrimitiveArray::<Int64Type>::from(q)));
    }
    if let Some(ids) = r.int_ids() {
        let ids = first("id", ids, n, 1)?;
        fields.push(Field::new("id", DataType::Int64, false));
        arrays.push(Arc::new(PrimitiveArray::<Int64Type>::new(
            shared(share, ids),
            None,
        )));
    } else if let Some(ids) = r.str_ids() {
        let ids = first("id", ids, n, 1)?;
        fields.push(Field::new("id", DataType::Utf8, false));
        arrays.push(Arc::new(StringArray::from_iter_values(ids)));
    }
    if let Some(d) = r.distances() {
        fields.push(Field::new("distance", DataType::Float32, false));
        arrays.push(Arc::new(PrimitiveArray::<Float32Type>::new(
            shared(share, first("distance", d, n, 1)?),
            None,
        )));
    }
    for fd in r.fields() {
        let name = fd.field_name.as_str();
        if let Some(at) = fields.iter().position(|f| f.name() == name) {
            // The primary key named "id" is output as a field too: the same values.
            if name == "id" && same_ids(fd, &arrays[at]) {
                continue;
            }
            return Err(Error::invalid(format!(
                "column {name:?}: its name is taken by the result's own {name:?} column"
            )));
        }
        let (field, array) = column(fd, n, share)?;
        fields.push(field);
        arrays.push(array);
    }
    StructArray::try_new_with_length(Fields::from(fields), arrays, None, n)
        .map_err(|e| Error::new(ErrorKind::Internal, format!("arrow: {e}")))
}

fn same_ids(fd: &FieldData, ids: &ArrayRef) -> bool {
    use scalar_field::Data as S;
    let Some(field_data::Field::Scalars(s)) = &fd.field else {
        return false;
    };
    match &s.data {
        Some(S::LongData(a)) => ids
            .as_any()
            .downcast_ref::<PrimitiveArray<Int64Type>>()
            .is_some_and(|i| a.data.get(..i.len()) == Some(i.values().as_ref())),
        Some(S::StringData(a)) => ids
            .as_any()
            .downcast_ref::<StringArray>()
            .is_some_and(|i| i.iter().zip(&a.data).all(|(x, y)| x == Some(y.as_str()))),
        _ => false,
    }
}

fn with_type(field: Field, t: i32) -> Field {
    let mut meta = field.metadata().clone();
    meta.insert(TYPE_KEY.to_string(), type_name(t));
    field.with_metadata(meta)
}

/// One output column as an Arrow field and array of `n` rows.
fn column(fd: &FieldData, n: usize, share: Share<'_>) -> Result<(Field, ArrayRef)> {
    use scalar_field::Data as S;
    use vector_field::Data as V;
    let name = fd.field_name.as_str();
    let nulls = if fd.valid_data.is_empty() {
        None
    } else {
        Some(NullBuffer::from(first(name, &fd.valid_data, n, 1)?))
    };
    let nullable = nulls.is_some();
    let t = fd.r#type;
    let (dt, array): (DataType, ArrayRef) = match &fd.field {
        Some(field_data::Field::Scalars(s)) => match &s.data {
            Some(S::BoolData(a)) => (
                DataType::Boolean,
                Arc::new(BooleanArray::new(
                    BooleanBuffer::from(first(name, &a.data, n, 1)?),
                    nulls,
                )),
            ),
            Some(S::IntData(a)) => {
                let v = first(name, &a.data, n, 1)?;
                if t == M::Int8 as i32 {
                    let v: Vec<i8> = v.iter().map(|x| *x as i8).collect();
                    (
                        DataType::Int8,
                        Arc::new(PrimitiveArray::<Int8Type>::new(v.into(), nulls)),
                    )
                } else if t == M::Int16 as i32 {
                    let v: Vec<i16> = v.iter().map(|x| *x as i16).collect();
                    (
                        DataType::Int16,
                        Arc::new(PrimitiveArray::<Int16Type>::new(v.into(), nulls)),
                    )
                } else {
                    (
                        DataType::Int32,
                        Arc::new(PrimitiveArray::<Int32Type>::new(shared(share, v), nulls)),
                    )
                }
            }
            Some(S::LongData(a)) => (
                DataType::Int64,
                Arc::new(PrimitiveArray::<Int64Type>::new(
                    shared(share, first(name, &a.data, n, 1)?),
                    nulls,
                )),
            ),
            Some(S::FloatData(a)) => (
                DataType::Float32,
                Arc::new(PrimitiveArray::<Float32Type>::new(
                    shared(share, first(name, &a.data, n, 1)?),
                    nulls,
                )),
            ),
            Some(S::DoubleData(a)) => (
                DataType::Float64,
                Arc::new(PrimitiveArray::<Float64Type>::new(
                    shared(share, first(name, &a.data, n, 1)?),
                    nulls,
                )),
            ),
            Some(S::StringData(a)) => {
                let v = first(name, &a.data, n, 1)?;
                (DataType::Utf8, Arc::new(utf8(name, v, nulls)?))
            }
            Some(S::GeometryWktData(a)) => {
                let v = first(name, &a.data, n, 1)?;
                (DataType::Utf8, Arc::new(utf8(name, v, nulls)?))
            }
            Some(S::JsonData(a)) => {
                let v = first(name, &a.data, n, 1)?;
                let field = Field::new(name, DataType::Utf8, nullable).with_metadata(
                    HashMap::from([(EXTENSION_KEY.to_string(), JSON_EXTENSION.to_string())]),
                );
                let t = if fd.is_dynamic { M::Json as i32 } else { t };
                return Ok((with_type(field, t), Arc::new(utf8(name, v, nulls)?)));
            }
            Some(S::ArrayData(a)) => {
                let rows = first(name, &a.data, n, 1)?;
                let elem = M::try_from(a.element_type).unwrap_or(M::None);
                let (item, values, lengths) = list_items(name, elem, rows, nulls.as_ref())?;
                let item = Arc::new(Field::new("item", item, true));
                let list = GenericListArray::<i32>::try_new(
                    item.clone(),
                    OffsetBuffer::from_lengths(lengths),
                    values,
                    nulls,
                )
                .map_err(|e| malformed(name, e.to_string()))?;
                (DataType::List(item), Arc::new(list))
            }
            _ => return Err(unmappable(name, &type_name(t))),
        },
        Some(field_data::Field::Vectors(v)) => {
            let dim = v.dim.max(0) as usize;
            // Nullable vectors travel compact (valid rows only): spread them out, with zeros
            // in the null rows. Without nulls the reply's own bytes are shared.
            let spread = |row_bytes: usize, data: &[u8]| -> Result<Option<MutableBuffer>> {
                let Some(valid) = nulls.as_ref() else {
                    return Ok(None);
                };
                let kept = n - valid.null_count();
                let data = first(name, data, kept, row_bytes)?;
                // Arrow's allocation is aligned for the element type; a Vec<u8> is not.
                let mut out = MutableBuffer::from_len_zeroed(n * row_bytes);
                let mut next = data.chunks_exact(row_bytes.max(1));
                for r in valid.valid_indices() {
                    if let Some(src) = next.next() {
                        out[r * row_bytes..(r + 1) * row_bytes].copy_from_slice(src);
                    }
                }
                Ok(Some(out))
            };
            let bytes = |row_bytes: usize, data: &[u8]| -> Result<Buffer> {
                Ok(match spread(row_bytes, data)? {
                    Some(out) => out.into(),
                    None => share(first(name, data, n, row_bytes)?),
                })
            };
            match &v.data {
                Some(V::FloatVector(a)) => {
                    let buf = bytes(dim * 4, a.data.to_byte_slice())?;
                    let child = PrimitiveArray::<Float32Type>::new(ScalarBuffer::from(buf), None);
                    fixed_list(name, DataType::Float32, dim, Arc::new(child), nulls)?
                }
                Some(V::Float16Vector(b)) => {
                    let mut buf = bytes(dim * 2, b)?;
                    if buf.as_ptr().align_offset(2) != 0 || cfg!(target_endian = "big") {
                        let v: Vec<f16> = buf
                            .chunks_exact(2)
                            .map(|c| f16::from_bits(u16::from_le_bytes([c[0], c[1]])))
                            .collect();
                        buf = Buffer::from_vec(v);
                    }
                    let child = PrimitiveArray::<Float16Type>::new(ScalarBuffer::from(buf), None);
                    fixed_list(name, DataType::Float16, dim, Arc::new(child), nulls)?
                }
                Some(V::Int8Vector(b)) => {
                    let child =
                        PrimitiveArray::<Int8Type>::new(ScalarBuffer::from(bytes(dim, b)?), None);
                    fixed_list(name, DataType::Int8, dim, Arc::new(child), nulls)?
                }
                Some(V::BinaryVector(b)) | Some(V::Bfloat16Vector(b)) => {
                    let width = if matches!(v.data, Some(V::BinaryVector(_))) {
                        dim / 8
                    } else {
                        dim * 2
                    };
                    let a = FixedSizeBinaryArray::try_new(width as i32, bytes(width, b)?, nulls)
                        .map_err(|e| malformed(name, e.to_string()))?;
                    (a.data_type().clone(), Arc::new(a) as ArrayRef)
                }
                Some(V::SparseFloatVector(s)) => sparse(name, &s.contents, n, nulls)?,
                _ => return Err(unmappable(name, &type_name(t))),
            }
        }
        _ => return Err(unmappable(name, &type_name(t))),
    };
    Ok((with_type(Field::new(name, dt, nullable), t), array))
}

fn utf8<S: AsRef<[u8]>>(name: &str, v: &[S], nulls: Option<NullBuffer>) -> Result<StringArray> {
    let mut values = Vec::with_capacity(v.iter().map(|s| s.as_ref().len()).sum());
    for (i, s) in v.iter().enumerate() {
        if std::str::from_utf8(s.as_ref()).is_err() {
            return Err(Error::new(
                ErrorKind::InvalidUtf8,
                format!("column {name:?}, row {i}: not UTF-8"),
            ));
        }
        values.extend_from_slice(s.as_ref());
    }
    let offsets = OffsetBuffer::<i32>::from_lengths(v.iter().map(|s| s.as_ref().len()));
    StringArray::try_new(offsets, Buffer::from_vec(values), nulls)
        .map_err(|e| malformed(name, e.to_string()))
}

fn fixed_list(
    name: &str,
    item: DataType,
    dim: usize,
    child: ArrayRef,
    nulls: Option<NullBuffer>,
) -> Result<(DataType, ArrayRef)> {
    let item = Arc::new(Field::new("item", item, false));
    let dim = i32::try_from(dim).map_err(|_| malformed(name, format!("has dim {dim}")))?;
    let a = FixedSizeListArray::try_new(item.clone(), dim, child, nulls)
        .map_err(|e| malformed(name, e.to_string()))?;
    Ok((DataType::FixedSizeList(item, dim), Arc::new(a)))
}

/// SPARSE_FLOAT_VECTOR rows (pairs of u32 index, f32 value) as map<uint32, float32>.
fn sparse(
    name: &str,
    contents: &[Vec<u8>],
    n: usize,
    nulls: Option<NullBuffer>,
) -> Result<(DataType, ArrayRef)> {
    let kept = n - nulls.as_ref().map_or(0, NullBuffer::null_count);
    let contents = first(name, contents, kept, 1)?;
    let mut rows = contents.iter();
    let (mut keys, mut values, mut lengths) = (Vec::new(), Vec::new(), Vec::with_capacity(n));
    for r in 0..n {
        if nulls.as_ref().is_some_and(|v| v.is_null(r)) {
            lengths.push(0);
            continue;
        }
        let row = rows.next().map_or(&[][..], Vec::as_slice);
        for p in row.chunks_exact(8) {
            keys.push(u32::from_le_bytes([p[0], p[1], p[2], p[3]]));
            values.push(f32::from_le_bytes([p[4], p[5], p[6], p[7]]));
        }
        lengths.push(row.len() / 8);
    }
    let entries = Fields::from(vec![
        Field::new("key", DataType::UInt32, false),
        Field::new("value", DataType::Float32, false),
    ]);
    let entries = StructArray::try_new(
        entries,
        vec![
            Arc::new(PrimitiveArray::<UInt32Type>::from(keys)),
            Arc::new(PrimitiveArray::<Float32Type>::from(values)),
        ],
        None,
    )
    .map_err(|e| malformed(name, e.to_string()))?;
    let field = Arc::new(Field::new("entries", entries.data_type().clone(), false));
    let map = MapArray::try_new(
        field.clone(),
        OffsetBuffer::from_lengths(lengths),
        entries,
        nulls,
        true,
    )
    .map_err(|e| malformed(name, e.to_string()))?;
    Ok((DataType::Map(field, true), Arc::new(map)))
}

/// The elements of ARRAY rows, concatenated: (item type, values, length of each row).
fn list_items(
    name: &str,
    elem: M,
    rows: &[ScalarField],
    nulls: Option<&NullBuffer>,
) -> Result<(DataType, ArrayRef, Vec<usize>)> {
    use scalar_field::Data as S;
    let mut lengths = Vec::with_capacity(rows.len());
    macro_rules! gather {
        ($variant:ident, $ty:ty, $conv:expr) => {{
            let mut out: Vec<$ty> = Vec::new();
            for (r, row) in rows.iter().enumerate() {
                match &row.data {
                    Some(S::$variant(a)) => {
                        out.extend(a.data.iter().map($conv));
                        lengths.push(a.data.len());
                    }
                    _ if nulls.is_some_and(|v| v.is_null(r)) || row.data.is_none() => {
                        lengths.push(0)
                    }
                    _ => {
                        return Err(malformed(
                            name,
                            format!("row {r} does not hold {} elements", type_name(elem as i32)),
                        ))
                    }
                }
            }
            out
        }};
    }
    let (dt, values): (DataType, ArrayRef) = match elem {
        M::Bool => (
            DataType::Boolean,
            Arc::new(BooleanArray::from(gather!(BoolData, bool, |x| *x))),
        ),
        M::Int8 => (
            DataType::Int8,
            Arc::new(PrimitiveArray::<Int8Type>::from(gather!(
                IntData,
                i8,
                |x| *x as i8
            ))),
        ),
        M::Int16 => (
            DataType::Int16,
            Arc::new(PrimitiveArray::<Int16Type>::from(gather!(
                IntData,
                i16,
                |x| *x as i16
            ))),
        ),
        M::Int32 => (
            DataType::Int32,
            Arc::new(PrimitiveArray::<Int32Type>::from(gather!(
                IntData,
                i32,
                |x| *x
            ))),
        ),
        M::Int64 => (
            DataType::Int64,
            Arc::new(PrimitiveArray::<Int64Type>::from(gather!(
                LongData,
                i64,
                |x| *x
            ))),
        ),
        M::Float => (
            DataType::Float32,
            Arc::new(PrimitiveArray::<Float32Type>::from(gather!(
                FloatData,
                f32,
                |x| *x
            ))),
        ),
        M::Double => (
            DataType::Float64,
            Arc::new(PrimitiveArray::<Float64Type>::from(gather!(
                DoubleData,
                f64,
                |x| *x
            ))),
        ),
        M::VarChar | M::String => {
            let v = gather!(StringData, String, |x| x.clone());
            (DataType::Utf8, Arc::new(StringArray::from(v)))
        }
        _ => {
            return Err(unmappable(
                name,
                &format!("ARRAY of {}", type_name(elem as i32)),
            ))
        }
    };
    Ok((dt, values, lengths))
}

// ---- import ----

fn bad(name: &str, what: impl std::fmt::Display) -> Error {
    Error::invalid(format!("Arrow column {name:?}: {what}"))
}

fn no_mapping(name: &str, dt: &DataType) -> Error {
    Error::new(
        ErrorKind::TypeMismatch,
        format!("Arrow column {name:?}: type {dt} has no Milvus counterpart"),
    )
}

/// The LSB-first validity bitmap of `a`, None when every row is valid.
fn bitmap(a: &dyn Array) -> Option<Vec<u8>> {
    let nulls = a.logical_nulls().filter(|n| n.null_count() > 0)?;
    let mut out = vec![0u8; a.len().div_ceil(8)];
    for i in nulls.valid_indices() {
        out[i / 8] |= 1 << (i % 8);
    }
    Some(out)
}

fn downcast<'a, T: 'static>(name: &str, a: &'a dyn Array) -> Result<&'a T> {
    a.as_any()
        .downcast_ref::<T>()
        .ok_or_else(|| bad(name, "its array does not match its type"))
}

/// Adds every column of `batch` (a validated struct array) to `cols`, all or nothing.
pub fn add_batch(cols: &mut Columns, batch: &StructArray) -> Result<()> {
    if batch.null_count() > 0 {
        return Err(Error::invalid(
            "the Arrow struct array has null rows: a record batch has none",
        ));
    }
    let mut next = cols.clone();
    for (field, array) in batch.fields().iter().zip(batch.columns()) {
        add_column(&mut next, field, array.as_ref())?;
    }
    *cols = next;
    Ok(())
}

fn no_nulls(name: &str, a: &dyn Array, what: &str) -> Result<()> {
    if a.logical_null_count() > 0 {
        return Err(bad(name, format!("{what} cannot be null")));
    }
    Ok(())
}

fn add_column(cols: &mut Columns, field: &Field, a: &dyn Array) -> Result<()> {
    let name = field.name().as_str();
    let valid = bitmap(a);
    let valid = valid.as_deref();
    let json = name == "$meta"
        || field.metadata().get(EXTENSION_KEY).map(String::as_str) == Some(JSON_EXTENSION);
    macro_rules! prim {
        ($t:ty, $add:ident) => {
            cols.$add(
                name,
                downcast::<PrimitiveArray<$t>>(name, a)?.values(),
                valid,
            )
        };
    }
    match a.data_type() {
        DataType::Boolean => {
            let b = downcast::<BooleanArray>(name, a)?;
            let v: Vec<bool> = b.values().iter().collect();
            cols.add_bool(name, &v, valid)
        }
        DataType::Int8 => prim!(Int8Type, add_int8),
        DataType::Int16 => prim!(Int16Type, add_int16),
        DataType::Int32 => prim!(Int32Type, add_int32),
        DataType::Int64 => prim!(Int64Type, add_int64),
        DataType::Float32 => prim!(Float32Type, add_float),
        DataType::Float64 => prim!(Float64Type, add_double),
        DataType::Utf8 => strings(cols, name, downcast::<StringArray>(name, a)?, valid, json),
        DataType::LargeUtf8 => strings(
            cols,
            name,
            downcast::<LargeStringArray>(name, a)?,
            valid,
            json,
        ),
        DataType::Utf8View => {
            let s = downcast::<StringViewArray>(name, a)?;
            let v: Vec<&[u8]> = (0..s.len()).map(|i| s.value(i).as_bytes()).collect();
            cols.add_strings(name, &v, valid, json)
        }
        DataType::FixedSizeList(item, dim) => {
            no_nulls(name, a, "vectors")?;
            let l = downcast::<FixedSizeListArray>(name, a)?;
            let values = l.values();
            no_nulls(name, values.as_ref(), "vector elements")?;
            let (n, dim) = (l.len(), *dim as usize);
            match item.data_type() {
                DataType::Float32 => cols.add_float_vector(
                    name,
                    downcast::<PrimitiveArray<Float32Type>>(name, values.as_ref())?.values(),
                    n,
                    dim,
                ),
                DataType::Float16 => {
                    let v = downcast::<PrimitiveArray<Float16Type>>(name, values.as_ref())?;
                    let bits: Vec<u16> = v.values().iter().map(|h| h.to_bits()).collect();
                    cols.add_half_vector(name, Kind::Float16Vector, &bits, n, dim)
                }
                DataType::Int8 => cols.add_int8_vector(
                    name,
                    downcast::<PrimitiveArray<Int8Type>>(name, values.as_ref())?.values(),
                    n,
                    dim,
                ),
                other => Err(no_mapping(
                    name,
                    &DataType::FixedSizeList(
                        Arc::new(Field::new("item", other.clone(), item.is_nullable())),
                        dim as i32,
                    ),
                )),
            }
        }
        DataType::FixedSizeBinary(width) => {
            no_nulls(name, a, "vectors")?;
            let b = downcast::<FixedSizeBinaryArray>(name, a)?;
            let width = *width as usize;
            let n = b.len();
            // The values of a sliced array start at its first row.
            let data = b.value_data().get(..n * width).unwrap_or_default();
            match field.metadata().get(TYPE_KEY).map(String::as_str) {
                Some("BFLOAT16_VECTOR") => {
                    if !width.is_multiple_of(2) {
                        return Err(bad(name, "a bfloat16 vector needs an even byte width"));
                    }
                    let bits: Vec<u16> = data
                        .chunks_exact(2)
                        .map(|c| u16::from_le_bytes([c[0], c[1]]))
                        .collect();
                    cols.add_half_vector(name, Kind::BFloat16Vector, &bits, n, width / 2)
                }
                _ => cols.add_binary_vector(name, data, n, width * 8),
            }
        }
        DataType::Map(_, _) => {
            no_nulls(name, a, "sparse vectors")?;
            let m = downcast::<MapArray>(name, a)?;
            let keys = m.keys();
            let vals = m.values();
            no_nulls(name, keys.as_ref(), "sparse indices")?;
            no_nulls(name, vals.as_ref(), "sparse values")?;
            let indices: Vec<u32> = match keys.data_type() {
                DataType::UInt32 => downcast::<PrimitiveArray<UInt32Type>>(name, keys.as_ref())?
                    .values()
                    .to_vec(),
                DataType::Int32 | DataType::Int64 | DataType::UInt64 => {
                    keys_u32(name, keys.as_ref())?
                }
                dt => {
                    return Err(no_mapping(
                        name,
                        &DataType::Map(Arc::new(Field::new("key", dt.clone(), false)), false),
                    ))
                }
            };
            let values: Vec<f32> = match vals.data_type() {
                DataType::Float32 => downcast::<PrimitiveArray<Float32Type>>(name, vals.as_ref())?
                    .values()
                    .to_vec(),
                DataType::Float64 => downcast::<PrimitiveArray<Float64Type>>(name, vals.as_ref())?
                    .values()
                    .iter()
                    .map(|x| *x as f32)
                    .collect(),
                dt => {
                    return Err(no_mapping(
                        name,
                        &DataType::Map(Arc::new(Field::new("value", dt.clone(), false)), false),
                    ))
                }
            };
            // The entries of the map start at its first offset (a sliced map keeps them all).
            let offsets = m.value_offsets();
            let base = offsets.first().copied().unwrap_or(0);
            let indptr: Vec<u64> = offsets.iter().map(|o| (o - base) as u64).collect();
            let (a0, a1) = (base as usize, *offsets.last().unwrap_or(&0) as usize);
            cols.add_sparse_vector(name, &indptr, &indices[a0..a1], &values[a0..a1])
        }
        DataType::List(_) => array_column(
            cols,
            name,
            downcast::<GenericListArray<i32>>(name, a)?,
            valid,
        ),
        DataType::LargeList(_) => array_column(
            cols,
            name,
            downcast::<GenericListArray<i64>>(name, a)?,
            valid,
        ),
        dt => Err(no_mapping(name, dt)),
    }
}

/// Map keys as u32 sparse indices, each checked to fit.
fn keys_u32(name: &str, keys: &dyn Array) -> Result<Vec<u32>> {
    let wide: Vec<i128> = match keys.data_type() {
        DataType::Int32 => downcast::<PrimitiveArray<Int32Type>>(name, keys)?
            .values()
            .iter()
            .map(|x| *x as i128)
            .collect(),
        DataType::Int64 => downcast::<PrimitiveArray<Int64Type>>(name, keys)?
            .values()
            .iter()
            .map(|x| *x as i128)
            .collect(),
        _ => downcast::<PrimitiveArray<arrow_array::types::UInt64Type>>(name, keys)?
            .values()
            .iter()
            .map(|x| *x as i128)
            .collect(),
    };
    wide.into_iter()
        .map(|x| {
            u32::try_from(x).map_err(|_| bad(name, format!("sparse index {x} is not a uint32")))
        })
        .collect()
}

fn strings<O: OffsetSizeTrait>(
    cols: &mut Columns,
    name: &str,
    s: &GenericByteArray<arrow_array::types::GenericStringType<O>>,
    valid: Option<&[u8]>,
    json: bool,
) -> Result<()> {
    let v: Vec<&[u8]> = (0..s.len()).map(|i| s.value(i).as_bytes()).collect();
    cols.add_strings(name, &v, valid, json)
}

/// A list column as an ARRAY field: each valid row one ScalarField of its elements.
fn array_column<O: OffsetSizeTrait>(
    cols: &mut Columns,
    name: &str,
    l: &GenericListArray<O>,
    valid: Option<&[u8]>,
) -> Result<()> {
    use crate::proto::schema::{
        BoolArray, DoubleArray, FloatArray, IntArray, LongArray, StringArray as Strs,
    };
    use scalar_field::Data as S;
    let values = l.values();
    no_nulls(name, values.as_ref(), "ARRAY elements")?;
    let elem = match values.data_type() {
        DataType::Boolean => M::Bool,
        DataType::Int8 => M::Int8,
        DataType::Int16 => M::Int16,
        DataType::Int32 => M::Int32,
        DataType::Int64 => M::Int64,
        DataType::Float32 => M::Float,
        DataType::Float64 => M::Double,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => M::VarChar,
        dt => {
            return Err(no_mapping(
                name,
                &DataType::List(Arc::new(Field::new("item", dt.clone(), true))),
            ))
        }
    };
    let mut rows = Vec::with_capacity(l.len());
    for r in 0..l.len() {
        if l.is_null(r) {
            rows.push(None);
            continue;
        }
        let item = l.value(r);
        let item = item.as_ref();
        let data = match elem {
            M::Bool => S::BoolData(BoolArray {
                data: downcast::<BooleanArray>(name, item)?
                    .values()
                    .iter()
                    .collect(),
            }),
            M::Int8 => S::IntData(IntArray {
                data: downcast::<PrimitiveArray<Int8Type>>(name, item)?
                    .values()
                    .iter()
                    .map(|x| *x as i32)
                    .collect(),
            }),
            M::Int16 => S::IntData(IntArray {
                data: downcast::<PrimitiveArray<Int16Type>>(name, item)?
                    .values()
                    .iter()
                    .map(|x| *x as i32)
                    .collect(),
            }),
            M::Int32 => S::IntData(IntArray {
                data: downcast::<PrimitiveArray<Int32Type>>(name, item)?
                    .values()
                    .to_vec(),
            }),
            M::Int64 => S::LongData(LongArray {
                data: downcast::<PrimitiveArray<Int64Type>>(name, item)?
                    .values()
                    .to_vec(),
            }),
            M::Float => S::FloatData(FloatArray {
                data: downcast::<PrimitiveArray<Float32Type>>(name, item)?
                    .values()
                    .to_vec(),
            }),
            M::Double => S::DoubleData(DoubleArray {
                data: downcast::<PrimitiveArray<Float64Type>>(name, item)?
                    .values()
                    .to_vec(),
            }),
            _ => S::StringData(Strs {
                data: string_values(name, item)?,
            }),
        };
        rows.push(Some(ScalarField { data: Some(data) }));
    }
    cols.add_array(name, elem, rows, valid)
}

fn string_values(name: &str, a: &dyn Array) -> Result<Vec<String>> {
    Ok(match a.data_type() {
        DataType::Utf8 => downcast::<StringArray>(name, a)?
            .iter()
            .map(|s| s.unwrap_or_default().to_string())
            .collect(),
        DataType::LargeUtf8 => downcast::<LargeStringArray>(name, a)?
            .iter()
            .map(|s| s.unwrap_or_default().to_string())
            .collect(),
        _ => downcast::<StringViewArray>(name, a)?
            .iter()
            .map(|s| s.unwrap_or_default().to_string())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::milvus as m;
    use crate::proto::schema::{
        i_ds, ArrayArray, FloatArray, IDs, IntArray, JsonArray, LongArray, SearchResultData,
        SparseFloatArray, StringArray as Strs, VectorField,
    };
    use arrow_array::cast::AsArray;

    fn copy(b: &[u8]) -> Buffer {
        Buffer::from_slice_ref(b)
    }

    fn scalar(name: &str, t: M, data: scalar_field::Data, valid: Vec<bool>) -> FieldData {
        FieldData {
            r#type: t as i32,
            field_name: name.into(),
            field: Some(field_data::Field::Scalars(ScalarField { data: Some(data) })),
            valid_data: valid,
            ..Default::default()
        }
    }

    fn vector(name: &str, t: M, dim: i64, data: vector_field::Data, valid: Vec<bool>) -> FieldData {
        FieldData {
            r#type: t as i32,
            field_name: name.into(),
            field: Some(field_data::Field::Vectors(VectorField {
                dim,
                data: Some(data),
            })),
            valid_data: valid,
            ..Default::default()
        }
    }

    fn rows(fields: Vec<FieldData>) -> TypedResult {
        let output_fields = fields.iter().map(|f| f.field_name.clone()).collect();
        TypedResult::rows(m::QueryResults {
            fields_data: fields,
            output_fields,
            ..Default::default()
        })
    }

    fn int64s(v: Vec<i64>) -> scalar_field::Data {
        scalar_field::Data::LongData(LongArray { data: v })
    }

    #[test]
    fn query_columns_map_to_their_arrow_types() {
        use scalar_field::Data as S;
        let r = rows(vec![
            scalar("pk", M::Int64, int64s(vec![1, 2, 3]), vec![]),
            scalar(
                "i8",
                M::Int8,
                S::IntData(IntArray {
                    data: vec![-1, 0, 127],
                }),
                vec![],
            ),
            scalar(
                "n",
                M::Int32,
                S::IntData(IntArray {
                    data: vec![5, 0, 7],
                }),
                vec![true, false, true],
            ),
            scalar(
                "s",
                M::VarChar,
                S::StringData(Strs {
                    data: vec!["a".into(), "".into(), "é".into()],
                }),
                vec![],
            ),
            scalar(
                "js",
                M::Json,
                S::JsonData(JsonArray {
                    data: vec![b"{}".to_vec(), b"[1]".to_vec(), b"null".to_vec()],
                }),
                vec![],
            ),
            scalar(
                "arr",
                M::Array,
                S::ArrayData(ArrayArray {
                    data: vec![
                        ScalarField {
                            data: Some(int64s(vec![1, 2])),
                        },
                        ScalarField {
                            data: Some(int64s(vec![])),
                        },
                        ScalarField {
                            data: Some(int64s(vec![3])),
                        },
                    ],
                    element_type: M::Int64 as i32,
                }),
                vec![],
            ),
            vector(
                "v",
                M::FloatVector,
                2,
                vector_field::Data::FloatVector(FloatArray {
                    data: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
                }),
                vec![],
            ),
        ]);
        let b = export(&r, &copy).unwrap();
        assert_eq!(b.len(), 3);
        let types: Vec<String> = b
            .fields()
            .iter()
            .map(|f| f.data_type().to_string())
            .collect();
        assert_eq!(types[..4], ["Int64", "Int8", "Int32", "Utf8"]);
        assert!(matches!(b.column(5).data_type(), DataType::List(_)));
        assert_eq!(
            b.column(6).data_type(),
            &DataType::FixedSizeList(Arc::new(Field::new("item", DataType::Float32, false)), 2)
        );
        let n = b.column(2).as_primitive::<Int32Type>();
        assert!(b.fields()[2].is_nullable() && n.is_null(1) && n.value(2) == 7);
        let js = &b.fields()[4];
        assert_eq!(js.metadata()[EXTENSION_KEY], JSON_EXTENSION);
        assert_eq!(js.metadata()[TYPE_KEY], "JSON");
        let arr = b.column(5).as_list::<i32>();
        assert_eq!(arr.value_offsets(), &[0, 2, 2, 3]);
        let v = b.column(6).as_fixed_size_list();
        assert_eq!(
            v.value(2).as_primitive::<Float32Type>().values(),
            &[5.0, 6.0]
        );
    }

    #[test]
    fn nullable_vectors_are_spread_and_sparse_rows_become_maps() {
        // Two valid rows of three: the reply carries only their vectors.
        let r = rows(vec![
            vector(
                "v",
                M::FloatVector,
                2,
                vector_field::Data::FloatVector(FloatArray {
                    data: vec![1.0, 2.0, 3.0, 4.0],
                }),
                vec![true, false, true],
            ),
            vector(
                "sp",
                M::SparseFloatVector,
                0,
                vector_field::Data::SparseFloatVector(SparseFloatArray {
                    contents: vec![
                        [3u32.to_le_bytes(), 0.5f32.to_le_bytes()].concat(),
                        vec![],
                        [7u32.to_le_bytes(), 1.5f32.to_le_bytes()].concat(),
                    ],
                    dim: 8,
                }),
                vec![],
            ),
        ]);
        let b = export(&r, &copy).unwrap();
        let v = b.column(0).as_fixed_size_list();
        assert!(v.is_null(1));
        assert_eq!(
            v.value(2).as_primitive::<Float32Type>().values(),
            &[3.0, 4.0]
        );
        let sp = b.column(1).as_map();
        assert_eq!(sp.value_offsets(), &[0, 1, 1, 2]);
        assert_eq!(sp.keys().as_primitive::<UInt32Type>().values(), &[3, 7]);
        assert_eq!(
            sp.values().as_primitive::<Float32Type>().values(),
            &[0.5, 1.5]
        );
    }

    fn search(fields: Vec<FieldData>) -> TypedResult {
        TypedResult::search(
            m::SearchResults {
                results: Some(SearchResultData {
                    num_queries: 2,
                    top_k: 2,
                    topks: vec![2, 1],
                    scores: vec![0.1, 0.2, 0.3],
                    ids: Some(IDs {
                        id_field: Some(i_ds::IdField::IntId(LongArray {
                            data: vec![10, 20, 30],
                        })),
                    }),
                    fields_data: fields,
                    ..Default::default()
                }),
                ..Default::default()
            },
            -1,
            2,
        )
    }

    #[test]
    fn search_hits_lead_with_query_index_id_and_distance() {
        let b = export(
            &search(vec![scalar(
                "id",
                M::Int64,
                int64s(vec![10, 20, 30]),
                vec![],
            )]),
            &copy,
        )
        .unwrap();
        let names: Vec<&str> = b.fields().iter().map(|f| f.name().as_str()).collect();
        // The primary key "id" as an output field repeats the ids: left out.
        assert_eq!(names, ["query_index", "id", "distance"]);
        assert_eq!(b.column(0).as_primitive::<Int64Type>().values(), &[0, 0, 1]);
        assert_eq!(
            b.column(2).as_primitive::<Float32Type>().values(),
            &[0.1, 0.2, 0.3]
        );
        // A different column named like a leading one is refused, named.
        let e = export(
            &search(vec![scalar(
                "distance",
                M::Int64,
                int64s(vec![1, 2, 3]),
                vec![],
            )]),
            &copy,
        )
        .unwrap_err();
        assert!(e.message.contains("\"distance\""), "{}", e.message);
    }

    #[test]
    fn short_and_unmappable_columns_are_errors_naming_them() {
        let short = rows(vec![
            scalar("pk", M::Int64, int64s(vec![1, 2]), vec![]),
            scalar(
                "d",
                M::Double,
                scalar_field::Data::DoubleData(Default::default()),
                vec![],
            ),
        ]);
        let e = export(&short, &copy).unwrap_err();
        assert!(e.message.contains("\"d\""), "{}", e.message);
        let ts = rows(vec![scalar(
            "ts",
            M::Timestamptz,
            scalar_field::Data::TimestamptzData(Default::default()),
            vec![],
        )]);
        let e = export(&ts, &copy).unwrap_err();
        assert_eq!(e.kind, ErrorKind::TypeMismatch);
        assert!(e.message.contains("\"ts\""), "{}", e.message);
    }

    #[test]
    fn batches_come_in_as_columns_all_or_nothing() {
        let r = rows(vec![
            scalar("pk", M::Int64, int64s(vec![1, 2, 3]), vec![]),
            scalar(
                "n",
                M::Int32,
                scalar_field::Data::IntData(IntArray {
                    data: vec![5, 0, 7],
                }),
                vec![true, false, true],
            ),
            vector(
                "bf",
                M::BFloat16Vector,
                2,
                vector_field::Data::Bfloat16Vector(vec![0u8; 12]),
                vec![],
            ),
            vector(
                "bin",
                M::BinaryVector,
                16,
                vector_field::Data::BinaryVector(vec![1u8; 6]),
                vec![],
            ),
        ]);
        let b = export(&r, &copy).unwrap();
        let mut cols = Columns::new(3).unwrap();
        add_batch(&mut cols, &b).unwrap();
        let kinds: Vec<(Kind, usize, bool)> = cols
            .columns
            .iter()
            .map(|c| (c.kind, c.dim, c.has_validity))
            .collect();
        assert_eq!(
            kinds,
            [
                (Kind::Int64, 0, false),
                (Kind::Int32, 0, true),
                (Kind::BFloat16Vector, 2, false),
                (Kind::BinaryVector, 16, false),
            ]
        );
        // Again: the first column is a duplicate, and nothing of the batch is added.
        let e = add_batch(&mut cols, &b).unwrap_err();
        assert!(e.message.contains("already added"), "{}", e.message);
        assert_eq!(cols.columns.len(), 4);
        // A type with no counterpart, named.
        let dates = StructArray::from(vec![(
            Arc::new(Field::new("when", DataType::Date32, false)),
            Arc::new(arrow_array::Date32Array::from(vec![1, 2, 3])) as ArrayRef,
        )]);
        let e = add_batch(&mut Columns::new(3).unwrap(), &dates).unwrap_err();
        assert_eq!(e.kind, ErrorKind::TypeMismatch);
        assert!(e.message.contains("\"when\""), "{}", e.message);
    }

    #[test]
    fn sparse_keys_must_fit_uint32() {
        let keys = PrimitiveArray::<Int64Type>::from(vec![1, -1]);
        let e = keys_u32("sp", &keys).unwrap_err();
        assert!(
            e.message.contains("-1") && e.message.contains("\"sp\""),
            "{}",
            e.message
        );
    }
}
