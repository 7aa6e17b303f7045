//! Resource groups and replicas: create/update/drop/describe/list_resource_groups,
//! transfer_replica, describe_replica.

use super::{call_opts, parse_args, to_json, CollectionArgs, NoArgs, NULL};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::proto::common::KeyValuePair;
use crate::proto::milvus as m;
use crate::proto::rg;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// pymilvus's `ResourceGroupConfig` (a protobuf message) as a dict of its fields, both ways:
/// `{"requests": {"node_num": 1}, "limits": {"node_num": 2}, "transfer_from":
/// [{"resource_group": "rg"}], "transfer_to": [...], "node_filter": {"node_labels":
/// [{"key": "k", "value": "v"}]}}`. Unset fields are left out of results.
#[derive(Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
struct Config {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    requests: Option<Limit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    limits: Option<Limit>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    transfer_from: Vec<Transfer>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    transfer_to: Vec<Transfer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    node_filter: Option<NodeFilter>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Limit {
    #[serde(default)]
    node_num: i32,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Transfer {
    resource_group: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct NodeFilter {
    #[serde(default)]
    node_labels: Vec<Label>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Label {
    key: String,
    #[serde(default)]
    value: String,
}

impl Config {
    fn into_proto(self) -> rg::ResourceGroupConfig {
        let transfers = |v: Vec<Transfer>| {
            v.into_iter()
                .map(|t| rg::ResourceGroupTransfer {
                    resource_group: t.resource_group,
                })
                .collect()
        };
        rg::ResourceGroupConfig {
            requests: self.requests.map(|l| rg::ResourceGroupLimit {
                node_num: l.node_num,
            }),
            limits: self.limits.map(|l| rg::ResourceGroupLimit {
                node_num: l.node_num,
            }),
            transfer_from: transfers(self.transfer_from),
            transfer_to: transfers(self.transfer_to),
            node_filter: self.node_filter.map(|f| rg::ResourceGroupNodeFilter {
                node_labels: f
                    .node_labels
                    .into_iter()
                    .map(|l| KeyValuePair {
                        key: l.key,
                        value: l.value,
                    })
                    .collect(),
            }),
        }
    }

    fn from_proto(c: rg::ResourceGroupConfig) -> Config {
        let transfers = |v: Vec<rg::ResourceGroupTransfer>| {
            v.into_iter()
                .map(|t| Transfer {
                    resource_group: t.resource_group,
                })
                .collect()
        };
        Config {
            requests: c.requests.map(|l| Limit {
                node_num: l.node_num,
            }),
            limits: c.limits.map(|l| Limit {
                node_num: l.node_num,
            }),
            transfer_from: transfers(c.transfer_from),
            transfer_to: transfers(c.transfer_to),
            node_filter: c.node_filter.map(|f| NodeFilter {
                node_labels: f
                    .node_labels
                    .into_iter()
                    .map(|kv| Label {
                        key: kv.key,
                        value: kv.value,
                    })
                    .collect(),
            }),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateArgs {
    name: String,
    config: Option<Config>,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NameArgs {
    name: String,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateArgs {
    configs: BTreeMap<String, Config>,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TransferArgs {
    source_group: String,
    target_group: String,
    collection_name: String,
    num_replicas: i64,
    timeout: Option<f64>,
}

/// pymilvus's `ResourceGroupInfo`, by its attribute names.
#[derive(Serialize)]
struct GroupInfo {
    name: String,
    capacity: i32,
    num_available_node: i32,
    num_loaded_replica: BTreeMap<String, i32>,
    num_outgoing_node: BTreeMap<String, i32>,
    num_incoming_node: BTreeMap<String, i32>,
    config: Config,
    nodes: Vec<Node>,
}

#[derive(Serialize)]
struct Node {
    node_id: i64,
    address: String,
    hostname: String,
}

/// pymilvus's `ReplicaInfo`, by its attribute names.
#[derive(Serialize)]
struct Replica {
    id: i64,
    shards: Vec<Shard>,
    group_nodes: Vec<i64>,
    resource_group: String,
    num_outbound_node: BTreeMap<String, i32>,
}

/// pymilvus's `Shard`; `shard_nodes` (a set there) is sorted.
#[derive(Serialize)]
struct Shard {
    channel_name: String,
    shard_nodes: Vec<i64>,
    shard_leader: i64,
}

fn sorted(m: HashMap<String, i32>) -> BTreeMap<String, i32> {
    m.into_iter().collect()
}

/// pymilvus checks resource group names client-side (non-empty).
fn require(what: &str, v: &str) -> Result<()> {
    if v.is_empty() {
        return Err(Error::invalid(format!("{what} is empty")));
    }
    Ok(())
}

pub async fn create_resource_group(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CreateArgs = parse_args(args)?;
    require("name", &a.name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::CreateResourceGroupRequest {
        resource_group: a.name,
        config: a.config.map(Config::into_proto),
        ..Default::default()
    };
    c.create_resource_group(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn update_resource_groups(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: UpdateArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let req = m::UpdateResourceGroupsRequest {
        resource_groups: a
            .configs
            .into_iter()
            .map(|(k, v)| (k, v.into_proto()))
            .collect(),
        ..Default::default()
    };
    c.update_resource_groups(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn drop_resource_group(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: NameArgs = parse_args(args)?;
    require("name", &a.name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::DropResourceGroupRequest {
        resource_group: a.name,
        ..Default::default()
    };
    c.drop_resource_group(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn describe_resource_group(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: NameArgs = parse_args(args)?;
    require("name", &a.name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::DescribeResourceGroupRequest {
        resource_group: a.name,
        ..Default::default()
    };
    let g = c
        .describe_resource_group(req, &opts)
        .await?
        .resource_group
        .unwrap_or_default();
    to_json(&GroupInfo {
        name: g.name,
        capacity: g.capacity,
        num_available_node: g.num_available_node,
        num_loaded_replica: sorted(g.num_loaded_replica),
        num_outgoing_node: sorted(g.num_outgoing_node),
        num_incoming_node: sorted(g.num_incoming_node),
        config: g.config.map(Config::from_proto).unwrap_or_default(),
        nodes: g
            .nodes
            .into_iter()
            .map(|n| Node {
                node_id: n.node_id,
                address: n.address,
                hostname: n.hostname,
            })
            .collect(),
    })
}

pub async fn list_resource_groups(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: NoArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let resp = c
        .list_resource_groups(m::ListResourceGroupsRequest::default(), &opts)
        .await?;
    to_json(&resp.resource_groups)
}

pub async fn transfer_replica(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: TransferArgs = parse_args(args)?;
    require("source_group", &a.source_group)?;
    require("target_group", &a.target_group)?;
    let opts = call_opts(a.timeout)?;
    let req = m::TransferReplicaRequest {
        source_resource_group: a.source_group,
        target_resource_group: a.target_group,
        collection_name: a.collection_name,
        num_replica: a.num_replicas,
        ..Default::default()
    };
    c.transfer_replica(req, &opts).await?;
    Ok(NULL.to_vec())
}

/// DescribeCollection for the collection's id, then GetReplicas with shard nodes, as
/// pymilvus does.
pub async fn describe_replica(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CollectionArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let info = c.describe_collection(&a.collection_name, &opts).await?;
    let req = m::GetReplicasRequest {
        collection_id: info.raw.collection_id,
        with_shard_nodes: true,
        ..Default::default()
    };
    let resp = c.get_replicas(req, &opts).await?;
    let replicas: Vec<Replica> = resp
        .replicas
        .into_iter()
        .map(|r| Replica {
            id: r.replica_id,
            shards: r
                .shard_replicas
                .into_iter()
                .map(|s| {
                    let mut nodes = s.node_ids;
                    nodes.sort_unstable();
                    nodes.dedup();
                    Shard {
                        channel_name: s.dm_channel_name,
                        shard_nodes: nodes,
                        shard_leader: s.leader_id,
                    }
                })
                .collect(),
            group_nodes: r.node_ids,
            resource_group: r.resource_group_name,
            num_outbound_node: sorted(r.num_outbound_node),
        })
        .collect();
    to_json(&replicas)
}

#[cfg(test)]
mod tests {
    use super::*;

    // No test server keeps configs (2.3.5 drops them, Lite lacks resource groups): check the
    // dict <-> protobuf mapping here.
    #[test]
    fn config_both_ways() {
        let text = r#"{"requests":{"node_num":1},"limits":{"node_num":3},"transfer_from":[{"resource_group":"a"}],"transfer_to":[{"resource_group":"b"},{"resource_group":"c"}],"node_filter":{"node_labels":[{"key":"k","value":"v"}]}}"#;
        let p = serde_json::from_str::<Config>(text).unwrap().into_proto();
        assert_eq!(p.requests.unwrap().node_num, 1);
        assert_eq!(p.limits.unwrap().node_num, 3);
        assert_eq!(p.transfer_from[0].resource_group, "a");
        assert_eq!(p.transfer_to[1].resource_group, "c");
        let labels = &p.node_filter.as_ref().unwrap().node_labels;
        assert_eq!(
            (labels[0].key.as_str(), labels[0].value.as_str()),
            ("k", "v")
        );
        let back = serde_json::to_string(&Config::from_proto(p)).unwrap();
        assert_eq!(back, text);
        let unset = Config::from_proto(rg::ResourceGroupConfig::default());
        assert_eq!(serde_json::to_string(&unset).unwrap(), "{}");
        assert!(serde_json::from_str::<Config>(r#"{"limits":{"nodes":1}}"#).is_err());
        assert!(serde_json::from_str::<Config>(r#"{"colour":1}"#).is_err());
    }
}
