//! query_iterator and search_iterator against the three test servers (Milvus 2.3.5
//! standalone, Milvus Lite 2.5.1 and Milvus Lite 3.2.2): every row exactly once, in key or
//! distance order.

mod common;
use common::*;
use milvus::ErrorKind;
use serde_json::{json, Value};
use std::sync::Arc;

fn drain(c: &Arc<milvus::Client>, args: Value) -> Vec<Vec<Value>> {
    let mut it = block(milvus::api::iterator::query_iterator(
        c.clone(),
        &args.to_string(),
    ))
    .unwrap();
    let mut pages = Vec::new();
    loop {
        let page: Value =
            serde_json::from_slice(&block(milvus::api::iterator::next_page(&mut it)).unwrap())
                .unwrap();
        let rows = page.as_array().unwrap().clone();
        if rows.is_empty() {
            // Exhausted iterators stay exhausted.
            let again = block(milvus::api::iterator::next_page(&mut it)).unwrap();
            assert_eq!(again, b"[]");
            return pages;
        }
        pages.push(rows);
    }
}

#[test]
fn ten_thousand_rows_each_exactly_once() {
    for (label, uri) in servers() {
        let c = Arc::new(connect(&uri));
        let name = unique("iter");
        call(
            &c,
            m::create_collection,
            json!({"collection_name": name, "dimension": 2}),
        )
        .unwrap();
        for chunk in 0..2 {
            let rows: Vec<Value> = (0..5000)
                .map(|i| {
                    let id = chunk * 5000 + i;
                    json!({"id": id, "vector": [1.0, id as f32], "odd": id % 2 == 1})
                })
                .collect();
            call(
                &c,
                m::insert,
                json!({"collection_name": name, "data": rows}),
            )
            .unwrap();
        }
        let pages = drain(
            &c,
            json!({"collection_name": name, "batch_size": 1000, "output_fields": ["id"]}),
        );
        assert_eq!(pages.len(), 10, "{label}: ten full pages");
        let ids: Vec<i64> = pages
            .iter()
            .flatten()
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        assert_eq!(
            ids,
            (0..10_000).collect::<Vec<i64>>(),
            "{label}: every row once, in key order"
        );
        assert!(
            pages
                .iter()
                .flatten()
                .all(|r| r.as_object().unwrap().len() == 1),
            "{label}: only the fields asked for"
        );

        // A filter, an offset and a limit, with a batch that does not divide them.
        let pages = drain(
            &c,
            json!({"collection_name": name, "batch_size": 300, "filter": "id >= 100 and id < 2100",
                                     "offset": 50, "limit": 1000, "output_fields": ["odd"]}),
        );
        let rows: Vec<&Value> = pages.iter().flatten().collect();
        assert_eq!(rows.len(), 1000, "{label}");
        assert_eq!(
            rows[0]["id"],
            json!(150),
            "{label}: the offset skipped 50 rows"
        );
        assert_eq!(rows[999]["id"], json!(1149), "{label}");
        assert_eq!(
            rows[1]["odd"],
            json!(true),
            "{label}: dynamic field read back"
        );
        assert!(pages.iter().all(|p| p.len() <= 300), "{label}");
        call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
    }
}

#[test]
fn string_keys_with_quotes_and_bad_arguments() {
    for (label, uri) in servers() {
        let c = Arc::new(connect(&uri));
        let name = unique("iters");
        call(
            &c,
            m::create_collection,
            json!({"collection_name": name, "dimension": 2, "id_type": "string", "max_length": 16}),
        )
        .unwrap();
        let keys = ["a\"1", "a\\2", "b'3", "c 4", "d5"];
        let rows: Vec<Value> = keys
            .iter()
            .map(|k| json!({"id": k, "vector": [0.5, 0.5]}))
            .collect();
        call(
            &c,
            m::insert,
            json!({"collection_name": name, "data": rows}),
        )
        .unwrap();
        let pages = drain(&c, json!({"collection_name": name, "batch_size": 2}));
        let got: Vec<&str> = pages
            .iter()
            .flatten()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            got, keys,
            "{label}: cursors after keys holding quotes and backslashes"
        );
        assert_eq!(pages.len(), 3, "{label}");
        for bad in [
            json!({"collection_name": name, "batch_size": 0}),
            json!({"collection_name": name, "limit": -2}),
            json!({"collection_name": name, "colour": 1}),
        ] {
            let e = block(milvus::api::iterator::query_iterator(
                c.clone(),
                &bad.to_string(),
            ))
            .err()
            .unwrap();
            assert_eq!(e.kind, ErrorKind::InvalidArgument, "{label}: {bad}");
        }
        let e = block(milvus::api::iterator::query_iterator(
            c.clone(),
            &json!({"collection_name": unique("missing")}).to_string(),
        ))
        .err()
        .unwrap();
        assert_eq!(e.kind, ErrorKind::CollectionNotFound, "{label}");
        call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
    }
}

