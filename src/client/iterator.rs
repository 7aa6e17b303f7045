//! Query iteration: pages of rows in primary-key order, each page continuing after the last
//! key of the previous one, all read at one guarantee timestamp.

use super::{CallOpts, Client};
use crate::codec::expr;
use crate::error::Result;
use crate::proto::common::KeyValuePair;
use crate::proto::milvus as m;
use crate::proto::schema::{field_data, scalar_field, DataType, FieldData};
use std::sync::Arc;

/// What a query iterator reads.
#[derive(Debug, Clone, Default)]
pub struct QueryIteratorSpec {
    pub collection_name: String,
    pub filter: String,
    pub output_fields: Vec<String>,
    pub partition_names: Vec<String>,
    pub batch_size: i64,
    /// Rows to return in all; None = every matching row.
    pub limit: Option<i64>,
    /// Matching rows to skip first.
    pub offset: i64,
}

#[derive(Debug, Clone)]
enum Cursor {
    Int(i64),
    Str(String),
}

pub struct QueryIterator {
    client: Arc<Client>,
    spec: QueryIteratorSpec,
    pk_name: String,
    pk_type: DataType,
    collection_id: i64,
    guarantee_ts: u64,
    cursor: Option<Cursor>,
    returned: i64,
    skipped: i64,
    done: bool,
    opts: CallOpts,
}

/// Consistency level that makes the server wait for exactly the timestamp sent.
const CUSTOMIZED: i32 = 4;

impl QueryIterator {
    pub async fn new(client: Arc<Client>, spec: QueryIteratorSpec, opts: CallOpts) -> Result<Self> {
        let info = client
            .describe_collection(&spec.collection_name, &opts)
            .await?;
        let pk = info.primary();
        // Every write this process made, or the present moment, whichever the server knows.
        let guarantee_ts = client
            .last_write_ts(&spec.collection_name)
            .unwrap_or(0)
            .max(super::now_ts());
        Ok(QueryIterator {
            pk_name: pk.name.clone(),
            pk_type: pk.data_type,
            collection_id: info.raw.collection_id,
            guarantee_ts,
            client,
            spec,
            cursor: None,
            returned: 0,
            skipped: 0,
            done: false,
            opts,
        })
    }

    fn expr(&self) -> String {
        let after = self.cursor.as_ref().map(|c| match c {
            Cursor::Int(i) => format!("{} > {i}", self.pk_name),
            Cursor::Str(s) => format!("{} > {}", self.pk_name, expr::quote(s)),
        });
        match (after, self.spec.filter.trim()) {
            (None, f) => f.to_string(),
            (Some(a), "") => a,
            (Some(a), f) => format!("{a} and ({f})"),
        }
    }

    async fn page(&mut self, size: i64) -> Result<m::QueryResults> {
        let req = page_request(
            &self.spec,
            self.expr(),
            size,
            self.guarantee_ts,
            self.collection_id,
        );
        let client = self.client.clone();
        client.query(req, &self.opts).await
    }

    /// The next page of rows (the server's reply: its output_fields pick the dynamic keys
    /// shown); no rows at the end.
    pub async fn next_page(&mut self) -> Result<m::QueryResults> {
        loop {
            if self.done {
                return Ok(m::QueryResults::default());
            }
            let left = self
                .spec
                .limit
                .map(|l| l - self.returned)
                .unwrap_or(i64::MAX);
            if left <= 0 {
                self.done = true;
                continue;
            }
            let to_skip = self.spec.offset - self.skipped;
            let size = if to_skip > 0 {
                to_skip.min(16384)
            } else {
                self.spec.batch_size.min(left)
            };
            let r = self.page(size).await?;
            let rows = row_count(&r.fields_data);
            match last_key(&r.fields_data, &self.pk_name, self.pk_type) {
                Some(c) if rows > 0 => self.cursor = Some(c),
                _ => {
                    self.done = true;
                    continue;
                }
            }
            if (rows as i64) < size {
                self.done = true;
            }
            if to_skip > 0 {
                self.skipped += rows as i64;
                continue;
            }
            self.returned += rows as i64;
            // Like query, rows carry the primary key whether or not it was asked for.
            return Ok(r);
        }
    }
}

