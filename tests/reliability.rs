//! Reliability: retries, deadlines, cancellation and faults.
//!
//! Real servers wherever one can be made to misbehave on demand: a PRIVATE Milvus Lite on its
//! own port, frozen with SIGSTOP and killed with SIGKILL (never the shared servers). A scripted
//! gRPC server (scripts/scripted_milvus.py) only for rate-limit replies, gRPC error codes,
//! stalls, malformed replies and a connection dropped under a write.

mod common;
use common::lite::Lite;
use common::*;
use milvus::client::{with_cancel, with_deadline, RetryPolicy};
use milvus::proto::milvus as pm;
use milvus::{CallOpts, Client, ClientConfig, ErrorKind};
use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn connect_with(uri: &str, timeout: f64, retry: RetryPolicy) -> Client {
    block(Client::connect(ClientConfig {
        uri: uri.into(),
        timeout: Some(Duration::from_secs_f64(timeout)),
        retry,
        ..Default::default()
    }))
    .unwrap_or_else(|e| panic!("connecting to {uri}: {e}"))
}

fn opts(timeout: f64) -> CallOpts {
    CallOpts {
        timeout: Some(Duration::from_secs_f64(timeout)),
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------------------------
// The scripted server.

struct Scripted {
    child: Child,
    port: u16,
    /// Every `REQ <rpc> <n>` line it printed.
    log: Arc<Mutex<Vec<String>>>,
}

impl Scripted {
    fn start(mode: &str, n: impl std::fmt::Display) -> Scripted {
        let mut child = Command::new(root().join(".venv/bin/python"))
            .arg(root().join("scripts/scripted_milvus.py"))
            .args([mode, &n.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("starting scripts/scripted_milvus.py (run scripts/venv.sh first)");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().expect("PORT line").unwrap();
        let port = first.strip_prefix("PORT ").unwrap().parse().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(|l| l.ok()) {
                sink.lock().unwrap().push(line);
            }
        });
        Scripted { child, port, log }
    }

    fn uri(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How many requests of `rpc` the server received.
    fn count(&self, rpc: &str) -> usize {
        // Lines printed before the reply may still be on their way through the pipe.
        std::thread::sleep(Duration::from_millis(100));
        self.count_now(rpc)
    }

    fn count_now(&self, rpc: &str) -> usize {
        let prefix = format!("REQ {rpc} ");
        let log = self.log.lock().unwrap();
        log.iter().filter(|l| l.starts_with(&prefix)).count()
    }

    fn wait_for(&self, rpc: &str, n: usize) {
        let t = Instant::now();
        while self.count_now(rpc) < n {
            assert!(t.elapsed() < Duration::from_secs(10), "no {rpc} #{n}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Scripted {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn insert_req(rows: u32) -> pm::InsertRequest {
    pm::InsertRequest {
        collection_name: "scripted".into(),
        num_rows: rows,
        ..Default::default()
    }
}

#[test]
fn rate_limited_calls_are_retried_until_they_succeed() {
    // Reads and writes alike: a rate-limit reply means the server did nothing.
    let s = Scripted::start("ratelimit", 3);
    let c = connect_with(&s.uri(), 10.0, RetryPolicy::default());
    let t = Instant::now();
    let names = block(c.list_collections(&CallOpts::default())).unwrap();
    assert_eq!(names, vec!["scripted".to_string()]);
    assert_eq!(
        s.count("ShowCollections"),
        4,
        "3 refusals (code 8), then success"
    );
    // Backoff 10, 30, 90 ms, each jittered to at least half.
    assert!(
        t.elapsed() >= Duration::from_millis(65),
        "{:?}",
        t.elapsed()
    );
    let r = block(c.send_insert(insert_req(5), &CallOpts::default())).unwrap();
    assert_eq!(r.insert_cnt, 5);
    assert_eq!(s.count("Insert"), 4, "3 refusals (legacy 49), then success");
}

#[test]
fn a_write_refused_for_a_stale_schema_is_made_again_once() {
    use milvus::codec::columns::Columns;
    let s = Scripted::start("schemamismatch", "1,2,3,5");
    let c = connect_with(&s.uri(), 10.0, RetryPolicy::default());
    let args = json!({"collection_name": "scripted", "data": [{"id": 1, "v": [0.5, 1.5]}]});
    let insert = || block(milvus::api::insert(&c, &args.to_string()));
    // Described, refused, described afresh, refused again: a second refusal is the answer.
    assert_eq!(insert().unwrap_err().server_code, 62);
    // The schema is cached now (rows read in one pass): refused, described afresh, written.
    let r: serde_json::Value = serde_json::from_slice(&insert().unwrap()).unwrap();
    assert_eq!(r["insert_count"], json!(1));
    // Typed columns, sent as chunks: the same.
    let mut cols = Columns::new(1).unwrap();
    cols.add_int64("id", &[2], None).unwrap();
    cols.add_float_vector("v", &[1.0, 2.0], 1, 2).unwrap();
    let r = block(milvus::api::typed::write_columns(
        &c, "scripted", &cols, "", false,
    ))
    .unwrap();
    assert_eq!(r.write_count(), 1);
    assert_eq!(s.count("DescribeCollection"), 4);
    let inserts: Vec<String> = s
        .log
        .lock()
        .unwrap()
        .iter()
        .filter_map(|l| Some(l.strip_prefix("REQ Insert ")?.to_string()))
        .collect();
    // Each attempt carries the timestamp of the schema its columns were made against.
    assert_eq!(
        inserts,
        ["1 ts=1", "2 ts=2", "3 ts=2", "4 ts=3", "5 ts=3", "6 ts=4"]
    );
}

#[test]
fn exhausted_retries_say_so_in_the_error() {
    let s = Scripted::start("ratelimit", 100);
    let policy = RetryPolicy {
        max_retries: 2,
        ..Default::default()
    };
    let c = connect_with(&s.uri(), 10.0, policy);
    let e = block(c.list_collections(&CallOpts::default())).unwrap_err();
    assert_eq!(e.kind, ErrorKind::RateLimited, "{e}");
    assert_eq!(e.server_code, 8);
    assert!(e.retriable);
    assert!(e.message.ends_with("(after 2 retries)"), "{e}");
    assert!(
        e.message.starts_with("show_collections: server error 8"),
        "{e}"
    );
    assert_eq!(s.count("ShowCollections"), 3);
    let e = block(c.send_insert(insert_req(1), &CallOpts::default())).unwrap_err();
    assert_eq!(e.kind, ErrorKind::RateLimited, "{e}");
    assert_eq!(e.server_code, 49);
    assert!(e.message.ends_with("(after 2 retries)"), "{e}");
    assert_eq!(s.count("Insert"), 3);
    // max_retries 0 disables retrying, per client or per call.
    let none = CallOpts {
        retry: Some(RetryPolicy::NONE),
        ..Default::default()
    };
    let e = block(c.list_collections(&none)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::RateLimited);
    assert!(!e.message.contains("retr"), "{e}");
    assert_eq!(s.count("ShowCollections"), 4);
    // The deadline bounds the series: 100 refusals would take minutes.
    let c = connect_with(&s.uri(), 10.0, RetryPolicy::default());
    let t = Instant::now();
    let e = block(c.list_collections(&opts(1.0))).unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    assert_eq!(e.kind, ErrorKind::RateLimited, "{e}");
    assert!(
        e.message
            .contains("the deadline leaves no time for another attempt"),
        "{e}"
    );
}

#[test]
fn resource_exhausted_is_retried_for_reads_and_writes() {
    let s = Scripted::start("exhausted", 2);
    let c = connect_with(&s.uri(), 10.0, RetryPolicy::default());
    assert_eq!(block(c.list_collections(&opts(5.0))).unwrap().len(), 1);
    assert_eq!(s.count("ShowCollections"), 3);
    assert_eq!(
        block(c.send_insert(insert_req(2), &opts(5.0)))
            .unwrap()
            .insert_cnt,
        2
    );
    assert_eq!(s.count("Insert"), 3);
}

#[test]
fn unavailable_replies_are_retried_for_reads_only() {
    // The server answered UNAVAILABLE: it had the request, so a write is not repeated.
    let s = Scripted::start("unavailable", 1);
    let c = connect_with(&s.uri(), 10.0, RetryPolicy::default());
    assert_eq!(block(c.list_collections(&opts(5.0))).unwrap().len(), 1);
    assert_eq!(s.count("ShowCollections"), 2);
    let e = block(c.send_insert(insert_req(2), &opts(5.0))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unavailable, "{e}");
    assert_eq!(e.grpc_code, 14);
    assert!(e.message.contains("not repeated"), "{e}");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(s.count("Insert"), 1);
}

#[test]
fn malformed_replies_are_internal_errors() {
    for mode in ["garbage", "truncated"] {
        let s = Scripted::start(mode, 0);
        let c = connect_with(&s.uri(), 10.0, RetryPolicy::default());
        let e = block(c.list_collections(&opts(5.0))).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Internal, "{mode}: {e}");
        assert_eq!(e.grpc_code, 13, "{mode}");
        assert!(
            e.message
                .starts_with("show_collections: malformed reply from the server"),
            "{mode}: {e}"
        );
        assert_eq!(s.count("ShowCollections"), 1, "{mode}: not retried");
        // The connection survives a bad message.
        assert_eq!(
            block(c.send_insert(insert_req(1), &opts(5.0)))
                .unwrap()
                .insert_cnt,
            1
        );
    }
}

#[test]
fn a_stalled_server_ends_calls_by_their_deadline_or_cancel() {
    let s = Scripted::start("stall", 0);
    let c = Arc::new(connect_with(&s.uri(), 1.0, RetryPolicy::default()));
    // The per-call deadline.
    let t = Instant::now();
    let e = call(&c, m::list_collections, json!({"timeout": 0.3})).unwrap_err();
    let took = t.elapsed();
    assert_eq!(e.kind, ErrorKind::Timeout, "{e}");
    assert_eq!(e.grpc_code, 4);
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_millis(800),
        "{took:?}"
    );
    assert_eq!(s.count("ShowCollections"), 1, "a deadline is never retried");
    // The client's default deadline.
    let t = Instant::now();
    let e = call(&c, m::list_collections, json!({})).unwrap_err();
    let took = t.elapsed();
    assert_eq!(e.kind, ErrorKind::Timeout, "{e}");
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_millis(1500),
        "{took:?}"
    );
    // A whole-call deadline (with_deadline) wraps calls that make several RPCs.
    let e = block(with_deadline(
        &c,
        Some(Duration::from_millis(200)),
        c.list_collections(&opts(60.0)),
    ))
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Timeout, "{e}");
    // Cancellation from another thread, with no deadline at all.
    let cancels = |id: &'static str| {
        let c2 = c.clone();
        let h = std::thread::spawn(move || {
            let t = Instant::now();
            let r = block(with_cancel(
                &c2,
                Some(id),
                c2.list_collections(&CallOpts {
                    timeout: Some(Duration::from_secs(600)),
                    ..Default::default()
                }),
            ));
            (r, t)
        });
        while c.calls_in_flight() == 0 {
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(c.cancel("some-other-id"), 0);
        let at = Instant::now();
        assert_eq!(c.cancel(id), 1);
        let (r, _) = h.join().unwrap();
        (r, at.elapsed())
    };
    let (r, took) = cancels("stalled-1");
    let e = r.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Cancelled, "{e}");
    assert!(e.message.contains("stalled-1"), "{e}");
    assert!(took < Duration::from_millis(50), "cancelled after {took:?}");
    assert_eq!(c.calls_in_flight(), 0, "registrations are removed");
    // Cancelling with nothing in flight is a no-op and does not poison a later call.
    assert_eq!(c.cancel("stalled-1"), 0);
    let e = call(&c, m::list_collections, json!({"timeout": 0.2})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Timeout);
    assert_eq!(
        block(with_cancel(
            &c,
            Some("stalled-1"),
            c.send_insert(insert_req(3), &opts(5.0))
        ))
        .unwrap()
        .insert_cnt,
        3
    );
}

// ---------------------------------------------------------------------------------------------
// A TCP relay whose connections the test can cut.

struct Relay {
    uri: String,
    conns: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    fn new(target_port: u16) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let uri = format!("http://{}", listener.local_addr().unwrap());
        let conns = Arc::new(Mutex::new(Vec::new()));
        let list = conns.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(client) = conn else { return };
                let Ok(server) = TcpStream::connect(("127.0.0.1", target_port)) else {
                    return;
                };
                list.lock().unwrap().push(client.try_clone().unwrap());
                list.lock().unwrap().push(server.try_clone().unwrap());
                for (mut from, mut to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let mut buf = [0u8; 64 * 1024];
                        while let Ok(n) = from.read(&mut buf) {
                            if n == 0 || to.write_all(&buf[..n]).is_err() {
                                break;
                            }
                        }
                        let _ = to.shutdown(Shutdown::Both);
                    });
                }
            }
        });
        Relay { uri, conns }
    }

    /// Cuts every connection made so far, as a crashed proxy or a network failure would.
    fn cut(&self) {
        for s in self.conns.lock().unwrap().drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
    }
}

