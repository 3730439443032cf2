//! Signing in (`/login`, `/callback`) and out (`/logout`).

use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;

use super::{check_csrf, random, see_other};
use crate::id_token::{self, Expected};
use crate::pages::Failure;
use crate::seal::same;
use crate::sessions::{PendingLogin, Session, SignedIn, Tokens};
use crate::{SCOPE, WebApp};

/// `GET /login`: a new `state`, `nonce` and PKCE verifier kept in the session, and a redirect
/// to Keygate's authorization endpoint.
pub(super) async fn login(
    State(app): State<WebApp>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (id, mut session) = match app.session(&headers) {
        Some((id, session)) => (Some(id), session),
        None => (None, Session { csrf: random(24)?, ..Default::default() }),
    };
    let pending = PendingLogin { state: random(16)?, nonce: random(16)?, verifier: random(32)? };
    let url = app.0.oidc.authorization_url(&pending, SCOPE, &app.0.todo_audience)?;
    session.pending = Some(pending);
    let cookie = app.persist(id.as_deref(), &session)?;
    Ok(see_other(&url, cookie))
}

/// The parameters of the redirect back from Keygate (RFC 6749 §4.1.2, RFC 9207).
#[derive(Deserialize)]
pub(super) struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

fn unknown_sign_in() -> Failure {
    Failure::page(
        StatusCode::BAD_REQUEST,
        "Sign-in failed",
        "This answer does not belong to a sign-in started here, or the sign-in took too long.",
    )
    .retry()
}

/// `GET /callback`: checks `state` (and `iss`) against the pending sign-in, which it uses up;
/// shows Keygate's error if there is one; else exchanges the code with the PKCE verifier,
/// validates the ID token, and starts a new session for the signed-in user.
pub(super) async fn callback(
    State(app): State<WebApp>,
    headers: HeaderMap,
    query: Result<Query<CallbackQuery>, QueryRejection>,
) -> Result<Response, Failure> {
    let Query(query) = query.map_err(|_| unknown_sign_in())?;
    let (id, mut session) = app.session(&headers).ok_or_else(unknown_sign_in)?;
    let pending = session.pending.take();
    app.persist(Some(&id), &session)?; // a pending sign-in is used once, whatever the outcome
    let state = query.state.as_deref().unwrap_or_default();
    let pending = pending.filter(|p| same(&p.state, state)).ok_or_else(unknown_sign_in)?;
    if query.iss.as_deref().is_some_and(|iss| iss != app.0.oidc.metadata.issuer) {
        return Err(unknown_sign_in()); // RFC 9207: an answer from another issuer (mix-up)
    }
    if let Some(error) = query.error {
        let detail = match query.error_description {
            Some(description) => format!("{error}: {description}"),
            None => error,
        };
        let message = "Keygate did not sign you in.";
        return Err(Failure::page(StatusCode::BAD_REQUEST, "Sign-in did not complete", message)
            .detail(detail)
            .retry());
    }
    let code = query.code.ok_or_else(unknown_sign_in)?;
    let user = sign_in(&app, &code, &pending).await?;
    // A new session id at sign-in: an id planted in the browser before cannot follow the user.
    app.0.sessions.remove(&id);
    let session = Session { csrf: random(24)?, user: Some(user), ..Default::default() };
    let cookie = app.persist(None, &session)?;
    Ok(see_other("/", cookie))
}

/// The code exchange and ID token validation (OIDC Core §3.1.3).
async fn sign_in(app: &WebApp, code: &str, pending: &PendingLogin) -> Result<SignedIn, Failure> {
    let oidc = &app.0.oidc;
    let response = oidc.exchange_code(code, &pending.verifier).await?;
    let id_token = response
        .id_token
        .clone()
        .ok_or_else(|| crate::oidc::OidcError::Invalid("no ID token in the answer".into()))?;
    let jwks = oidc.jwks().await?;
    let now = app.now();
    let expected = Expected {
        issuer: &oidc.metadata.issuer,
        client_id: oidc.client_id(),
        nonce: &pending.nonce,
        now,
    };
    let claims = id_token::validate(&id_token, &jwks, &expected)?;
    Ok(SignedIn { claims, id_token, tokens: Tokens::from_response(&response, None, now) })
}

/// `GET /logout`: a page with the sign-out button (signing out changes state: it is a POST).
pub(super) async fn logout_page(State(app): State<WebApp>, headers: HeaderMap) -> Response {
    let session = app.session(&headers).map(|(_, s)| s).unwrap_or_default();
    let ctx = context! {
        user_name => session.user.as_ref().map(SignedIn::display_name),
        csrf => session.csrf,
    };
    app.0.pages.render(StatusCode::OK, "logout.html", ctx)
}

/// The sign-out form.
#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: String,
}

/// `POST /logout`: forgets the session, revokes the refresh token, and sends the browser to
/// Keygate's end-session endpoint (RP-Initiated Logout 1.0 §2) with `id_token_hint`,
/// `post_logout_redirect_uri` and a `state` checked on the way back to `/`.
pub(super) async fn logout(
    State(app): State<WebApp>,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Response, Failure> {
    let Some((id, session)) = app.session(&headers) else { return Ok(see_other("/", None)) };
    check_csrf(&session, form.as_ref().map(|f| f.csrf.as_str()).unwrap_or_default())?;
    app.0.sessions.remove(&id);
    let Some(user) = session.user else { return Ok(see_other("/", None)) };
    if let Some(refresh_token) = &user.tokens.refresh_token {
        app.0.oidc.revoke(refresh_token).await;
    }
    let state = random(16)?;
    let after =
        Session { csrf: random(24)?, signed_out_state: Some(state.clone()), ..Default::default() };
    let cookie = app.persist(None, &after)?;
    let back = format!("{}/", app.0.app_url);
    let target = app.0.oidc.end_session_url(&user.id_token, &back, &state).unwrap_or(back);
    Ok(see_other(&target, cookie))
}
