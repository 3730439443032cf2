//! An SMTP sink: a real SMTP server on a loopback port (RFC 5321) that keeps what it accepts,
//! for tests to read messages and follow their links. It speaks plain SMTP, TLS from the first
//! byte (RFC 8314 §3.3) or STARTTLS (RFC 3207) with a test certificate, and can require a login
//! (`AUTH PLAIN`, RFC 4954). It can also misbehave as mail servers do: refuse for now (451),
//! refuse for good (550), drop the connection after the message, hold its reply, or be down.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::tls::TestCert;

/// A message the sink accepted (it answered, or was about to answer, `250` after `DATA`).
#[derive(Debug, Clone)]
pub struct Received {
    /// `MAIL FROM`.
    pub from: String,
    /// `RCPT TO`s.
    pub to: Vec<String>,
    /// The message as sent (headers and body), dot-unstuffed.
    pub data: String,
    /// Whether the connection was encrypted when the message came.
    pub tls: bool,
    /// The user name the client logged in with, if it did.
    pub user: Option<String>,
}

impl Received {
    /// A header's value (the first one of that name).
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(v) = value.as_mut() {
                if line.starts_with(' ') || line.starts_with('\t') {
                    v.push_str(line.trim_start());
                    continue;
                }
                break;
            }
            let (n, v) = line.split_once(':')?;
            if n.eq_ignore_ascii_case(name) {
                value = Some(v.trim().to_owned());
            }
        }
        value
    }

    /// The `Message-ID`.
    pub fn message_id(&self) -> String {
        self.header("Message-ID").unwrap_or_default()
    }

    /// The plain-text part, decoded.
    pub fn text(&self) -> String {
        self.part("text/plain")
    }

    /// The HTML part, decoded.
    pub fn html(&self) -> String {
        self.part("text/html")
    }

    fn part(&self, content_type: &str) -> String {
        // Each MIME part (or the whole message) is headers, a blank line, and a body.
        for chunk in self.data.split("\r\n--") {
            let Some((head, body)) = chunk.split_once("\r\n\r\n") else { continue };
            let head_lower = head.to_ascii_lowercase();
            if !head_lower.contains(&format!("content-type: {content_type}")) {
                continue;
            }
            let body = body.split("\r\n--").next().unwrap_or(body);
            return if head_lower.contains("content-transfer-encoding: quoted-printable") {
                decode_quoted_printable(body)
            } else if head_lower.contains("content-transfer-encoding: base64") {
                use base64::Engine;
                let compact: String = body.split_whitespace().collect();
                let bytes = base64::engine::general_purpose::STANDARD.decode(compact).unwrap();
                String::from_utf8(bytes).unwrap()
            } else {
                body.to_owned()
            };
        }
        String::new()
    }

    /// The first link in the plain text that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let text = self.text();
        let start = text.find(prefix)?;
        let rest = &text[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        Some(rest[..end].to_owned())
    }
}

fn decode_quoted_printable(body: &str) -> String {
    let joined = body.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..(i + 3).min(bytes.len())]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// How the sink answers.
#[derive(Debug, Clone, Default)]
pub struct SinkBehavior {
    /// Answer `451` after `DATA` to every n-th message (counting every message received).
    pub temp_fail_every: Option<u32>,
    /// Close the connection without answering after `DATA`, every n-th message.
    pub drop_every: Option<u32>,
    /// Refuse `RCPT TO` with `550` for addresses starting with this.
    pub reject_prefix: Option<String>,
    /// Answer `451` to every message.
    pub temp_fail_all: bool,
    /// Keep the message, then wait this long before answering `250` (or `None`).
    pub hold_reply: Option<Duration>,
}

/// How the sink encrypts connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkTls {
    /// Plain SMTP; no `STARTTLS` offered.
    None,
    /// TLS from the first byte (`smtps://`).
    Implicit,
    /// Plain at first, `STARTTLS` offered (`smtp://`).
    StartTls,
}

