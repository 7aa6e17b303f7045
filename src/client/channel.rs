//! Opening a client's one channel: endpoint settings, keepalive, TLS (CA file, client
//! certificate, server name), and telling TLS failures apart from other connect failures.

use super::cfg_addr;
use super::uri::Address;
use crate::error::{Error, ErrorKind, Result};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{AlertDescription, CertificateError};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint, Identity};

/// TLS settings beyond what the URI says (`https://` alone means TLS with the system roots).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// Use TLS even on an `http://` or `host:port` URI.
    pub secure: bool,
    /// PEM files of the CAs to trust instead of the system roots.
    pub ca_pem_paths: Vec<PathBuf>,
    /// Client certificate (PEM) and its private key (PEM), for servers that require one.
    pub client_pem_path: Option<PathBuf>,
    pub client_key_path: Option<PathBuf>,
    /// The name the server's certificate must be valid for (default: the URI's host).
    pub server_name: Option<String>,
}

impl TlsOptions {
    /// Refuses combinations that cannot work, before anything is sent: TLS files without TLS
    /// (they would be silently ignored), half a client identity, TLS on a unix socket.
    pub(crate) fn check(&self, addr: &Address) -> Result<()> {
        if self.client_pem_path.is_some() != self.client_key_path.is_some() {
            return Err(Error::invalid(
                "client_pem_path and client_key_path must be given together",
            ));
        }
        let settings = !self.ca_pem_paths.is_empty()
            || self.client_pem_path.is_some()
            || self.server_name.is_some();
        match addr {
            Address::Unix(_) if self.secure || settings => Err(Error::invalid(
                "TLS options do not apply to a unix: socket URI",
            )),
            Address::Tcp { tls: false, .. } if settings && !self.secure => Err(Error::invalid(
                "TLS files or server_name given for a plain connection: use an https:// uri or \
                 secure: true",
            )),
            _ => Ok(()),
        }
    }
}

/// HTTP/2 keepalive pings, which notice a dead connection while the client is idle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeepAlive {
    /// Time between pings; `None` sends none.
    pub interval: Option<Duration>,
    /// How long a ping may go unanswered.
    pub timeout: Duration,
}

impl Default for KeepAlive {
    fn default() -> Self {
        KeepAlive {
            interval: Some(Duration::from_secs(10)),
            timeout: Duration::from_secs(5),
        }
    }
}

fn read_file(what: &str, path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        Error::new(
            ErrorKind::Tls,
            format!("{what} {}: cannot read it: {e}", path.display()),
        )
    })
}

/// A PEM file holding at least one certificate (tonic would silently skip a file without any).
fn read_certs(what: &str, path: &Path) -> Result<Vec<u8>> {
    let pem = read_file(what, path)?;
    let certs: std::result::Result<Vec<_>, _> = CertificateDer::pem_slice_iter(&pem).collect();
    match certs {
        Ok(c) if !c.is_empty() => Ok(pem),
        Ok(_) => Err(Error::new(
            ErrorKind::Tls,
            format!("{what} {}: no PEM certificate in it", path.display()),
        )),
        Err(e) => Err(Error::new(
            ErrorKind::Tls,
            format!("{what} {}: not a valid PEM file: {e}", path.display()),
        )),
    }
}

fn tls_config(host: &str, o: &TlsOptions) -> Result<ClientTlsConfig> {
    let name = o.server_name.as_deref().unwrap_or(host);
    // assume_http2: Milvus's Go server may not send ALPN; gRPC is HTTP/2 anyway.
    let mut cfg = ClientTlsConfig::new().domain_name(name).assume_http2(true);
    if o.ca_pem_paths.is_empty() {
        cfg = cfg.with_native_roots();
    }
    for p in &o.ca_pem_paths {
        cfg = cfg.ca_certificate(Certificate::from_pem(read_certs("CA file", p)?));
    }
    if let (Some(cert), Some(key)) = (&o.client_pem_path, &o.client_key_path) {
        let cert = read_certs("client_pem_path", cert)?;
        let key_pem = read_file("client_key_path", key)?;
        if PrivateKeyDer::from_pem_slice(&key_pem).is_err() {
            return Err(Error::new(
                ErrorKind::Tls,
                format!(
                    "client_key_path {}: no PEM private key in it",
                    key.display()
                ),
            ));
        }
        cfg = cfg.identity(Identity::from_pem(cert, key_pem));
    }
    Ok(cfg)
}

