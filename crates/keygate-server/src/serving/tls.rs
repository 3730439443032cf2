//! HTTPS served by Keygate itself: rustls 0.23 on aws-lc-rs, HTTP/2 and HTTP/1.1 chosen by
//! ALPN, and a certificate replaced without a restart.
//!
//! The server keeps one rustls configuration whose certificate resolver holds the current
//! certificate; a reload swaps it, so connections made after it get the new certificate and
//! open ones keep theirs. Files are re-read when their contents change (polled) and on demand
//! (`keygate serve` calls [`Tls::reload`] on SIGHUP). A file that does not parse, or a key that
//! does not match its certificate, is reported and the running certificate stays.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use anyhow::Context;
use aws_lc_rs::digest::{SHA256, digest};
use rustls::ServerConfig;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use super::settings::TlsFiles;

/// How often the files are checked for a new certificate.
pub const POLL_INTERVAL: Duration = Duration::from_secs(5);

/// A handshake that takes longer is dropped, so that slow clients cannot hold sockets.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The certificate in use, swapped by reloads.
#[derive(Debug)]
struct CertSlot(RwLock<Arc<CertifiedKey>>);

impl CertSlot {
    fn current(&self) -> Arc<CertifiedKey> {
        match self.0.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn replace(&self, key: Arc<CertifiedKey>) {
        match self.0.write() {
            Ok(mut guard) => *guard = key,
            Err(poisoned) => *poisoned.into_inner() = key,
        }
    }
}

impl ResolvesServerCert for CertSlot {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current())
    }
}

/// Keygate's TLS: the files, the current certificate, and the rustls configuration.
#[derive(Debug)]
pub struct Tls {
    files: TlsFiles,
    provider: Arc<CryptoProvider>,
    slot: Arc<CertSlot>,
    config: Arc<ServerConfig>,
    /// SHA-256 of the certificate and key files last read, to notice a change.
    seen: Mutex<Vec<u8>>,
}

impl Tls {
    /// Reads the certificate and key; fails with a message naming the file at fault.
    pub fn load(files: TlsFiles) -> anyhow::Result<Arc<Self>> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let (cert_pem, key_pem) = read_files(&files)?;
        let key = certified_key(&files, &cert_pem, &key_pem, &provider)?;
        let slot = Arc::new(CertSlot(RwLock::new(Arc::new(key))));
        let mut config = ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .context("TLS protocol versions")?
            .with_no_client_auth()
            .with_cert_resolver(slot.clone());
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        let seen = Mutex::new(fingerprint(&cert_pem, &key_pem));
        Ok(Arc::new(Self { files, provider, slot, config: Arc::new(config), seen }))
    }

    /// Re-reads the files and serves their certificate from the next handshake on. On error
    /// the current certificate stays.
    pub fn reload(&self) -> anyhow::Result<()> {
        let (cert_pem, key_pem) = read_files(&self.files)?;
        self.install(&cert_pem, &key_pem)
    }

    /// [`Tls::reload`] if the files' contents changed since they were last read; returns
    /// whether they had. A broken file is reported once, not at every poll.
    pub fn reload_if_changed(&self) -> anyhow::Result<bool> {
        let (cert_pem, key_pem) = read_files(&self.files)?;
        let now = fingerprint(&cert_pem, &key_pem);
        {
            let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
            if *seen == now {
                return Ok(false);
            }
            *seen = now;
        }
        self.install(&cert_pem, &key_pem).map(|()| true)
    }

    fn install(&self, cert_pem: &[u8], key_pem: &[u8]) -> anyhow::Result<()> {
        let key = certified_key(&self.files, cert_pem, key_pem, &self.provider)?;
        self.slot.replace(Arc::new(key));
        *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = fingerprint(cert_pem, key_pem);
        Ok(())
    }

    /// The leaf certificate being served now, DER.
    pub fn current_certificate(&self) -> Option<CertificateDer<'static>> {
        self.slot.current().cert.first().cloned()
    }

    /// A listener that accepts TLS connections on `tcp`.
    pub fn listener(&self, tcp: TcpListener) -> TlsListener {
        TlsListener {
            tcp,
            acceptor: TlsAcceptor::from(self.config.clone()),
            handshakes: JoinSet::new(),
        }
    }

    /// Checks the files every `every` and reloads them when they change.
    pub fn spawn_watch(self: &Arc<Self>, every: Duration) -> tokio::task::JoinHandle<()> {
        let tls = self.clone();
        super::spawn_every(every, move || {
            let check = tls.clone();
            async move {
                match tokio::task::spawn_blocking(move || check.reload_if_changed()).await {
                    Ok(Ok(true)) => tracing::info!("TLS certificate reloaded (the files changed)"),
                    Ok(Ok(false)) => {}
                    Ok(Err(e)) => tracing::warn!(
                        error = %format!("{e:#}"),
                        "the TLS files changed but cannot be used; the current certificate stays"
                    ),
                    Err(e) => tracing::warn!(error = %e, "the TLS file check failed"),
                }
            }
        })
    }
}

