//! Typed columns encoded straight into protobuf wire bytes.
//!
//! Each column is encoded once, when it is added, into the bytes of the `FieldData` fields
//! that carry its values (`scalars`/`vectors` and `valid_data`). The fields that depend on the
//! collection (`type`, `field_name`, `is_dynamic`) are written at send time in a few bytes of
//! their own, so one encoded column can go to any collection and is never copied again: the
//! request is sent as a list of `Bytes` chunks (see `client::raw`).

use super::schema::{type_name, CollectionInfo, FieldInfo};
use crate::error::{Error, ErrorKind, Result};
use crate::proto::schema::{scalar_field, ArrayArray, DataType, FieldData, ScalarField};
use bytes::{BufMut, Bytes};
use prost::encoding::{encode_key, encode_varint, encoded_len_varint, WireType};

/// What a column was built from (the C function that added it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Int8,
    Int16,
    Int32,
    Int64,
    Float,
    Double,
    VarChar,
    Json,
    FloatVector,
    BinaryVector,
    Float16Vector,
    BFloat16Vector,
    Int8Vector,
    SparseVector,
    /// ARRAY rows (from an Arrow list column).
    Array,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Bool => "bool",
            Kind::Int8 => "int8",
            Kind::Int16 => "int16",
            Kind::Int32 => "int32",
            Kind::Int64 => "int64",
            Kind::Float => "float",
            Kind::Double => "double",
            Kind::VarChar => "varchar",
            Kind::Json => "json",
            Kind::FloatVector => "float vector",
            Kind::BinaryVector => "binary vector",
            Kind::Float16Vector => "float16 vector",
            Kind::BFloat16Vector => "bfloat16 vector",
            Kind::Int8Vector => "int8 vector",
            Kind::SparseVector => "sparse vector",
            Kind::Array => "array",
        }
    }

    /// Whether a column of this kind may be written to a field of type `t`. Narrower
    /// integers may fill wider integer fields (they travel as int32 either way).
    fn fits(self, t: DataType) -> bool {
        use DataType as D;
        match self {
            Kind::Bool => t == D::Bool,
            Kind::Int8 => matches!(t, D::Int8 | D::Int16 | D::Int32),
            Kind::Int16 => matches!(t, D::Int16 | D::Int32),
            Kind::Int32 => t == D::Int32,
            Kind::Int64 => t == D::Int64,
            Kind::Float => t == D::Float,
            Kind::Double => t == D::Double,
            Kind::VarChar => matches!(t, D::VarChar | D::String | D::Text),
            Kind::Json => t == D::Json,
            Kind::FloatVector => t == D::FloatVector,
            Kind::BinaryVector => t == D::BinaryVector,
            Kind::Float16Vector => t == D::Float16Vector,
            Kind::BFloat16Vector => t == D::BFloat16Vector,
            Kind::Int8Vector => t == D::Int8Vector,
            Kind::SparseVector => t == D::SparseFloatVector,
            Kind::Array => t == D::Array,
        }
    }

    pub fn is_vector(self) -> bool {
        matches!(
            self,
            Kind::FloatVector
                | Kind::BinaryVector
                | Kind::Float16Vector
                | Kind::BFloat16Vector
                | Kind::Int8Vector
                | Kind::SparseVector
        )
    }
}

/// One encoded column.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
    /// Vector dimension (bits for binary vectors); 0 for scalars and sparse vectors.
    pub dim: usize,
    /// The encoded `FieldData` fields 3/4 (and 7 when there is a validity bitmap).
    pub payload: Bytes,
    /// Where each vector row's raw bytes lie in `payload`, for search placeholders.
    spans: Spans,
    /// Whether the payload carries `valid_data` (a validity bitmap was given).
    pub has_validity: bool,
}

#[derive(Debug, Clone)]
enum Spans {
    None,
    Dense {
        start: usize,
        row_bytes: usize,
        n: usize,
    },
    Each(Vec<(usize, usize)>),
}

impl Column {
    /// Each vector row's raw bytes: views into the payload, not copies.
    pub fn rows(&self) -> Vec<Bytes> {
        match &self.spans {
            Spans::None => Vec::new(),
            Spans::Dense {
                start,
                row_bytes,
                n,
            } => (0..*n)
                .map(|r| {
                    self.payload
                        .slice(start + r * row_bytes..start + (r + 1) * row_bytes)
                })
                .collect(),
            Spans::Each(v) => v
                .iter()
                .map(|(a, l)| self.payload.slice(*a..a + l))
                .collect(),
        }
    }
}

/// Columns of `num_rows` rows each.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    pub num_rows: usize,
    pub columns: Vec<Column>,
}

/// The largest request gRPC can carry (its length prefix is 32 bits).
const MAX_MESSAGE: usize = u32::MAX as usize;

/// The field number of `fields_data`, the columns, in InsertRequest and UpsertRequest.
pub const FIELDS_DATA: u32 = 5;

