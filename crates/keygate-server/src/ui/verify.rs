//! Confirming an email address: `GET`/`POST /verify?token=...` from the message, and
//! `POST /verify/resend` from a sign-in refused for an unconfirmed address
//! ([`keygate_core::account::verify`]).

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keygate_core::User;
use keygate_core::authorize::csrf_token;
use minijinja::context;
use serde::Deserialize;

use super::{bad_form, browser_cookie, next_response, page, with_cookie};
use crate::extract::read_page_form;
use crate::state::AppState;

const CSRF_PURPOSE: &str = "verify-email";

/// `?token=` from the message.
#[derive(Debug, Deserialize)]
pub struct VerifyQuery {
    token: Option<String>,
}

/// `a•••@example.com`: enough for the owner to recognise, little for anyone else.
pub fn masked(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".to_owned(),
    }
}

/// The login page's notice for an unconfirmed address: sends a link (throttled) and offers
/// the button to send another.
pub async fn unverified_view(state: &AppState, user: &User) -> Option<(String, String)> {
    if let Err(e) = state.provider.send_verification(user).await {
        tracing::error!(error = ?e, "could not queue a confirmation link");
    }
    let ticket = state.provider.resend_ticket(user).ok()?;
    Some((masked(&user.email), ticket))
}

/// `GET /verify?token=...`: a button, not an action: mail scanners open links.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<VerifyQuery>,
) -> Response {
    let token = query.token.unwrap_or_default();
    match state.provider.verify_link_works(&token).await {
        Ok(true) => {}
        Ok(false) => return gone(&state),
        Err(e) => return next_response(&state, Err(e.into())),
    }
    let (browser, fresh) = browser_cookie(&state, &headers);
    let ctx = context! {
        confirm => true, token, csrf => csrf_token(&browser, CSRF_PURPOSE),
        action => format!("{}/verify", state.provider.issuer()),
    };
    with_cookie(&state, page(&state, StatusCode::OK, "verify.html", ctx), fresh)
}

fn gone(state: &AppState) -> Response {
    page(state, StatusCode::BAD_REQUEST, "verify.html", context! { gone => true })
}

/// `POST /verify`: confirms the address.
pub async fn submit(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(form) = read_page_form(&headers, &body) else { return bad_form(&state) };
    let Ok(Some(token)) = form.single("token") else { return bad_form(&state) };
    if !super::page_csrf_ok(&state, &headers, &form, CSRF_PURPOSE) {
        return bad_form(&state);
    }
    match state.provider.confirm_email(token).await {
        Ok(Some(user)) => {
            let ctx = context! { done => true, email => user.email };
            page(&state, StatusCode::OK, "verify.html", ctx)
        }
        Ok(None) => gone(&state),
        Err(e) => next_response(&state, Err(e.into())),
    }
}

/// `POST /verify/resend`: another link for the account a sealed ticket names (the same page
/// whether or not one was sent: the throttle is not announced).
pub async fn resend(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(form) = read_page_form(&headers, &body) else { return bad_form(&state) };
    let Ok(Some(ticket)) = form.single("ticket") else { return bad_form(&state) };
    let user = match state.provider.resend_ticket_user(ticket).await {
        Ok(Some(user)) => user,
        Ok(None) => return bad_form(&state),
        Err(e) => return next_response(&state, Err(e.into())),
    };
    if let Err(e) = state.provider.send_verification(&user).await {
        return next_response(&state, Err(e.into()));
    }
    let ctx = context! { resent => true, email => masked(&user.email) };
    page(&state, StatusCode::OK, "verify.html", ctx)
}