pub(super) async fn open_channel(
    addr: &Address,
    tls: &TlsOptions,
    keepalive: &KeepAlive,
    connect_timeout: Duration,
) -> Result<Channel> {
    let mut ep = Endpoint::from_shared(addr.endpoint_uri())
        .map_err(|e| {
            Error::new(
                ErrorKind::InvalidUri,
                format!("{}: {e}", addr.endpoint_uri()),
            )
        })?
        .connect_timeout(connect_timeout)
        .tcp_nodelay(true)
        .initial_stream_window_size(Some(4 << 20))
        .initial_connection_window_size(Some(8 << 20));
    if let Some(every) = keepalive.interval {
        ep = ep
            .http2_keep_alive_interval(every)
            .keep_alive_timeout(keepalive.timeout)
            .keep_alive_while_idle(true);
    }
    if let Address::Tcp {
        host, tls: true, ..
    } = addr
    {
        ep = ep
            .tls_config(tls_config(host, tls)?)
            .map_err(|e| Error::new(ErrorKind::Tls, format!("TLS set-up: {}", chain(&e))))?;
    }
    let fail = |e: tonic::transport::Error| match tls_failure(&e, tls, addr) {
        Some(why) => Error::new(
            ErrorKind::Tls,
            format!("TLS with {}: {why}", cfg_addr(addr)),
        ),
        None => Error::new(
            ErrorKind::Connect,
            format!("cannot connect to {}: {}", cfg_addr(addr), chain(&e)),
        ),
    };
    match addr {
        Address::Tcp { .. } => {
            // tonic's own connector with tonic's settings, so that its connections are seen.
            let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
            http.enforce_http(false);
            http.set_nodelay(true);
            http.set_connect_timeout(Some(connect_timeout));
            ep.connect_with_connector(Logged::new(http, addr))
                .await
                .map_err(fail)
        }
        Address::Unix(path) => {
            let path = path.clone();
            let unix = tower::service_fn(move |_| {
                let path = path.clone();
                async move {
                    let stream = tokio::net::UnixStream::connect(path).await?;
                    Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(stream))
                }
            });
            ep.connect_with_connector(Logged::new(unix, addr))
                .await
                .map_err(fail)
        }
    }
}

/// A connector that logs each connection it makes: the first at `debug`, every later one
/// (tonic reconnects after a connection is lost) at `info`, failures at `warn`.
#[derive(Clone)]
struct Logged<C> {
    inner: C,
    addr: std::sync::Arc<str>,
    made: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<C> Logged<C> {
    fn new(inner: C, addr: &Address) -> Self {
        Logged {
            inner,
            addr: cfg_addr(addr).into(),
            made: Default::default(),
        }
    }
}

impl<C> tower::Service<http::Uri> for Logged<C>
where
    C: tower::Service<http::Uri>,
    C::Future: Send + 'static,
    C::Error: std::error::Error + 'static,
{
    type Response = C::Response;
    type Error = C::Error;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = std::result::Result<C::Response, C::Error>> + Send>,
    >;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::result::Result<(), C::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, uri: http::Uri) -> Self::Future {
        use std::sync::atomic::Ordering;
        let n = self.made.fetch_add(1, Ordering::Relaxed) + 1;
        let addr = self.addr.clone();
        if n > 1 {
            tracing::info!("reconnecting to {addr} (connection {n})");
        }
        let fut = self.inner.call(uri);
        Box::pin(async move {
            let start = std::time::Instant::now();
            let out = fut.await;
            let took = start.elapsed();
            match &out {
                Ok(_) if n > 1 => {
                    tracing::info!("reconnected to {addr} (connection {n}) in {took:.3?}")
                }
                Ok(_) => tracing::debug!("connection to {addr} open in {took:.3?}"),
                Err(e) => tracing::warn!("connection {n} to {addr} failed: {}", chain(e)),
            }
            out
        })
    }
}

