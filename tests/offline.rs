//! The offline layer: the client, the JSON methods and the C ABI against the in-process stub
//! (`tests/stub/`), with no Milvus server. Runs in seconds:
//!
//!     cargo test --lib --test offline
//!
//! Each test starts its own stub, so scripted replies and request counts are its own. The
//! stalls end by a deadline or a cancellation within a second.

mod stub;

use milvus::client::{with_cancel, RetryPolicy};
use milvus::ffi::buffer::{milvus_buffer, milvus_buffer_free};
use milvus::ffi::client::{
    milvus_client, milvus_client_call, milvus_client_free, milvus_client_new,
};
use milvus::ffi::error::{
    milvus_error, milvus_error_free, milvus_error_grpc_code, milvus_error_message,
    milvus_error_retriable, milvus_error_server_code, milvus_error_status,
};
use milvus::ffi::status::*;
use milvus::proto::common::Status;
use milvus::proto::milvus as m;
use milvus::proto::schema::{field_data, scalar_field, vector_field};
use milvus::{api, CallOpts, Client, ClientConfig, ErrorKind};
use prost::Message;
use serde_json::{json, Value};
use std::ffi::{c_char, CStr, CString};
use std::time::{Duration, Instant};
use stub::{Reply, Stub};

fn block<F: std::future::Future>(f: F) -> F::Output {
    milvus::runtime::block_on(f).expect("runtime")
}

/// Retries with pauses of about a millisecond, so retry tests take no time.
const FAST_RETRY: RetryPolicy = RetryPolicy {
    max_retries: 5,
    initial_backoff: Duration::from_millis(1),
    max_backoff: Duration::from_millis(2),
    multiplier: 2.0,
};

fn connect_with(stub: &Stub, retry: RetryPolicy, timeout: Option<Duration>) -> Client {
    block(Client::connect(ClientConfig {
        uri: stub.uri().into(),
        timeout,
        retry,
        ..Default::default()
    }))
    .expect("connecting to the stub")
}

fn connect(stub: &Stub) -> Client {
    connect_with(stub, FAST_RETRY, Some(Duration::from_secs(10)))
}

type Pending<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = milvus::Result<Vec<u8>>> + 'a>>;
/// A JSON method of `api`, callable from a table.
type Method = for<'a> fn(&'a Client, &'a str) -> Pending<'a>;

macro_rules! method {
    ($name:ident) => {{
        fn f<'a>(c: &'a Client, args: &'a str) -> Pending<'a> {
            Box::pin(api::$name(c, args))
        }
        f as Method
    }};
}

fn call(c: &Client, f: Method, args: Value) -> milvus::Result<Value> {
    block(f(c, &args.to_string()))
        .map(|bytes| serde_json::from_slice(&bytes).expect("the result is JSON"))
}

/// A server status with `code` (new style) or `error_code` (legacy) and `reason`.
fn server_error(code: i32, error_code: i32, reason: &str) -> Status {
    Status {
        code,
        error_code,
        reason: reason.into(),
        ..Default::default()
    }
}

fn show_collections_failing(status: Status) -> Reply {
    Reply::Message(
        m::ShowCollectionsResponse {
            status: Some(status),
            ..Default::default()
        }
        .encode_to_vec(),
    )
}

fn rate_limited(rpc: &str) -> Reply {
    let status = Some(server_error(8, 0, "rate limit exceeded"));
    Reply::Message(match rpc {
        "ShowCollections" => m::ShowCollectionsResponse {
            status,
            ..Default::default()
        }
        .encode_to_vec(),
        _ => m::MutationResult {
            status,
            ..Default::default()
        }
        .encode_to_vec(),
    })
}

/// A row of fixed schema 1 (every scalar nullable, defaults): only the key and the vector.
fn row1(id: i64, v: [f32; 2]) -> Value {
    json!({"id": id, "v": v})
}

// ---- JSON methods: argument checks and encoders ------------------------------------------

