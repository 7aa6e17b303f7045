//! Databases, aliases and partitions RPCs.

use super::{rpc, CallOpts, Client, Waiter};
use crate::error::{Error, ErrorKind, Result};
use crate::proto::common;
use crate::proto::milvus as m;

crate::client::with_status!(
    m::ListDatabasesResponse,
    m::DescribeDatabaseResponse,
    m::DescribeAliasResponse,
    m::ListAliasesResponse,
    m::ShowPartitionsResponse,
    m::GetPartitionStatisticsResponse,
);

crate::client::passthrough! {
    /// CreateDatabase.
    create_database(m::CreateDatabaseRequest) -> common::Status;
    /// ListDatabases.
    list_databases(m::ListDatabasesRequest) -> m::ListDatabasesResponse;
    /// AlterDatabase: set `properties`, remove `delete_keys`.
    alter_database(m::AlterDatabaseRequest) -> common::Status;
    /// DescribeDatabase.
    describe_database(m::DescribeDatabaseRequest) -> m::DescribeDatabaseResponse;
    /// DescribeAlias.
    describe_alias(m::DescribeAliasRequest) -> m::DescribeAliasResponse;
    /// ListAliases (of one collection, or of the database when `collection_name` is empty).
    list_aliases(m::ListAliasesRequest) -> m::ListAliasesResponse;
    /// CreatePartition.
    create_partition(m::CreatePartitionRequest) -> common::Status;
    /// DropPartition.
    drop_partition(m::DropPartitionRequest) -> common::Status;
    /// HasPartition.
    has_partition(m::HasPartitionRequest) -> m::BoolResponse;
    /// ShowPartitions.
    show_partitions(m::ShowPartitionsRequest) -> m::ShowPartitionsResponse;
    /// ReleasePartitions.
    release_partitions(m::ReleasePartitionsRequest) -> common::Status;
    /// GetPartitionStatistics.
    get_partition_statistics(m::GetPartitionStatisticsRequest) -> m::GetPartitionStatisticsResponse;
}

impl Client {
    /// Drops a database and forgets the schemas cached for its collections.
    pub async fn drop_database(&self, req: m::DropDatabaseRequest, opts: &CallOpts) -> Result<()> {
        if let Ok(mut cache) = self.schemas.lock() {
            cache.retain(|(db, _), _| *db != req.db_name);
        }
        rpc!(self, drop_database, req, opts);
        Ok(())
    }

    /// CreateAlias; a schema cached under that name no longer applies.
    pub async fn create_alias(&self, req: m::CreateAliasRequest, opts: &CallOpts) -> Result<()> {
        self.forget_schema(&req.alias);
        rpc!(self, create_alias, req, opts);
        Ok(())
    }

    /// DropAlias, forgetting a schema cached under the alias.
    pub async fn drop_alias(&self, req: m::DropAliasRequest, opts: &CallOpts) -> Result<()> {
        self.forget_schema(&req.alias);
        rpc!(self, drop_alias, req, opts);
        Ok(())
    }

    /// AlterAlias: the alias names another collection, so its cached schema is stale.
    pub async fn alter_alias(&self, req: m::AlterAliasRequest, opts: &CallOpts) -> Result<()> {
        self.forget_schema(&req.alias);
        rpc!(self, alter_alias, req, opts);
        Ok(())
    }

    /// Checks that the database exists (DescribeDatabase, or ListDatabases on servers without
    /// DescribeDatabase), then sends it with every later call of this client.
    pub async fn use_database(&self, db_name: &str, opts: &CallOpts) -> Result<()> {
        let req = m::DescribeDatabaseRequest {
            db_name: db_name.to_string(),
            ..Default::default()
        };
        match self.describe_database(req, opts).await {
            Ok(_) => {}
            Err(e) if e.kind == ErrorKind::Unimplemented => {
                let names = match self
                    .list_databases(m::ListDatabasesRequest::default(), opts)
                    .await
                {
                    Ok(r) => r.db_names,
                    Err(mut e2) if e2.kind == ErrorKind::Unimplemented => {
                        e2.message = format!(
                            "use_database: the server implements neither DescribeDatabase nor \
                             ListDatabases ({})",
                            e.message
                        );
                        return Err(e2);
                    }
                    Err(e2) => return Err(e2),
                };
                if !names.iter().any(|n| n == db_name) {
                    return Err(Error::new(
                        ErrorKind::DatabaseNotFound,
                        format!("database not found[database={db_name}]"),
                    ));
                }
            }
            Err(e) => return Err(e),
        }
        self.set_db_name(db_name)
    }

    /// LoadPartitions, then polls GetLoadingProgress for those partitions until they are
    /// fully loaded (or the call's deadline passes).
    pub async fn load_partitions(
        &self,
        req: m::LoadPartitionsRequest,
        opts: &CallOpts,
    ) -> Result<()> {
        let waiter = Waiter::new(
            self,
            opts,
            format!(
                "partitions {:?} of {:?} to load",
                req.partition_names, req.collection_name
            ),
        );
        let (collection, partitions) = (req.collection_name.clone(), req.partition_names.clone());
        let refresh = req.refresh;
        rpc!(self, load_partitions, req, opts);
        self.wait_loaded(&collection, partitions, refresh, &waiter)
            .await
    }
}
