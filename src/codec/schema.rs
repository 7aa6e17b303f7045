//! Collection schemas: the pymilvus dict form ⇄ protobuf, and the per-collection facts that
//! rows, expressions and results are built from.

use crate::error::{Error, ErrorKind, Result};
use crate::proto::common::KeyValuePair;
use crate::proto::milvus::DescribeCollectionResponse;
use crate::proto::schema::{
    value_field, CollectionSchema, DataType, FieldSchema, FunctionSchema, FunctionType, ValueField,
};
use serde_json::{json, Map, Value};

/// pymilvus `DataType` names (as `DataType.X.name` spells them) and their wire numbers.
const TYPE_NAMES: &[(&str, DataType)] = &[
    ("NONE", DataType::None),
    ("BOOL", DataType::Bool),
    ("INT8", DataType::Int8),
    ("INT16", DataType::Int16),
    ("INT32", DataType::Int32),
    ("INT64", DataType::Int64),
    ("FLOAT", DataType::Float),
    ("DOUBLE", DataType::Double),
    ("STRING", DataType::String),
    ("VARCHAR", DataType::VarChar),
    ("ARRAY", DataType::Array),
    ("JSON", DataType::Json),
    ("GEOMETRY", DataType::Geometry),
    ("TEXT", DataType::Text),
    ("TIMESTAMPTZ", DataType::Timestamptz),
    ("BINARY_VECTOR", DataType::BinaryVector),
    ("FLOAT_VECTOR", DataType::FloatVector),
    ("FLOAT16_VECTOR", DataType::Float16Vector),
    ("BFLOAT16_VECTOR", DataType::BFloat16Vector),
    ("SPARSE_FLOAT_VECTOR", DataType::SparseFloatVector),
    ("INT8_VECTOR", DataType::Int8Vector),
];

pub fn type_name(t: i32) -> String {
    TYPE_NAMES
        .iter()
        .find(|(_, d)| *d as i32 == t)
        .map(|(n, _)| n.to_string())
        .unwrap_or_else(|| format!("UNKNOWN({t})"))
}

/// Accepts `"FLOAT_VECTOR"`, `"FloatVector"`, `"DataType.FLOAT_VECTOR"` or `101`.
pub fn parse_type(v: &Value) -> Result<DataType> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .and_then(|i| i32::try_from(i).ok())
            .and_then(|i| DataType::try_from(i).ok())
            .filter(|d| *d != DataType::None)
            .ok_or_else(|| Error::invalid(format!("unknown data type {n}"))),
        Value::String(s) => {
            let s = s.strip_prefix("DataType.").unwrap_or(s);
            let folded: String = s
                .chars()
                .filter(|c| *c != '_')
                .collect::<String>()
                .to_ascii_uppercase();
            TYPE_NAMES
                .iter()
                .find(|(n, _)| n.replace('_', "") == folded)
                .map(|(_, d)| *d)
                .filter(|d| *d != DataType::None)
                .ok_or_else(|| Error::invalid(format!("unknown data type {s:?}")))
        }
        other => Err(Error::invalid(format!(
            "a data type must be a name or a number, not {other}"
        ))),
    }
}

pub fn is_vector(t: DataType) -> bool {
    matches!(
        t,
        DataType::FloatVector
            | DataType::BinaryVector
            | DataType::Float16Vector
            | DataType::BFloat16Vector
            | DataType::SparseFloatVector
            | DataType::Int8Vector
    )
}

/// What rows, expressions and results need to know about one field.
#[derive(Debug, Clone)]
pub struct FieldInfo {
    pub name: String,
    pub data_type: DataType,
    pub element_type: DataType,
    pub dim: usize,
    pub is_primary: bool,
    pub auto_id: bool,
    pub nullable: bool,
    /// The default value in its JSON form, written for rows that omit the field or give null.
    pub default: Option<Value>,
    pub is_dynamic: bool,
    pub is_function_output: bool,
}

/// A described collection, cached by the client.
#[derive(Debug, Clone)]
pub struct CollectionInfo {
    pub name: String,
    pub fields: Vec<FieldInfo>,
    pub enable_dynamic_field: bool,
    pub update_timestamp: u64,
    pub raw: DescribeCollectionResponse,
}

