//! HTTP helpers that speak OAuth over real sockets.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::TestApp;

/// How a request authenticates its client.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    /// No client authentication.
    None,
    /// HTTP Basic with form-urlencoded id and secret (RFC 6749 §2.3.1).
    Basic(&'a str, &'a str),
    /// `client_id` and `client_secret` in the body.
    Post(&'a str, &'a str),
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    /// The body as JSON (`Null` if it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts an OAuth error response: status, `error` code, and `no-store`.
    #[track_caller]
    pub fn assert_oauth_error(&self, status: u16, error: &str) -> &Self {
        assert_eq!(self.status.as_u16(), status, "status; body: {}", self.body);
        assert_eq!(self.json()["error"], error, "error code; body: {}", self.body);
        assert_eq!(self.header("cache-control"), Some("no-store"));
        self
    }

    /// Asserts a 200 and returns the JSON body.
    #[track_caller]
    pub fn assert_ok(&self) -> Value {
        assert_eq!(self.status, StatusCode::OK, "body: {}", self.body);
        self.json()
    }
}

/// `application/x-www-form-urlencoded` encoding of one value (also used inside Basic
/// credentials, RFC 6749 §2.3.1).
fn url_encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The `Authorization: Basic` value for a client.
pub fn basic(client_id: &str, secret: &str) -> String {
    let pair = format!("{}:{}", url_encode(client_id), url_encode(secret));
    format!("Basic {}", STANDARD.encode(pair))
}

impl TestApp {
    /// POSTs a form to `path` with the given client authentication.
    pub async fn post_form(&self, path: &str, auth: Auth<'_>, form: &[(&str, &str)]) -> Reply {
        let mut pairs: Vec<(&str, &str)> = form.to_vec();
        let mut req = self.http.post(self.url(path));
        match auth {
            Auth::None => {}
            Auth::Basic(id, secret) => req = req.header("authorization", basic(id, secret)),
            Auth::Post(id, secret) => {
                pairs.push(("client_id", id));
                pairs.push(("client_secret", secret));
            }
        }
        let body: Vec<String> =
            pairs.iter().map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v))).collect();
        let req =
            req.header("content-type", "application/x-www-form-urlencoded").body(body.join("&"));
        read(req.send().await.expect("request")).await
    }

    /// GETs `path`.
    pub async fn get(&self, path: &str) -> Reply {
        read(self.http.get(self.url(path)).send().await.expect("request")).await
    }

    /// A client credentials token for `client`; panics unless it is issued.
    pub async fn cc_token(&self, id: &str, secret: &str, extra: &[(&str, &str)]) -> String {
        let mut form = vec![("grant_type", "client_credentials")];
        form.extend_from_slice(extra);
        let reply = self.post_form("/token", Auth::Basic(id, secret), &form).await;
        reply.assert_ok()["access_token"].as_str().expect("access_token").to_owned()
    }
}

pub(crate) async fn read(resp: reqwest::Response) -> Reply {
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.text().await.expect("body");
    Reply { status, headers, body }
}

impl TestApp {
    /// A client credentials token for the admin API with `scopes` (from a new M2M client).
    pub async fn admin_token(&self, scopes: &[&str]) -> String {
        let audience = keygate_core::admin::admin_audience(&self.issuer);
        let (id, secret) = self.m2m_client(scopes, &[audience.as_str()]).await;
        self.cc_token(&id, &secret, &[]).await
    }

    /// Calls the admin API: `method` on `/admin/api/v1{path}` with a bearer token and an
    /// optional JSON body and extra headers.
    pub async fn admin_call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = self.http.request(method, self.url(&format!("/admin/api/v1{path}")));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        read(req.send().await.expect("request")).await
    }
}