/// Field numbers of the schema.proto messages written by hand here (checked against the
/// generated messages in the tests).
mod tag {
    /// FieldData
    pub const TYPE: u32 = 1;
    pub const FIELD_NAME: u32 = 2;
    pub const SCALARS: u32 = 3;
    pub const VECTORS: u32 = 4;
    pub const IS_DYNAMIC: u32 = 6;
    pub const VALID_DATA: u32 = 7;
    /// ScalarField
    pub const BOOL_DATA: u32 = 1;
    pub const INT_DATA: u32 = 2;
    pub const LONG_DATA: u32 = 3;
    pub const FLOAT_DATA: u32 = 4;
    pub const DOUBLE_DATA: u32 = 5;
    pub const STRING_DATA: u32 = 6;
    pub const JSON_DATA: u32 = 9;
    /// VectorField
    pub const DIM: u32 = 1;
    pub const FLOAT_VECTOR: u32 = 2;
    pub const BINARY_VECTOR: u32 = 3;
    pub const FLOAT16_VECTOR: u32 = 4;
    pub const BFLOAT16_VECTOR: u32 = 5;
    pub const SPARSE_FLOAT_VECTOR: u32 = 6;
    pub const INT8_VECTOR: u32 = 7;
    /// The repeated `data` of BoolArray, IntArray, ..., StringArray, JSONArray, FloatArray, and
    /// SparseFloatArray's `contents`.
    pub const DATA: u32 = 1;
    /// SparseFloatArray
    pub const SPARSE_DIM: u32 = 2;
}

fn len_delimited(buf: &mut Vec<u8>, tag: u32, len: usize) {
    encode_key(tag, WireType::LengthDelimited, buf);
    encode_varint(len as u64, buf);
}

fn nested_len(tag: u32, len: usize) -> usize {
    prost::encoding::key_len(tag) + encoded_len_varint(len as u64) + len
}

/// FieldData's `valid_data` from an LSB-first bitmap.
fn validity(bitmap: &[u8], n: usize) -> Vec<bool> {
    (0..n)
        .map(|i| bitmap[i / 8] & (1 << (i % 8)) != 0)
        .collect()
}

fn encode_valid(buf: &mut Vec<u8>, valid: &[bool]) {
    if !valid.is_empty() {
        prost::encoding::bool::encode_packed(tag::VALID_DATA, valid, buf);
    }
}

/// `FieldData.scalars` holding one array message (`which` = its ScalarField field number).
fn scalar_payload(which: u32, array_len: usize, write: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let array = nested_len(which, array_len);
    let mut buf = Vec::with_capacity(nested_len(tag::SCALARS, array) + 16);
    len_delimited(&mut buf, tag::SCALARS, array);
    len_delimited(&mut buf, which, array_len);
    let start = buf.len();
    write(&mut buf);
    debug_assert_eq!(buf.len() - start, array_len);
    buf
}

macro_rules! numeric_column {
    ($fn:ident, $t:ty, $kind:expr, $which:expr, $codec:ident, $wire:ty) => {
        /// A numeric column; `validity` (LSB-first bitmap) marks null rows, whose values are
        /// not sent.
        pub fn $fn(&mut self, field: &str, values: &[$t], validity: Option<&[u8]>) -> Result<()> {
            self.check_rows(field, values.len())?;
            let (valid, kept): (Vec<bool>, Vec<$wire>) = match validity {
                Some(b) => {
                    let valid = self::validity(b, values.len());
                    let kept = values
                        .iter()
                        .zip(&valid)
                        .filter(|(_, v)| **v)
                        .map(|(x, _)| <$wire>::from(*x))
                        .collect();
                    (valid, kept)
                }
                None => (
                    Vec::new(),
                    values.iter().map(|x| <$wire>::from(*x)).collect(),
                ),
            };
            let inner = if kept.is_empty() {
                0
            } else {
                prost::encoding::$codec::encoded_len_packed(tag::DATA, &kept)
            };
            let mut buf = scalar_payload($which, inner, |b| {
                if !kept.is_empty() {
                    prost::encoding::$codec::encode_packed(tag::DATA, &kept, b)
                }
            });
            encode_valid(&mut buf, &valid);
            self.push(field, $kind, 0, buf, Spans::None, validity.is_some());
            Ok(())
        }
    };
}

impl Columns {
    pub fn new(num_rows: usize) -> Result<Self> {
        if num_rows == 0 {
            return Err(Error::invalid("num_rows must be at least 1"));
        }
        Ok(Columns {
            num_rows,
            columns: Vec::new(),
        })
    }

    fn check_rows(&self, field: &str, n: usize) -> Result<()> {
        if self.columns.iter().any(|c| c.name == field) {
            return Err(Error::invalid(format!(
                "column {field:?} was already added"
            )));
        }
        if n != self.num_rows {
            return Err(Error::new(
                ErrorKind::RowCountMismatch,
                format!(
                    "column {field:?} has {n} rows, the builder was made for {}",
                    self.num_rows
                ),
            ));
        }
        Ok(())
    }

