//! Query iteration: pages of rows in primary-key order, each page continuing after the last
//! key of the previous one, all read at one guarantee timestamp.

use super::{rpc, CallOpts, Client};
use crate::codec::expr;
use crate::error::Result;
use crate::proto::common::KeyValuePair;
use crate::proto::milvus as m;
use crate::proto::schema::{field_data, scalar_field, DataType, FieldData};
use std::sync::Arc;

/// What a query iterator reads.
#[derive(Debug, Clone, Default)]
pub struct QueryIteratorSpec {
    pub collection_name: String,
    pub filter: String,
    pub output_fields: Vec<String>,
    pub partition_names: Vec<String>,
    pub batch_size: i64,
    /// Rows to return in all; None = every matching row.
    pub limit: Option<i64>,
    /// Matching rows to skip first.
    pub offset: i64,
}

#[derive(Debug, Clone)]
enum Cursor {
    Int(i64),
    Str(String),
}

pub struct QueryIterator {
    client: Arc<Client>,
    spec: QueryIteratorSpec,
    pk_name: String,
    pk_type: DataType,
    collection_id: i64,
    guarantee_ts: u64,
    cursor: Option<Cursor>,
    returned: i64,
    skipped: i64,
    done: bool,
    opts: CallOpts,
}

/// Consistency level that makes the server wait for exactly the timestamp sent.
const CUSTOMIZED: i32 = 4;

impl QueryIterator {
    pub async fn new(client: Arc<Client>, spec: QueryIteratorSpec, opts: CallOpts) -> Result<Self> {
        let info = client
            .describe_collection(&spec.collection_name, &opts)
            .await?;
        let pk = info.primary();
        // Every write this process made, or the present moment, whichever the server knows.
        let guarantee_ts = client
            .last_write_ts(&spec.collection_name)
            .unwrap_or(0)
            .max(super::now_ts());
        Ok(QueryIterator {
            pk_name: pk.name.clone(),
            pk_type: pk.data_type,
            collection_id: info.raw.collection_id,
            guarantee_ts,
            client,
            spec,
            cursor: None,
            returned: 0,
            skipped: 0,
            done: false,
            opts,
        })
    }

    fn expr(&self) -> String {
        let after = self.cursor.as_ref().map(|c| match c {
            Cursor::Int(i) => format!("{} > {i}", self.pk_name),
            Cursor::Str(s) => format!("{} > {}", self.pk_name, expr::quote(s)),
        });
        match (after, self.spec.filter.trim()) {
            (None, f) => f.to_string(),
            (Some(a), "") => a,
            (Some(a), f) => format!("{a} and ({f})"),
        }
    }

    async fn page(&mut self, size: i64) -> Result<m::QueryResults> {
        let kv = |k: &str, v: String| KeyValuePair {
            key: k.into(),
            value: v,
        };
        let mut output_fields = self.spec.output_fields.clone();
        if output_fields.is_empty() {
            output_fields.push("*".into());
        }
        if !output_fields.iter().any(|f| f == &self.pk_name || f == "*") {
            output_fields.push(self.pk_name.clone());
        }
        let req = m::QueryRequest {
            collection_name: self.spec.collection_name.clone(),
            expr: self.expr(),
            output_fields,
            partition_names: self.spec.partition_names.clone(),
            guarantee_timestamp: self.guarantee_ts,
            consistency_level: CUSTOMIZED,
            query_params: vec![
                kv("limit", size.to_string()),
                kv("ignore_growing", "False".into()),
                kv("reduce_stop_for_best", "True".into()),
                kv("iterator", "True".into()),
                kv("collection_id", self.collection_id.to_string()),
            ],
            ..Default::default()
        };
        let client = self.client.clone();
        Ok(rpc!(client, query, req, &self.opts))
    }

    /// The next page of rows: columns and the output fields asked for; no rows at the end.
    pub async fn next_page(&mut self) -> Result<(Vec<FieldData>, Vec<String>)> {
        let wanted = self.spec.output_fields.clone();
        loop {
            if self.done {
                return Ok((Vec::new(), wanted));
            }
            let left = self
                .spec
                .limit
                .map(|l| l - self.returned)
                .unwrap_or(i64::MAX);
            if left <= 0 {
                self.done = true;
                continue;
            }
            let to_skip = self.spec.offset - self.skipped;
            let size = if to_skip > 0 {
                to_skip.min(16384)
            } else {
                self.spec.batch_size.min(left)
            };
            let r = self.page(size).await?;
            let rows = row_count(&r.fields_data);
            match last_key(&r.fields_data, &self.pk_name, self.pk_type) {
                Some(c) if rows > 0 => self.cursor = Some(c),
                _ => {
                    self.done = true;
                    continue;
                }
            }
            if (rows as i64) < size {
                self.done = true;
            }
            if to_skip > 0 {
                self.skipped += rows as i64;
                continue;
            }
            self.returned += rows as i64;
            // Like query, rows carry the primary key whether or not it was asked for.
            let fields = r.fields_data;
            return Ok((fields, wanted));
        }
    }
}

fn row_count(fields: &[FieldData]) -> usize {
    fields
        .iter()
        .map(|f| match &f.field {
            Some(field_data::Field::Scalars(s)) => match &s.data {
                Some(scalar_field::Data::LongData(a)) => a.data.len(),
                Some(scalar_field::Data::StringData(a)) => a.data.len(),
                _ => 0,
            },
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

/// The largest primary key of a page: where the next page starts.
fn last_key(fields: &[FieldData], pk: &str, ty: DataType) -> Option<Cursor> {
    let col = fields.iter().find(|f| f.field_name == pk)?;
    match (&col.field, ty) {
        (Some(field_data::Field::Scalars(s)), DataType::Int64) => match &s.data {
            Some(scalar_field::Data::LongData(a)) => a.data.iter().max().map(|i| Cursor::Int(*i)),
            _ => None,
        },
        (Some(field_data::Field::Scalars(s)), _) => match &s.data {
            Some(scalar_field::Data::StringData(a)) => {
                a.data.iter().max().map(|s| Cursor::Str(s.clone()))
            }
            _ => None,
        },
        _ => None,
    }
}