#[test]
fn bad_arguments_have_exact_kinds_and_send_nothing() {
    let stub = Stub::start();
    let c = connect(&stub);
    let cases: Vec<(Method, &str, ErrorKind)> = vec![
        (method!(list_collections), "{", ErrorKind::InvalidJson),
        (method!(list_collections), "[1]", ErrorKind::InvalidArgument),
        (
            method!(list_collections),
            r#"{"timeout":-1}"#,
            ErrorKind::InvalidArgument,
        ),
        (
            method!(insert),
            r#"{"data":[]}"#,
            ErrorKind::InvalidArgument,
        ),
        (
            method!(insert),
            r#"{"collection_name":"c1","data":[],"bogus":1}"#,
            ErrorKind::InvalidArgument,
        ),
        (
            method!(insert),
            r#"{"collection_name":"c1","data":[{"id":1,"v":[1,2,3]}]}"#,
            ErrorKind::DimensionMismatch,
        ),
        (
            method!(insert),
            r#"{"collection_name":"c1","data":[{"v":[1,2]}]}"#,
            ErrorKind::MissingField,
        ),
        (
            method!(insert),
            r#"{"collection_name":"c1","data":[{"id":"one","v":[1,2]}]}"#,
            ErrorKind::InvalidArgument,
        ),
        (
            method!(delete),
            r#"{"collection_name":"c1"}"#,
            ErrorKind::MissingField,
        ),
        (
            method!(delete),
            r#"{"collection_name":"c1","ids":[1],"filter":"id > 0"}"#,
            ErrorKind::InvalidArgument,
        ),
        (
            method!(search),
            r#"{"collection_name":"c1","data":[[1,2,3]],"limit":3}"#,
            ErrorKind::DimensionMismatch,
        ),
    ];
    for (f, args, kind) in cases {
        let e = block(f(&c, args)).expect_err(args);
        assert_eq!(e.kind, kind, "{args}: {e}");
        assert_eq!((e.server_code, e.grpc_code), (0, 0), "{args}");
    }
    for rpc in ["ShowCollections", "Insert", "Delete", "Search"] {
        assert_eq!(stub.seen(rpc), 0, "{rpc} was sent for a refused call");
    }
}

