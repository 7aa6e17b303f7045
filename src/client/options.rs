//! The connect options object (`milvus_client_connect`): pymilvus's connection keyword
//! arguments as one JSON object, turned into a `ClientConfig`.
//!
//! To add an option: one field here (its pymilvus name), one line in `into_config`, and the
//! list in the doc comment of `milvus_client_connect` and docs/connect.md.

use super::{ClientConfig, KeepAlive, TlsOptions};
use crate::error::{Error, ErrorKind, Result};
use serde::{Deserialize, Deserializer};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ConnectOptions {
    pub uri: String,
    #[serde(default, deserialize_with = "secret")]
    pub user: Option<String>,
    #[serde(default, deserialize_with = "secret")]
    pub password: Option<String>,
    #[serde(default, deserialize_with = "secret")]
    pub token: Option<String>,
    pub db_name: Option<String>,
    /// Seconds; 0 or absent = no default deadline.
    pub timeout: Option<f64>,
    /// Forces TLS on an `http://` or `host:port` URI (`https://` always uses TLS).
    pub secure: Option<bool>,
    /// PEM file of the CA(s) to trust instead of the system roots (pymilvus: one-way TLS).
    pub server_pem_path: Option<String>,
    /// The same, under pymilvus's mutual-TLS name; both may be given.
    pub ca_pem_path: Option<String>,
    pub client_pem_path: Option<String>,
    pub client_key_path: Option<String>,
    /// The name the server's certificate must carry (default: the URI's host).
    pub server_name: Option<String>,
    /// Seconds between HTTP/2 keepalive pings; 0 turns them off (default 10).
    pub keepalive_time: Option<f64>,
    /// Seconds to wait for a ping's answer before the connection counts as dead (default 5).
    pub keepalive_timeout: Option<f64>,
    /// `{"max_retries", "initial_backoff", "max_backoff", "backoff_multiplier"}` (see
    /// `RetryPolicy`; max_retries 0 disables retries).
    pub retry: Option<super::retry::RetryOptions>,
}

impl std::fmt::Debug for ConnectOptions {
    // Never prints a credential (nor the URI's userinfo).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectOptions")
            .field("uri", &super::uri::redacted(&self.uri))
            .field("user", &self.user.as_ref().map(|_| "<set>"))
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("db_name", &self.db_name)
            .field("timeout", &self.timeout)
            .field("secure", &self.secure)
            .field("server_pem_path", &self.server_pem_path)
            .field("ca_pem_path", &self.ca_pem_path)
            .field("client_pem_path", &self.client_pem_path)
            .field("client_key_path", &self.client_key_path)
            .field("server_name", &self.server_name)
            .field("keepalive_time", &self.keepalive_time)
            .field("keepalive_timeout", &self.keepalive_timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

/// A credential string: a wrong type is refused without echoing the value (serde's own message
/// would quote it, e.g. a numeric password).
fn secret<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(s) => Ok(Some(s)),
        _ => Err(serde::de::Error::custom(
            "user, password and token must be strings",
        )),
    }
}

/// Parses the options object. Malformed JSON is `InvalidJson`; an unknown key, a missing `uri`
/// or a wrong type is `InvalidArgument` naming the key.
pub fn parse(json: &str) -> Result<ConnectOptions> {
    use serde_json::error::Category;
    if !json.trim_start().starts_with('{') {
        if serde_json::from_str::<serde::de::IgnoredAny>(json).is_err() {
            return Err(Error::new(
                ErrorKind::InvalidJson,
                "options_json is not well-formed JSON",
            ));
        }
        return Err(Error::invalid("options_json must be a JSON object"));
    }
    serde_json::from_str(json).map_err(|e| match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            Error::new(ErrorKind::InvalidJson, format!("options_json: {e}"))
        }
        Category::Data => match serde_json::from_str::<serde::de::IgnoredAny>(json) {
            // A typing error can come before a syntax error further on: report the syntax.
            Err(s) => Error::new(ErrorKind::InvalidJson, format!("options_json: {s}")),
            Ok(_) => Error::invalid(format!("options_json: {e}")),
        },
    })
}

