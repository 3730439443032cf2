//! The consent page (`GET`/`POST /consent`).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keygate_core::authorize::{BrowserCookies, ConsentDecision};
use minijinja::context;

use super::{bad_form, cookies, next_response, page, pending_from_query, see_other};
use crate::serving::ClientIp;
use crate::state::AppState;

/// `GET /consent?req=ID`: the application, the user, and the requested scopes in plain words.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let p = match pending_from_query(&state, &headers, query).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    let session = cookies::read(&headers, state.cookies.session);
    let user = match state.provider.current_session(session).await {
        Ok(Some((_, user))) => user,
        Ok(None) => {
            return see_other(&format!("{}/login?req={}", state.provider.issuer(), p.request_id));
        }
        Err(e) => return next_response(&state, Err(e.into())),
    };
    let scopes = match state.provider.scope_lines(&p.request.scope, &p.request.resources).await {
        Ok(lines) => super::scope_view(&lines),
        Err(e) => return next_response(&state, Err(e.into())),
    };
    let details =
        match state.provider.describe_authorization_details(&p.request.authorization_details).await
        {
            Ok(details) => details,
            Err(e) => return next_response(&state, Err(e.into())),
        };
    let ctx = context! {
        app_name => &p.client.name,
        app => super::app_branding(&p.client),
        user_name => user.display_name(),
        ui_locales => &p.request.ui_locales,
        scopes => scopes,
        device_code => p.request.device_user_code().map(keygate_core::device::display_user_code),
        details => minijinja::Value::from(minijinja::value::Serde(&details)),
        request_id => &p.request_id,
        csrf => &p.csrf,
        action => format!("{}/consent", state.provider.issuer()),
    };
    page(&state, StatusCode::OK, "consent.html", ctx)
}

/// `POST /consent`: allow (remembered) or deny (`access_denied` to the client).
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, p) = or_respond!(super::pending_form(&state, &headers, &body).await);
    let decision = match form.single("decision") {
        Ok(Some("allow")) => ConsentDecision::Allow,
        Ok(Some("deny")) => ConsentDecision::Deny,
        _ => return bad_form(&state),
    };
    let browser = cookies::read(&headers, state.cookies.browser);
    let cookies =
        BrowserCookies { session: cookies::read(&headers, state.cookies.session), browser };
    let ip = client.to_string();
    let client_id = p.client.client_id.clone();
    let from = super::attempt(&ip, &headers, Some(&client_id));
    let next = state.provider.submit_consent(p, decision, cookies, &from).await;
    next_response(&state, next)
}