#[test]
fn insert_sends_rows_as_columns_and_returns_the_reply() {
    let stub = Stub::start();
    let c = connect(&stub);
    let mut with_s = row1(2, [1.5, 2.0]);
    with_s["s"] = json!("hi");
    let r = call(
        &c,
        method!(insert),
        json!({"collection_name": "c1", "data": [row1(1, [0.5, 1.0]), with_s]}),
    )
    .unwrap();
    // The stub answers ids 0..n and no cost.
    assert_eq!(r, json!({"insert_count": 2, "ids": [0, 1], "cost": 0}));
    assert_eq!(stub.seen("Insert"), 1);
    let req: m::InsertRequest = stub.last("Insert").unwrap();
    assert_eq!((req.collection_name.as_str(), req.num_rows), ("c1", 2));
    let field = |name: &str| {
        req.fields_data
            .iter()
            .find(|f| f.field_name == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    match &field("id").field {
        Some(field_data::Field::Scalars(s)) => match &s.data {
            Some(scalar_field::Data::LongData(l)) => assert_eq!(l.data, [1, 2]),
            other => panic!("id column: {other:?}"),
        },
        other => panic!("id column: {other:?}"),
    }
    match &field("v").field {
        Some(field_data::Field::Vectors(v)) => {
            assert_eq!(v.dim, 2);
            match &v.data {
                Some(vector_field::Data::FloatVector(f)) => {
                    assert_eq!(f.data, [0.5, 1.0, 1.5, 2.0])
                }
                other => panic!("v column: {other:?}"),
            }
        }
        other => panic!("v column: {other:?}"),
    }
    // A nullable column given in one row of two: validity says which, and only valid rows
    // carry a value (as pymilvus sends them).
    let s = field("s");
    assert_eq!(s.valid_data, [false, true]);
    match &s.field {
        Some(field_data::Field::Scalars(sc)) => match &sc.data {
            Some(scalar_field::Data::StringData(d)) => assert_eq!(d.data, ["hi"]),
            other => panic!("s column: {other:?}"),
        },
        other => panic!("s column: {other:?}"),
    }
}

#[test]
fn search_sends_filter_limit_and_one_placeholder_per_query() {
    let stub = Stub::start();
    let c = connect(&stub);
    call(
        &c,
        method!(search),
        json!({"collection_name": "c1", "data": [[1, 2], [3, 4]], "limit": 3,
               "filter": "id > 5", "anns_field": "v"}),
    )
    .unwrap();
    let req: m::SearchRequest = stub.last("Search").unwrap();
    assert_eq!(req.collection_name, "c1");
    assert_eq!(req.dsl, "id > 5");
    assert_eq!(req.nq, 2);
    let param = |k: &str| {
        req.search_params
            .iter()
            .find(|p| p.key == k)
            .map(|p| p.value.clone())
    };
    assert_eq!(param("topk").as_deref(), Some("3"));
    assert_eq!(param("anns_field").as_deref(), Some("v"));
    let Some(m::search_request::SearchInput::PlaceholderGroup(bytes)) = &req.search_input else {
        panic!("no placeholder group: {:?}", req.search_input);
    };
    let group = milvus::proto::common::PlaceholderGroup::decode(bytes.as_slice()).unwrap();
    assert_eq!(group.placeholders.len(), 1);
    let values = &group.placeholders[0].values;
    assert_eq!(values.len(), 2);
    let floats: Vec<f32> = values[1]
        .chunks(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect();
    assert_eq!(floats, [3.0, 4.0]);
}

/// The placeholder group of a search request: (type, values).
fn placeholder_of(input: &Option<m::search_request::SearchInput>) -> (i32, Vec<Vec<u8>>) {
    let Some(m::search_request::SearchInput::PlaceholderGroup(bytes)) = input else {
        panic!("no placeholder group: {input:?}");
    };
    let mut group = milvus::proto::common::PlaceholderGroup::decode(bytes.as_slice()).unwrap();
    assert_eq!(group.placeholders.len(), 1);
    let p = group.placeholders.remove(0);
    assert_eq!(p.tag, "$0");
    (p.r#type, p.values)
}

/// Full-text search: texts go as pymilvus 3.0.2 sends them, a VarChar (21) placeholder of
/// UTF-8 bytes, in search and in a hybrid_search request beside a vector request.
#[test]
fn search_texts_send_a_varchar_placeholder() {
    const VARCHAR: i32 = 21;
    const FLOAT_VECTOR: i32 = 101;
    let stub = Stub::start();
    let c = connect(&stub);
    let r = call(
        &c,
        method!(search),
        json!({"collection_name": "c1", "data": ["vector database", "größe"], "limit": 3,
               "anns_field": "sparse"}),
    )
    .unwrap();
    assert_eq!(r, json!([[], []]));
    let req: m::SearchRequest = stub.last("Search").unwrap();
    assert_eq!(req.nq, 2);
    let anns = req.search_params.iter().find(|p| p.key == "anns_field");
    assert_eq!(anns.map(|p| p.value.as_str()), Some("sparse"));
    assert_eq!(
        placeholder_of(&req.search_input),
        (
            VARCHAR,
            vec![b"vector database".to_vec(), "größe".as_bytes().to_vec()]
        )
    );
    // No anns_field: none is sent (the server picks), as pymilvus does.
    call(
        &c,
        method!(search),
        json!({"collection_name": "c1", "data": ["fox"]}),
    )
    .unwrap();
    let req: m::SearchRequest = stub.last("Search").unwrap();
    assert!(req.search_params.iter().all(|p| p.key != "anns_field"));
    assert_eq!(placeholder_of(&req.search_input).0, VARCHAR);

    call(
        &c,
        method!(hybrid_search),
        json!({"collection_name": "c1", "limit": 2, "ranker": {"strategy": "rrf", "params": {"k": 60}},
               "reqs": [{"data": ["brown fox"], "anns_field": "sparse", "limit": 3},
                        {"data": [[1, 0]], "anns_field": "dense", "limit": 3}]}),
    )
    .unwrap();
    let req: m::HybridSearchRequest = stub.last("HybridSearch").unwrap();
    assert_eq!(req.requests.len(), 2);
    assert_eq!(
        placeholder_of(&req.requests[0].search_input),
        (VARCHAR, vec![b"brown fox".to_vec()])
    );
    assert_eq!(
        placeholder_of(&req.requests[1].search_input).0,
        FLOAT_VECTOR
    );
    assert_eq!((req.requests[0].nq, req.requests[1].nq), (1, 1));
}

/// Texts mixed with numbers or vectors are refused before anything is sent, naming the element.
#[test]
fn mixed_texts_and_vectors_are_invalid_argument() {
    let stub = Stub::start();
    let c = connect(&stub);
    let cases = [
        (
            method!(search),
            json!({"collection_name": "c1", "data": ["fox", 0.5]}),
            "data[1]: 0.5 is not a text",
        ),
        (
            method!(search),
            json!({"collection_name": "c1", "data": [[0.5, 1.0], "fox"]}),
            "data[1] is a text but data[0] is not",
        ),
        (
            method!(search),
            json!({"collection_name": "c1", "data": ["fox", ["x"]]}),
            "data[1]: [\"x\"] is not a text",
        ),
        (
            method!(hybrid_search),
            json!({"collection_name": "c1", "ranker": {"strategy": "rrf"},
                   "reqs": [{"data": [[1, 0]], "anns_field": "dense"},
                            {"data": ["fox", 2], "anns_field": "sparse"}]}),
            "reqs[1]: data[1]: 2 is not a text",
        ),
    ];
    for (f, args, want) in cases {
        let e = block(f(&c, &args.to_string())).expect_err(&args.to_string());
        assert_eq!(e.kind, ErrorKind::InvalidArgument, "{args}: {e}");
        assert!(e.message.contains(want), "{args}: {}", e.message);
    }
    let c = std::sync::Arc::new(c);
    for (args, want) in [
        (
            json!({"collection_name": "c1", "data": ["fox", "dog"]}),
            "exactly one query text, not 2",
        ),
        (
            json!({"collection_name": "c1", "data": [0.5, "dog"]}),
            "data[1] is a text but data[0] is not",
        ),
    ] {
        let Err(e) = block(api::iterator::search_iterator(c.clone(), &args.to_string())) else {
            panic!("{args}: accepted")
        };
        assert_eq!(e.kind, ErrorKind::InvalidArgument, "{args}: {e}");
        assert!(e.message.contains(want), "{args}: {}", e.message);
    }
    for rpc in ["Search", "HybridSearch", "DescribeCollection"] {
        assert_eq!(stub.seen(rpc), 0, "{rpc} was sent for a refused call");
    }
}

/// `milvus_client_search_texts`: texts with lengths (an embedded NUL and a NULL empty text
/// included) reach the server as the JSON method's search, with the options.
#[test]
fn ffi_search_texts_sends_the_texts() {
    use milvus::ffi::result::{milvus_result, milvus_result_free, milvus_result_num_queries};
    use milvus::ffi::text_search::milvus_client_search_texts;
    let stub = Stub::start();
    let h = Handle::new(&stub);
    let coll = CString::new("c1").unwrap();
    let field = CString::new("sparse").unwrap();
    let texts: [*const c_char; 3] = [
        b"a\0b".as_ptr().cast(),
        std::ptr::null(),
        "größe".as_ptr().cast(),
    ];
    let lengths = [3usize, 0, "größe".len()];
    let options = CString::new(r#"{"limit": 4, "filter": "text_match(text, 'a')"}"#).unwrap();
    let mut r: *mut milvus_result = std::ptr::null_mut();
    let mut err: *mut milvus_error = std::ptr::null_mut();
    // SAFETY: valid client, strings, 3 texts with their lengths, valid out-pointers.
    let s = unsafe {
        milvus_client_search_texts(
            h.0,
            coll.as_ptr(),
            field.as_ptr(),
            texts.as_ptr(),
            lengths.as_ptr(),
            3,
            options.as_ptr(),
            &mut r,
            &mut err,
        )
    };
    assert_eq!(s, MILVUS_OK);
    assert!(err.is_null() && !r.is_null());
    // SAFETY: r is a live result; freed once.
    unsafe {
        assert_eq!(milvus_result_num_queries(r), 3);
        milvus_result_free(r);
    }
    let req: m::SearchRequest = stub.last("Search").unwrap();
    assert_eq!(req.collection_name, "c1");
    assert_eq!(req.dsl, "text_match(text, 'a')");
    assert_eq!(req.nq, 3);
    let topk = req.search_params.iter().find(|p| p.key == "topk");
    assert_eq!(topk.map(|p| p.value.as_str()), Some("4"));
    assert_eq!(
        placeholder_of(&req.search_input),
        (
            21,
            vec![b"a\0b".to_vec(), Vec::new(), "größe".as_bytes().to_vec()]
        )
    );
    // Not UTF-8: refused, naming the text, nothing sent.
    let bad: [*const c_char; 1] = [c"\xff".as_ptr()];
    // SAFETY: as above; one NUL-terminated text.
    let o = outcome(|_, err| unsafe {
        milvus_client_search_texts(
            h.0,
            coll.as_ptr(),
            field.as_ptr(),
            bad.as_ptr(),
            std::ptr::null(),
            1,
            std::ptr::null(),
            &mut r,
            err,
        )
    });
    assert_eq!(o.status, MILVUS_ERR_INVALID_UTF8, "{o:?}");
    assert_eq!(message(&o), "texts[0] is not valid UTF-8 (byte 0)");
    assert_eq!(stub.seen("Search"), 1);
}

// ---- error mapping ------------------------------------------------------------------------

#[test]
fn server_status_codes_map_to_kinds() {
    let stub = Stub::start();
    let c = connect_with(&stub, RetryPolicy::NONE, Some(Duration::from_secs(10)));
    let cases = [
        (
            (100, 0, "collection not found[c]"),
            ErrorKind::CollectionNotFound,
            100,
        ),
        (
            (0, 4, "can't find collection"),
            ErrorKind::CollectionNotFound,
            4,
        ),
        ((8, 0, "rate limit exceeded"), ErrorKind::RateLimited, 8),
        ((0, 49, "rate limit exceeded"), ErrorKind::RateLimited, 49),
        (
            (800, 0, "database not found[db]"),
            ErrorKind::DatabaseNotFound,
            800,
        ),
        ((700, 0, "index not found"), ErrorKind::IndexNotFound, 700),
        (
            (101, 0, "collection not loaded"),
            ErrorKind::CollectionNotLoaded,
            101,
        ),
        (
            (200, 0, "partition not found"),
            ErrorKind::PartitionNotFound,
            200,
        ),
        (
            (1400, 0, "bad credentials"),
            ErrorKind::Unauthenticated,
            1400,
        ),
        ((1401, 0, "no privilege"), ErrorKind::PermissionDenied, 1401),
        (
            (65535, 0, "context deadline exceeded"),
            ErrorKind::Timeout,
            65535,
        ),
        ((1100, 0, "invalid parameter"), ErrorKind::Server, 1100),
    ];
    for ((code, error_code, reason), kind, server_code) in cases {
        stub.script(
            "ShowCollections",
            show_collections_failing(server_error(code, error_code, reason)),
        );
        let e = call(&c, method!(list_collections), json!({})).unwrap_err();
        assert_eq!(e.kind, kind, "{code}/{error_code}: {e}");
        assert_eq!(e.server_code, server_code, "{reason}");
        assert_eq!(e.grpc_code, 0, "{reason}");
        assert_eq!(e.retriable, kind == ErrorKind::RateLimited, "{reason}");
        assert!(e.message.contains(reason), "{e}");
        assert!(
            e.message.starts_with("show_collections: "),
            "names the RPC: {e}"
        );
    }
    assert_eq!(stub.seen("ShowCollections"), cases.len());
}

#[test]
fn grpc_failures_map_to_kinds() {
    let stub = Stub::start();
    let c = connect_with(&stub, RetryPolicy::NONE, Some(Duration::from_secs(10)));
    let cases = [
        (14, "down", ErrorKind::Unavailable, true),
        (12, "no such method", ErrorKind::Unimplemented, false),
        (7, "denied", ErrorKind::PermissionDenied, false),
        (16, "who are you", ErrorKind::Unauthenticated, false),
        (3, "bad", ErrorKind::InvalidArgument, false),
        (8, "exhausted", ErrorKind::Transport, true),
        (
            13,
            "grpc: error while marshaling: proto: Marshal called with nil",
            ErrorKind::Unimplemented,
            false,
        ),
    ];
    for (code, message, kind, retriable) in cases {
        stub.script("ShowCollections", Reply::Grpc(code, message.into()));
        let e = call(&c, method!(list_collections), json!({})).unwrap_err();
        assert_eq!(e.kind, kind, "gRPC {code}: {e}");
        assert_eq!(e.grpc_code, code as i32, "{e}");
        assert_eq!(e.server_code, 0, "{e}");
        assert_eq!(e.retriable, retriable, "{e}");
    }
    assert_eq!(stub.seen("ShowCollections"), cases.len());
}

// ---- retries ------------------------------------------------------------------------------

#[test]
fn rate_limited_read_is_retried_until_it_succeeds() {
    let stub = Stub::start();
    let c = connect(&stub);
    stub.script("ShowCollections", rate_limited("ShowCollections"));
    stub.script("ShowCollections", rate_limited("ShowCollections"));
    stub.script(
        "ShowCollections",
        Reply::Message(
            m::ShowCollectionsResponse {
                collection_names: vec!["a".into(), "b".into()],
                ..Default::default()
            }
            .encode_to_vec(),
        ),
    );
    let r = call(&c, method!(list_collections), json!({})).unwrap();
    assert_eq!(r, json!(["a", "b"]));
    assert_eq!(stub.seen("ShowCollections"), 3);
}

#[test]
fn rate_limited_write_is_retried_because_the_server_refused_it() {
    let stub = Stub::start();
    let c = connect(&stub);
    stub.script("Insert", rate_limited("Insert"));
    let r = call(
        &c,
        method!(insert),
        json!({"collection_name": "c1", "data": [row1(7, [1.0, 2.0])]}),
    )
    .unwrap();
    assert_eq!(r["insert_count"], 1);
    assert_eq!(stub.seen("Insert"), 2);
}

#[test]
fn retries_stop_at_max_retries() {
    let stub = Stub::start();
    let c = connect(&stub); // max_retries 5
    for _ in 0..10 {
        stub.script("ShowCollections", rate_limited("ShowCollections"));
    }
    let e = call(&c, method!(list_collections), json!({})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::RateLimited);
    assert!(e.message.contains("(after 5 retries)"), "{e}");
    assert_eq!(stub.seen("ShowCollections"), 6);
    // Per-call policy overrides the client's.
    let opts = CallOpts {
        retry: Some(RetryPolicy {
            max_retries: 1,
            ..FAST_RETRY
        }),
        ..Default::default()
    };
    let e = block(c.list_collections(&opts)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::RateLimited);
    assert!(e.message.contains("(after 1 retry)"), "{e}");
    assert_eq!(stub.seen("ShowCollections"), 8);
}

#[test]
fn unavailable_repeats_a_read_but_not_a_write() {
    let stub = Stub::start();
    let c = connect(&stub);
    stub.script("ShowCollections", Reply::Grpc(14, "blip".into()));
    assert_eq!(
        call(&c, method!(list_collections), json!({})).unwrap(),
        json!([])
    );
    assert_eq!(stub.seen("ShowCollections"), 2);

    stub.script("Insert", Reply::Grpc(14, "blip".into()));
    let e = call(
        &c,
        method!(insert),
        json!({"collection_name": "c1", "data": [row1(1, [1.0, 2.0])]}),
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unavailable);
    assert!(e.message.contains("not repeated"), "{e}");
    assert_eq!(stub.seen("Insert"), 1);
}

// ---- deadlines and cancellation -----------------------------------------------------------

/// `f` ends with `kind` after at least `min` and well before the stall would end (never).
fn ends_with(kind: ErrorKind, min: Duration, f: impl FnOnce() -> milvus::Result<Value>) {
    let t0 = Instant::now();
    let e = f().unwrap_err();
    let took = t0.elapsed();
    assert_eq!(e.kind, kind, "{e}");
    assert!(took >= min, "ended after {took:?}, before {min:?}");
    assert!(took < min + Duration::from_secs(3), "ended after {took:?}");
}

#[test]
fn stalled_reply_ends_by_the_call_timeout() {
    let stub = Stub::start();
    let c = connect(&stub); // default deadline 10 s
    stub.script("ShowCollections", Reply::Stall);
    ends_with(ErrorKind::Timeout, Duration::from_millis(300), || {
        call(&c, method!(list_collections), json!({"timeout": 0.3}))
    });
    assert_eq!(stub.seen("ShowCollections"), 1, "a timeout is not retried");
}

#[test]
fn stalled_reply_ends_by_the_client_default_deadline() {
    let stub = Stub::start();
    let c = connect_with(&stub, FAST_RETRY, Some(Duration::from_millis(300)));
    stub.script("DescribeCollection", Reply::Stall);
    ends_with(ErrorKind::Timeout, Duration::from_millis(300), || {
        call(
            &c,
            method!(describe_collection),
            json!({"collection_name": "c0"}),
        )
    });
}

#[test]
fn cancel_by_call_id_ends_a_stalled_call() {
    let stub = Stub::start();
    let c = connect(&stub);
    stub.script("ShowCollections", Reply::Stall);
    assert_eq!(c.cancel("q"), 0, "nothing in flight yet");
    let t0 = Instant::now();
    std::thread::scope(|s| {
        let call = s.spawn(|| {
            block(with_cancel(&c, Some("q"), async {
                c.list_collections(&CallOpts::default()).await
            }))
        });
        while stub.seen("ShowCollections") == 0 || c.calls_in_flight() == 0 {
            assert!(
                t0.elapsed() < Duration::from_secs(5),
                "the call never started"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(50));
        assert!(!call.is_finished(), "the stalled call ended by itself");
        assert_eq!(c.cancel("other"), 0);
        assert_eq!(c.cancel("q"), 1);
        let e = call.join().unwrap().unwrap_err();
        assert_eq!(e.kind, ErrorKind::Cancelled, "{e}");
    });
    assert!(t0.elapsed() < Duration::from_secs(5));
    assert_eq!(c.calls_in_flight(), 0, "the registration was not released");
    assert_eq!(c.cancel("q"), 0);
    // The connection still serves calls.
    assert_eq!(
        call(&c, method!(list_collections), json!({})).unwrap(),
        json!([])
    );
}

// ---- the C ABI ----------------------------------------------------------------------------

/// A client made through `milvus_client_new`.
struct Handle(*mut milvus_client);
// SAFETY: a milvus_client may be used from any thread (header "Threads").
unsafe impl Send for Handle {}
unsafe impl Sync for Handle {}

impl Handle {
    fn new(stub: &Stub) -> Handle {
        let uri = CString::new(stub.uri()).unwrap();
        let mut c = std::ptr::null_mut();
        let null = std::ptr::null();
        // SAFETY: valid strings or NULL, valid out-pointer; no error wanted.
        let s = unsafe {
            milvus_client_new(
                uri.as_ptr(),
                null,
                null,
                null,
                10.0,
                &mut c,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(s, MILVUS_OK);
        Handle(c)
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: made by milvus_client_new; no call is running.
        unsafe { milvus_client_free(self.0) };
    }
}

/// What one exported call returned, its buffer and error read and freed.
#[derive(Debug)]
struct Outcome {
    status: milvus_status,
    result: Option<String>,
    /// status, message, server code, gRPC code, retriable.
    error: Option<(milvus_status, String, i32, i32, bool)>,
}

const UNTOUCHED: *mut u8 = 0x10 as *mut u8;

/// Runs `f(result_out, error_out)` and checks the header's contract: success fills the buffer
/// and clears the error; failure leaves the buffer untouched and sets an error of that status.
fn outcome(f: impl FnOnce(*mut milvus_buffer, *mut *mut milvus_error) -> milvus_status) -> Outcome {
    let mut out = milvus_buffer {
        data: UNTOUCHED,
        len: 3,
    };
    let mut err: *mut milvus_error = 0x20 as *mut milvus_error;
    let status = f(&mut out, &mut err);
    if status == MILVUS_OK {
        assert!(err.is_null(), "success left an error");
        // SAFETY: on success the buffer holds len bytes plus a NUL.
        let bytes = unsafe { std::slice::from_raw_parts(out.data, out.len + 1) };
        assert_eq!(bytes[out.len], 0, "the buffer is not NUL-terminated");
        let text = String::from_utf8(bytes[..out.len].to_vec()).unwrap();
        // SAFETY: a buffer the library filled.
        unsafe { milvus_buffer_free(&mut out) };
        return Outcome {
            status,
            result: Some(text),
            error: None,
        };
    }
    assert_eq!(
        (out.data, out.len),
        (UNTOUCHED, 3),
        "failure touched the buffer"
    );
    assert!(!err.is_null() && err != 0x20 as *mut milvus_error);
    // SAFETY: err is a live error from the library; the message is NUL-terminated.
    let error = unsafe {
        let e = (
            milvus_error_status(err),
            CStr::from_ptr(milvus_error_message(err))
                .to_str()
                .unwrap()
                .to_string(),
            milvus_error_server_code(err),
            milvus_error_grpc_code(err),
            milvus_error_retriable(err),
        );
        milvus_error_free(err);
        e
    };
    assert_eq!(
        error.0, status,
        "the error's status differs from the returned one"
    );
    Outcome {
        status,
        result: None,
        error: Some(error),
    }
}

fn ffi_call(c: *const milvus_client, method: &[u8], args: Option<&[u8]>) -> Outcome {
    let method = CString::new(method).unwrap();
    let args = args.map(|a| CString::new(a).unwrap());
    let args_ptr = args.as_ref().map_or(std::ptr::null(), |a| a.as_ptr());
    // SAFETY: NUL-terminated strings (or NULL) and the out-pointers `outcome` gives.
    outcome(|out, err| unsafe { milvus_client_call(c, method.as_ptr(), args_ptr, out, err) })
}

fn message(o: &Outcome) -> &str {
    &o.error.as_ref().expect("an error").1
}

#[test]
fn ffi_null_pointers_are_null_argument() {
    let stub = Stub::start();
    let h = Handle::new(&stub);
    let null: *const c_char = std::ptr::null();

    let o = ffi_call(std::ptr::null(), b"list_collections", Some(b"{}"));
    assert_eq!(o.status, MILVUS_ERR_NULL_ARGUMENT);
    assert_eq!(message(&o), "client is NULL");

    // SAFETY: NULL where the function documents a check; otherwise valid pointers.
    let o = outcome(|_, err| unsafe {
        milvus::ffi::methods::milvus_client_list_collections(h.0, null, std::ptr::null_mut(), err)
    });
    assert_eq!(o.status, MILVUS_ERR_NULL_ARGUMENT);
    assert_eq!(message(&o), "result_out is NULL");

    // SAFETY: as above.
    let o = outcome(|out, err| unsafe { milvus_client_call(h.0, null, null, out, err) });
    assert_eq!(o.status, MILVUS_ERR_NULL_ARGUMENT);
    assert_eq!(message(&o), "method is NULL");

    let mut c = std::ptr::null_mut();
    // SAFETY: as above.
    let o =
        outcome(|_, err| unsafe { milvus_client_new(null, null, null, null, 1.0, &mut c, err) });
    assert_eq!(o.status, MILVUS_ERR_NULL_ARGUMENT);
    assert_eq!(message(&o), "uri is NULL");
    assert!(c.is_null(), "client_out was written on failure");

    // No error_out: the status alone still tells.
    // SAFETY: as above.
    let s = unsafe {
        milvus_client_call(
            std::ptr::null(),
            null,
            null,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    };
    assert_eq!(s, MILVUS_ERR_NULL_ARGUMENT);

    // NULL args_json means no arguments.
    let o = ffi_call(h.0, b"list_collections", None);
    assert_eq!(o.status, MILVUS_OK, "{o:?}");
    assert_eq!(o.result.as_deref(), Some("[]"));
    assert_eq!(stub.seen("ShowCollections"), 1);
}

#[test]
fn ffi_bad_text_is_invalid_utf8_or_json() {
    let stub = Stub::start();
    let h = Handle::new(&stub);
    let cases: [(&[u8], &[u8], milvus_status); 6] = [
        (
            b"has_collection",
            b"{\"collection_name\":\"c\xff\"}",
            MILVUS_ERR_INVALID_UTF8,
        ),
        (b"list_\xc3", b"{}", MILVUS_ERR_INVALID_UTF8),
        (b"list_collections", b"{", MILVUS_ERR_INVALID_JSON),
        (
            b"insert",
            b"{\"collection_name\":\"c1\",\"data\":[}",
            MILVUS_ERR_INVALID_JSON,
        ),
        (
            b"list_collections",
            b"{\"bogus\":1}",
            MILVUS_ERR_INVALID_ARGUMENT,
        ),
        (b"no_such_method", b"{}", MILVUS_ERR_UNKNOWN_METHOD),
    ];
    for (method, args, status) in cases {
        let o = ffi_call(h.0, method, Some(args));
        assert_eq!(o.status, status, "{}: {o:?}", String::from_utf8_lossy(args));
    }
    // Only the handshake reached the stub.
    assert_eq!(stub.seen("Connect"), 1);
    for rpc in ["DescribeCollection", "ShowCollections", "Insert"] {
        assert_eq!(stub.seen(rpc), 0, "{rpc}");
    }

    let mut c = std::ptr::null_mut();
    let bad_uri = CString::new("ftp://nowhere").unwrap();
    let null = std::ptr::null();
    // SAFETY: valid strings or NULL, valid out-pointers.
    let o = outcome(|_, err| unsafe {
        milvus_client_new(bad_uri.as_ptr(), null, null, null, 1.0, &mut c, err)
    });
    assert_eq!(o.status, MILVUS_ERR_INVALID_URI, "{o:?}");
    let uri = CString::new(stub.uri()).unwrap();
    // SAFETY: as above.
    let o = outcome(|_, err| unsafe {
        milvus_client_new(uri.as_ptr(), null, null, null, -1.0, &mut c, err)
    });
    assert_eq!(o.status, MILVUS_ERR_INVALID_ARGUMENT, "{o:?}");
    assert!(c.is_null());
}

#[test]
fn ffi_server_error_keeps_status_code_and_message() {
    let stub = Stub::start();
    let h = Handle::new(&stub);
    stub.script(
        "DescribeCollection",
        Reply::Message(
            m::DescribeCollectionResponse {
                status: Some(server_error(
                    100,
                    0,
                    "collection not found[collection=gone]",
                )),
                ..Default::default()
            }
            .encode_to_vec(),
        ),
    );
    let args = CString::new(r#"{"collection_name":"gone"}"#).unwrap();
    // SAFETY: a live client, a NUL-terminated string, the out-pointers `outcome` gives.
    let o = outcome(|out, err| unsafe {
        milvus::ffi::methods::milvus_client_describe_collection(h.0, args.as_ptr(), out, err)
    });
    assert_eq!(o.status, MILVUS_ERR_COLLECTION_NOT_FOUND);
    let (_, msg, server, grpc, retriable) = o.error.unwrap();
    assert_eq!((server, grpc, retriable), (100, 0, false));
    assert!(
        msg.contains("collection not found[collection=gone]"),
        "{msg}"
    );

    stub.script("ShowCollections", Reply::Grpc(7, "denied".into()));
    let o = ffi_call(h.0, b"list_collections", Some(b"{}"));
    assert_eq!(o.status, MILVUS_ERR_PERMISSION_DENIED);
    assert_eq!(o.error.as_ref().map(|e| (e.2, e.3)), Some((0, 7)));
}

#[test]
fn ffi_timeout_and_cancel_end_stalled_calls() {
    let stub = Stub::start();
    let h = Handle::new(&stub);
    stub.script("ShowCollections", Reply::Stall);
    let t0 = Instant::now();
    let o = ffi_call(h.0, b"list_collections", Some(br#"{"timeout":0.2}"#));
    assert_eq!(o.status, MILVUS_ERR_TIMEOUT, "{o:?}");
    assert!(t0.elapsed() >= Duration::from_millis(200));
    assert!(t0.elapsed() < Duration::from_secs(3), "{:?}", t0.elapsed());

    stub.script("ShowCollections", Reply::Stall);
    let h = &h;
    std::thread::scope(|s| {
        let call =
            s.spawn(move || ffi_call(h.0, b"list_collections", Some(br#"{"call_id":"job-1"}"#)));
        // The call registers its id before it sends.
        while stub.seen("ShowCollections") < 2 {
            assert!(
                t0.elapsed() < Duration::from_secs(5),
                "the call never started"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(50));
        assert!(!call.is_finished(), "the stalled call ended by itself");
        let id = CString::new("job-1").unwrap();
        // SAFETY: a live client and a NUL-terminated id; no error wanted.
        let s = unsafe {
            milvus::ffi::cancel::milvus_client_cancel(h.0, id.as_ptr(), std::ptr::null_mut())
        };
        assert_eq!(s, MILVUS_OK);
        let o = call.join().unwrap();
        assert_eq!(o.status, MILVUS_ERR_CANCELLED, "{o:?}");
    });
    assert!(t0.elapsed() < Duration::from_secs(5));
}
