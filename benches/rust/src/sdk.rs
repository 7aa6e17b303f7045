//! The official Rust SDK (milvus-sdk-rust, ClientV2) as a bench client. One workload per
//! process; prints one JSON line. Runtime: `#[tokio::main]` (multi-thread), as the SDK's
//! README shows; `rt=current` selects a current_thread runtime instead.

use bench_common::*;
use milvus::v2::prelude::*;

use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() {
    let args = Args::parse();
    let rt = if args.str("rt") == "current" {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
    };
    let rt = rt.unwrap_or_else(|e| fail(&format!("runtime: {e}")));
    rt.block_on(run(args));
}

async fn connect(args: &Args) -> ClientV2 {
    let mut cfg = ConnectConfig::new().uri(args.uri.clone());
    // The SDK retries failed calls up to 75 times by default; a workload it cannot do
    // (a reply over its 4 MiB limit) would then take minutes. retries=N bounds that.
    if let Some(n) = Some(args.num("retries", 0)).filter(|n| *n > 0) {
        cfg = cfg.retry(RetryConfig::new().max_attempts(n as u32));
    }
    ClientV2::new(&cfg)
        .await
        .unwrap_or_else(|e| fail(&format!("connect: {e}")))
}

async fn run(args: Args) {
    let client = connect(&args).await;
    match args.workload.as_str() {
        "insert" | "memory" => insert(&args, &client).await,
        "search" => search(&args, &client).await,
        "csearch" => csearch(&args, Arc::new(client)).await,
        "query" => query(&args, &client).await,
        w => fail(&format!("unknown workload {w}")),
    }
}

fn columns(start: i64, n: usize, vecs: Vec<Vec<f32>>) -> Vec<FieldData> {
    let ids: Vec<i64> = (start..start + n as i64).collect();
    let tags = ids.iter().map(|&i| tag(i)).collect();
    vec![
        FieldData::int64("id", ids),
        FieldData::float_vector("vec", vecs),
        FieldData::varchar("tag", tags),
    ]
}

fn vectors(rng: &mut Rng, n: usize, dim: usize) -> Vec<Vec<f32>> {
    (0..n)
        .map(|_| (0..dim).map(|_| rng.next_f32()).collect())
        .collect()
}

async fn do_insert(client: &ClientV2, coll: &str, cols: Vec<FieldData>, n: usize) {
    let req = InsertRequest::builder()
        .collection_name(coll)
        .columns(cols)
        .build()
        .unwrap_or_else(|e| fail(&format!("insert request: {e}")));
    let r = client
        .insert(req)
        .await
        .unwrap_or_else(|e| fail(&format!("insert: {e}")));
    if r.insert_count() != n as i64 {
        fail(&format!("insert_count {} != {n}", r.insert_count()));
    }
}

async fn insert(args: &Args, client: &ClientV2) {
    let (rows, batch, dim) = (
        args.num("rows", 50_000),
        args.num("batch", 5_000),
        args.num("dim", 128),
    );
    let memory = args.workload == "memory";
    let mut rng = Rng::new(1);
    // Warm-up (schema cache, connection): a few rows with ids outside the measured range.
    do_insert(
        client,
        &args.target,
        columns(-16, 16, vectors(&mut rng, 16, dim)),
        16,
    )
    .await;
    let nb = rows / batch;
    if memory {
        // One batch of caller data, sent nb times; the SDK takes ownership, so each send
        // gets a copy (the API's cost).
        let data = vectors(&mut rng, batch, dim);
        let base = rss_baseline_kb();
        let m = Meter::start();
        for _ in 0..nb {
            do_insert(client, &args.target, columns(0, batch, data.clone()), batch).await;
        }
        let (wall, cpu) = m.stop();
        report(
            json!({"ok": true, "rows": nb * batch, "wall_s": wall, "cpu_s": cpu,
            "rss_base_kb": base, "rss_peak_kb": peak_rss_kb()}),
        );
    } else {
        let batches: Vec<Vec<FieldData>> = (0..nb)
            .map(|b| columns((b * batch) as i64, batch, vectors(&mut rng, batch, dim)))
            .collect();
        let m = Meter::start();
        for cols in batches {
            do_insert(client, &args.target, cols, batch).await;
        }
        let (wall, cpu) = m.stop();
        report(json!({"ok": true, "rows": nb * batch, "wall_s": wall, "cpu_s": cpu}));
    }
}