#[test]
fn a_write_cut_off_in_flight_is_not_replayed_but_a_read_is() {
    let s = Scripted::start("slow", 0);
    let relay = Relay::new(s.port);
    let c = Arc::new(connect_with(&relay.uri, 20.0, RetryPolicy::default()));

    let c2 = c.clone();
    let write = std::thread::spawn(move || block(c2.send_insert(insert_req(4), &opts(15.0))));
    s.wait_for("Insert", 1);
    relay.cut();
    let e = write.join().unwrap().unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unavailable, "{e}");
    assert!(
        e.message
            .contains("not repeated: the server may have received this write"),
        "{e}"
    );
    // The server's (slow) first insert finishes 3 s after it arrived; a replay would show up.
    std::thread::sleep(Duration::from_millis(3500));
    assert_eq!(s.count("Insert"), 1, "the insert was replayed");

    let c2 = c.clone();
    let read = std::thread::spawn(move || block(c2.list_collections(&opts(15.0))));
    s.wait_for("ShowCollections", 1);
    relay.cut();
    assert_eq!(read.join().unwrap().unwrap(), vec!["scripted".to_string()]);
    assert_eq!(s.count("ShowCollections"), 2, "the read was repeated once");
    // And the same client writes again over a new connection.
    assert_eq!(
        block(c.send_insert(insert_req(1), &opts(5.0)))
            .unwrap()
            .insert_cnt,
        1
    );
    assert_eq!(s.count("Insert"), 2);
}

