//! A stub of Milvus's gRPC service on a unix socket (no network): answers every RPC with a
//! success, describes every collection with one of the fixed schemas (`crate::schema_for`),
//! and reports indexes built, collections loaded and flushes done, so no call of the library
//! waits. Requests it needs to read are decoded, which also checks that the library's
//! encoding of them round-trips.

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
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Mutex;

type Body = BoxBody<Bytes, Infallible>;

/// The field of the last CreateIndex, which the following DescribeIndex reports built.
static LAST_INDEX_FIELD: Mutex<String> = Mutex::new(String::new());

/// Starts the stub on its own thread and runtime; returns the `unix:` URI to connect to.
pub fn start() -> String {
    let dir = std::env::temp_dir().join(format!("milvus-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("creating the stub's socket folder");
    let path: PathBuf = dir.join("stub.sock");
    let _ = std::fs::remove_file(&path);
    let listener = std::os::unix::net::UnixListener::bind(&path).expect("binding the stub socket");
    listener.set_nonblocking(true).expect("nonblocking socket");
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
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    tokio::spawn(async move {
                        let _ = http2::Builder::new(TokioExecutor::new())
                            .serve_connection(TokioIo::new(stream), service_fn(handle))
                            .await;
                    });
                }
            });
        })
        .expect("starting the stub thread");
    format!("unix:{}", path.display())
}

async fn handle(req: Request<Incoming>) -> Result<Response<Body>, Infallible> {
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
    let msg = &body[5..];
    assert_eq!(
        u32::from_be_bytes([body[1], body[2], body[3], body[4]]) as usize,
        msg.len(),
        "{method}: the gRPC frame length does not match the message"
    );
    Ok(reply(answer(&method, msg)))
}

fn decode<T: Message + Default>(method: &str, msg: &[u8]) -> T {
    T::decode(msg)
        .unwrap_or_else(|e| panic!("{method}: the library sent an undecodable request: {e}"))
}

/// The reply message of `method` to request `msg`, encoded.
fn answer(method: &str, msg: &[u8]) -> Vec<u8> {
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
            crate::describe(crate::schema_for(&r.collection_name), &r.collection_name)
                .encode_to_vec()
        }
        "CreateIndex" => {
            let r: m::CreateIndexRequest = decode(method, msg);
            *LAST_INDEX_FIELD.lock().unwrap_or_else(|e| e.into_inner()) = r.field_name;
            Vec::new()
        }
        "DescribeIndex" => {
            let r: m::DescribeIndexRequest = decode(method, msg);
            let field = LAST_INDEX_FIELD
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
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
fn status_only(code: u8, message: &'static str) -> Response<Body> {
    Response::builder()
        .header("content-type", "application/grpc")
        .header("grpc-status", code.to_string())
        .header("grpc-message", message)
        .body(Full::new(Bytes::new()).boxed())
        .expect("a valid response")
}
