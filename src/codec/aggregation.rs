//! Search aggregation (Milvus 2.6+): the request's `search_aggregation` from the JSON form of
//! pymilvus's `SearchAggregation`, checked as pymilvus checks it, and the reply's buckets as
//! JSON.

use super::rerank::object;
use crate::error::{Error, Result};
use crate::proto::common::{
    MetricAggSpec, OrderSpec, SearchAggregationSpec, SortSpec, TopHitsSpec,
};
use crate::proto::schema::{
    agg_hit, agg_hit_field, bucket_key_entry, metric_value, AggBucket, AggHit, SearchResultData,
};
use serde_json::{json, Map, Value};

const METRIC_OPS: &[&str] = &["avg", "sum", "count", "min", "max"];
const DIRECTIONS: &[&str] = &["asc", "desc"];

fn positive(m: &Map<String, Value>, key: &str, what: &str) -> Result<i64> {
    m.get(key)
        .and_then(Value::as_i64)
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::invalid(format!("{what}.{key} must be a positive integer")))
}

/// `[{"name": "asc"}, ...]`: single-key objects mapping a name to a direction.
fn directions(v: Option<&Value>, what: &str) -> Result<Vec<(String, String)>> {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Ok(Vec::new());
    };
    let list = v
        .as_array()
        .ok_or_else(|| Error::invalid(format!("{what} must be a list")))?;
    list.iter()
        .map(|item| {
            let pair = item
                .as_object()
                .filter(|m| m.len() == 1)
                .and_then(|m| m.iter().next())
                .and_then(|(k, d)| Some((k.clone(), d.as_str()?.to_string())))
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "{what} entries are single-key objects like {{\"alias\": \"asc\"}}, not {item}"
                    ))
                })?;
            if !DIRECTIONS.contains(&pair.1.as_str()) {
                return Err(Error::invalid(format!(
                    "{what}: direction must be \"asc\" or \"desc\", not {:?}",
                    pair.1
                )));
            }
            Ok(pair)
        })
        .collect()
}

/// `search_aggregation`: `{"fields": [...], "size": n, "metrics": {alias: {op: field}},
/// "order": [{key: dir}], "top_hits": {"size": n, "sort": [{field: dir}]},
/// "sub_aggregation": {...}}`.
pub fn spec(v: &Value) -> Result<SearchAggregationSpec> {
    spec_at(v, "search_aggregation")
}

fn spec_at(v: &Value, what: &str) -> Result<SearchAggregationSpec> {
    let m = object(
        v,
        what,
        &[
            "fields",
            "size",
            "metrics",
            "order",
            "top_hits",
            "sub_aggregation",
        ],
    )?;
    let fields: Vec<String> = m
        .get("fields")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| Error::invalid(format!("{what}.fields must be a non-empty list of names")))?
        .iter()
        .map(|f| match f.as_str() {
            Some(s) if !s.is_empty() && !s.contains(['[', ']']) => Ok(s.to_string()),
            Some(s) if !s.is_empty() => Err(Error::invalid(format!(
                "{what}.fields: JSON paths such as {s:?} are not supported yet"
            ))),
            _ => Err(Error::invalid(format!(
                "{what}.fields must hold non-empty names"
            ))),
        })
        .collect::<Result<_>>()?;
    let size = positive(m, "size", what)?;
    let mut metrics = std::collections::HashMap::new();
    match m.get("metrics") {
        None | Some(Value::Null) => {}
        Some(Value::Object(ms)) => {
            for (alias, spec) in ms {
                let at = format!("{what}.metrics[{alias:?}]");
                if alias.is_empty() {
                    return Err(Error::invalid(format!("{what}.metrics: an alias is empty")));
                }
                let (op, field) = spec
                    .as_object()
                    .filter(|o| o.len() == 1)
                    .and_then(|o| o.iter().next())
                    .and_then(|(op, f)| Some((op.clone(), f.as_str()?.to_string())))
                    .ok_or_else(|| {
                        Error::invalid(format!(
                            "{at} must be one {{op: field}}, like {{\"avg\": \"price\"}}"
                        ))
                    })?;
                if !METRIC_OPS.contains(&op.as_str()) {
                    return Err(Error::invalid(format!(
                        "{at}: op must be one of {METRIC_OPS:?}, not {op:?}"
                    )));
                }
                if field.is_empty() || (field == "*" && op != "count") {
                    return Err(Error::invalid(format!(
                        "{at}: the field must be named (\"*\" only with count)"
                    )));
                }
                metrics.insert(
                    alias.clone(),
                    MetricAggSpec {
                        op,
                        field_name: field,
                    },
                );
            }
        }
        Some(_) => return Err(Error::invalid(format!("{what}.metrics must be an object"))),
    }
    let order = directions(m.get("order"), &format!("{what}.order"))?
        .into_iter()
        .map(|(key, direction)| {
            if key != "_count" && key != "_key" && !metrics.contains_key(&key) {
                return Err(Error::invalid(format!(
                    "{what}.order: {key:?} is neither a metric alias nor _count or _key"
                )));
            }
            Ok(OrderSpec {
                key,
                direction,
                null_first: false,
            })
        })
        .collect::<Result<_>>()?;
    let top_hits = match m.get("top_hits") {
        None | Some(Value::Null) => None,
        Some(t) => {
            let at = format!("{what}.top_hits");
            let tm = object(t, &at, &["size", "sort"])?;
            Some(TopHitsSpec {
                size: positive(tm, "size", &at)?,
                sort: directions(tm.get("sort"), &format!("{at}.sort"))?
                    .into_iter()
                    .map(|(field_name, direction)| SortSpec {
                        field_name,
                        direction,
                        null_first: false,
                    })
                    .collect(),
            })
        }
    };
    let sub_aggregation = match m.get("sub_aggregation") {
        None | Some(Value::Null) => None,
        Some(s) => Some(Box::new(spec_at(s, &format!("{what}.sub_aggregation"))?)),
    };
    Ok(SearchAggregationSpec {
        fields,
        size,
        metrics,
        order,
        top_hits,
        sub_aggregation,
        search_size: 0,
    })
}

