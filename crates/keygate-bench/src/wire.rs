//! The measured loop's HTTP/1.1 client: one keep-alive connection per worker, requests written
//! as bytes and responses read with `httparse`, nothing else (no pool task, no cookie jar, no
//! redirect policy). The load generator shares the machine's cores with the server, so every
//! microsecond it spends is one the server does not get; `reqwest` cost about as much CPU per
//! request as Keygate's own work for a refresh. Set-up (sign-in through the provider's pages)
//! still uses `reqwest`.

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A response: the status, the headers the scenarios read, and the body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub location: Option<String>,
    /// `name=value` of each `Set-Cookie`.
    pub cookies: Vec<String>,
    pub body: Vec<u8>,
}

/// One keep-alive connection to a plain-HTTP server.
pub struct Conn {
    host: String,
    stream: Option<TcpStream>,
    buf: Vec<u8>,
    request: Vec<u8>,
    /// Whether any byte of a response came in this attempt.
    received: bool,
}

/// A request's target and extra header lines (`Name: value`).
pub struct Request<'a> {
    pub method: &'a str,
    pub target: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
}

const MAX_HEADERS: usize = 32;

impl Conn {
    /// A connection to the host and port of `url` (http only: the bench runs on loopback).
    pub fn new(url: &url::Url) -> anyhow::Result<Self> {
        if url.scheme() != "http" {
            bail!("the measured loop speaks plain HTTP to a local server, not {url}");
        }
        let host = url.host_str().context("no host")?;
        let port = url.port_or_known_default().context("no port")?;
        Ok(Conn {
            host: format!("{host}:{port}"),
            stream: None,
            buf: Vec::with_capacity(8192),
            request: Vec::with_capacity(1024),
            received: false,
        })
    }

    /// Sends `req` and reads the whole response. A connection the server closed between
    /// requests (the write fails, or it ends before any byte of a response) is opened again
    /// once; one that ends within a response is an error, since the request may have been
    /// carried out (a refresh token rotated).
    pub async fn send(&mut self, req: &Request<'_>) -> anyhow::Result<Reply> {
        self.encode(req);
        for attempt in 0..2 {
            if self.stream.is_none() {
                let stream = TcpStream::connect(&self.host).await?;
                stream.set_nodelay(true)?;
                self.stream = Some(stream);
                self.buf.clear();
            }
            match self.round_trip().await {
                Ok(reply) => return Ok(reply),
                Err(_) if attempt == 0 && !self.received => {
                    // Closed before any byte of a response: a stale keep-alive connection.
                    self.stream = None;
                }
                Err(e) => return Err(e),
            }
        }
        bail!("no response from {}", self.host)
    }

    fn encode(&mut self, req: &Request<'_>) {
        let r = &mut self.request;
        r.clear();
        for part in [req.method, " ", req.target, " HTTP/1.1\r\nHost: ", &self.host, "\r\n"] {
            r.extend_from_slice(part.as_bytes());
        }
        for (name, value) in req.headers {
            for part in [*name, ": ", *value, "\r\n"] {
                r.extend_from_slice(part.as_bytes());
            }
        }
        if !req.body.is_empty() || req.method == "POST" {
            r.extend_from_slice(format!("Content-Length: {}\r\n", req.body.len()).as_bytes());
        }
        r.extend_from_slice(b"\r\n");
        r.extend_from_slice(req.body);
    }

