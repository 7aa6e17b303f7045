//! Shared helpers of the integration tests: the real servers and unique collection names.
#![allow(dead_code)]

use milvus::{api, Client, ClientConfig};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// (label, uri) of every test server: Milvus 2.3.5 standalone and Milvus Lite 2.5.1.
pub fn servers() -> Vec<(&'static str, String)> {
    vec![
        (
            "standalone",
            std::env::var("MILVUS_URI").unwrap_or_else(|_| "http://127.0.0.1:19530".into()),
        ),
        (
            "lite",
            std::env::var("MILVUS_LITE_URI").unwrap_or_else(|_| "http://127.0.0.1:19531".into()),
        ),
    ]
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