fn hit_json(h: &AggHit) -> Value {
    let pk = match &h.pk {
        Some(agg_hit::Pk::IntPk(i)) => json!(i),
        Some(agg_hit::Pk::StrPk(s)) => json!(s),
        None => Value::Null,
    };
    let mut fields = Map::new();
    for f in &h.fields {
        let v = match &f.value {
            Some(agg_hit_field::Value::IntVal(i)) => json!(i),
            Some(agg_hit_field::Value::BoolVal(b)) => json!(b),
            Some(agg_hit_field::Value::FloatVal(x)) => json!(x),
            Some(agg_hit_field::Value::DoubleVal(x)) => json!(x),
            Some(agg_hit_field::Value::StringVal(s)) => json!(s),
            Some(agg_hit_field::Value::BytesVal(b)) => json!(b),
            None => continue,
        };
        let name = if f.field_name.is_empty() {
            f.field_id.to_string()
        } else {
            f.field_name.clone()
        };
        fields.insert(name, v);
    }
    json!({"pk": pk, "score": h.score, "fields": fields})
}

fn bucket_json(b: &AggBucket) -> Value {
    let key: Vec<Value> = b
        .key
        .iter()
        .map(|k| {
            let value = match &k.value {
                Some(bucket_key_entry::Value::IntVal(i)) => json!(i),
                Some(bucket_key_entry::Value::StringVal(s)) => json!(s),
                Some(bucket_key_entry::Value::BoolVal(x)) => json!(x),
                None => Value::Null,
            };
            let name = if k.field_name.is_empty() {
                k.field_id.to_string()
            } else {
                k.field_name.clone()
            };
            json!({"field_name": name, "field_id": k.field_id, "value": value})
        })
        .collect();
    let mut metrics: Vec<(&String, Value)> = b
        .metrics
        .iter()
        .map(|(alias, m)| {
            let v = match &m.value {
                Some(metric_value::Value::IntVal(i)) => json!(i),
                Some(metric_value::Value::DoubleVal(x)) => json!(x),
                Some(metric_value::Value::StringVal(s)) => json!(s),
                Some(metric_value::Value::BoolVal(x)) => json!(x),
                None => Value::Null,
            };
            (alias, v)
        })
        .collect();
    metrics.sort_by(|a, b| a.0.cmp(b.0));
    let metrics: Map<String, Value> = metrics.into_iter().map(|(k, v)| (k.clone(), v)).collect();
    json!({
        "key": key,
        "count": b.count,
        "metrics": metrics,
        "hits": b.hits.iter().map(hit_json).collect::<Vec<_>>(),
        "sub_groups": b.sub_groups.iter().map(bucket_json).collect::<Vec<_>>(),
    })
}

