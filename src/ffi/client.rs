//! Client handles: create, free, and library-wide information.

use super::buffer::milvus_buffer;
use super::error::milvus_error;
use super::status::milvus_status;
use super::{boundary, boundary_or, opt_str, put_out, req_str};
use crate::client::options::{self, ConnectOptions};
use crate::client::{Client, ClientConfig};
use crate::error::{Error, ErrorKind};
use crate::runtime;
use std::ffi::c_char;

/// A connection to one Milvus server. Safe to share between threads; see "Threads" above.
pub struct milvus_client {
    /// Shared with the iterators made from this client, which may outlive the handle.
    pub(crate) inner: std::sync::Arc<Client>,
    /// Its non-blocking calls still in flight (ffi/completion.rs).
    pub(crate) in_flight: std::sync::Arc<super::completion::InFlight>,
}

/// Connects to Milvus and performs the handshake.
///
/// `uri`: `http://host:port`, `https://host:port` (TLS, default port 443), `host:port`,
/// `tcp://host:port` or `unix:/path/to/socket`; `user:password@` in the URI is used as the
/// token and a path segment (`http://host:19530/mydb`) selects the database. `user`,
/// `password` and `token` may be NULL or empty; an explicit `token` wins over `user` +
/// `password`, which win over the URI's credentials.
///
/// `timeout_seconds`: when > 0, connecting must finish within it and it is the default
/// deadline of every later call (a call's own `"timeout"` argument overrides it). 0 means no
/// default deadline (connecting then gives up after 10 s). Negative, NaN or infinite values,
/// and values of 1e9 or more, are `MILVUS_ERR_INVALID_ARGUMENT`.
///
/// The same as `milvus_client_connect` with only these five options; use that for TLS files,
/// a server name, the database, keepalive and the other options.
///
/// On success `*client_out` receives a client owned by the caller, to be released with
/// `milvus_client_free`. On failure `*client_out` is left untouched. The strings are only
/// read during the call.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_new(
    uri: *const c_char,
    user: *const c_char,
    password: *const c_char,
    token: *const c_char,
    timeout_seconds: f64,
    client_out: *mut *mut milvus_client,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        put_out(client_out, "client_out", || {
            // SAFETY: each pointer is NULL or a NUL-terminated string valid for this call (header contract).
            let (uri, user, password, token) = unsafe {
                (
                    req_str(uri, "uri")?,
                    opt_str(user, "user")?,
                    opt_str(password, "password")?,
                    opt_str(token, "token")?,
                )
            };
            // Checked by into_config, with every other number of seconds.
            let cfg = ConnectOptions {
                uri: uri.to_string(),
                user: user.map(str::to_string),
                password: password.map(str::to_string),
                token: token.map(str::to_string),
                timeout: Some(timeout_seconds),
                ..Default::default()
            }
            .into_config()?;
            connect(cfg)
        })
    })
}

/// Connects to Milvus with options given as a JSON object, and performs the handshake. The
/// keys are pymilvus's connection arguments; only `uri` is required, `null` means absent:
///
/// - `uri` (string): as for `milvus_client_new`. `https://` uses TLS.
/// - `user`, `password` (strings): sent as the token `user:password`.
/// - `token` (string): an API key or `user:password`; wins over `user` + `password`, which
///   win over credentials in the URI.
/// - `db_name` (string): the database of every call (wins over the URI's path).
/// - `timeout` (seconds): as `timeout_seconds` of `milvus_client_new`; 0 = none.
/// - `secure` (bool): `true` uses TLS on an `http://` or `host:port` URI; `false` with an
///   `https://` URI is `MILVUS_ERR_INVALID_ARGUMENT`.
/// - `server_pem_path`, `ca_pem_path` (paths): PEM file of the CA certificate(s) to trust
///   instead of the system roots (pymilvus uses the first name for one-way TLS and the
///   second with a client certificate; here both mean the same, and both may be given).
/// - `client_pem_path` + `client_key_path` (paths): client certificate and private key (PEM)
///   for servers that require mutual TLS; one without the other is invalid.
/// - `server_name` (string): the name the server's certificate must be valid for, when it
///   differs from the URI's host.
/// - `keepalive_time` (seconds, default 10; 0 = no pings) and `keepalive_timeout` (seconds,
///   default 5): HTTP/2 pings that detect a dead connection while idle.
/// - `retry` (object): the retry policy, `{"max_retries", "initial_backoff", "max_backoff",
///   "backoff_multiplier"}` (backoffs in seconds); `max_retries: 0` disables retries.
///
/// TLS files or `server_name` without TLS (an `http://` URI and no `secure: true`) are
/// `MILVUS_ERR_INVALID_ARGUMENT` rather than silently ignored.
///
/// Errors: malformed JSON is `MILVUS_ERR_INVALID_JSON`; an unknown key (named in the message),
/// a missing `uri` or a wrong type is `MILVUS_ERR_INVALID_ARGUMENT`; a bad URI is
/// `MILVUS_ERR_INVALID_URI`. An unreadable or empty certificate/key file, an untrusted server
/// certificate (wrong CA), a certificate not valid for the server name, and a server that
/// demands a client certificate (or refuses the one given) are `MILVUS_ERR_TLS`, with a
/// message saying which. Refused credentials are `MILVUS_ERR_UNAUTHENTICATED`. Passwords and
/// tokens never appear in error messages.
///
/// On success `*client_out` receives a client owned by the caller, to be released with
/// `milvus_client_free`. On failure `*client_out` is left untouched. `options_json` is only
/// read during the call; certificate files are read while connecting.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_connect(
    options_json: *const c_char,
    client_out: *mut *mut milvus_client,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    boundary(error_out, || {
        put_out(client_out, "client_out", || {
            // SAFETY: options_json is NULL or a NUL-terminated string valid for this call (header contract).
            let json = unsafe { req_str(options_json, "options_json") }?;
            connect(options::parse(json)?.into_config()?)
        })
    })
}

