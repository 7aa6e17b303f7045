//! Connecting: URI forms, the database in the URI, deadlines, one client shared by threads, on
//! the three test servers (Milvus 2.3.5 standalone, Milvus Lite 2.5.1 and Milvus Lite 3.2.2).
//! The unix socket test needs any one of them; the database test needs the servers that have
//! databases (standalone and Lite 3.2.2).

mod common;
use common::*;
use milvus::{Client, ClientConfig, ErrorKind};
use serde_json::json;
use std::time::{Duration, Instant};

fn try_connect(uri: &str, timeout: Option<Duration>) -> milvus::Result<Client> {
    block(Client::connect(ClientConfig {
        uri: uri.into(),
        timeout,
        ..Default::default()
    }))
}

/// A unix socket in front of the real server: bytes are copied both ways, so the whole gRPC
/// exchange goes through the socket path of the client.
fn unix_bridge(target: &str) -> String {
    let addr = target.trim_start_matches("http://").to_string();
    let path = std::env::temp_dir().join(format!("libmilvus-test-{}.sock", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(unix) = conn else { return };
            let addr = addr.clone();
            std::thread::spawn(move || {
                let tcp = std::net::TcpStream::connect(&addr).unwrap();
                let (mut from_client, mut to_server) =
                    (unix.try_clone().unwrap(), tcp.try_clone().unwrap());
                let a = std::thread::spawn(move || std::io::copy(&mut from_client, &mut to_server));
                let _ = std::io::copy(
                    &mut tcp.try_clone().unwrap(),
                    &mut unix.try_clone().unwrap(),
                );
                let _ = tcp.shutdown(std::net::Shutdown::Both);
                let _ = a.join();
            });
        }
    });
    format!("unix:{}", path.display())
}

#[test]
fn unix_socket_uri_reaches_the_server() {
    let (_, uri) = servers().remove(0);
    let c = try_connect(&unix_bridge(&uri), Some(Duration::from_secs(30))).unwrap();
    let list = call(&c, m::list_collections, json!({})).unwrap();
    assert!(list.is_array(), "{list}");
}

#[test]
fn database_from_the_uri_path_is_sent() {
    for (label, uri) in servers() {
        if label == "lite" {
            continue; // Milvus Lite 2.5.1 has no databases.
        }
        // An unknown database in the URI makes calls fail with that reason.
        let c = try_connect(
            &format!("{uri}/no_such_db_here"),
            Some(Duration::from_secs(30)),
        )
        .unwrap();
        assert_eq!(c.db_name(), "no_such_db_here");
        let e = call(&c, m::list_collections, json!({})).unwrap_err();
        if label == "lite3" {
            // Milvus Lite 3.2.2 says so with code 1 (Milvus: 800, database not found).
            assert_eq!(
                (e.kind, e.server_code),
                (ErrorKind::Server, 1),
                "{label}: {e}"
            );
            assert!(
                e.message
                    .contains("database 'no_such_db_here' does not exist"),
                "{label}: {e}"
            );
        } else {
            assert_eq!(e.kind, ErrorKind::DatabaseNotFound, "{label}: {e}");
        }
        // A collection made through a database URI is in that database only.
        let db = unique("conn_db");
        let name = unique("conn_dbcol");
        let c = try_connect(&uri, Some(Duration::from_secs(30))).unwrap();
        call(
            &c,
            |c, a| block(milvus::api::create_database(c, a)),
            json!({"db_name": db}),
        )
        .unwrap();
        let in_db = try_connect(&format!("{uri}/{db}"), Some(Duration::from_secs(30))).unwrap();
        call(
            &in_db,
            m::create_collection,
            json!({"collection_name": name, "dimension": 2}),
        )
        .unwrap();
        assert_eq!(
            call(&in_db, m::list_collections, json!({})).unwrap(),
            json!([name]),
            "{label}"
        );
        let c = try_connect(&format!("{uri}/default"), Some(Duration::from_secs(30))).unwrap();
        let in_default = call(&c, m::list_collections, json!({})).unwrap();
        assert!(
            !in_default.as_array().unwrap().contains(&json!(name)),
            "{label}: {in_default}"
        );
        call(&in_db, m::drop_collection, json!({"collection_name": name})).unwrap();
        call(
            &c,
            |c, a| block(milvus::api::drop_database(c, a)),
            json!({"db_name": db}),
        )
        .unwrap();
    }
}

#[test]
fn nothing_listening_fails_fast_with_connect() {
    let t = Instant::now();
    let e = try_connect("http://127.0.0.1:1", Some(Duration::from_secs(5))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Connect, "{e}");
    assert!(e.message.contains("127.0.0.1:1"), "{e}");
    assert!(t.elapsed() < Duration::from_secs(5));
    let e = try_connect("ftp://127.0.0.1", None).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidUri);
}

/// The server stops answering mid-session (its traffic is held): a call still ends by its own
/// deadline, the client's default deadline applies without one, and the same client works
/// again once the server answers.
#[test]
fn a_call_ends_by_its_deadline() {
    use std::sync::atomic::Ordering;
    for (label, uri) in servers() {
        let (relay, paused) = pausable_relay(&uri);
        let c = try_connect(&relay, Some(Duration::from_secs(3))).unwrap();
        assert!(call(&c, m::list_collections, json!({})).is_ok(), "{label}");
        paused.store(true, Ordering::SeqCst);
        let t = Instant::now();
        let e = call(&c, m::list_collections, json!({"timeout": 0.5})).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Timeout, "{label}: {e}");
        assert_eq!(e.grpc_code, 4, "{label}: DEADLINE_EXCEEDED");
        assert!(
            t.elapsed() >= Duration::from_millis(500) && t.elapsed() < Duration::from_secs(2),
            "{label}: {:?}",
            t.elapsed()
        );
        let t = Instant::now();
        let e = call(&c, m::list_collections, json!({})).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Timeout, "{label}: {e}");
        assert!(
            t.elapsed() >= Duration::from_secs(3) && t.elapsed() < Duration::from_secs(5),
            "{label}: {:?}",
            t.elapsed()
        );
        paused.store(false, Ordering::SeqCst);
        assert!(
            call(&c, m::list_collections, json!({})).is_ok(),
            "{label}: the client works again"
        );
        let e = call(&c, m::list_collections, json!({"timeout": -1})).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidArgument, "{label}");
    }
}

#[test]
fn one_client_many_threads() {
    for (label, uri) in servers() {
        let c = connect(&uri);
        let name = unique("threads");
        call(
            &c,
            m::create_collection,
            json!({"collection_name": name, "dimension": 2, "metric_type": "L2"}),
        )
        .unwrap();
        let rows: Vec<_> = (0..50)
            .map(|i| json!({"id": i, "vector": [i as f32, 0.0]}))
            .collect();
        call(
            &c,
            m::insert,
            json!({"collection_name": name, "data": rows}),
        )
        .unwrap();
        std::thread::scope(|s| {
            for t in 0..8 {
                let (c, name) = (&c, &name);
                s.spawn(move || {
                    for i in 0..10 {
                        let target = ((t * 10 + i) % 50) as f32;
                        let hits = call(
                            c,
                            m::search,
                            json!({"collection_name": name, "data": [[target, 0.0]], "limit": 1, "consistency_level": "Strong"}),
                        )
                        .unwrap();
                        assert_eq!(hits[0][0]["id"], json!(target as i64), "{label}");
                    }
                });
            }
        });
        call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
    }
}
