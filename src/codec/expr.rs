//! Filter expressions built for the caller (get / delete / query by primary key).

use super::schema::FieldInfo;
use crate::error::{Error, Result};
use crate::proto::schema::DataType;
use serde_json::Value;

/// A string literal of the filter language: double quotes, with `"` and `\\` escaped.
pub fn quote(k: &str) -> String {
    let mut s = String::with_capacity(k.len() + 2);
    s.push('"');
    for c in k.chars() {
        if c == '"' || c == '\\' {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
    s
}

/// `pk in [1,2]` or `pk in ["a","b"]`, with quotes and backslashes escaped so any key works.
pub fn pk_in(pk: &FieldInfo, ids: &[Value]) -> Result<String> {
    pk_list(pk, "in", ids)
}

/// `pk not in [...]`, escaped like `pk_in`.
pub fn pk_not_in(pk: &FieldInfo, ids: &[Value]) -> Result<String> {
    pk_list(pk, "not in", ids)
}

fn pk_list(pk: &FieldInfo, op: &str, ids: &[Value]) -> Result<String> {
    if ids.is_empty() {
        return Err(Error::invalid("ids: the list is empty"));
    }
    let mut s = format!("{} {op} [", pk.name);
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        match (pk.data_type, id) {
            (DataType::Int64, Value::Number(n)) if n.is_i64() => s.push_str(&n.to_string()),
            (DataType::VarChar, Value::String(k)) => s.push_str(&quote(k)),
            _ => {
                return Err(Error::invalid(format!(
                    "ids[{i}]: {id} does not fit the {} primary key {:?}",
                    if pk.data_type == DataType::Int64 {
                        "INT64"
                    } else {
                        "VARCHAR"
                    },
                    pk.name
                )))
            }
        }
    }
    s.push(']');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pk(t: DataType) -> FieldInfo {
        FieldInfo {
            name: "pk".into(),
            data_type: t,
            element_type: DataType::None,
            dim: 0,
            is_primary: true,
            auto_id: false,
            nullable: false,
            default: None,
            is_dynamic: false,
            is_function_output: false,
        }
    }

    #[test]
    fn int_and_escaped_string_keys() {
        assert_eq!(
            pk_in(&pk(DataType::Int64), &[json!(1), json!(-2)]).unwrap(),
            "pk in [1,-2]"
        );
        assert_eq!(
            pk_in(&pk(DataType::VarChar), &[json!("a'b"), json!("c\"d\\")]).unwrap(),
            r#"pk in ["a'b","c\"d\\"]"#
        );
        assert!(pk_in(&pk(DataType::Int64), &[json!("1")]).is_err());
        assert!(pk_in(&pk(DataType::Int64), &[]).is_err());
        assert_eq!(
            pk_not_in(&pk(DataType::Int64), &[json!(3)]).unwrap(),
            "pk not in [3]"
        );
    }
}

/// `filter_params` → the request's `expr_template_values`: each `{name}` of the filter gets a
/// typed value (lists become typed arrays; mixed lists travel as JSON).
pub fn template_values(
    params: &serde_json::Map<String, Value>,
) -> Result<std::collections::HashMap<String, crate::proto::schema::TemplateValue>> {
    use crate::proto::schema::template_value::Val;
    use crate::proto::schema::TemplateValue;
    params
        .iter()
        .map(|(k, v)| {
            let val = match v {
                Value::Bool(b) => Val::BoolVal(*b),
                Value::Number(n) if n.is_i64() => Val::Int64Val(n.as_i64().unwrap_or_default()),
                Value::Number(n) => Val::FloatVal(n.as_f64().ok_or_else(|| {
                    Error::invalid(format!("filter_params.{k}: {n} is out of range"))
                })?),
                Value::String(s) => Val::StringVal(s.clone()),
                Value::Array(a) => Val::ArrayVal(template_array(a)),
                other => {
                    return Err(Error::invalid(format!(
                        "filter_params.{k}: {other} cannot be a filter value"
                    )))
                }
            };
            Ok((k.clone(), TemplateValue { val: Some(val) }))
        })
        .collect()
}

fn template_array(list: &[Value]) -> crate::proto::schema::TemplateArrayValue {
    use crate::proto::schema::template_array_value::Data;
    use crate::proto::schema::{
        BoolArray, DoubleArray, JsonArray, LongArray, StringArray, TemplateArrayValue,
        TemplateArrayValueArray,
    };
    let all = |f: fn(&Value) -> bool| !list.is_empty() && list.iter().all(f);
    let data = if list.is_empty() || all(|v| v.as_i64().is_some()) {
        Data::LongData(LongArray {
            data: list.iter().filter_map(Value::as_i64).collect(),
        })
    } else if all(Value::is_boolean) {
        Data::BoolData(BoolArray {
            data: list.iter().filter_map(Value::as_bool).collect(),
        })
    } else if all(Value::is_number) {
        Data::DoubleData(DoubleArray {
            data: list.iter().filter_map(Value::as_f64).collect(),
        })
    } else if all(Value::is_string) {
        Data::StringData(StringArray {
            data: list
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        })
    } else if all(Value::is_array) {
        Data::ArrayData(TemplateArrayValueArray {
            data: list
                .iter()
                .map(|v| template_array(v.as_array().map(Vec::as_slice).unwrap_or_default()))
                .collect(),
        })
    } else {
        Data::JsonData(JsonArray {
            data: list.iter().map(|v| v.to_string().into_bytes()).collect(),
        })
    };
    TemplateArrayValue { data: Some(data) }
}

#[cfg(test)]
mod template_tests {
    use super::*;
    use crate::proto::schema::{template_array_value::Data, template_value::Val};
    use serde_json::json;

    #[test]
    fn typed_values_and_arrays() {
        let m = template_values(json!({"a": 1, "b": 1.5, "c": "x", "d": true, "e": [1, 2], "f": [1, 2.5], "g": ["x"], "h": [1, "x"], "i": [[1], [2]]}).as_object().unwrap()).unwrap();
        let val = |k: &str| m[k].val.clone().unwrap();
        assert_eq!(val("a"), Val::Int64Val(1));
        assert_eq!(val("b"), Val::FloatVal(1.5));
        assert_eq!(val("c"), Val::StringVal("x".into()));
        assert_eq!(val("d"), Val::BoolVal(true));
        let arr = |k: &str| match val(k) {
            Val::ArrayVal(a) => a.data.unwrap(),
            other => panic!("{other:?}"),
        };
        assert!(matches!(arr("e"), Data::LongData(l) if l.data == [1, 2]));
        assert!(matches!(arr("f"), Data::DoubleData(d) if d.data == [1.0, 2.5]));
        assert!(matches!(arr("g"), Data::StringData(s) if s.data == ["x"]));
        assert!(
            matches!(arr("h"), Data::JsonData(j) if j.data == [b"1".to_vec(), b"\"x\"".to_vec()])
        );
        assert!(matches!(arr("i"), Data::ArrayData(a) if a.data.len() == 2));
        assert!(template_values(json!({"o": {"k": 1}}).as_object().unwrap()).is_err());
    }
}
