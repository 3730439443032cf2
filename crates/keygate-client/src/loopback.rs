//! Native-app sign-in per RFC 8252: the system browser (§4, §6) and a loopback redirect on
//! an ephemeral port (§7.3, §8.3).
//!
//! [`LoopbackLogin::start`] binds `127.0.0.1:0`, builds the authorization request with the
//! redirect URI `http://127.0.0.1:{port}/callback` (the provider matches any port for a
//! registered `http://127.0.0.1/callback`, §7.3), and [`LoopbackLogin::wait`] serves HTTP/1.1
//! on it until exactly one response with this sign-in's `state` arrives (others, like
//! `/favicon.ico` or a stale tab, get 404 or 400), answers the browser with a small page, closes
//! the port and exchanges the code.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use url::Url;

use crate::authorization::{AuthorizationRequest, AuthorizationResponse};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::step_up::StepUp;
use crate::tokens::Tokens;

/// The path of the redirect URI.
pub const CALLBACK_PATH: &str = "/callback";
/// How long a sign-in may take by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);
/// The longest request head the listener reads.
const MAX_HEAD: usize = 16 * 1024;
/// How long one connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// What to ask for in a loopback sign-in.
#[derive(Debug, Clone)]
pub struct LoginOptions {
    /// The scope, e.g. `openid profile offline_access`.
    pub scope: String,
    /// RFC 8707 `resource` values: the APIs the access token is for.
    pub resources: Vec<String>,
    /// How long to wait for the browser to come back.
    pub timeout: Duration,
    /// What the authentication must be (RFC 9470 §4: `acr_values`, `max_age`), e.g. from an
    /// API's step-up challenge ([`StepUp::from_challenge`]).
    pub step_up: StepUp,
    /// Push the request to the provider first (RFC 9126), so the browser carries only a
    /// reference to it. Done anyway when the provider requires it
    /// (`require_pushed_authorization_requests`).
    pub pushed: bool,
}

impl Default for LoginOptions {
    fn default() -> Self {
        Self {
            scope: "openid profile email offline_access".to_owned(),
            resources: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            step_up: StepUp::default(),
            pushed: false,
        }
    }
}

/// A sign-in waiting for the browser's redirect to the loopback address.
pub struct LoopbackLogin {
    client: Client,
    listener: TcpListener,
    request: AuthorizationRequest,
    timeout: Duration,
}

impl std::fmt::Debug for LoopbackLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoopbackLogin").field("request", &self.request).finish_non_exhaustive()
    }
}

impl LoopbackLogin {
    /// Listens on `127.0.0.1` on a port the system picks (RFC 8252 §7.3: the loopback IP
    /// literal, not `localhost`, §8.3) and prepares the authorization request.
    pub async fn start(client: &Client, options: LoginOptions) -> Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let port = listener.local_addr()?.port();
        let redirect_uri = format!("http://127.0.0.1:{port}{CALLBACK_PATH}");
        let request = client.authorization_request_with(
            &redirect_uri,
            &options.scope,
            &options.resources,
            &options.step_up,
        )?;
        let request = if options.pushed || client.metadata().require_pushed_authorization_requests {
            client.push_authorization_request(request).await?
        } else {
            request
        };
        Ok(Self { client: client.clone(), listener, request, timeout: options.timeout })
    }

    /// The URL to open in the browser (or to print, for `--no-browser`).
    pub fn authorization_url(&self) -> &Url {
        self.request.url()
    }

    /// The redirect URI, `http://127.0.0.1:{port}/callback`.
    pub fn redirect_uri(&self) -> &str {
        self.request.redirect_uri()
    }

    /// Opens the authorization URL in the system browser (RFC 8252 §6: an external user
    /// agent, never an embedded one).
    pub fn open_browser(&self) -> Result<()> {
        open_browser(self.authorization_url())
    }

    /// Waits for the redirect (at most the timeout), then checks it and exchanges the code
    /// (see [`Client::finish_authorization`]).
    pub async fn wait(self) -> Result<Tokens> {
        let response = self.receive().await?;
        self.client.finish_authorization(&self.request, &response).await
    }

    /// Serves the loopback port until one response with this sign-in's `state` arrives.
    async fn receive(&self) -> Result<AuthorizationResponse> {
        let (tx, mut rx) = mpsc::channel::<AuthorizationResponse>(1);
        let claimed = Arc::new(AtomicBool::new(false));
        let deadline = tokio::time::sleep(self.timeout);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                () = &mut deadline => {
                    return Err(Error::TimedOut(format!(
                        "no answer came back to {} within {} s; run the login again",
                        self.redirect_uri(),
                        self.timeout.as_secs()
                    )));
                }
                Some(response) = rx.recv() => return Ok(response),
                accepted = self.listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let connection = Connection {
                        request: self.request.clone(),
                        claimed: claimed.clone(),
                        tx: tx.clone(),
                    };
                    tokio::spawn(connection.serve(stream));
                }
            }
        }
    }
}

