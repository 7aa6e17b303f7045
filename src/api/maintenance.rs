//! Maintenance methods: flush_all, compaction, segments, server type.

use super::{call_opts, parse_args, to_json, CollectionArgs, NoArgs, NULL};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::proto::common::{
    CompactionState, CompactionTaskState, CompactionType, SegmentLevel, SegmentState,
};
use crate::proto::milvus as m;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlushAllArgs {
    /// One database only (pymilvus's `db`); every database when absent.
    db: Option<String>,
    timeout: Option<f64>,
}

/// Flushes every collection of every database (or of `db`) and waits until done. Result:
/// `null`.
pub async fn flush_all(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: FlushAllArgs = parse_args(args)?;
    c.flush_all(a.db.as_deref().unwrap_or(""), &call_opts(a.timeout)?)
        .await?;
    Ok(NULL.to_vec())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlushAllStateArgs {
    flush_all_ts: Option<u64>,
    db: Option<String>,
    timeout: Option<f64>,
}

/// Whether everything written before `flush_all_ts` is flushed (default: this client's last
/// flush_all, else now).
pub async fn get_flush_all_state(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: FlushAllStateArgs = parse_args(args)?;
    let last = c
        .last_flush_all_ts
        .load(std::sync::atomic::Ordering::Relaxed);
    let ts = match a.flush_all_ts {
        Some(ts) => ts,
        None if last != 0 => last,
        None => crate::client::now_ts(),
    };
    let req = m::GetFlushAllStateRequest {
        flush_all_ts: ts,
        db_name: a.db.unwrap_or_default(),
        ..Default::default()
    };
    to_json(
        &c.get_flush_all_state(req, &call_opts(a.timeout)?)
            .await?
            .flushed,
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompactArgs {
    collection_name: String,
    is_clustering: Option<bool>,
    is_l0: Option<bool>,
    target_size: Option<i64>,
    target_size_unit: Option<String>,
    timeout: Option<f64>,
}

/// Target size in MB, as pymilvus converts it (no unit: bytes). Less than 1 MB is refused,
/// as pymilvus refuses it.
fn target_mb(size: i64, unit: &str) -> Result<i64> {
    if size <= 0 {
        return Err(Error::invalid(format!(
            "target_size must be positive, not {size}"
        )));
    }
    let mb = match unit.trim().to_ascii_lowercase().as_str() {
        "b" | "" => size / (1 << 20),
        "kb" => size / 1024,
        "mb" => size,
        "gb" => size.saturating_mul(1024),
        "tb" => size.saturating_mul(1 << 20),
        "pb" => size.saturating_mul(1 << 30),
        other => {
            return Err(Error::invalid(format!(
                "target_size_unit {other:?} is not b, kb, mb, gb, tb or pb"
            )))
        }
    };
    if mb < 1 {
        return Err(Error::invalid(format!(
            "target size too small: {size}{unit}, must be at least 1MB"
        )));
    }
    Ok(mb)
}

/// Starts a compaction. Result: the job id (a number).
pub async fn compact(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CompactArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let target_size = a
        .target_size
        .map(|s| target_mb(s, a.target_size_unit.as_deref().unwrap_or("mb")))
        .transpose()?;
    let info = c.describe_collection(&a.collection_name, &opts).await?;
    let req = m::ManualCompactionRequest {
        collection_id: info.raw.collection_id,
        collection_name: a.collection_name,
        major_compaction: a.is_clustering.unwrap_or(false),
        l0_compaction: a.is_l0.unwrap_or(false),
        target_size: target_size.unwrap_or(0),
        ..Default::default()
    };
    to_json(&c.manual_compaction(req, &opts).await?.compaction_id)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JobArgs {
    job_id: i64,
    timeout: Option<f64>,
}

fn compaction_state_name(s: i32) -> &'static str {
    match CompactionState::try_from(s) {
        Ok(CompactionState::Executing) => "Executing",
        Ok(CompactionState::Completed) => "Completed",
        _ => "UndefiedState",
    }
}

/// `"Executing"`, `"Completed"` or `"UndefiedState"` (pymilvus's spelling).
pub async fn get_compaction_state(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: JobArgs = parse_args(args)?;
    let req = m::GetCompactionStateRequest {
        compaction_id: a.job_id,
    };
    to_json(&compaction_state_name(
        c.get_compaction_state(req, &call_opts(a.timeout)?)
            .await?
            .state,
    ))
}

/// Plans as pymilvus's `CompactionPlans`: the job state and one entry per merge.
fn plans_json(r: &m::GetCompactionPlansResponse, job_id: i64, collection: &str) -> Value {
    let plans: Vec<Value> = r
        .merge_infos
        .iter()
        .map(|p| {
            let kind = CompactionType::try_from(p.r#type).map(|t| t.as_str_name()).unwrap_or("CompactionTypeUndefined");
            let state = CompactionTaskState::try_from(p.state).map(|s| s.as_str_name()).unwrap_or("CompactionTaskStateUnknown");
            json!({"sources": p.sources, "target": p.target, "plan_id": p.plan_id, "trigger_id": p.trigger_id,
                   "collection_id": p.collection_id, "partition_id": p.partition_id, "channel": p.channel,
                   "compaction_type": kind, "state": state, "failure_reason": p.failure_reason, "targets": p.targets})
        })
        .collect();
    json!({"compaction_id": job_id, "collection_name": collection, "state": compaction_state_name(r.state), "plans": plans})
}

/// `{"compaction_id", "collection_name", "state", "plans": [{"sources", "target", ...}]}`.
pub async fn get_compaction_plans(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: JobArgs = parse_args(args)?;
    let req = m::GetCompactionPlansRequest {
        compaction_id: a.job_id,
        ..Default::default()
    };
    let r = c
        .get_compaction_state_with_plans(req, &call_opts(a.timeout)?)
        .await?;
    to_json(&plans_json(&r, a.job_id, ""))
}

/// The compaction tasks the server still keeps for a collection, in get_compaction_plans'
/// form (servers that cannot list by collection answer for no job: no plans).
pub async fn list_compaction_tasks(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CollectionArgs = parse_args(args)?;
    let req = m::GetCompactionPlansRequest {
        collection_name: a.collection_name.clone(),
        ..Default::default()
    };
    let r = c
        .get_compaction_state_with_plans(req, &call_opts(a.timeout)?)
        .await?;
    to_json(&plans_json(&r, 0, &a.collection_name))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SegmentsArgs {
    collection_name: String,
    timeout: Option<f64>,
}

fn segment_state(s: i32) -> &'static str {
    SegmentState::try_from(s)
        .map(|s| s.as_str_name())
        .unwrap_or("SegmentStateNone")
}

fn segment_level(l: i32) -> &'static str {
    SegmentLevel::try_from(l)
        .map(|l| l.as_str_name())
        .unwrap_or("Legacy")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PersistentSegmentsArgs {
    collection_name: String,
    states: Option<Value>,
    timeout: Option<f64>,
}

/// `states` as pymilvus takes them: absent or null for the server's default filter, else a
/// non-empty list of SegmentState names.
fn segment_states(states: Option<Value>) -> Result<Vec<i32>> {
    let list = match states {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(_) => {
            return Err(Error::invalid(
                "states must be a sequence of SegmentState values",
            ))
        }
    };
    if list.is_empty() {
        return Err(Error::invalid(
            "states must not be empty; use null for the default state filter",
        ));
    }
    list.iter()
        .map(|v| {
            v.as_str()
                .and_then(SegmentState::from_str_name)
                .map(|s| s as i32)
                .ok_or_else(|| Error::invalid(format!("invalid SegmentState value: {v}")))
        })
        .collect()
}

/// The segments stored for the collection (those in `states`, a list of SegmentState names,
/// when given): a list of `{"segment_id", "collection_id", "partition_id", "num_rows",
/// "state", "level", "is_sorted", "storage_version"}`.
pub async fn list_persistent_segments(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: PersistentSegmentsArgs = parse_args(args)?;
    let req = m::GetPersistentSegmentInfoRequest {
        collection_name: a.collection_name,
        states: segment_states(a.states)?,
        ..Default::default()
    };
    let r = c
        .get_persistent_segment_info(req, &call_opts(a.timeout)?)
        .await?;
    let list: Vec<Value> = r
        .infos
        .iter()
        .map(|s| {
            json!({"segment_id": s.segment_id, "collection_id": s.collection_id, "partition_id": s.partition_id,
                   "num_rows": s.num_rows, "state": segment_state(s.state), "level": segment_level(s.level),
                   "is_sorted": s.is_sorted, "storage_version": s.storage_version})
        })
        .collect();
    to_json(&list)
}

/// The segments loaded in query nodes: a list of `{"segment_id", "collection_id",
/// "partition_id", "num_rows", "mem_size", "index_name", "index_id", "node_ids", "state", "level"}`.
pub async fn list_loaded_segments(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: SegmentsArgs = parse_args(args)?;
    let req = m::GetQuerySegmentInfoRequest {
        collection_name: a.collection_name.clone(),
        ..Default::default()
    };
    let r = c
        .get_query_segment_info(req, &call_opts(a.timeout)?)
        .await?;
    let list: Vec<Value> = r
        .infos
        .iter()
        .map(|s| {
            let mut nodes = s.node_ids.clone();
            if nodes.is_empty() && s.node_id != 0 {
                nodes.push(s.node_id);
            }
            json!({"segment_id": s.segment_id, "collection_id": s.collection_id, "collection_name": a.collection_name,
                   "partition_id": s.partition_id, "num_rows": s.num_rows, "mem_size": s.mem_size,
                   "index_name": s.index_name, "index_id": s.index_id, "node_ids": nodes,
                   "state": segment_state(s.state), "level": segment_level(s.level), "is_sorted": s.is_sorted})
        })
        .collect();
    to_json(&list)
}

/// `"zilliz"` when the server's host name says Zilliz Cloud, else `"milvus"` (as pymilvus
/// decides). Args: none.
pub async fn get_server_type(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: NoArgs = parse_args(args)?;
    call_opts(a.timeout)?; // no RPC, but a bad timeout is still an error
    c.ensure_open()?; // as pymilvus, which asks its connection
    to_json(&if c.host().to_ascii_lowercase().contains("zilliz") {
        "zilliz"
    } else {
        "milvus"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_states_as_pymilvus_takes_them() {
        assert_eq!(segment_states(None).unwrap(), Vec::<i32>::new());
        assert_eq!(
            segment_states(Some(Value::Null)).unwrap(),
            Vec::<i32>::new()
        );
        assert_eq!(
            segment_states(Some(json!(["Growing", "Flushed"]))).unwrap(),
            vec![SegmentState::Growing as i32, SegmentState::Flushed as i32]
        );
        for bad in [json!([]), json!("Growing"), json!([3]), json!(["growing"])] {
            let e = segment_states(Some(bad.clone())).unwrap_err();
            assert_eq!(e.kind, crate::error::ErrorKind::InvalidArgument, "{bad}");
        }
    }

    #[test]
    fn target_sizes_as_pymilvus_converts_them() {
        assert_eq!(target_mb(3 << 20, "b").unwrap(), 3);
        assert_eq!(target_mb(3 << 20, "").unwrap(), 3);
        assert_eq!(target_mb(2048, "KB").unwrap(), 2);
        assert_eq!(target_mb(5, "mb").unwrap(), 5);
        assert_eq!(target_mb(2, "gb").unwrap(), 2048);
        assert_eq!(target_mb(1, "tb").unwrap(), 1 << 20);
        assert_eq!(target_mb(1, "pb").unwrap(), 1 << 30);
        // Under 1 MB: pymilvus refuses rather than rounding up.
        for (size, unit) in [(1000, "kb"), (5, "b"), (1, "")] {
            let e = target_mb(size, unit).unwrap_err();
            assert!(e.message.contains("at least 1MB"), "{}", e.message);
        }
        assert!(target_mb(0, "mb").is_err() && target_mb(1, "zb").is_err());
    }

    #[test]
    fn flush_all_takes_one_database() {
        let a: FlushAllArgs = parse_args(r#"{"db": "other", "timeout": 5}"#).unwrap();
        assert_eq!(a.db.as_deref(), Some("other"));
        let a: FlushAllArgs = parse_args("{}").unwrap();
        assert!(a.db.is_none());
        let a: FlushAllStateArgs = parse_args(r#"{"db": "other", "flush_all_ts": 5}"#).unwrap();
        assert_eq!((a.db.as_deref(), a.flush_all_ts), (Some("other"), Some(5)));
    }
}
