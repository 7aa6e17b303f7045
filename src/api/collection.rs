//! Collection management methods.

use super::{call_opts, parse_args, to_json, NULL};
use crate::client::Client;
use crate::codec::schema::{self, param_string};
use crate::error::{Error, ErrorKind, Result};
use crate::proto::common::KeyValuePair;
use crate::proto::schema::{CollectionSchema, DataType, FieldSchema};
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoArgs {
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CollectionArgs {
    collection_name: String,
    timeout: Option<f64>,
}

pub async fn get_server_version(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: NoArgs = parse_args(args)?;
    to_json(&c.get_server_version(&call_opts(a.timeout)?).await?)
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoadArgs {
    collection_name: String,
    replica_number: Option<i32>,
    timeout: Option<f64>,
}

pub async fn load_collection(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: LoadArgs = parse_args(args)?;
    c.load_collection(
        &a.collection_name,
        a.replica_number.unwrap_or(0),
        &call_opts(a.timeout)?,
    )
    .await?;
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
    num_shards: Option<i32>,
    max_length: Option<i64>,
    properties: Option<Map<String, Value>>,
}

/// One entry of `index_params`: `{field_name, index_type, index_name, metric_type, params}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexParam {
    field_name: String,
    index_type: Option<String>,
    index_name: Option<String>,
    metric_type: Option<String>,
    params: Option<Map<String, Value>>,
}

impl IndexParam {
    /// The flat key/value list CreateIndex takes: every param plus index_type and metric_type.
    fn extra_params(&self) -> Vec<KeyValuePair> {
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
                    inner.iter().for_each(|(k, v)| push(k, param_string(v)))
                }
                _ => push(k, param_string(v)),
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

fn parse_index_params(v: &Value) -> Result<Vec<IndexParam>> {
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
    let properties = a
        .properties
        .iter()
        .flatten()
        .map(|(k, v)| KeyValuePair {
            key: k.clone(),
            value: param_string(v),
        })
        .collect::<Vec<_>>();
    let (schema, indexes) = match (&a.schema, a.dimension) {
        (Some(_), Some(_)) => {
            return Err(Error::invalid(
                "give either dimension (quick setup) or schema, not both",
            ))
        }
        (Some(s), None) => {
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
    c.create_collection(
        &schema,
        consistency,
        a.num_shards.unwrap_or(0),
        properties,
        &opts,
    )
    .await?;
    if let Some(indexes) = indexes {
        for ip in &indexes {
            let name = ip.index_name.clone().unwrap_or_default();
            c.create_index(
                &a.collection_name,
                &ip.field_name,
                &name,
                ip.extra_params(),
                &opts,
            )
            .await?;
        }
        if !indexes.is_empty() {
            c.load_collection(&a.collection_name, 0, &opts).await?;
        }
    }
    Ok(NULL.to_vec())
}
