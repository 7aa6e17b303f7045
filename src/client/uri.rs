//! Where to connect, parsed from a pymilvus-style URI.

use crate::error::{Error, ErrorKind, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    Tcp { host: String, port: u16, tls: bool },
    Unix(String),
}

/// A parsed URI: the address plus the credential and database it may carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub address: Address,
    /// `user:password` or `user` from the URI's userinfo.
    pub token: Option<String>,
    /// First path segment.
    pub db_name: Option<String>,
}

pub const DEFAULT_URI: &str = "http://localhost:19530";

fn bad(uri: &str, why: &str) -> Error {
    Error::new(
        ErrorKind::InvalidUri,
        format!("uri {:?}: {why}", redacted(uri)),
    )
}

/// The URI with its userinfo (`user:password@`) masked, for messages and Debug output.
pub fn redacted(uri: &str) -> String {
    let (scheme, rest) = match uri.find("://") {
        Some(i) => uri.split_at(i + 3),
        None => ("", uri),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => format!("{scheme}***{}", &rest[at..]),
        None => uri.to_string(),
    }
}

/// Accepts `http://`, `https://` (TLS, default port 443), `tcp://`, a bare `host[:port]`,
/// and `unix:/path`. An empty URI means `http://localhost:19530`.
pub fn parse(uri: &str) -> Result<Target> {
    let uri = uri.trim();
    if uri.is_empty() {
        return parse(DEFAULT_URI);
    }
    if let Some(path) = uri.strip_prefix("unix:") {
        let path = path.strip_prefix("//").unwrap_or(path);
        if path.is_empty() {
            return Err(bad(uri, "a unix socket path is missing"));
        }
        return Ok(Target {
            address: Address::Unix(path.to_string()),
            token: None,
            db_name: None,
        });
    }
    if uri.ends_with(".db") && !uri.contains("://") {
        return Err(bad(
            uri,
            "a local Milvus Lite file cannot be opened in-process; start Milvus Lite as a server and \
             connect to its http://host:port address",
        ));
    }
    let (tls, rest) = match uri.split_once("://") {
        Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
            "http" | "tcp" => (false, rest),
            "https" => (true, rest),
            _ => return Err(bad(uri, "the scheme must be http, https, tcp or unix")),
        },
        None => (false, uri),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let (host, port) = split_host_port(hostport)
        .ok_or_else(|| bad(uri, "the port is not a number from 1 to 65535"))?;
    let host = if host.is_empty() {
        "localhost".to_string()
    } else {
        host.to_string()
    };
    let port = port.unwrap_or(if tls { 443 } else { 19530 });
    let token = userinfo.filter(|u| !u.is_empty()).map(str::to_string);
    let path = tail.split(['?', '#']).next().unwrap_or("");
    let db_name = path.split('/').find(|s| !s.is_empty()).map(str::to_string);
    Ok(Target {
        address: Address::Tcp { host, port, tls },
        token,
        db_name,
    })
}

fn split_host_port(s: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if let Some(v6) = s.strip_prefix('[') {
        let (h, after) = v6.split_once(']')?;
        match after.strip_prefix(':') {
            Some(p) => (h, Some(p)),
            None if after.is_empty() => (h, None),
            None => return None,
        }
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    match port {
        None => Some((host, None)),
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 => Some((host, Some(n))),
            _ => None,
        },
    }
}

impl Address {
    /// The `http(s)://host:port` form tonic's endpoint wants (a placeholder for unix sockets).
    pub fn endpoint_uri(&self) -> String {
        match self {
            Address::Tcp { host, port, tls } => {
                let scheme = if *tls { "https" } else { "http" };
                if host.contains(':') {
                    format!("{scheme}://[{host}]:{port}")
                } else {
                    format!("{scheme}://{host}:{port}")
                }
            }
            Address::Unix(_) => "http://localhost".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(host: &str, port: u16, tls: bool) -> Address {
        Address::Tcp {
            host: host.into(),
            port,
            tls,
        }
    }

    #[test]
    fn schemes_and_default_ports() {
        assert_eq!(
            parse("http://h:1234").unwrap().address,
            tcp("h", 1234, false)
        );
        assert_eq!(parse("https://h").unwrap().address, tcp("h", 443, true));
        assert_eq!(
            parse("HTTPS://h:8443").unwrap().address,
            tcp("h", 8443, true)
        );
        assert_eq!(parse("tcp://h").unwrap().address, tcp("h", 19530, false));
        assert_eq!(parse("h:5").unwrap().address, tcp("h", 5, false));
        assert_eq!(parse("h").unwrap().address, tcp("h", 19530, false));
        assert_eq!(parse("").unwrap().address, tcp("localhost", 19530, false));
        assert_eq!(
            parse("http://[::1]:7").unwrap().address,
            tcp("::1", 7, false)
        );
        assert_eq!(tcp("::1", 7, false).endpoint_uri(), "http://[::1]:7");
    }

    #[test]
    fn userinfo_and_database() {
        let t = parse("http://root:Milvus@h:19530/mydb/extra?x=1").unwrap();
        assert_eq!(t.token.as_deref(), Some("root:Milvus"));
        assert_eq!(t.db_name.as_deref(), Some("mydb"));
        let t = parse("https://apikey@h").unwrap();
        assert_eq!(t.token.as_deref(), Some("apikey"));
        assert_eq!(t.db_name, None);
        assert_eq!(parse("http://h:1/").unwrap().db_name, None);
    }

    #[test]
    fn unix_sockets() {
        assert_eq!(
            parse("unix:/tmp/m.sock").unwrap().address,
            Address::Unix("/tmp/m.sock".into())
        );
        assert_eq!(
            parse("unix:///tmp/m.sock").unwrap().address,
            Address::Unix("/tmp/m.sock".into())
        );
        assert_eq!(parse("unix:").unwrap_err().kind, ErrorKind::InvalidUri);
    }

    #[test]
    fn redacts_userinfo() {
        assert_eq!(
            redacted("http://root:Milvus@h:1/db?x=a@b"),
            "http://***@h:1/db?x=a@b"
        );
        assert_eq!(redacted("u:p@h:1"), "***@h:1");
        assert_eq!(redacted("https://h/x@y"), "https://h/x@y");
        let e = parse("ftp://root:s3cret-pw@h").unwrap_err();
        assert!(!e.message.contains("s3cret-pw"), "{e}");
        let e = parse("http://root:s3cret-pw@h:99999").unwrap_err();
        assert!(!e.message.contains("s3cret-pw"), "{e}");
    }

    #[test]
    fn rejects() {
        for u in [
            "ftp://h",
            "http://h:0",
            "http://h:99999",
            "http://h:x",
            "./milvus.db",
            "http://[::1",
        ] {
            assert_eq!(parse(u).unwrap_err().kind, ErrorKind::InvalidUri, "{u}");
        }
    }
}