/// The failure of a TLS connection that tonic could not explain, diagnosed on a second,
/// bare connection. A server that refuses the client certificate (missing, or from another
/// CA) does so only after the client's side of the TLS 1.3 handshake is done; tonic's
/// connection task then swallows the alert and the RPC sees just "connection closed". This
/// repeats the handshake with the same settings (verifying the server the same way) and reads
/// the server's first record: an alert comes back as a typed rustls error. Sends no request
/// and no credential. `None` when the probe finds nothing wrong with TLS.
pub(crate) async fn probe(addr: &Address, tls: &TlsOptions, budget: Duration) -> Option<String> {
    let Address::Tcp {
        host,
        port,
        tls: true,
    } = addr
    else {
        return None;
    };
    let config = rustls_config(tls).ok()?;
    let name = rustls::pki_types::ServerName::try_from(
        tls.server_name.clone().unwrap_or_else(|| host.clone()),
    )
    .ok()?;
    let attempt = async {
        let tcp = tokio::net::TcpStream::connect((host.as_str(), *port))
            .await
            .ok()?;
        let mut stream = match tokio_rustls::TlsConnector::from(std::sync::Arc::new(config))
            .connect(name, tcp)
            .await
        {
            Ok(s) => s,
            Err(e) => return tls_failure(&e, tls, addr),
        };
        let mut buf = [0u8; 256];
        let mut rb = tokio::io::ReadBuf::new(&mut buf);
        let read = std::future::poll_fn(|cx| {
            tokio::io::AsyncRead::poll_read(std::pin::Pin::new(&mut stream), cx, &mut rb)
        })
        .await;
        match read {
            Err(e) => tls_failure(&e, tls, addr),
            Ok(()) => None,
        }
    };
    tokio::time::timeout(budget.min(Duration::from_secs(5)), attempt)
        .await
        .ok()
        .flatten()
}

/// The rustls configuration tonic builds from `tls_config`, for `probe`.
fn rustls_config(o: &TlsOptions) -> Result<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    if o.ca_pem_paths.is_empty() {
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    }
    for p in &o.ca_pem_paths {
        let pem = read_certs("CA file", p)?;
        roots.add_parsable_certificates(CertificateDer::pem_slice_iter(&pem).flatten());
    }
    let tls_err = |e: rustls::Error| Error::new(ErrorKind::Tls, format!("TLS set-up: {e}"));
    let builder = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(tls_err)?
    .with_root_certificates(roots);
    let mut config = match (&o.client_pem_path, &o.client_key_path) {
        (Some(cert), Some(key)) => {
            let certs = CertificateDer::pem_slice_iter(&read_certs("client_pem_path", cert)?)
                .flatten()
                .collect();
            let key = PrivateKeyDer::from_pem_slice(&read_file("client_key_path", key)?)
                .map_err(|e| Error::new(ErrorKind::Tls, format!("client_key_path: {e}")))?;
            builder.with_client_auth_cert(certs, key).map_err(tls_err)?
        }
        _ => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(config)
}

/// An error and its causes, as one line.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut msg = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        msg.push_str(&format!(": {c}"));
        cause = c.source();
    }
    msg
}

/// When a rustls error is somewhere in `err`'s causes, what it means for the caller. The
/// rustls error is found by type, also inside `io::Error`s (whose `source()` skips it).
/// A server that requires a client certificate refuses only after the client's side of the
/// TLS 1.3 handshake is done, so this also applies to the first RPC's failure.
pub(crate) fn tls_failure(
    err: &(dyn std::error::Error + 'static),
    tls: &TlsOptions,
    addr: &Address,
) -> Option<String> {
    let mut cur = Some(err);
    while let Some(e) = cur {
        if let Some(r) = e.downcast_ref::<rustls::Error>() {
            return Some(describe(r, tls, addr));
        }
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            if let Some(why) = tls_failure(inner, tls, addr) {
                return Some(why);
            }
        }
        cur = e.source();
    }
    None
}