/// The reply's buckets, one list per query as `agg_topks` splits them (as pymilvus splits
/// them; without `agg_topks` only one query's buckets can be placed).
pub fn buckets_json(res: &SearchResultData) -> Result<Value> {
    let all: Vec<Value> = res.agg_buckets.iter().map(bucket_json).collect();
    if all.is_empty() {
        return Ok(json!([]));
    }
    if res.agg_topks.is_empty() {
        return if res.num_queries > 1 {
            Err(Error::new(
                crate::error::ErrorKind::Internal,
                format!(
                    "malformed search reply: {} buckets for {} queries without agg_topks",
                    all.len(),
                    res.num_queries
                ),
            ))
        } else {
            Ok(json!([all]))
        };
    }
    let total = res.agg_topks.iter().try_fold(0usize, |s, k| {
        usize::try_from(*k).ok().and_then(|k| s.checked_add(k))
    });
    if total != Some(all.len()) {
        return Err(Error::new(
            crate::error::ErrorKind::Internal,
            format!(
                "malformed search reply: agg_topks {:?} for {} buckets",
                res.agg_topks,
                all.len()
            ),
        ));
    }
    let mut it = all.into_iter();
    Ok(Value::Array(
        res.agg_topks
            .iter()
            .map(|k| Value::Array(it.by_ref().take(*k as usize).collect()))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::schema::{AggHitField, BucketKeyEntry, MetricValue};

    #[test]
    fn specs_as_pymilvus_builds_and_checks_them() {
        let s = spec(&json!({"fields": ["brand"], "size": 3,
            "metrics": {"avg_price": {"avg": "price"}, "n": {"count": "*"}},
            "order": [{"avg_price": "desc"}, {"_count": "asc"}],
            "top_hits": {"size": 2, "sort": [{"price": "asc"}]},
            "sub_aggregation": {"fields": ["color"], "size": 2}}))
        .unwrap();
        assert_eq!(s.fields, vec!["brand"]);
        assert_eq!(s.size, 3);
        assert_eq!(s.metrics["avg_price"].op, "avg");
        assert_eq!(s.metrics["n"].field_name, "*");
        assert_eq!(s.order[0].key, "avg_price");
        assert_eq!(s.order[1].direction, "asc");
        let t = s.top_hits.unwrap();
        assert_eq!((t.size, t.sort[0].field_name.as_str()), (2, "price"));
        assert_eq!(s.sub_aggregation.unwrap().fields, vec!["color"]);
        for (bad, says) in [
            (json!({"fields": [], "size": 1}), "fields"),
            (json!({"fields": ["m['a']"], "size": 1}), "JSON paths"),
            (json!({"fields": ["a"], "size": 0}), "size"),
            (json!({"fields": ["a"], "size": true}), "size"),
            (
                json!({"fields": ["a"], "size": 1, "metrics": {"x": {"median": "p"}}}),
                "op",
            ),
            (
                json!({"fields": ["a"], "size": 1, "metrics": {"x": {"avg": "*"}}}),
                "count",
            ),
            (
                json!({"fields": ["a"], "size": 1, "order": [{"zz": "asc"}]}),
                "zz",
            ),
            (
                json!({"fields": ["a"], "size": 1, "order": [{"_key": "up"}]}),
                "direction",
            ),
            (
                json!({"fields": ["a"], "size": 1, "top_hits": {"size": 1, "x": 1}}),
                "x",
            ),
            (
                json!({"fields": ["a"], "size": 1, "sub_aggregation": {"size": 1}}),
                "sub_aggregation.fields",
            ),
            (json!({"fields": ["a"], "size": 1, "group": 1}), "group"),
        ] {
            let e = spec(&bad).unwrap_err();
            assert!(e.message.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn buckets_split_per_query() {
        let bucket = |v: i64| AggBucket {
            key: vec![BucketKeyEntry {
                field_id: 101,
                field_name: "brand".into(),
                value: Some(bucket_key_entry::Value::IntVal(v)),
            }],
            count: 2,
            metrics: [(
                "avg".to_string(),
                MetricValue {
                    value: Some(metric_value::Value::DoubleVal(1.5)),
                },
            )]
            .into(),
            hits: vec![AggHit {
                pk: Some(agg_hit::Pk::IntPk(9)),
                score: 0.5,
                fields: vec![AggHitField {
                    field_id: 102,
                    field_name: "price".into(),
                    value: Some(agg_hit_field::Value::DoubleVal(3.0)),
                }],
            }],
            sub_groups: vec![],
        };
        let mut res = SearchResultData {
            num_queries: 2,
            agg_buckets: vec![bucket(1), bucket(2), bucket(3)],
            agg_topks: vec![1, 2],
            ..Default::default()
        };
        let v = buckets_json(&res).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 2);
        assert_eq!(v[1].as_array().unwrap().len(), 2);
        assert_eq!(
            v[0][0],
            json!({"key": [{"field_name": "brand", "field_id": 101, "value": 1}], "count": 2,
                   "metrics": {"avg": 1.5},
                   "hits": [{"pk": 9, "score": 0.5, "fields": {"price": 3.0}}],
                   "sub_groups": []})
        );
        res.agg_topks = vec![1, 1];
        assert!(buckets_json(&res).is_err());
        res.agg_topks = vec![];
        assert!(buckets_json(&res).is_err());
        res.num_queries = 1;
        assert_eq!(buckets_json(&res).unwrap().as_array().unwrap().len(), 1);
    }
}
