//! Rows (JSON objects) → columns (`FieldData`), checked against the collection's schema before
//! anything is sent, so a bad row never half-inserts a batch.

use super::schema::{type_name, CollectionInfo, FieldInfo};
use super::vectors;
use crate::error::{Error, ErrorKind, Result};
use crate::proto::schema::{
    field_data, scalar_field, vector_field, ArrayArray, BoolArray, DataType, DoubleArray,
    FieldData, FloatArray, GeometryWktArray, IntArray, JsonArray, LongArray, ScalarField,
    SparseFloatArray, StringArray, VectorField,
};
use serde_json::{Map, Value};

/// One field's decoded values, in the wire array they will be written to.
enum Cells {
    Bool(Vec<bool>),
    Int(Vec<i32>),
    Long(Vec<i64>),
    Float(Vec<f32>),
    Double(Vec<f64>),
    Str(Vec<String>),
    /// Geometry as WKT text (the server stores WKB).
    Wkt(Vec<String>),
    Json(Vec<Vec<u8>>),
    Array(Vec<ScalarField>),
    FloatVec(Vec<f32>),
    Bytes(Vec<u8>),
    Sparse(Vec<Vec<u8>>),
}

struct FieldCells<'a> {
    field: &'a FieldInfo,
    values: Cells,
    valid: Option<Vec<bool>>,
}

fn int_in(v: &Value, lo: i64, hi: i64) -> Option<i64> {
    v.as_i64().filter(|i| (lo..=hi).contains(i))
}

/// One element list of an ARRAY cell, in the element type's slot.
fn scalar_list(elem: DataType, v: &Value) -> Result<ScalarField> {
    use scalar_field::Data;
    let list = v
        .as_array()
        .ok_or_else(|| Error::invalid("an ARRAY value must be a list"))?;
    let bad =
        |x: &Value| Error::invalid(format!("element {x} is not a {}", type_name(elem as i32)));
    let data = match elem {
        DataType::Bool => Data::BoolData(BoolArray {
            data: list
                .iter()
                .map(|x| x.as_bool().ok_or_else(|| bad(x)))
                .collect::<Result<_>>()?,
        }),
        DataType::Int8 | DataType::Int16 | DataType::Int32 => {
            let (lo, hi) = int_range(elem);
            Data::IntData(IntArray {
                data: list
                    .iter()
                    .map(|x| int_in(x, lo, hi).map(|i| i as i32).ok_or_else(|| bad(x)))
                    .collect::<Result<_>>()?,
            })
        }
        DataType::Int64 => Data::LongData(LongArray {
            data: list
                .iter()
                .map(|x| x.as_i64().ok_or_else(|| bad(x)))
                .collect::<Result<_>>()?,
        }),
        DataType::Float => Data::FloatData(FloatArray {
            data: list
                .iter()
                .map(|x| vectors::to_f32(x).map_err(|_| bad(x)))
                .collect::<Result<_>>()?,
        }),
        DataType::Double => Data::DoubleData(DoubleArray {
            data: list
                .iter()
                .map(|x| x.as_f64().ok_or_else(|| bad(x)))
                .collect::<Result<_>>()?,
        }),
        DataType::VarChar | DataType::String => Data::StringData(StringArray {
            data: list
                .iter()
                .map(|x| x.as_str().map(str::to_string).ok_or_else(|| bad(x)))
                .collect::<Result<_>>()?,
        }),
        other => {
            return Err(Error::invalid(format!(
                "ARRAY of {} is not supported",
                type_name(other as i32)
            )))
        }
    };
    Ok(ScalarField { data: Some(data) })
}

fn int_range(t: DataType) -> (i64, i64) {
    match t {
        DataType::Int8 => (i8::MIN as i64, i8::MAX as i64),
        DataType::Int16 => (i16::MIN as i64, i16::MAX as i64),
        _ => (i32::MIN as i64, i32::MAX as i64),
    }
}

/// JSON cell: a string holding valid JSON passes through, anything else is serialized.
pub fn json_bytes(v: &Value) -> Vec<u8> {
    match v {
        Value::String(s) if serde_json::from_str::<serde::de::IgnoredAny>(s).is_ok() => {
            s.clone().into_bytes()
        }
        other => other.to_string().into_bytes(),
    }
}

impl<'a> FieldCells<'a> {
    fn new(field: &'a FieldInfo, rows: usize) -> Result<Self> {
        let values = match field.data_type {
            DataType::Bool => Cells::Bool(Vec::with_capacity(rows)),
            DataType::Int8 | DataType::Int16 | DataType::Int32 => {
                Cells::Int(Vec::with_capacity(rows))
            }
            DataType::Int64 => Cells::Long(Vec::with_capacity(rows)),
            DataType::Float => Cells::Float(Vec::with_capacity(rows)),
            DataType::Double => Cells::Double(Vec::with_capacity(rows)),
            DataType::VarChar | DataType::String | DataType::Text | DataType::Timestamptz => {
                Cells::Str(Vec::with_capacity(rows))
            }
            DataType::Geometry => Cells::Wkt(Vec::with_capacity(rows)),
            DataType::Json => Cells::Json(Vec::with_capacity(rows)),
            DataType::Array => Cells::Array(Vec::with_capacity(rows)),
            DataType::FloatVector => Cells::FloatVec(Vec::with_capacity(vectors::capacity(
                rows.saturating_mul(field.dim),
            ))),
            DataType::BinaryVector
            | DataType::Float16Vector
            | DataType::BFloat16Vector
            | DataType::Int8Vector => Cells::Bytes(Vec::with_capacity(vectors::capacity(
                rows.saturating_mul(field.dim).saturating_mul(2),
            ))),
            DataType::SparseFloatVector => Cells::Sparse(Vec::with_capacity(rows)),
            other => {
                return Err(Error::invalid(format!(
                    "field {:?}: type {} cannot be written yet",
                    field.name,
                    type_name(other as i32)
                )))
            }
        };
        let valid = field.nullable.then(|| Vec::with_capacity(rows));
        Ok(FieldCells {
            field,
            values,
            valid,
        })
    }

