//! The authorization endpoint (RFC 6749 §3.1: GET, and POST per OIDC Core §3.1.2.1).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use keygate_core::authorize::{BrowserCookies, Next};
use keygate_core::{Params, Secret};

use crate::extract::read_page_form;
use crate::state::AppState;
use crate::ui::{cookies, error_page, next_response};

/// `GET /authorize`.
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let params = Params::parse(query.unwrap_or_default().as_bytes());
    run(state, headers, params).await
}

/// `POST /authorize` with a form body.
pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    match read_page_form(&headers, &body) {
        Some(params) => run(state, headers, params).await,
        None => error_page(
            &state,
            axum::http::StatusCode::BAD_REQUEST,
            "This request cannot be completed",
            "An authorization request sent by POST must be a form.",
        ),
    }
}

async fn run(state: AppState, headers: HeaderMap, params: Params) -> Response {
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