impl CollectionInfo {
    pub fn from_describe(raw: DescribeCollectionResponse) -> Result<Self> {
        let schema = raw.schema.clone().unwrap_or_default();
        let function_outputs: Vec<&String> = schema
            .functions
            .iter()
            .flat_map(|f| f.output_field_names.iter())
            .collect();
        let fields = schema
            .fields
            .iter()
            .map(|f| FieldInfo {
                name: f.name.clone(),
                data_type: DataType::try_from(f.data_type).unwrap_or(DataType::None),
                element_type: DataType::try_from(f.element_type).unwrap_or(DataType::None),
                dim: kv(&f.type_params, "dim")
                    .and_then(|d| d.parse().ok())
                    .unwrap_or(0),
                is_primary: f.is_primary_key,
                auto_id: f.auto_id,
                nullable: f.nullable,
                default: f
                    .default_value
                    .as_ref()
                    .filter(|d| d.data.is_some())
                    .map(default_to_json),
                is_dynamic: f.is_dynamic,
                is_function_output: f.is_function_output || function_outputs.contains(&&f.name),
            })
            .collect::<Vec<_>>();
        if !fields.iter().any(|f| f.is_primary) {
            return Err(Error::new(
                ErrorKind::Internal,
                format!("collection {:?} has no primary key", schema.name),
            ));
        }
        Ok(CollectionInfo {
            name: schema.name.clone(),
            fields,
            enable_dynamic_field: schema.enable_dynamic_field,
            update_timestamp: raw.update_timestamp,
            raw,
        })
    }

    pub fn primary(&self) -> &FieldInfo {
        self.fields
            .iter()
            .find(|f| f.is_primary)
            .expect("checked in from_describe")
    }

    pub fn field(&self, name: &str) -> Option<&FieldInfo> {
        self.fields.iter().find(|f| f.name == name)
    }
}

fn kv<'a>(pairs: &'a [KeyValuePair], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|p| p.key == key)
        .map(|p| p.value.as_str())
}

/// A type param value as pymilvus writes a new collection's fields (as JSON): strings as-is,
/// the rest as JSON.
pub fn param_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A property or parameter value as pymilvus writes it with `str(v)`: collection, database,
/// field and index properties, index and function parameters, an added field's type params.
/// Strings as-is, booleans `True`/`False`, numbers in their JSON spelling, lists and objects
/// as JSON (where Python would write its own repr of a list).
pub fn py_param_string(v: &Value) -> String {
    match v {
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        other => param_string(other),
    }
}

const FIELD_KEYS: &[&str] = &[
    "name",
    "description",
    "type",
    "params",
    "is_primary",
    "auto_id",
    "element_type",
    "nullable",
    "default_value",
    "is_partition_key",
    "is_clustering_key",
    "is_function_output",
    "is_dynamic",
    "field_id",
    "dim",
    "max_length",
    "max_capacity",
    "mmap_enabled",
    "warmup",
    "enable_analyzer",
    "enable_match",
    "analyzer_params",
    "multi_analyzer_params",
];

/// Builds a field from pymilvus's field dict (`FieldSchema.to_dict()`, or `add_field` kwargs).
pub fn field_from_dict(v: &Value) -> Result<FieldSchema> {
    field_spelled(v, param_string)
}

/// A field for add_collection_field: pymilvus writes its type params with `str(v)`, not as
/// JSON as in a new collection's schema (`"enable_analyzer": "True"`).
pub fn added_field_from_dict(v: &Value) -> Result<FieldSchema> {
    field_spelled(v, py_param_string)
}

/// A member of a struct field (add_collection_struct_field): pymilvus writes its type params
/// as JSON text (`json.dumps`), strings quoted.
pub fn struct_member_from_dict(v: &Value) -> Result<FieldSchema> {
    field_spelled(v, |v| v.to_string())
}

