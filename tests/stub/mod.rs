//! A stub of Milvus's gRPC service on a unix socket, in the test process (no server, no
//! network). One copy serves two users: the offline tests (`tests/offline.rs`, `mod stub;`)
//! and the fuzz targets (`fuzz/src/lib.rs` includes this folder by path).
//!
//! Unscripted, it answers every RPC with a success, describes collection `cN` with fixed
//! schema N (`schemas.rs`), and reports indexes built, collections loaded and flushes done, so
//! no call of the library waits. A test can script the next replies of one RPC (a reply with a
//! server error, a gRPC failure, no reply at all) and read back how many requests of each RPC
//! arrived and the last one. Requests it answers from are decoded, which also checks that the
//! library's encoding of them round-trips.
#![allow(dead_code)] // each user takes a part

pub mod schemas;
use schemas::{describe, schema_for};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Request, Response};
use http_body_util::{combinators::BoxBody, BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http2;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use milvus::proto::common::{IndexState, LoadState, ServerInfo};
use milvus::proto::milvus as m;
use milvus::proto::schema::{i_ds, IDs, LongArray};
use prost::Message;
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

type Body = BoxBody<Bytes, Infallible>;

/// A scripted answer to one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// This reply message, encoded (e.g. a response whose `status` holds a server error).
    Message(Vec<u8>),
    /// A trailers-only gRPC failure: status code and message.
    Grpc(u8, String),
    /// No answer, ever: the call can end only by its deadline or by cancellation.
    Stall,
}

#[derive(Default)]
struct State {
    /// RPC name -> replies for its next requests, in order.
    script: HashMap<String, VecDeque<Reply>>,
    /// RPC name -> requests received.
    seen: HashMap<String, usize>,
    /// RPC name -> the last request message.
    last: HashMap<String, Bytes>,
    /// The field of the last CreateIndex, which the following DescribeIndex reports built.
    last_index_field: String,
}

type Shared = Arc<Mutex<State>>;

fn lock(state: &Shared) -> MutexGuard<'_, State> {
    // A panicking handler (an undecodable request) must not hide later counts.
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running stub; dropping it stops the server and removes its socket.
pub struct Stub {
    uri: String,
    path: PathBuf,
    state: Shared,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Stub {
    /// Starts a stub on its own thread and runtime, on a socket of its own.
    pub fn start() -> Stub {
        static N: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "milvus-stub-{}-{}.sock",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_file(&path);
        let listener =
            std::os::unix::net::UnixListener::bind(&path).expect("binding the stub socket");
        listener.set_nonblocking(true).expect("nonblocking socket");
        let state = Shared::default();
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let served = state.clone();
        std::thread::Builder::new()
            .name("milvus-stub".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_io()
                    .build()
                    .expect("the stub's runtime");
                rt.block_on(async move {
                    let listener = tokio::net::UnixListener::from_std(listener).expect("listener");
                    loop {
                        let stream = tokio::select! {
                            _ = &mut stopped => return,
                            r = listener.accept() => match r {
                                Ok((stream, _)) => stream,
                                Err(_) => continue,
                            },
                        };
                        let state = served.clone();
                        let service = service_fn(move |req| handle(state.clone(), req));
                        tokio::spawn(async move {
                            let _ = http2::Builder::new(TokioExecutor::new())
                                .serve_connection(TokioIo::new(stream), service)
                                .await;
                        });
                    }
                });
            })
            .expect("starting the stub thread");
        Stub {
            uri: format!("unix:{}", path.display()),
            path,
            state,
            stop: Some(stop),
        }
    }

    /// The `unix:` URI to connect to.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// Queues `reply` for the next request of `rpc` (e.g. `"Insert"`) that finds no earlier
    /// scripted reply; once the script of `rpc` is spent, it gets the default answer again.
    pub fn script(&self, rpc: &str, reply: Reply) {
        let mut s = lock(&self.state);
        s.script
            .entry(rpc.to_string())
            .or_default()
            .push_back(reply);
    }

    /// How many requests of `rpc` arrived, scripted or not.
    pub fn seen(&self, rpc: &str) -> usize {
        lock(&self.state).seen.get(rpc).copied().unwrap_or(0)
    }

