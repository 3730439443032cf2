//! Request ids: every request gets an `x-request-id` (a sane one sent by a proxy is kept), it is
//! echoed in the response, and every log line of the request carries it. Logged request lines
//! show the method and the path only: query strings can hold codes and tokens.

use axum::http::{HeaderName, HeaderValue, Request};
use tower_http::request_id::{MakeRequestId, RequestId};
use tracing::Span;

/// The header.
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Makes random ids.
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomId;

impl MakeRequestId for RandomId {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let id = keygate_core::secret::random_string(12);
        HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

/// Whether an incoming id is short and plain enough to log as is.
fn is_sane(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 64
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(b))
}

/// The span of one request: method, path and request id.
pub fn span<B>(request: &Request<B>) -> Span {
    let id = request
        .headers()
        .get(X_REQUEST_ID)
        .filter(|v| is_sane(v))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
    )
}

/// Drops an incoming id that is not [`is_sane`], so that a fresh one is made in its place.
pub fn drop_insane<B>(mut request: Request<B>) -> Request<B> {
    if request.headers().get(X_REQUEST_ID).is_some_and(|v| !is_sane(v)) {
        request.headers_mut().remove(X_REQUEST_ID);
    }
    request
}

tokio::task_local! {
    /// The id of the request being handled, for pages that show it.
    static CURRENT: String;
}

/// Middleware (inside the layer that sets the id): makes the request id available to
/// [`current`] while the request is handled.
pub async fn scope(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let id = request
        .headers()
        .get(X_REQUEST_ID)
        .filter(|v| is_sane(v))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    CURRENT.scope(id, next.run(request)).await
}

/// The id of the request being handled (what error pages show as a reference for support).
pub fn current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}