    fn push(
        &mut self,
        field: &str,
        kind: Kind,
        dim: usize,
        payload: Vec<u8>,
        spans: Spans,
        has_validity: bool,
    ) {
        self.columns.push(Column {
            name: field.to_string(),
            kind,
            dim,
            payload: Bytes::from(payload),
            spans,
            has_validity,
        });
    }

    numeric_column!(add_int64, i64, Kind::Int64, tag::LONG_DATA, int64, i64);
    numeric_column!(add_int32, i32, Kind::Int32, tag::INT_DATA, int32, i32);
    numeric_column!(add_int16, i16, Kind::Int16, tag::INT_DATA, int32, i32);
    numeric_column!(add_int8, i8, Kind::Int8, tag::INT_DATA, int32, i32);
    numeric_column!(add_float, f32, Kind::Float, tag::FLOAT_DATA, float, f32);
    numeric_column!(add_double, f64, Kind::Double, tag::DOUBLE_DATA, double, f64);
    numeric_column!(add_bool, bool, Kind::Bool, tag::BOOL_DATA, bool, bool);

    /// Strings (VarChar) or JSON documents (`json` = true; `$meta` rows must be objects).
    pub fn add_strings(
        &mut self,
        field: &str,
        values: &[&[u8]],
        validity: Option<&[u8]>,
        json: bool,
    ) -> Result<()> {
        self.check_rows(field, values.len())?;
        let valid = validity.map(|b| self::validity(b, values.len()));
        let kept = |i: usize| valid.as_ref().is_none_or(|v| v[i]);
        let mut inner = 0;
        for (i, v) in values.iter().enumerate() {
            if !kept(i) {
                continue;
            }
            if json {
                let doc: serde_json::Value = serde_json::from_slice(v).map_err(|e| {
                    Error::invalid(format!("column {field:?}, row {i}: not JSON: {e}"))
                })?;
                if field == "$meta" && !doc.is_object() {
                    return Err(Error::invalid(format!(
                        "column \"$meta\", row {i}: dynamic fields must be a JSON object"
                    )));
                }
            } else if std::str::from_utf8(v).is_err() {
                return Err(Error::new(
                    ErrorKind::InvalidUtf8,
                    format!("column {field:?}, row {i}: not UTF-8"),
                ));
            }
            inner += nested_len(tag::DATA, v.len());
        }
        let (which, kind) = if json {
            (tag::JSON_DATA, Kind::Json)
        } else {
            (tag::STRING_DATA, Kind::VarChar)
        };
        let mut buf = scalar_payload(which, inner, |b| {
            for (i, v) in values.iter().enumerate() {
                if kept(i) {
                    len_delimited(b, tag::DATA, v.len());
                    b.put_slice(v);
                }
            }
        });
        encode_valid(&mut buf, valid.as_deref().unwrap_or(&[]));
        self.push(field, kind, 0, buf, Spans::None, valid.is_some());
        Ok(())
    }