fn field_spelled(v: &Value, spell: fn(&Value) -> String) -> Result<FieldSchema> {
    let obj = v
        .as_object()
        .ok_or_else(|| Error::invalid("a field must be an object"))?;
    let name = obj
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| Error::invalid("a field needs a non-empty \"name\""))?;
    let ctx = |e: Error| e.context(format!("field {name:?}"));
    if let Some(k) = obj.keys().find(|k| !FIELD_KEYS.contains(&k.as_str())) {
        return Err(ctx(Error::invalid(format!("unknown key {k:?}"))));
    }
    let data_type = parse_type(
        obj.get("type")
            .ok_or_else(|| ctx(Error::invalid("missing \"type\"")))?,
    )
    .map_err(ctx)?;
    let flag = |k: &str| -> Result<bool> {
        match obj.get(k) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(ctx(Error::invalid(format!(
                "{k:?} must be true or false, not {other}"
            )))),
        }
    };
    let mut params: Map<String, Value> = match obj.get("params") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(ctx(Error::invalid("\"params\" must be an object"))),
    };
    for k in [
        "dim",
        "max_length",
        "max_capacity",
        "enable_analyzer",
        "enable_match",
        "analyzer_params",
        "multi_analyzer_params",
    ] {
        if let Some(v) = obj.get(k) {
            params.insert(k.to_string(), v.clone());
        }
    }
    if let Some(v) = obj.get("mmap_enabled") {
        params.insert("mmap.enabled".to_string(), v.clone());
    }
    if let Some(v) = obj.get("warmup") {
        params.insert("warmup".to_string(), v.clone());
    }
    if let Some(v) = params.remove("mmap_enabled") {
        params.insert("mmap.enabled".to_string(), v);
    }
    let element_type = match obj.get("element_type") {
        None | Some(Value::Null) => DataType::None,
        Some(t) => parse_type(t).map_err(ctx)?,
    };
    let positive = |k: &str| -> Result<()> {
        match params.get(k) {
            Some(v) if param_string(v).parse::<u64>().is_ok_and(|n| n > 0) => Ok(()),
            Some(v) => Err(ctx(Error::invalid(format!(
                "{k:?} must be a positive integer, not {v}"
            )))),
            None => Err(ctx(Error::invalid(format!(
                "a {} field needs \"{k}\"",
                type_name(data_type as i32)
            )))),
        }
    };
    match data_type {
        DataType::FloatVector
        | DataType::BinaryVector
        | DataType::Float16Vector
        | DataType::BFloat16Vector
        | DataType::Int8Vector => positive("dim")?,
        DataType::VarChar => positive("max_length")?,
        DataType::Array => {
            positive("max_capacity")?;
            if element_type == DataType::None {
                return Err(ctx(Error::invalid("an ARRAY field needs \"element_type\"")));
            }
            if element_type == DataType::VarChar {
                positive("max_length")?;
            }
        }
        _ => {}
    }
    let nullable = flag("nullable")?;
    let default_value = match obj.get("default_value") {
        None | Some(Value::Null) => None,
        Some(v) => Some(default_value(data_type, v).map_err(ctx)?),
    };
    let is_primary = flag("is_primary")?;
    if is_primary && !matches!(data_type, DataType::Int64 | DataType::VarChar) {
        return Err(ctx(Error::invalid(
            "a primary key must be INT64 or VARCHAR",
        )));
    }
    Ok(FieldSchema {
        name: name.to_string(),
        description: obj
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        data_type: data_type as i32,
        is_primary_key: is_primary,
        auto_id: flag("auto_id")?,
        type_params: params
            .iter()
            .map(|(k, v)| KeyValuePair {
                key: k.clone(),
                value: spell(v),
            })
            .collect(),
        element_type: element_type as i32,
        nullable,
        default_value,
        is_partition_key: flag("is_partition_key")?,
        is_clustering_key: flag("is_clustering_key")?,
        is_function_output: flag("is_function_output")?,
        ..Default::default()
    })
}