/// One page's query: `size` rows matching `expr`, read at `guarantee_ts`. The user's output
/// fields go as given, as pymilvus sends them: the server returns the primary key (where the
/// next page starts) whether or not it is asked for, and only that when no field is asked for.
fn page_request(
    spec: &QueryIteratorSpec,
    expr: String,
    size: i64,
    guarantee_ts: u64,
    collection_id: i64,
) -> m::QueryRequest {
    let kv = |k: &str, v: String| KeyValuePair {
        key: k.into(),
        value: v,
    };
    m::QueryRequest {
        collection_name: spec.collection_name.clone(),
        expr,
        output_fields: spec.output_fields.clone(),
        partition_names: spec.partition_names.clone(),
        guarantee_timestamp: guarantee_ts,
        consistency_level: CUSTOMIZED,
        query_params: vec![
            kv("limit", size.to_string()),
            kv("ignore_growing", "False".into()),
            kv("reduce_stop_for_best", "True".into()),
            kv("iterator", "True".into()),
            kv("collection_id", collection_id.to_string()),
        ],
        ..Default::default()
    }
}

fn row_count(fields: &[FieldData]) -> usize {
    fields
        .iter()
        .map(|f| match &f.field {
            Some(field_data::Field::Scalars(s)) => match &s.data {
                Some(scalar_field::Data::LongData(a)) => a.data.len(),
                Some(scalar_field::Data::StringData(a)) => a.data.len(),
                _ => 0,
            },
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

/// The largest primary key of a page: where the next page starts.
fn last_key(fields: &[FieldData], pk: &str, ty: DataType) -> Option<Cursor> {
    let col = fields.iter().find(|f| f.field_name == pk)?;
    match (&col.field, ty) {
        (Some(field_data::Field::Scalars(s)), DataType::Int64) => match &s.data {
            Some(scalar_field::Data::LongData(a)) => a.data.iter().max().map(|i| Cursor::Int(*i)),
            _ => None,
        },
        (Some(field_data::Field::Scalars(s)), _) => match &s.data {
            Some(scalar_field::Data::StringData(a)) => {
                a.data.iter().max().map(|s| Cursor::Str(s.clone()))
            }
            _ => None,
        },
        _ => None,
    }
}

/// What a search iterator reads: the nearest rows to one query (a vector, or a text for a field
/// fed by a BM25 function), in distance order.
#[derive(Debug, Clone)]
pub struct SearchIteratorSpec {
    pub collection_name: String,
    /// Exactly one query.
    pub query: crate::codec::search::Queries,
    pub anns_field: Option<String>,
    pub filter: String,
    pub output_fields: Vec<String>,
    pub partition_names: Vec<String>,
    pub batch_size: i64,
    /// Rows to return in all; None = until the collection is exhausted.
    pub limit: Option<i64>,
    /// `metric_type` and index `params`, as search's `search_params`.
    pub search_params: serde_json::Map<String, serde_json::Value>,
    /// Decimal places of distances (-1 = as computed), as search's `round_decimal`.
    pub round_decimal: i64,
}

/// Pages of a search. Where the server keeps the iteration (search iterator V2, Milvus 2.5+,
/// found by a one-row probe as pymilvus does), each page is a search carrying the server's
/// token and the last page's bound. Elsewhere the first page is a plain search and each later
/// one a range search starting at the previous page's last distance (inclusive), with the keys
/// already returned at that distance excluded, widening the range until rows come back or none
/// remain.
pub struct SearchIterator {
    client: Arc<Client>,
    spec: SearchIteratorSpec,
    /// Some when the server iterates (V2).
    v2: Option<V2>,
    pk: crate::codec::schema::FieldInfo,
    smaller_is_closer: bool,
    guarantee_ts: u64,
    last_distance: Option<f32>,
    /// Keys already returned at `last_distance`.
    ties: Vec<serde_json::Value>,
    width: f32,
    returned: i64,
    done: bool,
    opts: CallOpts,
}

/// How many times a range is widened (doubling) before the iterator concludes nothing is left.
const MAX_WIDENINGS: u32 = 40;

/// The server-side iteration: its token (after the first page) and the last page's bound.
#[derive(Debug, Clone, Default)]
struct V2 {
    collection_id: i64,
    token: Option<String>,
    last_bound: Option<f32>,
}

/// A float as Python's `str()` writes it (pymilvus's spelling of request parameters).
pub(crate) fn py_float(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    let exp = if x == 0.0 {
        0
    } else {
        x.abs().log10().floor() as i32
    };
    if (-4..16).contains(&exp) {
        let s = format!("{x:?}");
        if s.contains('e') {
            // Debug chose an exponent where Python would not: spell it out.
            let plain = format!("{x}");
            return if plain.contains('.') {
                plain
            } else {
                plain + ".0"
            };
        }
        return s;
    }
    // Python: mantissa, then e+XX / e-XX with at least two digits.
    let s = format!("{x:e}");
    let (mantissa, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let sign = if e < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", e.abs())
}

impl SearchIterator {
    pub async fn new(
        client: Arc<Client>,
        spec: SearchIteratorSpec,
        opts: CallOpts,
    ) -> Result<Self> {
        let info = client
            .describe_collection(&spec.collection_name, &opts)
            .await?;
        let pk = info.primary();
        // Every write this process made, or the present moment, whichever the server knows.
        let guarantee_ts = client
            .last_write_ts(&spec.collection_name)
            .unwrap_or(0)
            .max(super::now_ts());
        let mut it = SearchIterator {
            pk: pk.clone(),
            client,
            spec,
            v2: Some(V2 {
                collection_id: info.raw.collection_id,
                ..Default::default()
            }),
            smaller_is_closer: true,
            guarantee_ts: 0,
            last_distance: None,
            ties: Vec::new(),
            width: 0.0,
            returned: 0,
            done: false,
            opts,
        };
        // The probe: one row, asking the server to iterate (as pymilvus does, at the
        // collection's consistency; older servers ignore the keys). A token in the reply means
        // it can; its session timestamp pins every page to one snapshot.
        let probe = it.search(1, None).await?;
        let token = probe
            .results
            .as_ref()
            .and_then(|r| r.search_iterator_v2_results.as_ref())
            .is_some_and(|v| !v.token.is_empty());
        if token {
            it.guarantee_ts = if probe.session_ts > 0 {
                probe.session_ts
            } else {
                guarantee_ts
            };
            return Ok(it);
        }
        it.v2 = None;
        it.guarantee_ts = guarantee_ts;
        let SearchIterator {
            client,
            mut spec,
            opts,
            ..
        } = it;
        let metric = match spec
            .search_params
            .get("metric_type")
            .and_then(|m| m.as_str())
        {
            Some(m) => m.to_ascii_uppercase(),
            None => {
                let field = spec.anns_field.clone().unwrap_or_default();
                let req = m::DescribeIndexRequest {
                    collection_name: spec.collection_name.clone(),
                    ..Default::default()
                };
                let desc = client.describe_index(req, &opts).await?;
                desc.index_descriptions
                    .iter()
                    .find(|d| field.is_empty() || d.field_name == field)
                    .and_then(|d| d.params.iter().find(|p| p.key == "metric_type"))
                    .map(|p| p.value.to_ascii_uppercase())
                    .ok_or_else(|| {
                        crate::error::Error::invalid(
                            "search_params.metric_type is needed: the index does not name one",
                        )
                    })?
            }
        };
        let smaller_is_closer = match metric.as_str() {
            "L2" | "JACCARD" | "HAMMING" | "TANIMOTO" => true,
            "IP" | "COSINE" | "BM25" => false,
            other => {
                return Err(crate::error::Error::invalid(format!(
                    "metric {other:?} cannot be iterated"
                )))
            }
        };
        spec.search_params
            .insert("metric_type".into(), serde_json::Value::String(metric));
        Ok(SearchIterator {
            pk: pk.clone(),
            client,
            spec,
            v2: None,
            smaller_is_closer,
            guarantee_ts,
            last_distance: None,
            ties: Vec::new(),
            width: 0.0,
            returned: 0,
            done: false,
            opts,
        })
    }

    fn filter(&self) -> String {
        if self.ties.is_empty() {
            // As given: V2 pages, and V1 pages before any tie, carry the user's filter alone.
            return self.spec.filter.clone();
        }
        let mut parts = Vec::new();
        if !self.spec.filter.trim().is_empty() {
            parts.push(format!("({})", self.spec.filter));
        }
        if !self.ties.is_empty() {
            if let Ok(e) = expr::pk_not_in(&self.pk, &self.ties) {
                parts.push(e);
            }
        }
        parts.join(" and ")
    }

    async fn search(&self, size: i64, range: Option<(f32, f32)>) -> Result<m::SearchResults> {
        let mut user = self.spec.search_params.clone();
        if let Some((radius, range_filter)) = range {
            let params = user
                .entry("params")
                .or_insert_with(|| serde_json::json!({}));
            if let Some(p) = params.as_object_mut() {
                p.insert("radius".into(), serde_json::json!(radius));
                p.insert("range_filter".into(), serde_json::json!(range_filter));
            }
        }
        let mut params = crate::codec::search::search_params(
            size,
            None,
            self.spec.round_decimal,
            self.spec.anns_field.as_deref(),
            Some(&user),
        )?;
        if let Some(v2) = &self.v2 {
            // Where pymilvus puts them: after topk, round_decimal and ignore_growing.
            let kv = |k: &str, v: String| KeyValuePair {
                key: k.into(),
                value: v,
            };
            let mut keys = vec![
                kv("iterator", "True".into()),
                kv("collection_id", v2.collection_id.to_string()),
                kv("search_iter_v2", "True".into()),
                kv("search_iter_batch_size", size.to_string()),
            ];
            if let Some(b) = v2.last_bound {
                keys.push(kv("search_iter_last_bound", py_float(b as f64)));
            }
            if let Some(t) = &v2.token {
                keys.push(kv("search_iter_id", t.clone()));
            }
            params.splice(3..3, keys);
        }
        let req = m::SearchRequest {
            collection_name: self.spec.collection_name.clone(),
            partition_names: self.spec.partition_names.clone(),
            dsl: self.filter(),
            dsl_type: crate::proto::common::DslType::BoolExprV1 as i32,
            search_input: Some(m::search_request::SearchInput::PlaceholderGroup(
                self.spec.query.placeholder(),
            )),
            output_fields: self.spec.output_fields.clone(),
            search_params: params,
            guarantee_timestamp: self.guarantee_ts,
            nq: 1,
            // V2 as pymilvus sends it: the collection's level, the pinned timestamp.
            consistency_level: if self.v2.is_some() { 0 } else { CUSTOMIZED },
            use_default_consistency: self.v2.is_some(),
            ..Default::default()
        };
        let client = self.client.clone();
        client.search(req, &self.opts).await
    }

    /// The next page (a search result with one query), or None at the end.
    pub async fn next_page(&mut self) -> Result<Option<crate::proto::schema::SearchResultData>> {
        let left = self
            .spec
            .limit
            .map(|l| l - self.returned)
            .unwrap_or(i64::MAX);
        if self.done || left <= 0 {
            self.done = true;
            return Ok(None);
        }
        let size = self.spec.batch_size.min(left);
        if self.v2.is_some() {
            return self.next_v2_page(size).await;
        }
        let page = match self.last_distance {
            None => self.search(size, None).await?.results.unwrap_or_default(),
            Some(last) => {
                // Widen the range until it holds a whole page (as pymilvus fills its batches);
                // a wider range holds everything a narrower one did.
                let mut found = None;
                let mut width = self.width;
                for _ in 0..MAX_WIDENINGS {
                    let edge = if self.smaller_is_closer {
                        last + width
                    } else {
                        last - width
                    };
                    if !edge.is_finite() {
                        break;
                    }
                    let r = self
                        .search(size, Some((edge, last)))
                        .await?
                        .results
                        .unwrap_or_default();
                    let full = r.scores.len() as i64 >= size;
                    if !r.scores.is_empty() {
                        found = Some(r);
                    }
                    if full {
                        self.width = width;
                        break;
                    }
                    width *= 2.0;
                }
                match found {
                    Some(r) => r,
                    None => {
                        self.done = true;
                        return Ok(None);
                    }
                }
            }
        };
        let n = page.scores.len();
        if n == 0 {
            self.done = true;
            return Ok(None);
        }
        let first = page.scores[0];
        let last = page.scores[n - 1];
        if self.last_distance.is_none() {
            self.width = (last - first).abs().max(0.05);
        }
        if self.last_distance != Some(last) {
            self.ties.clear();
        }
        let ids = page_ids(&page);
        for (id, score) in ids.into_iter().zip(&page.scores) {
            if *score == last {
                self.ties.push(id);
            }
        }
        self.last_distance = Some(last);
        self.returned += n as i64;
        if (n as i64) < size && self.spec.limit.is_some_and(|l| self.returned >= l) {
            self.done = true;
        }
        Ok(Some(page))
    }
}

impl SearchIterator {
    async fn next_v2_page(
        &mut self,
        size: i64,
    ) -> Result<Option<crate::proto::schema::SearchResultData>> {
        let page = self.search(size, None).await?.results.unwrap_or_default();
        let info = page
            .search_iterator_v2_results
            .as_ref()
            .filter(|v| !v.token.is_empty())
            .ok_or_else(|| {
                crate::error::Error::new(
                    crate::error::ErrorKind::Internal,
                    "the server stopped iterating: a page came without its iterator token",
                )
            })?;
        let v2 = self.v2.get_or_insert_with(V2::default);
        v2.last_bound = Some(info.last_bound);
        if v2.token.is_none() {
            v2.token = Some(info.token.clone());
        }
        let n = page.scores.len();
        if n == 0 {
            self.done = true;
            return Ok(None);
        }
        self.returned += n as i64;
        Ok(Some(page))
    }
}

fn page_ids(page: &crate::proto::schema::SearchResultData) -> Vec<serde_json::Value> {
    use crate::proto::schema::i_ds::IdField;
    match page.ids.as_ref().and_then(|i| i.id_field.as_ref()) {
        Some(IdField::IntId(a)) => a.data.iter().map(|i| serde_json::json!(i)).collect(),
        Some(IdField::StrId(a)) => a.data.iter().map(|s| serde_json::json!(s)).collect(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::{page_request, py_float, QueryIteratorSpec};

    #[test]
    fn pages_ask_for_the_output_fields_as_given() {
        let mut spec = QueryIteratorSpec {
            collection_name: "c".into(),
            output_fields: vec!["color".into()],
            partition_names: vec!["p".into()],
            batch_size: 10,
            ..Default::default()
        };
        let req = page_request(&spec, "id > 5".into(), 10, 77, 9);
        // Not the primary key too: the server sends it anyway.
        assert_eq!(req.output_fields, ["color"]);
        assert_eq!(
            (
                req.expr.as_str(),
                req.guarantee_timestamp,
                req.consistency_level
            ),
            ("id > 5", 77, 4)
        );
        assert_eq!(req.partition_names, ["p"]);
        let params: Vec<(&str, &str)> = req
            .query_params
            .iter()
            .map(|p| (p.key.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(
            params,
            [
                ("limit", "10"),
                ("ignore_growing", "False"),
                ("reduce_stop_for_best", "True"),
                ("iterator", "True"),
                ("collection_id", "9")
            ]
        );
        // None asked for: none sent (the server then returns the primary key alone).
        spec.output_fields.clear();
        assert!(page_request(&spec, String::new(), 10, 77, 9)
            .output_fields
            .is_empty());
    }

    #[test]
    fn floats_as_python_writes_them() {
        for (x, want) in [
            (4.0, "4.0"),
            (0.5, "0.5"),
            (-1.25, "-1.25"),
            (0.3208564817905426, "0.3208564817905426"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (1e16, "1e+16"),
            (123456789.0, "123456789.0"),
            (0.0, "0.0"),
            (f64::INFINITY, "inf"),
        ] {
            assert_eq!(py_float(x), want, "{x}");
        }
    }
}
