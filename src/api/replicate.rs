//! Cross-cluster replication: update_replicate_configuration, get_replicate_configuration,
//! get_replicate_info.

use super::{call_opts, parse_args, to_json, NoArgs};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::proto::common;
use crate::proto::milvus as m;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One cluster as pymilvus takes it and as get_replicate_configuration gives it back.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Cluster {
    cluster_id: String,
    connection_param: ConnectionParam,
    #[serde(default)]
    pchannels: Vec<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct ConnectionParam {
    uri: String,
    #[serde(default)]
    token: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Topology {
    source_cluster_id: String,
    target_cluster_id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateArgs {
    clusters: Option<Vec<Cluster>>,
    cross_cluster_topology: Option<Vec<Topology>>,
    #[serde(default)]
    force_promote: bool,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InfoArgs {
    source_cluster_id: Option<String>,
    target_pchannel: Option<String>,
    timeout: Option<f64>,
}

/// pymilvus returns the reply's `common.Status` message itself: its fields, by name.
#[derive(Serialize)]
struct Status {
    error_code: i32,
    reason: String,
    code: i32,
    retriable: bool,
    detail: String,
    extra_info: BTreeMap<String, String>,
}

/// pymilvus's ReplicateConfiguration message, field by field.
#[derive(Serialize)]
struct Configuration {
    clusters: Vec<Cluster>,
    cross_cluster_topology: Vec<Topology>,
}

#[derive(Serialize)]
struct MessageId {
    id: String,
    wal_name: String,
}

#[derive(Serialize)]
struct Checkpoint {
    cluster_id: String,
    pchannel: String,
    message_id: Option<MessageId>,
    time_tick: u64,
}

#[derive(Serialize)]
struct ReplicateInfo {
    checkpoint: Option<Checkpoint>,
    salvage_checkpoint: Option<Checkpoint>,
}

fn wal_name(v: i32) -> String {
    common::WalName::try_from(v)
        .map(|w| w.as_str_name().to_string())
        .unwrap_or_else(|_| v.to_string())
}

/// pymilvus's dict of a checkpoint; None for an unset one or one with nothing set.
fn checkpoint(cp: Option<common::ReplicateCheckpoint>) -> Option<Checkpoint> {
    let cp = cp?;
    if cp.cluster_id.is_empty()
        && cp.pchannel.is_empty()
        && cp.time_tick == 0
        && cp.message_id.is_none()
    {
        return None;
    }
    Some(Checkpoint {
        cluster_id: cp.cluster_id,
        pchannel: cp.pchannel,
        message_id: cp.message_id.map(|id| MessageId {
            id: id.id,
            wal_name: wal_name(id.wal_name),
        }),
        time_tick: cp.time_tick,
    })
}

pub async fn update_replicate_configuration(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: UpdateArgs = parse_args(args)?;
    let clusters = a
        .clusters
        .ok_or_else(|| Error::invalid("'clusters' must be provided"))?;
    let opts = call_opts(a.timeout)?;
    let req = m::UpdateReplicateConfigurationRequest {
        replicate_configuration: Some(common::ReplicateConfiguration {
            clusters: clusters
                .into_iter()
                .map(|c| common::MilvusCluster {
                    cluster_id: c.cluster_id,
                    connection_param: Some(common::ConnectionParam {
                        uri: c.connection_param.uri,
                        token: c.connection_param.token,
                    }),
                    pchannels: c.pchannels,
                })
                .collect(),
            cross_cluster_topology: a
                .cross_cluster_topology
                .unwrap_or_default()
                .into_iter()
                .map(|t| common::CrossClusterTopology {
                    source_cluster_id: t.source_cluster_id,
                    target_cluster_id: t.target_cluster_id,
                })
                .collect(),
        }),
        force_promote: a.force_promote,
    };
    let s = c.update_replicate_configuration(req, &opts).await?;
    to_json(&Status {
        error_code: s.error_code,
        reason: s.reason,
        code: s.code,
        retriable: s.retriable,
        detail: s.detail,
        extra_info: s.extra_info.into_iter().collect(),
    })
}

pub async fn get_replicate_configuration(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: NoArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let conf = c
        .get_replicate_configuration(m::GetReplicateConfigurationRequest {}, &opts)
        .await?
        .configuration
        .unwrap_or_default();
    to_json(&Configuration {
        clusters: conf
            .clusters
            .into_iter()
            .map(|c| {
                let p = c.connection_param.unwrap_or_default();
                Cluster {
                    cluster_id: c.cluster_id,
                    connection_param: ConnectionParam {
                        uri: p.uri,
                        token: p.token,
                    },
                    pchannels: c.pchannels,
                }
            })
            .collect(),
        cross_cluster_topology: conf
            .cross_cluster_topology
            .into_iter()
            .map(|t| Topology {
                source_cluster_id: t.source_cluster_id,
                target_cluster_id: t.target_cluster_id,
            })
            .collect(),
    })
}

pub async fn get_replicate_info(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: InfoArgs = parse_args(args)?;
    // pymilvus treats an empty value as a missing one.
    let given = |what: &str, v: Option<String>| {
        v.filter(|v| !v.is_empty())
            .ok_or_else(|| Error::invalid(format!("'{what}' must be provided")))
    };
    let source = given("source_cluster_id", a.source_cluster_id)?;
    let pchannel = given("target_pchannel", a.target_pchannel)?;
    let opts = call_opts(a.timeout)?;
    let req = m::GetReplicateInfoRequest {
        source_cluster_id: source,
        target_pchannel: pchannel,
    };
    let r = c.get_replicate_info(req, &opts).await?;
    to_json(&ReplicateInfo {
        checkpoint: checkpoint(r.checkpoint),
        salvage_checkpoint: checkpoint(r.salvage_checkpoint),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn checkpoints_as_pymilvus_dicts() {
        assert!(checkpoint(None).is_none());
        assert!(checkpoint(Some(Default::default())).is_none());
        let cp = checkpoint(Some(common::ReplicateCheckpoint {
            cluster_id: "a".into(),
            pchannel: "p0".into(),
            message_id: Some(common::MessageId {
                id: "m1".into(),
                wal_name: common::WalName::WoodPecker as i32,
            }),
            time_tick: 9,
        }));
        assert_eq!(
            serde_json::to_value(cp).unwrap(),
            json!({"cluster_id": "a", "pchannel": "p0",
                   "message_id": {"id": "m1", "wal_name": "WoodPecker"}, "time_tick": 9})
        );
        // Only a message id set: still a checkpoint.
        let cp = checkpoint(Some(common::ReplicateCheckpoint {
            message_id: Some(Default::default()),
            ..Default::default()
        }));
        assert_eq!(
            serde_json::to_value(cp).unwrap()["message_id"],
            json!({"id": "", "wal_name": "Unknown"})
        );
        assert_eq!(wal_name(999), "Test");
        assert_eq!(wal_name(5), "5");
    }
}