/// The sink's security: encryption with its certificate, and a required login.
#[derive(Clone)]
pub struct SinkSecurity {
    /// How connections are encrypted.
    pub tls: SinkTls,
    /// The certificate (for `localhost` and `127.0.0.1`) when encrypted.
    pub acceptor: Option<tokio_rustls::TlsAcceptor>,
    /// A user name and password that must log in (`AUTH PLAIN`, offered only once encrypted)
    /// before `MAIL`.
    pub login: Option<(String, String)>,
}

impl SinkSecurity {
    /// Encryption `tls` with `cert`, and optionally a required login.
    pub fn new(tls: SinkTls, cert: &TestCert, login: Option<(&str, &str)>) -> Self {
        let chain = vec![rustls::pki_types::CertificateDer::from(cert.der.clone())];
        use rustls::pki_types::pem::PemObject;
        let key = rustls::pki_types::PrivateKeyDer::from_pem_slice(cert.key_pem.as_bytes())
            .expect("the test key");
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .expect("the test certificate");
        let acceptor =
            (tls != SinkTls::None).then(|| tokio_rustls::TlsAcceptor::from(Arc::new(config)));
        let login = login.map(|(u, p)| (u.to_owned(), p.to_owned()));
        Self { tls, acceptor, login }
    }
}

struct Shared {
    accepted: Vec<Received>,
    received: u32,
    behavior: SinkBehavior,
}

/// The running sink.
pub struct SmtpSink {
    addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    security: Option<SinkSecurity>,
    server: Option<tokio::task::JoinHandle<()>>,
}

impl SmtpSink {
    /// A plain-SMTP sink on a free loopback port.
    pub async fn start() -> Self {
        Self::start_secured(None).await
    }

    /// A sink on a free loopback port with `security` (`None`: plain SMTP, no login).
    pub async fn start_secured(security: Option<SinkSecurity>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let shared =
            Shared { accepted: Vec::new(), received: 0, behavior: SinkBehavior::default() };
        let mut sink = Self {
            addr: listener.local_addr().unwrap(),
            shared: Arc::new(Mutex::new(shared)),
            security,
            server: None,
        };
        sink.serve(listener);
        sink
    }

