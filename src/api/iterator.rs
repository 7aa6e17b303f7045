//! Iterators: query_iterator's arguments, and each page as JSON rows.

use super::{call_opts, parse_args};
use crate::client::iterator::{QueryIterator, QueryIteratorSpec};
use crate::client::Client;
use crate::codec::results;
use crate::error::{Error, Result};
use serde::Deserialize;
use std::sync::Arc;

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
pub async fn query_iterator(c: Arc<Client>, args: &str) -> Result<QueryIterator> {
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
    QueryIterator::new(c, spec, call_opts(a.timeout)?).await
}

/// The next page as a JSON list of rows; `[]` once the iterator is exhausted.
pub async fn next_page(it: &mut QueryIterator) -> Result<Vec<u8>> {
    let (fields, output_fields) = it.next_page().await?;
    results::query_rows(&fields, &output_fields)
}
