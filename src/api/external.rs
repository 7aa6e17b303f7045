//! External collections: refresh_external_collection and its jobs.

use super::{call_opts, parse_args, to_json};
use crate::client::Client;
use crate::error::Result;
use crate::proto::milvus as m;
use serde::{Deserialize, Serialize};

/// `db_name` is not in pymilvus's signature; it reads it from its keyword arguments.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefreshArgs {
    collection_name: String,
    external_source: Option<String>,
    external_spec: Option<String>,
    db_name: Option<String>,
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
struct ListArgs {
    collection_name: Option<String>,
    db_name: Option<String>,
    timeout: Option<f64>,
}

/// pymilvus's `RefreshExternalCollectionJobInfo`; `state` is the enum's name.
#[derive(Serialize)]
struct RefreshJob {
    job_id: i64,
    collection_name: String,
    state: String,
    progress: i64,
    reason: String,
    external_source: String,
    start_time: i64,
    end_time: i64,
    external_spec: String,
}

impl From<m::RefreshExternalCollectionJobInfo> for RefreshJob {
    fn from(i: m::RefreshExternalCollectionJobInfo) -> RefreshJob {
        RefreshJob {
            job_id: i.job_id,
            collection_name: i.collection_name,
            state: m::RefreshExternalCollectionState::try_from(i.state)
                .map(|s| s.as_str_name().to_string())
                // A state newer than our protocol: its number, rather than failing the call.
                .unwrap_or_else(|_| i.state.to_string()),
            progress: i.progress,
            reason: i.reason,
            external_source: i.external_source,
            start_time: i.start_time,
            end_time: i.end_time,
            external_spec: i.external_spec,
        }
    }
}

pub async fn refresh_external_collection(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: RefreshArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let req = m::RefreshExternalCollectionRequest {
        db_name: a.db_name.unwrap_or_default(),
        collection_name: a.collection_name,
        external_source: a.external_source.unwrap_or_default(),
        external_spec: a.external_spec.unwrap_or_default(),
        ..Default::default()
    };
    to_json(&c.refresh_external_collection(req, &opts).await?.job_id)
}

pub async fn get_refresh_external_collection_progress(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: JobArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let req = m::GetRefreshExternalCollectionProgressRequest {
        job_id: a.job_id,
        ..Default::default()
    };
    let info = c
        .get_refresh_external_collection_progress(req, &opts)
        .await?
        .job_info
        .unwrap_or_default();
    to_json(&RefreshJob::from(info))
}

pub async fn list_refresh_external_collection_jobs(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: ListArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let req = m::ListRefreshExternalCollectionJobsRequest {
        db_name: a.db_name.unwrap_or_default(),
        collection_name: a.collection_name.unwrap_or_default(),
        ..Default::default()
    };
    let jobs = c
        .list_refresh_external_collection_jobs(req, &opts)
        .await?
        .jobs;
    to_json(&jobs.into_iter().map(RefreshJob::from).collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_job_states_by_name() {
        let job = |state| {
            serde_json::to_value(RefreshJob::from(m::RefreshExternalCollectionJobInfo {
                job_id: 3,
                state,
                ..Default::default()
            }))
            .unwrap()
        };
        assert_eq!(job(0)["state"], "RefreshPending");
        assert_eq!(job(1)["state"], "RefreshInProgress");
        assert_eq!(job(2)["state"], "RefreshCompleted");
        assert_eq!(job(3)["state"], "RefreshFailed");
        assert_eq!(job(9)["state"], "9");
        assert_eq!(
            job(2),
            serde_json::json!({"job_id": 3, "collection_name": "", "state": "RefreshCompleted",
                "progress": 0, "reason": "", "external_source": "", "start_time": 0,
                "end_time": 0, "external_spec": ""})
        );
    }
}
