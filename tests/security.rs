//! TLS, authentication and authorization through `milvus_client_connect` (the C ABI).
//!
//! The `oneway_*` and `mutual_*` tests need the secure Milvus instance (`scripts/servers.sh start
//! secure`, TLS mode 1 for `oneway_*`, `MILVUS_SECURE_TLS_MODE=2` for `mutual_*`); they are
//! `#[ignore]`d and run by `make secure-tests`, which starts and stops that instance. The
//! other tests need at most the shared plain Milvus 2.3.5 standalone (the credentials test any
//! test server) and run with every `cargo test`.

mod common;

use milvus::ffi::buffer::{milvus_buffer, milvus_buffer_free};
use milvus::ffi::client::{
    milvus_client, milvus_client_call, milvus_client_connect, milvus_client_free, milvus_client_new,
};
use milvus::ffi::error::{
    milvus_error, milvus_error_free, milvus_error_grpc_code, milvus_error_message,
    milvus_error_status,
};
use serde_json::{json, Value};
use std::ffi::{CStr, CString};
use std::time::{Duration, Instant};

use milvus::ffi::status::{
    milvus_status, MILVUS_ERR_CONNECT as CONNECT, MILVUS_ERR_INVALID_ARGUMENT as INVALID_ARGUMENT,
    MILVUS_ERR_INVALID_JSON as INVALID_JSON, MILVUS_ERR_INVALID_URI as INVALID_URI,
    MILVUS_ERR_NULL_ARGUMENT as NULL_ARGUMENT, MILVUS_ERR_PERMISSION_DENIED as PERMISSION_DENIED,
    MILVUS_ERR_TLS as TLS, MILVUS_ERR_UNAUTHENTICATED as UNAUTHENTICATED, MILVUS_OK as OK,
};

/// Every credential these tests use: none may show up in an error message or Debug output.
const SECRETS: &[&str] = &[
    "Milvus",
    "wrong-pass-4417",
    "sec-user-pass-5521",
    "tok-nobody-9131",
];

fn assert_no_secret(text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "a credential leaked: {text}");
    }
}

/// A failed call: status and message (the message already checked for credentials).
#[derive(Debug)]
struct Failure {
    status: milvus_status,
    grpc: i32,
    message: String,
}

unsafe fn take_error(status: milvus_status, err: *mut milvus_error) -> Failure {
    assert_ne!(status, OK);
    assert!(!err.is_null());
    assert_eq!(milvus_error_status(err), status);
    let message = unsafe { CStr::from_ptr(milvus_error_message(err)) }
        .to_string_lossy()
        .into_owned();
    let grpc = milvus_error_grpc_code(err);
    unsafe { milvus_error_free(err) };
    assert_no_secret(&message);
    Failure {
        status,
        grpc,
        message,
    }
}

#[derive(Debug)]
struct Conn(*mut milvus_client);

impl Drop for Conn {
    fn drop(&mut self) {
        unsafe { milvus_client_free(self.0) };
    }
}

fn connect(options: &Value) -> Result<Conn, Failure> {
    let json = CString::new(options.to_string()).unwrap();
    connect_raw(&json)
}

fn connect_raw(json: &CStr) -> Result<Conn, Failure> {
    let mut client = std::ptr::null_mut();
    let mut err = std::ptr::null_mut();
    let status = unsafe { milvus_client_connect(json.as_ptr(), &mut client, &mut err) };
    if status == OK {
        assert!(!client.is_null() && err.is_null());
        Ok(Conn(client))
    } else {
        assert!(client.is_null(), "client_out is written only on success");
        Err(unsafe { take_error(status, err) })
    }
}

/// Connects, or panics with the failure (for the cases that must work).
fn must_connect(options: &Value) -> Conn {
    connect(options).unwrap_or_else(|f| panic!("connect {options}: {f:?}"))
}

fn call(c: &Conn, method: &str, args: Value) -> Result<Value, Failure> {
    let name = CString::new(method).unwrap();
    let args = CString::new(args.to_string()).unwrap();
    let mut out = milvus_buffer {
        data: std::ptr::null_mut(),
        len: 0,
    };
    let mut err = std::ptr::null_mut();
    let status =
        unsafe { milvus_client_call(c.0, name.as_ptr(), args.as_ptr(), &mut out, &mut err) };
    if status != OK {
        return Err(unsafe { take_error(status, err) });
    }
    let bytes = unsafe { std::slice::from_raw_parts(out.data, out.len) }.to_vec();
    unsafe { milvus_buffer_free(&mut out) };
    Ok(serde_json::from_slice(&bytes).expect("result is JSON"))
}

