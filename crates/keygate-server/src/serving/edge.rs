//! What is settled once per request before any handler runs: who the client is (through
//! trusted proxies) and, on the way out, HSTS.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use super::ServingState;
use super::proxy::{ClientAddr, Scheme, client_addr};

/// RFC 6797 §6.1.
const STRICT_TRANSPORT_SECURITY: HeaderName = HeaderName::from_static("strict-transport-security");

/// The `Strict-Transport-Security` value for an issuer: only an https issuer asks browsers to
/// insist on https (RFC 6797 §7.2: never over plain http).
pub fn hsts_header(issuer: &str, max_age: u32) -> Option<HeaderValue> {
    issuer
        .starts_with("https://")
        .then(|| HeaderValue::from_str(&format!("max-age={max_age}")).ok())
        .flatten()
}

/// Middleware: puts the request's [`ClientAddr`] in its extensions, and adds HSTS to the
/// response unless a trusted proxy said the client came over plain http.
pub async fn edge(
    State(serving): State<Arc<ServingState>>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let client = peer.map(|peer| client_addr(peer, req.headers(), &serving.trusted_proxies));
    if let Some(client) = client {
        req.extensions_mut().insert(client);
    }
    let mut response = next.run(req).await;
    let plain_http = client.is_some_and(|c| c.scheme == Some(Scheme::Http));
    if let Some(value) = serving.hsts.as_ref().filter(|_| !plain_http) {
        response.headers_mut().insert(STRICT_TRANSPORT_SECURITY, value.clone());
    }
    response
}

/// The client's IP address: from [`edge`], else the TCP peer.
pub fn client_ip(extensions: &Extensions) -> Option<IpAddr> {
    extensions
        .get::<ClientAddr>()
        .map(|c| c.ip)
        .or_else(|| extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()))
}

/// Extractor: the client's IP address, for throttling and the audit log. Use it instead of
/// `ConnectInfo`, which is the proxy's address behind a proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = (StatusCode, &'static str);

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        client_ip(&parts.extensions)
            .map(ClientIp)
            .ok_or((StatusCode::INTERNAL_SERVER_ERROR, "the client address is unknown"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6797_7_2_hsts_only_for_an_https_issuer() {
        let value = hsts_header("https://id.example.com", 31_536_000);
        assert_eq!(value, Some(HeaderValue::from_static("max-age=31536000")));
        assert_eq!(hsts_header("http://localhost:8080", 31_536_000), None);
    }
}
