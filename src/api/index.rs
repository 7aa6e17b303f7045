//! Index methods: create_index, list_indexes, describe_index, drop_index, index properties.

use super::{call_opts, kv_list, parse_args, to_json, NULL};
use crate::client::Client;
use crate::codec::schema::py_param_string;
use crate::error::{Error, ErrorKind, Result};
use crate::proto::common::{IndexState, KeyValuePair};
use crate::proto::milvus as m;
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// One entry of `index_params`: `{field_name, index_type, index_name, metric_type, params}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IndexParam {
    pub field_name: String,
    pub index_type: Option<String>,
    pub index_name: Option<String>,
    pub metric_type: Option<String>,
    pub params: Option<Map<String, Value>>,
}

impl IndexParam {
    /// The flat key/value list CreateIndex takes: every param plus index_type and metric_type,
    /// values written as pymilvus writes them (`True`/`False` for booleans).
    pub fn extra_params(&self) -> Vec<KeyValuePair> {
        let mut out: Vec<KeyValuePair> = Vec::new();
        let mut push = |k: &str, v: String| {
            out.retain(|p| p.key != k);
            out.push(KeyValuePair {
                key: k.to_string(),
                value: v,
            });
        };
        for (k, v) in self.params.iter().flatten() {
            match (k.as_str(), v) {
                ("params", Value::Object(inner)) => {
                    inner.iter().for_each(|(k, v)| push(k, py_param_string(v)))
                }
                _ => push(k, py_param_string(v)),
            }
        }
        if let Some(m) = self.metric_type.as_deref().filter(|m| !m.is_empty()) {
            push("metric_type", m.to_string());
        }
        if let Some(t) = self.index_type.as_deref().filter(|t| !t.is_empty()) {
            push("index_type", t.to_string());
        }
        out
    }
}

pub(crate) fn parse_index_params(v: &Value) -> Result<Vec<IndexParam>> {
    let list = match v {
        Value::Array(a) => a.clone(),
        Value::Object(_) => vec![v.clone()],
        _ => {
            return Err(Error::invalid(
                "index_params must be a list of {field_name, index_type, ...} objects",
            ))
        }
    };
    list.into_iter()
        .enumerate()
        .map(|(i, p)| {
            serde_json::from_value(p).map_err(|e| Error::invalid(format!("index_params[{i}]: {e}")))
        })
        .collect()
}

