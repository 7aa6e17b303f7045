//! close, session and optimize against Milvus Lite 3.2.2 (MILVUS_LITE3_URI, `scripts/servers.sh
//! start lite3`), the one server here with optimize's RPCs (list_segments, the schema changes
//! and dump_messages are answered UNIMPLEMENTED by it; tests/conformance/ covers them). Skips
//! like tests/full_text.rs when no Lite 3 is there and MILVUS_LITE3_URI is unset.

mod common;

use common::{block, call, connect, m, unique};
use milvus::{api, Client, ErrorKind};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

fn lite3() -> Option<String> {
    let uri = common::server("lite3")?;
    let addr = uri
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let up = std::net::ToSocketAddrs::to_socket_addrs(&addr)
        .ok()
        .and_then(|mut a| a.next())
        .is_some_and(|a| std::net::TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_ok());
    if !up {
        assert!(
            std::env::var_os("MILVUS_LITE3_URI").is_none(),
            "MILVUS_LITE3_URI={uri} is set, but nothing answers there"
        );
        eprintln!("note: tests/lifecycle.rs skipped: no Milvus Lite 3.2.2 at {uri}");
        return None;
    }
    Some(uri)
}

fn optimize(c: &Client, a: &str) -> milvus::Result<Vec<u8>> {
    block(api::optimize(c, a))
}

fn close(c: &Client, a: &str) -> milvus::Result<Vec<u8>> {
    block(api::close(c, a))
}

/// A loaded collection of dimension 4 with a few rows.
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
    name
}

#[test]
fn optimize_compacts_and_refreshes_a_loaded_collection() {
    let Some(uri) = lite3() else { return };
    let c = connect(&uri);
    let name = collection(&c);
    let r = call(
        &c,
        optimize,
        json!({"collection_name": name, "target_size": "1GB", "timeout": 60}),
    )
    .unwrap();
    assert_eq!(r["status"], "success", "{r}");
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
    // Still there, still loaded: every row reads back.
    let rows = call(
        &c,
        m::query,
        json!({"collection_name": name, "filter": "id >= 0"}),
    )
    .unwrap();
    assert_eq!(rows.as_array().map(Vec::len), Some(5), "{rows}");
    call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
}

#[test]
fn a_session_reads_and_a_closed_client_refuses() {
    let Some(uri) = lite3() else { return };
    let c = connect(&uri);
    let name = collection(&c);
    let s = c.session("cluster-x");
    assert_eq!(s.cluster_id(), Some("cluster-x"));
    let hits = call(
        &s,
        m::search,
        json!({"collection_name": name, "data": [[1.0, 1.0, 2.0, 3.0]],
                                          "limit": 2}),
    )
    .unwrap();
    assert_eq!(hits[0].as_array().map(Vec::len), Some(2), "{hits}");
    let got = call(&s, m::get, json!({"collection_name": name, "ids": [3]})).unwrap();
    assert_eq!(got[0]["id"], 3);
    call(&s, close, json!({})).unwrap();
    let e = call(
        &s,
        m::query,
        json!({"collection_name": name, "filter": "id >= 0"}),
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Closed);
    // The client is still open; closed, it refuses too, and its sessions.
    let s2 = c.session("cluster-y");
    call(&c, close, json!({})).unwrap();
    for client in [&c, &s2] {
        let e = call(client, m::list_collections, json!({})).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Closed, "{e}");
    }
    let other = connect(&uri);
    call(&other, m::drop_collection, json!({"collection_name": name})).unwrap();
}

/// close from one thread while others call: each call either finishes or fails with Closed,
/// and after close has returned every call fails with Closed.
#[test]
fn close_while_calls_run() {
    let Some(uri) = lite3() else { return };
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
