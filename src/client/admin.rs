//! Collection administration, indexes and maintenance RPCs.

use super::{passthrough, with_status, CallOpts, Client, Waiter};
use crate::error::Result;
use crate::proto::common;
use crate::proto::milvus as m;
use std::time::Duration;

with_status!(
    m::ManualCompactionResponse,
    m::GetCompactionStateResponse,
    m::GetCompactionPlansResponse,
    m::GetPersistentSegmentInfoResponse,
    m::GetQuerySegmentInfoResponse,
    m::FlushAllResponse,
    m::GetFlushAllStateResponse,
    m::GetReplicasResponse,
    m::TruncateCollectionResponse,
    m::RunAnalyzerResponse,
);

impl super::WithStatus for m::AlterCollectionSchemaResponse {
    fn status(&self) -> Option<&common::Status> {
        self.alter_status.as_ref()
    }
}

passthrough! {
    run_analyzer(m::RunAnalyzerRequest) -> m::RunAnalyzerResponse;
    alter_collection_schema(m::AlterCollectionSchemaRequest) -> m::AlterCollectionSchemaResponse;
    add_collection_function(m::AddCollectionFunctionRequest) -> common::Status;
    alter_collection_function(m::AlterCollectionFunctionRequest) -> common::Status;
    drop_collection_function(m::DropCollectionFunctionRequest) -> common::Status;
    /// Properties set (`properties`) or removed (`delete_keys`).
    alter_collection(m::AlterCollectionRequest) -> common::Status;
    alter_collection_field(m::AlterCollectionFieldRequest) -> common::Status;
    rename_collection(m::RenameCollectionRequest) -> common::Status;
    truncate_collection(m::TruncateCollectionRequest) -> m::TruncateCollectionResponse;
    add_collection_field(m::AddCollectionFieldRequest) -> common::Status;
    get_collection_statistics(m::GetCollectionStatisticsRequest) -> m::GetCollectionStatisticsResponse;
    get_load_state(m::GetLoadStateRequest) -> m::GetLoadStateResponse;
    get_loading_progress(m::GetLoadingProgressRequest) -> m::GetLoadingProgressResponse;
    describe_index(m::DescribeIndexRequest) -> m::DescribeIndexResponse;
    drop_index(m::DropIndexRequest) -> common::Status;
    alter_index(m::AlterIndexRequest) -> common::Status;
    manual_compaction(m::ManualCompactionRequest) -> m::ManualCompactionResponse;
    get_compaction_state(m::GetCompactionStateRequest) -> m::GetCompactionStateResponse;
    get_compaction_state_with_plans(m::GetCompactionPlansRequest) -> m::GetCompactionPlansResponse;
    get_persistent_segment_info(m::GetPersistentSegmentInfoRequest) -> m::GetPersistentSegmentInfoResponse;
    get_query_segment_info(m::GetQuerySegmentInfoRequest) -> m::GetQuerySegmentInfoResponse;
    get_flush_all_state(m::GetFlushAllStateRequest) -> m::GetFlushAllStateResponse;
}

impl Client {
    /// Loads with every LoadCollection option, then waits until fully loaded (or refreshed).
    pub async fn load_collection_with(
        &self,
        req: m::LoadCollectionRequest,
        opts: &CallOpts,
    ) -> Result<()> {
        let waiter = Waiter::new(
            self,
            opts,
            format!("collection {:?} to load", req.collection_name),
        );
        let (name, refresh) = (req.collection_name.clone(), req.refresh);
        self.forget_schema(&name);
        super::rpc!(self, load_collection, req, opts);
        self.wait_loaded(&name, Vec::new(), refresh, &waiter).await
    }

    /// Polls GetLoadingProgress until the collection (or these partitions) is loaded.
    pub(crate) async fn wait_loaded(
        &self,
        collection: &str,
        partition_names: Vec<String>,
        refresh: bool,
        waiter: &Waiter,
    ) -> Result<()> {
        let req = m::GetLoadingProgressRequest {
            collection_name: collection.to_string(),
            partition_names,
            ..Default::default()
        };
        loop {
            let p = self
                .get_loading_progress(req.clone(), &waiter.opts()?)
                .await?;
            // Servers that predate refresh never report refresh_progress: a plain load is done.
            if p.progress >= 100
                && (!refresh || p.refresh_progress >= 100 || p.refresh_progress == 0)
            {
                return Ok(());
            }
            waiter.pause(Duration::from_millis(100)).await?;
        }
    }

    /// Flushes every collection (of database `db`, or of every database when it is empty) and
    /// waits until the server reports them flushed.
    pub async fn flush_all(&self, db: &str, opts: &CallOpts) -> Result<u64> {
        let waiter = Waiter::new(self, opts, "flush_all".to_string());
        // FlushAll walks every collection: one dropped meanwhile makes Milvus 2.3 fail the
        // whole call with "collection not found". Flushing is idempotent, so try again.
        let mut attempt = 0;
        let resp = loop {
            let r: Result<m::FlushAllResponse> = async {
                let req = m::FlushAllRequest {
                    db_name: db.to_string(),
                    ..Default::default()
                };
                Ok(super::rpc!(self, flush_all, req, &waiter.opts()?))
            }
            .await;
            match r {
                Err(e) if e.kind == crate::error::ErrorKind::CollectionNotFound && attempt < 3 => {
                    attempt += 1
                }
                other => break other?,
            }
        };
        self.last_flush_all_ts
            .fetch_max(resp.flush_all_ts, std::sync::atomic::Ordering::Relaxed);
        loop {
            let req = m::GetFlushAllStateRequest {
                flush_all_ts: resp.flush_all_ts,
                db_name: db.to_string(),
                ..Default::default()
            };
            if self
                .get_flush_all_state(req, &waiter.opts()?)
                .await?
                .flushed
            {
                return Ok(resp.flush_all_ts);
            }
            waiter.pause(Duration::from_millis(200)).await?;
        }
    }

    pub(crate) fn invalidate_schema(&self, collection: &str) {
        self.forget_schema(collection);
    }
}
