//! An SMTP sink: a real SMTP server on a loopback port (RFC 5321, no TLS) that keeps what it
//! accepts, for tests to read messages and follow their links. It can also misbehave as mail
//! servers do: refuse for now (451), refuse for good (550), drop the connection after the
//! message, hold its reply, or be down.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// A message the sink accepted (it answered, or was about to answer, `250` after `DATA`).
#[derive(Debug, Clone)]
pub struct Received {
    /// `MAIL FROM`.
    pub from: String,
    /// `RCPT TO`s.
    pub to: Vec<String>,
    /// The message as sent (headers and body), dot-unstuffed.
    pub data: String,
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

struct Shared {
    accepted: Vec<Received>,
    received: u32,
    behavior: SinkBehavior,
}

/// The running sink.
pub struct SmtpSink {
    addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

impl SmtpSink {
    /// A sink on a free loopback port.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let shared =
            Shared { accepted: Vec::new(), received: 0, behavior: SinkBehavior::default() };
        let mut sink = Self {
            addr: listener.local_addr().unwrap(),
            shared: Arc::new(Mutex::new(shared)),
            server: None,
        };
        sink.serve(listener);
        sink
    }

    fn serve(&mut self, listener: TcpListener) {
        let shared = self.shared.clone();
        self.server = Some(tokio::spawn(async move {
            let mut connections = JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                connections.spawn(session(stream, shared.clone()));
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

/// One SMTP session (RFC 5321 §3): greeting, EHLO, MAIL, RCPT, DATA, QUIT.
async fn session(stream: TcpStream, shared: Arc<Mutex<Shared>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let _ = write.write_all(b"220 sink.test ESMTP ready\r\n").await;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_owned();
        let verb = command.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink.test\r\n250 8BITMIME\r\n",
            "HELO" | "NOOP" => b"250 OK\r\n",
            "RSET" => {
                (from, to) = (String::new(), Vec::new());
                b"250 OK\r\n"
            }
            "MAIL" => {
                from = angle(command.split_once(':').map_or("", |(_, a)| a));
                b"250 OK\r\n"
            }
            "RCPT" => {
                let address = angle(command.split_once(':').map_or("", |(_, a)| a));
                let reject = shared.lock().unwrap().behavior.reject_prefix.clone();
                if reject.is_some_and(|p| address.starts_with(&p)) {
                    b"550 5.1.1 no such mailbox\r\n"
                } else {
                    to.push(address);
                    b"250 OK\r\n"
                }
            }
            "DATA" => {
                let _ = write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await;
                let Some(data) = read_data(&mut lines).await else { return };
                let message = Received { from: from.clone(), to: std::mem::take(&mut to), data };
                match decide(&shared, message) {
                    Decision::Accept(hold) => {
                        if let Some(hold) = hold {
                            tokio::time::sleep(hold).await;
                        }
                        b"250 2.0.0 queued\r\n"
                    }
                    Decision::TempFail => b"451 4.3.0 try again later\r\n",
                    Decision::Drop => return,
                }
            }
            "QUIT" => {
                let _ = write.write_all(b"221 bye\r\n").await;
                return;
            }
            _ => b"502 5.5.2 command not recognized\r\n",
        };
        if write.write_all(reply).await.is_err() {
            return;
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
async fn read_data(lines: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> Option<String> {
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
