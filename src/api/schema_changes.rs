//! Schema evolution of pymilvus 3: add_function_field, drop_function_field (both one
//! AlterCollectionSchema request) and add_collection_struct_field.

use super::index::{parse_index_params, IndexParam};
use super::{call_opts, parse_args, NULL};
use crate::client::Client;
use crate::codec::schema;
use crate::error::{Error, Result};
use crate::proto::common::KeyValuePair;
use crate::proto::milvus as m;
use crate::proto::schema::{DataType, FieldSchema, FunctionType, StructArrayFieldSchema};
use m::alter_collection_schema_request::{
    action::Op, drop_request::Identifier, Action, AddRequest, DropRequest, FieldInfo,
};
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DropFunctionFieldArgs {
    collection_name: String,
    function_name: String,
    timeout: Option<f64>,
}

/// pymilvus's `drop_function_field`: drops a function and the field it fills. Result: `null`.
pub async fn drop_function_field(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: DropFunctionFieldArgs = parse_args(args)?;
    if a.function_name.is_empty() {
        return Err(Error::invalid(
            "Must specify exactly one valid Drop identifier \
             (drop_field_name/drop_field_id/drop_function_name)",
        ));
    }
    let op = Op::DropRequest(DropRequest {
        identifier: Some(Identifier::FunctionName(a.function_name)),
        drop_function_output_fields: true,
    });
    alter_schema(c, a.collection_name, op, a.timeout).await
}

