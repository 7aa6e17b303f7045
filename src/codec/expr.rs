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