fn setup_rows(c: &Client, name: &str, n: i64) {
    call(
        c,
        m::create_collection,
        json!({"collection_name": name, "dimension": 2, "metric_type": "L2"}),
    )
    .unwrap();
    let rows: Vec<_> = (0..n)
        .map(|i| json!({"id": i, "vector": [i as f32, 1.0]}))
        .collect();
    call(c, m::insert, json!({"collection_name": name, "data": rows})).unwrap();
    call(c, m::flush, json!({"collection_name": name})).unwrap();
}

fn count(c: &Client, name: &str) -> i64 {
    let r = call(
        c,
        m::query,
        json!({"collection_name": name, "filter": "", "output_fields": ["count(*)"],
               "consistency_level": "Strong"}),
    )
    .unwrap();
    r[0]["count(*)"].as_i64().unwrap()
}

/// A JSON method as tests/common calls it.
type JsonMethod = fn(&Client, &str) -> milvus::Result<Vec<u8>>;

fn assert_within(what: &str, took: Duration, lo: f64, hi: f64) {
    assert!(
        took >= Duration::from_secs_f64(lo) && took < Duration::from_secs_f64(hi),
        "{what}: took {took:?}, expected {lo}..{hi} s"
    );
}

#[test]
fn a_frozen_server_ends_every_call_by_its_deadline() {
    let lite = Lite::start();
    let c = Arc::new(connect_with(&lite.uri(), 2.0, RetryPolicy::default()));
    let name = unique("frozen");
    setup_rows(&c, &name, 10);
    lite.signal("-STOP");
    let calls: Vec<(&str, JsonMethod, serde_json::Value)> = vec![
        ("list_collections", m::list_collections, json!({})),
        (
            "query",
            m::query,
            json!({"collection_name": name, "filter": "id >= 0"}),
        ),
        (
            "search",
            m::search,
            json!({"collection_name": name, "data": [[0.0, 1.0]], "limit": 3}),
        ),
        (
            "insert",
            m::insert,
            json!({"collection_name": name, "data": [{"id": 99, "vector": [0.5, 0.5]}]}),
        ),
        ("flush", m::flush, json!({"collection_name": name})),
    ];
    for (what, f, mut args) in calls {
        args["timeout"] = json!(0.5);
        let t = Instant::now();
        let e = call(&c, f, args.clone()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Timeout, "{what}: {e}");
        assert_within(what, t.elapsed(), 0.5, 1.0);
        // Without "timeout": the client's default (2 s).
        args.as_object_mut().unwrap().remove("timeout");
        let t = Instant::now();
        let e = call(&c, f, args).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Timeout, "{what}: {e}");
        assert_within(what, t.elapsed(), 2.0, 2.5);
    }
    // A cancel ends a call to a frozen server promptly.
    let c3 = c.clone();
    let h = std::thread::spawn(move || {
        block(with_cancel(
            &c3,
            Some("frozen-2"),
            c3.list_collections(&opts(30.0)),
        ))
    });
    while c.calls_in_flight() < 1 {
        std::thread::sleep(Duration::from_millis(2));
    }
    std::thread::sleep(Duration::from_millis(50));
    let t = Instant::now();
    assert_eq!(c.cancel("frozen-2"), 1);
    let e = h.join().unwrap().unwrap_err();
    assert!(t.elapsed() < Duration::from_millis(50), "{:?}", t.elapsed());
    assert_eq!(e.kind, ErrorKind::Cancelled);
    lite.signal("-CONT");
    // The same client works again, and the timed-out insert may or may not have landed.
    let n = count(&c, &name);
    assert!(n == 10 || n == 11 || n == 12, "{n}");
}