/// A number of seconds from the options.
enum Secs {
    Absent,
    /// Exactly 0, where that means "none".
    Off,
    /// A positive value (one too small to count stays a zero duration, not "none").
    Of(Duration),
}

/// The one rule for a number of seconds anywhere in the API (call timeouts, the client's
/// default deadline, keepalive, retry backoffs): finite, under 1e9, and positive, or exactly
/// 0 where `zero_ok` (what 0 means is the caller's). A positive value too small to count is
/// a zero duration, never 0's meaning.
pub fn seconds(what: &str, v: f64, zero_ok: bool) -> Result<Duration> {
    if v.is_finite() && v < 1e9 && (v > 0.0 || zero_ok && v == 0.0) {
        Ok(Duration::from_secs_f64(v.max(0.0)))
    } else {
        Err(Error::invalid(format!(
            "{what} must be a finite number of seconds {} and under 1e9, not {v}",
            if zero_ok { ">= 0" } else { "> 0" }
        )))
    }
}

fn optional_seconds(what: &str, v: Option<f64>, zero_ok: bool) -> Result<Secs> {
    match v {
        None => Ok(Secs::Absent),
        Some(t) => {
            let d = seconds(what, t, zero_ok)?;
            Ok(if t == 0.0 { Secs::Off } else { Secs::Of(d) })
        }
    }
}

fn path(v: Option<String>) -> Option<PathBuf> {
    v.filter(|s| !s.is_empty()).map(PathBuf::from)
}

