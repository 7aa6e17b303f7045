//! The row codec: JSON rows → insert columns, against the fixed schemas of every type.
//!
//! Input: one byte picking the schema (`milvus_fuzz::schema_dicts`), one byte picking the
//! write mode (insert, upsert, partial upsert), then the rows as JSON (a list of row objects,
//! or one). Never panics; when it succeeds every column holds one entry per row (or per
//! valid row, for nullable fields), and the InsertRequest they make encodes and decodes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use milvus::codec::rows::{json_rows_to_columns, WriteMode};
use milvus::codec::schema::CollectionInfo;
use milvus::proto::milvus::InsertRequest;
use milvus::proto::schema::{field_data, scalar_field, vector_field, FieldData};
use prost::Message;
use std::sync::OnceLock;

fn infos() -> &'static Vec<CollectionInfo> {
    static INFOS: OnceLock<Vec<CollectionInfo>> = OnceLock::new();
    INFOS.get_or_init(milvus_fuzz::infos)
}

/// Entries a column holds, when its type is one this check knows.
fn entries(fd: &FieldData, dim: usize) -> Option<usize> {
    use scalar_field::Data as S;
    use vector_field::Data as V;
    let per = |len: usize, width: usize| {
        assert!(
            width > 0 && len % width == 0,
            "{}: {len} bytes/values is not whole rows of {width}",
            fd.field_name
        );
        len / width
    };
    match fd.field.as_ref()? {
        field_data::Field::Scalars(s) => Some(match s.data.as_ref()? {
            S::BoolData(a) => a.data.len(),
            S::IntData(a) => a.data.len(),
            S::LongData(a) => a.data.len(),
            S::FloatData(a) => a.data.len(),
            S::DoubleData(a) => a.data.len(),
            S::StringData(a) => a.data.len(),
            S::BytesData(a) => a.data.len(),
            S::ArrayData(a) => a.data.len(),
            S::JsonData(a) => a.data.len(),
            _ => return None,
        }),
        field_data::Field::Vectors(v) => Some(match v.data.as_ref()? {
            V::FloatVector(a) => per(a.data.len(), dim),
            V::BinaryVector(b) => per(b.len(), dim / 8),
            V::Float16Vector(b) | V::Bfloat16Vector(b) => per(b.len(), 2 * dim),
            V::Int8Vector(b) => per(b.len(), dim),
            V::SparseFloatVector(s) => s.contents.len(),
            _ => return None,
        }),
        _ => None,
    }
}

fuzz_target!(|data: &[u8]| {
    let [schema, mode, json @ ..] = data else {
        return;
    };
    let info = &infos()[*schema as usize % infos().len()];
    let mode = match mode % 3 {
        0 => WriteMode::Insert,
        1 => WriteMode::Upsert,
        _ => WriteMode::PartialUpsert,
    };
    let Ok(text) = std::str::from_utf8(json) else {
        return;
    };
    let Ok((columns, n)) = json_rows_to_columns(info, text, mode) else {
        return;
    };
    for fd in &columns {
        if !fd.valid_data.is_empty() {
            assert_eq!(
                fd.valid_data.len(),
                n,
                "{}: validity of {} rows",
                fd.field_name,
                n
            );
        }
        let dim = info.field(&fd.field_name).map_or(0, |f| f.dim);
        if let Some(got) = entries(fd, dim) {
            let valid = fd.valid_data.iter().filter(|v| **v).count();
            assert!(
                got == n || (!fd.valid_data.is_empty() && got == valid),
                "{}: {got} entries for {n} rows ({valid} valid)",
                fd.field_name
            );
        }
    }
    let req = InsertRequest {
        collection_name: info.name.clone(),
        num_rows: n as u32,
        fields_data: columns,
        ..Default::default()
    };
    let bytes = req.encode_to_vec();
    let back = InsertRequest::decode(bytes.as_slice()).expect("an encoded InsertRequest decodes");
    assert_eq!(back.fields_data.len(), req.fields_data.len());
});