fn read_files(files: &TlsFiles) -> anyhow::Result<(Vec<u8>, Vec<u8>)> {
    let read = |path: &std::path::Path, what: &str| {
        std::fs::read(path)
            .with_context(|| format!("cannot read the TLS {what} {}", path.display()))
    };
    Ok((read(&files.cert_file, "certificate")?, read(&files.key_file, "key")?))
}

fn fingerprint(cert_pem: &[u8], key_pem: &[u8]) -> Vec<u8> {
    let both = [digest(&SHA256, cert_pem).as_ref(), digest(&SHA256, key_pem).as_ref()].concat();
    digest(&SHA256, &both).as_ref().to_vec()
}

/// The chain and key, checked to belong together.
fn certified_key(
    files: &TlsFiles,
    cert_pem: &[u8],
    key_pem: &[u8],
    provider: &CryptoProvider,
) -> anyhow::Result<CertifiedKey> {
    let cert_path = files.cert_file.display();
    let key_path = files.key_file.display();
    let chain = CertificateDer::pem_slice_iter(cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("the TLS certificate file {cert_path} is not valid PEM"))?;
    anyhow::ensure!(!chain.is_empty(), "no certificate in the TLS certificate file {cert_path}");
    let key = PrivateKeyDer::from_pem_slice(key_pem)
        .with_context(|| format!("no private key in the TLS key file {key_path}"))?;
    CertifiedKey::from_der(chain, key, provider).with_context(|| {
        format!("the key in {key_path} cannot be used with the certificate in {cert_path}")
    })
}

/// Accepts TCP connections and completes TLS handshakes concurrently, so one slow client
/// does not hold up the others; for `axum::serve`.
pub struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
    handshakes: JoinSet<Option<(TlsStream<TcpStream>, SocketAddr)>>,
}

impl std::fmt::Debug for TlsListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsListener")
            .field("tcp", &self.tcp)
            .field("handshakes", &self.handshakes.len())
            .finish_non_exhaustive()
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            tokio::select! {
                accepted = self.tcp.accept() => match accepted {
                    Ok((stream, peer)) => {
                        let acceptor = self.acceptor.clone();
                        self.handshakes.spawn(handshake(acceptor, stream, peer));
                    }
                    Err(e) => accept_error(e).await,
                },
                Some(done) = self.handshakes.join_next(), if !self.handshakes.is_empty() => {
                    if let Ok(Some(connection)) = done {
                        return connection;
                    }
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

async fn handshake(
    acceptor: TlsAcceptor,
    stream: TcpStream,
    peer: SocketAddr,
) -> Option<(TlsStream<TcpStream>, SocketAddr)> {
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
        Ok(Ok(tls)) => Some((tls, peer)),
        Ok(Err(e)) => {
            tracing::debug!(%peer, error = %e, "TLS handshake failed");
            None
        }
        Err(_) => {
            tracing::debug!(%peer, "TLS handshake timed out");
            None
        }
    }
}

/// As axum does for plain TCP: connection-level errors are the client's; others (such as
/// running out of file descriptors) are logged and retried after a pause.
async fn accept_error(e: io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(e.kind(), ConnectionRefused | ConnectionAborted | ConnectionReset) {
        return;
    }
    tracing::error!(error = %e, "accept error");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