    fn push(&mut self, v: &Value) -> Result<()> {
        let f = self.field;
        let bad = || {
            Error::invalid(format!(
                "{v} is not a valid {} value",
                type_name(f.data_type as i32)
            ))
        };
        match &mut self.values {
            Cells::Bool(c) => c.push(v.as_bool().ok_or_else(bad)?),
            Cells::Int(c) => {
                let (lo, hi) = int_range(f.data_type);
                c.push(int_in(v, lo, hi).ok_or_else(bad)? as i32)
            }
            Cells::Long(c) => c.push(v.as_i64().ok_or_else(bad)?),
            Cells::Float(c) => c.push(vectors::to_f32(v).map_err(|_| bad())?),
            Cells::Double(c) => c.push(v.as_f64().ok_or_else(bad)?),
            Cells::Str(c) | Cells::Wkt(c) => c.push(v.as_str().ok_or_else(bad)?.to_string()),
            Cells::Json(c) => c.push(json_bytes(v)),
            Cells::Array(c) => c.push(scalar_list(f.element_type, v)?),
            Cells::FloatVec(c) => vectors::float_list(v, f.dim, c)?,
            Cells::Bytes(c) => match f.data_type {
                DataType::BinaryVector => vectors::byte_list(v, f.dim / 8, c)?,
                DataType::Float16Vector => vectors::half_list(v, f.dim, false, c)?,
                DataType::BFloat16Vector => vectors::half_list(v, f.dim, true, c)?,
                _ => vectors::int8_list(v, f.dim, c)?,
            },
            Cells::Sparse(c) => c.push(vectors::sparse_row(v)?.0),
        }
        if let Some(valid) = &mut self.valid {
            valid.push(true);
        }
        Ok(())
    }

    /// A row without a value (key absent or null): the field's default, else null when the
    /// field is nullable. Defaults are written here rather than left to the server, which
    /// servers handle inconsistently (Milvus 2.3 refuses partly filled columns, Milvus Lite
    /// 2.5 crashes on them).
    fn absent(&mut self) -> Result<()> {
        if let Some(d) = self.field.default.clone() {
            return self
                .push(&d)
                .map_err(|e| e.context(format!("default of field {:?}", self.field.name)));
        }
        match &mut self.valid {
            Some(valid) => {
                valid.push(false);
                Ok(())
            }
            None => Err(Error::new(
                ErrorKind::MissingField,
                format!("missing field {:?}", self.field.name),
            )),
        }
    }

    /// The column as pymilvus writes rows: an ARRAY column names no element type and a sparse
    /// column no dimension (the server takes both from the schema), and a vector column whose
    /// every row is null carries its dimension and no vector data at all.
    fn into_field_data(self) -> FieldData {
        use scalar_field::Data as S;
        use vector_field::Data as V;
        let f = self.field;
        let dim = f.dim as i64;
        let scalars = |d: S| field_data::Field::Scalars(ScalarField { data: Some(d) });
        let vecs = |d: V, rows: usize, dim: i64| {
            field_data::Field::Vectors(VectorField {
                dim,
                data: (rows > 0).then_some(d),
            })
        };
        let field = match self.values {
            Cells::Bool(d) => scalars(S::BoolData(BoolArray { data: d })),
            Cells::Int(d) => scalars(S::IntData(IntArray { data: d })),
            Cells::Long(d) => scalars(S::LongData(LongArray { data: d })),
            Cells::Float(d) => scalars(S::FloatData(FloatArray { data: d })),
            Cells::Double(d) => scalars(S::DoubleData(DoubleArray { data: d })),
            Cells::Str(d) => scalars(S::StringData(StringArray { data: d })),
            Cells::Wkt(d) => scalars(S::GeometryWktData(GeometryWktArray { data: d })),
            Cells::Json(d) => scalars(S::JsonData(JsonArray { data: d })),
            Cells::Array(d) => scalars(S::ArrayData(ArrayArray {
                data: d,
                ..Default::default()
            })),
            Cells::FloatVec(d) => {
                let n = d.len();
                vecs(V::FloatVector(FloatArray { data: d }), n, dim)
            }
            Cells::Bytes(d) => {
                let n = d.len();
                let data = match f.data_type {
                    DataType::BinaryVector => V::BinaryVector(d),
                    DataType::Float16Vector => V::Float16Vector(d),
                    DataType::BFloat16Vector => V::Bfloat16Vector(d),
                    _ => V::Int8Vector(d),
                };
                vecs(data, n, dim)
            }
            Cells::Sparse(d) => {
                let n = d.len();
                vecs(
                    V::SparseFloatVector(SparseFloatArray {
                        contents: d,
                        dim: 0,
                    }),
                    n,
                    0,
                )
            }
        };
        FieldData {
            r#type: f.data_type as i32,
            field_name: f.name.clone(),
            field: Some(field),
            valid_data: self.valid.unwrap_or_default(),
            ..Default::default()
        }
    }
}

/// How rows are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    Insert,
    Upsert,
    /// Upsert of only the fields the rows carry (the same fields in every row); the others
    /// keep their stored values.
    PartialUpsert,
}

/// Rows given as JSON text (one row object or a list of them) → the columns of a write and
/// the number of rows, checked against the schema. Parsed straight into the columns: no
/// `Value` tree for the rows, and float vectors go from text to `f32` with no step between.
pub fn json_rows_to_columns(
    info: &CollectionInfo,
    text: &str,
    mode: WriteMode,
) -> Result<(Vec<FieldData>, usize)> {
    let mut st = Stream::new(info, mode)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = serde::de::DeserializeSeed::deserialize(
        RowsSeed {
            st: &mut st,
            top: true,
        },
        &mut de,
    );
    if let Some(e) = st.error.take() {
        return Err(e);
    }
    parsed.map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            // Nesting beyond serde_json's depth limit, met while skipping a bad row.
            Category::Syntax | Category::Eof => {
                Error::new(ErrorKind::InvalidJson, format!("data: {e}"))
            }
            _ => Error::invalid(format!("data: {e}")),
        }
    })?;
    if st.rows == 0 {
        return Err(Error::invalid("data: no rows to write"));
    }
    let n = st.rows;
    Ok((st.finish(), n))
}

