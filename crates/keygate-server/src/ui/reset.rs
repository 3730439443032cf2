//! "Forgot password?": `GET`/`POST /forgot` asks for the address and always answers the same,
//! `GET`/`POST /reset?token=...` sets the new password ([`keygate_core::account::reset`]).

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keygate_core::Secret;
use keygate_core::account::reset::ResetFailure;
use keygate_core::authorize::csrf_token;
use minijinja::context;
use serde::Deserialize;

use super::{bad_form, browser_cookie, cookies, error_page, page, with_cookie};
use crate::extract::read_page_form;
use crate::state::AppState;

const CSRF_PURPOSE: &str = "password-reset";
const LINK_GONE: &str = "This link has expired or was already used. Ask for a new one: links \
     work once, for a limited time.";

/// `?req=` (the sign-in to go back to) or `?token=` (the link from the message).
#[derive(Debug, Deserialize)]
pub struct ResetQuery {
    req: Option<String>,
    token: Option<String>,
}

/// The sign-in page to go back to, when the user came from one.
fn login_link(state: &AppState, req: Option<&str>) -> Option<String> {
    let req = super::request_id_param(req)?;
    Some(format!("{}/login?req={req}", state.provider.issuer()))
}

fn disabled(state: &AppState) -> Option<Response> {
    (!state.provider.settings().password_login).then(|| {
        error_page(
            state,
            StatusCode::NOT_FOUND,
            "Passwords are not used here",
            "This service signs you in without a password, so there is none to reset.",
        )
    })
}

/// Whether the form's CSRF token belongs to this browser.
fn csrf_ok(state: &AppState, headers: &HeaderMap, form: &keygate_core::Params) -> bool {
    super::page_csrf_ok(state, headers, form, CSRF_PURPOSE)
}

/// `GET /forgot`: the address form.
pub async fn forgot(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<ResetQuery>,
) -> Response {
    if let Some(response) = disabled(&state) {
        return response;
    }
    let (browser, fresh) = browser_cookie(&state, &headers);
    let ui_locales = super::request_ui_locales(&state, Some(&browser), query.req.as_deref()).await;
    let ctx = context! {
        csrf => csrf_token(&browser, CSRF_PURPOSE),
        action => format!("{}/forgot", state.provider.issuer()),
        ui_locales,
        req => query.req.as_deref().filter(|_| login_link(&state, query.req.as_deref()).is_some()),
        back => login_link(&state, query.req.as_deref()),
    };
    with_cookie(&state, page(&state, StatusCode::OK, "forgot.html", ctx), fresh)
}

/// `POST /forgot`: the same answer whether or not the address belongs to an account. The
/// lookup and the message happen after the answer, so its timing says nothing either.
pub async fn forgot_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(response) = disabled(&state) {
        return response;
    }
    let Some(form) = read_page_form(&headers, &body) else { return bad_form(&state) };
    let Ok(Some(address)) = form.single("address") else { return bad_form(&state) };
    if !csrf_ok(&state, &headers, &form) || address.len() > 320 {
        return bad_form(&state);
    }
    let provider = state.provider.clone();
    let address = address.to_owned();
    // Answered at once whether or not the address is known; the email goes in the language
    // this request asks for (unless the user has a locale of their own).
    let languages = keygate_core::i18n::requested();
    tokio::spawn(keygate_core::i18n::speaking(languages, async move {
        match provider.request_password_reset(&address).await {
            Ok(outcome) => tracing::info!(?outcome, "password reset requested"),
            Err(e) => tracing::error!(error = ?e, "password reset request failed"),
        }
    }));
    let req = form.single("req").ok().flatten();
    let browser = super::cookies::read(&headers, state.cookies.browser);
    let ui_locales = super::request_ui_locales(&state, browser, req).await;
    let ctx = context! { sent => true, back => login_link(&state, req), ui_locales };
    page(&state, StatusCode::OK, "forgot.html", ctx)
}

/// `GET /reset?token=...`: the new-password form while the link works.
pub async fn reset(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<ResetQuery>,
) -> Response {
    if let Some(response) = disabled(&state) {
        return response;
    }
    let token = query.token.unwrap_or_default();
    let user = match state.provider.reset_link_user(&token).await {
        Ok(Some(user)) => user,
        Ok(None) => return link_gone(&state),
        Err(e) => return super::next_response(&state, Err(e.into())),
    };
    let (browser, fresh) = browser_cookie(&state, &headers);
    let response = reset_form(&state, StatusCode::OK, &browser, &token, &user.username, &[]);
    with_cookie(&state, response, fresh)
}

fn reset_form(
    state: &AppState,
    status: StatusCode,
    browser: &str,
    token: &str,
    username: &str,
    problems: &[String],
) -> Response {
    let ctx = context! {
        csrf => csrf_token(browser, CSRF_PURPOSE),
        action => format!("{}/reset", state.provider.issuer()),
        token, username, problems => problems.to_vec(),
        min_length => state.provider.settings().passwords.min_length,
    };
    page(state, status, "reset.html", ctx)
}

fn link_gone(state: &AppState) -> Response {
    let forgot = format!("{}/forgot", state.provider.issuer());
    let ctx = context! { gone => true, message => LINK_GONE, forgot };
    page(state, StatusCode::BAD_REQUEST, "reset.html", ctx)
}

/// `POST /reset`: sets the password, ends every session and refresh token of the account.
pub async fn reset_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(response) = disabled(&state) {
        return response;
    }
    let Some(form) = read_page_form(&headers, &body) else { return bad_form(&state) };
    let (Ok(Some(token)), Ok(Some(password)), Ok(Some(again))) =
        (form.single("token"), form.single("password"), form.single("password_again"))
    else {
        return bad_form(&state);
    };
    if !csrf_ok(&state, &headers, &form) {
        return bad_form(&state);
    }
    let browser = cookies::read(&headers, state.cookies.browser).unwrap_or_default();
    if password != again {
        let user = state.provider.reset_link_user(token).await.ok().flatten();
        let Some(user) = user else { return link_gone(&state) };
        let problems = ["The two passwords are not the same.".to_owned()];
        return reset_form(&state, StatusCode::OK, browser, token, &user.username, &problems);
    }
    match state.provider.reset_password(token, Secret::new(password)).await {
        Ok(Ok(user)) => {
            let ctx = context! { done => true, username => user.username };
            page(&state, StatusCode::OK, "reset.html", ctx)
        }
        Ok(Err(ResetFailure::InvalidLink)) => link_gone(&state),
        Ok(Err(ResetFailure::Rejected(problems))) => {
            let user = state.provider.reset_link_user(token).await.ok().flatten();
            let name = user.map(|u| u.username).unwrap_or_default();
            reset_form(&state, StatusCode::OK, browser, token, &name, &problems)
        }
        Err(e) => super::next_response(&state, Err(e.into())),
    }
}