/// Opens `url` in the system browser.
pub fn open_browser(url: &Url) -> Result<()> {
    webbrowser::open(url.as_str())
        .map_err(|e| Error::Io(std::io::Error::other(format!("could not open a browser: {e}"))))
}

/// One connection to the loopback port.
struct Connection {
    request: AuthorizationRequest,
    claimed: Arc<AtomicBool>,
    tx: mpsc::Sender<AuthorizationResponse>,
}

impl Connection {
    async fn serve(self, mut stream: TcpStream) {
        let head = match tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await {
            Ok(Ok(head)) => head,
            _ => return,
        };
        let (status, page, response) = self.answer(&head);
        let _ = write_page(&mut stream, status, &page).await;
        if let Some(response) = response {
            let _ = self.tx.send(response).await;
        }
    }

    /// The status and page for a request, and the response if it is the one awaited.
    fn answer(&self, head: &str) -> (&'static str, String, Option<AuthorizationResponse>) {
        let mut parts = head.lines().next().unwrap_or("").split(' ');
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let url = Url::parse("http://127.0.0.1").and_then(|base| base.join(target));
        let url = match url {
            Ok(url) if method == "GET" && url.path() == CALLBACK_PATH => url,
            _ => return ("404 Not Found", page("Not found", "Nothing here."), None),
        };
        let response = AuthorizationResponse::from_url(&url);
        if !self.request.is_own_state(response.state.as_deref()) {
            let text = "This answer does not belong to the sign-in in progress. \
                        Start again from your terminal.";
            return ("400 Bad Request", page("Sign-in not recognized", text), None);
        }
        // Exactly one response per sign-in: a second one (a reload, a replay) is turned away.
        if self.claimed.swap(true, Ordering::SeqCst) {
            let text = "This sign-in has already been answered. You can close this window.";
            return ("409 Conflict", page("Already answered", text), None);
        }
        let page = match &response.error {
            None => page(
                "Signed in",
                "You are signed in. You can close this window and return to your terminal.",
            ),
            Some(error) => page(
                "Sign-in failed",
                &format!(
                    "The sign-in did not complete ({}{}). You can close this window.",
                    error,
                    response
                        .error_description
                        .as_deref()
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default()
                ),
            ),
        };
        ("200 OK", page, Some(response))
    }
}

/// Reads the request line and headers (the body, if any, is not needed).
async fn read_head(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await?;
        if n == 0 || buf.len() + n > MAX_HEAD {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

async fn write_page(stream: &mut TcpStream, status: &str, body: &str) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\n\
         Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}

/// A small self-contained page (no scripts, no external resources).
fn page(title: &str, text: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta name=\"viewport\" content=\"width=device-width\"><style>body{{font-family:system-ui,\
         sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}}h1{{font-size:1.4rem}}\
         </style></head><body><h1>{title}</h1><p>{}</p></body></html>",
        escape(text),
        title = escape(title)
    )
}

/// HTML-escapes text (the error description comes from the query string).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_escape_what_the_query_said() {
        let html = page("Sign-in failed", "<script>alert(1)</script>");
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
    }
}