fn default_value(t: DataType, v: &Value) -> Result<ValueField> {
    use value_field::Data;
    let wrong = || {
        Error::invalid(format!(
            "default_value {v} does not fit type {}",
            type_name(t as i32)
        ))
    };
    let data = match t {
        DataType::Bool => Data::BoolData(v.as_bool().ok_or_else(wrong)?),
        DataType::Int8 | DataType::Int16 | DataType::Int32 => Data::IntData(
            v.as_i64()
                .and_then(|i| i32::try_from(i).ok())
                .ok_or_else(wrong)?,
        ),
        DataType::Int64 => Data::LongData(v.as_i64().ok_or_else(wrong)?),
        DataType::Float => Data::FloatData(v.as_f64().ok_or_else(wrong)? as f32),
        DataType::Double => Data::DoubleData(v.as_f64().ok_or_else(wrong)?),
        DataType::VarChar
        | DataType::String
        | DataType::Text
        | DataType::Geometry
        | DataType::Timestamptz => Data::StringData(v.as_str().ok_or_else(wrong)?.to_string()),
        DataType::Json => Data::BytesData(match v {
            Value::String(s) => s.clone().into_bytes(),
            other => other.to_string().into_bytes(),
        }),
        _ => {
            return Err(Error::invalid(format!(
                "a {} field cannot have a default_value",
                type_name(t as i32)
            )))
        }
    };
    Ok(ValueField { data: Some(data) })
}

const FUNCTION_TYPES: &[(&str, FunctionType)] = &[
    ("BM25", FunctionType::Bm25),
    ("TEXTEMBEDDING", FunctionType::TextEmbedding),
    ("RERANK", FunctionType::Rerank),
    ("MINHASH", FunctionType::MinHash),
    ("MOLFINGERPRINT", FunctionType::MolFingerprint),
];

fn function_type_name(t: i32) -> String {
    match FunctionType::try_from(t) {
        Ok(FunctionType::Bm25) => "BM25".into(),
        Ok(FunctionType::TextEmbedding) => "TEXTEMBEDDING".into(),
        Ok(FunctionType::Rerank) => "RERANK".into(),
        Ok(FunctionType::MinHash) => "MINHASH".into(),
        Ok(FunctionType::MolFingerprint) => "MOLFINGERPRINT".into(),
        _ => format!("UNKNOWN({t})"),
    }
}

fn string_list(obj: &Map<String, Value>, key: &str) -> Result<Vec<String>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| Error::invalid(format!("{key}: {v} is not a name")))
            })
            .collect(),
        Some(other) => Err(Error::invalid(format!(
            "{key} must be a list of names, not {other}"
        ))),
    }
}

/// A schema function from pymilvus's `Function.to_dict()` form (`type` as "BM25" or 1).
pub fn function_from_dict(v: &Value) -> Result<FunctionSchema> {
    let obj = v
        .as_object()
        .ok_or_else(|| Error::invalid("a function must be an object"))?;
    let name = obj
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| Error::invalid("a function needs a \"name\""))?;
    let ctx = |e: Error| e.context(format!("function {name:?}"));
    const KEYS: &[&str] = &[
        "name",
        "description",
        "type",
        "input_field_names",
        "output_field_names",
        "params",
    ];
    if let Some(k) = obj.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(ctx(Error::invalid(format!("unknown key {k:?}"))));
    }
    let kind = match obj.get("type") {
        Some(Value::Number(n)) => n
            .as_i64()
            .and_then(|i| i32::try_from(i).ok())
            .and_then(|i| FunctionType::try_from(i).ok()),
        Some(Value::String(s)) => {
            let folded = s
                .strip_prefix("FunctionType.")
                .unwrap_or(s)
                .replace('_', "")
                .to_ascii_uppercase();
            FUNCTION_TYPES
                .iter()
                .find(|(n, _)| *n == folded)
                .map(|(_, t)| *t)
        }
        _ => None,
    }
    .filter(|t| *t != FunctionType::Unknown)
    .ok_or_else(|| {
        ctx(Error::invalid(format!(
            "unknown function type {}",
            obj.get("type").cloned().unwrap_or(Value::Null)
        )))
    })?;
    let params = match obj.get("params") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| KeyValuePair {
                key: k.clone(),
                value: py_param_string(v),
            })
            .collect(),
        Some(_) => return Err(ctx(Error::invalid("params must be an object"))),
    };
    Ok(FunctionSchema {
        name: name.to_string(),
        description: obj
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        r#type: kind as i32,
        input_field_names: string_list(obj, "input_field_names").map_err(ctx)?,
        output_field_names: string_list(obj, "output_field_names").map_err(ctx)?,
        params,
        ..Default::default()
    })
}