fn must(c: &Conn, method: &str, args: Value) -> Value {
    call(c, method, args.clone()).unwrap_or_else(|f| panic!("{method} {args}: {f:?}"))
}

fn secure_uri() -> String {
    std::env::var("MILVUS_SECURE_URI").unwrap_or_else(|_| "https://127.0.0.1:19550".into())
}

fn port() -> String {
    secure_uri().rsplit(':').next().unwrap().to_string()
}

fn cert(name: &str) -> String {
    let dir = std::env::var("MILVUS_CERTS_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/.servers/certs").into());
    format!("{dir}/{name}")
}

/// The secure tests of one TLS mode fail loudly when run against the other.
fn require_mode(mode: &str) {
    let have = std::env::var("MILVUS_SECURE_TLS_MODE").unwrap_or_else(|_| "1".into());
    assert_eq!(
        have, mode,
        "this test needs the secure instance in TLS mode {mode} (MILVUS_SECURE_TLS_MODE)"
    );
}

/// Options for the one-way TLS instance, as root.
fn tls_root() -> Value {
    json!({"uri": secure_uri(), "token": "root:Milvus", "server_pem_path": cert("ca.pem"),
           "timeout": 30})
}

/// Options for the mutual-TLS instance, as root.
fn mutual_root() -> Value {
    json!({"uri": secure_uri(), "token": "root:Milvus", "ca_pem_path": cert("ca.pem"),
           "client_pem_path": cert("client.pem"), "client_key_path": cert("client.key"),
           "timeout": 30})
}

fn with(base: &Value, extra: Value) -> Value {
    let mut v = base.clone();
    for (k, x) in extra.as_object().unwrap() {
        if x.is_null() {
            v.as_object_mut().unwrap().remove(k);
        } else {
            v[k] = x.clone();
        }
    }
    v
}

fn expect_failure(options: &Value, status: milvus_status, words: &str) -> Failure {
    let f = match connect(options) {
        Ok(_) => panic!("connect {options} succeeded, expected status {status:?}"),
        Err(f) => f,
    };
    assert_eq!(f.status, status, "{options}: {f:?}");
    assert!(f.message.contains(words), "{options}: {f:?}");
    f
}

// ------------------------------------------------------------------------------------------
// No secure server needed.