fn drain_search(c: &Arc<milvus::Client>, args: Value) -> Vec<Vec<Value>> {
    let mut it = block(milvus::api::iterator::search_iterator(
        c.clone(),
        &args.to_string(),
    ))
    .unwrap();
    let mut pages = Vec::new();
    loop {
        let page: Value =
            serde_json::from_slice(&block(milvus::api::iterator::next_page(&mut it)).unwrap())
                .unwrap();
        let hits = page.as_array().unwrap().clone();
        if hits.is_empty() {
            return pages;
        }
        pages.push(hits);
    }
}

/// search_iterator: distance order, every row once, ties split across pages included (on
/// Milvus Lite 3.2.2 only as far as its range search reaches).
#[test]
fn search_iterator_walks_outward() {
    for (label, uri) in servers() {
        let c = Arc::new(connect(&uri));
        let name = unique("siter");
        call(
            &c,
            m::create_collection,
            json!({"collection_name": name, "dimension": 2, "metric_type": "L2"}),
        )
        .unwrap();
        let mut rows: Vec<Value> = (0..100)
            .map(|i| json!({"id": i, "vector": [i as f32, 0.0], "tag": format!("t{i}")}))
            .collect();
        // Ten more rows exactly as far as row 5: eleven hits at one distance.
        rows.extend((1000..1010).map(|i| json!({"id": i, "vector": [5.0, 0.0], "tag": "tie"})));
        call(
            &c,
            m::insert,
            json!({"collection_name": name, "data": rows}),
        )
        .unwrap();

        let pages = drain_search(
            &c,
            json!({"collection_name": name, "data": [[0.0, 0.0]], "batch_size": 30, "limit": 70, "output_fields": ["tag"]}),
        );
        // Milvus Lite 3.2.2 answers a range search from the limit × 5 nearest rows only: a
        // range beyond them comes back empty, and the iterator ends early (the third page of
        // 10 sees rows 0..50 only, all nearer than the range).
        let (want_sizes, nearest) = if label == "lite3" {
            (vec![30, 30], 50)
        } else {
            (vec![30, 30, 10], 60)
        };
        let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
        assert_eq!(
            sizes, want_sizes,
            "{label}: every page but the last is full"
        );
        let hits: Vec<&Value> = pages.iter().flatten().collect();
        let distances: Vec<f64> = hits
            .iter()
            .map(|h| h["distance"].as_f64().unwrap())
            .collect();
        assert!(
            distances.windows(2).all(|w| w[0] <= w[1]),
            "{label}: distance order {distances:?}"
        );
        let mut ids: Vec<i64> = hits.iter().map(|h| h["id"].as_i64().unwrap()).collect();
        ids.sort();
        let mut want: Vec<i64> = (0..nearest).chain(1000..1010).collect();
        want.sort();
        assert_eq!(ids, want, "{label}: the nearest, each once");
        assert_eq!(hits[0]["entity"]["tag"], json!("t0"), "{label}");

        // Small pages split the eleven-way tie; nothing is lost or repeated to the end.
        let pages = drain_search(
            &c,
            json!({"collection_name": name, "data": [0.0, 0.0], "batch_size": 4, "search_params": {"metric_type": "L2"}}),
        );
        let mut ids: Vec<i64> = pages
            .iter()
            .flatten()
            .map(|h| h["id"].as_i64().unwrap())
            .collect();
        let distances: Vec<f64> = pages
            .iter()
            .flatten()
            .map(|h| h["distance"].as_f64().unwrap())
            .collect();
        assert!(
            distances.windows(2).all(|w| w[0] <= w[1]),
            "{label}: distance order {distances:?}"
        );
        let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
        if label == "lite3" {
            // Pages of 4 see the 20 nearest rows only: the walk stops after row 10.
            assert_eq!(sizes, [4, 4, 4, 4, 4, 1], "{label}");
            ids.sort();
            let mut want: Vec<i64> = (0..=10).chain(1000..1010).collect();
            want.sort();
            assert_eq!(ids, want, "{label}: the nearest, each once");
        } else {
            assert_eq!(ids.len(), 110, "{label}: every row");
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), 110, "{label}: no repeats");
            assert_eq!(pages.len(), 28, "{label}: pages of 4, the last of 2");
            assert!(pages[..27].iter().all(|p| p.len() == 4), "{label}");
        }

        let e = block(milvus::api::iterator::search_iterator(
            c.clone(),
            &json!({"collection_name": name, "data": [[0.0, 0.0], [1.0, 1.0]]}).to_string(),
        ))
        .err()
        .unwrap();
        assert_eq!(
            e.kind,
            ErrorKind::InvalidArgument,
            "{label}: one query vector only"
        );
        call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
    }
}