fn describe(e: &rustls::Error, tls: &TlsOptions, addr: &Address) -> String {
    use rustls::Error as E;
    let trusted = if tls.ca_pem_paths.is_empty() {
        "the system's root CAs (set server_pem_path to the server's CA file)".to_string()
    } else {
        let files: Vec<_> = tls
            .ca_pem_paths
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        files.join(", ")
    };
    let has_identity = tls.client_pem_path.is_some();
    let why = match e {
        E::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer => {
                format!("the server's certificate is not signed by a CA trusted here: {trusted}")
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                format!(
                    "the server's certificate is not valid for the name {:?} (set server_name \
                     to a name the certificate carries)",
                    match (&tls.server_name, addr) {
                        (Some(n), _) => n.as_str(),
                        (None, Address::Tcp { host, .. }) => host.as_str(),
                        (None, Address::Unix(p)) => p.as_str(),
                    }
                )
            }
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. } => {
                "the server's certificate is expired or not yet valid".to_string()
            }
            _ => "the server's certificate was refused".to_string(),
        },
        // Milvus 2.3.5 (Go) answers a missing client certificate with bad_certificate; the
        // server's own certificate was verified before, so the complaint is about ours.
        E::AlertReceived(
            AlertDescription::CertificateRequired | AlertDescription::BadCertificate,
        ) if !has_identity => {
            "the server requires a client certificate (mutual TLS: set client_pem_path and \
             client_key_path)"
                .to_string()
        }
        E::AlertReceived(
            a @ (AlertDescription::BadCertificate
            | AlertDescription::UnknownCA
            | AlertDescription::CertificateUnknown
            | AlertDescription::UnsupportedCertificate
            | AlertDescription::HandshakeFailure),
        ) => {
            if has_identity {
                format!("the server refused the client certificate (alert {a:?})")
            } else {
                format!(
                    "the server refused the handshake (alert {a:?}); it may require a client \
                     certificate (client_pem_path, client_key_path)"
                )
            }
        }
        E::AlertReceived(a) => format!("the server ended the handshake (alert {a:?})"),
        E::InvalidMessage(_) => {
            "the server did not answer in TLS (is TLS enabled on this port?)".to_string()
        }
        _ => "the TLS handshake failed".to_string(),
    };
    format!("{why} [{e}]")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(tls: bool) -> Address {
        Address::Tcp {
            host: "h".into(),
            port: 1,
            tls,
        }
    }

    #[test]
    fn checks() {
        let ca = TlsOptions {
            ca_pem_paths: vec!["/ca.pem".into()],
            ..Default::default()
        };
        assert!(ca.check(&tcp(true)).is_ok());
        assert_eq!(
            ca.check(&tcp(false)).unwrap_err().kind,
            ErrorKind::InvalidArgument
        );
        let forced = TlsOptions {
            secure: true,
            ..ca.clone()
        };
        assert!(forced.check(&tcp(false)).is_ok());
        assert!(forced.check(&Address::Unix("/s".into())).is_err());
        let half = TlsOptions {
            client_pem_path: Some("/c.pem".into()),
            ..Default::default()
        };
        assert!(half.check(&tcp(true)).is_err());
    }

    /// The classification works on the error types, wherever they sit in the chain.
    #[test]
    fn tls_failures_found_by_type() {
        let o = TlsOptions::default();
        let addr = tcp(true);
        let wrapped = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
        );
        let why = tls_failure(&wrapped, &o, &addr).unwrap();
        assert!(why.contains("not signed by a CA"), "{why}");
        let status = tonic::Status::from_error(Box::new(std::io::Error::other(
            rustls::Error::AlertReceived(AlertDescription::CertificateRequired),
        )));
        let why = tls_failure(&status, &o, &addr).unwrap();
        assert!(why.contains("requires a client certificate"), "{why}");
        let plain = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        assert_eq!(tls_failure(&plain, &o, &addr), None);
        let name = tls_failure(
            &rustls::Error::InvalidCertificate(CertificateError::NotValidForName),
            &o,
            &addr,
        )
        .unwrap();
        assert!(name.contains("not valid for the name \"h\""), "{name}");
    }

    #[test]
    fn unreadable_files_are_tls_errors() {
        let o = TlsOptions {
            ca_pem_paths: vec!["/nonexistent/ca.pem".into()],
            ..Default::default()
        };
        let e = tls_config("h", &o).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Tls);
        assert!(e.message.contains("/nonexistent/ca.pem"), "{e}");
        let dir = std::env::temp_dir().join(format!("libmilvus-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let junk = dir.join("junk.pem");
        std::fs::write(&junk, "not a certificate\n").unwrap();
        let o = TlsOptions {
            ca_pem_paths: vec![junk.clone()],
            ..Default::default()
        };
        let e = tls_config("h", &o).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Tls);
        assert!(e.message.contains("no PEM certificate"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
