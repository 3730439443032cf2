//! The login's second step: after the right password, an account with an authenticator app
//! is asked for a code (or a recovery code). The form carries a sealed ticket naming the
//! account and the authorization request, valid five minutes, so the password is not asked
//! again and the step cannot be skipped or moved to another request. The session then has
//! `amr` `pwd`, `otp` and `mfa` (RFC 8176 §2).
//!
//! The same page steps up a signed-in session when a request asks for an `acr` it lacks
//! (OIDC Core §3.1.2.1 `acr_values`, §5.5.1.1): the session keeps its id, gains `otp` and `mfa`,
//! and its `auth_time` moves to now.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use keygate_core::User;
use keygate_core::authorize::PageRequest;
use keygate_core::login::LoginFailure;
use keygate_core::mfa::{AMR_MFA, AMR_OTP, SecondFactor};
use keygate_core::session::AMR_PASSWORD;
use minijinja::context;

use super::passkey::Form;
use super::{attempt, bad_form, cookies, next_response, page, see_other};
use crate::serving::ClientIp;
use crate::serving::metrics::LoginOutcome;
use crate::state::AppState;

/// The ticket purpose of a sign-in waiting for its second factor.
const PURPOSE: &str = "keygate-mfa-login";
/// Seconds to type the code.
const TICKET_TTL: i64 = 300;

/// The page asking `user`, whose password was right, for a code; or, for a user without a
/// second factor where one is required, the page adding an authenticator app.
pub async fn ask(
    state: &AppState,
    p: &PageRequest,
    user: &User,
    status: StatusCode,
    error: Option<&str>,
) -> Response {
    let provider = &state.provider;
    let ticket = match provider.seal_ticket(PURPOSE, &[&user.id, &p.request_id], TICKET_TTL) {
        Ok(ticket) => ticket,
        Err(e) => return next_response(state, Err(e.into())),
    };
    let factors = match provider.factors(&user.id).await {
        Ok(factors) => factors,
        Err(e) => return next_response(state, Err(e.into())),
    };
    let action = format!("{}{}", provider.issuer(), crate::oauth::paths::LOGIN_MFA);
    let has_factor = factors.totp.is_some() || !factors.passkeys.is_empty();
    let enrol = match has_factor {
        true => None,
        false => match provider.begin_totp(user) {
            Ok(enrolment) => Some(enrolment_view(enrolment)),
            Err(e) => return next_response(state, Err(e.into())),
        },
    };
    // A request that asks for a phishing-resistant sign-in takes a passkey, not a code.
    let code = factors.totp.is_some() && !p.request.acr.needs_passkey();
    let passkey = match factors.passkeys.is_empty() {
        true => None,
        false => match provider.begin_passkey_sign_in(&p.request_id, Some(user)).await {
            Ok(ceremony) => {
                let label = "Use a passkey";
                let class = if code { "secondary" } else { "" };
                let form = Form { mode: "get", action: &action, label, class, conditional: false };
                Some(super::passkey::view(ceremony, form))
            }
            Err(e) => return next_response(state, Err(e.into())),
        },
    };
    let ctx = context! {
        ui_locales => &p.request.ui_locales,
        request_id => &p.request_id,
        csrf => &p.csrf,
        ticket,
        error,
        enrol,
        code,
        passkey,
        action,
    };
    page(state, status, "mfa.html", ctx)
}

/// What a page shows of a key being added: the QR code (SVG, already safe), the key as text,
/// and the sealed ticket its form sends back.
pub fn enrolment_view(e: keygate_core::mfa::TotpEnrolment) -> minijinja::Value {
    context! {
        qr => minijinja::Value::from_safe_string(e.qr_svg),
        key => e.key_text,
        ticket => e.ticket,
    }
}

/// `POST /login/mfa`: the code, with the request id, CSRF token and ticket.
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, p) = or_respond!(super::pending_form(&state, &headers, &body).await);
    let Ok(Some(ticket)) = form.single("ticket") else { return bad_form(&state) };
    let browser = cookies::read(&headers, state.cookies.browser);
    let Some(user) = ticket_user(&state, ticket, &p).await else { return bad_form(&state) };
    let code = form.single("code").ok().flatten().unwrap_or("");
    let ip = client.to_string();
    let from = attempt(&ip, &headers, Some(&p.client.client_id));
    let metrics = &state.serving.metrics;
    if let Ok(Some(passkey)) = form.single("passkey") {
        let response = form.single("response").ok().flatten().unwrap_or("");
        let done = state.provider.finish_passkey_sign_in(passkey, &p.request_id, response, &from);
        return match done.await {
            Ok(Ok(done)) if done.user.id == user.id => {
                metrics.login(LoginOutcome::Success);
                proven(&state, &headers, p, user, browser, &done.amr).await
            }
            Ok(_) => {
                metrics.login(LoginOutcome::Failure);
                let error = "That passkey was not accepted. Try again, or use another way.";
                ask(&state, &p, &user, StatusCode::BAD_REQUEST, Some(error)).await
            }
            Err(e) => next_response(&state, Err(e.into())),
        };
    }
    if let Ok(Some(enrol)) = form.single("enrol") {
        return finish_enrolment(&state, &headers, p, user, (enrol, code), browser, ip.clone())
            .await;
    }
    let factor = match state.provider.check_second_factor(&user, code, &from).await {
        Ok(Ok(factor)) => factor,
        Ok(Err(LoginFailure::Throttled)) => {
            metrics.login(LoginOutcome::Throttled);
            let error = "Too many attempts. Wait a few minutes, then try again.";
            return ask(&state, &p, &user, StatusCode::TOO_MANY_REQUESTS, Some(error)).await;
        }
        Ok(Err(_)) => {
            metrics.login(LoginOutcome::Failure);
            let error = "That code is not right, or was used already. Try the next one.";
            return ask(&state, &p, &user, StatusCode::OK, Some(error)).await;
        }
        Err(e) => return next_response(&state, Err(e.into())),
    };
    metrics.login(LoginOutcome::Success);
    let response = proven(&state, &headers, p, user, browser, &[AMR_OTP, AMR_MFA]).await;
    match factor {
        SecondFactor::Totp => response,
        SecondFactor::RecoveryCode { remaining } => {
            continue_page(&state, response, context! { recovery_used => remaining })
        }
    }
}

