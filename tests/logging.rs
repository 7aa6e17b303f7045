//! Logging: the records a program receives (through the sink the C callback uses, and through
//! `MILVUS_LOG` on stderr) for connects, retries, server errors, deadlines, cancellations,
//! slow calls, and a server killed and started again; and never a credential in them.
//!
//! Retries, errors, stalls and credentials use the in-process stub (no server). The restart
//! test starts a private Milvus Lite 2.5.1 (`.venv`, as tests/reliability.rs does), in a child
//! process of this test binary run with `MILVUS_LOG=debug`, whose stderr is what is checked.
//! (The credential test against a server that checks them, Milvus 2.3.5 with authorization,
//! is `oneway_no_credential_in_any_log_record` in tests/security.rs.)

mod common;
mod stub;

use common::lite::Lite;
use common::log_capture::{assert_no_secret, Capture};
use milvus::ffi::buffer::{milvus_buffer, milvus_buffer_free};
use milvus::ffi::cancel::milvus_client_cancel;
use milvus::ffi::client::{
    milvus_client, milvus_client_call, milvus_client_free, milvus_client_new,
};
use milvus::ffi::error::milvus_error_free;
use milvus::ffi::status::*;
use milvus::proto::common::Status;
use milvus::proto::milvus as m;
use prost::Message;
use std::ffi::CString;
use std::process::Command;
use std::time::Duration;
use stub::{Reply, Stub};

/// A client handle made through the C ABI, freed on drop; calls go through `milvus_client_call`
/// so that records carry the method and call_id as a C program's do.
struct Handle(*mut milvus_client);

// SAFETY: a milvus_client may be used from many threads at once (the header's "Threads").
unsafe impl Send for Handle {}
// SAFETY: as above.
unsafe impl Sync for Handle {}

fn cstr(s: Option<&str>) -> Option<CString> {
    s.map(|s| CString::new(s).unwrap())
}

fn ptr(s: &Option<CString>) -> *const std::ffi::c_char {
    s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
}

fn new_client(
    uri: &str,
    user: Option<&str>,
    password: Option<&str>,
    token: Option<&str>,
    timeout: f64,
) -> Result<Handle, milvus_status> {
    let (uri, user, password, token) = (cstr(Some(uri)), cstr(user), cstr(password), cstr(token));
    let mut c = std::ptr::null_mut();
    let mut err = std::ptr::null_mut();
    let s = unsafe {
        milvus_client_new(
            ptr(&uri),
            ptr(&user),
            ptr(&password),
            ptr(&token),
            timeout,
            &mut c,
            &mut err,
        )
    };
    unsafe { milvus_error_free(err) };
    if s == MILVUS_OK {
        Ok(Handle(c))
    } else {
        Err(s)
    }
}

impl Handle {
    fn call(&self, method: &str, args: &str) -> milvus_status {
        let (method, args) = (CString::new(method).unwrap(), CString::new(args).unwrap());
        let mut out = milvus_buffer {
            data: std::ptr::null_mut(),
            len: 0,
        };
        let mut err = std::ptr::null_mut();
        let s = unsafe {
            milvus_client_call(self.0, method.as_ptr(), args.as_ptr(), &mut out, &mut err)
        };
        unsafe {
            milvus_error_free(err);
            milvus_buffer_free(&mut out);
        }
        s
    }

    fn cancel(&self, id: &str) {
        let id = CString::new(id).unwrap();
        let s = unsafe { milvus_client_cancel(self.0, id.as_ptr(), std::ptr::null_mut()) };
        assert_eq!(s, MILVUS_OK);
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        unsafe { milvus_client_free(self.0) };
    }
}

fn server_error(code: i32, reason: &str) -> Reply {
    Reply::Message(
        m::DescribeCollectionResponse {
            status: Some(Status {
                code,
                reason: reason.into(),
                ..Default::default()
            }),
            ..Default::default()
        }
        .encode_to_vec(),
    )
}

