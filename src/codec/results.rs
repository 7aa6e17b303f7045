//! Decoded replies → the JSON pymilvus returns, written straight from the protobuf columns.

use super::vectors;
use crate::error::{Error, ErrorKind, Result};
use crate::proto::schema::{
    field_data, i_ds, scalar_field, vector_field, FieldData, ScalarField, SearchResultData,
};
use serde::de::IgnoredAny;
use serde_json::Value;
use std::io::Write as _;

pub fn write_str(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(&mut *out, s).expect("writing to a Vec cannot fail");
}

fn write_f32(out: &mut Vec<u8>, x: f32) {
    if x.is_finite() {
        serde_json::to_writer(&mut *out, &x).expect("writing to a Vec cannot fail");
    } else {
        out.extend_from_slice(b"null");
    }
}

fn write_f64(out: &mut Vec<u8>, x: f64) {
    if x.is_finite() {
        serde_json::to_writer(&mut *out, &x).expect("writing to a Vec cannot fail");
    } else {
        out.extend_from_slice(b"null");
    }
}

fn write_int(out: &mut Vec<u8>, x: impl std::fmt::Display) {
    let _ = write!(out, "{x}");
}

fn write_list<T: Copy>(out: &mut Vec<u8>, xs: &[T], mut each: impl FnMut(&mut Vec<u8>, T)) {
    out.push(b'[');
    for (i, x) in xs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        each(out, *x);
    }
    out.push(b']');
}

/// A JSON cell: embedded as-is when it is valid JSON, else as a string. Skipping a value
/// does not check the UTF-8 of its strings, so that is checked first: the output must stay
/// UTF-8 whatever the server sends.
fn write_json_bytes(out: &mut Vec<u8>, b: &[u8]) {
    match std::str::from_utf8(b) {
        Ok(s) if serde_json::from_str::<IgnoredAny>(s).is_ok() => out.extend_from_slice(b),
        _ => write_str(out, &String::from_utf8_lossy(b)),
    }
}

fn write_scalar_list(out: &mut Vec<u8>, s: &ScalarField) {
    use scalar_field::Data as S;
    match &s.data {
        Some(S::BoolData(a)) => write_list(out, &a.data, |o, b| {
            o.extend_from_slice(if b { b"true" } else { b"false" })
        }),
        Some(S::IntData(a)) => write_list(out, &a.data, write_int),
        Some(S::LongData(a)) => write_list(out, &a.data, write_int),
        Some(S::FloatData(a)) => write_list(out, &a.data, write_f32),
        Some(S::DoubleData(a)) => write_list(out, &a.data, write_f64),
        Some(S::StringData(a)) => {
            out.push(b'[');
            for (i, x) in a.data.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(out, x);
            }
            out.push(b']');
        }
        _ => out.extend_from_slice(b"[]"),
    }
}

/// Row `r` of a flat array of `w`-wide rows; None when the reply is too short (or absurd).
fn chunk<T>(s: &[T], r: usize, w: usize) -> Option<&[T]> {
    let start = r.checked_mul(w)?;
    s.get(start..start.checked_add(w)?)
}

/// One output column with what is needed to read row `r` of it.
struct Column<'a> {
    fd: &'a FieldData,
    /// For compact (vector) columns with validity: row → index into the data, None = null.
    compact: Option<Vec<Option<usize>>>,
}

impl<'a> Column<'a> {
    fn new(fd: &'a FieldData) -> Self {
        let is_vector = matches!(fd.field, Some(field_data::Field::Vectors(_)));
        let compact = (is_vector && !fd.valid_data.is_empty()).then(|| {
            let mut next = 0;
            fd.valid_data
                .iter()
                .map(|v| {
                    v.then(|| {
                        next += 1;
                        next - 1
                    })
                })
                .collect()
        });
        Column { fd, compact }
    }

    fn is_null(&self, r: usize) -> bool {
        self.fd.valid_data.get(r).is_some_and(|v| !v)
    }

