//! Sign-in through an upstream identity provider: the login page's buttons post to `start`, the
//! upstream sends the browser back to `callback`, and an upstream logout returns to
//! `logged_out`. Every failure shows a page that says what happened, is logged, and leaves
//! accounts unchanged.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keygate_core::Params;
use keygate_core::authorize::PageRequest;
use keygate_core::federation::{AMR_FEDERATED, AccountOutcome, Callback, FederationError};
use keygate_core::signin_log::{Attempt, SignInOutcome};

use super::{attempt, cookies, error_page, next_response, see_other};
use crate::serving::ClientIp;
use crate::state::AppState;

/// `POST /federation/{id}/start`: the login page's button, with the request id and CSRF token.
pub async fn start(
    State(state): State<AppState>,
    Path(provider_id): Path<String>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (_, p) = or_respond!(super::pending_form(&state, &headers, &body).await);
    let ip = client.to_string();
    let from = attempt(&ip, &headers, Some(&p.client.client_id));
    redirect_upstream(&state, &provider_id, &p, &from).await
}

/// The redirect to upstream `provider_id` for the pending request `p`.
pub async fn redirect_upstream(
    state: &AppState,
    provider_id: &str,
    p: &PageRequest,
    from: &Attempt<'_>,
) -> Response {
    let hint = p.request.login_hint.as_deref();
    match state.provider.start_federation(provider_id, &p.request_id, hint).await {
        Ok(url) => see_other(&url),
        Err(e) => failure_page(state, provider_id, &e, from).await,
    }
}

/// `GET /federation/{id}/callback`: the upstream's authorization response.
pub async fn callback(
    State(state): State<AppState>,
    Path(provider_id): Path<String>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let ip = client.to_string();
    let mut from = attempt(&ip, &headers, None);
    let params = Params::parse(query.unwrap_or_default().as_bytes());
    let get = |name: &'static str| params.single(name).ok().flatten().map(str::to_owned);
    let callback =
        Callback { state: get("state"), code: get("code"), error: get("error"), iss: get("iss") };
    let pending = match state.provider.federation_callback(&provider_id, callback).await {
        Ok(pending) => pending,
        Err(e) => return failure_page(&state, &provider_id, &e, &from).await,
    };
    if pending.link_user.is_some() {
        return crate::account::finish_link(&state, &headers, ip, pending).await;
    }
    // The state names a pending request, which must belong to this browser (RFC 9700 §4.7).
    let browser = cookies::read(&headers, state.cookies.browser);
    let p = match state.provider.pending_request(&pending.request_id, browser, None).await {
        Ok(p) => p,
        Err(e) => return next_response(&state, Err(e)),
    };
    let client_id = p.client.client_id.clone();
    from.client_id = Some(&client_id);
    let identity = match state.provider.complete_federation(&pending).await {
        Ok(identity) => identity,
        Err(e) => return failure_page(&state, &provider_id, &e, &from).await,
    };
    let upstream = &pending.upstream;
    let outcome = state.provider.resolve_upstream_account(upstream, &identity, &p.request_id).await;
    let user = match outcome {
        Ok(AccountOutcome::SignedIn(user)) => *user,
        Ok(AccountOutcome::NeedsLink(ticket)) => {
            let link = super::login::LinkNotice {
                ticket: ticket.token.expose_secret().to_owned(),
                provider: upstream.display_name.clone(),
                account: identity
                    .email
                    .clone()
                    .or_else(|| identity.preferred_username.clone())
                    .unwrap_or_else(|| identity.subject.clone()),
                email_taken: ticket.email_taken,
            };
            return super::login::render_link(&state, &p, link).await;
        }
        Ok(AccountOutcome::Refused(message)) => {
            tracing::info!(upstream = %provider_id, reason = message, "federated sign-in refused");
            let detail = Some(format!("{provider_id}: {message}"));
            state.provider.record_signin(SignInOutcome::UpstreamFailure, None, &from, detail).await;
            return error_page(&state, StatusCode::FORBIDDEN, "You cannot sign in", message);
        }
        Err(e) => return failure_page(&state, &provider_id, &e, &from).await,
    };
    let mut amr = vec![AMR_FEDERATED];
    amr.extend(identity.amr.iter().map(String::as_str).filter(|m| *m != AMR_FEDERATED));
    let started = state.provider.start_session_via(&user, &amr, Some(&upstream.id)).await;
    let (cookie, session) = match started {
        Ok(started) => started,
        Err(e) => return next_response(&state, Err(e.into())),
    };
    tracing::info!(upstream = %provider_id, user = %user.id, "federated sign-in");
    let detail = Some(format!("via {provider_id}"));
    state.provider.record_signin(SignInOutcome::Success, Some(&user.id), &from, detail).await;
    state.serving.metrics.login(crate::serving::metrics::LoginOutcome::Success);
    let next = state.provider.continue_after_login(p, session, user, browser).await;
    let mut response = next_response(&state, next);
    let ttl = state.provider.settings().session_ttl;
    let set = state.cookies.set(state.cookies.session, cookie.expose_secret(), Some(ttl));
    cookies::append(&mut response, &set);
    response
}

/// `GET /federation/logged-out`: back from the upstream's logout.
pub async fn logged_out(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.unwrap_or_default().as_bytes());
    let token = params.single("state").ok().flatten();
    let then = state.provider.upstream_logged_out(token).await;
    crate::oauth::logout::signed_out(&state, then)
}

/// The page for a federation failure; the detail goes to the log and the sign-in log only.
async fn failure_page(
    state: &AppState,
    provider_id: &str,
    e: &FederationError,
    from: &Attempt<'_>,
) -> Response {
    // Only failures of a real sign-in attempt are logged: a callback with an unknown provider
    // or no valid state is anyone's request, and must not write the operators' log.
    if !matches!(e, FederationError::UnknownProvider | FederationError::Expired) {
        let detail = Some(format!("{provider_id}: {e}"));
        state.provider.record_signin(SignInOutcome::UpstreamFailure, None, from, detail).await;
    }
    let (status, title, message) = match e {
        FederationError::UnknownProvider => (
            StatusCode::NOT_FOUND,
            "Unknown sign-in provider",
            "This sign-in provider is not available. Go back and choose another way to sign in.",
        ),
        FederationError::Expired => (
            StatusCode::BAD_REQUEST,
            "This sign-in has expired",
            "The sign-in took too long or was already used. Go back to the application and try again.",
        ),
        FederationError::Denied => (
            StatusCode::FORBIDDEN,
            "Sign-in cancelled",
            "The sign-in was cancelled at the provider. Go back to the application to try again.",
        ),
        FederationError::Upstream(_) | FederationError::Unavailable(_) => (
            StatusCode::BAD_GATEWAY,
            "The sign-in provider did not answer as expected",
            "Signing in with this provider failed. Try again later or choose another way to sign in.",
        ),
        FederationError::Server(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            "Keygate could not complete the sign-in. Please try again.",
        ),
    };
    if status.is_server_error() {
        tracing::warn!(upstream = provider_id, error = %e, "federated sign-in failed");
    } else {
        tracing::info!(upstream = provider_id, error = %e, "federated sign-in stopped");
    }
    error_page(state, status, title, message)
}