#[test]
fn retries_server_errors_deadlines_cancellations_and_slow_calls_are_logged() {
    let stub = Stub::start();
    let log = Capture::start("debug");
    let c = new_client(stub.uri(), None, None, None, 10.0).unwrap();
    log.expect(&[
        "INFO milvus::client [- -] connected to unix:",
        "server version",
    ]);

    // Two transport failures, then the answer: a record per retry, with reason and pause.
    stub.script(
        "ShowCollections",
        Reply::Grpc(14, "down for a moment".into()),
    );
    stub.script(
        "ShowCollections",
        Reply::Grpc(14, "down for a moment".into()),
    );
    assert_eq!(
        c.call("list_collections", r#"{"call_id": "r-1"}"#),
        MILVUS_OK
    );
    for n in ["retry 1 of 75 in ", "retry 2 of 75 in "] {
        let line = log.expect(&["WARN milvus::client::retry [list_collections r-1]", n]);
        assert!(
            line.contains("Unavailable") && line.contains("down for a moment"),
            "{line}"
        );
    }
    assert!(log.find(&["retry 3 of"]).is_none());
    let done = log.expect(&["DEBUG", "[list_collections r-1] list_collections: done in"]);
    assert!(
        done.contains("response") && done.contains("bytes"),
        "{done}"
    );
    log.expect(&["DEBUG milvus::client::retry [list_collections r-1] RPC show_collections:"]);

    // A server error: its code and message, in the call it belongs to (no call_id here).
    stub.script(
        "DescribeCollection",
        server_error(100, "collection not found [c9]"),
    );
    assert_eq!(
        c.call("describe_collection", r#"{"collection_name": "c9"}"#),
        MILVUS_ERR_COLLECTION_NOT_FOUND
    );
    log.expect(&[
        "WARN milvus::client::retry [describe_collection -]",
        "server error 100: collection not found [c9]",
    ]);

    // A deadline.
    stub.script("ShowCollections", Reply::Stall);
    assert_eq!(
        c.call("list_collections", r#"{"call_id": "d-1", "timeout": 0.3}"#),
        MILVUS_ERR_TIMEOUT
    );
    log.expect(&["WARN", "[list_collections d-1]", "deadline exceeded"]);

    // A cancellation, from another thread.
    stub.script("ShowCollections", Reply::Stall);
    let c = std::sync::Arc::new(c);
    let c2 = c.clone();
    let t = std::thread::spawn(move || {
        c2.call("list_collections", r#"{"call_id": "k-1", "timeout": 10}"#)
    });
    std::thread::sleep(Duration::from_millis(300));
    c.cancel("k-1");
    assert_eq!(t.join().unwrap(), MILVUS_ERR_CANCELLED);
    log.expect(&["INFO", "[list_collections k-1]", "call \"k-1\" cancelled"]);

    // Slow calls, over a threshold of 0; none over the default of 1 s.
    assert!(log.find(&["slow call"]).is_none());
    milvus::log::set_slow_threshold(Duration::ZERO);
    assert_eq!(
        c.call("has_collection", r#"{"collection_name": "c0"}"#),
        MILVUS_OK
    );
    milvus::log::set_slow_threshold(Duration::from_secs(1));
    log.expect(&["WARN milvus::log [has_collection -] has_collection: slow call: "]);
}

#[test]
fn levels_and_targets_filter_records_and_removal_stops_them() {
    let stub = Stub::start();
    let c = {
        let log = Capture::start("warn");
        let c = new_client(stub.uri(), None, None, None, 10.0).unwrap();
        assert_eq!(c.call("list_collections", "{}"), MILVUS_OK);
        assert_eq!(log.lines(), Vec::<String>::new());
        stub.script("ShowCollections", Reply::Grpc(14, "x".into()));
        assert_eq!(c.call("list_collections", "{}"), MILVUS_OK);
        assert!(
            log.lines().iter().all(|l| l.starts_with("WARN ")),
            "{:?}",
            log.lines()
        );
        log.expect(&["retry 1 of"]);
        c
    };
    {
        let log = Capture::start("off,milvus::log=debug");
        assert_eq!(c.call("list_collections", "{}"), MILVUS_OK);
        let lines = log.lines();
        assert!(!lines.is_empty());
        assert!(
            lines.iter().all(|l| l.starts_with("DEBUG milvus::log ")),
            "{lines:?}"
        );
    }
    // No capture now: a retried call produces nothing anywhere (and nothing panics).
    let log = Capture::start("trace");
    drop(log.lines());
    milvus::log::set_sink(None).unwrap();
    stub.script("ShowCollections", Reply::Grpc(14, "x".into()));
    assert_eq!(c.call("list_collections", "{}"), MILVUS_OK);
    assert_eq!(log.lines(), Vec::<String>::new());
}

/// Every credential form, succeeding (the stub takes any) and failing (nothing listens), with
/// every record of every level captured: no secret, and no base64 of one, in any of them.
#[test]
fn no_credential_in_any_record_while_connecting_and_calling() {
    let stub = Stub::start();
    let log = Capture::start("trace");
    let by_password = new_client(stub.uri(), Some("alice"), Some("Pw-s3cret-L1"), None, 10.0);
    let by_token = new_client(stub.uri(), None, None, Some("tok-s3cret-L2"), 10.0);
    for c in [by_password.unwrap(), by_token.unwrap()] {
        stub.script("ShowCollections", Reply::Grpc(14, "x".into()));
        assert_eq!(c.call("list_collections", r#"{"call_id": "s"}"#), MILVUS_OK);
        stub.script("DescribeCollection", server_error(100, "not found"));
        assert_eq!(
            c.call("describe_collection", r#"{"collection_name": "nope"}"#),
            MILVUS_ERR_COLLECTION_NOT_FOUND
        );
    }
    let closed = "http://127.0.0.1:1";
    let failing = [
        new_client(closed, Some("bob"), Some("Pw-s3cret-L3"), None, 2.0),
        new_client(closed, None, None, Some("tok-s3cret-L4"), 2.0),
        new_client(
            "http://carol:Uri-s3cret-L5@127.0.0.1:1",
            None,
            None,
            None,
            2.0,
        ),
        new_client("carol:Uri-s3cret-L6@127.0.0.1:1", None, None, None, 2.0),
    ];
    for f in failing {
        assert!(f.is_err());
    }
    let lines = log.lines();
    // The records looked at include the requests that carried the header, and the failures.
    log.expect(&["TRACE h2::", "Headers"]);
    log.expect(&["connecting to 127.0.0.1:1 (plain text) failed"]);
    assert_no_secret(
        &lines,
        &[
            "s3cret",
            "alice:Pw-s3cret-L1",
            "tok-s3cret-L2",
            "bob:Pw-s3cret-L3",
            "tok-s3cret-L4",
            "carol:Uri-s3cret-L5",
            "carol:Uri-s3cret-L6",
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// MILVUS_LOG, in child processes (it is read once per process).

/// Runs `child_process` of this binary in `mode` with `env`; returns (stdout, stderr).
fn run_child(mode: &str, env: &[(&str, &str)]) -> (String, String) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        "child_process",
        "--nocapture",
        "--test-threads=1",
    ])
    .env("LIBMILVUS_LOG_CHILD", mode)
    .env_remove("MILVUS_LOG")
    .env_remove("MILVUS_LOG_SLOW_MS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("running the child");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(
        out.status.success(),
        "child {mode} failed:\n{stdout}\n--- stderr:\n{stderr}"
    );
    (stdout, stderr)
}

/// With MILVUS_LOG=debug, a Milvus Lite killed and started again under a client shows on
/// stderr: the connect with the server version, the retries of the call made while it was
/// down (with reason and backoff), the reconnect, and the calls with method and call_id.
#[test]
fn milvus_log_debug_shows_the_retries_and_the_reconnect_of_a_restarted_server() {
    let (stdout, stderr) = run_child("restart", &[("MILVUS_LOG", "debug")]);
    let port = stdout
        .lines()
        .find_map(|l| l.split("LITE PORT ").nth(1))
        .unwrap_or_else(|| panic!("the child prints its port:\n{stdout}\n--- stderr:\n{stderr}"));
    let addr = format!("127.0.0.1:{port}");
    let has = |words: &[&str]| {
        stderr.lines().any(|l| {
            l.starts_with(|c: char| c.is_ascii_digit()) && words.iter().all(|w| l.contains(w))
        })
    };
    for words in [
        &[
            " INFO ",
            "milvus::client",
            &format!("connected to {addr} (plain text)"),
            "; server version ",
        ][..],
        &[
            " DEBUG ",
            "[list_collections before] list_collections: done in",
        ],
        &[
            " WARN ",
            "milvus::client::retry [list_collections during] show_collections: retry 1 of 75 in ",
        ],
        &[" INFO ", &format!("reconnecting to {addr} (connection ")],
        &[" INFO ", &format!("reconnected to {addr} (connection ")],
        &[
            " DEBUG ",
            "[list_collections during] list_collections: done in",
        ],
        &[
            " DEBUG ",
            "[list_collections after] list_collections: done in",
        ],
    ] {
        assert!(has(words), "no stderr line with {words:?} in:\n{stderr}");
    }
    // The retries say why: the connection was refused while the server was down.
    assert!(
        has(&["retry 2 of 75", "Unavailable", "Connection refused"]),
        "{stderr}"
    );
    let failed = format!("to {addr} failed: tcp connect error: ");
    assert!(has(&[" WARN ", &failed, "Connection refused"]), "{stderr}");
}

/// Without MILVUS_LOG, nothing on stderr, even for a failing connect and a callback removed.
#[test]
fn without_milvus_log_nothing_is_written() {
    let (_, stderr) = run_child("quiet", &[]);
    assert_eq!(stderr, "");
    // A bad MILVUS_LOG is reported once and otherwise ignored.
    let (_, stderr) = run_child("quiet", &[("MILVUS_LOG", "loud")]);
    assert_eq!(
        stderr.trim(),
        "libmilvus: MILVUS_LOG ignored: bad log directive \"loud\" (want a level: error, warn, \
         info, debug, trace or off; or target=level)"
    );
}

/// The child side of the MILVUS_LOG tests; does nothing when run by `cargo test` itself.
#[test]
fn child_process() {
    let Ok(mode) = std::env::var("LIBMILVUS_LOG_CHILD") else {
        return;
    };
    match mode.as_str() {
        "restart" => {
            let mut lite = match std::env::var("LIBMILVUS_TEST_LITE_PORT") {
                Ok(p) => Lite::start_on(common::reserve_port_at(p.parse().unwrap())),
                Err(_) => Lite::start(),
            };
            println!("LITE PORT {}", lite.port.port);
            let c = std::sync::Arc::new(new_client(&lite.uri(), None, None, None, 30.0).unwrap());
            assert_eq!(
                c.call("list_collections", r#"{"call_id": "before"}"#),
                MILVUS_OK
            );
            lite.kill();
            let c2 = c.clone();
            let during = std::thread::spawn(move || {
                c2.call(
                    "list_collections",
                    r#"{"call_id": "during", "timeout": 60}"#,
                )
            });
            std::thread::sleep(Duration::from_millis(1500));
            lite.launch();
            assert_eq!(during.join().unwrap(), MILVUS_OK);
            assert_eq!(
                c.call("list_collections", r#"{"call_id": "after"}"#),
                MILVUS_OK
            );
        }
        "quiet" => {
            assert_eq!(
                new_client("http://u:p@127.0.0.1:1", None, None, None, 1.0).err(),
                Some(MILVUS_ERR_CONNECT)
            );
            let log = Capture::start("trace");
            drop(log);
            assert_eq!(
                new_client("http://127.0.0.1:1", None, None, None, 1.0).err(),
                Some(MILVUS_ERR_CONNECT)
            );
        }
        other => panic!("no child mode {other}"),
    }
}