    async fn round_trip(&mut self) -> anyhow::Result<Reply> {
        self.received = false;
        let stream = self.stream.as_mut().context("not connected")?;
        stream.write_all(&self.request).await?;
        let (mut reply, framing) = loop {
            match parse_head(&self.buf)? {
                // An interim response (RFC 9112 §4): the final one follows.
                Some((len, head, _)) if (100..200).contains(&head.status) => {
                    self.buf.drain(..len);
                }
                Some((len, head, framing)) => {
                    self.buf.drain(..len);
                    break (head, framing);
                }
                None => {
                    read_more(stream, &mut self.buf).await?;
                    self.received = true;
                }
            }
        };
        let keep = match framing {
            Framing::Length(n) => {
                while self.buf.len() < n {
                    read_more(stream, &mut self.buf).await?;
                }
                reply.body = self.buf.drain(..n).collect();
                true
            }
            Framing::Chunked => {
                reply.body = read_chunked(stream, &mut self.buf).await?;
                true
            }
            Framing::Close => {
                while stream.read_buf(&mut self.buf).await? > 0 {}
                reply.body = std::mem::take(&mut self.buf);
                false
            }
        };
        if !keep || reply.closes {
            self.stream = None;
        }
        Ok(reply.into())
    }
}

/// How the body ends (RFC 9112 §6.3).
enum Framing {
    Length(usize),
    Chunked,
    Close,
}

/// A parsed head, before its body is read.
struct Head {
    status: u16,
    location: Option<String>,
    cookies: Vec<String>,
    body: Vec<u8>,
    closes: bool,
}

impl From<Head> for Reply {
    fn from(h: Head) -> Self {
        Reply { status: h.status, location: h.location, cookies: h.cookies, body: h.body }
    }
}

fn parse_head(buf: &[u8]) -> anyhow::Result<Option<(usize, Head, Framing)>> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let len = match response.parse(buf)? {
        httparse::Status::Complete(len) => len,
        httparse::Status::Partial => return Ok(None),
    };
    let mut head = Head {
        status: response.code.context("no status")?,
        location: None,
        cookies: Vec::new(),
        body: Vec::new(),
        closes: false,
    };
    // HTTP/1.0 closes unless asked not to; this client never asks (RFC 9112 §9.3).
    head.closes = response.version == Some(0);
    let (mut length, mut chunked) = (None, false);
    for h in response.headers.iter() {
        let value = std::str::from_utf8(h.value)?;
        if h.name.eq_ignore_ascii_case("content-length") {
            length = Some(value.trim().parse()?);
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = true;
        } else if h.name.eq_ignore_ascii_case("location") {
            head.location = Some(value.to_owned());
        } else if h.name.eq_ignore_ascii_case("set-cookie") {
            head.cookies.push(value.split(';').next().unwrap_or_default().trim().to_owned());
        } else if h.name.eq_ignore_ascii_case("connection") {
            head.closes |= value.split(',').any(|o| o.trim().eq_ignore_ascii_case("close"));
        }
    }
    // RFC 9112 §6.3: no body for 1xx, 204 and 304; Transfer-Encoding wins over Content-Length.
    let framing = if head.status == 204 || head.status == 304 || (100..200).contains(&head.status) {
        Framing::Length(0)
    } else if chunked {
        Framing::Chunked
    } else {
        length.map_or(Framing::Close, Framing::Length)
    };
    Ok(Some((len, head, framing)))
}

async fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) -> anyhow::Result<()> {
    buf.reserve(8192);
    if stream.read_buf(buf).await? == 0 {
        bail!("the server closed the connection");
    }
    Ok(())
}

/// A chunked body (RFC 9112 §7.1), trailers ignored.
async fn read_chunked(stream: &mut TcpStream, buf: &mut Vec<u8>) -> anyhow::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(i) = buf.windows(2).position(|w| w == b"\r\n") {
                break i;
            }
            read_more(stream, buf).await?;
        };
        let size_text = std::str::from_utf8(&buf[..line_end])?;
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)?;
        buf.drain(..line_end + 2);
        if size == 0 {
            // Trailers, then the empty line.
            loop {
                if let Some(i) = buf.windows(2).position(|w| w == b"\r\n") {
                    buf.drain(..i + 2);
                    if i == 0 {
                        return Ok(body);
                    }
                    continue;
                }
                read_more(stream, buf).await?;
            }
        }
        while buf.len() < size + 2 {
            read_more(stream, buf).await?;
        }
        body.extend_from_slice(&buf[..size]);
        buf.drain(..size + 2);
    }
}
