//! Typed results: the decoded reply kept as it is, with accessors that hand out views into it.

use super::results;
use crate::error::{Error, ErrorKind, Result};
use crate::proto::milvus as m;
use crate::proto::schema::{
    field_data, i_ds, scalar_field, vector_field, FieldData, SearchResultData,
};
use serde_json::Value;

/// The server's cost units for a write (`report_value`), 0 when it reports none.
pub fn cost(r: &m::MutationResult) -> i64 {
    r.status
        .as_ref()
        .and_then(|s| s.extra_info.get("report_value"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Written ids as JSON.
pub fn ids_json(ids: Option<&crate::proto::schema::IDs>) -> Value {
    match ids.and_then(|i| i.id_field.as_ref()) {
        Some(i_ds::IdField::IntId(a)) => Value::from(a.data.clone()),
        Some(i_ds::IdField::StrId(a)) => Value::from(a.data.clone()),
        None => Value::Array(vec![]),
    }
}

// One result per call: boxing the search variant would buy nothing.
#[allow(clippy::large_enum_variant)]
enum Body {
    Search {
        data: SearchResultData,
        round_decimal: i64,
    },
    Rows {
        fields: Vec<FieldData>,
        /// The reply's: they pick the dynamic keys shown.
        output_fields: Vec<String>,
    },
    Write {
        reply: m::MutationResult,
        /// "insert_count", "upsert_count" or "delete_count".
        key: &'static str,
        count: i64,
    },
}

/// A search, query or write result.
pub struct TypedResult {
    body: Body,
    /// Hits of query q are rows `offsets[q]..offsets[q + 1]`.
    offsets: Vec<usize>,
    /// A search iterator page: its JSON is the one list of hits, not a list per query.
    flat: bool,
}

/// The values of one column, borrowed from the result.
pub enum Values<'a> {
    Bool(&'a [bool]),
    Int32(&'a [i32]),
    Int64(&'a [i64]),
    Float(&'a [f32]),
    Double(&'a [f64]),
    Strings(&'a [String]),
    Bytes(&'a [Vec<u8>]),
    Vectors { data: &'a [u8], dim: usize },
    FloatVectors { data: &'a [f32], dim: usize },
    Sparse(&'a [Vec<u8>]),
    Other,
}

impl TypedResult {
    pub fn search(reply: m::SearchResults, round_decimal: i64, nq: usize) -> Self {
        let data = reply.results.unwrap_or_default();
        let mut offsets = vec![0];
        if data.topks.is_empty() {
            offsets.extend(std::iter::repeat_n(0, nq));
        } else {
            // A reply with fewer ids than scores is cut to the ids: views stay in bounds.
            let ids = match data.ids.as_ref().and_then(|i| i.id_field.as_ref()) {
                Some(i_ds::IdField::IntId(a)) => a.data.len(),
                Some(i_ds::IdField::StrId(a)) => a.data.len(),
                None => 0,
            };
            let rows = data.scores.len().min(ids);
            let mut at = 0usize;
            for k in &data.topks {
                at = at.saturating_add((*k).max(0) as usize);
                offsets.push(at.min(rows));
            }
        }
        TypedResult {
            body: Body::Search {
                data,
                round_decimal,
            },
            offsets,
            flat: false,
        }
    }

    /// Marks a one-query search page whose JSON is a flat list of hits.
    pub fn flat_page(mut self) -> Self {
        self.flat = true;
        self
    }

    pub fn rows(reply: m::QueryResults) -> Self {
        let n = results::Entities::new(
            &reply.fields_data,
            &reply.output_fields,
            results::Reply::Query,
        )
        .rows();
        TypedResult {
            offsets: vec![0, n],
            flat: false,
            body: Body::Rows {
                fields: reply.fields_data,
                output_fields: reply.output_fields,
            },
        }
    }

    pub fn write(reply: m::MutationResult, key: &'static str, count: i64) -> Self {
        let n = match reply.i_ds.as_ref().and_then(|i| i.id_field.as_ref()) {
            Some(i_ds::IdField::IntId(a)) => a.data.len(),
            Some(i_ds::IdField::StrId(a)) => a.data.len(),
            None => 0,
        };
        TypedResult {
            body: Body::Write { reply, key, count },
            offsets: vec![0, n],
            flat: false,
        }
    }

    pub fn num_queries(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn num_rows(&self) -> usize {
        self.offsets.last().copied().unwrap_or(0)
    }

    /// (offset, count) of query `q`'s rows.
    pub fn hits(&self, q: usize) -> Option<(usize, usize)> {
        let a = *self.offsets.get(q)?;
        let b = *self.offsets.get(q + 1)?;
        Some((a, b - a))
    }

    pub fn write_count(&self) -> u64 {
        match &self.body {
            Body::Write { count, .. } => (*count).max(0) as u64,
            _ => 0,
        }
    }

    fn id_field(&self) -> Option<&i_ds::IdField> {
        match &self.body {
            Body::Search { data, .. } => data.ids.as_ref()?.id_field.as_ref(),
            Body::Write { reply, .. } => reply.i_ds.as_ref()?.id_field.as_ref(),
            Body::Rows { .. } => None,
        }
    }

    pub fn int_ids(&self) -> Option<&[i64]> {
        match self.id_field()? {
            i_ds::IdField::IntId(a) => Some(&a.data),
            _ => None,
        }
    }

    pub fn str_ids(&self) -> Option<&[String]> {
        match self.id_field()? {
            i_ds::IdField::StrId(a) => Some(&a.data),
            _ => None,
        }
    }

    pub fn distances(&self) -> Option<&[f32]> {
        match &self.body {
            Body::Search { data, .. } => Some(&data.scores),
            _ => None,
        }
    }

    pub fn fields(&self) -> &[FieldData] {
        match &self.body {
            Body::Search { data, .. } => &data.fields_data,
            Body::Rows { fields, .. } => fields,
            Body::Write { .. } => &[],
        }
    }

    pub fn column(&self, col: usize) -> Result<&FieldData> {
        self.fields().get(col).ok_or_else(|| {
            Error::invalid(format!(
                "column {col} is out of range (the result has {})",
                self.fields().len()
            ))
        })
    }

    pub fn column_index(&self, name: &str) -> Result<usize> {
        self.fields()
            .iter()
            .position(|f| f.field_name == name)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::MissingField,
                    format!("the result has no column {name:?}"),
                )
            })
    }

    pub fn values(&self, col: usize) -> Result<Values<'_>> {
        use scalar_field::Data as S;
        use vector_field::Data as V;
        let fd = self.column(col)?;
        Ok(match &fd.field {
            Some(field_data::Field::Scalars(s)) => match &s.data {
                Some(S::BoolData(a)) => Values::Bool(&a.data),
                Some(S::IntData(a)) => Values::Int32(&a.data),
                Some(S::LongData(a)) => Values::Int64(&a.data),
                Some(S::FloatData(a)) => Values::Float(&a.data),
                Some(S::DoubleData(a)) => Values::Double(&a.data),
                Some(S::StringData(a)) => Values::Strings(&a.data),
                Some(S::GeometryWktData(a)) => Values::Strings(&a.data),
                Some(S::JsonData(a)) => Values::Bytes(&a.data),
                _ => Values::Other,
            },
            Some(field_data::Field::Vectors(v)) => {
                let dim = v.dim.max(0) as usize;
                match &v.data {
                    Some(V::FloatVector(a)) => Values::FloatVectors { data: &a.data, dim },
                    Some(V::BinaryVector(b))
                    | Some(V::Float16Vector(b))
                    | Some(V::Bfloat16Vector(b))
                    | Some(V::Int8Vector(b)) => Values::Vectors { data: b, dim },
                    Some(V::SparseFloatVector(s)) => Values::Sparse(&s.contents),
                    _ => Values::Other,
                }
            }
            _ => Values::Other,
        })
    }

    /// The same JSON the JSON method returns.
    pub fn to_json(&self) -> Result<Vec<u8>> {
        match &self.body {
            Body::Search {
                data,
                round_decimal,
            } => {
                if data.topks.is_empty() {
                    if self.flat {
                        return Ok(b"[]".to_vec());
                    }
                    let nq = self.num_queries();
                    return Ok(format!("[{}]", vec!["[]"; nq].join(",")).into_bytes());
                }
                let nested = results::search_hits(data, *round_decimal)?;
                if self.flat {
                    return Ok(nested[1..nested.len() - 1].to_vec());
                }
                Ok(nested)
            }
            Body::Rows {
                fields,
                output_fields,
            } => results::query_rows(fields, output_fields),
            Body::Write { reply, key, count } => {
                let mut v = serde_json::Map::new();
                v.insert((*key).into(), (*count).into());
                if *key != "delete_count" {
                    v.insert("ids".into(), ids_json(reply.i_ds.as_ref()));
                }
                v.insert("cost".into(), cost(reply).into());
                Ok(serde_json::Value::Object(v).to_string().into_bytes())
            }
        }
    }
}
