//! Data methods: insert, delete, get, query, search.

use super::{call_opts, parse_args};
use crate::client::{self, Client, WriteBody};
use crate::codec::columns::{Column, Columns, Kind};
use crate::codec::rows::{self, WriteMode};
use crate::codec::typed::{cost, ids_json};
use crate::codec::{expr, rerank, results, schema, search, vectors};
use crate::error::{Error, ErrorKind, Result};
use crate::proto::common::{DslType, KeyValuePair};
use crate::proto::milvus as m;
use crate::proto::schema::i_ds;
use serde::Deserialize;
use serde_json::{Map, Value};

/// Booleans in request parameters, spelled as pymilvus spells them.
fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

fn templates(
    params: Option<&Map<String, Value>>,
) -> Result<std::collections::HashMap<String, crate::proto::schema::TemplateValue>> {
    params
        .map(expr::template_values)
        .unwrap_or_else(|| Ok(Default::default()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InsertArgs<'a> {
    collection_name: String,
    #[serde(borrow)]
    data: &'a serde_json::value::RawValue,
    partition_name: Option<String>,
    partial_update: Option<bool>,
    timeout: Option<f64>,
}

fn write_result(r: &m::MutationResult, upsert: bool) -> Vec<u8> {
    let (key, count) = if upsert {
        ("upsert_count", r.upsert_cnt)
    } else {
        ("insert_count", r.insert_cnt)
    };
    let out = serde_json::json!({key: count, "ids": ids_json(r.i_ds.as_ref()), "cost": cost(r)});
    out.to_string().into_bytes()
}

async fn write(c: &Client, args: &str, upsert: bool) -> Result<Vec<u8>> {
    // A repeated insert reads its rows in one pass (the schema is cached); anything else, and
    // every error, goes the general way below.
    if let Some(p) = rows::one_pass_write(args, upsert, &|n| c.cached_info(n)) {
        let opts = call_opts(p.timeout)?;
        let partition = p.partition_name.as_deref().unwrap_or("");
        let mode = if upsert {
            WriteMode::Upsert
        } else {
            WriteMode::Insert
        };
        let first = (p.info, WriteBody::Fields(p.fields), p.rows);
        // The one pass keeps no rows text: a retry reads the arguments again.
        let reread =
            |info: &_| client::rows_body(info, parse_args::<InsertArgs>(args)?.data.get(), mode);
        let r = c
            .send_write(
                &p.collection_name,
                partition,
                mode,
                Some(first),
                reread,
                &opts,
            )
            .await?;
        return Ok(write_result(&r, upsert));
    }
    let a: InsertArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let rows = a.data.get();
    if !rows.starts_with(['[', '{']) {
        return Err(Error::invalid(
            "data must be a row object or a list of row objects",
        ));
    }
    let partition = a.partition_name.as_deref().unwrap_or("");
    let mode = match (upsert, a.partial_update.unwrap_or(false)) {
        (false, false) => WriteMode::Insert,
        (false, true) => return Err(Error::invalid("partial_update belongs to upsert")),
        (true, false) => WriteMode::Upsert,
        (true, true) => WriteMode::PartialUpsert,
    };
    let r = c
        .write_rows(&a.collection_name, partition, rows, mode, &opts)
        .await?;
    Ok(write_result(&r, upsert))
}

/// `{"insert_count": n, "ids": [...]}`.
pub async fn insert(c: &Client, args: &str) -> Result<Vec<u8>> {
    write(c, args, false).await
}

/// `{"upsert_count": n, "ids": [...]}`: rows replace those with the same primary key.
pub async fn upsert(c: &Client, args: &str) -> Result<Vec<u8>> {
    write(c, args, true).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeleteArgs {
    collection_name: String,
    ids: Option<Value>,
    filter: Option<String>,
    filter_params: Option<Map<String, Value>>,
    partition_name: Option<String>,
    consistency_level: Option<Value>,
    timeout: Option<f64>,
}

/// Whether an optional argument says something: not null, not an empty text or list.
fn is_given(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(l) => !l.is_empty(),
        _ => true,
    }
}

fn id_list(ids: Value) -> Vec<Value> {
    match ids {
        Value::Array(a) => a,
        one => vec![one],
    }
}

/// The Delete request of rows matching `expr`, as pymilvus sends it: the consistency level
/// given (that of the filter's evaluation), else 0 (Strong).
fn delete_request(a: DeleteArgs, expr: String) -> Result<m::DeleteRequest> {
    Ok(m::DeleteRequest {
        collection_name: a.collection_name,
        partition_name: a.partition_name.unwrap_or_default(),
        expr,
        expr_template_values: templates(a.filter_params.as_ref())?,
        consistency_level: a
            .consistency_level
            .as_ref()
            .map(schema::parse_consistency)
            .transpose()?
            .unwrap_or(0),
        ..Default::default()
    })
}

/// `{"delete_count": n}`.
pub async fn delete(c: &Client, args: &str) -> Result<Vec<u8>> {
    let mut a: DeleteArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let filter = a.filter.take().filter(|f| !f.is_empty());
    let expr = match (a.ids.take(), filter) {
        (Some(_), Some(_)) => return Err(Error::invalid("give either ids or filter, not both")),
        (None, None) => {
            return Err(Error::new(
                ErrorKind::MissingField,
                "delete needs ids or filter",
            ))
        }
        (None, Some(f)) => f,
        (Some(ids), None) => {
            let info = c.collection_info(&a.collection_name, &opts).await?;
            expr::pk_in(info.primary(), &id_list(ids))?
        }
    };
    let req = delete_request(a, expr)?;
    let r = c.delete(req, &opts).await?;
    Ok(
        serde_json::json!({"delete_count": r.delete_cnt, "cost": cost(&r)})
            .to_string()
            .into_bytes(),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QueryArgs {
    collection_name: String,
    ignore_growing: Option<bool>,
    group_by_fields: Option<Vec<String>>,
    order_by_fields: Option<Value>,
    /// pymilvus's other name for `order_by_fields` in query.
    order_by: Option<Value>,
    reduce_stop_for_best: Option<bool>,
    timezone: Option<String>,
    time_fields: Option<String>,
    filter: Option<String>,
    filter_params: Option<Map<String, Value>>,
    output_fields: Option<Vec<String>>,
    limit: Option<i64>,
    offset: Option<i64>,
    ids: Option<Value>,
    partition_names: Option<Vec<String>>,
    consistency_level: Option<Value>,
    timeout: Option<f64>,
}

/// A query's `query_params`, as pymilvus writes them.
fn query_params(a: &QueryArgs) -> Result<Vec<KeyValuePair>> {
    let mut params = Vec::new();
    let kv = |k: &str, v: String| KeyValuePair {
        key: k.into(),
        value: v,
    };
    if let Some(l) = a.limit {
        params.push(kv("limit", l.to_string()));
    }
    if let Some(o) = a.offset {
        params.push(kv("offset", o.to_string()));
    }
    if let Some(t) = a.timezone.clone() {
        params.push(kv("timezone", t));
    }
    if let Some(t) = a.time_fields.clone() {
        params.push(kv("time_fields", t));
    }
    params.push(kv(
        "ignore_growing",
        py_bool(a.ignore_growing.unwrap_or(false)).into(),
    ));
    params.push(kv(
        "reduce_stop_for_best",
        py_bool(a.reduce_stop_for_best.unwrap_or(false)).into(),
    ));
    // pymilvus takes `order_by` when `order_by_fields` is absent or empty.
    let order_by = match &a.order_by_fields {
        Some(v) if is_given(v) => Some(v),
        _ => a.order_by.as_ref(),
    };
    if let Some(o) = order_by
        .map(|v| search::order_by_fields(v, true))
        .transpose()?
        .flatten()
    {
        params.push(kv("order_by_fields", o));
    }
    if let Some(g) = a.group_by_fields.as_ref().filter(|g| !g.is_empty()) {
        params.push(kv("group_by_fields", g.join(",")));
    }
    Ok(params)
}

/// A query's reply.
pub(crate) async fn query_reply(c: &Client, mut a: QueryArgs) -> Result<m::QueryResults> {
    let opts = call_opts(a.timeout)?;
    let filter = a.filter.take().filter(|f| !f.is_empty());
    let expr = match (a.ids.take(), filter) {
        (Some(_), Some(_)) => return Err(Error::invalid("give either ids or filter, not both")),
        (Some(ids), None) => {
            let info = c.collection_info(&a.collection_name, &opts).await?;
            expr::pk_in(info.primary(), &id_list(ids))?
        }
        (None, f) => f.unwrap_or_default(),
    };
    let params = query_params(&a)?;
    let level = a
        .consistency_level
        .as_ref()
        .map(schema::parse_consistency)
        .transpose()?;
    let (consistency_level, guarantee_timestamp, use_default_consistency) =
        search::consistency(level, c.last_write_ts(&a.collection_name));
    // As pymilvus: no output fields, or an empty list, means every field.
    let output_fields = a
        .output_fields
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| vec!["*".into()]);
    let req = m::QueryRequest {
        collection_name: a.collection_name.clone(),
        expr,
        expr_template_values: templates(a.filter_params.as_ref())?,
        output_fields,
        partition_names: a.partition_names.unwrap_or_default(),
        guarantee_timestamp,
        query_params: params,
        consistency_level,
        use_default_consistency,
        ..Default::default()
    };
    c.query(req, &opts).await
}

async fn run_query(c: &Client, a: QueryArgs) -> Result<Vec<u8>> {
    let r = query_reply(c, a).await?;
    results::query_rows(&r.fields_data, &r.output_fields)
}

/// A list of row objects.
pub async fn query(c: &Client, args: &str) -> Result<Vec<u8>> {
    run_query(c, parse_args(args)?).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GetArgs {
    collection_name: String,
    ids: Value,
    consistency_level: Option<Value>,
    output_fields: Option<Vec<String>>,
    partition_names: Option<Vec<String>>,
    timeout: Option<f64>,
}

/// get's arguments as a query by primary keys.
pub(crate) fn get_as_query(args: &str) -> Result<QueryArgs> {
    let a: GetArgs = parse_args(args)?;
    Ok(QueryArgs {
        collection_name: a.collection_name,
        filter: None,
        filter_params: None,
        ignore_growing: None,
        group_by_fields: None,
        order_by_fields: None,
        order_by: None,
        reduce_stop_for_best: None,
        timezone: None,
        time_fields: None,
        output_fields: a.output_fields,
        limit: None,
        offset: None,
        ids: Some(a.ids),
        partition_names: a.partition_names,
        consistency_level: a.consistency_level,
        timeout: a.timeout,
    })
}

/// The rows with these primary keys.
pub async fn get(c: &Client, args: &str) -> Result<Vec<u8>> {
    run_query(c, get_as_query(args)?).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SearchArgs {
    collection_name: String,
    ignore_growing: Option<bool>,
    data: Option<Value>,
    ids: Option<Value>,
    filter: Option<String>,
    filter_params: Option<Map<String, Value>>,
    limit: Option<i64>,
    offset: Option<i64>,
    output_fields: Option<Vec<String>>,
    search_params: Option<Map<String, Value>>,
    anns_field: Option<String>,
    partition_names: Option<Vec<String>>,
    round_decimal: Option<i64>,
    consistency_level: Option<Value>,
    group_by_field: Option<String>,
    group_by_fields: Option<Vec<String>>,
    group_size: Option<i64>,
    strict_group_size: Option<bool>,
    order_by_fields: Option<Value>,
    page_retain_order: Option<bool>,
    /// Group-by on a JSON field: the path, the type its values are cast to, and whether a value
    /// of another type is an error.
    json_path: Option<String>,
    json_type: Option<Value>,
    strict_cast: Option<bool>,
    timezone: Option<String>,
    time_fields: Option<String>,
    ranker: Option<Map<String, Value>>,
    function_chains: Option<Value>,
    highlighter: Option<Value>,
    search_aggregation: Option<Value>,
    timeout: Option<f64>,
}

impl SearchArgs {
    /// Whether the search groups its hits into buckets (the answer is then not only hits).
    pub(crate) fn aggregates(&self) -> bool {
        self.search_aggregation
            .as_ref()
            .is_some_and(|v| !v.is_null())
    }
}

/// Query vectors: one list of floats, or a list of them. Mixed lengths are an error.
fn query_vectors(data: &Value) -> Result<Vec<Vec<f32>>> {
    let list = data
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| Error::invalid("data: no query vectors"))?;
    let nested: Vec<&Value> = if list[0].is_array() {
        list.iter().collect()
    } else {
        vec![data]
    };
    let mut out = Vec::with_capacity(nested.len());
    for (i, v) in nested.into_iter().enumerate() {
        let mut f = Vec::new();
        vectors::float_list(v, 0, &mut f).map_err(|e| e.context(format!("data[{i}]")))?;
        if let Some(first) = out.first().map(Vec::len) {
            if f.len() != first {
                return Err(Error::new(
                    ErrorKind::DimensionMismatch,
                    format!("data[{i}] has {} elements, data[0] has {first}", f.len()),
                ));
            }
        }
        out.push(f);
    }
    Ok(out)
}

/// The queries of `data`: texts (full-text search; each a VarChar placeholder value, as
/// pymilvus sends them), sparse vectors (`{"index": value}` objects) or float vectors, whose
/// dimension is checked when the schema is cached.
fn query_data(
    c: &Client,
    collection: &str,
    anns_field: Option<&str>,
    data: &Value,
) -> Result<search::Queries> {
    if let Some(texts) = search::query_texts(data)? {
        return Ok(search::Queries::Texts(texts));
    }
    if let Some(rows) = search::query_sparse(data)? {
        check_sparse(c, collection, anns_field)?;
        return Ok(search::Queries::Sparse(rows));
    }
    let vectors = query_vectors(data)?;
    check_dim(c, collection, anns_field, &vectors)?;
    Ok(search::Queries::Vectors(vectors))
}

/// Sparse queries for a field that is not sparse are refused here when the schema is cached.
fn check_sparse(c: &Client, collection: &str, anns_field: Option<&str>) -> Result<()> {
    use crate::proto::schema::DataType;
    let Some(info) = c.cached_info(collection) else {
        return Ok(());
    };
    let field = match anns_field.filter(|a| !a.is_empty()) {
        Some(n) => info.field(n),
        None => {
            let mut vectors = info
                .fields
                .iter()
                .filter(|f| f.dim > 0 || f.data_type == DataType::SparseFloatVector);
            match (vectors.next(), vectors.next()) {
                (Some(f), None) => Some(f),
                _ => None,
            }
        }
    };
    match field.filter(|f| f.data_type != DataType::SparseFloatVector) {
        Some(f) => Err(Error::new(
            ErrorKind::TypeMismatch,
            format!(
                "data: sparse query vectors, but field {:?} is {}",
                f.name,
                f.data_type.as_str_name()
            ),
        )),
        None => Ok(()),
    }
}

/// A wrong dimension is caught here when the schema is already cached, else by the server.
fn check_dim(
    c: &Client,
    collection: &str,
    anns_field: Option<&str>,
    vectors: &[Vec<f32>],
) -> Result<()> {
    let Some(info) = c.cached_info(collection) else {
        return Ok(());
    };
    let field = match anns_field {
        Some(n) => info.field(n),
        None => info
            .fields
            .iter()
            .find(|f| f.data_type == crate::proto::schema::DataType::FloatVector),
    };
    match field.filter(|f| f.dim != 0 && f.dim != vectors[0].len()) {
        Some(f) => Err(Error::new(
            ErrorKind::DimensionMismatch,
            format!(
                "data: query vectors have {} elements, field {:?} has dim {}",
                vectors[0].len(),
                f.name,
                f.dim
            ),
        )),
        None => Ok(()),
    }
}

fn positive_limit(limit: Option<i64>) -> Result<i64> {
    match limit.unwrap_or(10) {
        l if l > 0 => Ok(l),
        l => Err(Error::invalid(format!("limit must be positive, not {l}"))),
    }
}

/// A search reply with what rendering it needs.
pub(crate) struct SearchOut {
    pub reply: m::SearchResults,
    pub round_decimal: i64,
    pub nq: usize,
}

/// One list per query vector of `{"id", "distance", "entity"}` hits.
/// With `search_aggregation`: `{"hits": [...], "agg_buckets": [[bucket, ...], ...]}`.
pub async fn search(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: SearchArgs = parse_args(args)?;
    let aggregates = a.aggregates();
    let o = search_reply(c, a, None).await?;
    if !aggregates {
        return hits_json(o.reply, o.round_decimal, o.nq);
    }
    let buckets = match &o.reply.results {
        Some(r) => crate::codec::aggregation::buckets_json(r)?,
        None => Value::Array(Vec::new()),
    };
    let hits = hits_json(o.reply, o.round_decimal, o.nq)?;
    let mut out = Vec::with_capacity(hits.len() + 64);
    out.extend_from_slice(b"{\"hits\":");
    out.extend_from_slice(&hits);
    out.extend_from_slice(b",\"agg_buckets\":");
    out.extend_from_slice(buckets.to_string().as_bytes());
    out.push(b'}');
    Ok(out)
}

/// Sends a search. `queries`, when given, are the query vectors (typed path) instead of
/// `data`/`ids`.
pub(crate) async fn search_reply(
    c: &Client,
    a: SearchArgs,
    queries: Option<&Column>,
) -> Result<SearchOut> {
    let opts = call_opts(a.timeout)?;
    let limit = positive_limit(a.limit)?;
    let round_decimal = a.round_decimal.unwrap_or(-1);
    // Query vectors, or (newer servers) the primary keys of rows whose vectors to search with.
    let (input, nq) = match (&a.data, &a.ids) {
        (None, None) if queries.is_some() => {
            let q = queries.unwrap_or_else(|| unreachable!());
            typed_queries(c, &a.collection_name, q)?
        }
        (Some(_), _) | (_, Some(_)) if queries.is_some() => {
            return Err(Error::invalid(
                "the query vectors come from the columns: give no data or ids",
            ))
        }
        (Some(data), None) => {
            let q = query_data(c, &a.collection_name, a.anns_field.as_deref(), data)?;
            (
                m::search_request::SearchInput::PlaceholderGroup(q.placeholder()),
                q.len(),
            )
        }
        (None, Some(ids)) => {
            let ids = id_list(ids.clone());
            let info = c.collection_info(&a.collection_name, &opts).await?;
            let pk = info.primary();
            let field = match pk.data_type {
                crate::proto::schema::DataType::Int64 => {
                    i_ds::IdField::IntId(crate::proto::schema::LongArray {
                        data: ids
                            .iter()
                            .map(|v| {
                                v.as_i64().ok_or_else(|| {
                                    Error::invalid(format!("ids: {v} is not an INT64 key"))
                                })
                            })
                            .collect::<Result<_>>()?,
                    })
                }
                _ => i_ds::IdField::StrId(crate::proto::schema::StringArray {
                    data: ids
                        .iter()
                        .map(|v| {
                            v.as_str().map(str::to_string).ok_or_else(|| {
                                Error::invalid(format!("ids: {v} is not a VARCHAR key"))
                            })
                        })
                        .collect::<Result<_>>()?,
                }),
            };
            if ids.is_empty() {
                return Err(Error::invalid("ids: the list is empty"));
            }
            // Older servers drop the unknown search input and answer with no hits at all.
            if let Some(v) = c.server_version().filter(|v| *v < (2, 6, 0)) {
                return Err(Error::new(
                    ErrorKind::Unimplemented,
                    format!(
                        "search by primary keys needs Milvus 2.6 or later; the server is {}.{}.{}",
                        v.0, v.1, v.2
                    ),
                ));
            }
            let nq = ids.len();
            (
                m::search_request::SearchInput::Ids(crate::proto::schema::IDs {
                    id_field: Some(field),
                }),
                nq,
            )
        }
        (Some(_), Some(_)) => {
            return Err(Error::invalid(
                "give either data (query vectors) or ids, not both",
            ))
        }
        (None, None) => {
            return Err(Error::new(
                ErrorKind::MissingField,
                "search needs data (query vectors) or ids",
            ))
        }
    };
    let user = with_page_retain_order(a.search_params, a.page_retain_order)?;
    let mut params = search::search_params(
        limit,
        a.offset,
        round_decimal,
        a.anns_field.as_deref(),
        user.as_ref(),
    )?;
    let group_by_fields = a.group_by_fields.filter(|g| !g.is_empty());
    let search_aggregation = match a.search_aggregation.as_ref().filter(|v| !v.is_null()) {
        Some(_) if a.group_by_field.as_deref().is_some_and(|g| !g.is_empty()) => {
            return Err(Error::invalid(
                "search_aggregation and group_by_field are mutually exclusive",
            ))
        }
        Some(_) if group_by_fields.is_some() => {
            return Err(Error::invalid(
                "search_aggregation and group_by_fields are mutually exclusive",
            ))
        }
        Some(v) => Some(crate::codec::aggregation::spec(v)?),
        None => None,
    };
    // After topk, round_decimal, ignore_growing and offset, where pymilvus puts them.
    let kv = |k: &str, v: String| KeyValuePair {
        key: k.into(),
        value: v,
    };
    let mut group = Vec::new();
    if let Some(g) = a.group_by_field.filter(|g| !g.is_empty()) {
        group.push(kv("group_by_field", g));
    }
    if let Some(g) = group_by_fields {
        group.push(kv("group_by_fields", g.join(",")));
    }
    if let Some(n) = a.group_size {
        group.push(kv("group_size", n.to_string()));
    }
    if let Some(b) = a.strict_group_size {
        group.push(kv("strict_group_size", py_bool(b).into()));
    }
    if let Some(o) = a
        .order_by_fields
        .as_ref()
        .map(|v| search::order_by_fields(v, false))
        .transpose()?
        .flatten()
    {
        group.push(kv("order_by_fields", o));
    }
    if let Some(p) = a.json_path {
        group.push(kv("json_path", p));
    }
    if let Some(t) = a.json_type.as_ref().filter(|t| !t.is_null()) {
        group.push(kv("json_type", json_cast_type(t)?.into()));
    }
    if let Some(b) = a.strict_cast {
        group.push(kv("strict_cast", py_bool(b).into()));
    }
    let at = params
        .iter()
        .position(|p| {
            !["topk", "round_decimal", "ignore_growing", "offset"].contains(&p.key.as_str())
        })
        .unwrap_or(params.len());
    params.splice(at..at, group);
    // Before `params`, the last key, where pymilvus puts them.
    let time = [("timezone", a.timezone), ("time_fields", a.time_fields)];
    let last = params.len() - 1;
    params.splice(
        last..last,
        time.into_iter().filter_map(|(k, v)| v.map(|v| kv(k, v))),
    );
    // Growing segments are ignored when the argument or search_params says so.
    if a.ignore_growing == Some(true) {
        if let Some(p) = params.iter_mut().find(|p| p.key == "ignore_growing") {
            p.value = py_bool(true).into();
        }
    }
    let level = a
        .consistency_level
        .as_ref()
        .map(schema::parse_consistency)
        .transpose()?;
    let (consistency_level, guarantee_timestamp, use_default_consistency) =
        search::consistency(level, c.last_write_ts(&a.collection_name));
    let function_score = a.ranker.as_ref().map(search_ranker).transpose()?;
    // An empty list is no chain, as in pymilvus.
    let function_chains = match a
        .function_chains
        .as_ref()
        .filter(|v| !v.is_null() && v.as_array().is_none_or(|l| !l.is_empty()))
    {
        Some(_) if function_score.is_some() => {
            return Err(Error::invalid(
                "function_chains and ranker cannot be used together",
            ))
        }
        Some(v) => rerank::function_chains(v)?,
        None => Vec::new(),
    };
    let highlighter = a
        .highlighter
        .as_ref()
        .filter(|v| !v.is_null())
        .map(rerank::highlighter)
        .transpose()?;
    let req = m::SearchRequest {
        collection_name: a.collection_name.clone(),
        partition_names: a.partition_names.unwrap_or_default(),
        dsl: a.filter.unwrap_or_default(),
        expr_template_values: templates(a.filter_params.as_ref())?,
        dsl_type: DslType::BoolExprV1 as i32,
        search_input: Some(input),
        output_fields: a.output_fields.unwrap_or_default(),
        search_params: params,
        guarantee_timestamp,
        nq: nq as i64,
        consistency_level,
        use_default_consistency,
        function_score,
        function_chains,
        highlighter,
        search_aggregation,
        ..Default::default()
    };
    let reply = c.search(req, &opts).await?;
    Ok(SearchOut {
        reply,
        round_decimal,
        nq,
    })
}

/// The name pymilvus sends for the type a JSON group-by casts its values to (`json_type`: a
/// data type's name or number; BOOL, INT8 to INT64 and VARCHAR only).
fn json_cast_type(t: &Value) -> Result<&'static str> {
    use crate::proto::schema::DataType as D;
    Ok(match schema::parse_type(t)? {
        D::Int8 => "Int8",
        D::Int16 => "Int16",
        D::Int32 => "Int32",
        D::Int64 => "Int64",
        D::Bool => "Bool",
        D::VarChar | D::String => "VarChar",
        other => {
            return Err(Error::invalid(format!(
                "json_type: values cannot be cast to {}",
                schema::type_name(other as i32)
            )))
        }
    })
}

/// `search_params` with the `page_retain_order` argument in its `params`, where pymilvus puts
/// it; pymilvus sends no `false` argument, and refuses the key in both places.
fn with_page_retain_order(
    user: Option<Map<String, Value>>,
    keep: Option<bool>,
) -> Result<Option<Map<String, Value>>> {
    let Some(keep) = keep else {
        return Ok(user);
    };
    let mut user = user.unwrap_or_default();
    if user.contains_key("page_retain_order") {
        return Err(Error::invalid(
            "page_retain_order is given both as an argument and in search_params: give it once",
        ));
    }
    if keep {
        let params = user
            .entry("params")
            .or_insert_with(|| Value::Object(Map::new()));
        if params.is_null() {
            *params = Value::Object(Map::new());
        }
        match params.as_object_mut() {
            Some(p) => {
                p.insert("page_retain_order".into(), Value::Bool(true));
            }
            None => return Err(Error::invalid("search_params.params must be an object")),
        }
    }
    Ok(Some(user))
}

/// A search's `ranker`: reranking functions only (fusion strategies belong to hybrid_search).
fn search_ranker(r: &Map<String, Value>) -> Result<crate::proto::schema::FunctionScore> {
    if !rerank::is_function(r) {
        return Err(Error::invalid(
            "ranker: search takes a function or {\"functions\": [...]}, not a {\"strategy\": ...} ranker",
        ));
    }
    rerank::function_score(r, true)
}

/// The placeholder of a typed query column, its dimension checked when the schema is cached.
fn typed_queries(
    c: &Client,
    collection: &str,
    q: &Column,
) -> Result<(m::search_request::SearchInput, usize)> {
    use crate::proto::common::PlaceholderType as P;
    let kind = match q.kind {
        Kind::FloatVector => P::FloatVector,
        Kind::BinaryVector => P::BinaryVector,
        Kind::Float16Vector => P::Float16Vector,
        Kind::BFloat16Vector => P::BFloat16Vector,
        Kind::Int8Vector => P::Int8Vector,
        Kind::SparseVector => P::SparseFloatVector,
        _ => {
            return Err(Error::new(
                ErrorKind::TypeMismatch,
                format!("query column {:?} does not hold vectors", q.name),
            ))
        }
    };
    if let Some(info) = c.cached_info(collection) {
        let field = if q.name.is_empty() {
            info.fields.iter().find(|f| schema::is_vector(f.data_type))
        } else {
            info.field(&q.name)
        };
        if let Some(f) = field.filter(|f| f.dim != 0 && q.dim != 0 && f.dim != q.dim) {
            return Err(Error::new(
                ErrorKind::DimensionMismatch,
                format!(
                    "query vectors have dim {}, field {:?} has dim {}",
                    q.dim, f.name, f.dim
                ),
            ));
        }
    }
    let values: Vec<Vec<u8>> = q.rows().iter().map(|r| r.to_vec()).collect();
    let nq = values.len();
    Ok((
        m::search_request::SearchInput::PlaceholderGroup(search::placeholder(kind, values)),
        nq,
    ))
}

/// A search reply as one list of hits per query (`nq` empty lists when there are no results).
fn hits_json(r: m::SearchResults, round_decimal: i64, nq: usize) -> Result<Vec<u8>> {
    match r.results {
        Some(res) => results::search_hits(&res, round_decimal),
        None => Ok(format!("[{}]", vec!["[]"; nq].join(",")).into_bytes()),
    }
}

/// One sub-search of hybrid_search (pymilvus's `AnnSearchRequest`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnnRequest {
    data: Option<Value>,
    anns_field: String,
    param: Option<Map<String, Value>>,
    limit: Option<i64>,
    expr: Option<String>,
    /// pymilvus's other name for `expr`.
    filter: Option<String>,
    expr_params: Option<Map<String, Value>>,
}

impl AnnRequest {
    /// The sub-search's filter: `expr` or `filter`, not both (as pymilvus checks).
    fn filter(&self) -> Result<String> {
        match (&self.expr, &self.filter) {
            (Some(_), Some(_)) => Err(Error::invalid(
                "give the request's filter as expr or filter, not both",
            )),
            (Some(f), None) | (None, Some(f)) => Ok(f.clone()),
            (None, None) => Ok(String::new()),
        }
    }
}

/// The ranker that fuses sub-search results: `{"strategy": "rrf", "params": {"k": 60}}` or
/// `{"strategy": "weighted", "params": {"weights": [0.7, 0.3], "norm_score": true}}`
/// (`norm_score` defaults to true).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Ranker {
    strategy: String,
    params: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HybridArgs {
    collection_name: String,
    reqs: Vec<AnnRequest>,
    ranker: Map<String, Value>,
    function_chains: Option<Value>,
    search_aggregation: Option<Value>,
    limit: Option<i64>,
    output_fields: Option<Vec<String>>,
    partition_names: Option<Vec<String>>,
    round_decimal: Option<i64>,
    consistency_level: Option<Value>,
    timeout: Option<f64>,
}

/// Several vector searches fused by a ranker: one list per query vector of hits, as search.
pub async fn hybrid_search(c: &Client, args: &str) -> Result<Vec<u8>> {
    let o = hybrid_reply(c, parse_args(args)?, None).await?;
    hits_json(o.reply, o.round_decimal, o.nq)
}

/// Sends a hybrid search; with `queries`, each request's vectors are the column named by its
/// `anns_field`.
pub(crate) async fn hybrid_reply(
    c: &Client,
    a: HybridArgs,
    queries: Option<&Columns>,
) -> Result<SearchOut> {
    let opts = call_opts(a.timeout)?;
    if a.function_chains.as_ref().is_some_and(|v| !v.is_null()) {
        return Err(Error::invalid(
            "function_chains is not supported by hybrid_search (as in pymilvus)",
        ));
    }
    if a.search_aggregation.as_ref().is_some_and(|v| !v.is_null()) {
        return Err(Error::invalid(
            "search_aggregation is not supported by hybrid_search (as in pymilvus)",
        ));
    }
    if a.reqs.is_empty() {
        return Err(Error::invalid("reqs: give at least one search request"));
    }
    let limit = positive_limit(a.limit)?;
    let round_decimal = a.round_decimal.unwrap_or(-1);
    let level = a
        .consistency_level
        .as_ref()
        .map(schema::parse_consistency)
        .transpose()?;
    let (consistency_level, guarantee_timestamp, use_default_consistency) =
        search::consistency(level, c.last_write_ts(&a.collection_name));
    let partition_names = a.partition_names.unwrap_or_default();
    let mut nq = None;
    let mut requests = Vec::with_capacity(a.reqs.len());
    for (i, r) in a.reqs.iter().enumerate() {
        let ctx = |e: Error| e.context(format!("reqs[{i}]"));
        let (input, n) = match (&r.data, queries) {
            (Some(data), None) => {
                let q =
                    query_data(c, &a.collection_name, Some(&r.anns_field), data).map_err(ctx)?;
                (q.placeholder(), q.len())
            }
            (None, Some(cols)) => {
                let col = cols
                    .columns
                    .iter()
                    .find(|col| col.name == r.anns_field)
                    .ok_or_else(|| {
                        ctx(Error::new(
                            ErrorKind::MissingField,
                            format!("no query column named {:?}", r.anns_field),
                        ))
                    })?;
                match typed_queries(c, &a.collection_name, col).map_err(ctx)? {
                    (m::search_request::SearchInput::PlaceholderGroup(p), n) => (p, n),
                    _ => unreachable!("typed queries are placeholders"),
                }
            }
            (Some(_), Some(_)) => {
                return Err(ctx(Error::invalid(
                    "the query vectors come from the columns: give no data",
                )))
            }
            (None, None) => {
                return Err(ctx(Error::new(
                    ErrorKind::MissingField,
                    "a request needs data (query vectors)",
                )))
            }
        };
        if *nq.get_or_insert(n) != n {
            return Err(ctx(Error::invalid(
                "every request needs the same number of query vectors",
            )));
        }
        let params = sub_search_params(r, limit, round_decimal).map_err(ctx)?;
        requests.push(m::SearchRequest {
            collection_name: a.collection_name.clone(),
            partition_names: partition_names.clone(),
            dsl: r.filter().map_err(ctx)?,
            expr_template_values: templates(r.expr_params.as_ref()).map_err(ctx)?,
            dsl_type: DslType::BoolExprV1 as i32,
            search_input: Some(m::search_request::SearchInput::PlaceholderGroup(input)),
            search_params: params,
            nq: n as i64,
            guarantee_timestamp,
            consistency_level,
            use_default_consistency,
            ..Default::default()
        });
    }
    let (rank_params, function_score) =
        rank_params(a.ranker, requests.len(), limit, round_decimal)?;
    let nq = nq.unwrap_or(0);
    let req = m::HybridSearchRequest {
        collection_name: a.collection_name,
        partition_names,
        requests,
        rank_params,
        guarantee_timestamp,
        output_fields: a.output_fields.unwrap_or_default(),
        consistency_level,
        use_default_consistency,
        function_score,
        ..Default::default()
    };
    let reply = c.hybrid_search(req, &opts).await?;
    Ok(SearchOut {
        reply,
        round_decimal,
        nq,
    })
}

/// One sub-search's parameters: its own limit (else the hybrid search's), and the hybrid
/// search's round_decimal, as pymilvus passes it to every sub-search.
fn sub_search_params(r: &AnnRequest, limit: i64, round_decimal: i64) -> Result<Vec<KeyValuePair>> {
    let sub_limit = positive_limit(r.limit.or(Some(limit)))?;
    search::search_params(
        sub_limit,
        None,
        round_decimal,
        Some(&r.anns_field),
        r.param.as_ref(),
    )
}

/// A hybrid search's rank parameters, and its function_score when the ranker is a function.
fn rank_params(
    ranker: Map<String, Value>,
    n_requests: usize,
    limit: i64,
    round_decimal: i64,
) -> Result<(
    Vec<KeyValuePair>,
    Option<crate::proto::schema::FunctionScore>,
)> {
    let (mut params, function_score) = if rerank::is_function(&ranker) {
        (Vec::new(), Some(rerank::function_score(&ranker, false)?))
    } else {
        (fusion_params(ranker, n_requests)?, None)
    };
    let kv = |k: &str, v: String| KeyValuePair {
        key: k.into(),
        value: v,
    };
    params.extend([
        kv("limit", limit.to_string()),
        kv("round_decimal", round_decimal.to_string()),
        kv("offset", "0".into()),
    ]);
    Ok((params, function_score))
}

/// The rank parameters of an RRF or weighted fusion of `n` requests, with the defaults of
/// pymilvus's rankers: RRF's k is 60 (Milvus 2.5 refuses an RRF ranker without k), and a
/// weighted ranker normalises scores (a server left to its own default, as Milvus Lite 3, may
/// weigh raw distances, whose scales differ).
fn fusion_params(ranker: Map<String, Value>, n: usize) -> Result<Vec<KeyValuePair>> {
    let r: Ranker = serde_json::from_value(Value::Object(ranker))
        .map_err(|e| Error::invalid(format!("ranker: {e}")))?;
    let strategy = r.strategy.to_ascii_lowercase();
    if strategy != "rrf" && strategy != "weighted" {
        return Err(Error::invalid(format!(
            "ranker.strategy must be \"rrf\" or \"weighted\", not {:?}",
            r.strategy
        )));
    }
    let mut params = r.params.unwrap_or_default();
    if strategy == "rrf" {
        params.entry("k").or_insert(Value::from(60));
    }
    if strategy == "weighted" {
        let weights = params
            .get("weights")
            .and_then(Value::as_array)
            .map(Vec::len);
        if weights != Some(n) {
            return Err(Error::invalid(format!(
                "ranker: weighted needs one weight per request ({n})"
            )));
        }
        params.entry("norm_score").or_insert(Value::Bool(true));
    }
    Ok(vec![
        KeyValuePair {
            key: "strategy".into(),
            value: strategy,
        },
        KeyValuePair {
            key: "params".into(),
            value: Value::Object(params).to_string(),
        },
    ])
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalyzerArgs {
    texts: Value,
    analyzer_params: Option<Value>,
    with_hash: Option<bool>,
    with_detail: Option<bool>,
    collection_name: Option<String>,
    field_name: Option<String>,
    analyzer_names: Option<Value>,
    timeout: Option<f64>,
}

fn strings(v: &Value, what: &str) -> Result<(Vec<String>, bool)> {
    match v {
        Value::String(s) => Ok((vec![s.clone()], true)),
        Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| Error::invalid(format!("{what}: {x} is not a string")))
            })
            .collect::<Result<Vec<_>>>()
            .map(|l| (l, false)),
        other => Err(Error::invalid(format!(
            "{what} must be a string or a list of strings, not {other}"
        ))),
    }
}