async fn search_one(client: &ClientV2, coll: &str, v: &[f32]) -> std::result::Result<(), String> {
    let req = SearchRequest::builder()
        .collection_name(coll)
        .vector_field("vec")
        .vectors(SearchVectors::Float(vec![v.to_vec()]))
        .output_fields(["tag"])
        .limit(10)
        .build()
        .map_err(|e| format!("search request: {e}"))?;
    let r = client
        .search(req)
        .await
        .map_err(|e| format!("search: {e}"))?;
    let hits = r.results().get_results();
    if hits.len() != 1 || hits[0].len() != 10 || hits[0].get_output_field("tag").is_none() {
        return Err("search: expected 1 query with 10 hits and tag".into());
    }
    Ok(())
}

async fn search(args: &Args, client: &ClientV2) {
    let (n, dim) = (args.num("n", 1000), args.num("dim", 128));
    let qs = read_queries(&args.str("queries"), dim);
    for q in qs.iter().take(20) {
        search_one(client, &args.target, q)
            .await
            .unwrap_or_else(|e| fail(&e));
    }
    let mut lat = Vec::with_capacity(n);
    let m = Meter::start();
    for i in 0..n {
        let t = Instant::now();
        search_one(client, &args.target, &qs[i % qs.len()])
            .await
            .unwrap_or_else(|e| fail(&e));
        lat.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let (wall, cpu) = m.stop();
    lat.sort_by(|a, b| a.total_cmp(b));
    report(json!({"ok": true, "ops": n, "wall_s": wall, "cpu_s": cpu,
        "p50_us": percentile(&lat, 50.0), "p99_us": percentile(&lat, 99.0)}));
}

async fn csearch(args: &Args, client: Arc<ClientV2>) {
    let (n, dim, threads) = (
        args.num("n", 2000),
        args.num("dim", 128),
        args.num("threads", 8),
    );
    let qs = Arc::new(read_queries(&args.str("queries"), dim));
    for q in qs.iter().take(20) {
        search_one(&client, &args.target, q)
            .await
            .unwrap_or_else(|e| fail(&e));
    }
    let m = Meter::start();
    let mut tasks = Vec::new();
    for t in 0..threads {
        let (client, qs, coll) = (client.clone(), qs.clone(), args.target.clone());
        let per = n / threads;
        tasks.push(tokio::spawn(async move {
            for i in 0..per {
                search_one(&client, &coll, &qs[(t * per + i) % qs.len()]).await?;
            }
            Ok::<usize, String>(per)
        }));
    }
    let mut done = 0;
    for t in tasks {
        match t.await {
            Ok(Ok(k)) => done += k,
            Ok(Err(e)) => fail(&e),
            Err(e) => fail(&format!("task: {e}")),
        }
    }
    let (wall, cpu) = m.stop();
    report(json!({"ok": true, "ops": done, "wall_s": wall, "cpu_s": cpu}));
}

async fn query_once(
    args: &Args,
    client: &ClientV2,
    expect: u64,
) -> std::result::Result<(), String> {
    let req = QueryRequest::builder()
        .collection_name(&args.target)
        .filter(format!("id < {expect}"))
        .output_fields(["tag", "vec"])
        .build()
        .map_err(|e| format!("query request: {e}"))?;
    let r = tokio::time::timeout(
        Duration::from_secs(args.num("timeout", 120) as u64),
        client.query(req),
    )
    .await
    .map_err(|_| "query: timed out".to_string())?
    .map_err(|e| format!("query: {e}"))?;
    let got = r.results().get_row_count();
    if got != expect || r.results().get_output_field("vec").is_none() {
        return Err(format!("query: {got} rows, expected {expect} with vectors"));
    }
    Ok(())
}

async fn query(args: &Args, client: &ClientV2) {
    let (n, expect) = (args.num("n", 10), args.num("expect", 10_000) as u64);
    query_once(args, client, expect)
        .await
        .unwrap_or_else(|e| fail(&e));
    let m = Meter::start();
    for _ in 0..n {
        query_once(args, client, expect)
            .await
            .unwrap_or_else(|e| fail(&e));
    }
    let (wall, cpu) = m.stop();
    report(json!({"ok": true, "ops": n, "rows": n as u64 * expect, "wall_s": wall, "cpu_s": cpu}));
}