/// Creates each index and, when `wait` is set, waits until it is built.
pub(crate) async fn create_indexes(
    c: &Client,
    collection: &str,
    indexes: &[IndexParam],
    wait: bool,
    opts: &crate::client::CallOpts,
) -> Result<()> {
    for ip in indexes {
        let name = ip.index_name.clone().unwrap_or_default();
        c.create_index_with(
            collection,
            &ip.field_name,
            &name,
            ip.extra_params(),
            wait,
            opts,
        )
        .await?;
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateIndexArgs {
    collection_name: String,
    index_params: Value,
    /// pymilvus's `sync`: false returns once the server has the request, without waiting
    /// for the index to be built.
    sync: Option<bool>,
    timeout: Option<f64>,
}

/// Creates each index of `index_params` and waits until built (unless `sync` is false).
/// Result: `null`.
pub async fn create_index(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CreateIndexArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    create_indexes(
        c,
        &a.collection_name,
        &parse_index_params(&a.index_params)?,
        a.sync.unwrap_or(true),
        &opts,
    )
    .await?;
    Ok(NULL.to_vec())
}

pub(crate) async fn descriptions(
    c: &Client,
    collection: &str,
    index_name: &str,
    timestamp: u64,
    opts: &crate::client::CallOpts,
) -> Result<Vec<m::IndexDescription>> {
    let req = m::DescribeIndexRequest {
        collection_name: collection.to_string(),
        index_name: index_name.to_string(),
        timestamp,
        ..Default::default()
    };
    match c.describe_index(req, opts).await {
        Ok(r) => Ok(r.index_descriptions),
        Err(e) if e.kind == ErrorKind::IndexNotFound => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListIndexesArgs {
    collection_name: String,
    field_name: Option<String>,
    timeout: Option<f64>,
}

/// Index names of the collection (of one field when `field_name` is given).
pub async fn list_indexes(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: ListIndexesArgs = parse_args(args)?;
    let field = a.field_name.unwrap_or_default();
    let names: Vec<String> = descriptions(c, &a.collection_name, "", 0, &call_opts(a.timeout)?)
        .await?
        .into_iter()
        .filter(|d| field.is_empty() || d.field_name == field)
        .map(|d| d.index_name)
        .collect();
    to_json(&names)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexArgs {
    collection_name: String,
    index_name: String,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DescribeIndexArgs {
    collection_name: String,
    index_name: String,
    /// The index's state as of this timestamp (pymilvus's `timestamp`; 0 or absent: now).
    timestamp: Option<u64>,
    timeout: Option<f64>,
}

/// pymilvus's dict: the index params flattened, `params` decoded, plus field_name, index_name,
/// row counts and state; `null` when there is no such index.
pub async fn describe_index(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: DescribeIndexArgs = parse_args(args)?;
    let found = descriptions(
        c,
        &a.collection_name,
        &a.index_name,
        a.timestamp.unwrap_or(0),
        &call_opts(a.timeout)?,
    )
    .await?;
    let d = match found.as_slice() {
        [] => return Ok(NULL.to_vec()),
        [d] => d,
        _ => {
            return Err(Error::invalid(format!(
                "index_name {:?} matches several indexes",
                a.index_name
            )))
        }
    };
    let mut out = Map::new();
    for p in &d.params {
        let v = if p.key == "params" {
            serde_json::from_str(&p.value).unwrap_or_else(|_| json!(p.value))
        } else {
            json!(p.value)
        };
        out.insert(p.key.clone(), v);
    }
    out.insert("field_name".into(), json!(d.field_name));
    out.insert("index_name".into(), json!(d.index_name));
    out.insert("total_rows".into(), json!(d.total_rows));
    out.insert("indexed_rows".into(), json!(d.indexed_rows));
    out.insert("pending_index_rows".into(), json!(d.pending_index_rows));
    let state = IndexState::try_from(d.state)
        .map(|s| s.as_str_name())
        .unwrap_or("IndexStateNone");
    out.insert("state".into(), json!(state));
    to_json(&Value::Object(out))
}

/// Drops an index. Result: `null`.
pub async fn drop_index(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: IndexArgs = parse_args(args)?;
    let req = m::DropIndexRequest {
        collection_name: a.collection_name,
        index_name: a.index_name,
        ..Default::default()
    };
    c.drop_index(req, &call_opts(a.timeout)?).await?;
    Ok(NULL.to_vec())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AlterIndexArgs {
    collection_name: String,
    index_name: String,
    properties: Option<Map<String, Value>>,
    property_keys: Option<Vec<String>>,
    timeout: Option<f64>,
}

async fn alter_index(c: &Client, a: AlterIndexArgs) -> Result<Vec<u8>> {
    let req = m::AlterIndexRequest {
        collection_name: a.collection_name,
        index_name: a.index_name,
        extra_params: kv_list(&a.properties.unwrap_or_default()),
        delete_keys: a.property_keys.unwrap_or_default(),
        ..Default::default()
    };
    c.alter_index(req, &call_opts(a.timeout)?).await?;
    Ok(NULL.to_vec())
}

/// Sets index properties (e.g. `{"mmap.enabled": true}`). Result: `null`.
pub async fn alter_index_properties(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: AlterIndexArgs = parse_args(args)?;
    if a.properties.as_ref().is_none_or(|p| p.is_empty()) || a.property_keys.is_some() {
        return Err(Error::invalid(
            "alter_index_properties takes a non-empty properties object",
        ));
    }
    alter_index(c, a).await
}

/// Removes index properties by key. Result: `null`.
pub async fn drop_index_properties(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: AlterIndexArgs = parse_args(args)?;
    if a.property_keys.as_ref().is_none_or(|p| p.is_empty()) || a.properties.is_some() {
        return Err(Error::invalid(
            "drop_index_properties takes a non-empty property_keys list",
        ));
    }
    alter_index(c, a).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_params_spelled_as_pymilvus_spells_them() {
        let p: Vec<IndexParam> = parse_index_params(&json!([{"field_name": "v",
            "index_type": "IVF_RABITQ", "metric_type": "L2",
            "params": {"nlist": 64, "refine": true, "mmap.enabled": false, "refine_type": "SQ8"}}]))
        .unwrap();
        let kv: Vec<(String, String)> = p[0]
            .extra_params()
            .into_iter()
            .map(|p| (p.key, p.value))
            .collect();
        let get = |k: &str| kv.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        assert_eq!(get("refine"), Some("True"));
        assert_eq!(get("mmap.enabled"), Some("False"));
        assert_eq!(get("nlist"), Some("64"));
        assert_eq!(get("refine_type"), Some("SQ8"));
        assert_eq!(get("index_type"), Some("IVF_RABITQ"));
        assert_eq!(get("metric_type"), Some("L2"));
    }

    #[test]
    fn pymilvus_kwargs_of_create_and_describe() {
        let a: CreateIndexArgs =
            parse_args(r#"{"collection_name": "c", "index_params": [], "sync": false}"#).unwrap();
        assert_eq!(a.sync, Some(false));
        let a: DescribeIndexArgs =
            parse_args(r#"{"collection_name": "c", "index_name": "i", "timestamp": 7}"#).unwrap();
        assert_eq!(a.timestamp, Some(7));
    }
}
