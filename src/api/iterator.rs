//! Iterators: query_iterator's arguments, and each page as JSON rows.

use super::{call_opts, parse_args};
use crate::client::iterator::{
    QueryIterator, QueryIteratorSpec, SearchIterator, SearchIteratorSpec,
};
use crate::client::Client;
use crate::codec::results;
use crate::codec::search::{self, Queries};
use crate::error::{Error, Result};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::sync::Arc;

/// A running iterator of either kind (not `Iterator`, which would shadow the std trait).
pub enum Pager {
    Query(QueryIterator),
    Search(SearchIterator),
    /// dump_messages: pages of WAL messages.
    Messages(crate::client::stream::MessageStream),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryIteratorArgs {
    collection_name: String,
    batch_size: Option<i64>,
    limit: Option<i64>,
    filter: Option<String>,
    output_fields: Option<Vec<String>>,
    partition_names: Option<Vec<String>>,
    offset: Option<i64>,
    timeout: Option<f64>,
}

/// pymilvus's `query_iterator` arguments: `batch_size` (1000, at most 16384), `limit` (-1 = all),
/// `filter`, `output_fields`, `partition_names`, `offset`; `timeout` bounds each page.
pub async fn query_iterator(c: Arc<Client>, args: &str) -> Result<Pager> {
    let a: QueryIteratorArgs = parse_args(args)?;
    let batch_size = a.batch_size.unwrap_or(1000);
    if !(1..=16384).contains(&batch_size) {
        return Err(Error::invalid(format!(
            "batch_size must be from 1 to 16384, not {batch_size}"
        )));
    }
    let limit = match a.limit {
        None | Some(-1) => None,
        Some(l) if l >= 0 => Some(l),
        Some(l) => {
            return Err(Error::invalid(format!(
                "limit must be -1 (all) or at least 0, not {l}"
            )))
        }
    };
    let offset = a.offset.unwrap_or(0);
    if offset < 0 {
        return Err(Error::invalid(format!(
            "offset must not be negative, not {offset}"
        )));
    }
    let spec = QueryIteratorSpec {
        collection_name: a.collection_name,
        filter: a.filter.unwrap_or_default(),
        output_fields: a.output_fields.unwrap_or_default(),
        partition_names: a.partition_names.unwrap_or_default(),
        batch_size,
        limit,
        offset,
    };
    Ok(Pager::Query(
        QueryIterator::new(c, spec, call_opts(a.timeout)?).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchIteratorArgs {
    collection_name: String,
    data: Value,
    batch_size: Option<i64>,
    limit: Option<i64>,
    filter: Option<String>,
    output_fields: Option<Vec<String>>,
    search_params: Option<Map<String, Value>>,
    anns_field: Option<String>,
    partition_names: Option<Vec<String>>,
    round_decimal: Option<i64>,
    timeout: Option<f64>,
}

/// The one query vector of a search iterator's `data`: a list of floats, or a list holding one.
fn query_vector(data: &Value) -> Result<Vec<f32>> {
    let list = match data {
        Value::Array(v) if v.len() == 1 && v[0].is_array() => &v[0],
        Value::Array(v) if v.first().is_some_and(|x| x.is_array()) => {
            return Err(Error::invalid(
                "data: a search iterator takes exactly one query vector",
            ))
        }
        other => other,
    };
    let mut vector = Vec::new();
    crate::codec::vectors::float_list(list, 0, &mut vector).map_err(|e| e.context("data"))?;
    if vector.is_empty() {
        return Err(Error::invalid("data: the query vector is empty"));
    }
    Ok(vector)
}

/// pymilvus's `search_iterator` arguments: `data` (one query vector, or one query text for a
/// field fed by a BM25 function), `batch_size` (1000, at most 16384), `limit` (-1 = all),
/// `filter`, `output_fields`, `search_params`, `anns_field`, `partition_names`,
/// `round_decimal` (-1); `timeout` bounds each page.
pub async fn search_iterator(c: Arc<Client>, args: &str) -> Result<Pager> {
    let a: SearchIteratorArgs = parse_args(args)?;
    let query = match search::query_texts(&a.data)? {
        Some(texts) if texts.len() == 1 => Queries::Texts(texts),
        Some(texts) => {
            return Err(Error::invalid(format!(
                "data: a search iterator takes exactly one query text, not {}",
                texts.len()
            )))
        }
        None => Queries::Vectors(vec![query_vector(&a.data)?]),
    };
    let batch_size = a.batch_size.unwrap_or(1000);
    if !(1..=16384).contains(&batch_size) {
        return Err(Error::invalid(format!(
            "batch_size must be from 1 to 16384, not {batch_size}"
        )));
    }
    let limit = match a.limit {
        None | Some(-1) => None,
        Some(l) if l >= 0 => Some(l),
        Some(l) => {
            return Err(Error::invalid(format!(
                "limit must be -1 (all) or at least 0, not {l}"
            )))
        }
    };
    let search_params = a.search_params.unwrap_or_default();
    if search_params
        .get("params")
        .and_then(|p| p.get("radius"))
        .is_some()
        || search_params.contains_key("radius")
    {
        return Err(Error::invalid(
            "search_params: a search iterator sets radius itself",
        ));
    }
    let spec = SearchIteratorSpec {
        collection_name: a.collection_name,
        query,
        anns_field: a.anns_field,
        filter: a.filter.unwrap_or_default(),
        output_fields: a.output_fields.unwrap_or_default(),
        partition_names: a.partition_names.unwrap_or_default(),
        batch_size,
        limit,
        search_params,
        round_decimal: a.round_decimal.unwrap_or(-1),
    };
    Ok(Pager::Search(
        SearchIterator::new(c, spec, call_opts(a.timeout)?).await?,
    ))
}

/// The next page: query rows, or search hits `{"id", "distance", "entity"}`; `[]` once the
/// iterator is exhausted.
pub async fn next_page(it: &mut Pager) -> Result<Vec<u8>> {
    match it {
        Pager::Query(q) => {
            let page = q.next_page().await?;
            results::query_rows(&page.fields_data, &page.output_fields)
        }
        Pager::Search(s) => {
            match s.next_page().await? {
                None => Ok(b"[]".to_vec()),
                Some(page) => {
                    // One query: the hits are the only list inside the outer one.
                    let nested = results::search_hits(&page, -1)?;
                    Ok(nested[1..nested.len() - 1].to_vec())
                }
            }
        }
        Pager::Messages(s) => super::messages::next_messages(s).await,
    }
}

/// The next page as a typed result (no rows once the iterator is exhausted).
pub async fn next_page_typed(it: &mut Pager) -> Result<crate::codec::typed::TypedResult> {
    use crate::codec::typed::TypedResult;
    use crate::proto::milvus as m;
    match it {
        Pager::Query(q) => Ok(TypedResult::rows(q.next_page().await?)),
        Pager::Search(s) => {
            let page = s.next_page().await?;
            let reply = m::SearchResults {
                results: page,
                ..Default::default()
            };
            Ok(TypedResult::search(reply, -1, 1).flat_page())
        }
        Pager::Messages(_) => Err(Error::invalid(
            "dump_messages pages are messages, not rows: read them with milvus_iterator_next",
        )),
    }
}