#[test]
fn a_killed_server_fails_calls_fast_and_the_same_client_reconnects() {
    let mut lite = Lite::start();
    let c = Arc::new(connect_with(&lite.uri(), 5.0, RetryPolicy::default()));
    let name = unique("killed");
    setup_rows(&c, &name, 20);

    // Killed mid-call: freeze it so the calls are surely in flight, then SIGKILL.
    lite.signal("-STOP");
    let (c1, n1) = (c.clone(), name.clone());
    let read = std::thread::spawn(move || {
        let t = Instant::now();
        let r = call(
            &c1,
            m::query,
            json!({"collection_name": n1, "filter": "id >= 0", "timeout": 3}),
        );
        (r, t.elapsed())
    });
    let (c2, n2) = (c.clone(), name.clone());
    let write = std::thread::spawn(move || {
        let t = Instant::now();
        let r = call(
            &c2,
            m::insert,
            json!({"collection_name": n2, "data": [{"id": 500, "vector": [0.0, 0.0]}], "timeout": 3}),
        );
        (r, t.elapsed())
    });
    std::thread::sleep(Duration::from_millis(300));
    lite.kill();
    // The write fails at once: the server may have had it, so it is not repeated.
    let (r, took) = write.join().unwrap();
    let e = r.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unavailable, "{e}");
    assert!(e.message.contains("not repeated"), "{e}");
    assert!(took < Duration::from_secs(1), "write: {took:?}");
    // The read is retried (connection refused) until its deadline leaves no time for more.
    let (r, took) = read.join().unwrap();
    let e = r.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unavailable, "{e}");
    assert!(e.message.contains("retries"), "{e}");
    assert!(took < Duration::from_secs(3), "read: {took:?}");

    // While it is down: a transport status within the deadline, never a hang.
    let t = Instant::now();
    let e = call(&c, m::list_collections, json!({"timeout": 1})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unavailable, "{e}");
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    let none = CallOpts {
        retry: Some(RetryPolicy::NONE),
        ..opts(1.0)
    };
    let t = Instant::now();
    let e = block(c.list_collections(&none)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unavailable, "{e}");
    assert_eq!(e.grpc_code, 14, "{e}");
    assert!(
        t.elapsed() < Duration::from_millis(200),
        "{:?}",
        t.elapsed()
    );

    // A write that certainly was not sent (connection refused) is retried: it lands once the
    // server is back, within its deadline.
    let (c3, n3) = (c.clone(), name.clone());
    let write = std::thread::spawn(move || {
        call(
            &c3,
            m::insert,
            json!({"collection_name": n3, "data": [{"id": 600, "vector": [6.0, 0.0]}], "timeout": 20}),
        )
    });
    std::thread::sleep(Duration::from_millis(1500));
    lite.launch();
    let r = write.join().unwrap().unwrap();
    assert_eq!(r["insert_count"], 1, "{r}");

    // The same handle, reconnected: the flushed rows survived, the retried insert is there
    // exactly once, and the insert cut off by the kill may or may not have been kept.
    call(&c, m::load_collection, json!({"collection_name": name})).unwrap();
    let ids = |filter: &str| {
        call(
            &c,
            m::query,
            json!({"collection_name": name, "filter": filter, "output_fields": ["id"],
                   "consistency_level": "Strong"}),
        )
        .unwrap()
        .as_array()
        .unwrap()
        .len()
    };
    assert_eq!(ids("id < 100"), 20);
    assert_eq!(ids("id == 600"), 1);
    assert!(ids("id == 500") <= 1);
}

