//! The JSON methods through the C ABI, against the in-memory stub server.
//!
//! Input: `METHOD\nARGS`. METHOD is a JSON method name (`milvus_method_name`); any other text
//! picks one by its hash. ARGS is passed as `args_json` up to its first NUL byte; with no
//! newline at all, `args_json` is NULL. Every call must return a status other than
//! MILVUS_ERR_PANIC and keep the header's contract: on success a NUL-terminated buffer of
//! valid JSON and no error; on failure an untouched buffer and an error with that status.
#![no_main]

use libfuzzer_sys::fuzz_target;
use milvus::ffi::buffer::{milvus_buffer, milvus_buffer_free};
use milvus::ffi::client::{
    milvus_client, milvus_client_call, milvus_client_free, milvus_client_new, milvus_method_count,
    milvus_method_name,
};
use milvus::ffi::error::{milvus_error, milvus_error_free, milvus_error_status};
use milvus::ffi::status::{MILVUS_ERR_PANIC, MILVUS_OK};
use std::ffi::{CStr, CString};
use std::sync::{Mutex, OnceLock};

/// Calls on one client before a fresh one replaces it: the client caches every described
/// collection, and fuzzed names are endless.
const CALLS_PER_CLIENT: u32 = 5000;

struct State {
    client: *mut milvus_client,
    calls: u32,
}
// SAFETY: libFuzzer runs the target on one thread; the Mutex serialises access anyway.
unsafe impl Send for State {}

fn uri() -> &'static CString {
    static URI: OnceLock<CString> = OnceLock::new();
    URI.get_or_init(|| CString::new(milvus_fuzz::stub::start()).expect("no NUL in the socket path"))
}

fn methods() -> &'static Vec<CString> {
    static METHODS: OnceLock<Vec<CString>> = OnceLock::new();
    METHODS.get_or_init(|| {
        (0..milvus_method_count())
            // SAFETY: milvus_method_name returns a static NUL-terminated string for i < count.
            .map(|i| unsafe { CStr::from_ptr(milvus_method_name(i)) }.to_owned())
            .collect()
    })
}

fn client(state: &mut State) -> *mut milvus_client {
    if state.client.is_null() || state.calls >= CALLS_PER_CLIENT {
        // SAFETY: the client came from milvus_client_new (or is NULL) and no call is running.
        unsafe { milvus_client_free(state.client) };
        let mut c = std::ptr::null_mut();
        let mut err: *mut milvus_error = std::ptr::null_mut();
        let null = std::ptr::null();
        // SAFETY: valid strings or NULL, valid out-pointers.
        let s =
            unsafe { milvus_client_new(uri().as_ptr(), null, null, null, 5.0, &mut c, &mut err) };
        assert_eq!(s, MILVUS_OK, "connecting to the stub failed");
        state.client = c;
        state.calls = 0;
        smoke_test(c);
    }
    state.calls += 1;
    state.client
}

/// The harness works: an insert reaches the stub and comes back counted, so the fuzzed
/// calls are not all failing for a reason of the harness's own.
fn smoke_test(c: *mut milvus_client) {
    let name = CString::new("insert").unwrap();
    let args = CString::new(r#"{"collection_name":"c0","data":[{"id":1,"v":[1,2,3,4],"b":true,"i8":1,"i16":1,"i32":1,"i64":1,"f":1,"d":1,"s":"x","j":{},"a_i64":[],"a_s":[],"a_f":[],"a_d":[],"a_b":[],"a_i8":[],"a_i16":[],"a_i32":[]}]}"#).unwrap();
    let mut out = milvus_buffer {
        data: std::ptr::null_mut(),
        len: 0,
    };
    let mut err: *mut milvus_error = std::ptr::null_mut();
    // SAFETY: a live client, NUL-terminated strings, valid out-pointers.
    let s = unsafe { milvus_client_call(c, name.as_ptr(), args.as_ptr(), &mut out, &mut err) };
    assert_eq!(s, MILVUS_OK, "the harness's own insert failed");
    // SAFETY: on success the buffer holds len bytes.
    let text = unsafe { std::slice::from_raw_parts(out.data, out.len) };
    let v: serde_json::Value = serde_json::from_slice(text).expect("JSON");
    assert_eq!(v["insert_count"], 1, "{v}");
    // SAFETY: the library's buffer, freed once.
    unsafe { milvus_buffer_free(&mut out) };
}

fuzz_target!(|data: &[u8]| {
    static STATE: Mutex<State> = Mutex::new(State {
        client: std::ptr::null_mut(),
        calls: 0,
    });
    let mut state = STATE.lock().unwrap_or_else(|e| e.into_inner());
    let client = client(&mut state);

    let (name, args) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let list = methods();
    let method = match list.iter().find(|m| m.to_bytes() == name) {
        Some(m) => m,
        None => {
            let h = name.iter().fold(0xcbf29ce484222325u64, |h, &b| {
                (h ^ b as u64).wrapping_mul(0x100000001b3)
            });
            &list[(h % list.len() as u64) as usize]
        }
    };
    let args = args.map(|a| {
        let end = a.iter().position(|&b| b == 0).unwrap_or(a.len());
        CString::new(&a[..end]).expect("cut at the first NUL")
    });
    let args_ptr = args.as_ref().map_or(std::ptr::null(), |a| a.as_ptr());

    let sentinel = 0x5a5a_usize as *mut u8;
    let mut out = milvus_buffer {
        data: sentinel,
        len: 12345,
    };
    let mut err: *mut milvus_error = std::ptr::null_mut();
    // SAFETY: a live client, NUL-terminated strings (or NULL args), valid out-pointers.
    let s = unsafe { milvus_client_call(client, method.as_ptr(), args_ptr, &mut out, &mut err) };
    let what = || {
        format!(
            "{}({})",
            method.to_string_lossy(),
            args.as_ref().map_or("NULL".into(), |a| a.to_string_lossy())
        )
    };
    assert_ne!(s, MILVUS_ERR_PANIC, "{} panicked", what());
    if s == MILVUS_OK {
        assert!(err.is_null(), "{}: success with an error object", what());
        assert!(
            out.data != sentinel && !out.data.is_null(),
            "{}: no buffer",
            what()
        );
        // SAFETY: on success the buffer holds len bytes plus a NUL.
        let bytes = unsafe { std::slice::from_raw_parts(out.data, out.len + 1) };
        assert_eq!(
            bytes[out.len],
            0,
            "{}: the buffer is not NUL-terminated",
            what()
        );
        if let Err(e) = serde_json::from_slice::<serde_json::Value>(&bytes[..out.len]) {
            panic!(
                "{}: the result is not JSON ({e}): {}",
                what(),
                String::from_utf8_lossy(&bytes[..out.len])
            );
        }
        // SAFETY: the buffer is the library's and freed once.
        unsafe { milvus_buffer_free(&mut out) };
    } else {
        assert!(
            out.data == sentinel && out.len == 12345,
            "{}: failed but wrote the buffer",
            what()
        );
        assert!(!err.is_null(), "{}: failed without an error object", what());
        // SAFETY: the library's error, not freed yet.
        let status = unsafe { milvus_error_status(err) };
        assert_eq!(status, s, "{}: error and status differ", what());
        // SAFETY: the error is the library's and freed once.
        unsafe { milvus_error_free(err) };
    }
});
