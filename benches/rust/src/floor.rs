//! The floor: requests pymilvus encoded once (benches/py/encode_requests.py), sent raw over
//! tonic with a pass-through codec, replies not decoded. What is left is the server's time
//! plus the least a gRPC client can do. Only the warm-up reply is checked (its status).

use bench_common::*;
use bytes::{Buf, BufMut, Bytes};
use http::uri::PathAndQuery;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::transport::{Channel, Endpoint};
use tonic::Status;

#[derive(Clone, Copy)]
struct Raw {
    keep: bool,
}
struct RawEnc;
struct RawDec {
    keep: bool,
}

impl Codec for Raw {
    type Encode = Bytes;
    type Decode = Bytes;
    type Encoder = RawEnc;
    type Decoder = RawDec;
    fn encoder(&mut self) -> RawEnc {
        RawEnc
    }
    fn decoder(&mut self) -> RawDec {
        RawDec { keep: self.keep }
    }
}
impl Encoder for RawEnc {
    type Item = Bytes;
    type Error = Status;
    fn encode(&mut self, item: Bytes, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        dst.put_slice(&item);
        Ok(())
    }
}
impl Decoder for RawDec {
    type Item = Bytes;
    type Error = Status;
    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Bytes>, Status> {
        let n = src.remaining();
        if self.keep {
            return Ok(Some(src.copy_to_bytes(n)));
        }
        src.advance(n);
        Ok(Some(Bytes::new()))
    }
}

/// Requests as written by encode_requests.py: u32 LE length, then the message.
fn read_requests(path: &str) -> Vec<Bytes> {
    let raw = std::fs::read(path).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    let mut out = Vec::new();
    let mut b = &raw[..];
    while b.len() >= 4 {
        let n = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        out.push(Bytes::copy_from_slice(&b[4..4 + n]));
        b = &b[4 + n..];
    }
    out
}

fn varint(b: &mut &[u8]) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let (&x, rest) = b.split_first()?;
        *b = rest;
        v |= ((x & 0x7f) as u64) << shift;
        if x & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// The reply's `status` (field 1): error_code (1) and code (3) must be 0.
fn check_status(reply: &[u8]) -> Result<(), String> {
    let mut b = reply;
    while !b.is_empty() {
        let key = varint(&mut b).ok_or("bad reply")?;
        let (field, wt) = (key >> 3, key & 7);
        match wt {
            0 => {
                varint(&mut b);
            }
            1 => b = &b[8.min(b.len())..],
            5 => b = &b[4.min(b.len())..],
            2 => {
                let n = varint(&mut b).ok_or("bad reply")? as usize;
                let body = &b[..n.min(b.len())];
                if field == 1 {
                    let mut s = body;
                    while !s.is_empty() {
                        let k = varint(&mut s).ok_or("bad status")?;
                        if k & 7 == 0 {
                            let v = varint(&mut s).ok_or("bad status")?;
                            if (k >> 3 == 1 || k >> 3 == 3) && v != 0 {
                                return Err(format!(
                                    "server status: {}",
                                    String::from_utf8_lossy(body)
                                ));
                            }
                        } else if k & 7 == 2 {
                            let m = varint(&mut s).ok_or("bad status")? as usize;
                            s = &s[m.min(s.len())..];
                        } else {
                            break;
                        }
                    }
                    return Ok(());
                }
                b = &b[n.min(b.len())..];
            }
            _ => return Err("bad reply".into()),
        }
    }
    Ok(())
}

async fn channel(uri: &str) -> Channel {
    // The HTTP/2 settings libmilvus uses (src/client/mod.rs).
    Endpoint::from_shared(uri.to_string())
        .unwrap_or_else(|e| fail(&format!("uri: {e}")))
        .tcp_nodelay(true)
        .initial_stream_window_size(Some(4 << 20))
        .initial_connection_window_size(Some(8 << 20))
        .connect_timeout(Duration::from_secs(10))
        .connect()
        .await
        .unwrap_or_else(|e| fail(&format!("connect: {e}")))
}

