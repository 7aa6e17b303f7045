//! Snapshots, cross-cluster replication, external collection refreshes and file resources:
//! RPCs of newer servers (Milvus 2.6 and 3.x), each sent as given.

use super::{passthrough, with_status, WithStatus};
use crate::proto::common;
use crate::proto::milvus as m;

with_status!(
    m::ListSnapshotsResponse,
    m::DescribeSnapshotResponse,
    m::RestoreSnapshotResponse,
    m::GetRestoreSnapshotStateResponse,
    m::ListRestoreSnapshotJobsResponse,
    m::PinSnapshotDataResponse,
    m::GetReplicateConfigurationResponse,
    m::RefreshExternalCollectionResponse,
    m::GetRefreshExternalCollectionProgressResponse,
    m::ListRefreshExternalCollectionJobsResponse,
    m::ListFileResourcesResponse,
);

/// GetReplicateInfo's reply has no status: a failure arrives as a gRPC error.
impl WithStatus for m::GetReplicateInfoResponse {
    fn status(&self) -> Option<&common::Status> {
        None
    }
}

passthrough! {
    create_snapshot(m::CreateSnapshotRequest) -> common::Status;
    drop_snapshot(m::DropSnapshotRequest) -> common::Status;
    list_snapshots(m::ListSnapshotsRequest) -> m::ListSnapshotsResponse;
    describe_snapshot(m::DescribeSnapshotRequest) -> m::DescribeSnapshotResponse;
    restore_snapshot(m::RestoreSnapshotRequest) -> m::RestoreSnapshotResponse;
    get_restore_snapshot_state(m::GetRestoreSnapshotStateRequest) -> m::GetRestoreSnapshotStateResponse;
    list_restore_snapshot_jobs(m::ListRestoreSnapshotJobsRequest) -> m::ListRestoreSnapshotJobsResponse;
    pin_snapshot_data(m::PinSnapshotDataRequest) -> m::PinSnapshotDataResponse;
    unpin_snapshot_data(m::UnpinSnapshotDataRequest) -> common::Status;
    update_replicate_configuration(m::UpdateReplicateConfigurationRequest) -> common::Status;
    get_replicate_configuration(m::GetReplicateConfigurationRequest) -> m::GetReplicateConfigurationResponse;
    get_replicate_info(m::GetReplicateInfoRequest) -> m::GetReplicateInfoResponse;
    refresh_external_collection(m::RefreshExternalCollectionRequest) -> m::RefreshExternalCollectionResponse;
    get_refresh_external_collection_progress(m::GetRefreshExternalCollectionProgressRequest) -> m::GetRefreshExternalCollectionProgressResponse;
    list_refresh_external_collection_jobs(m::ListRefreshExternalCollectionJobsRequest) -> m::ListRefreshExternalCollectionJobsResponse;
    add_file_resource(m::AddFileResourceRequest) -> common::Status;
    remove_file_resource(m::RemoveFileResourceRequest) -> common::Status;
    list_file_resources(m::ListFileResourcesRequest) -> m::ListFileResourcesResponse;
}