    /// Number of rows the column holds.
    fn len(&self) -> usize {
        use scalar_field::Data as S;
        use vector_field::Data as V;
        if !self.fd.valid_data.is_empty() {
            return self.fd.valid_data.len();
        }
        match &self.fd.field {
            Some(field_data::Field::Scalars(s)) => match &s.data {
                Some(S::BoolData(a)) => a.data.len(),
                Some(S::IntData(a)) => a.data.len(),
                Some(S::LongData(a)) => a.data.len(),
                Some(S::FloatData(a)) => a.data.len(),
                Some(S::DoubleData(a)) => a.data.len(),
                Some(S::StringData(a)) => a.data.len(),
                Some(S::BytesData(a)) => a.data.len(),
                Some(S::ArrayData(a)) => a.data.len(),
                Some(S::JsonData(a)) => a.data.len(),
                Some(S::GeometryData(a)) => a.data.len(),
                Some(S::TimestamptzData(a)) => a.data.len(),
                Some(S::GeometryWktData(a)) => a.data.len(),
                _ => 0,
            },
            Some(field_data::Field::Vectors(v)) => {
                let dim = v.dim.max(1) as usize;
                match &v.data {
                    Some(V::FloatVector(a)) => a.data.len() / dim,
                    Some(V::BinaryVector(b)) => b.len() / (dim / 8).max(1),
                    Some(V::Float16Vector(b)) | Some(V::Bfloat16Vector(b)) => {
                        b.len() / dim.saturating_mul(2)
                    }
                    Some(V::Int8Vector(b)) => b.len() / dim,
                    Some(V::SparseFloatVector(s)) => s.contents.len(),
                    _ => 0,
                }
            }
            _ => 0,
        }
    }

    /// Writes row `r`; false when the column does not have that row.
    fn write(&self, out: &mut Vec<u8>, r: usize) -> bool {
        use scalar_field::Data as S;
        use vector_field::Data as V;
        if self.is_null(r) {
            out.extend_from_slice(b"null");
            return true;
        }
        match &self.fd.field {
            Some(field_data::Field::Scalars(s)) => match &s.data {
                Some(S::BoolData(a)) => match a.data.get(r) {
                    Some(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
                    None => return false,
                },
                Some(S::IntData(a)) => match a.data.get(r) {
                    Some(x) => write_int(out, *x),
                    None => return false,
                },
                Some(S::LongData(a)) => match a.data.get(r) {
                    Some(x) => write_int(out, *x),
                    None => return false,
                },
                Some(S::TimestamptzData(a)) => match a.data.get(r) {
                    Some(x) => write_int(out, *x),
                    None => return false,
                },
                Some(S::FloatData(a)) => match a.data.get(r) {
                    Some(x) => write_f32(out, *x),
                    None => return false,
                },
                Some(S::DoubleData(a)) => match a.data.get(r) {
                    Some(x) => write_f64(out, *x),
                    None => return false,
                },
                Some(S::StringData(a)) => match a.data.get(r) {
                    Some(x) => write_str(out, x),
                    None => return false,
                },
                Some(S::GeometryWktData(a)) => match a.data.get(r) {
                    Some(x) => write_str(out, x),
                    None => return false,
                },
                Some(S::JsonData(a)) => match a.data.get(r) {
                    Some(x) => write_json_bytes(out, x),
                    None => return false,
                },
                Some(S::GeometryData(a)) => match a.data.get(r) {
                    Some(x) => write_str(out, &vectors::b64(x)),
                    None => return false,
                },
                Some(S::BytesData(a)) => match a.data.get(r) {
                    Some(x) => write_str(out, &vectors::b64(x)),
                    None => return false,
                },
                Some(S::ArrayData(a)) => match a.data.get(r) {
                    Some(x) => write_scalar_list(out, x),
                    None => return false,
                },
                _ => return false,
            },
            Some(field_data::Field::Vectors(v)) => {
                let r = match &self.compact {
                    Some(map) => match map.get(r) {
                        Some(Some(i)) => *i,
                        _ => return false,
                    },
                    None => r,
                };
                let dim = v.dim.max(0) as usize;
                let slice = |b: &'a [u8], w: usize| chunk(b, r, w);
                match &v.data {
                    Some(V::FloatVector(a)) => match chunk(&a.data, r, dim) {
                        Some(x) => write_list(out, x, write_f32),
                        None => return false,
                    },
                    Some(V::BinaryVector(b)) => match slice(b, dim / 8) {
                        Some(x) => write_str(out, &vectors::b64(x)),
                        None => return false,
                    },
                    Some(V::Float16Vector(b)) | Some(V::Bfloat16Vector(b)) => {
                        let bf = matches!(v.data, Some(V::Bfloat16Vector(_)));
                        match slice(b, dim.saturating_mul(2)) {
                            Some(x) => {
                                let f: Vec<f32> = x
                                    .chunks_exact(2)
                                    .map(|c| {
                                        let h = u16::from_le_bytes([c[0], c[1]]);
                                        if bf {
                                            vectors::bf16_to_f32(h)
                                        } else {
                                            vectors::f16_to_f32(h)
                                        }
                                    })
                                    .collect();
                                write_list(out, &f, write_f32)
                            }
                            None => return false,
                        }
                    }
                    Some(V::Int8Vector(b)) => match slice(b, dim) {
                        Some(x) => write_list(out, x, |o, b| write_int(o, b as i8 as i32)),
                        None => return false,
                    },
                    Some(V::SparseFloatVector(s)) => match s.contents.get(r) {
                        Some(x) => {
                            out.push(b'{');
                            for (i, p) in x.chunks_exact(8).enumerate() {
                                if i > 0 {
                                    out.push(b',');
                                }
                                let idx = u32::from_le_bytes([p[0], p[1], p[2], p[3]]);
                                let _ = write!(out, "\"{idx}\":");
                                write_f32(out, f32::from_le_bytes([p[4], p[5], p[6], p[7]]));
                            }
                            out.push(b'}');
                        }
                        None => return false,
                    },
                    _ => return false,
                }
            }
            _ => return false,
        }
        true
    }
}

/// Which reply the columns come from. The dynamic keys shown are picked from the reply's own
/// `output_fields` (what pymilvus does, so every server reads the same): the names there that
/// are not columns, or every key when none are. A query reply that names the dynamic column
/// itself shows every key; a search reply shows only the other names it lists.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Reply {
    Query,
    Search,
}

