//! Database methods: create/drop/list/describe databases, their properties, use_database.

use super::{call_opts, kv_list, parse_args, to_json, NoArgs, NULL};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::proto::milvus as m;
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DbArgs {
    db_name: String,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PropertiesArgs {
    db_name: String,
    properties: Option<Map<String, Value>>,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AlterArgs {
    db_name: String,
    properties: Map<String, Value>,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DropPropertiesArgs {
    db_name: String,
    property_keys: Vec<String>,
    timeout: Option<f64>,
}

fn require_name(db_name: &str) -> Result<()> {
    if db_name.is_empty() {
        return Err(Error::invalid("db_name is empty"));
    }
    Ok(())
}

pub async fn create_database(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: PropertiesArgs = parse_args(args)?;
    require_name(&a.db_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::CreateDatabaseRequest {
        db_name: a.db_name,
        properties: kv_list(&a.properties.unwrap_or_default()),
        ..Default::default()
    };
    c.create_database(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn drop_database(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: DbArgs = parse_args(args)?;
    require_name(&a.db_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::DropDatabaseRequest {
        db_name: a.db_name,
        ..Default::default()
    };
    c.drop_database(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn list_databases(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: NoArgs = parse_args(args)?;
    let resp = c
        .list_databases(m::ListDatabasesRequest::default(), &call_opts(a.timeout)?)
        .await?;
    to_json(&resp.db_names)
}

pub async fn describe_database(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: DbArgs = parse_args(args)?;
    require_name(&a.db_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::DescribeDatabaseRequest {
        db_name: a.db_name,
        ..Default::default()
    };
    let resp = c.describe_database(req, &opts).await?;
    // pymilvus: {"name": ..., <property>: <value>, ...}, properties as the strings stored.
    let mut out = Map::new();
    out.insert("name".into(), Value::String(resp.db_name));
    for p in resp.properties {
        out.insert(p.key, Value::String(p.value));
    }
    to_json(&out)
}

pub async fn alter_database_properties(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: AlterArgs = parse_args(args)?;
    require_name(&a.db_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::AlterDatabaseRequest {
        db_name: a.db_name,
        properties: kv_list(&a.properties),
        ..Default::default()
    };
    c.alter_database(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn drop_database_properties(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: DropPropertiesArgs = parse_args(args)?;
    require_name(&a.db_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::AlterDatabaseRequest {
        db_name: a.db_name,
        delete_keys: a.property_keys,
        ..Default::default()
    };
    c.alter_database(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn use_database(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: DbArgs = parse_args(args)?;
    require_name(&a.db_name)?;
    c.use_database(&a.db_name, &call_opts(a.timeout)?).await?;
    Ok(NULL.to_vec())
}

/// pymilvus's deprecated name of use_database.
pub async fn using_database(c: &Client, args: &str) -> Result<Vec<u8>> {
    use_database(c, args).await
}