/// The second factor (its `amr`) is proven: the browser's session of this user is stepped
/// up, or a new session starts after the password; then the request continues.
async fn proven(
    state: &AppState,
    headers: &HeaderMap,
    p: PageRequest,
    user: User,
    browser: Option<&str>,
    factor: &[&str],
) -> Response {
    match current_session_of(state, headers, &user).await {
        Some(session) => step_up(state, p, user, session, browser, factor).await,
        None => {
            let amr: Vec<&str> = [AMR_PASSWORD].iter().chain(factor).copied().collect();
            super::sign_in_with(state, p, user, browser, &amr).await
        }
    }
}

/// A required second factor added during sign-in: the first code confirms the key, the
/// recovery codes are shown once, and the request continues from their page.
async fn finish_enrolment(
    state: &AppState,
    headers: &HeaderMap,
    p: PageRequest,
    user: User,
    (enrol, code): (&str, &str),
    browser: Option<&str>,
    ip: String,
) -> Response {
    match state.provider.confirm_totp(&user, enrol, code, Some(ip)).await {
        Ok(Ok(codes)) => {
            let response = proven(state, headers, p, user, browser, &[AMR_OTP, AMR_MFA]).await;
            continue_page(state, response, context! { codes => codes.unwrap_or_default() })
        }
        Ok(Err(problems)) => {
            let error = problems.join(" ");
            ask(state, &p, &user, StatusCode::UNPROCESSABLE_ENTITY, Some(&error)).await
        }
        Err(e) => next_response(state, Err(e.into())),
    }
}

/// `GET /login/mfa?req=ID`: the step-up of a signed-in session (a request asked for an `acr`
/// it lacks).
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let p = or_respond!(super::pending_from_query(&state, &headers, query).await);
    let session = cookies::read(&headers, state.cookies.session);
    match state.provider.current_session(session).await {
        Ok(Some((_, user))) => ask(&state, &p, &user, StatusCode::OK, None).await,
        Ok(None) => see_other(&format!("{}/login?req={}", state.provider.issuer(), p.request_id)),
        Err(e) => next_response(&state, Err(e.into())),
    }
}

/// The browser's session, if it is `user`'s.
async fn current_session_of(
    state: &AppState,
    headers: &HeaderMap,
    user: &User,
) -> Option<keygate_core::store::Session> {
    let cookie = cookies::read(headers, state.cookies.session);
    let (session, owner) = state.provider.current_session(cookie).await.ok().flatten()?;
    (owner.id == user.id).then_some(session)
}

/// Steps `session` up with the second factor just proven and continues the request.
async fn step_up(
    state: &AppState,
    p: PageRequest,
    user: User,
    session: keygate_core::store::Session,
    browser: Option<&str>,
    factor: &[&str],
) -> Response {
    let session = match state.provider.step_up_session(session, factor).await {
        Ok(session) => session,
        Err(e) => return next_response(state, Err(e.into())),
    };
    let next = state.provider.continue_after_login(p, session, user, browser).await;
    next_response(state, next)
}

/// The account a ticket names for request `p`, while it works and the account may sign in.
async fn ticket_user(state: &AppState, ticket: &str, p: &PageRequest) -> Option<User> {
    let fields = state.provider.open_ticket(PURPOSE, ticket)?;
    let [user_id, request_id] = fields.as_slice() else { return None };
    if *request_id != p.request_id {
        return None;
    }
    let user = state.provider.store().find_user(user_id).await.ok().flatten()?;
    (user.id == *user_id && !user.disabled).then_some(user)
}

/// A page between the second step and where the sign-in goes next (how many recovery codes
/// are left, or the new ones to keep), whose link continues; the session cookie stays on it.
fn continue_page(state: &AppState, signed_in: Response, ctx: minijinja::Value) -> Response {
    let Some(next) = signed_in.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()) else {
        return signed_in;
    };
    let ctx = context! { next, ..ctx };
    let mut notice = page(state, StatusCode::OK, "mfa.html", ctx);
    for cookie in signed_in.headers().get_all(header::SET_COOKIE) {
        notice.headers_mut().append(header::SET_COOKIE, cookie.clone());
    }
    notice
}
