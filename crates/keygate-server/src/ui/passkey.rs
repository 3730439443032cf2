//! Passkeys on the sign-in pages: the "Sign in with a passkey" form (and the username field's
//! passkey autofill, WebAuthn L3 conditional mediation) and its answer, `POST /login/passkey`.
//! The ceremony itself is in `keygate_core::mfa::passkey`; the browser side is `passkeys.js`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keygate_core::mfa::passkey::PasskeyCeremony;
use minijinja::context;

use super::{attempt, cookies, next_response};
use crate::serving::ClientIp;
use crate::serving::metrics::LoginOutcome;
use crate::state::AppState;

/// What the passkey form of a page needs.
#[derive(Debug, Clone, Copy)]
pub struct Form<'a> {
    /// `get` or `create`.
    pub mode: &'a str,
    /// Where it posts.
    pub action: &'a str,
    /// The button's text, in English: shown in the page's language through its `text-*`
    /// message.
    pub label: &'a str,
    /// The button's class (`secondary` or empty for the main action).
    pub class: &'a str,
    /// Offer passkeys in the username field's autofill too.
    pub conditional: bool,
}

/// The `passkey` context of `passkey_form.html` for a ceremony.
pub fn view(ceremony: PasskeyCeremony, form: Form<'_>) -> minijinja::Value {
    context! {
        mode => form.mode,
        options => ceremony.options.to_string(),
        ticket => ceremony.ticket,
        action => form.action,
        label => form.label,
        class => form.class,
        conditional => form.conditional,
    }
}

/// The login page's passkey form for request `request_id`, when passkeys are on.
pub async fn login_form(state: &AppState, request_id: &str) -> Option<minijinja::Value> {
    let provider = &state.provider;
    if !provider.passkeys_enabled() {
        return None;
    }
    let ceremony = match provider.begin_passkey_sign_in(request_id, None).await {
        Ok(ceremony) => ceremony,
        Err(e) => {
            tracing::warn!(error = %e, "passkey sign-in unavailable");
            return None;
        }
    };
    let action = format!("{}{}", provider.issuer(), crate::oauth::paths::LOGIN_PASSKEY);
    let form = Form {
        mode: "get",
        action: &action,
        label: "Sign in with a passkey",
        class: "secondary",
        conditional: true,
    };
    Some(view(ceremony, form))
}

/// `POST /login/passkey`: a passkey's answer (WebAuthn L3 §7.2), passwordless; on success the
/// session starts with `amr` `hwk` or `swk`, `user` and `mfa`, and the request continues.
pub async fn sign_in(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, p) = or_respond!(super::pending_form(&state, &headers, &body).await);
    let browser = cookies::read(&headers, state.cookies.browser);
    let field = |name| form.single(name).ok().flatten().unwrap_or("");
    let ip = client.to_string();
    let from = attempt(&ip, &headers, Some(&p.client.client_id));
    let metrics = &state.serving.metrics;
    let provider = &state.provider;
    if !provider.passkeys_enabled() {
        return super::bad_form(&state);
    }
    let response = field("response");
    match provider.finish_passkey_sign_in(field("passkey"), &p.request_id, response, &from).await {
        Ok(Ok(done)) => {
            metrics.login(LoginOutcome::Success);
            super::sign_in_with(&state, p, done.user, browser, &done.amr).await
        }
        Ok(Err(refused)) => {
            metrics.login(LoginOutcome::Failure);
            let error = format!("No sign-in: {refused}.");
            super::login::render_error(&state, StatusCode::BAD_REQUEST, &p, &error).await
        }
        Err(e) => next_response(&state, Err(e.into())),
    }
}