/// Insert or upsert arguments read in one pass, rows straight into columns.
pub struct OnePass {
    pub collection_name: String,
    pub partition_name: Option<String>,
    pub timeout: Option<f64>,
    pub fields: Vec<FieldData>,
    pub rows: usize,
    pub info: std::sync::Arc<CollectionInfo>,
}

/// Reads `{"collection_name": ..., "data": [...], ...}` in one pass when `collection_name`
/// comes before `data` and `schema` knows the collection (a repeated insert): the rows go
/// into columns while the arguments are read, instead of being scanned once as raw text and
/// again into columns. None for anything else (another key order, an unknown collection, a
/// partial update, any error): the caller then takes the general path, which reports errors.
pub fn one_pass_write(
    args: &str,
    upsert: bool,
    schema: &dyn Fn(&str) -> Option<std::sync::Arc<CollectionInfo>>,
) -> Option<OnePass> {
    let mut de = serde_json::Deserializer::from_str(args);
    let top = Top { schema, upsert };
    let r = serde::de::DeserializeSeed::deserialize(top, &mut de).ok()?;
    de.end().ok()?;
    r
}

struct Top<'s> {
    schema: &'s dyn Fn(&str) -> Option<std::sync::Arc<CollectionInfo>>,
    upsert: bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for Top<'_> {
    type Value = Option<OnePass>;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Option<OnePass>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Top<'_> {
    type Value = Option<OnePass>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("insert arguments")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Option<OnePass>, A::Error> {
        use serde::de::Error as _;
        let other = || A::Error::custom("not the one-pass shape");
        let mut name: Option<String> = None;
        let mut partition = None;
        let mut timeout = None;
        let mut done: Option<(Vec<FieldData>, usize, std::sync::Arc<CollectionInfo>)> = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "collection_name" if name.is_none() => name = Some(map.next_value()?),
                "partition_name" => partition = map.next_value()?,
                "timeout" => timeout = map.next_value()?,
                "partial_update" => {
                    if map.next_value::<Option<bool>>()? == Some(true) {
                        return Err(other());
                    }
                }
                "data" if done.is_none() => {
                    let info = name.as_deref().and_then(self.schema).ok_or_else(other)?;
                    let mode = if self.upsert {
                        WriteMode::Upsert
                    } else {
                        WriteMode::Insert
                    };
                    let mut st = Stream::new(&info, mode).map_err(|_| other())?;
                    map.next_value_seed(RowsSeed {
                        st: &mut st,
                        top: true,
                    })?;
                    if st.error.is_some() || st.rows == 0 {
                        return Err(other());
                    }
                    let rows = st.rows;
                    let fields = st.finish();
                    done = Some((fields, rows, info.clone()));
                }
                _ => return Err(other()),
            }
        }
        Ok(match (name, done) {
            (Some(collection_name), Some((fields, rows, info))) => Some(OnePass {
                collection_name,
                partition_name: partition,
                timeout,
                fields,
                rows,
                info,
            }),
            _ => None,
        })
    }
}

/// The state of a streamed parse. Errors found while parsing are kept here with their kind;
/// serde only carries a placeholder to stop the parse.
struct Stream<'a> {
    info: &'a CollectionInfo,
    mode: WriteMode,
    columns: Vec<FieldCells<'a>>,
    /// Columns row 0 left out, which are not sent and which no later row may give: an auto_id
    /// key on insert (pymilvus sends it only when given), every field but the key on a
    /// partial update (it writes the fields row 0 has, in every row).
    left_out: Vec<bool>,
    meta: Option<Vec<Vec<u8>>>,
    seen: Vec<bool>,
    rows: usize,
    error: Option<Error>,
}

impl<'a> Stream<'a> {
    fn new(info: &'a CollectionInfo, mode: WriteMode) -> Result<Self> {
        let mut columns = Vec::new();
        for f in &info.fields {
            if f.is_dynamic || f.is_function_output {
                continue;
            }
            match FieldCells::new(f, 0) {
                Ok(c) => columns.push(c),
                // A partial update may leave out a field of a type not written yet; only a row
                // that gives it is refused.
                Err(_) if mode == WriteMode::PartialUpsert => {}
                Err(e) => return Err(e),
            }
        }
        let n = columns.len();
        Ok(Stream {
            info,
            mode,
            columns,
            left_out: vec![false; n],
            meta: info.enable_dynamic_field.then(Vec::new),
            seen: vec![false; n],
            rows: 0,
            error: None,
        })
    }

    fn fail<E: serde::de::Error>(&mut self, e: Error) -> E {
        let msg = e.message.clone();
        self.error.get_or_insert(e);
        E::custom(msg)
    }

