//! Collections, indexes, loading, flushing and server information.

use super::{rpc, CallOpts, Client, Waiter};
use crate::codec::schema::CollectionInfo;
use crate::error::{Error, ErrorKind, Result};
use crate::proto::common::{IndexState, KeyValuePair};
use crate::proto::milvus as m;
use crate::proto::schema::CollectionSchema;
use prost::Message as _;
use std::sync::Arc;
use std::time::Duration;

impl Client {
    /// GetVersion, or the build tags the server gave at Connect when it lacks GetVersion.
    pub async fn get_server_version(&self, opts: &CallOpts) -> Result<String> {
        let resp: Result<m::GetVersionResponse> =
            async { Ok(rpc!(self, get_version, m::GetVersionRequest {}, opts)) }.await;
        match resp {
            Ok(r) => Ok(r.version),
            Err(e) if e.kind == ErrorKind::Unimplemented && !self.build_tags.is_empty() => {
                Ok(self.build_tags.clone())
            }
            Err(mut e) if e.kind == ErrorKind::Unimplemented => {
                e.message = format!(
                    "{}: the server implements no GetVersion and reported no version at Connect",
                    e.message
                );
                Err(e)
            }
            Err(e) => Err(e),
        }
    }

    /// The server's description of itself from the Connect handshake.
    pub fn server_info(&self) -> Result<&crate::proto::common::ServerInfo> {
        self.server_info.as_ref().ok_or_else(|| {
            Error::new(
                ErrorKind::Unimplemented,
                "the server implements no Connect, so it gave no details of itself",
            )
        })
    }

    pub async fn list_collections(&self, opts: &CallOpts) -> Result<Vec<String>> {
        let req = m::ShowCollectionsRequest {
            r#type: m::ShowType::All as i32,
            ..Default::default()
        };
        Ok(rpc!(self, show_collections, req, opts).collection_names)
    }

    fn cache_key(&self, collection: &str) -> (String, String) {
        (self.db_name(), collection.to_string())
    }

    pub(crate) fn forget_schema(&self, collection: &str) {
        if let Ok(mut c) = self.schemas.lock() {
            c.remove(&self.cache_key(collection));
        }
    }

    /// Describes the collection and refreshes the cached schema.
    pub async fn describe_collection(
        &self,
        collection: &str,
        opts: &CallOpts,
    ) -> Result<Arc<CollectionInfo>> {
        let req = m::DescribeCollectionRequest {
            collection_name: collection.to_string(),
            ..Default::default()
        };
        let info = Arc::new(CollectionInfo::from_describe(rpc!(
            self,
            describe_collection,
            req,
            opts
        ))?);
        if let Ok(mut c) = self.schemas.lock() {
            c.insert(self.cache_key(collection), info.clone());
        }
        Ok(info)
    }

    /// The cached schema, if this client has described the collection.
    pub fn cached_info(&self, collection: &str) -> Option<Arc<CollectionInfo>> {
        self.schemas
            .lock()
            .ok()
            .and_then(|c| c.get(&self.cache_key(collection)).cloned())
    }

    /// The cached schema, described on first use.
    pub async fn collection_info(
        &self,
        collection: &str,
        opts: &CallOpts,
    ) -> Result<Arc<CollectionInfo>> {
        match self.cached_info(collection) {
            Some(info) => Ok(info),
            None => self.describe_collection(collection, opts).await,
        }
    }