/// The tokens a text analyzer makes of `texts`: for one text `{"tokens": [...]}`, for a list
/// one such object per text. Tokens are strings, or objects with offsets, position (and
/// hash) when `with_detail` / `with_hash` is set.
pub async fn run_analyzer(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: AnalyzerArgs = parse_args(args)?;
    let (texts, single) = strings(&a.texts, "texts")?;
    let (with_hash, with_detail) = (a.with_hash.unwrap_or(false), a.with_detail.unwrap_or(false));
    let req = m::RunAnalyzerRequest {
        analyzer_params: match a.analyzer_params {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s,
            Some(other) => other.to_string(),
        },
        placeholder: texts.into_iter().map(String::into_bytes).collect(),
        with_detail,
        with_hash,
        collection_name: a.collection_name.unwrap_or_default(),
        field_name: a.field_name.unwrap_or_default(),
        analyzer_names: match &a.analyzer_names {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => strings(v, "analyzer_names")?.0,
        },
        ..Default::default()
    };
    let r = c.run_analyzer(req, &call_opts(a.timeout)?).await?;
    let results: Vec<Value> = r
        .results
        .iter()
        .map(|res| {
            let tokens: Vec<Value> = res
                .tokens
                .iter()
                .map(|t| {
                    if !with_detail && !with_hash {
                        return Value::String(t.token.clone());
                    }
                    let mut o = serde_json::json!({"token": t.token});
                    if with_detail {
                        o["start_offset"] = t.start_offset.into();
                        o["end_offset"] = t.end_offset.into();
                        o["position"] = t.position.into();
                        o["position_length"] = t.position_length.into();
                    }
                    if with_hash {
                        o["hash"] = t.hash.into();
                    }
                    o
                })
                .collect();
            serde_json::json!({ "tokens": tokens })
        })
        .collect();
    let out = if single {
        results.into_iter().next().unwrap_or(Value::Null)
    } else {
        Value::Array(results)
    };
    Ok(out.to_string().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ranker(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn params(kv: &[KeyValuePair]) -> Value {
        let p = kv.iter().find(|p| p.key == "params").unwrap();
        serde_json::from_str(&p.value).unwrap()
    }

    #[test]
    fn delete_sends_the_consistency_level_given() {
        let req = |args: Value| {
            let a: DeleteArgs = serde_json::from_value(args).unwrap();
            delete_request(a, "id > 0".into())
        };
        let r = req(
            json!({"collection_name": "c", "filter": "id > 0", "partition_name": "p",
                           "filter_params": {"n": 1}, "consistency_level": "Bounded"}),
        )
        .unwrap();
        assert_eq!(
            (
                r.collection_name.as_str(),
                r.partition_name.as_str(),
                r.expr.as_str()
            ),
            ("c", "p", "id > 0")
        );
        assert_eq!(r.consistency_level, 2);
        assert_eq!(r.expr_template_values.len(), 1);
        let strong = req(json!({"collection_name": "c", "filter": "id > 0"})).unwrap();
        assert_eq!(strong.consistency_level, 0);
        assert_eq!(
            req(json!({"collection_name": "c", "consistency_level": 3}))
                .unwrap()
                .consistency_level,
            3
        );
        assert!(req(json!({"collection_name": "c", "consistency_level": "Soon"})).is_err());
    }

    #[test]
    fn json_cast_types_as_pymilvus_names_them() {
        for (t, want) in [
            (json!("INT64"), "Int64"),
            (json!("DataType.VARCHAR"), "VarChar"),
            (json!(1), "Bool"),
            (json!("int8"), "Int8"),
        ] {
            assert_eq!(json_cast_type(&t).unwrap(), want, "{t}");
        }
        for bad in [json!("FLOAT"), json!("JSON"), json!("nope")] {
            assert!(json_cast_type(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn query_params_as_pymilvus_writes_them() {
        let params = |args: Value| {
            let a: QueryArgs = serde_json::from_value(args).unwrap();
            query_params(&a).map(|p| {
                p.into_iter()
                    .map(|kv| (kv.key, kv.value))
                    .collect::<Vec<_>>()
            })
        };
        let pairs = |l: &[(&str, &str)]| {
            l.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            params(json!({"collection_name": "c"})).unwrap(),
            pairs(&[
                ("ignore_growing", "False"),
                ("reduce_stop_for_best", "False")
            ])
        );
        let all = json!({"collection_name": "c", "limit": 5, "offset": 2, "timezone": "UTC",
                         "time_fields": "year", "ignore_growing": true,
                         "reduce_stop_for_best": true, "group_by_fields": ["a", "b"],
                         "order_by_fields": [{"field": "a", "order": "desc"}, "b:asc"]});
        assert_eq!(
            params(all).unwrap(),
            pairs(&[
                ("limit", "5"),
                ("offset", "2"),
                ("timezone", "UTC"),
                ("time_fields", "year"),
                ("ignore_growing", "True"),
                ("reduce_stop_for_best", "True"),
                ("order_by_fields", "a:desc,b:asc"),
                ("group_by_fields", "a,b")
            ])
        );
        // `order_by` when `order_by_fields` says nothing, as pymilvus reads them.
        let alias = json!({"collection_name": "c", "order_by_fields": [], "order_by": "d:asc"});
        assert!(params(alias)
            .unwrap()
            .contains(&("order_by_fields".into(), "d:asc".into())));
    }

    #[test]
    fn sub_searches_carry_the_round_decimal() {
        let r: AnnRequest =
            serde_json::from_value(json!({"data": [[1.0]], "anns_field": "v"})).unwrap();
        let p = sub_search_params(&r, 7, 3).unwrap();
        let get = |k: &str| p.iter().find(|x| x.key == k).map(|x| x.value.as_str());
        assert_eq!((get("topk"), get("round_decimal")), (Some("7"), Some("3")));
        assert_eq!(get("anns_field"), Some("v"));
        // The filter under either name, not both.
        let r = |v: Value| serde_json::from_value::<AnnRequest>(v).unwrap().filter();
        assert_eq!(
            r(json!({"anns_field": "v", "filter": "a > 1"})).unwrap(),
            "a > 1"
        );
        assert_eq!(
            r(json!({"anns_field": "v", "expr": "a > 1"})).unwrap(),
            "a > 1"
        );
        assert_eq!(r(json!({"anns_field": "v"})).unwrap(), "");
        assert!(r(json!({"anns_field": "v", "expr": "a", "filter": "b"})).is_err());
    }

    #[test]
    fn page_retain_order_goes_into_params() {
        let user = |v: Value| v.as_object().cloned();
        assert_eq!(
            with_page_retain_order(user(json!({"params": {"nprobe": 8}})), Some(true)).unwrap(),
            user(json!({"params": {"nprobe": 8, "page_retain_order": true}}))
        );
        assert_eq!(
            with_page_retain_order(None, Some(true)).unwrap(),
            user(json!({"params": {"page_retain_order": true}}))
        );
        // pymilvus sends no false argument.
        assert_eq!(
            with_page_retain_order(user(json!({"ef": 1})), Some(false)).unwrap(),
            user(json!({"ef": 1}))
        );
        assert_eq!(with_page_retain_order(None, None).unwrap(), None);
        let both = user(json!({"page_retain_order": true}));
        assert!(with_page_retain_order(both, Some(true)).is_err());
    }

    #[test]
    fn weighted_ranker_normalises_unless_told_not_to() {
        let (kv, _) = rank_params(
            ranker(json!({"strategy": "Weighted", "params": {"weights": [1.0, 0.0]}})),
            2,
            3,
            -1,
        )
        .unwrap();
        assert_eq!(
            params(&kv),
            json!({"weights": [1.0, 0.0], "norm_score": true})
        );
        let pairs: Vec<(&str, &str)> = kv
            .iter()
            .filter(|p| p.key != "params")
            .map(|p| (p.key.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("strategy", "weighted"),
                ("limit", "3"),
                ("round_decimal", "-1"),
                ("offset", "0")
            ]
        );
        let raw =
            json!({"strategy": "weighted", "params": {"weights": [0.5], "norm_score": false}});
        assert_eq!(
            params(&rank_params(ranker(raw), 1, 3, -1).unwrap().0),
            json!({"weights": [0.5], "norm_score": false})
        );
    }

    #[test]
    fn rrf_k_is_60_unless_given() {
        let (kv, _) = rank_params(ranker(json!({"strategy": "rrf"})), 2, 10, 2).unwrap();
        assert_eq!(params(&kv), json!({"k": 60}));
        let (kv, _) = rank_params(
            ranker(json!({"strategy": "RRF", "params": {"k": 5}})),
            2,
            10,
            2,
        )
        .unwrap();
        assert_eq!(params(&kv), json!({"k": 5}));
        assert_eq!(kv[0].value, "rrf");
    }

    #[test]
    fn bad_rankers_are_refused() {
        for (r, n) in [
            (json!({"strategy": "max"}), 1),
            (
                json!({"strategy": "weighted", "params": {"weights": [1.0]}}),
                2,
            ),
            (json!({"strategy": "weighted"}), 1),
            (json!({"strategy": "rrf", "extra": 1}), 1),
        ] {
            let e = rank_params(ranker(r.clone()), n, 10, -1).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidArgument, "{r}");
        }
    }

    #[test]
    fn a_function_ranker_sends_only_the_common_rank_params() {
        let f = json!({"name": "r", "type": "RERANK", "params": {"reranker": "rrf", "k": 60}});
        let (kv, fs) = rank_params(ranker(f), 2, 10, -1).unwrap();
        let keys: Vec<&str> = kv.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["limit", "round_decimal", "offset"]);
        assert_eq!(fs.unwrap().functions[0].name, "r");
    }
}
