//! The authorization endpoint (RFC 6749 §3.1: GET, and POST per OIDC Core §3.1.2.1).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use keygate_core::Secret;
use keygate_core::authorize::{BrowserCookies, Next};

use crate::extract::RequestParams;
use crate::state::AppState;
use crate::ui::{cookies, next_response};

/// `GET` and `POST /authorize`.
pub async fn handle(
    State(state): State<AppState>,
    headers: HeaderMap,
    RequestParams(params): RequestParams,
) -> Response {
    run(state, headers, params).await
}

async fn run(state: AppState, headers: HeaderMap, params: keygate_core::Params) -> Response {
    let existing = cookies::read(&headers, state.cookies.browser).map(str::to_owned);
    let fresh = existing.is_none().then(|| Secret::generate(32));
    let browser = existing.as_deref().or(fresh.as_ref().map(Secret::expose_secret));
    let session = cookies::read(&headers, state.cookies.session);
    let next = state.provider.authorize(&params, BrowserCookies { session, browser }).await;
    let needs_binding = matches!(next, Ok(Next::Login(_) | Next::Consent(_)));
    let mut response = next_response(&state, next);
    if let (true, Some(fresh)) = (needs_binding, fresh) {
        let set = state.cookies.set(state.cookies.browser, fresh.expose_secret(), None);
        cookies::append(&mut response, &set);
    }
    response
}
