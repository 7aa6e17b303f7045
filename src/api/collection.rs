//! Collection management methods.

use super::index::{create_indexes, parse_index_params, IndexParam};
use super::{call_opts, kv_list, parse_args, to_json, CollectionArgs, NoArgs, NULL};
use crate::client::Client;
use crate::codec::schema;
use crate::error::{Error, ErrorKind, Result};
use crate::proto::common::{KeyValuePair, LoadState};
use crate::proto::milvus as m;
use crate::proto::schema::{CollectionSchema, DataType, FieldSchema};
use prost::Message as _;
use serde::Deserialize;
use serde_json::{json, Map, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionArgs {
    detail: Option<bool>,
    timeout: Option<f64>,
}

/// The version string, or with `detail` pymilvus's dict of the server's details, as the
/// server gave them when this client connected (pymilvus asks with a second Connect).
pub async fn get_server_version(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: VersionArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    if a.detail.unwrap_or(false) {
        let i = c.server_info()?;
        return to_json(&json!({"version": i.build_tags, "build_time": i.build_time,
            "git_commit": i.git_commit, "go_version": i.go_version, "deploy_mode": i.deploy_mode}));
    }
    to_json(&c.get_server_version(&opts).await?)
}

pub async fn list_collections(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: NoArgs = parse_args(args)?;
    to_json(&c.list_collections(&call_opts(a.timeout)?).await?)
}

pub async fn has_collection(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CollectionArgs = parse_args(args)?;
    to_json(
        &c.has_collection(&a.collection_name, &call_opts(a.timeout)?)
            .await?,
    )
}

pub async fn describe_collection(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CollectionArgs = parse_args(args)?;
    let info = c
        .describe_collection(&a.collection_name, &call_opts(a.timeout)?)
        .await?;
    to_json(&schema::describe_to_json(&info))
}

pub async fn drop_collection(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CollectionArgs = parse_args(args)?;
    c.drop_collection(&a.collection_name, &call_opts(a.timeout)?)
        .await?;
    Ok(NULL.to_vec())
}

pub async fn release_collection(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CollectionArgs = parse_args(args)?;
    c.release_collection(&a.collection_name, &call_opts(a.timeout)?)
        .await?;
    Ok(NULL.to_vec())
}

pub async fn flush(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CollectionArgs = parse_args(args)?;
    c.flush(&a.collection_name, &call_opts(a.timeout)?).await?;
    Ok(NULL.to_vec())
}

/// load_collection's and refresh_load's arguments: pymilvus's load options, each also under
/// the older name with a leading underscore that pymilvus still reads.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoadArgs {
    collection_name: String,
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

/// `load_params` of a load request: the `priority` as pymilvus sends it.
pub(crate) fn load_params(priority: Option<String>) -> std::collections::HashMap<String, String> {
    priority
        .map(|p| ("load_priority".to_string(), p))
        .into_iter()
        .collect()
}

fn load_request(a: LoadArgs) -> m::LoadCollectionRequest {
    m::LoadCollectionRequest {
        collection_name: a.collection_name,
        replica_number: a.replica_number.unwrap_or(0),
        refresh: a.refresh.unwrap_or(false),
        resource_groups: a.resource_groups.unwrap_or_default(),
        load_fields: a.load_fields.unwrap_or_default(),
        skip_load_dynamic_field: a.skip_load_dynamic_field.unwrap_or(false),
        load_params: load_params(a.priority),
        ..Default::default()
    }
}

/// Loads (or, with `refresh`, reloads) and waits until done. Result: `null`.
pub async fn load_collection(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: LoadArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    c.load_collection_with(load_request(a), &opts).await?;
    Ok(NULL.to_vec())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateCollectionArgs {
    collection_name: String,
    dimension: Option<i64>,
    primary_field_name: Option<String>,
    id_type: Option<String>,
    vector_field_name: Option<String>,
    metric_type: Option<String>,
    auto_id: Option<bool>,
    timeout: Option<f64>,
    schema: Option<Value>,
    index_params: Option<Value>,
    enable_dynamic_field: Option<bool>,
    consistency_level: Option<Value>,
    /// pymilvus takes either name (not both).
    #[serde(alias = "shards_num")]
    num_shards: Option<i32>,
    num_partitions: Option<i64>,
    max_length: Option<i64>,
    properties: Option<Map<String, Value>>,
    /// Quick setup only (a schema carries its own).
    description: Option<String>,
    enable_namespace: Option<bool>,
}

/// pymilvus quick setup: `id` + `vector` + dynamic field, an AUTOINDEX, loaded.
fn quick_schema(a: &CreateCollectionArgs, dim: i64) -> Result<(CollectionSchema, IndexParam)> {
    if dim <= 0 {
        return Err(Error::invalid(format!(
            "dimension must be positive, not {dim}"
        )));
    }
    let pk_name = a.primary_field_name.clone().unwrap_or_else(|| "id".into());
    let vec_name = a
        .vector_field_name
        .clone()
        .unwrap_or_else(|| "vector".into());
    let mut pk = FieldSchema {
        name: pk_name,
        is_primary_key: true,
        auto_id: a.auto_id.unwrap_or(false),
        ..Default::default()
    };
    match a.id_type.as_deref().unwrap_or("int") {
        "int" | "INT64" | "int64" => pk.data_type = DataType::Int64 as i32,
        "string" | "str" | "VARCHAR" | "varchar" => {
            pk.data_type = DataType::VarChar as i32;
            let len = a.max_length.unwrap_or(65535);
            pk.type_params.push(KeyValuePair {
                key: "max_length".into(),
                value: len.to_string(),
            });
        }
        other => {
            return Err(Error::invalid(format!(
                "id_type must be \"int\" or \"string\", not {other:?}"
            )))
        }
    }
    let vector = FieldSchema {
        name: vec_name.clone(),
        data_type: DataType::FloatVector as i32,
        type_params: vec![KeyValuePair {
            key: "dim".into(),
            value: dim.to_string(),
        }],
        ..Default::default()
    };
    let schema = CollectionSchema {
        name: a.collection_name.clone(),
        auto_id: pk.auto_id,
        fields: vec![pk, vector],
        enable_dynamic_field: a.enable_dynamic_field.unwrap_or(true),
        description: a.description.clone().unwrap_or_default(),
        enable_namespace: a.enable_namespace.unwrap_or(false),
        ..Default::default()
    };
    let index = IndexParam {
        field_name: vec_name,
        index_type: Some("AUTOINDEX".into()),
        index_name: None,
        metric_type: Some(a.metric_type.clone().unwrap_or_else(|| "COSINE".into())),
        params: None,
    };
    Ok((schema, index))
}

pub async fn create_collection(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CreateCollectionArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    if a.collection_name.is_empty() {
        return Err(Error::invalid("collection_name is empty"));
    }
    let consistency = match &a.consistency_level {
        Some(v) => schema::parse_consistency(v)?,
        None => 2, // Bounded, pymilvus's default
    };
    let properties = kv_list(&a.properties.clone().unwrap_or_default());
    let (schema, indexes) = match (&a.schema, a.dimension) {
        (Some(_), Some(_)) => {
            return Err(Error::invalid(
                "give either dimension (quick setup) or schema, not both",
            ))
        }
        (Some(s), None) => {
            if a.description.is_some() || a.enable_namespace.is_some() {
                return Err(Error::invalid(
                    "with a schema, description and enable_namespace belong in the schema",
                ));
            }
            let mut schema = schema::schema_from_dict(&a.collection_name, s)?;
            if let Some(d) = a.enable_dynamic_field {
                schema.enable_dynamic_field = d;
            }
            let indexes = a
                .index_params
                .as_ref()
                .map(parse_index_params)
                .transpose()?;
            (schema, indexes)
        }
        (None, Some(dim)) => {
            let (schema, index) = quick_schema(&a, dim)?;
            let indexes = match &a.index_params {
                Some(p) => parse_index_params(p)?,
                None => vec![index],
            };
            (schema, Some(indexes))
        }
        (None, None) => {
            return Err(Error::new(
                ErrorKind::MissingField,
                "create_collection needs dimension (quick setup) or schema",
            ))
        }
    };
    if let Some(indexes) = &indexes {
        for ip in indexes {
            if !schema.fields.iter().any(|f| f.name == ip.field_name) {
                return Err(Error::invalid(format!(
                    "index_params: field {:?} is not in the schema",
                    ip.field_name
                )));
            }
        }
    }
    let num_partitions = a.num_partitions.unwrap_or(0);
    if num_partitions < 0 {
        return Err(Error::invalid(format!(
            "num_partitions must not be negative, not {num_partitions}"
        )));
    }
    let req = m::CreateCollectionRequest {
        consistency_level: consistency,
        shards_num: a.num_shards.unwrap_or(0),
        num_partitions,
        properties,
        ..Default::default()
    };
    c.create_collection(&schema, req, &opts).await?;
    if let Some(indexes) = indexes {
        create_indexes(c, &a.collection_name, &indexes, true, &opts).await?;
        if !indexes.is_empty() {
            c.load_collection(&a.collection_name, 0, &opts).await?;
        }
    }
    Ok(NULL.to_vec())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RenameArgs {
    old_name: String,
    new_name: String,
    target_db: Option<String>,
    timeout: Option<f64>,
}

/// Renames a collection (optionally moving it to `target_db`). Result: `null`.
pub async fn rename_collection(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: RenameArgs = parse_args(args)?;
    c.invalidate_schema(&a.old_name);
    let req = m::RenameCollectionRequest {
        old_name: a.old_name,
        new_name: a.new_name,
        new_db_name: a.target_db.unwrap_or_default(),
        ..Default::default()
    };
    c.rename_collection(req, &call_opts(a.timeout)?).await?;
    Ok(NULL.to_vec())
}

/// Removes every row, keeping the schema. Result: `null`.
pub async fn truncate_collection(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CollectionArgs = parse_args(args)?;
    let req = m::TruncateCollectionRequest {
        collection_name: a.collection_name,
        ..Default::default()
    };
    c.truncate_collection(req, &call_opts(a.timeout)?).await?;
    Ok(NULL.to_vec())
}

/// `{"row_count": n, ...}`: the server's statistics, row_count as a number.
pub async fn get_collection_stats(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CollectionArgs = parse_args(args)?;
    let req = m::GetCollectionStatisticsRequest {
        collection_name: a.collection_name,
        ..Default::default()
    };
    let r = c
        .get_collection_statistics(req, &call_opts(a.timeout)?)
        .await?;
    to_json(&stats_json(&r.stats))
}

/// Statistics key/values as pymilvus returns them (`row_count` parsed to an integer).
pub(crate) fn stats_json(stats: &[KeyValuePair]) -> Value {
    let map: Map<String, Value> = stats
        .iter()
        .map(|kv| {
            let v = match (kv.key.as_str(), kv.value.parse::<i64>()) {
                ("row_count", Ok(n)) => Value::from(n),
                _ => Value::from(kv.value.clone()),
            };
            (kv.key.clone(), v)
        })
        .collect();
    Value::Object(map)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoadStateArgs {
    collection_name: String,
    partition_name: Option<String>,
    timeout: Option<f64>,
}

/// `{"state": "Loaded"}` (NotExist, NotLoad, Loading, Loaded), plus `"progress"` while loading.
pub async fn get_load_state(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: LoadStateArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let partition_names: Vec<String> = a
        .partition_name
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
    let req = m::GetLoadStateRequest {
        collection_name: a.collection_name.clone(),
        partition_names: partition_names.clone(),
        ..Default::default()
    };
    let state = LoadState::try_from(c.get_load_state(req, &opts).await?.state)
        .unwrap_or(LoadState::NotExist);
    let name = match state {
        LoadState::NotExist => "NotExist",
        LoadState::NotLoad => "NotLoad",
        LoadState::Loading => "Loading",
        LoadState::Loaded => "Loaded",
    };
    let mut out = json!({ "state": name });
    if state == LoadState::Loading {
        let req = m::GetLoadingProgressRequest {
            collection_name: a.collection_name,
            partition_names,
            ..Default::default()
        };
        out["progress"] = json!(c.get_loading_progress(req, &opts).await?.progress);
    }
    to_json(&out)
}

/// Loads newly flushed data of a loaded collection and waits; takes load_collection's options,
/// as pymilvus does. Result: `null`.
pub async fn refresh_load(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: LoadArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let req = m::LoadCollectionRequest {
        refresh: true,
        ..load_request(a)
    };
    c.load_collection_with(req, &opts).await?;
    Ok(NULL.to_vec())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PropertiesArgs {
    collection_name: String,
    properties: Option<Map<String, Value>>,
    property_keys: Option<Vec<String>>,
    timeout: Option<f64>,
}

/// Sets collection properties (e.g. `{"collection.ttl.seconds": 60}`). Result: `null`.
pub async fn alter_collection_properties(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: PropertiesArgs = parse_args(args)?;
    let props = a
        .properties
        .filter(|p| !p.is_empty())
        .ok_or_else(|| Error::invalid("properties: give at least one"))?;
    if a.property_keys.is_some() {
        return Err(Error::invalid(
            "property_keys belongs to drop_collection_properties",
        ));
    }
    c.invalidate_schema(&a.collection_name);
    let req = m::AlterCollectionRequest {
        collection_name: a.collection_name,
        properties: kv_list(&props),
        ..Default::default()
    };
    c.alter_collection(req, &call_opts(a.timeout)?).await?;
    Ok(NULL.to_vec())
}

/// Removes collection properties by key. Result: `null`.
pub async fn drop_collection_properties(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: PropertiesArgs = parse_args(args)?;
    let keys = a
        .property_keys
        .filter(|k| !k.is_empty())
        .ok_or_else(|| Error::invalid("property_keys: give at least one"))?;
    if a.properties.is_some() {
        return Err(Error::invalid(
            "properties belongs to alter_collection_properties",
        ));
    }
    c.invalidate_schema(&a.collection_name);
    let req = m::AlterCollectionRequest {
        collection_name: a.collection_name,
        delete_keys: keys,
        ..Default::default()
    };
    c.alter_collection(req, &call_opts(a.timeout)?).await?;
    Ok(NULL.to_vec())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AlterFieldArgs {
    collection_name: String,
    field_name: String,
    field_params: Map<String, Value>,
    timeout: Option<f64>,
}

/// Changes a field's parameters (e.g. `{"max_length": 200}`, `{"mmap.enabled": true}`).
/// Result: `null`.
pub async fn alter_collection_field(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: AlterFieldArgs = parse_args(args)?;
    if a.field_params.is_empty() {
        return Err(Error::invalid("field_params: give at least one"));
    }
    c.invalidate_schema(&a.collection_name);
    let req = m::AlterCollectionFieldRequest {
        collection_name: a.collection_name,
        field_name: a.field_name,
        properties: kv_list(&a.field_params),
        ..Default::default()
    };
    c.alter_collection_field(req, &call_opts(a.timeout)?)
        .await?;
    Ok(NULL.to_vec())
}

/// `add_collection_field(collection_name, field_name, data_type, desc, **field kwargs)`: the
/// kwargs are those of a schema field (`nullable`, `default_value`, `max_length`, ...).
/// Result: `null`.
pub async fn add_collection_field(c: &Client, args: &str) -> Result<Vec<u8>> {
    let mut a: Map<String, Value> = parse_args(args)?;
    let take_str = |a: &mut Map<String, Value>, k: &str| -> Result<String> {
        match a.remove(k) {
            Some(Value::String(s)) => Ok(s),
            Some(other) => Err(Error::invalid(format!("{k} must be a string, not {other}"))),
            None => Err(Error::invalid(format!("missing field `{k}`"))),
        }
    };
    let collection = take_str(&mut a, "collection_name")?;
    let timeout = match a.remove("timeout") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_f64()
                .ok_or_else(|| Error::invalid("timeout must be a number"))?,
        ),
    };
    let mut field = Map::new();
    field.insert(
        "name".into(),
        Value::String(take_str(&mut a, "field_name")?),
    );
    field.insert(
        "type".into(),
        a.remove("data_type")
            .ok_or_else(|| Error::invalid("missing field `data_type`"))?,
    );
    if let Some(d) = a.remove("desc") {
        field.insert("description".into(), d);
    }
    field.extend(a);
    let schema = schema::added_field_from_dict(&Value::Object(field))?;
    c.invalidate_schema(&collection);
    let req = m::AddCollectionFieldRequest {
        collection_name: collection,
        schema: schema.encode_to_vec(),
        ..Default::default()
    };
    c.add_collection_field(req, &call_opts(timeout)?).await?;
    Ok(NULL.to_vec())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DropFieldArgs {
    collection_name: String,
    field_name: Option<String>,
    field_id: Option<i64>,
    timeout: Option<f64>,
}

/// Drops a field (by name or id) from a collection. Result: `null`.
pub async fn drop_collection_field(c: &Client, args: &str) -> Result<Vec<u8>> {
    use m::alter_collection_schema_request::{action::Op, drop_request::Identifier, DropRequest};
    let a: DropFieldArgs = parse_args(args)?;
    let identifier = match (
        a.field_name.filter(|n| !n.is_empty()),
        a.field_id.filter(|i| *i > 0),
    ) {
        (Some(n), None) => Identifier::FieldName(n),
        (None, Some(i)) => Identifier::FieldId(i),
        _ => {
            return Err(Error::invalid(
                "give exactly one of field_name and field_id",
            ))
        }
    };
    let op = Op::DropRequest(DropRequest {
        identifier: Some(identifier),
        ..Default::default()
    });
    super::schema_changes::alter_schema(c, a.collection_name, op, a.timeout).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FunctionArgs {
    collection_name: String,
    function: Option<Value>,
    function_name: Option<String>,
    timeout: Option<f64>,
}

fn function_arg(a: &FunctionArgs) -> Result<crate::proto::schema::FunctionSchema> {
    schema::function_from_dict(
        a.function
            .as_ref()
            .ok_or_else(|| Error::invalid("missing field `function`"))?,
    )
}

fn function_name_arg(a: &FunctionArgs) -> Result<String> {
    a.function_name
        .clone()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| Error::invalid("missing field `function_name`"))
}

/// Adds a schema function (as create_collection's `functions` entries). Result: `null`.
pub async fn add_collection_function(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: FunctionArgs = parse_args(args)?;
    let f = function_arg(&a)?;
    c.invalidate_schema(&a.collection_name);
    let req = m::AddCollectionFunctionRequest {
        collection_name: a.collection_name,
        function_schema: Some(f),
        ..Default::default()
    };
    c.add_collection_function(req, &call_opts(a.timeout)?)
        .await?;
    Ok(NULL.to_vec())
}

/// Replaces the schema function named `function_name`. Result: `null`.
pub async fn alter_collection_function(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: FunctionArgs = parse_args(args)?;
    let (f, name) = (function_arg(&a)?, function_name_arg(&a)?);
    c.invalidate_schema(&a.collection_name);
    let req = m::AlterCollectionFunctionRequest {
        collection_name: a.collection_name,
        function_name: name,
        function_schema: Some(f),
        ..Default::default()
    };
    c.alter_collection_function(req, &call_opts(a.timeout)?)
        .await?;
    Ok(NULL.to_vec())
}

/// Drops the schema function named `function_name`. Result: `null`.
pub async fn drop_collection_function(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: FunctionArgs = parse_args(args)?;
    let name = function_name_arg(&a)?;
    if a.function.is_some() {
        return Err(Error::invalid(
            "drop_collection_function takes function_name, not function",
        ));
    }
    c.invalidate_schema(&a.collection_name);
    let req = m::DropCollectionFunctionRequest {
        collection_name: a.collection_name,
        function_name: name,
        ..Default::default()
    };
    c.drop_collection_function(req, &call_opts(a.timeout)?)
        .await?;
    Ok(NULL.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_options_under_both_names() {
        for args in [
            r#"{"collection_name": "c", "replica_number": 2, "refresh": true,
                "resource_groups": ["rg"], "load_fields": ["id"],
                "skip_load_dynamic_field": true, "priority": "high"}"#,
            r#"{"collection_name": "c", "replica_number": 2, "_refresh": true,
                "_resource_groups": ["rg"], "_load_fields": ["id"],
                "_skip_load_dynamic_field": true, "priority": "high"}"#,
        ] {
            let r = load_request(parse_args(args).unwrap());
            assert_eq!(r.collection_name, "c");
            assert_eq!(r.replica_number, 2);
            assert!(r.refresh && r.skip_load_dynamic_field);
            assert_eq!(
                (r.resource_groups, r.load_fields),
                (vec!["rg".into()], vec!["id".into()])
            );
            assert_eq!(
                r.load_params.get("load_priority").map(String::as_str),
                Some("high")
            );
        }
        let r = load_request(parse_args(r#"{"collection_name": "c"}"#).unwrap());
        assert!(!r.refresh && r.load_params.is_empty() && r.load_fields.is_empty());
    }

    #[test]
    fn quick_setup_takes_pymilvus_schema_kwargs() {
        let a: CreateCollectionArgs = parse_args(
            r#"{"collection_name": "q", "dimension": 4, "shards_num": 3,
                "description": "d", "enable_namespace": true}"#,
        )
        .unwrap();
        assert_eq!(a.num_shards, Some(3));
        let (s, _) = quick_schema(&a, 4).unwrap();
        assert_eq!(s.description, "d");
        assert!(s.enable_namespace);
        // pymilvus refuses both names at once.
        assert!(parse_args::<CreateCollectionArgs>(
            r#"{"collection_name": "q", "dimension": 4, "shards_num": 3, "num_shards": 3}"#
        )
        .is_err());
    }
}