#[test]
fn options_are_checked_before_connecting() {
    for (opts, status, words) in [
        (
            r#"{"uri": "http://127.0.0.1:1", "colour": "red"}"#,
            INVALID_ARGUMENT,
            "colour",
        ),
        (r#"{"user": "root"}"#, INVALID_ARGUMENT, "uri"),
        (r#"{"uri": "http://127.0.0.1:1""#, INVALID_JSON, ""),
        (r#"["http://127.0.0.1:1"]"#, INVALID_ARGUMENT, "object"),
        (r#"{"uri": "ftp://127.0.0.1:1"}"#, INVALID_URI, "scheme"),
        (
            r#"{"uri": "http://127.0.0.1:1", "timeout": -2}"#,
            INVALID_ARGUMENT,
            "timeout",
        ),
        (
            r#"{"uri": "https://127.0.0.1:1", "secure": false}"#,
            INVALID_ARGUMENT,
            "secure",
        ),
        (
            r#"{"uri": "http://127.0.0.1:1", "server_pem_path": "/ca.pem"}"#,
            INVALID_ARGUMENT,
            "secure: true",
        ),
        (
            r#"{"uri": "https://127.0.0.1:1", "client_pem_path": "/c.pem"}"#,
            INVALID_ARGUMENT,
            "client_key_path",
        ),
        (
            r#"{"uri": "https://127.0.0.1:1", "server_pem_path": "/nonexistent/ca.pem"}"#,
            TLS,
            "/nonexistent/ca.pem",
        ),
        (
            r#"{"uri": "http://127.0.0.1:1", "password": 918273645}"#,
            INVALID_ARGUMENT,
            "must be strings",
        ),
    ] {
        let f = connect_raw(&CString::new(opts).unwrap()).unwrap_err();
        assert_eq!(f.status, status, "{opts}: {f:?}");
        assert!(f.message.contains(words), "{opts}: {f:?}");
        assert!(!f.message.contains("918273645"), "{f:?}");
    }
    let mut client = std::ptr::null_mut();
    let mut err = std::ptr::null_mut();
    let s = unsafe { milvus_client_connect(std::ptr::null(), &mut client, &mut err) };
    assert_eq!(unsafe { take_error(s, err) }.status, NULL_ARGUMENT);
    let json = CString::new(r#"{"uri": "http://127.0.0.1:1"}"#).unwrap();
    let s = unsafe { milvus_client_connect(json.as_ptr(), std::ptr::null_mut(), &mut err) };
    assert_eq!(unsafe { take_error(s, err) }.status, NULL_ARGUMENT);
}

/// The options object against the shared plain server, and TLS against that plain server.
#[test]
fn connect_options_on_the_plain_server() {
    let Some(uri) = common::server("standalone") else {
        return;
    };
    let c = must_connect(&json!({"uri": uri, "db_name": "default", "timeout": 20,
                                 "keepalive_time": 0, "user": null}));
    assert!(must(&c, "list_collections", json!({})).is_array());
    // The database option is really sent: an unknown one makes calls fail.
    let c = must_connect(&json!({"uri": uri, "db_name": "no_such_db_sec", "timeout": 20}));
    assert_eq!(
        call(&c, "list_collections", json!({})).unwrap_err().status,
        milvus_status::MILVUS_ERR_DATABASE_NOT_FOUND
    );
    // TLS towards a server that does not speak it.
    let f = expect_failure(
        &json!({"uri": uri, "secure": true, "timeout": 10}),
        TLS,
        "did not answer in TLS",
    );
    assert!(f.message.contains("127.0.0.1"), "{f:?}");
    // milvus_client_new is the same path with five options.
    let u = CString::new(uri).unwrap();
    let mut client = std::ptr::null_mut();
    let mut err = std::ptr::null_mut();
    let s = unsafe {
        milvus_client_new(
            u.as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            std::ptr::null(),
            20.0,
            &mut client,
            &mut err,
        )
    };
    assert_eq!(s, OK);
    let c = Conn(client);
    assert!(must(&c, "list_collections", json!({})).is_array());
    let s = unsafe {
        milvus_client_new(
            u.as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            std::ptr::null(),
            -1.0,
            &mut client,
            &mut err,
        )
    };
    assert_eq!(unsafe { take_error(s, err) }.status, INVALID_ARGUMENT);
}

#[test]
fn debug_output_has_no_credentials() {
    let opts = milvus::client::options::parse(
        &json!({"uri": "https://root:Milvus@127.0.0.1:1", "user": "root",
                "password": "wrong-pass-4417", "token": "tok-nobody-9131"})
        .to_string(),
    )
    .unwrap();
    assert_no_secret(&format!("{opts:?}"));
    let cfg = opts.into_config().unwrap();
    let text = format!("{cfg:?}");
    assert_no_secret(&text);
    assert!(text.contains("127.0.0.1:1"), "{text}");
    // A client connected with credentials (the plain server ignores them).
    let (_, uri) = common::servers().remove(0);
    let c = common::block(milvus::Client::connect(milvus::ClientConfig {
        uri,
        user: Some("root".into()),
        password: Some("sec-user-pass-5521".into()),
        timeout: Some(Duration::from_secs(20)),
        ..Default::default()
    }))
    .unwrap();
    assert_no_secret(&format!("{c:?}"));
}

// ------------------------------------------------------------------------------------------
// One-way TLS + authorization (`scripts/servers.sh start secure`, TLS mode 1).

#[test]
#[ignore = "needs the secure server: make secure-tests"]
fn oneway_the_right_ca_is_trusted() {
    require_mode("1");
    let c = must_connect(&tls_root());
    assert!(must(&c, "list_collections", json!({})).is_array());
    // pymilvus's mutual-TLS name for the CA file means the same here.
    let ca_only = with(
        &tls_root(),
        json!({"server_pem_path": null, "ca_pem_path": cert("ca.pem")}),
    );
    must(&must_connect(&ca_only), "list_collections", json!({}));
    // secure: true turns TLS on for an http:// or host:port URI.
    for uri in [
        format!("http://127.0.0.1:{}", port()),
        format!("127.0.0.1:{}", port()),
    ] {
        let o = with(&tls_root(), json!({"uri": uri, "secure": true}));
        must(&must_connect(&o), "list_collections", json!({}));
    }
    // The certificate's DNS name, and server_name naming it while the URI says 127.0.0.1.
    let o = with(
        &tls_root(),
        json!({"uri": format!("https://localhost:{}", port())}),
    );
    must(&must_connect(&o), "list_collections", json!({}));
    let o = with(&tls_root(), json!({"server_name": "localhost"}));
    must(&must_connect(&o), "list_collections", json!({}));
}

#[test]
#[ignore = "needs the secure server: make secure-tests"]
fn oneway_failures_are_tls_errors() {
    require_mode("1");
    expect_failure(
        &with(
            &tls_root(),
            json!({"server_pem_path": cert("other-ca.pem")}),
        ),
        TLS,
        "not signed by a CA trusted here",
    );
    // Without a CA file the system roots are used, which do not know the test CA.
    expect_failure(
        &with(&tls_root(), json!({"server_pem_path": null})),
        TLS,
        "system's root CAs",
    );
    let f = expect_failure(
        &with(&tls_root(), json!({"server_name": "wrong.example.com"})),
        TLS,
        "not valid for the name \"wrong.example.com\"",
    );
    assert!(f.message.contains(&port()), "{f:?}");
    expect_failure(
        &with(&tls_root(), json!({"server_pem_path": cert("missing.pem")})),
        TLS,
        "missing.pem",
    );
    // A plain-text client on the TLS port fails to connect and says it may need TLS.
    let f = connect(&with(
        &tls_root(),
        json!({"uri": format!("http://127.0.0.1:{}", port()), "server_pem_path": null}),
    ))
    .expect_err("plain text to a TLS port must fail");
    assert_eq!(f.status, CONNECT, "{f:?}");
    assert!(f.message.contains("secure: true"), "{f:?}");
}

#[test]
#[ignore = "needs the secure server: make secure-tests"]
fn oneway_credentials_accepted() {
    require_mode("1");
    let by_password = with(
        &tls_root(),
        json!({"token": null, "user": "root", "password": "Milvus"}),
    );
    must(&must_connect(&by_password), "list_collections", json!({}));
    let in_uri = with(
        &tls_root(),
        json!({"token": null, "uri": format!("https://root:Milvus@127.0.0.1:{}", port())}),
    );
    must(&must_connect(&in_uri), "list_collections", json!({}));
}

/// Milvus 2.3.5 answers refused credentials with gRPC UNAUTHENTICATED (16) already on the
/// Connect handshake, so connecting fails.
#[test]
#[ignore = "needs the secure server: make secure-tests"]
fn oneway_wrong_credentials_are_unauthenticated() {
    require_mode("1");
    for extra in [
        json!({"token": null, "user": "root", "password": "wrong-pass-4417"}),
        json!({"token": "root:wrong-pass-4417"}),
        json!({"token": null, "user": "nobody_sec", "password": "sec-user-pass-5521"}),
        json!({"token": "tok-nobody-9131"}),
        json!({"token": null}),
    ] {
        let f = expect_failure(&with(&tls_root(), extra.clone()), UNAUTHENTICATED, "");
        assert_eq!(f.grpc, 16, "{extra}: {f:?}");
    }
}

/// Every log record of every level, captured while connecting with each credential form
/// (user + password, token, the URI's user-info), accepted and refused, and making calls over
/// TLS with them: none holds a password, a token or the base64 the `authorization` header
/// carries. (The same without a server checking credentials: tests/logging.rs.)
#[test]
#[ignore = "needs the secure server: make secure-tests"]
fn oneway_no_credential_in_any_log_record() {
    use common::log_capture::{assert_no_secret, Capture};
    require_mode("1");
    let log = Capture::start("trace");
    let root = must_connect(&tls_root());
    let user = common::unique("log_user");
    let pass = "log-pass-6637";
    must(
        &root,
        "create_user",
        json!({"user_name": user, "password": pass}),
    );
    let token = format!("{user}:{pass}");
    let in_uri = format!("https://{user}:{pass}@127.0.0.1:{}", port());
    for extra in [
        json!({"token": null, "user": user, "password": pass}),
        json!({"token": token}),
        json!({"token": null, "uri": in_uri}),
    ] {
        let c = must_connect(&with(&tls_root(), extra));
        must(&c, "list_collections", json!({"call_id": "log-secrets"}));
        let f = call(
            &c,
            "describe_collection",
            json!({"collection_name": "log_none"}),
        );
        assert!(f.is_err());
    }
    let wrong_uri = format!("https://{user}:wrong-log-pass-2291@127.0.0.1:{}", port());
    for extra in [
        json!({"token": null, "user": user, "password": "wrong-log-pass-2291"}),
        json!({"token": "tok-log-nobody-7719"}),
        json!({"token": null, "uri": wrong_uri}),
    ] {
        expect_failure(&with(&tls_root(), extra), UNAUTHENTICATED, "");
    }
    must(&root, "drop_user", json!({"user_name": user}));
    drop(root);
    let lines = log.lines();
    drop(log);
    // The capture saw the handshakes, the refusals and the requests that carried the header.
    assert!(lines
        .iter()
        .any(|l| l.contains("connected to ") && l.contains("(TLS)")));
    assert!(
        lines.iter().any(|l| l.contains("Unauthenticated")),
        "{lines:#?}"
    );
    assert!(lines
        .iter()
        .any(|l| l.contains("h2::") && l.contains("Headers")));
    assert_no_secret(
        &lines,
        &[
            pass,
            &token,
            "wrong-log-pass-2291",
            &format!("{user}:wrong-log-pass-2291"),
            "tok-log-nobody-7719",
            "root:Milvus",
        ],
    );
}

#[test]
#[ignore = "needs the secure server: make secure-tests"]
fn oneway_json_methods_work_over_tls_and_auth() {
    require_mode("1");
    let c = must_connect(&tls_root());
    let name = common::unique("sec_json");
    must(
        &c,
        "create_collection",
        json!({"collection_name": name, "dimension": 2, "consistency_level": "Strong"}),
    );
    let rows: Vec<_> = (0..20)
        .map(|i| json!({"id": i, "vector": [i as f32, 1.0], "tag": format!("t{i}")}))
        .collect();
    let ins = must(&c, "insert", json!({"collection_name": name, "data": rows}));
    assert_eq!(ins["insert_count"], json!(20), "{ins}");
    let hits = must(
        &c,
        "search",
        json!({"collection_name": name, "data": [[7.0, 1.0]], "limit": 2,
               "output_fields": ["tag"]}),
    );
    assert_eq!(hits[0][0]["id"], json!(7), "{hits}");
    assert_eq!(hits[0][0]["entity"]["tag"], json!("t7"), "{hits}");
    let q = must(
        &c,
        "query",
        json!({"collection_name": name, "filter": "id >= 15", "output_fields": ["id"]}),
    );
    assert_eq!(q.as_array().unwrap().len(), 5, "{q}");
    must(&c, "drop_collection", json!({"collection_name": name}));
}

/// Polls `f` until it gives `want` (a grant reaches the proxy's privilege cache through the
/// root coordinator), up to 10 s; returns what it gave last.
fn settle(want: milvus_status, f: impl Fn() -> milvus_status) -> milvus_status {
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let got = f();
        if got == want || Instant::now() > until {
            return got;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Privileges take effect: a new user is refused a search until a role with the Search
/// privilege on the collection is granted to it, and again after the privilege is revoked.
#[test]
#[ignore = "needs the secure server: make secure-tests"]
fn oneway_privileges_take_effect() {
    require_mode("1");
    let root = must_connect(&tls_root());
    let coll = common::unique("sec_rbac");
    let user = common::unique("sec_user");
    let role = common::unique("sec_role");
    must(
        &root,
        "create_collection",
        json!({"collection_name": coll, "dimension": 2, "consistency_level": "Strong"}),
    );
    must(
        &root,
        "insert",
        json!({"collection_name": coll, "data": [{"id": 1, "vector": [1.0, 0.0]}]}),
    );
    must(
        &root,
        "create_user",
        json!({"user_name": user, "password": "sec-user-pass-5521"}),
    );
    let me = must_connect(&with(
        &tls_root(),
        json!({"token": null, "user": user, "password": "sec-user-pass-5521"}),
    ));
    let search = || match call(
        &me,
        "search",
        json!({"collection_name": coll, "data": [[1.0, 0.0]], "limit": 1}),
    ) {
        Ok(hits) => {
            assert_eq!(hits[0][0]["id"], json!(1), "{hits}");
            OK
        }
        Err(f) => f.status,
    };
    let insert = || {
        call(
            &me,
            "insert",
            json!({"collection_name": coll, "data": [{"id": 2, "vector": [0.0, 1.0]}]}),
        )
        .err()
        .map_or(OK, |f| f.status)
    };
    let f = call(
        &me,
        "search",
        json!({"collection_name": coll, "data": [[1.0, 0.0]], "limit": 1}),
    )
    .unwrap_err();
    assert_eq!(f.status, PERMISSION_DENIED, "{f:?}");
    assert_eq!(f.grpc, 7, "gRPC PERMISSION_DENIED: {f:?}");

    must(&root, "create_role", json!({"role_name": role}));
    let grant = json!({"role_name": role, "object_type": "Collection", "privilege": "Search",
                       "object_name": coll});
    must(&root, "grant_privilege", grant.clone());
    must(
        &root,
        "grant_role",
        json!({"user_name": user, "role_name": role}),
    );
    assert_eq!(settle(OK, search), OK, "search after the grant");
    // Only Search was granted.
    assert_eq!(insert(), PERMISSION_DENIED);

    must(&root, "revoke_privilege", grant);
    assert_eq!(
        settle(PERMISSION_DENIED, search),
        PERMISSION_DENIED,
        "search after the revoke"
    );

    must(
        &root,
        "revoke_role",
        json!({"user_name": user, "role_name": role}),
    );
    must(&root, "drop_role", json!({"role_name": role}));
    must(&root, "drop_user", json!({"user_name": user}));
    must(&root, "drop_collection", json!({"collection_name": coll}));
}

// ------------------------------------------------------------------------------------------
// Mutual TLS (`MILVUS_SECURE_TLS_MODE=2 scripts/servers.sh start secure`).

#[test]
#[ignore = "needs the secure server in TLS mode 2: make secure-tests"]
fn mutual_client_certificate_accepted() {
    require_mode("2");
    let c = must_connect(&mutual_root());
    let name = common::unique("sec_mtls");
    must(
        &c,
        "create_collection",
        json!({"collection_name": name, "dimension": 2, "consistency_level": "Strong"}),
    );
    must(
        &c,
        "insert",
        json!({"collection_name": name, "data": [{"id": 3, "vector": [0.5, 0.5]}]}),
    );
    let hits = must(
        &c,
        "search",
        json!({"collection_name": name, "data": [[0.5, 0.5]], "limit": 1}),
    );
    assert_eq!(hits[0][0]["id"], json!(3), "{hits}");
    must(&c, "drop_collection", json!({"collection_name": name}));
}

#[test]
#[ignore = "needs the secure server in TLS mode 2: make secure-tests"]
fn mutual_failures_are_tls_errors() {
    require_mode("2");
    let no_identity = with(
        &mutual_root(),
        json!({"client_pem_path": null, "client_key_path": null}),
    );
    expect_failure(&no_identity, TLS, "requires a client certificate");
    expect_failure(
        &with(
            &mutual_root(),
            json!({"client_pem_path": cert("other-client.pem"),
                   "client_key_path": cert("other-client.key")}),
        ),
        TLS,
        "refused the client certificate",
    );
    expect_failure(
        &with(&mutual_root(), json!({"ca_pem_path": cert("other-ca.pem")})),
        TLS,
        "not signed by a CA trusted here",
    );
    expect_failure(
        &with(&mutual_root(), json!({"server_name": "wrong.example.com"})),
        TLS,
        "not valid for the name",
    );
    // Credentials are still checked behind the client certificate.
    expect_failure(
        &with(&mutual_root(), json!({"token": "root:wrong-pass-4417"})),
        UNAUTHENTICATED,
        "",
    );
}