/// Columns of a reply, with `$meta` split out and the dynamic keys to show.
pub struct Entities<'a> {
    columns: Vec<(&'a str, Column<'a>)>,
    meta: Option<&'a [Vec<u8>]>,
    meta_valid: &'a [bool],
    /// Specific dynamic keys to show; None = all of them.
    dynamic_keys: Option<Vec<&'a str>>,
}

impl<'a> Entities<'a> {
    /// `output_fields` are the reply's, not the request's: newer servers return every field
    /// (`$meta` too) when none were asked for, and list them there.
    pub fn new(fields: &'a [FieldData], output_fields: &'a [String], reply: Reply) -> Self {
        let mut columns = Vec::new();
        let mut meta = None;
        let mut meta_name = None;
        let mut meta_valid: &[bool] = &[];
        for fd in fields {
            if fd.is_dynamic || fd.field_name == "$meta" {
                if let Some(field_data::Field::Scalars(ScalarField {
                    data: Some(scalar_field::Data::JsonData(j)),
                })) = &fd.field
                {
                    meta = Some(j.data.as_slice());
                    meta_name = Some(fd.field_name.as_str());
                    meta_valid = &fd.valid_data;
                }
                continue;
            }
            columns.push((fd.field_name.as_str(), Column::new(fd)));
        }
        let names_meta = meta_name.is_some_and(|m| output_fields.iter().any(|f| f == m));
        let listed: Vec<&str> = output_fields
            .iter()
            .map(String::as_str)
            .filter(|f| Some(*f) != meta_name && !columns.iter().any(|(n, _)| n == f))
            .collect();
        let every_key = listed.is_empty() || (reply == Reply::Query && names_meta);
        Entities {
            columns,
            meta,
            meta_valid,
            dynamic_keys: (!every_key).then_some(listed),
        }
    }

    /// Rows the reply holds (the longest column; ragged replies are caught per row).
    pub fn rows(&self) -> usize {
        let cols = self.columns.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
        cols.max(self.meta.map(|m| m.len()).unwrap_or(0))
    }

    /// Writes row `r` as a JSON object.
    pub fn write_row(&self, out: &mut Vec<u8>, r: usize) -> Result<()> {
        out.push(b'{');
        let mut first = true;
        for (name, col) in &self.columns {
            if !first {
                out.push(b',');
            }
            first = false;
            write_str(out, name);
            out.push(b':');
            if !col.write(out, r) {
                return Err(Error::new(
                    ErrorKind::Internal,
                    format!("malformed reply: column {name:?} has no row {r}"),
                ));
            }
        }
        if let Some(meta) = self.meta {
            if self.meta_valid.get(r).is_none_or(|v| *v) {
                let raw = meta.get(r).ok_or_else(|| {
                    Error::new(
                        ErrorKind::Internal,
                        format!("malformed reply: $meta has no row {r}"),
                    )
                })?;
                if let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(raw) {
                    for (k, v) in &obj {
                        let wanted = self
                            .dynamic_keys
                            .as_ref()
                            .is_none_or(|keys| keys.contains(&k.as_str()));
                        if !wanted || self.columns.iter().any(|(n, _)| n == k) {
                            continue;
                        }
                        if !first {
                            out.push(b',');
                        }
                        first = false;
                        write_str(out, k);
                        out.push(b':');
                        serde_json::to_writer(&mut *out, v).expect("writing to a Vec cannot fail");
                    }
                }
            }
        }
        out.push(b'}');
        Ok(())
    }
}

