//! Shared helpers of the integration tests: the real servers and unique collection names.
#![allow(dead_code)]

pub mod lite;
pub mod log_capture;

use milvus::{api, Client, ClientConfig};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The labels of the test servers, each with the variable holding its URI and the default URI.
const SERVERS: [(&str, &str, &str); 3] = [
    ("standalone", "MILVUS_URI", "http://127.0.0.1:19530"),
    ("lite", "MILVUS_LITE_URI", "http://127.0.0.1:19531"),
    ("lite3", "MILVUS_LITE3_URI", "http://127.0.0.1:19532"),
];

/// (label, uri) of every test server: Milvus 2.3.5 standalone ("standalone"), Milvus Lite 2.5.1
/// ("lite") and Milvus Lite 3.2.2 ("lite3"). MILVUS_TEST_SERVERS (a comma-separated list of
/// labels) narrows the list; a label it names that is not one of these is an error, so that a
/// typo cannot skip every test.
pub fn servers() -> Vec<(&'static str, String)> {
    let only: Option<Vec<String>> = std::env::var("MILVUS_TEST_SERVERS")
        .ok()
        .map(|o| o.split(',').map(|l| l.trim().to_string()).collect());
    if let Some(only) = &only {
        for l in only {
            assert!(
                SERVERS.iter().any(|s| s.0 == l),
                "MILVUS_TEST_SERVERS names {l:?}: the labels are standalone, lite and lite3"
            );
        }
    }
    SERVERS
        .into_iter()
        .filter(|(label, _, _)| only.as_ref().is_none_or(|o| o.iter().any(|l| l == label)))
        .map(|(label, var, default)| (label, std::env::var(var).unwrap_or_else(|_| default.into())))
        .collect()
}

/// The URI of the server labelled `label`, or None (after a note) when MILVUS_TEST_SERVERS
/// leaves it out: a test written for one server then has nothing to run.
pub fn server(label: &str) -> Option<String> {
    assert!(SERVERS.iter().any(|s| s.0 == label), "no server {label:?}");
    let uri = servers()
        .into_iter()
        .find(|(l, _)| *l == label)
        .map(|(_, uri)| uri);
    if uri.is_none() {
        eprintln!("note: skipped: MILVUS_TEST_SERVERS leaves out {label}");
    }
    uri
}

pub fn connect(uri: &str) -> Client {
    block(Client::connect(ClientConfig {
        uri: uri.into(),
        timeout: Some(Duration::from_secs(60)),
        ..Default::default()
    }))
    .unwrap_or_else(|e| panic!("connecting to {uri}: {e}"))
}

pub fn block<F: std::future::Future>(f: F) -> F::Output {
    milvus::runtime::block_on(f).expect("runtime")
}

/// A collection name no other test (or earlier run) uses.
pub fn unique(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        nanos % 100_000
    )
}

/// Calls a JSON method and parses its result.
pub fn call(
    c: &Client,
    f: fn(&Client, &str) -> milvus::Result<Vec<u8>>,
    args: serde_json::Value,
) -> milvus::Result<serde_json::Value> {
    f(c, &args.to_string()).map(|bytes| serde_json::from_slice(&bytes).expect("result is JSON"))
}

macro_rules! json_method {
    ($($name:ident),*) => {$(
        pub fn $name(c: &Client, args: &str) -> milvus::Result<Vec<u8>> {
            block(api::$name(c, args))
        }
    )*};
}

pub mod m {
    use super::*;
    json_method!(
        get_server_version,
        list_collections,
        has_collection,
        create_collection,
        describe_collection,
        drop_collection,
        load_collection,
        release_collection,
        flush,
        insert,
        upsert,
        delete,
        get,
        query,
        search
    );
}

/// A TCP relay to `target` (`http://host:port`) whose traffic can be held: while the flag is
/// set, bytes stop flowing both ways, as if the server were stopped. Returns the relay's URI.
pub fn pausable_relay(target: &str) -> (String, std::sync::Arc<std::sync::atomic::AtomicBool>) {
    use std::io::{Read, Write};
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;
    let addr = target.trim_start_matches("http://").to_string();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let paused = Arc::new(AtomicBool::new(false));
    let flag = paused.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(client) = conn else { return };
            let Ok(server) = std::net::TcpStream::connect(&addr) else {
                return;
            };
            for (mut from, mut to) in [
                (client.try_clone().unwrap(), server.try_clone().unwrap()),
                (server, client),
            ] {
                let flag = flag.clone();
                std::thread::spawn(move || {
                    let mut buf = [0u8; 64 * 1024];
                    loop {
                        let n = match from.read(&mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => n,
                        };
                        while flag.load(Ordering::SeqCst) {
                            std::thread::sleep(Duration::from_millis(5));
                        }
                        if to.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                    let _ = to.shutdown(std::net::Shutdown::Both);
                });
            }
        }
    });
    (uri, paused)
}

/// A loopback port held for one test-started server for the whole test. The held socket is
/// bound, never listening, with SO_REUSEPORT: the kernel gives the port to no other bind(0)
/// (ours or another process's), while the server, which sets SO_REUSEPORT as gRPC servers
/// do, can still bind it. A port found free and then released could be handed out again
/// before the server binds it; two gRPC servers on one port then split the connections.
pub struct ReservedPort {
    _socket: socket2::Socket,
    pub port: u16,
}

pub fn reserve_port() -> ReservedPort {
    reserve_port_at(0)
}

/// `reserve_port` for a given port (0: any free one).
pub fn reserve_port_at(port: u16) -> ReservedPort {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket.set_reuse_port(true).unwrap();
    let any: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    socket.bind(&any.into()).unwrap();
    let port = socket.local_addr().unwrap().as_socket().unwrap().port();
    ReservedPort {
        _socket: socket,
        port,
    }
}

/// How many sockets listen on TCP `port` on this machine (IPv4 and IPv6 tables).
pub fn listeners_on(port: u16) -> usize {
    let mut n = 0;
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // local_address is ADDR:PORT in hex; state 0A is LISTEN.
            let listening = cols.get(3) == Some(&"0A");
            let local_port = cols
                .get(1)
                .and_then(|a| a.rsplit(':').next())
                .and_then(|p| u16::from_str_radix(p, 16).ok());
            if listening && local_port == Some(port) {
                n += 1;
            }
        }
    }
    n
}