async fn call(ch: &Channel, path: &'static str, req: Bytes, keep: bool) -> Result<Bytes, String> {
    let mut g = tonic::client::Grpc::new(ch.clone()).max_decoding_message_size(usize::MAX);
    g.ready().await.map_err(|e| format!("not ready: {e}"))?;
    g.unary(
        tonic::Request::new(req),
        PathAndQuery::from_static(path),
        Raw { keep },
    )
    .await
    .map(|r| r.into_inner())
    .map_err(|e| format!("{path}: {e}"))
}

fn main() {
    let args = Args::parse();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run(args));
}

async fn run(args: Args) {
    let reqs = read_requests(&args.target);
    if reqs.is_empty() {
        fail("no requests");
    }
    let ch = channel(&args.uri).await;
    let path: &'static str = match args.workload.as_str() {
        "insert" => "/milvus.proto.milvus.MilvusService/Insert",
        "search" | "csearch" => "/milvus.proto.milvus.MilvusService/Search",
        "query" => "/milvus.proto.milvus.MilvusService/Query",
        w => fail(&format!("unknown workload {w}")),
    };
    // Warm-up and check: the first request once, its reply's status read.
    let warm = if args.workload == "insert" {
        args.str("warmup")
    } else {
        String::new()
    };
    let first = if warm.is_empty() {
        reqs[0].clone()
    } else {
        read_requests(&warm)[0].clone()
    };
    let reply = call(&ch, path, first, true)
        .await
        .unwrap_or_else(|e| fail(&e));
    check_status(&reply).unwrap_or_else(|e| fail(&e));
    let reply_bytes = reply.len();

    match args.workload.as_str() {
        "insert" => {
            let m = Meter::start();
            for r in &reqs {
                call(&ch, path, r.clone(), false)
                    .await
                    .unwrap_or_else(|e| fail(&e));
            }
            let (wall, cpu) = m.stop();
            report(json!({"ok": true, "ops": reqs.len(), "wall_s": wall, "cpu_s": cpu}));
        }
        "search" => {
            let n = args.num("n", 1000);
            let mut lat = Vec::with_capacity(n);
            let m = Meter::start();
            for i in 0..n {
                let t = Instant::now();
                call(&ch, path, reqs[i % reqs.len()].clone(), false)
                    .await
                    .unwrap_or_else(|e| fail(&e));
                lat.push(t.elapsed().as_secs_f64() * 1e6);
            }
            let (wall, cpu) = m.stop();
            lat.sort_by(|a, b| a.total_cmp(b));
            report(json!({"ok": true, "ops": n, "wall_s": wall, "cpu_s": cpu,
                "p50_us": percentile(&lat, 50.0), "p99_us": percentile(&lat, 99.0),
                "reply_bytes": reply_bytes}));
        }
        "csearch" => {
            let (n, threads) = (args.num("n", 2000), args.num("threads", 8));
            let reqs = Arc::new(reqs);
            let per = n / threads;
            let m = Meter::start();
            let mut tasks = Vec::new();
            for t in 0..threads {
                let (ch, reqs) = (ch.clone(), reqs.clone());
                tasks.push(tokio::spawn(async move {
                    for i in 0..per {
                        call(&ch, path, reqs[(t * per + i) % reqs.len()].clone(), false).await?;
                    }
                    Ok::<usize, String>(per)
                }));
            }
            let mut done = 0;
            for t in tasks {
                done += t
                    .await
                    .unwrap_or_else(|e| fail(&e.to_string()))
                    .unwrap_or_else(|e| fail(&e));
            }
            let (wall, cpu) = m.stop();
            report(json!({"ok": true, "ops": done, "wall_s": wall, "cpu_s": cpu}));
        }
        _ => {
            let n = args.num("n", 10);
            let m = Meter::start();
            for _ in 0..n {
                call(&ch, path, reqs[0].clone(), false)
                    .await
                    .unwrap_or_else(|e| fail(&e));
            }
            let (wall, cpu) = m.stop();
            report(
                json!({"ok": true, "ops": n, "rows": n * args.num("expect", 10_000),
                "wall_s": wall, "cpu_s": cpu, "reply_bytes": reply_bytes}),
            );
        }
    }
}