    fn serve(&mut self, listener: TcpListener) {
        let shared = self.shared.clone();
        let security = self.security.clone();
        self.server = Some(tokio::spawn(async move {
            let mut connections = JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let (shared, security) = (shared.clone(), security.clone());
                connections.spawn(async move {
                    let Some(mut session) = Session::open(stream, shared, security).await else {
                        return;
                    };
                    session.run().await;
                });
                while connections.try_join_next().is_some() {}
            }
        }));
    }

    /// Its address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Changes how it answers from now on.
    pub fn behave(&self, behavior: SinkBehavior) {
        self.shared.lock().unwrap().behavior = behavior;
    }

    /// Stops listening (and drops open connections): connections are refused.
    pub fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }

    /// Listens again on the same port.
    pub async fn restart(&mut self) {
        self.stop();
        let listener = loop {
            match TcpListener::bind(self.addr).await {
                Ok(l) => break l,
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        };
        self.serve(listener);
    }

    /// What it accepted so far.
    pub fn messages(&self) -> Vec<Received> {
        self.shared.lock().unwrap().accepted.clone()
    }

    /// Waits (up to `within`) until at least `n` messages were accepted; returns them all.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let got = self.messages();
            if got.len() >= n || tokio::time::Instant::now() >= deadline {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The messages accepted for `address`.
    pub fn messages_to(&self, address: &str) -> Vec<Received> {
        self.messages().into_iter().filter(|m| m.to.iter().any(|t| t == address)).collect()
    }

    /// The `n`th message (from 1) for `address`, waiting up to ten seconds for it.
    pub async fn nth_to(&self, address: &str, n: usize) -> Received {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let got = self.messages_to(address);
            if got.len() >= n {
                return got[n - 1].clone();
            }
            assert!(tokio::time::Instant::now() < deadline, "no message {n} to {address}");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

fn angle(arg: &str) -> String {
    let arg = arg.trim();
    let inner = arg.split_once('<').and_then(|(_, r)| r.split_once('>')).map(|(a, _)| a);
    inner.unwrap_or(arg).to_owned()
}

/// A connection, encrypted or not.
trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

/// One SMTP session (RFC 5321 §3): greeting, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, QUIT.
struct Session {
    io: BufReader<Box<dyn Stream>>,
    tls: bool,
    user: Option<String>,
    shared: Arc<Mutex<Shared>>,
    security: Option<SinkSecurity>,
}

impl Session {
    /// The session on `stream`, encrypted first when the sink speaks TLS from the first byte.
    async fn open(
        stream: tokio::net::TcpStream,
        shared: Arc<Mutex<Shared>>,
        security: Option<SinkSecurity>,
    ) -> Option<Self> {
        let implicit = security.as_ref().filter(|s| s.tls == SinkTls::Implicit);
        let (io, tls): (Box<dyn Stream>, bool) = match implicit.and_then(|s| s.acceptor.clone()) {
            Some(acceptor) => (Box::new(acceptor.accept(stream).await.ok()?), true),
            None => (Box::new(stream), false),
        };
        Some(Self { io: BufReader::new(io), tls, user: None, shared, security })
    }

    fn offers_starttls(&self) -> bool {
        !self.tls && self.security.as_ref().is_some_and(|s| s.tls == SinkTls::StartTls)
    }

    fn login(&self) -> Option<&(String, String)> {
        self.security.as_ref().and_then(|s| s.login.as_ref())
    }

    async fn reply(&mut self, text: &[u8]) -> bool {
        self.io.get_mut().write_all(text).await.is_ok() && self.io.get_mut().flush().await.is_ok()
    }

    async fn run(&mut self) {
        if !self.reply(b"220 sink.test ESMTP ready\r\n").await {
            return;
        }
        let (mut from, mut to) = (String::new(), Vec::new());
        let mut line = String::new();
        loop {
            line.clear();
            if self.io.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let command = line.trim_end().to_owned();
            let verb = command.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
            let reply: Vec<u8> = match verb.as_str() {
                "EHLO" => self.ehlo(),
                "HELO" | "NOOP" => b"250 OK\r\n".to_vec(),
                "STARTTLS" if self.offers_starttls() => {
                    if !self.reply(b"220 2.0.0 go ahead\r\n").await || !self.starttls().await {
                        return;
                    }
                    continue;
                }
                "AUTH" => self.auth(&command),
                "RSET" => {
                    (from, to) = (String::new(), Vec::new());
                    b"250 OK\r\n".to_vec()
                }
                "MAIL" if self.login().is_some() && self.user.is_none() => {
                    b"530 5.7.0 authentication required\r\n".to_vec()
                }
                "MAIL" => {
                    from = angle(command.split_once(':').map_or("", |(_, a)| a));
                    b"250 OK\r\n".to_vec()
                }
                "RCPT" => {
                    let address = angle(command.split_once(':').map_or("", |(_, a)| a));
                    let reject = self.shared.lock().unwrap().behavior.reject_prefix.clone();
                    if reject.is_some_and(|p| address.starts_with(&p)) {
                        b"550 5.1.1 no such mailbox\r\n".to_vec()
                    } else {
                        to.push(address);
                        b"250 OK\r\n".to_vec()
                    }
                }
                "DATA" => {
                    if !self.reply(b"354 end with <CRLF>.<CRLF>\r\n").await {
                        return;
                    }
                    let Some(data) = read_data(&mut self.io).await else { return };
                    let (tls, user) = (self.tls, self.user.clone());
                    let to = std::mem::take(&mut to);
                    let message = Received { from: from.clone(), to, data, tls, user };
                    match decide(&self.shared, message) {
                        Decision::Accept(hold) => {
                            if let Some(hold) = hold {
                                tokio::time::sleep(hold).await;
                            }
                            b"250 2.0.0 queued\r\n".to_vec()
                        }
                        Decision::TempFail => b"451 4.3.0 try again later\r\n".to_vec(),
                        Decision::Drop => return,
                    }
                }
                "QUIT" => {
                    self.reply(b"221 bye\r\n").await;
                    return;
                }
                _ => b"502 5.5.2 command not recognized\r\n".to_vec(),
            };
            if !self.reply(&reply).await {
                return;
            }
        }
    }

    /// The EHLO reply: `STARTTLS` while plain (when offered), `AUTH PLAIN` once encrypted
    /// (RFC 4954 §4: no password over a plain connection).
    fn ehlo(&self) -> Vec<u8> {
        let mut lines = vec!["sink.test", "8BITMIME"];
        if self.offers_starttls() {
            lines.push("STARTTLS");
        }
        if self.login().is_some() && self.tls {
            lines.push("AUTH PLAIN");
        }
        let last = lines.len() - 1;
        let text: String = lines
            .iter()
            .enumerate()
            .map(|(i, l)| format!("250{}{l}\r\n", if i == last { ' ' } else { '-' }))
            .collect();
        text.into_bytes()
    }

    /// RFC 3207 §4.2: after `220`, the TLS handshake on the same connection; what was said
    /// before it is forgotten.
    async fn starttls(&mut self) -> bool {
        let Some(acceptor) = self.security.as_ref().and_then(|s| s.acceptor.clone()) else {
            return false;
        };
        let placeholder: Box<dyn Stream> = Box::new(tokio::io::duplex(1).0);
        let plain = std::mem::replace(&mut self.io, BufReader::new(placeholder));
        match acceptor.accept(plain.into_inner()).await {
            Ok(tls) => {
                self.io = BufReader::new(Box::new(tls));
                self.tls = true;
                true
            }
            Err(_) => false,
        }
    }

    /// `AUTH PLAIN <base64 of authzid NUL user NUL password>` (RFC 4616).
    fn auth(&mut self, command: &str) -> Vec<u8> {
        use base64::Engine;
        let Some((user, password)) = self.login().cloned().filter(|_| self.tls) else {
            return b"503 5.5.1 AUTH not offered\r\n".to_vec();
        };
        let mut words = command.split_whitespace().skip(1);
        let (Some(mechanism), Some(response)) = (words.next(), words.next()) else {
            return b"501 5.5.4 AUTH PLAIN with an initial response only\r\n".to_vec();
        };
        let decoded =
            base64::engine::general_purpose::STANDARD.decode(response).unwrap_or_default();
        let parts: Vec<&[u8]> = decoded.split(|b| *b == 0).collect();
        let right = mechanism.eq_ignore_ascii_case("PLAIN")
            && parts.len() == 3
            && parts[1] == user.as_bytes()
            && parts[2] == password.as_bytes();
        if right {
            self.user = Some(user);
            b"235 2.7.0 authenticated\r\n".to_vec()
        } else {
            b"535 5.7.8 authentication credentials invalid\r\n".to_vec()
        }
    }
}

enum Decision {
    Accept(Option<Duration>),
    TempFail,
    Drop,
}

fn decide(shared: &Mutex<Shared>, message: Received) -> Decision {
    let mut shared = shared.lock().unwrap();
    shared.received += 1;
    let n = shared.received;
    let b = shared.behavior.clone();
    if b.temp_fail_all || b.temp_fail_every.is_some_and(|k| n.is_multiple_of(k)) {
        return Decision::TempFail;
    }
    if b.drop_every.is_some_and(|k| n.is_multiple_of(k)) {
        return Decision::Drop;
    }
    shared.accepted.push(message);
    Decision::Accept(b.hold_reply)
}

/// The message after `DATA`, up to the line with a single dot, dot-unstuffed (RFC 5321 §4.5.2).
async fn read_data(lines: &mut BufReader<Box<dyn Stream>>) -> Option<String> {
    let mut data = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        if line == ".\r\n" || line == ".\n" {
            return Some(data);
        }
        data.push_str(line.strip_prefix('.').unwrap_or(&line));
    }
}
