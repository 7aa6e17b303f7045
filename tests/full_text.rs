//! Full-text search and the Milvus 2.5 schema features on Milvus Lite 3.2.2 (MILVUS_LITE3_URI,
//! `scripts/servers.sh start lite3`): a BM25 function, text queries in search, hybrid_search
//! and search_iterator, `text_match` filters, nullable and default-valued fields.
//!
//! Milvus 2.3.5 and Lite 2.5.1 have none of these, so this file runs on Lite 3 only. With
//! MILVUS_LITE3_URI unset and no server on the default port, or with MILVUS_TEST_SERVERS
//! leaving lite3 out, it prints a note and passes; with MILVUS_LITE3_URI set (as `make test`
//! does), a missing server is a failure.

mod common;

use common::{block, call, connect, m, unique};
use milvus::{api, Client, ErrorKind};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The Lite 3 server's URI when something answers on its port, else None (after a note); None
/// too when MILVUS_TEST_SERVERS leaves lite3 out.
fn lite3() -> Option<String> {
    let uri = common::server("lite3")?;
    let addr = uri
        .trim_start_matches("http://")
        .trim_start_matches("https://")
        .trim_end_matches('/')
        .to_string();
    let up = std::net::ToSocketAddrs::to_socket_addrs(&addr)
        .ok()
        .and_then(|mut a| a.next())
        .is_some_and(|a| std::net::TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_ok());
    if !up {
        // `make test` sets the variable and starts the server: there, a missing server fails.
        assert!(
            std::env::var_os("MILVUS_LITE3_URI").is_none(),
            "MILVUS_LITE3_URI={uri} is set, but nothing answers there"
        );
        eprintln!(
            "note: tests/full_text.rs skipped: no Milvus Lite 3.2.2 at {uri} \
             (MILVUS_LITE3_URI; start it with scripts/servers.sh start lite3)"
        );
        return None;
    }
    Some(uri)
}

fn hybrid(c: &Client, a: &str) -> milvus::Result<Vec<u8>> {
    block(api::hybrid_search(c, a))
}

/// The ids of each query's hits.
fn ids(hits: &Value) -> Vec<Vec<i64>> {
    hits.as_array()
        .unwrap_or_else(|| panic!("not a list of queries: {hits}"))
        .iter()
        .map(|q| {
            q.as_array()
                .unwrap_or_else(|| panic!("not a list of hits: {q}"))
                .iter()
                .map(|h| {
                    h["id"]
                        .as_i64()
                        .unwrap_or_else(|| panic!("hit without id: {h}"))
                })
                .collect()
        })
        .collect()
}

/// Query rows sorted by id.
fn sorted(rows: Value) -> Vec<Value> {
    let mut rows = rows
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("not rows: {rows}"));
    rows.sort_by_key(|r| r["id"].as_i64());
    rows
}

const DOCS: [&str; 6] = [
    "vector database for AI",
    "the quick brown fox",
    "milvus is a vector database",
    "cooking pasta at home",
    "search engines rank documents",
    "brown bears eat fish",
];