impl ConnectOptions {
    /// Checks the values and builds the client configuration.
    pub fn into_config(self) -> Result<ClientConfig> {
        let timeout = match optional_seconds("timeout", self.timeout, true)? {
            Secs::Of(t) => Some(t),
            Secs::Absent | Secs::Off => None,
        };
        let mut keepalive = KeepAlive::default();
        // (hyper's timers want a non-zero period)
        let at_least_1ms = |t: Duration| t.max(Duration::from_millis(1));
        match optional_seconds("keepalive_time", self.keepalive_time, true)? {
            Secs::Absent => {}
            Secs::Off => keepalive.interval = None,
            Secs::Of(t) => keepalive.interval = Some(at_least_1ms(t)),
        }
        if let Secs::Of(t) = optional_seconds("keepalive_timeout", self.keepalive_timeout, false)? {
            keepalive.timeout = at_least_1ms(t);
        }
        let tls = TlsOptions {
            secure: self.secure.unwrap_or(false),
            ca_pem_paths: [self.server_pem_path, self.ca_pem_path]
                .into_iter()
                .filter_map(path)
                .collect(),
            client_pem_path: path(self.client_pem_path),
            client_key_path: path(self.client_key_path),
            server_name: self.server_name.filter(|s| !s.is_empty()),
        };
        let target = super::uri::parse(&self.uri)?;
        let https = matches!(target.address, super::uri::Address::Tcp { tls: true, .. });
        if self.secure == Some(false) && https {
            return Err(Error::invalid(
                "secure is false but the uri is https:// (which always uses TLS)",
            ));
        }
        tls.check(&target.address)?;
        Ok(ClientConfig {
            uri: self.uri,
            user: self.user,
            password: self.password,
            token: self.token,
            db_name: self.db_name,
            timeout,
            tls,
            keepalive,
            retry: match self.retry {
                Some(r) => r.into_policy()?,
                None => Default::default(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(json: &str) -> Result<ClientConfig> {
        parse(json)?.into_config()
    }

    #[test]
    fn every_option() {
        let c = cfg(
            r#"{"uri": "http://h:1", "user": "u", "password": "p", "token": null,
            "db_name": "d", "timeout": 2.5, "secure": true, "server_pem_path": "/ca.pem",
            "ca_pem_path": "/ca2.pem", "client_pem_path": "/c.pem", "client_key_path": "/c.key",
            "server_name": "milvus.local", "keepalive_time": 0, "keepalive_timeout": 1}"#,
        )
        .unwrap();
        assert_eq!(c.uri, "http://h:1");
        assert_eq!(
            (c.user.as_deref(), c.password.as_deref(), c.token),
            (Some("u"), Some("p"), None)
        );
        assert_eq!(c.db_name.as_deref(), Some("d"));
        assert_eq!(c.timeout, Some(Duration::from_millis(2500)));
        assert!(c.tls.secure);
        assert_eq!(
            c.tls.ca_pem_paths,
            vec![PathBuf::from("/ca.pem"), PathBuf::from("/ca2.pem")]
        );
        assert_eq!(c.tls.client_pem_path, Some(PathBuf::from("/c.pem")));
        assert_eq!(c.tls.client_key_path, Some(PathBuf::from("/c.key")));
        assert_eq!(c.tls.server_name.as_deref(), Some("milvus.local"));
        assert_eq!(c.keepalive.interval, None);
        assert_eq!(c.keepalive.timeout, Duration::from_secs(1));

        let c = cfg(r#"{"uri": "h", "timeout": 0}"#).unwrap();
        assert_eq!(c.timeout, None);
        // A deadline too short to count is still a deadline (one that has passed).
        let tiny = cfg(r#"{"uri": "h", "timeout": 1e-300}"#).unwrap();
        assert_eq!(tiny.timeout, Some(Duration::ZERO));
        assert!(!c.tls.secure);
        assert_eq!(c.keepalive.interval, KeepAlive::default().interval);
    }

    #[test]
    fn refusals_name_the_key() {
        let e = cfg(r#"{"uri": "h", "colour": 1}"#).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidArgument);
        assert!(e.message.contains("colour"), "{e}");
        let e = cfg(r#"{"user": "u"}"#).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidArgument);
        assert!(e.message.contains("uri"), "{e}");
        for bad in [
            r#"{"uri": "h", "timeout": -1}"#,
            r#"{"uri": "h", "timeout": "5"}"#,
            r#"{"uri": "h", "keepalive_timeout": 0}"#,
            r#"{"uri": "h", "secure": "yes"}"#,
            r#"{"uri": "https://h", "secure": false}"#,
            r#"{"uri": "http://h", "server_pem_path": "/ca.pem"}"#,
            r#"{"uri": "https://h", "client_pem_path": "/c.pem"}"#,
            r#"{"uri": "https://h", "client_key_path": "/c.key"}"#,
            r#"{"uri": "unix:/s", "secure": true}"#,
            r#"[]"#,
        ] {
            assert_eq!(
                cfg(bad).unwrap_err().kind,
                ErrorKind::InvalidArgument,
                "{bad}"
            );
        }
        assert_eq!(
            cfg(r#"{"uri": "ftp://h"}"#).unwrap_err().kind,
            ErrorKind::InvalidUri
        );
        for bad in ["", "{", r#"{"uri": 1} x"#, "nope"] {
            assert_eq!(
                cfg(bad).unwrap_err().kind,
                ErrorKind::InvalidJson,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn credentials_never_echoed() {
        for json in [
            r#"{"uri": "h", "password": 918273645}"#,
            r#"{"uri": "h", "token": 918273645}"#,
            r#"{"uri": "h", "user": 918273645}"#,
            r#"{"uri": "h", "password": [918273645]}"#,
        ] {
            let e = cfg(json).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidArgument, "{json}");
            assert!(!e.message.contains("918273645"), "{e}");
        }
        let o = parse(
            r#"{"uri": "http://root:uri-pass-77@h", "user": "root", "password": "pw-secret-1",
                "token": "tok-secret-2"}"#,
        )
        .unwrap();
        let dbg = format!("{o:?}");
        for s in ["uri-pass-77", "pw-secret-1", "tok-secret-2"] {
            assert!(!dbg.contains(s), "{dbg}");
        }
        let dbg = format!("{:?}", o.into_config().unwrap());
        for s in ["uri-pass-77", "pw-secret-1", "tok-secret-2"] {
            assert!(!dbg.contains(s), "{dbg}");
        }
        assert!(dbg.contains("\"h\"") || dbg.contains("@h"), "{dbg}");
    }
}
