//! The login page (`GET`/`POST /login`).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keygate_core::Secret;
use keygate_core::authorize::PageRequest;
use keygate_core::login::LoginFailure;
use minijinja::context;

use super::{attempt, bad_form, cookies, next_response, page, pending_from_query};
use crate::serving::ClientIp;
use crate::serving::metrics::LoginOutcome;
use crate::state::AppState;

/// The generic failure (a page catalog message): it never says whether the account exists.
const INVALID: &str = "login-invalid";
const THROTTLED: &str = "login-throttled";
const DISABLED: &str = "login-disabled";

/// Why the login page asks for a password to link an upstream identity.
#[derive(Debug)]
pub struct LinkNotice {
    /// The link ticket, carried by the form.
    pub ticket: String,
    /// The upstream's display name.
    pub provider: String,
    /// The upstream account that will be linked, as the user knows it (email, username or id).
    pub account: String,
    /// An account with the upstream's email exists (else: no account is linked yet).
    pub email_taken: bool,
}

/// What the login page shows besides the application.
#[derive(Debug, Default)]
struct View<'a> {
    error: Option<&'a str>,
    /// The error as a page catalog message (wins over `error`).
    error_id: Option<&'static str>,
    username: Option<&'a str>,
    link: Option<LinkNotice>,
    /// The address to confirm (masked) and the ticket of the "send it again" button.
    unverified: Option<(String, String)>,
}

async fn render(state: &AppState, status: StatusCode, p: &PageRequest, view: View<'_>) -> Response {
    let hint = view.username.or(p.request.login_hint.as_deref()).unwrap_or("");
    let issuer = state.provider.issuer();
    // While linking, only the password proves the account.
    let buttons = if view.link.is_none() { upstream_buttons(state).await } else { Vec::new() };
    let link = view.link.as_ref().map(|l| {
        context! { ticket => &l.ticket, provider => &l.provider, account => &l.account, email_taken => l.email_taken }
    });
    let ctx = context! {
        app_name => &p.client.name,
        app => super::app_branding(&p.client),
        request_id => &p.request_id,
        ui_locales => &p.request.ui_locales,
        csrf => &p.csrf,
        login_hint => hint,
        error => view.error,
        error_id => view.error_id,
        action => format!("{issuer}/login"),
        forgot => format!("{issuer}/forgot?req={}", p.request_id),
        create => super::signup::link_from_login(state, &p.request_id),
        passwords => state.provider.settings().password_login,
        passkey => super::passkey::login_form(state, &p.request_id).await,
        upstreams => buttons,
        link => link,
        // The sealed, short-lived ticket is the form's CSRF token: it cannot be guessed.
        unverified => view.unverified.map(|(email, ticket)| context! {
            email, ticket, action => format!("{issuer}/verify/resend"),
        }),
    };
    page(state, status, "login.html", ctx)
}

/// The login page's "sign in with ..." buttons: the enabled upstream providers.
pub async fn upstream_buttons(state: &AppState) -> Vec<minijinja::Value> {
    let issuer = state.provider.issuer();
    let upstreams = match state.provider.upstream_providers().await {
        Ok(list) => list,
        Err(e) => {
            tracing::warn!(error = %e, "upstream providers unavailable");
            Default::default()
        }
    };
    upstreams
        .iter()
        .filter(|u| u.enabled)
        .map(|u| {
            context! {
                name => &u.display_name,
                action => format!("{issuer}/federation/{}/start", u.id),
            }
        })
        .collect()
}

/// The login page with an error above the form.
pub async fn render_error(
    state: &AppState,
    status: StatusCode,
    p: &PageRequest,
    error: &str,
) -> Response {
    render(state, status, p, View { error: Some(error), ..View::default() }).await
}

/// The login page asking for the password of the account to link an upstream identity to.
pub async fn render_link(state: &AppState, p: &PageRequest, link: LinkNotice) -> Response {
    if !state.provider.settings().password_login {
        return super::error_page(
            state,
            StatusCode::FORBIDDEN,
            "You cannot sign in",
            "No account is linked to this sign-in yet. Ask your administrator to link it.",
        );
    }
    let view = View { link: Some(link), ..View::default() };
    render(state, StatusCode::OK, p, view).await
}

/// `GET /login?req=ID`.
pub async fn show(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let p = match pending_from_query(&state, &headers, query).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    if let Some(idp) = p.request.idp_hint.as_deref() {
        let ip = client.to_string();
        let from = attempt(&ip, &headers, Some(&p.client.client_id));
        return super::federation::redirect_upstream(&state, idp, &p, &from).await;
    }
    render(&state, StatusCode::OK, &p, View::default()).await
}

/// `POST /login`: checks the credentials; on success starts the SSO session and continues the
/// authorization request with a 303 (RFC 9700 §4.12).
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, p) = or_respond!(super::pending_form(&state, &headers, &body).await);
    let browser = cookies::read(&headers, state.cookies.browser);
    if !state.provider.settings().password_login {
        return bad_form(&state);
    }
    let username = form.single("username").ok().flatten().unwrap_or("");
    let ticket = form.single("link").ok().flatten();
    let password = Secret::new(form.single("password").ok().flatten().unwrap_or(""));
    let ip = client.to_string();
    let from = attempt(&ip, &headers, Some(&p.client.client_id));
    let metrics = &state.serving.metrics;
    let user = match state.provider.password_login(username, password, &from).await {
        Ok(Ok(user)) => {
            metrics.login(LoginOutcome::Success);
            user
        }
        Ok(Err(failure)) => {
            let (status, error) = match failure {
                LoginFailure::InvalidCredentials => {
                    metrics.login(LoginOutcome::Failure);
                    (StatusCode::OK, INVALID)
                }
                LoginFailure::Throttled => {
                    metrics.login(LoginOutcome::Throttled);
                    (StatusCode::TOO_MANY_REQUESTS, THROTTLED)
                }
                LoginFailure::Disabled => {
                    metrics.login(LoginOutcome::Failure);
                    (StatusCode::FORBIDDEN, DISABLED)
                }
                LoginFailure::Unverified(user) => {
                    metrics.login(LoginOutcome::Failure);
                    let view = super::verify::unverified_view(&state, &user).await;
                    let view =
                        View { username: Some(username), unverified: view, ..View::default() };
                    return render(&state, StatusCode::FORBIDDEN, &p, view).await;
                }
            };
            let link = ticket.map(|t| LinkNotice {
                ticket: t.to_owned(),
                provider: form.single("link_provider").ok().flatten().unwrap_or("").to_owned(),
                account: form.single("link_account").ok().flatten().unwrap_or("").to_owned(),
                email_taken: false,
            });
            let view =
                View { error_id: Some(error), username: Some(username), link, ..View::default() };
            return render(&state, status, &p, view).await;
        }
        Err(e) => return next_response(&state, Err(e.into())),
    };
    if let Some(ticket) = ticket {
        match state.provider.redeem_link_ticket(ticket, &p.request_id, &user).await {
            Ok(Some(upstream)) => {
                tracing::info!(%upstream, user = %user.id, "linked upstream identity")
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "linking the upstream identity failed"),
        }
    }
    match state.provider.has_second_factor(&user.id).await {
        Ok(true) => super::mfa::ask(&state, &p, &user, StatusCode::OK, None).await,
        Ok(false) => super::sign_in_and_continue(&state, p, user, browser).await,
        Err(e) => next_response(&state, Err(e.into())),
    }
}
