//! The admin REST API under `/admin/api/v1`: JSON, protected by Keygate's own access tokens
//! (audience `{issuer}/admin/api`, scopes `admin:read` / `admin:write`), RFC 9457 problems,
//! cursor pagination, ETags with `If-Match` against lost updates, and an OpenAPI 3.1 document at
//! `/admin/api/openapi.json` generated from the handlers below.

pub mod auth;
pub mod problem;
pub mod views;

mod apis;
mod clients;
pub mod documents;
pub mod factors;
mod keys;
mod mail;
mod upstreams;
mod users;

use axum::Json;
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use problem::Problem;
use views::{Page, Paging};

/// Where the API lives, under the issuer.
pub const BASE: &str = "/admin/api/v1";
/// Where its OpenAPI document is served, under the issuer.
pub const OPENAPI_PATH: &str = "/admin/api/openapi.json";

#[derive(OpenApi)]
#[openapi(
    info(title = "Keygate admin API", version = "1",
        description = "Applications, APIs, users, keys and the audit log. Calls need a Keygate \
            access token for the audience `{issuer}/admin/api` with `admin:read` or `admin:write`; \
            automation gets one with the client credentials grant."),
    modifiers(&BearerAuth),
    tags((name = "clients"), (name = "apis"), (name = "users"), (name = "upstreams"), (name = "keys"), (name = "audit"), (name = "mail"))
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build();
        openapi
            .components
            .get_or_insert_default()
            .add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// The admin API's routes (relative to the issuer path) and its OpenAPI document.
pub fn router(state: AppState) -> (Router<AppState>, String) {
    let issuer = state.provider.issuer().to_owned();
    let api = OpenApiRouter::new()
        .routes(routes!(clients::list, clients::create))
        .routes(routes!(clients::get, clients::patch, clients::delete))
        .routes(routes!(clients::rotate_secret))
        .routes(routes!(documents::list))
        .routes(routes!(documents::blocks, documents::block))
        .routes(routes!(documents::unblock))
        .routes(routes!(apis::list, apis::create))
        .routes(routes!(apis::get, apis::patch, apis::delete))
        .routes(routes!(apis::put_grant, apis::delete_grant))
        .routes(routes!(apis::create_credentials))
        .routes(routes!(apis::delete_credentials))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::get, users::patch, users::delete))
        .routes(routes!(users::set_password))
        .routes(routes!(users::sessions))
        .routes(routes!(users::end_session))
        .routes(routes!(users::consents))
        .routes(routes!(users::revoke_consent))
        .routes(routes!(factors::get, factors::delete))
        .routes(routes!(upstreams::list, upstreams::create))
        .routes(routes!(upstreams::get, upstreams::patch, upstreams::delete))
        .routes(routes!(upstreams::identities))
        .routes(routes!(upstreams::unlink))
        .routes(routes!(keys::list))
        .routes(routes!(keys::rotate))
        .routes(routes!(keys::audit))
        .routes(routes!(keys::signins))
        .routes(routes!(mail::list))
        .routes(routes!(mail::test))
        .routes(routes!(mail::get))
        .routes(routes!(mail::resend))
        .routes(routes!(mail::reset_link))
        .routes(routes!(mail::verification_link))
        .routes(routes!(mail::invitation));
    let (router, mut doc) =
        OpenApiRouter::with_openapi(ApiDoc::openapi()).nest(BASE, api).split_for_parts();
    let router = router.layer(axum::middleware::from_fn_with_state(state, sync_after_write));
    doc.servers = Some(vec![utoipa::openapi::Server::new(issuer)]);
    let json = doc.to_pretty_json().unwrap_or_else(|_| "{}".to_owned());
    (router, json)
}

/// After a change (admin API or console), this node drops its caches at once rather than at the
/// next poll, so the caller's next request (token, authorize, the next page) sees the change.
pub async fn sync_after_write(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let write = request.method() != axum::http::Method::GET;
    let response = next.run(request).await;
    let done = response.status().is_success() || response.status().is_redirection();
    if write && done {
        // An admin change may revoke grants it does not list (a user's, a client's).
        state.provider.revocation_watch().forget_checks();
        if let Err(e) = state.provider.sync().await {
            tracing::warn!(error = %e, "could not refresh caches after an admin change");
        }
    }
    response
}

/// Ends one of a user's sessions for an administrator (API or console): the session's online
/// grants are revoked, clients with back-channel logout are told, and the end is audited.
pub async fn end_user_session(
    state: &AppState,
    admin: &keygate_core::admin::Admin<'_>,
    user_id: &str,
    sid: &str,
) -> Result<(), keygate_core::admin::AdminError> {
    let session = admin.user_session(user_id, sid).await?;
    let notices = state.provider.end_session(&session).await?;
    tokio::spawn(crate::oauth::logout::deliver(state.http.clone(), notices));
    admin.record_session_end(user_id, sid).await
}

/// A JSON response with a strong ETag of its body (RFC 9110 §8.8.3).
pub fn with_etag<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let etag = etag_of(body);
    let mut response = (status, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// 201 Created with `Location` (RFC 9110 §10.2.2) and an ETag.
pub fn created<T: Serialize>(state: &AppState, path: &str, body: &T) -> Response {
    let mut response = with_etag(StatusCode::CREATED, body);
    let location = format!("{}{BASE}/{path}", state.provider.issuer());
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    no_store(response)
}

/// Marks a response that carries a secret as not to be stored.
pub fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The ETag of a representation: a quoted prefix of the SHA-256 of its JSON.
pub fn etag_of<T: Serialize>(body: &T) -> String {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &bytes);
    let hex: String = digest.as_ref()[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// RFC 9110 §13.1.1: with `If-Match`, the change goes ahead only if the current representation
/// has one of the listed ETags (or the header is `*`); else 412 Precondition Failed.
pub fn check_if_match<T: Serialize>(headers: &HeaderMap, current: &T) -> Result<(), Problem> {
    let Some(value) = headers.get(header::IF_MATCH) else { return Ok(()) };
    let value = value.to_str().unwrap_or_default();
    let etag = etag_of(current);
    if value.trim() == "*" || value.split(',').any(|tag| tag.trim() == etag) {
        return Ok(());
    }
    Err(Problem::new(
        StatusCode::PRECONDITION_FAILED,
        "it changed since you read it: read it again, then reapply your change",
    ))
}

/// Keyset paging over a query that fetched `limit + 1` rows: keeps `limit` and returns the
/// cursor of the next page (the last kept row's key) if there is one.
pub fn next_page<T>(rows: &mut Vec<T>, limit: usize, key: impl Fn(&T) -> String) -> Option<String> {
    let more = rows.len() > limit;
    rows.truncate(limit);
    more.then(|| rows.last().map(key)).flatten()
}

/// A page of an in-memory list ordered by `key`: the items after the cursor.
pub fn page_after<'a, T: 'a, V>(
    items: impl Iterator<Item = &'a T>,
    paging: &Paging,
    key: impl Fn(&T) -> String,
    view: impl Fn(&T) -> V,
) -> Page<V> {
    let limit = paging.limit();
    let mut page: Vec<&T> = items
        .filter(|item| paging.cursor.as_ref().is_none_or(|c| key(item) > *c))
        .take(limit + 1)
        .collect();
    let next_cursor = next_page(&mut page, limit, |item| key(item));
    Page { items: page.into_iter().map(view).collect(), next_cursor }
}