#[test]
fn search_iterator_v2_follows_the_servers_token() {
    // No test server iterates server-side (Milvus 2.5+ proxies do): the scripted one does, over
    // ids 0..9 at distance = id.
    let s = Scripted::start("search", 0);
    let c = Arc::new(connect_with(&s.uri(), 10.0, RetryPolicy::default()));
    let mut it = block(milvus::api::iterator::search_iterator(
        c,
        r#"{"collection_name": "scripted", "data": [[0.0, 0.0]], "batch_size": 4}"#,
    ))
    .unwrap();
    let mut pages = Vec::new();
    loop {
        let page: serde_json::Value =
            serde_json::from_slice(&block(milvus::api::iterator::next_page(&mut it)).unwrap())
                .unwrap();
        let ids: Vec<i64> = page
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_i64().unwrap())
            .collect();
        if ids.is_empty() {
            break;
        }
        pages.push(ids);
        assert!(pages.len() < 10, "the iterator does not end: {pages:?}");
    }
    assert_eq!(pages, vec![vec![0, 1, 2, 3], vec![4, 5, 6, 7], vec![8, 9]]);

    s.wait_for("Search", 5);
    let log: Vec<String> = s
        .log
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.starts_with("REQ Search "))
        .cloned()
        .collect();
    // The probe (one row), then four pages; the last finds nothing.
    assert_eq!(log.len(), 5, "{log:#?}");
    let has = |i: usize, kv: &str| {
        assert!(
            log[i].split(' ').any(|w| w == kv),
            "Search #{} lacks {kv}: {}",
            i + 1,
            log[i]
        )
    };
    let lacks = |i: usize, key: &str| {
        assert!(
            !log[i].contains(&format!(" {key}=")),
            "Search #{} has {key}: {}",
            i + 1,
            log[i]
        )
    };
    for i in 0..5 {
        has(i, "iterator=True");
        has(i, "search_iter_v2=True");
        has(i, "collection_id=4242");
    }
    has(0, "search_iter_batch_size=1");
    lacks(0, "search_iter_id");
    lacks(0, "search_iter_last_bound");
    has(1, "search_iter_batch_size=4");
    lacks(1, "search_iter_id");
    lacks(1, "search_iter_last_bound");
    // From the second page on: the token, and the bound of the page before, as Python writes
    // floats; every page at the probe's session timestamp.
    has(2, "search_iter_id=tok-9");
    has(2, "search_iter_last_bound=3.0");
    has(3, "search_iter_last_bound=7.0");
    has(4, "search_iter_last_bound=9.0");
    for i in 1..5 {
        has(i, "gts=777");
    }
}