/// Query / get rows: a JSON list of objects. `output_fields` are the reply's.
pub fn query_rows(fields: &[FieldData], output_fields: &[String]) -> Result<Vec<u8>> {
    let ents = Entities::new(fields, output_fields, Reply::Query);
    let n = ents.rows();
    let mut out = Vec::with_capacity(64 * n + 2);
    out.push(b'[');
    for r in 0..n {
        if r > 0 {
            out.push(b',');
        }
        ents.write_row(&mut out, r)?;
    }
    out.push(b']');
    Ok(out)
}

/// Search hits: one list per query of `{"id", "distance", "entity"}`, split by `topks`; with
/// `"highlight": {field: {"fragments", "scores"}}` when the reply has highlights (Milvus 2.6+).
pub fn search_hits(res: &SearchResultData, round_decimal: i64) -> Result<Vec<u8>> {
    let ents = Entities::new(&res.fields_data, &res.output_fields, Reply::Search);
    // A negative topk could make the others add up to the ids and then index past them.
    let total: i64 = res
        .topks
        .iter()
        .try_fold(0i64, |sum, &k| {
            (k >= 0).then(|| sum.checked_add(k)).flatten()
        })
        .unwrap_or(-1);
    let ids_len = match res.ids.as_ref().and_then(|i| i.id_field.as_ref()) {
        Some(i_ds::IdField::IntId(a)) => a.data.len(),
        Some(i_ds::IdField::StrId(a)) => a.data.len(),
        None => 0,
    };
    if total < 0 || total as usize != ids_len || res.scores.len() != ids_len {
        return Err(Error::new(
            ErrorKind::Internal,
            format!(
                "malformed search reply: topks add up to {total}, {ids_len} ids, {} scores",
                res.scores.len()
            ),
        ));
    }
    if let Some(h) = res
        .highlight_results
        .iter()
        .find(|h| h.datas.len() != ids_len)
    {
        return Err(Error::new(
            ErrorKind::Internal,
            format!(
                "malformed search reply: {} highlights of {:?} for {ids_len} hits",
                h.datas.len(),
                h.field_name
            ),
        ));
    }
    let scale = (round_decimal > 0).then(|| 10f64.powi(round_decimal.min(15) as i32));
    let mut out = Vec::with_capacity(ids_len * 48 + 16);
    out.push(b'[');
    let mut hit = 0usize;
    for (q, k) in res.topks.iter().enumerate() {
        if q > 0 {
            out.push(b',');
        }
        out.push(b'[');
        for j in 0..*k as usize {
            if j > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"id\":");
            match res.ids.as_ref().and_then(|i| i.id_field.as_ref()) {
                Some(i_ds::IdField::IntId(a)) => write_int(&mut out, a.data[hit]),
                Some(i_ds::IdField::StrId(a)) => write_str(&mut out, &a.data[hit]),
                None => unreachable!("ids_len checked"),
            }
            out.extend_from_slice(b",\"distance\":");
            let score = res.scores[hit];
            match scale {
                Some(s) => write_f64(&mut out, ((score as f64) * s).round() / s),
                None => write_f32(&mut out, score),
            }
            out.extend_from_slice(b",\"entity\":");
            ents.write_row(&mut out, hit)?;
            if !res.highlight_results.is_empty() {
                out.extend_from_slice(b",\"highlight\":{");
                for (i, h) in res.highlight_results.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_str(&mut out, &h.field_name);
                    out.extend_from_slice(b":{\"fragments\":[");
                    for (f, frag) in h.datas[hit].fragments.iter().enumerate() {
                        if f > 0 {
                            out.push(b',');
                        }
                        write_str(&mut out, frag);
                    }
                    out.extend_from_slice(b"],\"scores\":");
                    write_list(&mut out, &h.datas[hit].scores, write_f32);
                    out.push(b'}');
                }
                out.push(b'}');
            }
            out.push(b'}');
            hit += 1;
        }
        out.push(b']');
    }
    out.push(b']');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::schema::{
        FloatArray, IDs, IntArray, JsonArray, LongArray, ScalarField, SearchResultData, VectorField,
    };
    use serde_json::json;

    fn scalar(name: &str, data: scalar_field::Data, valid: Vec<bool>) -> FieldData {
        FieldData {
            field_name: name.into(),
            field: Some(field_data::Field::Scalars(ScalarField { data: Some(data) })),
            valid_data: valid,
            ..Default::default()
        }
    }

    /// Nullable scalars come back full length, nullable vectors compact; `$meta` is flattened,
    /// keeping only the dynamic keys asked for.
    #[test]
    fn topks_that_are_negative_or_overflow_are_malformed() {
        for topks in [vec![2, -1], vec![-1, 1], vec![i64::MAX, i64::MAX, 2]] {
            let res = SearchResultData {
                topks,
                scores: vec![1.0],
                ids: Some(IDs {
                    id_field: Some(i_ds::IdField::IntId(LongArray { data: vec![5] })),
                }),
                ..Default::default()
            };
            assert_eq!(search_hits(&res, -1).unwrap_err().kind, ErrorKind::Internal);
        }
    }

    #[test]
    fn json_cells_that_are_not_utf8_become_strings() {
        let fields = [scalar(
            "j",
            scalar_field::Data::JsonData(JsonArray {
                data: vec![b"{\"\x9f\":1}".to_vec(), b"[1]".to_vec()],
            }),
            vec![],
        )];
        let out = query_rows(&fields, &["j".to_string()]).unwrap();
        let text = String::from_utf8(out).expect("UTF-8 output");
        assert_eq!(text, "[{\"j\":\"{\\\"\u{fffd}\\\":1}\"},{\"j\":[1]}]");
        serde_json::from_str::<Value>(&text).unwrap();
    }

    #[test]
    fn nullable_columns_and_dynamic_keys() {
        let fields = vec![
            scalar(
                "id",
                scalar_field::Data::LongData(LongArray {
                    data: vec![1, 2, 3],
                }),
                vec![],
            ),
            scalar(
                "n",
                scalar_field::Data::IntData(IntArray {
                    data: vec![7, 0, 9],
                }),
                vec![true, false, true],
            ),
            FieldData {
                field_name: "v".into(),
                field: Some(field_data::Field::Vectors(VectorField {
                    dim: 2,
                    data: Some(vector_field::Data::FloatVector(FloatArray {
                        data: vec![0.5, 1.0, 2.0, 4.0],
                    })),
                })),
                valid_data: vec![true, false, true],
                ..Default::default()
            },
            FieldData {
                field_name: "$meta".into(),
                is_dynamic: true,
                field: Some(field_data::Field::Scalars(ScalarField {
                    data: Some(scalar_field::Data::JsonData(JsonArray {
                        data: vec![
                            br#"{"a":1,"b":2}"#.to_vec(),
                            b"{}".to_vec(),
                            br#"{"a":3}"#.to_vec(),
                        ],
                    })),
                })),
                ..Default::default()
            },
        ];
        let out: serde_json::Value = serde_json::from_slice(
            &query_rows(&fields, &["id".into(), "n".into(), "v".into(), "a".into()]).unwrap(),
        )
        .unwrap();
        assert_eq!(
            out,
            json!([
                {"id": 1, "n": 7, "v": [0.5, 1.0], "a": 1},
                {"id": 2, "n": null, "v": null},
                {"id": 3, "n": 9, "v": [2.0, 4.0], "a": 3}
            ])
        );
        // Servers expand "*" to every field, `$meta` included.
        let star = ["id".into(), "n".into(), "v".into(), "$meta".into()];
        let all: serde_json::Value =
            serde_json::from_slice(&query_rows(&fields, &star).unwrap()).unwrap();
        assert_eq!(
            all[0]["b"],
            json!(2),
            "naming $meta keeps every dynamic key"
        );
    }

    fn meta(rows: &[&[u8]]) -> FieldData {
        FieldData {
            field_name: "$meta".into(),
            is_dynamic: true,
            field: Some(field_data::Field::Scalars(ScalarField {
                data: Some(scalar_field::Data::JsonData(JsonArray {
                    data: rows.iter().map(|r| r.to_vec()).collect(),
                })),
            })),
            ..Default::default()
        }
    }

    fn one_hit(fields_data: Vec<FieldData>, output_fields: &[&str]) -> Value {
        let res = SearchResultData {
            num_queries: 1,
            top_k: 1,
            topks: vec![1],
            scores: vec![0.5],
            ids: Some(IDs {
                id_field: Some(i_ds::IdField::IntId(LongArray { data: vec![5] })),
            }),
            fields_data,
            output_fields: output_fields.iter().map(|f| f.to_string()).collect(),
            ..Default::default()
        };
        let out: Value = serde_json::from_slice(&search_hits(&res, -1).unwrap()).unwrap();
        out[0][0]["entity"].clone()
    }

    /// Milvus Lite 3 answers a search without output fields with every field, `$meta` among
    /// them, and lists them in the reply's output_fields: every dynamic key is shown.
    #[test]
    fn search_reply_listing_every_field_shows_every_dynamic_key() {
        let v = FieldData {
            field_name: "vector".into(),
            field: Some(field_data::Field::Vectors(VectorField {
                dim: 2,
                data: Some(vector_field::Data::FloatVector(FloatArray {
                    data: vec![0.5, 1.0],
                })),
            })),
            ..Default::default()
        };
        let cols = vec![v, meta(&[br#"{"color":"red","n":5}"#])];
        assert_eq!(
            one_hit(cols, &["vector", "$meta"]),
            json!({"vector": [0.5, 1.0], "color": "red", "n": 5})
        );
    }

    #[test]
    fn search_reply_dynamic_keys_come_from_its_output_fields() {
        let row: &[u8] = br#"{"a":1,"b":2}"#;
        assert_eq!(one_hit(vec![meta(&[row])], &["a"]), json!({"a": 1}));
        assert_eq!(one_hit(vec![meta(&[row])], &[]), json!({"a": 1, "b": 2}));
        // A search naming $meta and a key shows that key only; a query shows every key.
        assert_eq!(
            one_hit(vec![meta(&[row])], &["$meta", "b"]),
            json!({"b": 2})
        );
        let listed = ["$meta".into(), "b".into()];
        let rows: Value =
            serde_json::from_slice(&query_rows(&[meta(&[row])], &listed).unwrap()).unwrap();
        assert_eq!(rows, json!([{"a": 1, "b": 2}]));
    }

    #[test]
    fn highlights_join_their_hits() {
        use crate::proto::common::{HighlightData, HighlightResult};
        let mut res = SearchResultData {
            topks: vec![1, 1],
            scores: vec![0.5, 0.25],
            ids: Some(IDs {
                id_field: Some(i_ds::IdField::IntId(LongArray { data: vec![7, 8] })),
            }),
            highlight_results: vec![HighlightResult {
                field_name: "text".into(),
                datas: vec![
                    HighlightData {
                        fragments: vec!["<b>fox</b> jumps".into()],
                        scores: vec![1.5],
                    },
                    HighlightData::default(),
                ],
            }],
            ..Default::default()
        };
        let v: serde_json::Value = serde_json::from_slice(&search_hits(&res, -1).unwrap()).unwrap();
        assert_eq!(
            v,
            serde_json::json!([
                [{"id": 7, "distance": 0.5, "entity": {},
                  "highlight": {"text": {"fragments": ["<b>fox</b> jumps"], "scores": [1.5]}}}],
                [{"id": 8, "distance": 0.25, "entity": {},
                  "highlight": {"text": {"fragments": [], "scores": []}}}]
            ])
        );
        res.highlight_results[0].datas.pop();
        assert_eq!(search_hits(&res, -1).unwrap_err().kind, ErrorKind::Internal);
    }

    #[test]
    fn search_hits_split_by_topks_and_rounded() {
        let res = SearchResultData {
            num_queries: 3,
            top_k: 2,
            topks: vec![2, 0, 1],
            scores: vec![0.123456, 0.5, 0.25],
            ids: Some(IDs {
                id_field: Some(i_ds::IdField::StrId(crate::proto::schema::StringArray {
                    data: vec!["a".into(), "b".into(), "c".into()],
                })),
            }),
            ..Default::default()
        };
        let out: serde_json::Value =
            serde_json::from_slice(&search_hits(&res, 2).unwrap()).unwrap();
        assert_eq!(
            out,
            json!([[{"id": "a", "distance": 0.12, "entity": {}}, {"id": "b", "distance": 0.5, "entity": {}}], [], [{"id": "c", "distance": 0.25, "entity": {}}]])
        );
        let bad = SearchResultData {
            topks: vec![5],
            ..res
        };
        assert_eq!(
            search_hits(&bad, -1).unwrap_err().kind,
            ErrorKind::Internal,
            "malformed replies are errors"
        );
    }
}