    /// A dense vector column: `data` is `num_rows` rows of `row_bytes` bytes each, written by
    /// `fill` (one copy from the caller's memory into the wire bytes).
    fn add_dense(
        &mut self,
        field: &str,
        kind: Kind,
        dim: usize,
        n: usize,
        row_bytes: usize,
        fill: impl FnOnce(&mut [u8]),
    ) -> Result<()> {
        self.check_rows(field, n)?;
        if dim == 0 {
            return Err(Error::invalid(format!(
                "column {field:?}: dim must be positive"
            )));
        }
        let total = n
            .checked_mul(row_bytes)
            .filter(|t| *t <= MAX_MESSAGE)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "column {field:?}: {n} rows × dim {dim} is over gRPC's 4 GiB message limit"
                ))
            })?;
        // A float vector is a FloatArray message; the others are bytes.
        let (data_tag, data_len) = match kind {
            Kind::FloatVector => (tag::FLOAT_VECTOR, nested_len(tag::DATA, total)),
            Kind::BinaryVector => (tag::BINARY_VECTOR, total),
            Kind::Float16Vector => (tag::FLOAT16_VECTOR, total),
            Kind::BFloat16Vector => (tag::BFLOAT16_VECTOR, total),
            _ => (tag::INT8_VECTOR, total),
        };
        let vf_len = prost::encoding::key_len(tag::DIM)
            + encoded_len_varint(dim as u64)
            + nested_len(data_tag, data_len);
        let mut buf = Vec::new();
        buf.try_reserve_exact(nested_len(tag::VECTORS, vf_len))
            .map_err(|_| {
                Error::invalid(format!("column {field:?}: cannot allocate {total} bytes"))
            })?;
        len_delimited(&mut buf, tag::VECTORS, vf_len);
        encode_key(tag::DIM, WireType::Varint, &mut buf);
        encode_varint(dim as u64, &mut buf);
        len_delimited(&mut buf, data_tag, data_len);
        if kind == Kind::FloatVector {
            len_delimited(&mut buf, tag::DATA, total);
        }
        let start = buf.len();
        buf.resize(start + total, 0);
        fill(&mut buf[start..]);
        self.push(
            field,
            kind,
            dim,
            buf,
            Spans::Dense {
                start,
                row_bytes,
                n,
            },
            false,
        );
        Ok(())
    }

    pub fn add_float_vector(
        &mut self,
        field: &str,
        data: &[f32],
        n: usize,
        dim: usize,
    ) -> Result<()> {
        check_len(field, data.len(), n, dim)?;
        self.add_dense(
            field,
            Kind::FloatVector,
            dim,
            n,
            dim.saturating_mul(4),
            |out| {
                for (o, x) in out.chunks_exact_mut(4).zip(data) {
                    o.copy_from_slice(&x.to_le_bytes());
                }
            },
        )
    }

    /// Binary vectors: `dim` bits per row, `data` holds `n * dim / 8` bytes.
    pub fn add_binary_vector(
        &mut self,
        field: &str,
        data: &[u8],
        n: usize,
        dim: usize,
    ) -> Result<()> {
        if !dim.is_multiple_of(8) {
            return Err(Error::invalid(format!(
                "column {field:?}: a binary vector's dim must be a multiple of 8, not {dim}"
            )));
        }
        check_len(field, data.len(), n, dim / 8)?;
        self.add_dense(field, Kind::BinaryVector, dim, n, dim / 8, |out| {
            out.copy_from_slice(data)
        })
    }

    /// Float16 or bfloat16 bit patterns (`kind` says which).
    pub fn add_half_vector(
        &mut self,
        field: &str,
        kind: Kind,
        data: &[u16],
        n: usize,
        dim: usize,
    ) -> Result<()> {
        check_len(field, data.len(), n, dim)?;
        self.add_dense(field, kind, dim, n, dim.saturating_mul(2), |out| {
            for (o, x) in out.chunks_exact_mut(2).zip(data) {
                o.copy_from_slice(&x.to_le_bytes());
            }
        })
    }

    pub fn add_int8_vector(
        &mut self,
        field: &str,
        data: &[i8],
        n: usize,
        dim: usize,
    ) -> Result<()> {
        check_len(field, data.len(), n, dim)?;
        self.add_dense(field, Kind::Int8Vector, dim, n, dim, |out| {
            for (o, x) in out.iter_mut().zip(data) {
                *o = *x as u8;
            }
        })
    }

    /// ARRAY rows of `element_type` elements; None marks a null row (then `validity` is
    /// given), whose elements are not sent.
    pub fn add_array(
        &mut self,
        field: &str,
        element_type: DataType,
        rows: Vec<Option<ScalarField>>,
        validity: Option<&[u8]>,
    ) -> Result<()> {
        use prost::Message;
        self.check_rows(field, rows.len())?;
        let valid = validity.map(|b| self::validity(b, rows.len()));
        let data: Vec<ScalarField> = rows
            .into_iter()
            .enumerate()
            .filter(|(i, _)| valid.as_ref().is_none_or(|v| v[*i]))
            .map(|(_, r)| r.unwrap_or_default())
            .collect();
        let sf = ScalarField {
            data: Some(scalar_field::Data::ArrayData(ArrayArray {
                data,
                element_type: element_type as i32,
            })),
        };
        let mut buf = Vec::with_capacity(sf.encoded_len() + 16);
        len_delimited(&mut buf, tag::SCALARS, sf.encoded_len());
        sf.encode_raw(&mut buf);
        encode_valid(&mut buf, valid.as_deref().unwrap_or(&[]));
        self.push(field, Kind::Array, 0, buf, Spans::None, valid.is_some());
        Ok(())
    }

    /// Sparse vectors in CSR form: row `i` is `indices/values[indptr[i]..indptr[i + 1]]`.
    pub fn add_sparse_vector(
        &mut self,
        field: &str,
        indptr: &[u64],
        indices: &[u32],
        values: &[f32],
    ) -> Result<()> {
        let n = indptr.len().saturating_sub(1);
        self.check_rows(field, n)?;
        if indices.len() != values.len() {
            return Err(Error::invalid(format!(
                "column {field:?}: {} indices but {} values",
                indices.len(),
                values.len()
            )));
        }
        let mut rows = Vec::with_capacity(n);
        let mut max_index = 0u64;
        for i in 0..n {
            let (a, b) = (indptr[i] as usize, indptr[i + 1] as usize);
            if a > b || b > indices.len() {
                return Err(Error::invalid(format!(
                    "column {field:?}: indptr[{i}..{}] = {a}..{b} is not a range of the {} entries",
                    i + 1,
                    indices.len()
                )));
            }
            let mut pairs: Vec<(u32, f32)> = indices[a..b]
                .iter()
                .copied()
                .zip(values[a..b].iter().copied())
                .collect();
            pairs.sort_by_key(|p| p.0);
            if pairs.windows(2).any(|w| w[0].0 == w[1].0) {
                return Err(Error::invalid(format!(
                    "column {field:?}, row {i}: an index appears twice"
                )));
            }
            if let Some(last) = pairs.last() {
                max_index = max_index.max(last.0 as u64 + 1);
            }
            let mut row = Vec::with_capacity(pairs.len() * 8);
            for (k, v) in pairs {
                row.put_u32_le(k);
                row.put_f32_le(v);
            }
            rows.push(row);
        }
        let contents: usize = rows.iter().map(|r| nested_len(tag::DATA, r.len())).sum();
        let sfa =
            contents + prost::encoding::key_len(tag::SPARSE_DIM) + encoded_len_varint(max_index);
        let vf = prost::encoding::key_len(tag::DIM)
            + encoded_len_varint(max_index)
            + nested_len(tag::SPARSE_FLOAT_VECTOR, sfa);
        let mut buf = Vec::with_capacity(nested_len(tag::VECTORS, vf));
        len_delimited(&mut buf, tag::VECTORS, vf);
        encode_key(tag::DIM, WireType::Varint, &mut buf);
        encode_varint(max_index, &mut buf);
        len_delimited(&mut buf, tag::SPARSE_FLOAT_VECTOR, sfa);
        let mut spans = Vec::with_capacity(n);
        for r in &rows {
            len_delimited(&mut buf, tag::DATA, r.len());
            spans.push((buf.len(), r.len()));
            buf.put_slice(r);
        }
        encode_key(tag::SPARSE_DIM, WireType::Varint, &mut buf);
        encode_varint(max_index, &mut buf);
        self.push(field, Kind::SparseVector, 0, buf, Spans::Each(spans), false);
        Ok(())
    }

    /// The `FieldData` chunks of an insert or upsert into `info`, checked against its schema:
    /// per column a small header chunk and the shared payload. Fields the columns leave out
    /// are filled by `fill` (defaults, nulls, an empty `$meta`) or are an error.
    pub fn field_chunks(
        &self,
        info: &CollectionInfo,
        upsert: bool,
        fill: impl Fn(&FieldInfo, usize) -> Result<Option<FieldData>>,
    ) -> Result<Vec<Bytes>> {
        let mut chunks = Vec::with_capacity(self.columns.len() * 2 + 2);
        for c in &self.columns {
            let (field, dynamic) = if c.name == "$meta" {
                if !info.enable_dynamic_field {
                    return Err(Error::invalid(format!(
                        "column \"$meta\": collection {:?} has no dynamic field",
                        info.name
                    )));
                }
                if c.kind != Kind::Json {
                    return Err(Error::new(
                        ErrorKind::TypeMismatch,
                        "column \"$meta\" must be a JSON column",
                    ));
                }
                (None, true)
            } else {
                let f = info
                    .field(&c.name)
                    .filter(|f| !f.is_dynamic)
                    .ok_or_else(|| {
                        Error::invalid(format!(
                            "column {:?}: collection {:?} has no such field",
                            c.name, info.name
                        ))
                    })?;
                if f.is_function_output {
                    return Err(Error::invalid(format!(
                        "column {:?} is a function output and cannot be written",
                        c.name
                    )));
                }
                if !c.kind.fits(f.data_type) {
                    return Err(Error::new(
                        ErrorKind::TypeMismatch,
                        format!(
                            "column {:?} holds {} values, the field is {}",
                            c.name,
                            c.kind.name(),
                            type_name(f.data_type as i32)
                        ),
                    ));
                }
                if c.kind.is_vector() && c.kind != Kind::SparseVector && c.dim != f.dim {
                    return Err(Error::new(
                        ErrorKind::DimensionMismatch,
                        format!(
                            "column {:?} has dim {}, the field has dim {}",
                            c.name, c.dim, f.dim
                        ),
                    ));
                }
                if c.has_validity && !f.nullable {
                    return Err(Error::invalid(format!(
                        "column {:?} has a validity bitmap, but the field is not nullable",
                        c.name
                    )));
                }
                (Some(f), false)
            };
            // A nullable field must carry one validity flag per row: all valid when the
            // caller gave no bitmap.
            let all_valid = match field {
                Some(f) if f.nullable && !c.has_validity => {
                    let mut v = Vec::with_capacity(self.num_rows + 8);
                    len_delimited(&mut v, tag::VALID_DATA, self.num_rows);
                    v.resize(v.len() + self.num_rows, 1);
                    Some(Bytes::from(v))
                }
                _ => None,
            };
            let type_code = field.map_or(DataType::Json as i32, |f| f.data_type as i32);
            let mut head = Vec::with_capacity(32 + c.name.len());
            let head_len = prost::encoding::key_len(tag::TYPE)
                + encoded_len_varint(type_code as u64)
                + nested_len(tag::FIELD_NAME, c.name.len())
                + if dynamic { 2 } else { 0 };
            let extra = all_valid.as_ref().map_or(0, Bytes::len);
            len_delimited(&mut head, FIELDS_DATA, head_len + c.payload.len() + extra);
            encode_key(tag::TYPE, WireType::Varint, &mut head);
            encode_varint(type_code as u64, &mut head);
            len_delimited(&mut head, tag::FIELD_NAME, c.name.len());
            head.put_slice(c.name.as_bytes());
            if dynamic {
                encode_key(tag::IS_DYNAMIC, WireType::Varint, &mut head);
                encode_varint(1, &mut head);
            }
            chunks.push(Bytes::from(head));
            chunks.push(c.payload.clone());
            chunks.extend(all_valid);
        }
        for f in &info.fields {
            if f.is_function_output || self.columns.iter().any(|c| c.name == f.name) {
                continue;
            }
            if f.is_dynamic {
                if !self.columns.iter().any(|c| c.name == "$meta") {
                    if let Some(fd) = fill(f, self.num_rows)? {
                        chunks.push(fields_data_chunk(&fd));
                    }
                }
                continue;
            }
            if f.is_primary && f.auto_id && !upsert {
                continue;
            }
            match fill(f, self.num_rows)? {
                Some(fd) => chunks.push(fields_data_chunk(&fd)),
                None => {
                    return Err(Error::new(
                        ErrorKind::MissingField,
                        format!(
                            "no column for field {:?}, which has no default and is not nullable",
                            f.name
                        ),
                    ))
                }
            }
        }
        Ok(chunks)
    }

    /// The single vector column of a query set.
    pub fn query_column(&self) -> Result<&Column> {
        match self.columns.as_slice() {
            [c] if c.kind.is_vector() => Ok(c),
            [c] => Err(Error::new(
                ErrorKind::TypeMismatch,
                format!(
                    "query column {:?} holds {} values, not vectors",
                    c.name,
                    c.kind.name()
                ),
            )),
            _ => Err(Error::invalid(format!(
                "a search takes one query vector column, not {}",
                self.columns.len()
            ))),
        }
    }
}