/// Creates the collection and inserts DOCS as ids 1..=6: `note` is set for the odd ids only
/// (absent for 2 and 6, null for 4); `rank` (default 7) is set for 1, 3 and 5, null for 6.
fn setup(c: &Client, name: &str) {
    let schema = json!({
        "fields": [
            {"name": "id", "type": "INT64", "is_primary": true},
            {"name": "text", "type": "VARCHAR", "max_length": 1000, "enable_analyzer": true, "enable_match": true},
            {"name": "sparse", "type": "SPARSE_FLOAT_VECTOR"},
            {"name": "dense", "type": "FLOAT_VECTOR", "dim": 4},
            {"name": "note", "type": "VARCHAR", "max_length": 100, "nullable": true},
            {"name": "rank", "type": "INT64", "default_value": 7}
        ],
        "functions": [{"name": "bm25", "type": "BM25", "input_field_names": ["text"],
                       "output_field_names": ["sparse"]}]
    });
    let index = json!([
        {"field_name": "sparse", "index_type": "SPARSE_INVERTED_INDEX", "metric_type": "BM25"},
        {"field_name": "dense", "index_type": "FLAT", "metric_type": "L2"}
    ]);
    call(
        c,
        m::create_collection,
        json!({"collection_name": name, "schema": schema, "index_params": index}),
    )
    .unwrap();
    let dense = [
        [1.0, 0.0, 0.0, 0.0],
        [0.0, 1.0, 0.0, 0.0],
        [0.0, 0.0, 1.0, 0.0],
        [0.0, 0.0, 0.0, 1.0],
        [2.0, 1.0, 0.0, 0.0],
        [0.0, 1.0, 1.0, 0.0],
    ];
    let rows: Vec<Value> = (0..6)
        .map(|i| {
            let id = i as i64 + 1;
            let mut r = json!({"id": id, "text": DOCS[i], "dense": dense[i]});
            match id {
                1 | 3 | 5 => {
                    r["note"] = json!(format!("n{id}"));
                    r["rank"] = json!(id - 1);
                }
                4 => r["note"] = Value::Null,
                6 => r["rank"] = Value::Null,
                _ => {}
            }
            r
        })
        .collect();
    let r = call(c, m::insert, json!({"collection_name": name, "data": rows})).unwrap();
    assert_eq!(r["insert_count"], json!(6), "{r}");
    assert_eq!(r["ids"], json!([1, 2, 3, 4, 5, 6]), "{r}");
}

