//! The typed path: columns in, typed results out. Requests are built by the same code as the
//! JSON methods, so both paths have one semantics.

use super::data::{self, HybridArgs, SearchArgs};
use super::{call_opts, parse_args};
use crate::client::Client;
use crate::codec::columns::Columns;
use crate::codec::typed::TypedResult;
use crate::error::{Error, Result};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WriteOptions {
    partition_name: Option<String>,
    timeout: Option<f64>,
}

/// Inserts or upserts typed columns.
pub async fn write_columns(
    c: &Client,
    collection: &str,
    cols: &Columns,
    options: &str,
    upsert: bool,
) -> Result<TypedResult> {
    let o: WriteOptions = parse_args(options)?;
    let opts = call_opts(o.timeout)?;
    let partition = o.partition_name.as_deref().unwrap_or("");
    let r = c
        .write_columns(collection, partition, cols, upsert, &opts)
        .await?;
    Ok(if upsert {
        let n = r.upsert_cnt;
        TypedResult::write(r, "upsert_count", n)
    } else {
        let n = r.insert_cnt;
        TypedResult::write(r, "insert_count", n)
    })
}

/// Options JSON plus the arguments the typed call supplies itself, as a method's arguments.
fn with_args<T: DeserializeOwned>(options: &str, add: &[(&str, &str)]) -> Result<T> {
    let mut map: Map<String, Value> = parse_args(options)?;
    for (k, v) in add {
        if map.contains_key(*k) {
            return Err(Error::invalid(format!(
                "options_json: {k:?} is given by the call's own arguments"
            )));
        }
        map.insert((*k).to_string(), Value::from(*v));
    }
    for k in ["data", "ids"] {
        if map.contains_key(k) {
            return Err(Error::invalid(format!(
                "options_json: {k:?} cannot be given: the query vectors are the columns"
            )));
        }
    }
    serde_json::from_value(Value::Object(map))
        .map_err(|e| Error::invalid(format!("options_json: {e}")))
}

/// The `search` arguments of a typed full-text search (`milvus_client_search_texts`): the
/// options plus the collection, the `anns_field` (omitted when empty: the server picks, as
/// pymilvus leaves it) and the texts as `data`. Options naming any of those are an error.
pub fn search_texts_args(
    collection: &str,
    anns_field: &str,
    texts: &[&str],
    options: &str,
) -> Result<String> {
    if texts.is_empty() {
        return Err(Error::invalid("nq: give at least one text"));
    }
    let mut map: Map<String, Value> = parse_args(options)?;
    for k in ["collection_name", "anns_field", "data", "ids"] {
        if map.contains_key(k) {
            return Err(Error::invalid(format!(
                "options_json: {k:?} is given by the call's own arguments"
            )));
        }
    }
    map.insert("collection_name".into(), collection.into());
    if !anns_field.is_empty() {
        map.insert("anns_field".into(), anns_field.into());
    }
    map.insert(
        "data".into(),
        texts.iter().map(|t| Value::from(*t)).collect(),
    );
    Ok(Value::Object(map).to_string())
}

/// A typed result holds hits only: aggregation buckets are the JSON `search`'s.
fn no_buckets(a: &SearchArgs) -> Result<()> {
    if a.aggregates() {
        return Err(crate::error::Error::invalid(
            "search_aggregation: typed results hold no buckets; use milvus_client_search",
        ));
    }
    Ok(())
}

/// Searches with the single vector column of `queries`; its name is the anns_field.
pub async fn search_columns(
    c: &Client,
    collection: &str,
    queries: &Columns,
    options: &str,
) -> Result<TypedResult> {
    let q = queries.query_column()?;
    let mut add = vec![("collection_name", collection)];
    if !q.name.is_empty() {
        add.push(("anns_field", q.name.as_str()));
    }
    let a: SearchArgs = with_args(options, &add)?;
    no_buckets(&a)?;
    let o = data::search_reply(c, a, Some(q)).await?;
    Ok(TypedResult::search(o.reply, o.round_decimal, o.nq))
}

/// Hybrid search whose requests take their vectors from the column named by their anns_field.
pub async fn hybrid_columns(
    c: &Client,
    collection: &str,
    queries: &Columns,
    options: &str,
) -> Result<TypedResult> {
    let a: HybridArgs = with_args(options, &[("collection_name", collection)])?;
    let o = data::hybrid_reply(c, a, Some(queries)).await?;
    Ok(TypedResult::search(o.reply, o.round_decimal, o.nq))
}

/// `search` with its JSON arguments, answered as a typed result.
pub async fn search_typed(c: &Client, args: &str) -> Result<TypedResult> {
    let a: SearchArgs = parse_args(args)?;
    no_buckets(&a)?;
    let o = data::search_reply(c, a, None).await?;
    Ok(TypedResult::search(o.reply, o.round_decimal, o.nq))
}

/// `hybrid_search` with its JSON arguments, answered as a typed result.
pub async fn hybrid_search_typed(c: &Client, args: &str) -> Result<TypedResult> {
    let o = data::hybrid_reply(c, parse_args(args)?, None).await?;
    Ok(TypedResult::search(o.reply, o.round_decimal, o.nq))
}

/// `query` with its JSON arguments, answered as a typed result.
pub async fn query_typed(c: &Client, args: &str) -> Result<TypedResult> {
    let r = data::query_reply(c, parse_args(args)?).await?;
    Ok(TypedResult::rows(r))
}

/// `get` with its JSON arguments, answered as a typed result.
pub async fn get_typed(c: &Client, args: &str) -> Result<TypedResult> {
    let r = data::query_reply(c, data::get_as_query(args)?).await?;
    Ok(TypedResult::rows(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_texts_args_add_the_call_arguments() {
        let a = search_texts_args("c", "sparse", &["a b", "c"], r#"{"limit": 3}"#).unwrap();
        let v: Value = serde_json::from_str(&a).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"collection_name": "c", "anns_field": "sparse",
                               "data": ["a b", "c"], "limit": 3})
        );
        let v: Value =
            serde_json::from_str(&search_texts_args("c", "", &["x"], "").unwrap()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"collection_name": "c", "data": ["x"]})
        );
        for bad in [
            r#"{"data": ["x"]}"#,
            r#"{"anns_field": "s"}"#,
            r#"{"collection_name": "d"}"#,
        ] {
            let e = search_texts_args("c", "", &["x"], bad).unwrap_err();
            assert_eq!(e.kind, crate::error::ErrorKind::InvalidArgument, "{bad}");
        }
        assert_eq!(
            search_texts_args("c", "", &[], "").unwrap_err().kind,
            crate::error::ErrorKind::InvalidArgument
        );
        assert_eq!(
            search_texts_args("c", "", &["x"], "[").unwrap_err().kind,
            crate::error::ErrorKind::InvalidJson
        );
    }
}