fn function_to_dict(f: &FunctionSchema) -> Value {
    let params: Map<String, Value> = f
        .params
        .iter()
        .map(|p| (p.key.clone(), param_value(&p.key, &p.value)))
        .collect();
    json!({
        "name": f.name,
        "description": f.description,
        "type": function_type_name(f.r#type),
        "input_field_names": f.input_field_names,
        "output_field_names": f.output_field_names,
        "params": params,
    })
}

const SCHEMA_KEYS: &[&str] = &[
    "fields",
    "auto_id",
    "description",
    "enable_dynamic_field",
    "functions",
    "enable_namespace",
    "primary_field",
    "collection_name",
];

/// Builds the wire schema from pymilvus's `CollectionSchema.to_dict()` form.
pub fn schema_from_dict(collection_name: &str, v: &Value) -> Result<CollectionSchema> {
    let obj = v
        .as_object()
        .ok_or_else(|| Error::invalid("schema must be an object"))?;
    if let Some(k) = obj.keys().find(|k| !SCHEMA_KEYS.contains(&k.as_str())) {
        return Err(Error::invalid(format!("schema: unknown key {k:?}")));
    }
    let list = obj
        .get("fields")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| Error::invalid("schema needs a non-empty \"fields\" list"))?;
    let mut fields = list
        .iter()
        .map(field_from_dict)
        .collect::<Result<Vec<_>>>()?;
    let primary_name = obj.get("primary_field").and_then(Value::as_str);
    if let Some(p) = primary_name {
        match fields.iter_mut().find(|f| f.name == p) {
            Some(f) => f.is_primary_key = true,
            None => {
                return Err(Error::invalid(format!(
                    "schema: primary_field {p:?} is not a field"
                )))
            }
        }
    }
    let mut names = std::collections::HashSet::new();
    for f in &fields {
        if !names.insert(f.name.as_str()) {
            return Err(Error::invalid(format!(
                "schema: field {:?} appears twice",
                f.name
            )));
        }
    }
    let primaries: Vec<&str> = fields
        .iter()
        .filter(|f| f.is_primary_key)
        .map(|f| f.name.as_str())
        .collect();
    match primaries.len() {
        0 => {
            return Err(Error::new(
                ErrorKind::MissingField,
                "schema: no field has \"is_primary\": true",
            ))
        }
        1 => {}
        _ => {
            return Err(Error::invalid(format!(
                "schema: more than one primary key: {primaries:?}"
            )))
        }
    }
    let auto_id = obj.get("auto_id").and_then(Value::as_bool).unwrap_or(false);
    if auto_id {
        if let Some(pk) = fields.iter_mut().find(|f| f.is_primary_key) {
            pk.auto_id = true;
        }
    }
    let any_auto = fields.iter().any(|f| f.is_primary_key && f.auto_id);
    let functions = match obj.get("functions") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .map(function_from_dict)
            .collect::<Result<Vec<_>>>()?,
        Some(_) => return Err(Error::invalid("schema: functions must be a list")),
    };
    for f in &functions {
        for out in &f.output_field_names {
            match fields.iter_mut().find(|x| &x.name == out) {
                Some(x) => x.is_function_output = true,
                None => {
                    return Err(Error::invalid(format!(
                        "function {:?}: output field {out:?} is not in the schema",
                        f.name
                    )))
                }
            }
        }
        if let Some(missing) = f
            .input_field_names
            .iter()
            .find(|i| !fields.iter().any(|x| &x.name == *i))
        {
            return Err(Error::invalid(format!(
                "function {:?}: input field {missing:?} is not in the schema",
                f.name
            )));
        }
    }
    Ok(CollectionSchema {
        name: collection_name.to_string(),
        description: obj
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        auto_id: any_auto,
        fields,
        enable_dynamic_field: obj
            .get("enable_dynamic_field")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        enable_namespace: obj
            .get("enable_namespace")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        functions,
        ..Default::default()
    })
}