fn check_len(field: &str, got: usize, n: usize, per_row: usize) -> Result<()> {
    match n.checked_mul(per_row) {
        Some(want) if want == got => Ok(()),
        _ => Err(Error::new(
            ErrorKind::RowCountMismatch,
            format!("column {field:?}: {got} elements for {n} rows of {per_row}"),
        )),
    }
}

/// One column as an encoded `fields_data` entry of an insert or upsert.
fn fields_data_chunk(fd: &FieldData) -> Bytes {
    use prost::Message;
    let len = fd.encoded_len();
    let mut buf = Vec::with_capacity(len + 8);
    len_delimited(&mut buf, FIELDS_DATA, len);
    fd.encode_raw(&mut buf);
    Bytes::from(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::schema::{field_data, scalar_field, vector_field, FieldData};
    use prost::Message;

    /// Decodes a column as the server would: header + payload as one FieldData.
    fn decode(c: &Column, type_code: i32) -> FieldData {
        let mut head = Vec::new();
        encode_key(1, WireType::Varint, &mut head);
        encode_varint(type_code as u64, &mut head);
        len_delimited(&mut head, 2, c.name.len());
        head.put_slice(c.name.as_bytes());
        head.extend_from_slice(&c.payload);
        FieldData::decode(head.as_slice()).unwrap()
    }

    /// The field number of the one field set in `m`.
    fn only_tag(m: &impl Message) -> u32 {
        let buf = m.encode_to_vec();
        let (key, _) = prost::encoding::decode_key(&mut buf.as_slice()).unwrap();
        key
    }

    #[test]
    fn hand_written_tags_match_the_generated_messages() {
        use crate::proto::schema::*;
        let fd = |f: fn(&mut FieldData)| {
            let mut m = FieldData::default();
            f(&mut m);
            only_tag(&m)
        };
        assert_eq!(fd(|m| m.r#type = 1), tag::TYPE);
        assert_eq!(fd(|m| m.field_name = "f".into()), tag::FIELD_NAME);
        assert_eq!(
            fd(|m| m.field = Some(field_data::Field::Scalars(ScalarField::default()))),
            tag::SCALARS
        );
        assert_eq!(
            fd(|m| m.field = Some(field_data::Field::Vectors(VectorField::default()))),
            tag::VECTORS
        );
        assert_eq!(fd(|m| m.is_dynamic = true), tag::IS_DYNAMIC);
        assert_eq!(fd(|m| m.valid_data = vec![true]), tag::VALID_DATA);
        let sf = |d: scalar_field::Data| only_tag(&ScalarField { data: Some(d) });
        assert_eq!(
            sf(scalar_field::Data::BoolData(Default::default())),
            tag::BOOL_DATA
        );
        assert_eq!(
            sf(scalar_field::Data::IntData(Default::default())),
            tag::INT_DATA
        );
        assert_eq!(
            sf(scalar_field::Data::LongData(Default::default())),
            tag::LONG_DATA
        );
        assert_eq!(
            sf(scalar_field::Data::FloatData(Default::default())),
            tag::FLOAT_DATA
        );
        assert_eq!(
            sf(scalar_field::Data::DoubleData(Default::default())),
            tag::DOUBLE_DATA
        );
        assert_eq!(
            sf(scalar_field::Data::StringData(Default::default())),
            tag::STRING_DATA
        );
        assert_eq!(
            sf(scalar_field::Data::JsonData(Default::default())),
            tag::JSON_DATA
        );
        let vf = |d: vector_field::Data| {
            only_tag(&VectorField {
                dim: 0,
                data: Some(d),
            })
        };
        assert_eq!(only_tag(&VectorField { dim: 1, data: None }), tag::DIM);
        assert_eq!(
            vf(vector_field::Data::FloatVector(Default::default())),
            tag::FLOAT_VECTOR
        );
        assert_eq!(
            vf(vector_field::Data::BinaryVector(Default::default())),
            tag::BINARY_VECTOR
        );
        assert_eq!(
            vf(vector_field::Data::Float16Vector(Default::default())),
            tag::FLOAT16_VECTOR
        );
        assert_eq!(
            vf(vector_field::Data::Bfloat16Vector(Default::default())),
            tag::BFLOAT16_VECTOR
        );
        assert_eq!(
            vf(vector_field::Data::SparseFloatVector(Default::default())),
            tag::SPARSE_FLOAT_VECTOR
        );
        assert_eq!(
            vf(vector_field::Data::Int8Vector(Default::default())),
            tag::INT8_VECTOR
        );
        assert_eq!(only_tag(&LongArray { data: vec![1] }), tag::DATA);
        assert_eq!(
            only_tag(&StringArray {
                data: vec!["a".into()]
            }),
            tag::DATA
        );
        assert_eq!(only_tag(&FloatArray { data: vec![1.0] }), tag::DATA);
        assert_eq!(
            only_tag(&SparseFloatArray {
                contents: vec![vec![]],
                dim: 0
            }),
            tag::DATA
        );
        assert_eq!(
            only_tag(&SparseFloatArray {
                contents: vec![],
                dim: 1
            }),
            tag::SPARSE_DIM
        );
    }

    #[test]
    fn columns_decode_as_field_data() {
        let mut cols = Columns::new(3).unwrap();
        cols.add_int64("id", &[1, -2, i64::MAX], None).unwrap();
        cols.add_float_vector("v", &[1.0, 2.0, 3.0, 4.0, 5.5, -6.0], 3, 2)
            .unwrap();
        cols.add_strings("s", &[b"a", b"", "é".as_bytes()], Some(&[0b101]), false)
            .unwrap();
        cols.add_int16("i", &[1, 2, 3], None).unwrap();
        let id = decode(&cols.columns[0], DataType::Int64 as i32);
        match id.field {
            Some(field_data::Field::Scalars(s)) => {
                assert_eq!(
                    s.data,
                    Some(scalar_field::Data::LongData(
                        crate::proto::schema::LongArray {
                            data: vec![1, -2, i64::MAX]
                        }
                    ))
                )
            }
            other => panic!("{other:?}"),
        }
        let v = decode(&cols.columns[1], DataType::FloatVector as i32);
        match v.field {
            Some(field_data::Field::Vectors(vf)) => {
                assert_eq!(vf.dim, 2);
                assert_eq!(
                    vf.data,
                    Some(vector_field::Data::FloatVector(
                        crate::proto::schema::FloatArray {
                            data: vec![1.0, 2.0, 3.0, 4.0, 5.5, -6.0]
                        }
                    ))
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            cols.columns[1].rows()[2].as_ref(),
            [5.5f32.to_le_bytes(), (-6.0f32).to_le_bytes()].concat()
        );
        let s = decode(&cols.columns[2], DataType::VarChar as i32);
        assert_eq!(s.valid_data, vec![true, false, true]);
        match s.field {
            Some(field_data::Field::Scalars(sf)) => assert_eq!(
                sf.data,
                Some(scalar_field::Data::StringData(
                    crate::proto::schema::StringArray {
                        data: vec!["a".into(), "é".into()]
                    }
                ))
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sparse_rows_sorted_and_dim_is_max_index_plus_one() {
        let mut cols = Columns::new(2).unwrap();
        cols.add_sparse_vector("sp", &[0, 2, 3], &[9, 1, 4], &[0.5, 0.25, 1.0])
            .unwrap();
        let fd = decode(&cols.columns[0], DataType::SparseFloatVector as i32);
        match fd.field {
            Some(field_data::Field::Vectors(vf)) => {
                assert_eq!(vf.dim, 10);
                match vf.data {
                    Some(vector_field::Data::SparseFloatVector(s)) => {
                        assert_eq!(s.dim, 10);
                        assert_eq!(
                            s.contents[0],
                            [
                                1u32.to_le_bytes(),
                                0.25f32.to_le_bytes(),
                                9u32.to_le_bytes(),
                                0.5f32.to_le_bytes()
                            ]
                            .concat()
                        );
                        assert_eq!(
                            s.contents[1],
                            [4u32.to_le_bytes(), 1.0f32.to_le_bytes()].concat()
                        );
                    }
                    other => panic!("{other:?}"),
                }
            }
            other => panic!("{other:?}"),
        }
    }

    fn info() -> CollectionInfo {
        use crate::proto::common::KeyValuePair;
        use crate::proto::milvus::DescribeCollectionResponse;
        use crate::proto::schema::{CollectionSchema, FieldSchema};
        let f = |name: &str, t: DataType, nullable: bool| FieldSchema {
            name: name.into(),
            data_type: t as i32,
            nullable,
            is_primary_key: name == "id",
            type_params: if t == DataType::FloatVector {
                vec![KeyValuePair {
                    key: "dim".into(),
                    value: "2".into(),
                }]
            } else {
                vec![]
            },
            ..Default::default()
        };
        let raw = DescribeCollectionResponse {
            schema: Some(CollectionSchema {
                name: "c".into(),
                fields: vec![
                    f("id", DataType::Int64, false),
                    f("v", DataType::FloatVector, false),
                    f("n", DataType::Int32, true),
                ],
                ..Default::default()
            }),
            ..Default::default()
        };
        CollectionInfo::from_describe(raw).unwrap()
    }

    #[test]
    fn fields_data_is_the_columns_field_of_inserts_and_upserts() {
        use crate::proto::milvus::{InsertRequest, UpsertRequest};
        let fd = FieldData {
            r#type: DataType::Int64 as i32,
            field_name: "id".into(),
            field: Some(field_data::Field::Scalars(
                crate::proto::schema::ScalarField {
                    data: Some(scalar_field::Data::LongData(
                        crate::proto::schema::LongArray { data: vec![1, 2] },
                    )),
                },
            )),
            ..Default::default()
        };
        let chunk = fields_data_chunk(&fd);
        let insert = InsertRequest {
            fields_data: vec![fd.clone()],
            ..Default::default()
        };
        let upsert = UpsertRequest {
            fields_data: vec![fd],
            ..Default::default()
        };
        assert_eq!(insert.encode_to_vec(), chunk);
        assert_eq!(upsert.encode_to_vec(), chunk);
    }

    /// The chunks of an insert, decoded as the server decodes the request.
    fn sent(cols: &Columns) -> Result<crate::proto::milvus::InsertRequest> {
        let chunks = cols.field_chunks(&info(), false, |_, _| Ok(None))?;
        Ok(crate::proto::milvus::InsertRequest::decode(chunks.concat().as_slice()).unwrap())
    }

    #[test]
    fn nullable_fields_always_carry_validity() {
        let mut cols = Columns::new(3).unwrap();
        cols.add_int64("id", &[1, 2, 3], None).unwrap();
        cols.add_float_vector("v", &[0.0; 6], 3, 2).unwrap();
        cols.add_int32("n", &[7, 8, 9], None).unwrap();
        let req = sent(&cols).unwrap();
        assert_eq!(req.fields_data.len(), 3);
        assert_eq!(req.fields_data[2].field_name, "n");
        assert_eq!(
            req.fields_data[2].valid_data,
            vec![true; 3],
            "no bitmap: all valid"
        );
        assert!(req.fields_data[0].valid_data.is_empty());
        let mut cols = Columns::new(3).unwrap();
        cols.add_int64("id", &[1, 2, 3], None).unwrap();
        cols.add_float_vector("v", &[0.0; 6], 3, 2).unwrap();
        cols.add_int32("n", &[7, 8, 9], Some(&[0b110])).unwrap();
        let req = sent(&cols).unwrap();
        assert_eq!(req.fields_data[2].valid_data, vec![false, true, true]);
        let mut cols = Columns::new(1).unwrap();
        cols.add_int64("id", &[1], Some(&[1])).unwrap();
        let e = sent(&cols).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidArgument, "{}", e.message);
    }

    #[test]
    fn wrong_counts_are_row_count_mismatch() {
        let mut cols = Columns::new(2).unwrap();
        let e = cols.add_int64("id", &[1], None).unwrap_err();
        assert_eq!(e.kind, ErrorKind::RowCountMismatch);
        let e = cols.add_float_vector("v", &[1.0; 5], 2, 3).unwrap_err();
        assert_eq!(e.kind, ErrorKind::RowCountMismatch);
        cols.add_int64("id", &[1, 2], None).unwrap();
        assert_eq!(
            cols.add_int64("id", &[1, 2], None).unwrap_err().kind,
            ErrorKind::InvalidArgument
        );
    }
}
