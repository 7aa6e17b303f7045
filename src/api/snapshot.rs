//! Snapshots: create/drop/list/describe_snapshot, restore_snapshot and its jobs,
//! pin_snapshot_data / unpin_snapshot_data.

use super::{call_opts, parse_args, to_json, NULL};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::proto::milvus as m;
use serde::{Deserialize, Serialize};

/// pymilvus refuses an empty (or missing) name before sending anything.
pub(super) fn non_empty(what: &str, v: &str) -> Result<()> {
    if v.is_empty() {
        return Err(Error::invalid(format!("{what} must be a non-empty string")));
    }
    Ok(())
}

fn non_negative(what: &str, v: i64) -> Result<()> {
    if v < 0 {
        return Err(Error::invalid(format!(
            "{what} must be a non-negative integer"
        )));
    }
    Ok(())
}

fn positive(what: &str, v: i64) -> Result<()> {
    if v <= 0 {
        return Err(Error::invalid(format!("{what} must be a positive integer")));
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateArgs {
    snapshot_name: String,
    collection_name: String,
    db_name: Option<String>,
    description: Option<String>,
    #[serde(default)]
    compaction_protection_seconds: i64,
    timeout: Option<f64>,
}

/// drop_snapshot, describe_snapshot.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NamedArgs {
    snapshot_name: String,
    collection_name: String,
    db_name: Option<String>,
    timeout: Option<f64>,
}

/// list_snapshots, list_restore_snapshot_jobs: both filters optional.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListArgs {
    collection_name: Option<String>,
    db_name: Option<String>,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RestoreArgs {
    snapshot_name: String,
    source_collection_name: String,
    target_collection_name: String,
    source_db_name: Option<String>,
    target_db_name: Option<String>,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JobArgs {
    job_id: i64,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PinArgs {
    snapshot_name: String,
    collection_name: String,
    db_name: Option<String>,
    #[serde(default)]
    ttl_seconds: i64,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnpinArgs {
    pin_id: i64,
    timeout: Option<f64>,
}

/// pymilvus's `SnapshotInfo`, by its attribute names.
#[derive(Serialize)]
struct SnapshotInfo {
    name: String,
    description: String,
    collection_name: String,
    partition_names: Vec<String>,
    create_ts: i64,
    s3_location: String,
}

/// pymilvus's `RestoreSnapshotJobInfo`; `state` is the enum's name.
#[derive(Serialize)]
struct RestoreJob {
    job_id: i64,
    snapshot_name: String,
    db_name: String,
    collection_name: String,
    state: String,
    progress: i32,
    reason: String,
    start_time: u64,
    time_cost: u64,
}

impl From<m::RestoreSnapshotInfo> for RestoreJob {
    fn from(i: m::RestoreSnapshotInfo) -> RestoreJob {
        RestoreJob {
            job_id: i.job_id,
            snapshot_name: i.snapshot_name,
            db_name: i.db_name,
            collection_name: i.collection_name,
            state: m::RestoreSnapshotState::try_from(i.state)
                .map(|s| s.as_str_name().to_string())
                // A state newer than our protocol: its number, rather than failing the call.
                .unwrap_or_else(|_| i.state.to_string()),
            progress: i.progress,
            reason: i.reason,
            start_time: i.start_time,
            time_cost: i.time_cost,
        }
    }
}

pub async fn create_snapshot(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CreateArgs = parse_args(args)?;
    non_empty("snapshot_name", &a.snapshot_name)?;
    non_empty("collection_name", &a.collection_name)?;
    non_negative(
        "compaction_protection_seconds",
        a.compaction_protection_seconds,
    )?;
    let opts = call_opts(a.timeout)?;
    let req = m::CreateSnapshotRequest {
        name: a.snapshot_name,
        description: a.description.unwrap_or_default(),
        db_name: a.db_name.unwrap_or_default(),
        collection_name: a.collection_name,
        compaction_protection_seconds: a.compaction_protection_seconds,
        ..Default::default()
    };
    c.create_snapshot(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn drop_snapshot(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: NamedArgs = parse_args(args)?;
    non_empty("snapshot_name", &a.snapshot_name)?;
    non_empty("collection_name", &a.collection_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::DropSnapshotRequest {
        name: a.snapshot_name,
        db_name: a.db_name.unwrap_or_default(),
        collection_name: a.collection_name,
        ..Default::default()
    };
    c.drop_snapshot(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn list_snapshots(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: ListArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let req = m::ListSnapshotsRequest {
        db_name: a.db_name.unwrap_or_default(),
        collection_name: a.collection_name.unwrap_or_default(),
        ..Default::default()
    };
    to_json(&c.list_snapshots(req, &opts).await?.snapshots)
}

pub async fn describe_snapshot(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: NamedArgs = parse_args(args)?;
    non_empty("snapshot_name", &a.snapshot_name)?;
    non_empty("collection_name", &a.collection_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::DescribeSnapshotRequest {
        name: a.snapshot_name,
        db_name: a.db_name.unwrap_or_default(),
        collection_name: a.collection_name,
        ..Default::default()
    };
    let r = c.describe_snapshot(req, &opts).await?;
    to_json(&SnapshotInfo {
        name: r.name,
        description: r.description,
        collection_name: r.collection_name,
        partition_names: r.partition_names,
        create_ts: r.create_ts,
        s3_location: r.s3_location,
    })
}

pub async fn restore_snapshot(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: RestoreArgs = parse_args(args)?;
    non_empty("snapshot_name", &a.snapshot_name)?;
    non_empty("target_collection_name", &a.target_collection_name)?;
    non_empty("source_collection_name", &a.source_collection_name)?;
    let opts = call_opts(a.timeout)?;
    // The request's plain db_name/collection_name name the source.
    let req = m::RestoreSnapshotRequest {
        name: a.snapshot_name,
        db_name: a.source_db_name.unwrap_or_default(),
        collection_name: a.source_collection_name,
        target_db_name: a.target_db_name.unwrap_or_default(),
        target_collection_name: a.target_collection_name,
        ..Default::default()
    };
    to_json(&c.restore_snapshot(req, &opts).await?.job_id)
}

pub async fn get_restore_snapshot_state(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: JobArgs = parse_args(args)?;
    positive("job_id", a.job_id)?;
    let opts = call_opts(a.timeout)?;
    let req = m::GetRestoreSnapshotStateRequest {
        job_id: a.job_id,
        ..Default::default()
    };
    let info = c
        .get_restore_snapshot_state(req, &opts)
        .await?
        .info
        .unwrap_or_default();
    to_json(&RestoreJob::from(info))
}

pub async fn list_restore_snapshot_jobs(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: ListArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let req = m::ListRestoreSnapshotJobsRequest {
        db_name: a.db_name.unwrap_or_default(),
        collection_name: a.collection_name.unwrap_or_default(),
        ..Default::default()
    };
    let jobs = c.list_restore_snapshot_jobs(req, &opts).await?.jobs;
    to_json(&jobs.into_iter().map(RestoreJob::from).collect::<Vec<_>>())
}

pub async fn pin_snapshot_data(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: PinArgs = parse_args(args)?;
    non_empty("snapshot_name", &a.snapshot_name)?;
    non_empty("collection_name", &a.collection_name)?;
    non_negative("ttl_seconds", a.ttl_seconds)?;
    let opts = call_opts(a.timeout)?;
    let req = m::PinSnapshotDataRequest {
        name: a.snapshot_name,
        db_name: a.db_name.unwrap_or_default(),
        collection_name: a.collection_name,
        ttl_seconds: a.ttl_seconds,
        ..Default::default()
    };
    to_json(&c.pin_snapshot_data(req, &opts).await?.pin_id)
}

pub async fn unpin_snapshot_data(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: UnpinArgs = parse_args(args)?;
    positive("pin_id", a.pin_id)?;
    let opts = call_opts(a.timeout)?;
    let req = m::UnpinSnapshotDataRequest {
        pin_id: a.pin_id,
        ..Default::default()
    };
    c.unpin_snapshot_data(req, &opts).await?;
    Ok(NULL.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_job_states_by_name() {
        let job = |state| {
            serde_json::to_value(RestoreJob::from(m::RestoreSnapshotInfo {
                job_id: 7,
                state,
                progress: 50,
                start_time: u64::MAX,
                ..Default::default()
            }))
            .unwrap()
        };
        assert_eq!(job(1)["state"], "RestoreSnapshotPending");
        assert_eq!(job(3)["state"], "RestoreSnapshotCompleted");
        assert_eq!(job(4)["state"], "RestoreSnapshotFailed");
        assert_eq!(job(42)["state"], "42");
        let j = job(2);
        assert_eq!(j["start_time"], u64::MAX);
        assert_eq!(
            j,
            serde_json::json!({"job_id": 7, "snapshot_name": "", "db_name": "",
                "collection_name": "", "state": "RestoreSnapshotExecuting", "progress": 50,
                "reason": "", "start_time": u64::MAX, "time_cost": 0})
        );
    }

    #[test]
    fn refusals() {
        assert!(non_empty("snapshot_name", "").is_err());
        assert!(non_negative("ttl_seconds", -1).is_err());
        assert!(non_negative("ttl_seconds", 0).is_ok());
        assert!(positive("pin_id", 0).is_err());
        assert!(positive("pin_id", 1).is_ok());
    }
}
