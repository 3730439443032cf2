//! The login page (`GET`/`POST /login`).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keygate_core::Secret;
use keygate_core::authorize::PageRequest;
use keygate_core::login::LoginFailure;
use keygate_core::session::AMR_PASSWORD;
use minijinja::context;

use super::{bad_form, cookies, next_response, page, pending_from_query};
use crate::extract::read_page_form;
use crate::serving::ClientIp;
use crate::serving::metrics::LoginOutcome;
use crate::state::AppState;

/// The generic failure text: it never says whether the account exists.
const INVALID: &str = "The username or password is incorrect.";
const THROTTLED: &str = "Too many failed attempts. Please wait a few minutes and try again.";

fn render(
    state: &AppState,
    status: StatusCode,
    p: &PageRequest,
    error: Option<&str>,
    username: Option<&str>,
) -> Response {
    let hint = username.or(p.request.login_hint.as_deref()).unwrap_or("");
    let ctx = context! {
        app_name => &p.client.name,
        app => super::app_branding(&p.client),
        request_id => &p.request_id,
        csrf => &p.csrf,
        login_hint => hint,
        error => error,
        action => format!("{}/login", state.provider.issuer()),
    };
    page(state, status, "login.html", ctx)
}

/// `GET /login?req=ID`.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    match pending_from_query(&state, &headers, query).await {
        Ok(p) => render(&state, StatusCode::OK, &p, None, None),
        Err(response) => response,
    }
}

/// `POST /login`: checks the credentials; on success starts the SSO session and continues the
/// authorization request with a 303 (RFC 9700 §4.12).
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(form) = read_page_form(&headers, &body) else { return bad_form(&state) };
    let (Ok(Some(id)), Ok(Some(csrf))) = (form.single("req"), form.single("csrf")) else {
        return bad_form(&state);
    };
    let browser = cookies::read(&headers, state.cookies.browser);
    let p = match state.provider.pending_request(id, browser, Some(csrf)).await {
        Ok(p) => p,
        Err(e) => return next_response(&state, Err(e)),
    };
    let username = form.single("username").ok().flatten().unwrap_or("");
    let password = Secret::new(form.single("password").ok().flatten().unwrap_or(""));
    let ip = client.to_string();
    let metrics = &state.serving.metrics;
    let user = match state.provider.password_login(username, password, Some(&ip)).await {
        Ok(Ok(user)) => {
            metrics.login(LoginOutcome::Success);
            user
        }
        Ok(Err(LoginFailure::InvalidCredentials)) => {
            metrics.login(LoginOutcome::Failure);
            return render(&state, StatusCode::OK, &p, Some(INVALID), Some(username));
        }
        Ok(Err(LoginFailure::Throttled)) => {
            metrics.login(LoginOutcome::Throttled);
            return render(
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                &p,
                Some(THROTTLED),
                Some(username),
            );
        }
        Err(e) => return next_response(&state, Err(e.into())),
    };
    let (cookie, session) = match state.provider.start_session(&user, &[AMR_PASSWORD]).await {
        Ok(started) => started,
        Err(e) => return next_response(&state, Err(e.into())),
    };
    let next = state.provider.continue_after_login(p, session, user, browser).await;
    let mut response = next_response(&state, next);
    let ttl = state.provider.settings().session_ttl;
    let set = state.cookies.set(state.cookies.session, cookie.expose_secret(), Some(ttl));
    cookies::append(&mut response, &set);
    response
}
