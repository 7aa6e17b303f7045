//! list_segments, optimize, the schema changes, dump_messages, session and close on the three
//! test servers, each asserting that server's own outcome: Milvus 2.3.5 lists segments and
//! optimizes, Milvus Lite 3.2.2 optimizes, and no test server has AlterCollectionSchema,
//! AddCollectionStructField or DumpMessages (tests/conformance/ checks those requests).

mod common;

use common::{block, call, connect, m, servers, unique};
use milvus::{api, Client, ErrorKind};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

macro_rules! method {
    ($($name:ident),*) => {$(
        fn $name(c: &Client, a: &str) -> milvus::Result<Vec<u8>> {
            block(api::$name(c, a))
        }
    )*};
}
method!(
    optimize,
    close,
    list_segments,
    add_function_field,
    drop_function_field,
    add_collection_struct_field
);

/// A flushed, loaded collection of dimension 4 with five rows.
fn collection(c: &Client) -> String {
    let name = unique("lifecycle");
    call(
        c,
        m::create_collection,
        json!({"collection_name": name, "dimension": 4}),
    )
    .unwrap();
    let rows: Vec<_> = (0..5)
        .map(|i| json!({"id": i, "vector": [i as f32, 1.0, 2.0, 3.0]}))
        .collect();
    call(c, m::insert, json!({"collection_name": name, "data": rows})).unwrap();
    call(c, m::flush, json!({"collection_name": name})).unwrap();
    name
}

fn unimplemented(r: milvus::Result<Value>, what: &str, label: &str) {
    let e = r.expect_err(what);
    assert_eq!(e.kind, ErrorKind::Unimplemented, "{label} {what}: {e}");
}

#[test]
fn segments_and_optimize() {
    for (label, uri) in servers() {
        let c = connect(&uri);
        let name = collection(&c);
        let segments = call(&c, list_segments, json!({"collection_name": name}));
        if label == "standalone" {
            let segments = segments.unwrap();
            let list = segments.as_array().expect("a list");
            let rows: i64 = list.iter().map(|s| s["num_rows"].as_i64().unwrap()).sum();
            assert_eq!(rows, 5, "{segments}");
            assert!(list.iter().all(|s| s["collection_name"] == name.as_str()));
            assert!(list.iter().any(|s| s["state"] == "Flushed"), "{segments}");
            let flushed = call(
                &c,
                list_segments,
                json!({"collection_name": name,
                                                         "states": ["Flushed"]}),
            )
            .unwrap();
            assert!(!flushed.as_array().unwrap().is_empty(), "{flushed}");
        } else {
            unimplemented(segments, "list_segments", label);
        }
        let r = call(
            &c,
            optimize,
            json!({"collection_name": name, "target_size": "1GB",
                                          "timeout": 120}),
        );
        if label == "lite" {
            unimplemented(r, "optimize", label);
        } else {
            let r = r.unwrap();
            assert_eq!(r["status"], "success", "{label}: {r}");
            assert_eq!(r["collection_name"], name.as_str());
            assert_eq!(r["target_size"], "1GB");
            assert!(r["compaction_id"].is_i64(), "{r}");
            assert_eq!(
                r["progress"],
                json!([
                    "initializing",
                    "waiting for indexes",
                    "compacting",
                    "waiting for compaction",
                    "waiting for index rebuild",
                    "refreshing load"
                ])
            );
            // Still loaded, every row still there.
            let rows = call(
                &c,
                m::query,
                json!({"collection_name": name, "filter": "id >= 0"}),
            )
            .unwrap();
            assert_eq!(rows.as_array().map(Vec::len), Some(5), "{label}: {rows}");
        }
        call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
    }
}

#[test]
fn schema_changes_and_dump_messages_are_unimplemented_here() {
    for (label, uri) in servers() {
        let c = Arc::new(connect(&uri));
        let name = collection(&c);
        let field = json!({"collection_name": name,
            "field_schema": {"name": "sp", "type": "SPARSE_FLOAT_VECTOR"},
            "func": {"name": "bm", "type": "BM25", "input_field_names": ["t"],
                     "output_field_names": ["sp"]},
            "index_params": [{"field_name": "sp", "index_type": "AUTOINDEX",
                              "metric_type": "BM25"}]});
        unimplemented(
            call(&c, add_function_field, field),
            "add_function_field",
            label,
        );
        unimplemented(
            call(
                &c,
                drop_function_field,
                json!({"collection_name": name, "function_name": "bm"}),
            ),
            "drop_function_field",
            label,
        );
        unimplemented(
            call(
                &c,
                add_collection_struct_field,
                json!({"collection_name": name,
                "field_name": "st", "struct_schema": {"fields": [{"name": "a", "type": "INT64"}]},
                "max_capacity": 4}),
            ),
            "add_collection_struct_field",
            label,
        );
        let dump = block(api::messages::dump_messages(
            c.clone(),
            r#"{"pchannel": "p", "start_message_id": {"id": "1", "wal_name": "Pulsar"},
                "timeout": 10}"#,
        ));
        let e = match dump {
            Err(e) => e,
            // The stream's status may come with its first read.
            Ok(mut pager) => block(api::iterator::next_page(&mut pager)).unwrap_err(),
        };
        assert_eq!(
            e.kind,
            ErrorKind::Unimplemented,
            "{label} dump_messages: {e}"
        );
        call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
    }
}

#[test]
fn a_session_reads_and_a_closed_client_refuses() {
    for (label, uri) in servers() {
        let c = connect(&uri);
        let name = collection(&c);
        let s = c.session("cluster-x");
        assert_eq!(s.cluster_id(), Some("cluster-x"));
        let hits = call(
            &s,
            m::search,
            json!({"collection_name": name,
                                              "data": [[1.0, 1.0, 2.0, 3.0]], "limit": 2}),
        )
        .unwrap();
        assert_eq!(hits[0].as_array().map(Vec::len), Some(2), "{label}: {hits}");
        let got = call(&s, m::get, json!({"collection_name": name, "ids": [3]})).unwrap();
        assert_eq!(got[0]["id"], 3, "{label}: {got}");
        call(&s, close, json!({})).unwrap();
        let e = call(
            &s,
            m::query,
            json!({"collection_name": name, "filter": "id >= 0"}),
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Closed);
        // The client is still open; closed, it refuses too, and so do its sessions.
        let s2 = c.session("cluster-y");
        call(&c, close, json!({})).unwrap();
        for client in [&c, &s2] {
            let e = call(client, m::list_collections, json!({})).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Closed, "{label}: {e}");
        }
        call(
            &connect(&uri),
            m::drop_collection,
            json!({"collection_name": name}),
        )
        .unwrap();
    }
}

/// close from one thread while others call: each call either finishes or fails with Closed,
/// none succeeds after a failure, and after close has returned every call fails with Closed.
#[test]
fn close_while_calls_run() {
    let (_, uri) = servers().into_iter().next().expect("a test server");
    let c = Arc::new(connect(&uri));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let c = c.clone();
            std::thread::spawn(move || {
                let mut closed = 0;
                for _ in 0..200 {
                    match call(&c, m::list_collections, json!({})) {
                        Ok(_) => assert_eq!(closed, 0, "a call succeeded after one failed closed"),
                        Err(e) if e.kind == ErrorKind::Closed => closed += 1,
                        Err(e) => panic!("{e}"),
                    }
                }
                closed
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(50));
    call(&c, close, json!({})).unwrap();
    let e = call(&c, m::list_collections, json!({})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Closed);
    let closed: i32 = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert!(closed > 0, "no call saw the close");
}