    fn row<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        mut map: A,
    ) -> std::result::Result<(), A::Error> {
        let i = self.rows;
        self.seen.iter_mut().for_each(|s| *s = false);
        let mut extra = Map::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let ci = self.columns.iter().position(|c| c.field.name == *key);
            match ci {
                Some(ci) if self.left_out[ci] => {
                    let e = Error::invalid(if self.columns[ci].field.is_primary {
                        format!("row {i}: field {key:?} is an auto_id primary key; give it in every row or in none")
                    } else {
                        format!("row {i}: field {key:?} is not in row 0; a partial update writes the same fields in every row")
                    });
                    return Err(self.fail(e));
                }
                Some(ci) if self.seen[ci] => {
                    let e = Error::invalid(format!("row {i}: field {key:?} appears twice"));
                    return Err(self.fail(e));
                }
                Some(ci) => {
                    self.seen[ci] = true;
                    let col = &mut self.columns[ci];
                    // A float vector goes from the text straight into the column; any other
                    // value through a `Value`. Null is an absent value either way.
                    let got = if let Cells::FloatVec(out) = &mut col.values {
                        let (dim, start) = (col.field.dim, out.len());
                        match map.next_value_seed(FloatSeed { out, dim })? {
                            Ok(true) => {
                                if let Some(valid) = &mut col.valid {
                                    valid.push(true);
                                }
                                Ok(true)
                            }
                            Ok(false) => Ok(false),
                            Err(e) => {
                                out_truncate(col, start);
                                Err(e)
                            }
                        }
                    } else {
                        let v: Value = map.next_value()?;
                        if v.is_null() {
                            Ok(false)
                        } else {
                            col.push(&v).map(|()| true)
                        }
                    };
                    let r = match got {
                        Ok(true) => Ok(()),
                        Ok(false) => col.absent().map_err(|e| e.context(format!("row {i}"))),
                        Err(e) => Err(e.context(format!("row {i}, field {key:?}"))),
                    };
                    if let Err(e) = r {
                        return Err(self.fail(e));
                    }
                }
                None => {
                    let v: Value = map.next_value()?;
                    let e = match self.info.field(&key) {
                        Some(f) if f.is_function_output => Error::invalid(format!(
                            "row {i}: field {key:?} is a function output and cannot be written"
                        )),
                        // Only a partial update leaves such a field without a column: its
                        // type is not written yet.
                        Some(f) if !f.is_dynamic => FieldCells::new(f, 0).err().unwrap_or_else(|| {
                            Error::invalid(format!("row {i}: field {key:?} cannot be written"))
                        }),
                        _ if self.meta.is_some() && key != "$meta" => {
                            extra.insert(key.into_owned(), v);
                            continue;
                        }
                        _ => Error::invalid(format!(
                            "row {i}: unknown field {key:?} (the collection has no such field and no dynamic field)"
                        )),
                    };
                    return Err(self.fail(e));
                }
            }
        }
        if i == 0 {
            for (ci, c) in self.columns.iter().enumerate() {
                let f = c.field;
                self.left_out[ci] = !self.seen[ci]
                    && match self.mode {
                        WriteMode::Insert => f.is_primary && f.auto_id,
                        WriteMode::Upsert => false,
                        WriteMode::PartialUpsert => !f.is_primary,
                    };
            }
        }
        for ci in 0..self.columns.len() {
            if self.seen[ci] || self.left_out[ci] {
                continue;
            }
            let f = self.columns[ci].field;
            if self.mode == WriteMode::PartialUpsert && !f.is_primary {
                let e = Error::new(
                    ErrorKind::MissingField,
                    format!("row {i}: missing field {:?}, which row 0 has (a partial update writes the same fields in every row)", f.name),
                );
                return Err(self.fail(e));
            }
            if let Err(e) = self.columns[ci].absent() {
                return Err(self.fail(e.context(format!("row {i}"))));
            }
        }
        if let Some(m) = &mut self.meta {
            m.push(Value::Object(extra).to_string().into_bytes());
        }
        self.rows += 1;
        Ok(())
    }

    /// The columns sent, in pymilvus's order: the schema's, except that an insert that gives
    /// an auto_id key sends that column after the others (then the dynamic field).
    fn finish(self) -> Vec<FieldData> {
        let left_out = self.left_out;
        let mode = self.mode;
        let (mut out, keys): (Vec<_>, Vec<_>) = self
            .columns
            .into_iter()
            .enumerate()
            .filter(|(ci, _)| !left_out[*ci])
            .map(|(_, c)| c)
            .partition(|c| !(mode == WriteMode::Insert && c.field.is_primary && c.field.auto_id));
        out.extend(keys);
        let mut out: Vec<FieldData> = out.into_iter().map(FieldCells::into_field_data).collect();
        out.extend(self.meta.map(meta_column));
        out
    }
}

/// The dynamic field's column: one JSON object per row.
fn meta_column(rows: Vec<Vec<u8>>) -> FieldData {
    FieldData {
        r#type: DataType::Json as i32,
        field_name: "$meta".into(),
        is_dynamic: true,
        field: Some(field_data::Field::Scalars(ScalarField {
            data: Some(scalar_field::Data::JsonData(JsonArray { data: rows })),
        })),
        ..Default::default()
    }
}

fn out_truncate(col: &mut FieldCells<'_>, len: usize) {
    if let Cells::FloatVec(out) = &mut col.values {
        out.truncate(len);
    }
}

