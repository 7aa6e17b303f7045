//! Partition methods: create, drop, has, list, load, release, statistics.

use super::{call_opts, parse_args, to_json, CollectionArgs, NULL};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::proto::milvus as m;
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartitionArgs {
    collection_name: String,
    partition_name: String,
    timeout: Option<f64>,
}

/// `partition_names`: one name or a list of names, as pymilvus takes it.
#[derive(Deserialize)]
#[serde(untagged)]
enum Names {
    One(String),
    Many(Vec<String>),
}

impl Names {
    fn into_list(self) -> Result<Vec<String>> {
        let list = match self {
            Names::One(n) => vec![n],
            Names::Many(l) => l,
        };
        if list.is_empty() || list.iter().any(String::is_empty) {
            return Err(Error::invalid(
                "partition_names must be a non-empty name or a non-empty list of names",
            ));
        }
        Ok(list)
    }
}

/// load_collection's options, as pymilvus takes them for partitions too.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoadArgs {
    collection_name: String,
    partition_names: Names,
    replica_number: Option<i32>,
    #[serde(alias = "_refresh")]
    refresh: Option<bool>,
    #[serde(alias = "_resource_groups")]
    resource_groups: Option<Vec<String>>,
    #[serde(alias = "_load_fields")]
    load_fields: Option<Vec<String>>,
    #[serde(alias = "_skip_load_dynamic_field")]
    skip_load_dynamic_field: Option<bool>,
    priority: Option<String>,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReleaseArgs {
    collection_name: String,
    partition_names: Names,
    timeout: Option<f64>,
}

fn require(what: &str, v: &str) -> Result<()> {
    if v.is_empty() {
        return Err(Error::invalid(format!("{what} is empty")));
    }
    Ok(())
}

/// Checks the names and returns them with the call's options.
fn partition_args(args: &str) -> Result<(String, String, crate::client::CallOpts)> {
    let a: PartitionArgs = parse_args(args)?;
    require("collection_name", &a.collection_name)?;
    require("partition_name", &a.partition_name)?;
    Ok((a.collection_name, a.partition_name, call_opts(a.timeout)?))
}

pub async fn create_partition(c: &Client, args: &str) -> Result<Vec<u8>> {
    let (collection_name, partition_name, opts) = partition_args(args)?;
    let req = m::CreatePartitionRequest {
        collection_name,
        partition_name,
        ..Default::default()
    };
    c.create_partition(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn drop_partition(c: &Client, args: &str) -> Result<Vec<u8>> {
    let (collection_name, partition_name, opts) = partition_args(args)?;
    let req = m::DropPartitionRequest {
        collection_name,
        partition_name,
        ..Default::default()
    };
    c.drop_partition(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn has_partition(c: &Client, args: &str) -> Result<Vec<u8>> {
    let (collection_name, partition_name, opts) = partition_args(args)?;
    let req = m::HasPartitionRequest {
        collection_name,
        partition_name,
        ..Default::default()
    };
    to_json(&c.has_partition(req, &opts).await?.value)
}

pub async fn list_partitions(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CollectionArgs = parse_args(args)?;
    require("collection_name", &a.collection_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::ShowPartitionsRequest {
        collection_name: a.collection_name,
        r#type: m::ShowType::All as i32,
        ..Default::default()
    };
    to_json(&c.show_partitions(req, &opts).await?.partition_names)
}

pub async fn load_partitions(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: LoadArgs = parse_args(args)?;
    require("collection_name", &a.collection_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::LoadPartitionsRequest {
        collection_name: a.collection_name,
        partition_names: a.partition_names.into_list()?,
        replica_number: a.replica_number.unwrap_or(0),
        refresh: a.refresh.unwrap_or(false),
        resource_groups: a.resource_groups.unwrap_or_default(),
        load_fields: a.load_fields.unwrap_or_default(),
        skip_load_dynamic_field: a.skip_load_dynamic_field.unwrap_or(false),
        load_params: super::collection::load_params(a.priority),
        ..Default::default()
    };
    c.load_partitions(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn release_partitions(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: ReleaseArgs = parse_args(args)?;
    require("collection_name", &a.collection_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::ReleasePartitionsRequest {
        collection_name: a.collection_name,
        partition_names: a.partition_names.into_list()?,
        ..Default::default()
    };
    c.release_partitions(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn get_partition_stats(c: &Client, args: &str) -> Result<Vec<u8>> {
    let (collection_name, partition_name, opts) = partition_args(args)?;
    let req = m::GetPartitionStatisticsRequest {
        collection_name,
        partition_name,
        ..Default::default()
    };
    let stats = c.get_partition_statistics(req, &opts).await?.stats;
    // pymilvus: every statistic by key, `row_count` as an integer.
    let mut out = Map::new();
    for kv in stats {
        let value = match (kv.key.as_str(), kv.value.parse::<i64>()) {
            ("row_count", Ok(n)) => Value::from(n),
            _ => Value::String(kv.value),
        };
        out.insert(kv.key, value);
    }
    to_json(&out)
}
