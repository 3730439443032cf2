//! Request ids: every request gets an `x-request-id` (a sane one sent by a proxy is kept), it is
//! echoed in the response, and every log line of the request carries it. Logged request lines
//! show the method and the path only: query strings can hold codes and tokens.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The header.
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Whether an incoming id is short and plain enough to log as is.
fn is_sane(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 64
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(b))
}

tokio::task_local! {
    /// The id of the request being handled, for pages that show it.
    static CURRENT: String;
}

/// Middleware, the outermost: keeps a sane incoming `x-request-id` or puts a fresh random one
/// in its place, handles the request in a span that carries it (with the method and the path,
/// never the query) and with it available to [`current`], echoes it in the response, and logs
/// a server error's status. One layer, where there were five (issue 22's profile: each layer
/// is a boxed future and a state clone on every request).
pub async fn track(mut request: Request, next: Next) -> Response {
    let id = match request.headers().get(X_REQUEST_ID).filter(|v| is_sane(v)) {
        Some(id) => id.clone(),
        None => {
            let fresh = HeaderValue::from_str(&keygate_core::secret::random_string(12))
                .unwrap_or(HeaderValue::from_static("-"));
            request.headers_mut().insert(X_REQUEST_ID, fresh.clone());
            fresh
        }
    };
    let text = id.to_str().unwrap_or("-").to_owned();
    let span = tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %text,
    );
    // A duration for the log, not protocol time: the injected clock does not apply.
    #[allow(clippy::disallowed_methods)]
    let started = std::time::Instant::now();
    let mut response = CURRENT.scope(text, next.run(request)).instrument(span.clone()).await;
    let status = response.status();
    if status.is_server_error() {
        let latency_ms = started.elapsed().as_millis();
        span.in_scope(|| tracing::error!(status = status.as_u16(), latency_ms, "response failed"));
    }
    response.headers_mut().entry(X_REQUEST_ID).or_insert(id);
    response
}

/// The id of the request being handled (what error pages show as a reference for support).
pub fn current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}