#[test]
fn search_aggregation_buckets_come_back_per_query() {
    // No test server aggregates (Milvus 2.6+ does): the scripted one answers one bucket per
    // query and records what it was asked.
    let s = Scripted::start("search", 0);
    let c = connect_with(&s.uri(), 10.0, RetryPolicy::default());
    let out = block(milvus::api::search(
        &c,
        r#"{"collection_name": "scripted", "data": [[0.0, 0.0], [1.0, 0.0]], "limit": 2,
            "search_aggregation": {"fields": ["brand"], "size": 3,
                                   "metrics": {"n": {"count": "*"}},
                                   "top_hits": {"size": 1}}}"#,
    ))
    .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["hits"][0].as_array().unwrap().len(), 2, "{v}");
    let bucket = json!({"key": [{"field_name": "brand", "field_id": 100, "value": 1}],
                        "count": 2, "metrics": {"n": 2},
                        "hits": [{"pk": 0, "score": 0.0, "fields": {}}], "sub_groups": []});
    assert_eq!(v["agg_buckets"], json!([[bucket.clone()], [bucket]]), "{v}");
    s.wait_for("Search", 1);
    let log = s.log.lock().unwrap().clone();
    assert!(
        log.iter()
            .any(|l| l.starts_with("REQ Search ") && l.contains(" agg=brand/3")),
        "{log:?}"
    );

    // Refused before sending: with group_by_field, in hybrid_search, on the typed path.
    for (args, says) in [
        (
            r#"{"collection_name": "scripted", "data": [[0.0, 0.0]], "group_by_field": "g",
             "search_aggregation": {"fields": ["brand"], "size": 3}}"#,
            "mutually exclusive",
        ),
        (
            r#"{"collection_name": "scripted", "data": [[0.0, 0.0]],
             "search_aggregation": {"fields": ["brand"], "size": 0}}"#,
            "size",
        ),
    ] {
        let e = block(milvus::api::search(&c, args)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidArgument, "{e}");
        assert!(e.message.contains(says), "{e}");
    }
    let Err(e) = block(milvus::api::typed::search_typed(
        &c,
        r#"{"collection_name": "scripted", "data": [[0.0, 0.0]],
            "search_aggregation": {"fields": ["brand"], "size": 3}}"#,
    )) else {
        panic!("a typed search with search_aggregation was accepted")
    };
    assert!(e.message.contains("milvus_client_search"), "{e}");
    let e = block(milvus::api::hybrid_search(
        &c,
        r#"{"collection_name": "scripted", "reqs": [{"data": [[0.0, 0.0]], "anns_field": "v"}],
            "ranker": {"strategy": "rrf"}, "search_aggregation": {"fields": ["b"], "size": 1}}"#,
    ))
    .unwrap_err();
    assert!(e.message.contains("hybrid_search"), "{e}");
    assert_eq!(s.count("Search"), 1, "nothing else was sent");
}
