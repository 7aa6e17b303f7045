//! list_segments and optimize: a collection's segments, and merging them.

use super::{call_opts, parse_args, to_json};
use crate::client::{CallOpts, Client, Waiter};
use crate::codec::schema;
use crate::error::{Error, ErrorKind, Result};
use crate::proto::common::{ErrorCode, IndexState, LoadState, SegmentLevel, SegmentState};
use crate::proto::milvus as m;
use crate::proto::schema::DataType;
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Duration;

/// pymilvus's default `states` of list_segments: every state a segment keeps metadata in.
const RETAINED_STATES: [SegmentState; 6] = [
    SegmentState::Growing,
    SegmentState::Sealed,
    SegmentState::Flushing,
    SegmentState::Flushed,
    SegmentState::Importing,
    SegmentState::Dropped,
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListSegmentsArgs {
    collection_name: String,
    states: Option<Value>,
    timeout: Option<f64>,
}

/// One SegmentState, by name ("Flushed") or number (4).
fn segment_state(v: &Value) -> Result<SegmentState> {
    let state = match v {
        Value::String(s) => SegmentState::from_str_name(s),
        Value::Number(n) => n
            .as_i64()
            .and_then(|i| i32::try_from(i).ok())
            .and_then(|i| SegmentState::try_from(i).ok()),
        _ => None,
    };
    state.ok_or_else(|| Error::invalid(format!("invalid SegmentState value: {v}")))
}

/// pymilvus's `list_segments`: the segments of a collection still kept in `states` (default
/// Growing, Sealed, Flushing, Flushed, Importing, Dropped). Result: a list of pymilvus's
/// SegmentInfo `{"segment_id", "collection_id", "collection_name", "num_rows", "is_sorted",
/// "state", "level", "storage_version", "partition_id", "insert_channel", "compaction_from"}`.
pub async fn list_segments(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: ListSegmentsArgs = parse_args(args)?;
    let states = match &a.states {
        None | Some(Value::Null) => RETAINED_STATES.to_vec(),
        Some(Value::Array(list)) if list.is_empty() => {
            return Err(Error::invalid(
                "states must not be empty; use None for the default state filter",
            ))
        }
        Some(Value::Array(list)) => list.iter().map(segment_state).collect::<Result<_>>()?,
        Some(_) => {
            return Err(Error::invalid(
                "states must be a sequence of SegmentState values",
            ))
        }
    };
    let req = m::GetPersistentSegmentInfoRequest {
        collection_name: a.collection_name.clone(),
        states: states.iter().map(|s| *s as i32).collect(),
        ..Default::default()
    };
    let r = c
        .get_persistent_segment_info(req, &call_opts(a.timeout)?)
        .await?;
    let name = |s: i32| {
        SegmentState::try_from(s)
            .map(|s| s.as_str_name())
            .unwrap_or("SegmentStateNone")
    };
    let level = |l: i32| {
        SegmentLevel::try_from(l)
            .map(|l| l.as_str_name())
            .unwrap_or("Legacy")
    };
    let list: Vec<Value> = r
        .infos
        .iter()
        .map(|s| {
            json!({"segment_id": s.segment_id, "collection_id": s.collection_id,
                   "collection_name": a.collection_name, "num_rows": s.num_rows,
                   "is_sorted": s.is_sorted, "state": name(s.state), "level": level(s.level),
                   "storage_version": s.storage_version, "partition_id": s.partition_id,
                   "insert_channel": s.insert_channel, "compaction_from": s.compaction_from})
        })
        .collect();
    to_json(&list)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OptimizeArgs {
    collection_name: String,
    target_size: Option<Value>,
    wait: Option<bool>,
    timeout: Option<f64>,
}

const MB: f64 = 1024.0 * 1024.0;

/// pymilvus's target_size: a number of bytes, or text "<number>[b|kb|mb|gb|tb|pb]" (case and
/// blanks ignored); in whole MB, at least 1. Absent: the largest size (no limit).
fn target_mb(v: Option<&Value>) -> Result<i64> {
    let bad = |v: &Value| {
        Error::invalid(format!(
            "Invalid target_size format: '{}'. Expected format: '1000', '1000MB', '1GB', \
             '1.2gb', '1000B', '500KB', '2TB'",
            v.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string())
        ))
    };
    let (number, unit) = match v {
        None | Some(Value::Null) => return Ok(i64::MAX),
        Some(Value::Number(n)) => (n.as_f64().unwrap_or(f64::NAN), 1.0),
        Some(Value::Bool(b)) => (f64::from(u8::from(*b)), 1.0),
        Some(v @ Value::String(s)) => {
            let t = s.trim().to_ascii_lowercase();
            let split = t
                .find(|ch: char| !(ch.is_ascii_digit() || ch == '.'))
                .unwrap_or(t.len());
            let (num, unit) = (&t[..split], t[split..].trim_start());
            let well_formed = !num.is_empty()
                && !num.starts_with('.')
                && !num.ends_with('.')
                && num.matches('.').count() <= 1
                && unit.chars().all(|ch| ch.is_ascii_lowercase());
            if !well_formed {
                return Err(bad(v));
            }
            let scale = match unit {
                "" | "b" => 1.0,
                "kb" => 1024.0,
                "mb" => MB,
                "gb" => MB * 1024.0,
                "tb" => MB * MB,
                "pb" => MB * MB * 1024.0,
                other => {
                    return Err(Error::invalid(format!(
                        "Invalid unit: '{other}'. Supported units: B, KB, MB, GB, TB, PB"
                    )))
                }
            };
            (num.parse::<f64>().map_err(|_| bad(v))?, scale)
        }
        Some(other) => {
            return Err(Error::invalid(format!(
                "target_size must be a string or number, got {other}"
            )))
        }
    };
    let mb = (number * unit / MB).floor();
    let shown = v.map(|v| {
        v.as_str()
            .map(str::to_string)
            .unwrap_or_else(|| v.to_string())
    });
    let shown = shown.unwrap_or_default();
    if !mb.is_finite() || mb > i64::MAX as f64 {
        return Err(Error::invalid(format!(
            "target size too large: {shown}, must be at most {}MB",
            i64::MAX
        )));
    }
    if mb < 1.0 {
        return Err(Error::invalid(format!(
            "target size too small: {shown}, must be at least 1MB"
        )));
    }
    Ok(mb as i64)
}

/// How often pymilvus polls an index build and a compaction.
const POLL: Duration = Duration::from_millis(500);

/// pymilvus's `optimize`: waits for the vector indexes, compacts the collection into segments
/// of `target_size` (force merge), waits for the compaction and the index rebuild, and
/// refreshes the load of a loaded collection; the same requests in the same order. `timeout`
/// bounds the whole of it. `wait: false` returns once the compaction is started (see
/// docs/json-api.md). Result: pymilvus's OptimizeResult `{"status", "collection_name",
/// "compaction_id", "target_size", "progress"}`.
pub async fn optimize(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: OptimizeArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let size_mb = target_mb(a.target_size.as_ref())?;
    let waiter = Waiter::new(c, &opts, format!("optimizing {}", a.collection_name));
    let name = a.collection_name.as_str();
    let mut progress = vec!["initializing"];

    let indexes = vector_indexes(c, name, &waiter).await?;
    progress.push("waiting for indexes");
    wait_for_indexes(c, name, &indexes, &waiter).await?;
    progress.push("compacting");
    let compaction_id = compact(c, name, size_mb, &waiter.opts()?).await?;
    let target_size = a.target_size.filter(|v| !v.is_null());
    let result = |status: &str, progress: &[&str]| {
        to_json(&json!({"status": status, "collection_name": name,
                        "compaction_id": compaction_id, "target_size": target_size,
                        "progress": progress}))
    };
    if a.wait == Some(false) {
        return result("started", &progress);
    }
    progress.push("waiting for compaction");
    loop {
        let req = m::GetCompactionStateRequest { compaction_id };
        let state = c.get_compaction_state(req, &waiter.opts()?).await?.state;
        match state {
            2 => break,
            3 => {
                return Err(Error::new(
                    ErrorKind::Server,
                    format!("Compaction {compaction_id} failed"),
                ))
            }
            _ => waiter.pause(POLL).await?,
        }
    }
    progress.push("waiting for index rebuild");
    wait_for_indexes(c, name, &indexes, &waiter).await?;
    let req = m::GetLoadStateRequest {
        collection_name: name.to_string(),
        ..Default::default()
    };
    if c.get_load_state(req, &waiter.opts()?).await?.state == LoadState::Loaded as i32 {
        progress.push("refreshing load");
        let req = m::LoadCollectionRequest {
            collection_name: name.to_string(),
            refresh: true,
            ..Default::default()
        };
        c.load_collection_with(req, &waiter.opts()?).await?;
    }
    result("success", &progress)
}

/// The indexes on vector fields, as pymilvus finds them: the schema, the index list, then
/// each index described.
async fn vector_indexes(c: &Client, collection: &str, waiter: &Waiter) -> Result<Vec<String>> {
    let info = c.collection_info(collection, &waiter.opts()?).await?;
    let vector_fields: Vec<&str> = info
        .raw
        .schema
        .iter()
        .flat_map(|s| &s.fields)
        .filter(|f| schema::is_vector(DataType::try_from(f.data_type).unwrap_or(DataType::None)))
        .map(|f| f.name.as_str())
        .collect();
    if vector_fields.is_empty() {
        return Ok(Vec::new());
    }
    let all = super::index::descriptions(c, collection, "", 0, &waiter.opts()?).await?;
    let mut out = Vec::new();
    for d in all {
        let described =
            super::index::descriptions(c, collection, &d.index_name, 0, &waiter.opts()?).await?;
        if described
            .first()
            .is_some_and(|x| vector_fields.contains(&x.field_name.as_str()))
        {
            out.push(d.index_name);
        }
    }
    Ok(out)
}

/// pymilvus's wait for an index build: a timestamp, then the index's state at it every half
/// second until finished or failed (a failed build does not stop optimize, as in pymilvus).
async fn wait_for_indexes(
    c: &Client,
    collection: &str,
    indexes: &[String],
    waiter: &Waiter,
) -> Result<()> {
    for index in indexes {
        // A server without AllocTimestamp (Milvus Lite) gets 0, "now", as from pymilvus.
        let ts = match c
            .alloc_timestamp(m::AllocTimestampRequest::default(), &waiter.opts()?)
            .await
        {
            Ok(r) => r.timestamp,
            Err(e) if e.kind == ErrorKind::Unimplemented => 0,
            Err(e) => return Err(e),
        };
        loop {
            waiter.pause(POLL).await?;
            let d = super::index::descriptions(c, collection, index, ts, &waiter.opts()?).await?;
            let state = match d.as_slice() {
                [one] => IndexState::try_from(one.state).unwrap_or(IndexState::None),
                _ => {
                    return Err(Error::invalid(format!(
                        "index name {index:?} is ambiguous or unknown"
                    )))
                }
            };
            if matches!(state, IndexState::Finished | IndexState::Failed) {
                break;
            }
        }
    }
    Ok(())
}

/// pymilvus's compact for optimize: by name; by id after a legacy "name not found".
async fn compact(c: &Client, collection: &str, size_mb: i64, opts: &CallOpts) -> Result<i64> {
    let req = m::ManualCompactionRequest {
        collection_name: collection.to_string(),
        target_size: size_mb,
        ..Default::default()
    };
    match c.manual_compaction(req.clone(), opts).await {
        Ok(r) => Ok(r.compaction_id),
        Err(e) if e.server_code == ErrorCode::CollectionNameNotFound as i32 => {
            let info = c.describe_collection(collection, opts).await?;
            let req = m::ManualCompactionRequest {
                collection_id: info.raw.collection_id,
                ..req
            };
            Ok(c.manual_compaction(req, opts).await?.compaction_id)
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_sizes_as_pymilvus_parses_them() {
        let mb = |v: Value| target_mb(Some(&v));
        assert_eq!(target_mb(None).unwrap(), i64::MAX);
        assert_eq!(mb(json!("1GB")).unwrap(), 1024);
        assert_eq!(mb(json!(" 500 mb ")).unwrap(), 500);
        assert_eq!(mb(json!("1.5gb")).unwrap(), 1536);
        assert_eq!(mb(json!(1048576)).unwrap(), 1);
        assert_eq!(mb(json!("2097152")).unwrap(), 2);
        assert_eq!(mb(json!("1tb")).unwrap(), 1 << 20);
        for bad in [json!("1KB"), json!(10), json!("0mb")] {
            assert!(mb(bad).unwrap_err().message.contains("too small"));
        }
        for bad in [json!("1 zb"), json!("mb"), json!("1..2mb"), json!([1])] {
            assert_eq!(mb(bad).unwrap_err().kind, ErrorKind::InvalidArgument);
        }
    }

    #[test]
    fn segment_states_by_name_or_number() {
        assert_eq!(
            segment_state(&json!("Flushed")).unwrap(),
            SegmentState::Flushed
        );
        assert_eq!(segment_state(&json!(6)).unwrap(), SegmentState::Dropped);
        assert!(segment_state(&json!("Melted")).is_err());
        assert!(segment_state(&json!(99)).is_err());
    }
}