    pub async fn has_collection(&self, collection: &str, opts: &CallOpts) -> Result<bool> {
        match self.describe_collection(collection, opts).await {
            Ok(_) => Ok(true),
            Err(e) if e.kind == ErrorKind::CollectionNotFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Creates the collection `schema` describes; `req` carries the other options
    /// (consistency level, shards, partitions, properties).
    pub async fn create_collection(
        &self,
        schema: &CollectionSchema,
        mut req: m::CreateCollectionRequest,
        opts: &CallOpts,
    ) -> Result<()> {
        req.collection_name = schema.name.clone();
        req.schema = schema.encode_to_vec();
        self.forget_schema(&schema.name);
        rpc!(self, create_collection, req, opts);
        Ok(())
    }

    pub async fn drop_collection(&self, collection: &str, opts: &CallOpts) -> Result<()> {
        self.forget_schema(collection);
        let req = m::DropCollectionRequest {
            collection_name: collection.to_string(),
            ..Default::default()
        };
        rpc!(self, drop_collection, req, opts);
        Ok(())
    }

    /// Creates an index and waits until the server has built it.
    pub async fn create_index(
        &self,
        collection: &str,
        field: &str,
        index_name: &str,
        extra_params: Vec<KeyValuePair>,
        opts: &CallOpts,
    ) -> Result<()> {
        self.create_index_with(collection, field, index_name, extra_params, true, opts)
            .await
    }

    /// Creates an index, and waits until the server has built it when `wait` is set.
    pub async fn create_index_with(
        &self,
        collection: &str,
        field: &str,
        index_name: &str,
        extra_params: Vec<KeyValuePair>,
        wait: bool,
        opts: &CallOpts,
    ) -> Result<()> {
        let waiter = Waiter::new(self, opts, format!("the index on {collection}.{field}"));
        let req = m::CreateIndexRequest {
            collection_name: collection.to_string(),
            field_name: field.to_string(),
            index_name: index_name.to_string(),
            extra_params,
            ..Default::default()
        };
        rpc!(self, create_index, req, opts);
        if !wait {
            return Ok(());
        }
        loop {
            let req = m::DescribeIndexRequest {
                collection_name: collection.to_string(),
                index_name: index_name.to_string(),
                ..Default::default()
            };
            let resp = rpc!(self, describe_index, req, &waiter.opts()?);
            let desc = resp
                .index_descriptions
                .iter()
                .find(|d| d.field_name == field);
            match desc.map(|d| (IndexState::try_from(d.state).unwrap_or(IndexState::None), d)) {
                Some((IndexState::Finished, _)) => return Ok(()),
                Some((IndexState::Failed, d)) => {
                    return Err(Error::new(
                        ErrorKind::Server,
                        format!("building the index failed: {}", d.index_state_fail_reason),
                    ))
                }
                _ => waiter.pause(Duration::from_millis(200)).await?,
            }
        }
    }

    /// Loads the collection and waits until it is fully loaded.
    pub async fn load_collection(
        &self,
        collection: &str,
        replica_number: i32,
        opts: &CallOpts,
    ) -> Result<()> {
        let req = m::LoadCollectionRequest {
            collection_name: collection.to_string(),
            replica_number,
            ..Default::default()
        };
        self.load_collection_with(req, opts).await
    }

    pub async fn release_collection(&self, collection: &str, opts: &CallOpts) -> Result<()> {
        let req = m::ReleaseCollectionRequest {
            collection_name: collection.to_string(),
            ..Default::default()
        };
        rpc!(self, release_collection, req, opts);
        Ok(())
    }

    /// Seals the collection's growing segments and waits until they are persisted.
    pub async fn flush(&self, collection: &str, opts: &CallOpts) -> Result<()> {
        let waiter = Waiter::new(self, opts, format!("collection {collection:?} to flush"));
        let req = m::FlushRequest {
            collection_names: vec![collection.to_string()],
            ..Default::default()
        };
        let resp = rpc!(self, flush, req, opts);
        let segments = resp
            .coll_seg_i_ds
            .get(collection)
            .map(|s| s.data.clone())
            .unwrap_or_default();
        let flush_ts = resp.coll_flush_ts.get(collection).copied().unwrap_or(0);
        loop {
            let req = m::GetFlushStateRequest {
                segment_i_ds: segments.clone(),
                flush_ts,
                collection_name: collection.to_string(),
                ..Default::default()
            };
            if rpc!(self, get_flush_state, req, &waiter.opts()?).flushed {
                return Ok(());
            }
            waiter.pause(Duration::from_millis(200)).await?;
        }
    }
}
