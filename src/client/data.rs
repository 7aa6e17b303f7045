//! Writes and reads: insert, delete, search, query.

use super::{rpc, CallOpts, Client};
use crate::codec::columns::Columns;
use crate::codec::rows::{self, WriteMode};
use crate::error::{Error, ErrorKind, Result};
use crate::proto::milvus as m;

/// Legacy code of a write made with a stale schema.
pub(crate) const SCHEMA_MISMATCH: i32 = crate::proto::common::ErrorCode::SchemaMismatch as i32;

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
        let upsert = mode != WriteMode::Insert;
        let mut retried = false;
        loop {
            let info = self.collection_info(collection, opts).await?;
            let (fields_data, n) = rows::json_rows_to_columns(&info, data, mode)?;
            let num_rows =
                u32::try_from(n).map_err(|_| Error::invalid("too many rows for one request"))?;
            let result = if upsert {
                let req = m::UpsertRequest {
                    collection_name: collection.to_string(),
                    partition_name: partition.to_string(),
                    fields_data,
                    num_rows,
                    schema_timestamp: info.update_timestamp,
                    partial_update: mode == WriteMode::PartialUpsert,
                    ..Default::default()
                };
                self.send_upsert(req, opts).await
            } else {
                let req = m::InsertRequest {
                    collection_name: collection.to_string(),
                    partition_name: partition.to_string(),
                    fields_data,
                    num_rows,
                    schema_timestamp: info.update_timestamp,
                    ..Default::default()
                };
                self.send_insert(req, opts).await
            };
            match result {
                Err(e) if e.server_code == SCHEMA_MISMATCH && !retried => {
                    retried = true;
                    self.forget_schema(collection);
                }
                other => return other,
            }
        }
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
        let mut retried = false;
        loop {
            let info = self.collection_info(collection, opts).await?;
            let chunks = cols.field_chunks(&info, upsert, rows::filled_column)?;
            let num_rows = u32::try_from(cols.num_rows)
                .map_err(|_| Error::invalid("too many rows for one request"))?;
            let result = if upsert {
                let head = m::UpsertRequest {
                    collection_name: collection.to_string(),
                    partition_name: partition.to_string(),
                    num_rows,
                    schema_timestamp: info.update_timestamp,
                    ..Default::default()
                };
                self.raw_unary::<_, m::MutationResult>("upsert", head, &chunks, opts)
                    .await
            } else {
                let head = m::InsertRequest {
                    collection_name: collection.to_string(),
                    partition_name: partition.to_string(),
                    num_rows,
                    schema_timestamp: info.update_timestamp,
                    ..Default::default()
                };
                self.raw_unary::<_, m::MutationResult>("insert", head, &chunks, opts)
                    .await
            };
            match result {
                Err(e) if e.server_code == SCHEMA_MISMATCH && !retried => {
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

    pub async fn search(&self, req: m::SearchRequest, opts: &CallOpts) -> Result<m::SearchResults> {
        Ok(rpc!(self, search, req, opts))
    }

    pub async fn hybrid_search(
        &self,
        req: m::HybridSearchRequest,
        opts: &CallOpts,
    ) -> Result<m::SearchResults> {
        Ok(rpc!(self, hybrid_search, req, opts))
    }

    pub async fn query(&self, req: m::QueryRequest, opts: &CallOpts) -> Result<m::QueryResults> {
        Ok(rpc!(self, query, req, opts))
    }
}