/// One AlterCollectionSchema request carrying `op` (the cached schema is dropped first).
/// Result: `null`.
pub(super) async fn alter_schema(
    c: &Client,
    collection_name: String,
    op: Op,
    timeout: Option<f64>,
) -> Result<Vec<u8>> {
    let opts = call_opts(timeout)?;
    c.invalidate_schema(&collection_name);
    let req = m::AlterCollectionSchemaRequest {
        collection_name,
        action: Some(Action { op: Some(op) }),
        ..Default::default()
    };
    c.alter_collection_schema(req, &opts).await?;
    Ok(NULL.to_vec())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddFunctionFieldArgs {
    collection_name: String,
    field_schema: Value,
    func: Value,
    index_params: Value,
    timeout: Option<f64>,
}

/// The one index bound to a function's output field, as pymilvus checks it.
fn bound_index(output: &str, index_params: &Value) -> Result<IndexParam> {
    let mut list = parse_index_params(index_params)?;
    if list.len() != 1 {
        return Err(Error::invalid(
            "index_params must contain exactly one index for the function output field",
        ));
    }
    let ip = list.remove(0);
    if !ip.field_name.is_empty() && ip.field_name != output {
        return Err(Error::invalid(format!(
            "index_params field_name {:?} does not match the function output field {output:?}",
            ip.field_name
        )));
    }
    if ip.index_type.as_deref().unwrap_or("").is_empty() {
        return Err(Error::invalid(
            "an explicit index_type is required for the bound index of the function output field",
        ));
    }
    Ok(ip)
}

/// pymilvus's `add_function_field`: adds a BM25 (sparse vector) or MinHash (binary vector)
/// output field, its function and its index in one schema change. `field_schema` is a field
/// dict (as in a schema's `fields`), `func` a function dict (as in a schema's `functions`),
/// `index_params` one index (as create_index's). Result: `null`.
pub async fn add_function_field(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: AddFunctionFieldArgs = parse_args(args)?;
    let field =
        schema::added_field_from_dict(&a.field_schema).map_err(|e| e.context("field_schema"))?;
    let func = schema::function_from_dict(&a.func).map_err(|e| e.context("func"))?;
    let expected = match FunctionType::try_from(func.r#type) {
        Ok(FunctionType::Bm25) => DataType::SparseFloatVector,
        Ok(FunctionType::MinHash) => DataType::BinaryVector,
        _ => {
            return Err(Error::invalid(format!(
                "add_function_field only supports FunctionType.BM25 with SPARSE_FLOAT_VECTOR or \
                 FunctionType.MINHASH with BINARY_VECTOR for now, got {}",
                FunctionType::try_from(func.r#type)
                    .map(|t| t.as_str_name().to_string())
                    .unwrap_or_else(|_| func.r#type.to_string())
            )))
        }
    };
    if field.data_type != expected as i32 {
        return Err(Error::invalid(format!(
            "add_function_field requires {} output field for {}, got {}",
            schema::type_name(expected as i32),
            FunctionType::try_from(func.r#type)
                .map(|t| t.as_str_name())
                .unwrap_or("?"),
            schema::type_name(field.data_type)
        )));
    }
    let ip = bound_index(&field.name, &a.index_params)?;
    let op = Op::AddRequest(AddRequest {
        field_infos: vec![FieldInfo {
            field_schema: Some(field),
            index_name: ip.index_name.clone().unwrap_or_default(),
            extra_params: ip.extra_params(),
        }],
        func_schema: vec![func],
        ..Default::default()
    });
    alter_schema(c, a.collection_name, op, a.timeout).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddStructFieldArgs {
    collection_name: String,
    field_name: String,
    struct_schema: Map<String, Value>,
    max_capacity: i64,
    desc: Option<String>,
    nullable: Option<bool>,
    mmap_enabled: Option<Value>,
    warmup: Option<Value>,
    timeout: Option<f64>,
}

const STRUCT_KEYS: &[&str] = &[
    "name",
    "description",
    "fields",
    "nullable",
    "max_capacity",
    "params",
];

/// The struct's own params as pymilvus writes them: strings as they are, anything else as JSON.
fn struct_param(k: &str, v: &Value) -> KeyValuePair {
    KeyValuePair {
        key: if k == "mmap_enabled" {
            "mmap.enabled"
        } else {
            k
        }
        .to_string(),
        value: match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        },
    }
}

/// One member of the struct: an array (of its type) of at most max_capacity elements.
fn struct_member(struct_name: &str, v: &Value, max_capacity: i64) -> Result<FieldSchema> {
    let o = v
        .as_object()
        .ok_or_else(|| Error::invalid("struct_schema: each field must be an object"))?;
    let name = o.get("name").and_then(Value::as_str).unwrap_or("");
    let refuse = |what: &str| {
        Error::invalid(format!(
            "Field '{name}' in struct '{struct_name}' cannot {what}"
        ))
    };
    let flag = |k: &str| o.get(k).and_then(Value::as_bool).unwrap_or(false);
    if flag("is_primary") {
        return Err(refuse("be primary key"));
    }
    if flag("is_partition_key") {
        return Err(refuse("be partition key"));
    }
    if flag("is_clustering_key") {
        return Err(refuse("be clustering key"));
    }
    if flag("is_dynamic") {
        return Err(refuse("be dynamic field"));
    }
    if flag("nullable") {
        return Err(refuse(
            "be nullable individually, set nullable on the struct instead",
        ));
    }
    if flag("auto_id") {
        return Err(refuse("have auto_id"));
    }
    if o.get("default_value").is_some_and(|d| !d.is_null()) {
        return Err(refuse("have default value"));
    }
    let mut f = schema::struct_member_from_dict(v)?;
    let dtype = DataType::try_from(f.data_type).unwrap_or(DataType::None);
    if matches!(
        dtype,
        DataType::Array | DataType::ArrayOfVector | DataType::ArrayOfStruct | DataType::Struct
    ) {
        return Err(Error::invalid(
            "Struct field schema does not support Array, ArrayOfVector or Struct",
        ));
    }
    f.element_type = f.data_type;
    f.data_type = if schema::is_vector(dtype) {
        DataType::ArrayOfVector as i32
    } else {
        DataType::Array as i32
    };
    f.nullable = true;
    f.type_params.retain(|p| p.key != "max_capacity");
    f.type_params.push(KeyValuePair {
        key: "max_capacity".into(),
        value: max_capacity.to_string(),
    });
    Ok(f)
}

/// pymilvus's `add_collection_struct_field`: adds a nullable struct field (an array of
/// structs of at most `max_capacity` elements) named `field_name`. `struct_schema` is the
/// struct as pymilvus's `StructFieldSchema.to_dict()` writes it: `{"fields": [field dicts],
/// "description", "params"}` (its name, capacity and nullability come from the arguments).
/// Optional `desc`, `nullable` (only true), `mmap_enabled`, `warmup`. Result: `null`.
pub async fn add_collection_struct_field(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: AddStructFieldArgs = parse_args(args)?;
    if a.nullable == Some(false) {
        return Err(Error::invalid(
            "Adding struct field to existing collection requires nullable=True",
        ));
    }
    let s = &a.struct_schema;
    if let Some(k) = s.keys().find(|k| !STRUCT_KEYS.contains(&k.as_str())) {
        return Err(Error::invalid(format!("struct_schema: unknown key {k:?}")));
    }
    let fields = match s.get("fields") {
        Some(Value::Array(l)) if !l.is_empty() => l,
        _ => return Err(Error::invalid("Struct field must have at least one field")),
    };
    let members = fields
        .iter()
        .map(|f| struct_member(&a.field_name, f, a.max_capacity))
        .collect::<Result<Vec<_>>>()?;
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = members.iter().find(|f| !seen.insert(f.name.as_str())) {
        return Err(Error::invalid(format!(
            "Duplicate field names in struct '{}': {{'{}'}}",
            a.field_name, dup.name
        )));
    }
    let mut params: Vec<(String, Value)> = match s.get("params") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(p)) => p
            .iter()
            .filter(|(k, _)| k.as_str() != "max_capacity")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        Some(_) => return Err(Error::invalid("struct_schema: params must be an object")),
    };
    for (k, v) in [("mmap_enabled", &a.mmap_enabled), ("warmup", &a.warmup)] {
        if let Some(v) = v {
            params.retain(|(pk, _)| pk != k);
            params.push((k.to_string(), v.clone()));
        }
    }
    let description = match (&a.desc, s.get("description")) {
        (Some(d), _) => d.clone(),
        (None, Some(Value::String(d))) => d.clone(),
        _ => String::new(),
    };
    let req = m::AddCollectionStructFieldRequest {
        collection_name: a.collection_name.clone(),
        struct_array_field_schema: Some(StructArrayFieldSchema {
            name: a.field_name,
            description,
            fields: members,
            type_params: params.iter().map(|(k, v)| struct_param(k, v)).collect(),
            nullable: true,
            ..Default::default()
        }),
        ..Default::default()
    };
    c.invalidate_schema(&a.collection_name);
    c.add_collection_struct_field(req, &call_opts(a.timeout)?)
        .await?;
    Ok(NULL.to_vec())
}