    /// The last request of `rpc`, decoded as `T`.
    pub fn last<T: Message + Default>(&self, rpc: &str) -> Option<T> {
        let bytes = lock(&self.state).last.get(rpc).cloned()?;
        Some(T::decode(bytes).expect("a request the stub already decoded"))
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Starts a stub that lives as long as the process (the fuzz targets keep one for the whole
/// run); returns its URI.
pub fn start() -> String {
    // Kept reachable (not forgotten), so LeakSanitizer does not report it.
    static KEPT: std::sync::Mutex<Vec<Stub>> = std::sync::Mutex::new(Vec::new());
    let stub = Stub::start();
    let uri = stub.uri.clone();
    KEPT.lock().unwrap_or_else(|e| e.into_inner()).push(stub);
    uri
}

async fn handle(state: Shared, req: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    let method = req
        .uri()
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return Ok(status_only(13, "reading the request failed")),
    };
    // One uncompressed length-prefixed message.
    if body.len() < 5 || body[0] != 0 {
        return Ok(status_only(13, "not one uncompressed gRPC message"));
    }
    let msg = body.slice(5..);
    assert_eq!(
        u32::from_be_bytes([body[1], body[2], body[3], body[4]]) as usize,
        msg.len(),
        "{method}: the gRPC frame length does not match the message"
    );
    let scripted = {
        let mut s = lock(&state);
        *s.seen.entry(method.clone()).or_default() += 1;
        s.last.insert(method.clone(), msg.clone());
        s.script.get_mut(&method).and_then(VecDeque::pop_front)
    };
    match scripted {
        Some(Reply::Message(m)) => Ok(reply(m)),
        Some(Reply::Grpc(code, message)) => Ok(status_only(code, &message)),
        Some(Reply::Stall) => std::future::pending().await,
        None => Ok(reply(answer(&state, &method, &msg))),
    }
}

fn decode<T: Message + Default>(method: &str, msg: &[u8]) -> T {
    T::decode(msg)
        .unwrap_or_else(|e| panic!("{method}: the library sent an undecodable request: {e}"))
}

/// The reply message of `method` to request `msg`, encoded.
fn answer(state: &Shared, method: &str, msg: &[u8]) -> Vec<u8> {
    match method {
        "Connect" => m::ConnectResponse {
            server_info: Some(ServerInfo {
                build_tags: "v2.6.0".into(),
                ..Default::default()
            }),
            identifier: 1,
            ..Default::default()
        }
        .encode_to_vec(),
        "DescribeCollection" => {
            let r: m::DescribeCollectionRequest = decode(method, msg);
            describe(schema_for(&r.collection_name), &r.collection_name).encode_to_vec()
        }
        "CreateIndex" => {
            let r: m::CreateIndexRequest = decode(method, msg);
            lock(state).last_index_field = r.field_name;
            Vec::new()
        }
        "DescribeIndex" => {
            let r: m::DescribeIndexRequest = decode(method, msg);
            let field = lock(state).last_index_field.clone();
            m::DescribeIndexResponse {
                index_descriptions: vec![m::IndexDescription {
                    index_name: if r.index_name.is_empty() {
                        field.clone()
                    } else {
                        r.index_name
                    },
                    field_name: field,
                    state: IndexState::Finished as i32,
                    ..Default::default()
                }],
                ..Default::default()
            }
            .encode_to_vec()
        }
        "GetLoadingProgress" => m::GetLoadingProgressResponse {
            progress: 100,
            refresh_progress: 100,
            ..Default::default()
        }
        .encode_to_vec(),
        "GetLoadState" => m::GetLoadStateResponse {
            state: LoadState::Loaded as i32,
            ..Default::default()
        }
        .encode_to_vec(),
        "GetFlushState" => m::GetFlushStateResponse {
            flushed: true,
            ..Default::default()
        }
        .encode_to_vec(),
        "GetFlushAllState" => m::GetFlushAllStateResponse {
            flushed: true,
            ..Default::default()
        }
        .encode_to_vec(),
        "Insert" | "Upsert" => {
            let n = if method == "Insert" {
                decode::<m::InsertRequest>(method, msg).num_rows as i64
            } else {
                decode::<m::UpsertRequest>(method, msg).num_rows as i64
            };
            m::MutationResult {
                i_ds: Some(IDs {
                    id_field: Some(i_ds::IdField::IntId(LongArray {
                        data: (0..n.min(1 << 16)).collect(),
                    })),
                }),
                insert_cnt: if method == "Insert" { n } else { 0 },
                upsert_cnt: if method == "Upsert" { n } else { 0 },
                timestamp: 1,
                ..Default::default()
            }
            .encode_to_vec()
        }
        "Delete" => {
            let _: m::DeleteRequest = decode(method, msg);
            m::MutationResult::default().encode_to_vec()
        }
        "Search" => {
            let _: m::SearchRequest = decode(method, msg);
            Vec::new()
        }
        "HybridSearch" => {
            let _: m::HybridSearchRequest = decode(method, msg);
            Vec::new()
        }
        "Query" => {
            let _: m::QueryRequest = decode(method, msg);
            Vec::new()
        }
        // Anything else: the empty message, which decodes as the default of every reply type
        // (no status = success).
        _ => Vec::new(),
    }
}

fn reply(msg: Vec<u8>) -> Response<Body> {
    let mut frame = Vec::with_capacity(5 + msg.len());
    frame.push(0);
    frame.extend_from_slice(&(msg.len() as u32).to_be_bytes());
    frame.extend_from_slice(&msg);
    let mut trailers = HeaderMap::new();
    trailers.insert("grpc-status", HeaderValue::from_static("0"));
    let body = Full::new(Bytes::from(frame))
        .with_trailers(async move { Some(Ok(trailers)) })
        .boxed();
    Response::builder()
        .header("content-type", "application/grpc")
        .body(body)
        .expect("a valid response")
}

/// A trailers-only reply: the RPC failed with gRPC status `code`.
fn status_only(code: u8, message: &str) -> Response<Body> {
    Response::builder()
        .header("content-type", "application/grpc")
        .header("grpc-status", code.to_string())
        .header("grpc-message", message)
        .body(Full::new(Bytes::new()).boxed())
        .expect("a valid response")
}