/// Connects, making the handle to give the caller.
fn connect(cfg: ClientConfig) -> crate::error::Result<*mut milvus_client> {
    super::fork::watch();
    let client = runtime::block_on(Client::connect(cfg))??;
    Ok(Box::into_raw(Box::new(milvus_client {
        inner: std::sync::Arc::new(client),
        in_flight: Default::default(),
    })))
}

/// Frees the client (a session too); the connection closes once the client, its sessions and
/// its iterators are all freed. NULL is a no-op. Must not race with calls on the same client
/// (`milvus_client_close` may); results and errors obtained from it stay valid. Its
/// non-blocking calls still in flight complete with `MILVUS_ERR_CANCELLED`, and this waits
/// until each has been delivered (not when called from a completion callback, which cannot
/// wait).
#[no_mangle]
pub unsafe extern "C" fn milvus_client_free(client: *mut milvus_client) {
    if client.is_null() {
        return;
    }
    boundary_or((), || {
        // SAFETY: a non-NULL client came from milvus_client_new and is freed once (header contract).
        let owned = unsafe { Box::from_raw(client) };
        owned.in_flight.cancel_all();
        runtime::drop_in_runtime(owned);
    });
}

/// Calls the JSON method named `method` (e.g. `"search"`), exactly as
/// `milvus_client_<method>` would. An unknown name is `MILVUS_ERR_UNKNOWN_METHOD`. For
/// bindings that dispatch by name.
#[no_mangle]
pub unsafe extern "C" fn milvus_client_call(
    client: *const milvus_client,
    method: *const c_char,
    args_json: *const c_char,
    result_out: *mut milvus_buffer,
    error_out: *mut *mut milvus_error,
) -> milvus_status {
    let mut handler = None;
    let status = boundary(error_out, || {
        // SAFETY: method is NULL or a NUL-terminated string valid for this call (header contract).
        let name = unsafe { req_str(method, "method") }?;
        let h = super::methods::lookup(name).ok_or_else(|| {
            Error::new(
                ErrorKind::UnknownMethod,
                format!("no JSON method named {name:?}"),
            )
        })?;
        handler = Some(h);
        Ok(())
    });
    match handler {
        // SAFETY: the caller's pointers are checked inside json_call.
        Some((name, h)) => unsafe {
            super::methods::json_call(client, args_json, result_out, error_out, name, h)
        },
        None => status,
    }
}

/// How many JSON methods the library has (each reachable as `milvus_client_<name>` and by
/// `milvus_client_call`). With `milvus_method_name`, for bindings that enumerate them.
#[no_mangle]
pub extern "C" fn milvus_method_count() -> usize {
    boundary_or(0, || super::methods::METHOD_NAMES.len())
}

/// The name of JSON method `index` (0 <= index < `milvus_method_count()`), e.g. `"search"`;
/// NULL beyond. The string is static: never free it.
#[no_mangle]
pub extern "C" fn milvus_method_name(index: usize) -> *const c_char {
    boundary_or(std::ptr::null(), || {
        super::methods::METHOD_NAMES
            .get(index)
            .map_or(std::ptr::null(), |n| n.as_ptr().cast())
    })
}

/// The library's version, e.g. `"0.1.0"` (`MILVUS_VERSION_STRING` at build time). Static.
// A constant: no code that could panic, so no boundary.
#[no_mangle]
pub extern "C" fn milvus_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
