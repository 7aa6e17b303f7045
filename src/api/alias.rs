//! Alias methods: create_alias, drop_alias, alter_alias, describe_alias, list_aliases.

use super::{call_opts, parse_args, to_json, NULL};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::proto::milvus as m;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CollectionAliasArgs {
    collection_name: String,
    alias: String,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasArgs {
    alias: String,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListArgs {
    #[serde(default)]
    collection_name: Option<String>,
    /// Another database's aliases (pymilvus's `db_name`); the client's database when absent.
    db_name: Option<String>,
    timeout: Option<f64>,
}

/// pymilvus's describe_alias dict: `alias`, and `collection_name` / `db_name` when the
/// server names them.
#[derive(Serialize)]
struct AliasInfo {
    alias: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    collection_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    db_name: String,
}

/// pymilvus's list_aliases dict: `aliases`, and `collection_name` / `db_name` when the
/// server names them.
#[derive(Serialize)]
struct AliasList {
    aliases: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    collection_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    db_name: String,
}

fn require(what: &str, v: &str) -> Result<()> {
    if v.is_empty() {
        return Err(Error::invalid(format!("{what} is empty")));
    }
    Ok(())
}

pub async fn create_alias(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CollectionAliasArgs = parse_args(args)?;
    require("collection_name", &a.collection_name)?;
    require("alias", &a.alias)?;
    let opts = call_opts(a.timeout)?;
    let req = m::CreateAliasRequest {
        collection_name: a.collection_name,
        alias: a.alias,
        ..Default::default()
    };
    c.create_alias(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn drop_alias(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: AliasArgs = parse_args(args)?;
    require("alias", &a.alias)?;
    let opts = call_opts(a.timeout)?;
    let req = m::DropAliasRequest {
        alias: a.alias,
        ..Default::default()
    };
    c.drop_alias(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn alter_alias(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CollectionAliasArgs = parse_args(args)?;
    require("collection_name", &a.collection_name)?;
    require("alias", &a.alias)?;
    let opts = call_opts(a.timeout)?;
    let req = m::AlterAliasRequest {
        collection_name: a.collection_name,
        alias: a.alias,
        ..Default::default()
    };
    c.alter_alias(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn describe_alias(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: AliasArgs = parse_args(args)?;
    require("alias", &a.alias)?;
    let opts = call_opts(a.timeout)?;
    let req = m::DescribeAliasRequest {
        alias: a.alias.clone(),
        ..Default::default()
    };
    let resp = c.describe_alias(req, &opts).await?;
    to_json(&AliasInfo {
        alias: a.alias,
        collection_name: resp.collection,
        db_name: resp.db_name,
    })
}

pub async fn list_aliases(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: ListArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let req = m::ListAliasesRequest {
        collection_name: a.collection_name.unwrap_or_default(),
        db_name: a.db_name.unwrap_or_default(),
        ..Default::default()
    };
    let resp = c.list_aliases(req, &opts).await?;
    to_json(&AliasList {
        aliases: resp.aliases,
        collection_name: resp.collection_name,
        db_name: resp.db_name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_aliases_of_another_database() {
        let a: ListArgs = parse_args(r#"{"collection_name": "c", "db_name": "other"}"#).unwrap();
        assert_eq!(
            (a.collection_name.as_deref(), a.db_name.as_deref()),
            (Some("c"), Some("other"))
        );
        let a: ListArgs = parse_args("{}").unwrap();
        assert!(a.db_name.is_none());
    }
}