/// The `data` value (`top`: a row or a list of rows) or one element of the list (a row).
struct RowsSeed<'s, 'a> {
    st: &'s mut Stream<'a>,
    top: bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for RowsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for RowsSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(if self.top {
            "a row object or a list of row objects"
        } else {
            "a row object"
        })
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> std::result::Result<(), A::Error> {
        self.st.row(map)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<(), A::Error> {
        if self.top {
            while seq
                .next_element_seed(RowsSeed {
                    st: &mut *self.st,
                    top: false,
                })?
                .is_some()
            {}
            return Ok(());
        }
        // A list where a row should be: read it through (so a nesting too deep is reported
        // as such), then refuse it.
        while seq.next_element::<Value>()?.is_some() {}
        let e = Error::invalid(format!("row {} is not an object", self.st.rows));
        Err(self.st.fail(e))
    }
}

/// One element of a float vector: a number, or what it was instead.
enum Elem {
    Num(f64),
    Bad(String),
}

impl<'de> serde::Deserialize<'de> for Elem {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Elem;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E>(self, x: f64) -> std::result::Result<Elem, E> {
                Ok(Elem::Num(x))
            }
            fn visit_i64<E>(self, x: i64) -> std::result::Result<Elem, E> {
                Ok(Elem::Num(x as f64))
            }
            fn visit_u64<E>(self, x: u64) -> std::result::Result<Elem, E> {
                Ok(Elem::Num(x as f64))
            }
            fn visit_str<E>(self, x: &str) -> std::result::Result<Elem, E> {
                Ok(Elem::Bad(format!("{x:?}")))
            }
            fn visit_bool<E>(self, x: bool) -> std::result::Result<Elem, E> {
                Ok(Elem::Bad(x.to_string()))
            }
            fn visit_unit<E>(self) -> std::result::Result<Elem, E> {
                Ok(Elem::Bad("null".into()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> std::result::Result<Elem, A::Error> {
                while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Elem::Bad("a list".into()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> std::result::Result<Elem, A::Error> {
                while a
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Elem::Bad("an object".into()))
            }
        }
        d.deserialize_any(V)
    }
}

fn not_a_list() -> Error {
    Error::invalid("a float vector must be a list of numbers")
}

/// A float vector parsed straight into the column: Ok(true) when one was read, Ok(false) for
/// null, Err for a wrong value (its kind kept).
struct FloatSeed<'o> {
    out: &'o mut Vec<f32>,
    dim: usize,
}

impl<'de> serde::de::DeserializeSeed<'de> for FloatSeed<'_> {
    type Value = Result<bool>;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Result<bool>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for FloatSeed<'_> {
    type Value = Result<bool>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of numbers")
    }
    fn visit_unit<E>(self) -> std::result::Result<Result<bool>, E> {
        Ok(Ok(false))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Result<bool>, A::Error> {
        let start = self.out.len();
        self.out.reserve(vectors::capacity(self.dim));
        let mut i = 0usize;
        while let Some(x) = seq.next_element::<Elem>()? {
            let bad = match x {
                Elem::Num(f) if (f as f32).is_finite() => {
                    self.out.push(f as f32);
                    i += 1;
                    continue;
                }
                Elem::Num(f) => format!("{f} is outside the float32 range"),
                Elem::Bad(what) => format!("{what} is not a number"),
            };
            while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
            return Ok(Err(Error::invalid(bad).context(format!("element {i}"))));
        }
        let got = self.out.len() - start;
        if self.dim != 0 && got != self.dim {
            return Ok(Err(Error::new(
                ErrorKind::DimensionMismatch,
                format!(
                    "the vector has {got} elements, the field's dim is {}",
                    self.dim
                ),
            )));
        }
        Ok(Ok(true))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Result<bool>, A::Error> {
        while map
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Err(Error::invalid(
            "a float vector must be a list of numbers",
        )))
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<Result<bool>, E> {
        Ok(Err(not_a_list()))
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<Result<bool>, E> {
        Ok(Err(not_a_list()))
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<Result<bool>, E> {
        Ok(Err(not_a_list()))
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<Result<bool>, E> {
        Ok(Err(not_a_list()))
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<Result<bool>, E> {
        Ok(Err(not_a_list()))
    }
}

/// The column of a field a typed write leaves out: its default in every row, every row null,
/// or (the dynamic field) an empty object per row. None when the field must be given.
pub fn filled_column(field: &FieldInfo, rows: usize) -> Result<Option<FieldData>> {
    if field.is_dynamic {
        return Ok(Some(meta_column(vec![b"{}".to_vec(); rows])));
    }
    if field.default.is_none() && !field.nullable {
        return Ok(None);
    }
    let mut col = FieldCells::new(field, rows)?;
    for _ in 0..rows {
        col.absent()?;
    }
    Ok(Some(col.into_field_data()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::schema::FieldInfo;
    use crate::proto::common::KeyValuePair;
    use crate::proto::milvus::DescribeCollectionResponse;
    use crate::proto::schema::{CollectionSchema, FieldSchema};
    use serde_json::json;

    fn info(dynamic: bool) -> CollectionInfo {
        let f = |name: &str, t: DataType, dim: Option<&str>| FieldSchema {
            name: name.into(),
            data_type: t as i32,
            type_params: dim
                .map(|d| {
                    vec![KeyValuePair {
                        key: "dim".into(),
                        value: d.into(),
                    }]
                })
                .unwrap_or_default(),
            ..Default::default()
        };
        let mut pk = f("id", DataType::Int64, None);
        pk.is_primary_key = true;
        let mut opt = f("n", DataType::Int32, None);
        opt.nullable = true;
        let raw = DescribeCollectionResponse {
            schema: Some(CollectionSchema {
                name: "c".into(),
                fields: vec![pk, f("v", DataType::FloatVector, Some("2")), opt],
                enable_dynamic_field: dynamic,
                ..Default::default()
            }),
            ..Default::default()
        };
        CollectionInfo::from_describe(raw).unwrap()
    }

    /// Rows given as values, decoded from the JSON text they make.
    fn decode(info: &CollectionInfo, rows: &[Value], mode: WriteMode) -> Result<Vec<FieldData>> {
        let (cols, n) = json_rows_to_columns(info, &Value::from(rows.to_vec()).to_string(), mode)?;
        assert_eq!(n, rows.len());
        Ok(cols)
    }

    fn names(cols: &[FieldData]) -> Vec<&str> {
        cols.iter().map(|c| c.field_name.as_str()).collect()
    }

    fn scalars(fd: &FieldData) -> scalar_field::Data {
        match &fd.field {
            Some(field_data::Field::Scalars(s)) => s.data.clone().unwrap(),
            _ => panic!("{} is not a scalar column", fd.field_name),
        }
    }

    fn floats(fd: &FieldData) -> Vec<f32> {
        match &fd.field {
            Some(field_data::Field::Vectors(VectorField {
                data: Some(vector_field::Data::FloatVector(FloatArray { data })),
                ..
            })) => data.clone(),
            _ => panic!("{} is not a float vector column", fd.field_name),
        }
    }

    /// A field as the tests add it to `info`: not a key, not nullable, no default.
    fn plain(name: &str, data_type: DataType) -> FieldInfo {
        FieldInfo {
            name: name.into(),
            data_type,
            element_type: DataType::None,
            dim: 0,
            is_primary: false,
            auto_id: false,
            nullable: false,
            default: None,
            is_dynamic: false,
            is_function_output: false,
        }
    }

    fn metas(rows: &[&str]) -> FieldData {
        meta_column(rows.iter().map(|r| r.as_bytes().to_vec()).collect())
    }

    #[test]
    fn rows_stream_into_columns() {
        for dynamic in [false, true] {
            let rows = json!([
                {"id": 1, "v": [0.5, 1.5], "n": 7},
                {"v": [1, -2e3], "id": 2, "n": null},
                {"id": 3, "v": [3.25, 4]}
            ]);
            let (cols, n) =
                json_rows_to_columns(&info(dynamic), &rows.to_string(), WriteMode::Insert).unwrap();
            assert_eq!(n, 3);
            assert_eq!(names(&cols)[..3], ["id", "v", "n"]);
            assert_eq!(
                scalars(&cols[0]),
                scalar_field::Data::LongData(LongArray {
                    data: vec![1, 2, 3]
                })
            );
            assert_eq!(floats(&cols[1]), [0.5, 1.5, 1.0, -2000.0, 3.25, 4.0]);
            assert_eq!(
                scalars(&cols[2]),
                scalar_field::Data::IntData(IntArray { data: vec![7] })
            );
            assert_eq!(cols[2].valid_data, [true, false, false]);
            match dynamic {
                true => assert_eq!(cols[3..], [metas(&["{}", "{}", "{}"])]),
                false => assert_eq!(cols.len(), 3),
            }
        }
        let one = json!({"id": 9, "v": [1, 2], "color": "red"});
        let (cols, n) =
            json_rows_to_columns(&info(true), &one.to_string(), WriteMode::Upsert).unwrap();
        assert_eq!(n, 1);
        assert_eq!(names(&cols), ["id", "v", "n", "$meta"]);
        assert_eq!(
            scalars(&cols[0]),
            scalar_field::Data::LongData(LongArray { data: vec![9] })
        );
        assert_eq!(floats(&cols[1]), [1.0, 2.0]);
        assert_eq!(cols[2].valid_data, [false]);
        assert_eq!(cols[3], metas(&[r#"{"color":"red"}"#]));
        let e = |t: &str| json_rows_to_columns(&info(false), t, WriteMode::Insert).unwrap_err();
        assert_eq!(
            e(r#"[{"id":1,"v":[1,2,3]}]"#).kind,
            ErrorKind::DimensionMismatch
        );
        assert!(e(r#"[{"id":1,"v":[1,2]},{"id":2,"v":[1,"x"]}]"#)
            .message
            .contains("row 1"));
        assert!(e(r#"[{"id":1,"v":[1,1e300]}]"#)
            .message
            .contains("float32 range"));
        assert_eq!(e(r#"[{"id":1}]"#).kind, ErrorKind::MissingField);
        assert!(e(r#"[{"id":1,"v":[1,2],"zz":1}]"#)
            .message
            .contains("unknown field \"zz\""));
        assert_eq!(e("[]").kind, ErrorKind::InvalidArgument);
        assert_eq!(e("[1]").kind, ErrorKind::InvalidArgument);
        assert_eq!(e("[[1]]").message, "row 0 is not an object");
        assert_eq!(e(r#"[{"id":1"#).kind, ErrorKind::InvalidJson);
    }

    #[test]
    fn a_repeated_key_is_refused_in_every_mode() {
        for mode in [
            WriteMode::Insert,
            WriteMode::Upsert,
            WriteMode::PartialUpsert,
        ] {
            for (text, field) in [
                (r#"[{"id":1,"id":2,"v":[1,2]}]"#, "id"),
                (r#"{"id":1,"v":[1,2],"v":[3,4]}"#, "v"),
                (
                    r#"[{"id":1,"v":[1,2],"n":1},{"id":2,"n":2,"v":[1,2],"n":null}]"#,
                    "n",
                ),
            ] {
                let e = json_rows_to_columns(&info(true), text, mode).unwrap_err();
                assert_eq!(e.kind, ErrorKind::InvalidArgument, "{mode:?} {text}");
                assert!(
                    e.message
                        .contains(&format!("field {field:?} appears twice")),
                    "{mode:?}: {}",
                    e.message
                );
            }
        }
    }

    #[test]
    fn an_auto_id_key_is_given_in_every_row_or_in_none() {
        let mut info = info(false);
        info.fields[0].auto_id = true;
        let rows = [json!({"v": [1, 2]}), json!({"v": [3, 4]})];
        assert_eq!(
            names(&decode(&info, &rows, WriteMode::Insert).unwrap()),
            ["v", "n"]
        );
        // Given: sent after the other columns, as pymilvus sends it; an upsert sends every
        // column in the schema's order.
        let given = [json!({"id": 5, "v": [1, 2]})];
        assert_eq!(
            names(&decode(&info, &given, WriteMode::Insert).unwrap()),
            ["v", "n", "id"]
        );
        let mut dynamic = info.clone();
        dynamic.enable_dynamic_field = true;
        assert_eq!(
            names(&decode(&dynamic, &given, WriteMode::Insert).unwrap()),
            ["v", "n", "id", "$meta"]
        );
        assert_eq!(
            names(&decode(&info, &given, WriteMode::Upsert).unwrap()),
            ["id", "v", "n"]
        );
        let e = decode(
            &info,
            &[json!({"v": [1, 2]}), json!({"id": 6, "v": [3, 4]})],
            WriteMode::Insert,
        )
        .unwrap_err();
        assert!(
            e.message
                .contains("row 1: field \"id\" is an auto_id primary key"),
            "{}",
            e.message
        );
        let e = decode(
            &info,
            &[json!({"id": 5, "v": [1, 2]}), rows[0].clone()],
            WriteMode::Insert,
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::MissingField);
        for mode in [WriteMode::Upsert, WriteMode::PartialUpsert] {
            let e = decode(&info, &rows, mode).unwrap_err();
            assert_eq!(
                e.kind,
                ErrorKind::MissingField,
                "an upsert always needs the key"
            );
        }
    }

    #[test]
    fn one_pass_reads_repeated_inserts_and_declines_the_rest() {
        let known = std::sync::Arc::new(info(true));
        let schema = |n: &str| (n == "c").then(|| known.clone());
        let rows = r#"[{"id":1,"v":[0.5,1.5],"n":7,"x":"y"},{"id":2,"v":[1,2]}]"#;
        let args = format!(
            r#"{{"collection_name":"c","partition_name":"p","timeout":2.5,"data":{rows}}}"#
        );
        let p = one_pass_write(&args, false, &schema).expect("one pass");
        assert_eq!(
            (
                p.collection_name.as_str(),
                p.partition_name.as_deref(),
                p.timeout
            ),
            ("c", Some("p"), Some(2.5))
        );
        assert_eq!(p.rows, 2);
        assert_eq!(
            p.fields,
            json_rows_to_columns(&known, rows, WriteMode::Insert)
                .unwrap()
                .0
        );
        for declined in [
            format!(r#"{{"data":{rows},"collection_name":"c"}}"#),
            format!(r#"{{"collection_name":"other","data":{rows}}}"#),
            format!(r#"{{"collection_name":"c","data":{rows},"partial_update":true}}"#),
            format!(r#"{{"collection_name":"c","data":{rows},"bogus":1}}"#),
            r#"{"collection_name":"c","data":[{"id":1,"v":[1]}]}"#.to_string(),
            r#"{"collection_name":"c","data":[{"id":1,"id":2,"v":[1,2]}]}"#.to_string(),
            r#"{"collection_name":"c","data":[]}"#.to_string(),
            format!(r#"{{"collection_name":"c","data":{rows}"#),
            format!(r#"{{"collection_name":"c","data":{rows}}} x"#),
        ] {
            assert!(
                one_pass_write(&declined, false, &schema).is_none(),
                "{declined}"
            );
        }
    }

    #[test]
    fn columns_with_nullable_and_dynamic() {
        let rows = [
            json!({"id": 1, "v": [0.5, 1.5], "n": 7, "color": "red"}),
            json!({"id": 2, "v": [1, 2], "n": null}),
        ];
        let cols = decode(&info(true), &rows, WriteMode::Insert).unwrap();
        assert_eq!(cols.len(), 4);
        let scalar = |i: usize| match &cols[i].field {
            Some(field_data::Field::Scalars(s)) => s.data.clone().unwrap(),
            _ => panic!(),
        };
        assert_eq!(
            scalar(0),
            scalar_field::Data::LongData(LongArray { data: vec![1, 2] })
        );
        assert_eq!(
            scalar(2),
            scalar_field::Data::IntData(IntArray { data: vec![7] })
        );
        assert_eq!(cols[2].valid_data, vec![true, false]);
        assert_eq!(
            scalar(3),
            scalar_field::Data::JsonData(JsonArray {
                data: vec![br#"{"color":"red"}"#.to_vec(), b"{}".to_vec()]
            })
        );
        match &cols[1].field {
            Some(field_data::Field::Vectors(v)) => {
                assert_eq!(v.dim, 2);
                assert_eq!(
                    v.data,
                    Some(vector_field::Data::FloatVector(FloatArray {
                        data: vec![0.5, 1.5, 1.0, 2.0]
                    }))
                );
            }
            _ => panic!(),
        }
    }

    #[test]
    fn defaults_are_written_for_absent_and_null_values() {
        let mut info = info(false);
        info.fields.push(FieldInfo {
            default: Some(json!(9)),
            ..plain("d", DataType::Int64)
        });
        let rows = [
            json!({"id": 1, "v": [0, 0]}),
            json!({"id": 2, "v": [0, 0], "d": null}),
            json!({"id": 3, "v": [0, 0], "d": 4}),
        ];
        let cols = decode(&info, &rows, WriteMode::Insert).unwrap();
        let d = cols.iter().find(|c| c.field_name == "d").unwrap();
        assert!(d.valid_data.is_empty());
        match &d.field {
            Some(field_data::Field::Scalars(s)) => {
                assert_eq!(
                    s.data,
                    Some(scalar_field::Data::LongData(LongArray {
                        data: vec![9, 9, 4]
                    }))
                )
            }
            _ => panic!(),
        }
    }

    #[test]
    fn partial_upserts_send_only_the_given_fields() {
        let rows = [json!({"id": 1, "n": 5}), json!({"id": 2, "n": 6})];
        let cols = decode(&info(false), &rows, WriteMode::PartialUpsert).unwrap();
        assert_eq!(names(&cols), ["id", "n"]);
        let e = decode(
            &info(false),
            &[json!({"id": 1, "n": 5}), json!({"id": 2})],
            WriteMode::PartialUpsert,
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::MissingField);
        assert!(
            e.message.contains("row 1") && e.message.contains("\"n\""),
            "{}",
            e.message
        );
        let e = decode(
            &info(false),
            &[json!({"id": 1}), json!({"id": 2, "n": 6})],
            WriteMode::PartialUpsert,
        )
        .unwrap_err();
        assert!(e.message.contains("not in row 0"), "{}", e.message);
        let e = decode(&info(false), &[json!({"n": 5})], WriteMode::PartialUpsert).unwrap_err();
        assert_eq!(
            e.kind,
            ErrorKind::MissingField,
            "the primary key is always needed"
        );
        // A full write still needs every field.
        assert_eq!(
            decode(&info(false), &rows, WriteMode::Upsert)
                .unwrap_err()
                .kind,
            ErrorKind::MissingField
        );
    }

    #[test]
    fn partial_upserts_carry_the_values_of_the_given_fields() {
        let rows = [
            json!({"id": 1, "n": 5, "x": 1}),
            json!({"n": null, "id": 2}),
            json!({"id": 3, "n": 7, "y": "z"}),
        ];
        let cols = decode(&info(true), &rows, WriteMode::PartialUpsert).unwrap();
        assert_eq!(names(&cols), ["id", "n", "$meta"]);
        assert_eq!(
            scalars(&cols[0]),
            scalar_field::Data::LongData(LongArray {
                data: vec![1, 2, 3]
            })
        );
        assert_eq!(
            scalars(&cols[1]),
            scalar_field::Data::IntData(IntArray { data: vec![5, 7] })
        );
        assert_eq!(cols[1].valid_data, [true, false, true]);
        assert_eq!(cols[2], metas(&[r#"{"x":1}"#, "{}", r#"{"y":"z"}"#]));
        let cols = decode(
            &info(false),
            &[json!({"id": 1, "v": [1, 2]}), json!({"v": [3, 4], "id": 2})],
            WriteMode::PartialUpsert,
        )
        .unwrap();
        assert_eq!(names(&cols), ["id", "v"]);
        assert_eq!(floats(&cols[1]), [1.0, 2.0, 3.0, 4.0]);
        // A bad value names its row and field, as in a full write.
        let e = decode(
            &info(false),
            &[json!({"id": 1, "v": [1, 2]}), json!({"id": 2, "v": [1]})],
            WriteMode::PartialUpsert,
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::DimensionMismatch);
        assert!(e.message.contains("row 1, field \"v\""), "{}", e.message);
    }

    #[test]
    fn partial_upserts_skip_fields_they_cannot_write_unless_given() {
        let mut info = info(false);
        info.fields.push(FieldInfo {
            is_function_output: true,
            ..plain("sparse", DataType::SparseFloatVector)
        });
        info.fields.push(plain("when", DataType::Date));
        let rows = [json!({"id": 1, "n": 5})];
        assert_eq!(
            names(&decode(&info, &rows, WriteMode::PartialUpsert).unwrap()),
            ["id", "n"]
        );
        // A full write cannot leave the unwritable field out.
        let e = decode(&info, &rows, WriteMode::Upsert).unwrap_err();
        assert!(e.message.contains("cannot be written yet"), "{}", e.message);
        for (row, says) in [
            (
                json!({"id": 1, "when": "2024-01-01"}),
                "cannot be written yet",
            ),
            (json!({"id": 1, "sparse": {"1": 0.5}}), "function output"),
        ] {
            let e = decode(&info, &[row], WriteMode::PartialUpsert).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidArgument);
            assert!(e.message.contains(says), "{}", e.message);
        }
    }

    #[test]
    fn columns_are_shaped_as_pymilvus_writes_rows() {
        let mut info = info(false);
        info.fields.push(FieldInfo {
            element_type: DataType::Int64,
            ..plain("a", DataType::Array)
        });
        info.fields.push(plain("sp", DataType::SparseFloatVector));
        info.fields.push(FieldInfo {
            nullable: true,
            dim: 2,
            ..plain("nv", DataType::FloatVector)
        });
        info.fields.push(FieldInfo {
            nullable: true,
            dim: 16,
            ..plain("nb", DataType::BinaryVector)
        });
        let rows = [
            json!({"id": 1, "v": [0, 0], "a": [1, 2], "sp": {"7": 0.5}, "nv": null}),
            json!({"id": 2, "v": [0, 0], "a": [], "sp": {"1": 0.25}}),
        ];
        let cols = decode(&info, &rows, WriteMode::Insert).unwrap();
        let col = |n: &str| cols.iter().find(|c| c.field_name == n).unwrap();
        // The server takes an ARRAY's element type from the schema: none is named.
        match &col("a").field {
            Some(field_data::Field::Scalars(ScalarField {
                data: Some(scalar_field::Data::ArrayData(a)),
            })) => {
                assert_eq!(a.element_type, DataType::None as i32);
                assert_eq!(a.data.len(), 2);
            }
            other => panic!("{other:?}"),
        }
        // Nor a sparse column's dimension.
        match &col("sp").field {
            Some(field_data::Field::Vectors(VectorField {
                dim: 0,
                data: Some(vector_field::Data::SparseFloatVector(s)),
            })) => {
                assert_eq!(s.dim, 0);
                assert_eq!(s.contents.len(), 2);
            }
            other => panic!("{other:?}"),
        }
        // A vector column with no vector in any row: its dimension, no data.
        for (name, dim) in [("nv", 2), ("nb", 16)] {
            assert_eq!(
                col(name).field,
                Some(field_data::Field::Vectors(VectorField { dim, data: None })),
                "{name}"
            );
            assert_eq!(col(name).valid_data, [false, false]);
        }
    }

    #[test]
    fn geometry_travels_as_wkt() {
        let mut info = info(false);
        info.fields.push(plain("g", DataType::Geometry));
        let cols = decode(
            &info,
            &[json!({"id": 1, "v": [0, 0], "g": "POINT (1 2)"})],
            WriteMode::Insert,
        )
        .unwrap();
        match &cols.iter().find(|c| c.field_name == "g").unwrap().field {
            Some(field_data::Field::Scalars(s)) => assert_eq!(
                s.data,
                Some(scalar_field::Data::GeometryWktData(GeometryWktArray {
                    data: vec!["POINT (1 2)".into()]
                }))
            ),
            _ => panic!(),
        }
    }

    #[test]
    fn bad_rows_name_row_and_field() {
        let e = decode(
            &info(false),
            &[
                json!({"id": 1, "v": [0.5, 1.5]}),
                json!({"id": 2, "v": [1.0]}),
            ],
            WriteMode::Insert,
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::DimensionMismatch);
        assert!(
            e.message.contains("row 1") && e.message.contains("\"v\""),
            "{}",
            e.message
        );
        let e = decode(&info(false), &[json!({"v": [0.5, 1.5]})], WriteMode::Insert).unwrap_err();
        assert_eq!(e.kind, ErrorKind::MissingField);
        assert!(e.message.contains("\"id\""), "{}", e.message);
        let e = decode(
            &info(false),
            &[json!({"id": 1, "v": [0.5, 1.5], "x": 1})],
            WriteMode::Insert,
        )
        .unwrap_err();
        assert!(e.message.contains("unknown field \"x\""), "{}", e.message);
        let e = decode(
            &info(false),
            &[json!({"id": "a", "v": [0.5, 1.5]})],
            WriteMode::Insert,
        )
        .unwrap_err();
        assert!(e.message.contains("row 0, field \"id\""), "{}", e.message);
        let e = decode(
            &info(false),
            &[json!({"id": 1, "v": [0.5, 1.5], "n": 1e10})],
            WriteMode::Insert,
        )
        .unwrap_err();
        assert!(e.message.contains("\"n\""), "{}", e.message);
    }
}
