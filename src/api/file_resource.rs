//! File resources: add_file_resource, remove_file_resource, list_file_resources.

use super::{call_opts, parse_args, to_json, NoArgs, NULL};
use crate::client::Client;
use crate::error::Result;
use crate::proto::milvus as m;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddArgs {
    name: String,
    path: String,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RemoveArgs {
    name: String,
    timeout: Option<f64>,
}

/// pymilvus's `FileResourceInfo`: its two attributes (it keeps no id).
#[derive(Serialize)]
struct FileResource {
    name: String,
    path: String,
}

pub async fn add_file_resource(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: AddArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let req = m::AddFileResourceRequest {
        name: a.name,
        path: a.path,
        ..Default::default()
    };
    c.add_file_resource(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn remove_file_resource(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: RemoveArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let req = m::RemoveFileResourceRequest {
        name: a.name,
        ..Default::default()
    };
    c.remove_file_resource(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn list_file_resources(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: NoArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let resources = c
        .list_file_resources(m::ListFileResourcesRequest::default(), &opts)
        .await?
        .resources;
    to_json(
        &resources
            .into_iter()
            .map(|r| FileResource {
                name: r.name,
                path: r.path,
            })
            .collect::<Vec<_>>(),
    )
}