fn default_to_json(d: &ValueField) -> Value {
    use value_field::Data;
    match &d.data {
        Some(Data::BoolData(b)) => json!(b),
        Some(Data::IntData(i)) => json!(i),
        Some(Data::LongData(i)) => json!(i),
        Some(Data::FloatData(f)) => json!(f),
        Some(Data::DoubleData(f)) => json!(f),
        Some(Data::StringData(s)) => json!(s),
        Some(Data::BytesData(b)) => {
            serde_json::from_slice(b).unwrap_or_else(|_| json!(String::from_utf8_lossy(b)))
        }
        Some(Data::TimestamptzData(t)) => json!(t),
        Some(Data::DateData(t)) => json!(t),
        Some(Data::TimeData(t)) => json!(t),
        None => Value::Null,
    }
}

/// A type param value back in its natural JSON form (`"128"` → 128).
fn param_value(key: &str, value: &str) -> Value {
    match key {
        "dim" | "max_length" | "max_capacity" => value
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| json!(value)),
        _ => serde_json::from_str::<Value>(value)
            .ok()
            .filter(|v| !v.is_string())
            .unwrap_or_else(|| json!(value)),
    }
}

fn field_to_dict(f: &FieldSchema, function_outputs: &[&String]) -> Value {
    let mut d = Map::new();
    d.insert("field_id".into(), json!(f.field_id));
    d.insert("name".into(), json!(f.name));
    d.insert("description".into(), json!(f.description));
    d.insert("type".into(), json!(type_name(f.data_type)));
    let params: Map<String, Value> = f
        .type_params
        .iter()
        .map(|p| {
            let key = if p.key == "mmap.enabled" {
                "mmap_enabled".to_string()
            } else {
                p.key.clone()
            };
            (key, param_value(&p.key, &p.value))
        })
        .collect();
    d.insert("params".into(), Value::Object(params));
    if f.data_type == DataType::Array as i32 {
        d.insert("element_type".into(), json!(type_name(f.element_type)));
    }
    let flags = [
        ("is_primary", f.is_primary_key),
        ("auto_id", f.auto_id),
        ("is_partition_key", f.is_partition_key),
        ("is_clustering_key", f.is_clustering_key),
        ("nullable", f.nullable),
        ("is_dynamic", f.is_dynamic),
        (
            "is_function_output",
            f.is_function_output || function_outputs.contains(&&f.name),
        ),
    ];
    for (k, on) in flags {
        if on {
            d.insert(k.into(), json!(true));
        }
    }
    if let Some(dv) = f.default_value.as_ref().filter(|d| d.data.is_some()) {
        d.insert("default_value".into(), default_to_json(dv));
    }
    Value::Object(d)
}

const CONSISTENCY: &[&str] = &["Strong", "Session", "Bounded", "Eventually", "Customized"];

pub fn consistency_name(level: i32) -> &'static str {
    usize::try_from(level)
        .ok()
        .and_then(|i| CONSISTENCY.get(i))
        .copied()
        .unwrap_or("Bounded")
}

/// `"Strong"`, `"strong"`, `0`... → the wire enum value.
pub fn parse_consistency(v: &Value) -> Result<i32> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .filter(|i| (0..CONSISTENCY.len() as i64).contains(i))
            .map(|i| i as i32)
            .ok_or_else(|| Error::invalid(format!("consistency_level {n} is not 0..4"))),
        Value::String(s) => CONSISTENCY
            .iter()
            .position(|c| c.eq_ignore_ascii_case(s))
            .map(|i| i as i32)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "consistency_level {s:?} is not one of {CONSISTENCY:?}"
                ))
            }),
        other => Err(Error::invalid(format!(
            "consistency_level must be a name or a number, not {other}"
        ))),
    }
}

