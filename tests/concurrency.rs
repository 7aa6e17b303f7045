//! One client shared by many threads: a bounded run of mixed inserts, deletes, searches,
//! queries and gets on each of the three test servers (Milvus 2.3.5 standalone, Milvus Lite
//! 2.5.1 and Milvus Lite 3.2.2), then an exact account of every acknowledged write.

mod common;
use common::*;
use milvus::Client;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant};

#[test]
fn handles_are_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Client>();
    shareable::<milvus::ffi::client::milvus_client>();
    shareable::<milvus::Error>();
    shareable::<milvus::ffi::error::milvus_error>();
}

const THREADS: i64 = 16;
const RUN: Duration = Duration::from_secs(20);
/// Each thread's ids are `t * SPAN + n`.
const SPAN: i64 = 10_000_000;

fn vector(id: i64) -> Value {
    json!([(id % 97) as f32, (id % 13) as f32, 1.0, 0.5])
}

/// What one thread wrote and had acknowledged.
#[derive(Default)]
struct Ledger {
    inserted: Vec<i64>,
    deleted: Vec<i64>,
    ops: usize,
}

fn worker(c: &Client, name: &str, t: i64, label: &str) -> Ledger {
    let mut l = Ledger::default();
    let mut next = t * SPAN;
    let start = Instant::now();
    let mut op = 0usize;
    while start.elapsed() < RUN {
        op += 1;
        let ctx = |what: &str| format!("{label} thread {t} op {op} ({what})");
        match op % 8 {
            0..=3 => {
                let ids: Vec<i64> = (next..next + 10).collect();
                next += 10;
                let rows: Vec<_> = ids
                    .iter()
                    .map(|&id| json!({"id": id, "vector": vector(id), "t": t}))
                    .collect();
                let r = call(c, m::insert, json!({"collection_name": name, "data": rows}))
                    .unwrap_or_else(|e| panic!("{}: {e}", ctx("insert")));
                assert_eq!(r["insert_count"], 10, "{}", ctx("insert"));
                l.inserted.extend(ids);
            }
            4 => {
                // The two oldest live rows of this thread.
                let live: Vec<i64> = l
                    .inserted
                    .iter()
                    .filter(|id| !l.deleted.contains(id))
                    .take(2)
                    .copied()
                    .collect();
                if live.is_empty() {
                    continue;
                }
                call(c, m::delete, json!({"collection_name": name, "ids": live}))
                    .unwrap_or_else(|e| panic!("{}: {e}", ctx("delete")));
                l.deleted.extend(live);
            }
            5 => {
                let hits = call(
                    c,
                    m::search,
                    json!({"collection_name": name, "data": [vector(op as i64)], "limit": 5}),
                )
                .unwrap_or_else(|e| panic!("{}: {e}", ctx("search")));
                assert!(hits[0].as_array().unwrap().len() <= 5);
            }
            6 => {
                let rows = call(
                    c,
                    m::query,
                    json!({"collection_name": name, "filter": format!("t == {t}"), "limit": 10}),
                )
                .unwrap_or_else(|e| panic!("{}: {e}", ctx("query")));
                assert!(rows.as_array().unwrap().len() <= 10);
            }
            _ => {
                let Some(&id) = l.inserted.last() else {
                    continue;
                };
                let rows = call(c, m::get, json!({"collection_name": name, "ids": [id]}))
                    .unwrap_or_else(|e| panic!("{}: {e}", ctx("get")));
                assert!(rows.as_array().unwrap().len() <= 1);
            }
        }
        l.ops += 1;
    }
    l
}

/// How many times each of `ids` is stored (Strong consistency: every acknowledged write).
fn stored(c: &Client, name: &str, ids: &[i64]) -> HashMap<i64, usize> {
    let mut seen = HashMap::new();
    for chunk in ids.chunks(1000) {
        let rows = call(
            c,
            m::query,
            json!({"collection_name": name, "filter": format!("id in {chunk:?}"),
                   "output_fields": ["id"], "consistency_level": "Strong"}),
        )
        .unwrap();
        for r in rows.as_array().unwrap() {
            *seen.entry(r["id"].as_i64().unwrap()).or_insert(0) += 1;
        }
    }
    seen
}

fn mixed_load(label: &str, uri: &str) {
    let c = connect(uri);
    let name = unique("concurrency");
    call(
        &c,
        m::create_collection,
        json!({"collection_name": name, "dimension": 4, "metric_type": "L2"}),
    )
    .unwrap();
    let t0 = Instant::now();
    let ledgers: Vec<Ledger> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (c, name) = (&c, &name);
                s.spawn(move || worker(c, name, t, label))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let ran = t0.elapsed();
    assert!(
        ran < RUN + Duration::from_secs(60),
        "{label}: no deadlock ({ran:?})"
    );
    let inserted: Vec<i64> = ledgers.iter().flat_map(|l| l.inserted.clone()).collect();
    let deleted: Vec<i64> = ledgers.iter().flat_map(|l| l.deleted.clone()).collect();
    let ops: usize = ledgers.iter().map(|l| l.ops).sum();
    eprintln!(
        "{label}: {ops} operations in {ran:?} by {THREADS} threads, {} rows inserted, {} deleted",
        inserted.len(),
        deleted.len()
    );
    assert!(
        ledgers.iter().all(|l| !l.inserted.is_empty()),
        "{label}: every thread wrote"
    );
    let live: Vec<i64> = inserted
        .iter()
        .filter(|id| !deleted.contains(id))
        .copied()
        .collect();
    let found = stored(&c, &name, &live);
    let missing: Vec<_> = live.iter().filter(|id| !found.contains_key(id)).collect();
    assert!(
        missing.is_empty(),
        "{label}: acknowledged inserts missing: {missing:?}"
    );
    let twice: Vec<_> = found.iter().filter(|(_, &n)| n != 1).collect();
    assert!(
        twice.is_empty(),
        "{label}: stored more than once: {twice:?}"
    );
    let gone = stored(&c, &name, &deleted);
    assert!(
        gone.is_empty(),
        "{label}: deleted rows still there: {gone:?}"
    );
    let total = call(
        &c,
        m::query,
        json!({"collection_name": name, "filter": "", "output_fields": ["count(*)"],
               "consistency_level": "Strong"}),
    )
    .unwrap();
    assert_eq!(total[0]["count(*)"], json!(live.len()), "{label}");
    call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
}

fn on(label: &str) {
    if let Some(uri) = server(label) {
        mixed_load(label, &uri);
    }
}

#[test]
fn sixteen_threads_share_one_client_on_standalone() {
    on("standalone");
}

#[test]
fn sixteen_threads_share_one_client_on_lite() {
    on("lite");
}

#[test]
fn sixteen_threads_share_one_client_on_lite3() {
    on("lite3");
}
