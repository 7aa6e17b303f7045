//! Writes and reads: insert, delete, search, query.

use super::{classify, rpc, CallOpts, Client};
use crate::codec::columns::Columns;
use crate::codec::rows::{self, WriteMode};
use crate::codec::schema::CollectionInfo;
use crate::error::{Error, ErrorKind, Result};
use crate::proto::milvus as m;
use crate::proto::schema::FieldData;
use bytes::Bytes;
use std::sync::Arc;

/// The columns of an insert or upsert: decoded, or already encoded as `fields_data` chunks
/// (the typed path, sent without being copied into one message).
pub(crate) enum WriteBody {
    Fields(Vec<FieldData>),
    Chunks(Vec<Bytes>),
}

/// A write's columns, the schema they were made against and their number of rows.
pub(crate) type Encoded = (Arc<CollectionInfo>, WriteBody, usize);

/// Rows given as JSON text, decoded into the columns of a write, and their number.
pub(crate) fn rows_body(
    info: &CollectionInfo,
    text: &str,
    mode: WriteMode,
) -> Result<(WriteBody, usize)> {
    let (fields, n) = rows::json_rows_to_columns(info, text, mode)?;
    Ok((WriteBody::Fields(fields), n))
}

impl Client {
    /// Inserts (or upserts) rows given as JSON text (a row object or a list of them), checked against the collection's schema first.
    pub async fn write_rows(
        &self,
        collection: &str,
        partition: &str,
        data: &str,
        mode: WriteMode,
        opts: &CallOpts,
    ) -> Result<m::MutationResult> {
        let encode = |info: &_| rows_body(info, data, mode);
        self.send_write(collection, partition, mode, None, encode, opts)
            .await
    }

    /// Inserts (or upserts) typed columns, sent as their pre-encoded chunks.
    pub async fn write_columns(
        &self,
        collection: &str,
        partition: &str,
        cols: &Columns,
        upsert: bool,
        opts: &CallOpts,
    ) -> Result<m::MutationResult> {
        let mode = if upsert {
            WriteMode::Upsert
        } else {
            WriteMode::Insert
        };
        let encode = |info: &_| {
            let chunks = cols.field_chunks(info, upsert, rows::filled_column)?;
            Ok((WriteBody::Chunks(chunks), cols.num_rows))
        };
        self.send_write(collection, partition, mode, None, encode, opts)
            .await
    }

    /// Sends an insert or upsert of the columns `encode` makes against the collection's
    /// schema, or first of `first` (made against a cached schema). A write the server refuses
    /// for a stale schema is made again once, against the schema described afresh.
    pub(crate) async fn send_write(
        &self,
        collection: &str,
        partition: &str,
        mode: WriteMode,
        first: Option<Encoded>,
        mut encode: impl FnMut(&CollectionInfo) -> Result<(WriteBody, usize)>,
        opts: &CallOpts,
    ) -> Result<m::MutationResult> {
        // An older server would ignore the flag and overwrite the missing fields: refuse unless
        // the server says it is 2.6 or later.
        if mode == WriteMode::PartialUpsert && self.server_version().is_none_or(|v| v < (2, 6, 0)) {
            let seen = self
                .server_version()
                .map(|v| format!("{}.{}.{}", v.0, v.1, v.2))
                .unwrap_or("unknown".into());
            return Err(Error::new(
                ErrorKind::Unimplemented,
                format!("partial_update needs Milvus 2.6 or later; the server's version is {seen}"),
            ));
        }
        let mut next = first;
        let mut retried = false;
        loop {
            let (info, body, rows) = match next.take() {
                Some(made) => made,
                None => {
                    let info = self.collection_info(collection, opts).await?;
                    let (body, rows) = encode(&info)?;
                    (info, body, rows)
                }
            };
            let num_rows =
                u32::try_from(rows).map_err(|_| Error::invalid("too many rows for one request"))?;
            let schema_timestamp = info.update_timestamp;
            let insert = |fields_data| m::InsertRequest {
                collection_name: collection.to_string(),
                partition_name: partition.to_string(),
                fields_data,
                num_rows,
                schema_timestamp,
                ..Default::default()
            };
            let upsert = |fields_data| m::UpsertRequest {
                collection_name: collection.to_string(),
                partition_name: partition.to_string(),
                fields_data,
                num_rows,
                schema_timestamp,
                partial_update: mode == WriteMode::PartialUpsert,
                ..Default::default()
            };
            let sent = async {
                Ok::<_, Error>(match (mode, body) {
                    (WriteMode::Insert, WriteBody::Fields(f)) => {
                        rpc!(self, insert, insert(f), opts)
                    }
                    (WriteMode::Insert, WriteBody::Chunks(c)) => {
                        self.raw_unary("insert", insert(Vec::new()), &c, opts)
                            .await?
                    }
                    (_, WriteBody::Fields(f)) => rpc!(self, upsert, upsert(f), opts),
                    (_, WriteBody::Chunks(c)) => {
                        self.raw_unary("upsert", upsert(Vec::new()), &c, opts)
                            .await?
                    }
                })
            };
            match sent.await {
                Err(e) if classify::is_schema_mismatch(&e) && !retried => {
                    retried = true;
                    self.forget_schema(collection);
                }
                Err(e) => return Err(e),
                Ok(r) => {
                    self.record_write(collection, r.timestamp);
                    return Ok(r);
                }
            }
        }
    }

    pub async fn send_insert(
        &self,
        req: m::InsertRequest,
        opts: &CallOpts,
    ) -> Result<m::MutationResult> {
        let collection = req.collection_name.clone();
        let r = rpc!(self, insert, req, opts);
        self.record_write(&collection, r.timestamp);
        Ok(r)
    }

    pub async fn send_upsert(
        &self,
        req: m::UpsertRequest,
        opts: &CallOpts,
    ) -> Result<m::MutationResult> {
        let collection = req.collection_name.clone();
        let r = rpc!(self, upsert, req, opts);
        self.record_write(&collection, r.timestamp);
        Ok(r)
    }

    pub async fn delete(
        &self,
        req: m::DeleteRequest,
        opts: &CallOpts,
    ) -> Result<m::MutationResult> {
        let collection = req.collection_name.clone();
        let r = rpc!(self, delete, req, opts);
        self.record_write(&collection, r.timestamp);
        Ok(r)
    }

    pub async fn search(
        &self,
        mut req: m::SearchRequest,
        opts: &CallOpts,
    ) -> Result<m::SearchResults> {
        self.tag_cluster(&mut req.search_params);
        Ok(rpc!(self, search, req, opts))
    }

    pub async fn hybrid_search(
        &self,
        mut req: m::HybridSearchRequest,
        opts: &CallOpts,
    ) -> Result<m::SearchResults> {
        // pymilvus's session tags the hybrid search and each of its searches.
        self.tag_cluster(&mut req.rank_params);
        for r in &mut req.requests {
            self.tag_cluster(&mut r.search_params);
        }
        Ok(rpc!(self, hybrid_search, req, opts))
    }

    pub async fn query(
        &self,
        mut req: m::QueryRequest,
        opts: &CallOpts,
    ) -> Result<m::QueryResults> {
        self.tag_cluster(&mut req.query_params);
        Ok(rpc!(self, query, req, opts))
    }
}