#[test]
fn full_text_search_on_lite3() {
    let Some(uri) = lite3() else { return };
    let t0 = Instant::now();
    let c = Arc::new(connect(&uri));
    let name = unique("fts");
    setup(&c, &name);

    // search by text: the document with every query word ranks first; only documents with a
    // query word are hits. Two queries at once, each its own list.
    let hits = call(
        &c,
        m::search,
        json!({"collection_name": name, "data": ["milvus vector database", "brown fox"],
               "anns_field": "sparse", "limit": 3, "output_fields": ["text"],
               "consistency_level": "Strong"}),
    )
    .unwrap();
    assert_eq!(ids(&hits), vec![vec![3, 1], vec![2, 6]], "{hits}");
    assert_eq!(hits[0][0]["entity"], json!({"text": DOCS[2]}), "{hits}");
    assert_eq!(hits[1][0]["entity"], json!({"text": DOCS[1]}), "{hits}");

    // The same search on the typed path (milvus_client_search_texts builds these arguments).
    let args =
        api::typed::search_texts_args(&name, "sparse", &["brown fox"], r#"{"limit": 3}"#).unwrap();
    let typed = block(api::typed::search_typed(&c, &args)).unwrap();
    let typed: Value = serde_json::from_slice(&typed.to_json().unwrap()).unwrap();
    assert_eq!(ids(&typed), vec![vec![2, 6]], "{typed}");

    // A list mixing texts and vectors is refused before anything is sent.
    let e = call(
        &c,
        m::search,
        json!({"collection_name": name, "data": ["brown fox", [0.0, 1.0, 0.0, 0.0]],
               "anns_field": "sparse"}),
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidArgument, "{e}");
    assert!(e.message.contains("data[1]"), "{e}");

    // text_match in search and in query.
    let hits = call(
        &c,
        m::search,
        json!({"collection_name": name, "data": ["vector database"], "anns_field": "sparse",
               "limit": 3, "filter": "text_match(text, 'milvus')", "consistency_level": "Strong"}),
    )
    .unwrap();
    assert_eq!(ids(&hits), vec![vec![3]], "{hits}");
    let rows = call(
        &c,
        m::query,
        json!({"collection_name": name, "filter": "text_match(text, 'brown')",
               "output_fields": ["id"], "consistency_level": "Strong"}),
    )
    .unwrap();
    assert_eq!(sorted(rows), vec![json!({"id": 2}), json!({"id": 6})]);

    // Null filters, and the default value written for absent and null `rank`.
    let rows = call(
        &c,
        m::query,
        json!({"collection_name": name, "filter": "note is null",
               "output_fields": ["id", "note", "rank"], "consistency_level": "Strong"}),
    )
    .unwrap();
    assert_eq!(
        sorted(rows),
        vec![
            json!({"id": 2, "note": null, "rank": 7}),
            json!({"id": 4, "note": null, "rank": 7}),
            json!({"id": 6, "note": null, "rank": 7}),
        ]
    );
    let rows = call(
        &c,
        m::query,
        json!({"collection_name": name, "filter": "note is not null",
               "output_fields": ["note", "rank"], "consistency_level": "Strong"}),
    )
    .unwrap();
    assert_eq!(
        sorted(rows),
        vec![
            json!({"id": 1, "note": "n1", "rank": 0}),
            json!({"id": 3, "note": "n3", "rank": 2}),
            json!({"id": 5, "note": "n5", "rank": 4}),
        ]
    );
    let hits = call(
        &c,
        m::search,
        json!({"collection_name": name, "data": ["brown vector"], "anns_field": "sparse",
               "limit": 5, "filter": "note is null", "consistency_level": "Strong"}),
    )
    .unwrap();
    assert_eq!(ids(&hits), vec![vec![2, 6]], "{hits}");

    // hybrid_search: a text request and a dense request fused by RRF (k = 60). Document 2 is
    // first in both (2/61); 6 is second in both (2/62).
    let reqs = json!([
        {"data": ["brown fox"], "anns_field": "sparse", "limit": 3},
        {"data": [[0.0, 1.0, 0.0, 0.0]], "anns_field": "dense", "param": {"metric_type": "L2"}, "limit": 3}
    ]);
    let hits = call(
        &c,
        hybrid,
        json!({"collection_name": name, "reqs": reqs, "limit": 2, "output_fields": ["text"],
               "ranker": {"strategy": "rrf", "params": {"k": 60}}, "consistency_level": "Strong"}),
    )
    .unwrap();
    assert_eq!(ids(&hits), vec![vec![2, 6]], "{hits}");
    for (hit, want) in hits[0]
        .as_array()
        .unwrap()
        .iter()
        .zip([2.0 / 61.0, 2.0 / 62.0])
    {
        let d = hit["distance"].as_f64().unwrap();
        assert!(
            (d - want).abs() < 1e-6,
            "RRF score {d}, want {want}: {hits}"
        );
    }
    assert_eq!(hits[0][1]["entity"], json!({"text": DOCS[5]}), "{hits}");

    // search_iterator by text: every matching document, best first, then the end. (Lite 3.2.2
    // answers no range search on a BM25 field, so a whole result must fit the first page.)
    let args = json!({"collection_name": name, "data": ["brown fox"], "anns_field": "sparse",
                      "batch_size": 10, "output_fields": ["text"]});
    let mut it = block(api::iterator::search_iterator(c.clone(), &args.to_string()))
        .unwrap_or_else(|e| panic!("search_iterator: {e}"));
    let page: Value =
        serde_json::from_slice(&block(api::iterator::next_page(&mut it)).unwrap()).unwrap();
    assert_eq!(ids(&json!([page])), vec![vec![2, 6]], "{page}");
    assert_eq!(page[0]["entity"], json!({"text": DOCS[1]}), "{page}");
    let end = block(api::iterator::next_page(&mut it)).unwrap();
    assert_eq!(end, b"[]", "{}", String::from_utf8_lossy(&end));
    // A second text is refused: an iterator follows one query.
    let two = json!({"collection_name": name, "data": ["a", "b"], "anns_field": "sparse"});
    let Err(e) = block(api::iterator::search_iterator(c.clone(), &two.to_string())) else {
        panic!("two texts accepted")
    };
    assert_eq!(e.kind, ErrorKind::InvalidArgument, "{e}");

    call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
    eprintln!(
        "full_text_search_on_lite3: {:.1}s",
        t0.elapsed().as_secs_f64()
    );
}