/// pymilvus `describe_collection`'s dict, with type names as strings so the schema part can be
/// given back to `create_collection`.
pub fn describe_to_json(info: &CollectionInfo) -> Value {
    let raw = &info.raw;
    let schema = raw.schema.clone().unwrap_or_default();
    let outputs: Vec<&String> = schema
        .functions
        .iter()
        .flat_map(|f| f.output_field_names.iter())
        .collect();
    let fields: Vec<Value> = schema
        .fields
        .iter()
        .filter(|f| !f.is_dynamic)
        .map(|f| field_to_dict(f, &outputs))
        .collect();
    let properties: Map<String, Value> = raw
        .properties
        .iter()
        .map(|p| (p.key.clone(), json!(p.value)))
        .collect();
    let mut out = json!({
        "collection_name": schema.name,
        "auto_id": schema.fields.iter().any(|f| f.is_primary_key && f.auto_id),
        "num_shards": raw.shards_num,
        "description": schema.description,
        "fields": fields,
        "functions": schema.functions.iter().map(function_to_dict).collect::<Vec<_>>(),
        "aliases": raw.aliases,
        "collection_id": raw.collection_id,
        "consistency_level": raw.consistency_level,
        "consistency_level_name": consistency_name(raw.consistency_level),
        "properties": properties,
        "num_partitions": raw.num_partitions,
        "enable_dynamic_field": schema.enable_dynamic_field,
        "enable_namespace": schema.enable_namespace,
        "schema_version": schema.version,
    });
    // pymilvus leaves the timestamps out when the server sends none.
    for (key, ts) in [
        ("created_timestamp", raw.created_timestamp),
        ("update_timestamp", raw.update_timestamp),
    ] {
        if ts != 0 {
            out[key] = json!(ts);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_in_every_form() {
        for v in [
            json!("FLOAT_VECTOR"),
            json!("FloatVector"),
            json!("DataType.FLOAT_VECTOR"),
            json!(101),
            json!("float_vector"),
        ] {
            assert_eq!(parse_type(&v).unwrap(), DataType::FloatVector, "{v}");
        }
        assert_eq!(parse_type(&json!("VARCHAR")).unwrap(), DataType::VarChar);
        assert!(parse_type(&json!("FLOATY")).is_err());
        assert!(parse_type(&json!(7)).is_err());
        assert!(parse_type(&json!(0)).is_err());
    }

    #[test]
    fn schema_dict_validation_names_the_field() {
        let bad = |fields: Value| schema_from_dict("c", &json!({"fields": fields})).unwrap_err();
        let e = bad(
            json!([{"name": "id", "type": "INT64", "is_primary": true}, {"name": "t", "type": "VARCHAR"}]),
        );
        assert!(
            e.message.contains("\"t\"") && e.message.contains("max_length"),
            "{}",
            e.message
        );
        let e = bad(
            json!([{"name": "id", "type": "INT64", "is_primary": true}, {"name": "v", "type": "FLOAT_VECTOR"}]),
        );
        assert!(
            e.message.contains("\"v\"") && e.message.contains("dim"),
            "{}",
            e.message
        );
        let e = bad(
            json!([{"name": "a", "type": "INT64", "is_primary": true}, {"name": "b", "type": "INT64", "is_primary": true}]),
        );
        assert!(e.message.contains("more than one primary"), "{}", e.message);
        let e = bad(json!([{"name": "a", "type": "NOPE", "is_primary": true}]));
        assert!(
            e.message.contains("\"a\"") && e.message.contains("NOPE"),
            "{}",
            e.message
        );
        let e = bad(json!([{"name": "a", "type": "INT64"}]));
        assert_eq!(e.kind, ErrorKind::MissingField);
        let e = bad(json!([{"name": "a", "type": "INT64", "is_primary": true, "colour": 1}]));
        assert!(e.message.contains("colour"), "{}", e.message);
    }

    #[test]
    fn functions_round_trip_and_mark_outputs() {
        let f = json!({"name": "bm", "type": "BM25", "input_field_names": ["t"], "output_field_names": ["s"], "params": {"k": 1}});
        let s = schema_from_dict(
            "c",
            &json!({"fields": [
                {"name": "id", "type": "INT64", "is_primary": true},
                {"name": "t", "type": "VARCHAR", "max_length": 9, "enable_analyzer": true},
                {"name": "s", "type": "SPARSE_FLOAT_VECTOR"}], "functions": [f]}),
        )
        .unwrap();
        assert_eq!(s.functions[0].r#type, FunctionType::Bm25 as i32);
        assert!(s.fields[2].is_function_output);
        assert_eq!(
            function_to_dict(&s.functions[0]),
            json!({"name": "bm", "description": "", "type": "BM25",
            "input_field_names": ["t"], "output_field_names": ["s"], "params": {"k": 1}})
        );
        assert_eq!(
            function_from_dict(&json!({"name": "x", "type": 1}))
                .unwrap()
                .r#type,
            1
        );
        let e = schema_from_dict("c", &json!({"fields": [{"name": "id", "type": "INT64", "is_primary": true}],
            "functions": [{"name": "bm", "type": "BM25", "input_field_names": ["t"], "output_field_names": ["s"]}]})).unwrap_err();
        assert!(e.message.contains("\"s\""), "{}", e.message);
        assert!(function_from_dict(&json!({"name": "x", "type": "NOPE"})).is_err());
    }

    #[test]
    fn values_spelled_as_pymilvus_spells_them() {
        for (v, want) in [
            (json!(true), "True"),
            (json!(false), "False"),
            (json!("true"), "true"),
            (json!(60), "60"),
            (json!(0.5), "0.5"),
            (json!({"a": 1}), "{\"a\":1}"),
        ] {
            assert_eq!(py_param_string(&v), want, "{v}");
        }
        // A new collection's type params are JSON; an added field's are pymilvus's str(v).
        let f = json!({"name": "t", "type": "VARCHAR", "max_length": 8, "enable_match": true,
                       "mmap_enabled": false, "warmup": "sync"});
        let value = |f: &FieldSchema, k: &str| {
            f.type_params
                .iter()
                .find(|p| p.key == k)
                .map(|p| p.value.clone())
        };
        let new = field_from_dict(&f).unwrap();
        let added = added_field_from_dict(&f).unwrap();
        assert_eq!(value(&new, "enable_match").as_deref(), Some("true"));
        assert_eq!(value(&added, "enable_match").as_deref(), Some("True"));
        assert_eq!(value(&added, "mmap.enabled").as_deref(), Some("False"));
        assert_eq!(value(&added, "warmup").as_deref(), Some("sync"));
        assert_eq!(value(&added, "max_length").as_deref(), Some("8"));
        let f = function_from_dict(&json!({"name": "e", "type": "TEXTEMBEDDING",
            "params": {"truncate": true, "dim": 4}}))
        .unwrap();
        let p: Vec<(&str, &str)> = f
            .params
            .iter()
            .map(|p| (p.key.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(p, [("dim", "4"), ("truncate", "True")]);
    }

    #[test]
    fn schema_keeps_enable_namespace() {
        let fields = json!([{"name": "id", "type": "INT64", "is_primary": true}]);
        let s = schema_from_dict("c", &json!({"fields": fields, "enable_namespace": true}));
        assert!(s.unwrap().enable_namespace);
        let s = schema_from_dict("c", &json!({"fields": fields}));
        assert!(!s.unwrap().enable_namespace);
    }

    #[test]
    fn schema_dict_to_wire() {
        let s = schema_from_dict(
            "c",
            &json!({"auto_id": false, "enable_dynamic_field": true, "fields": [
                {"name": "id", "type": "INT64", "is_primary": true},
                {"name": "v", "type": 101, "params": {"dim": 4}},
                {"name": "t", "type": "VARCHAR", "max_length": 10, "nullable": true, "default_value": "x"},
                {"name": "a", "type": "ARRAY", "element_type": "INT64", "params": {"max_capacity": 5}}]}),
        )
        .unwrap();
        assert!(s.enable_dynamic_field);
        assert_eq!(
            s.fields[1].type_params,
            vec![KeyValuePair {
                key: "dim".into(),
                value: "4".into()
            }]
        );
        assert_eq!(s.fields[2].type_params[0].value, "10");
        assert_eq!(
            s.fields[2].default_value.as_ref().unwrap().data,
            Some(value_field::Data::StringData("x".into()))
        );
        assert_eq!(s.fields[3].element_type, DataType::Int64 as i32);
    }
}
