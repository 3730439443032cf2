//! The end-session endpoint (OpenID Connect RP-Initiated Logout 1.0) and back-channel logout
//! delivery (OpenID Connect Back-Channel Logout 1.0 §2.5).

use std::time::Duration;

use aws_lc_rs::digest::{SHA256, digest};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use keygate_core::Params;
use keygate_core::User;
use keygate_core::client::Departure;
use keygate_core::logout::{BackchannelNotice, LogoutRequest};
use keygate_core::store::Session;
use minijinja::context;
use subtle::ConstantTimeEq;

use crate::extract::RequestParams;
use crate::state::AppState;
use crate::ui::{bad_form, cookies, error_page, leave, page, see_other};

/// `GET` and `POST /logout` (RP-Initiated Logout §2 allows both).
pub async fn handle(
    State(state): State<AppState>,
    headers: HeaderMap,
    RequestParams(params): RequestParams,
) -> Response {
    start(state, headers, params).await
}

/// The confirmation form's token: bound to the session cookie, which other sites cannot read.
fn logout_csrf(session_cookie: &str) -> String {
    let input = format!("keygate-logout\0{session_cookie}");
    URL_SAFE_NO_PAD.encode(digest(&SHA256, input.as_bytes()))
}

/// The validated logout request and, if the browser is signed in, its session, user and
/// session cookie; or the page to show instead.
async fn prepare(
    state: &AppState,
    headers: &HeaderMap,
    params: &Params,
) -> Result<(LogoutRequest, Option<(Session, User, String)>), Response> {
    let request = state.provider.validate_logout(params).await.map_err(|message| {
        error_page(state, StatusCode::BAD_REQUEST, "Sign-out failed", &message)
    })?;
    let cookie = cookies::read(headers, state.cookies.session);
    let session =
        state.provider.current_session(cookie).await.map_err(|e| server_error(state, e.into()))?;
    let live = match (session, cookie) {
        (Some((session, user)), Some(cookie)) => Some((session, user, cookie.to_owned())),
        _ => None,
    };
    Ok((request, live))
}

async fn start(state: AppState, headers: HeaderMap, params: Params) -> Response {
    let (request, live) = match prepare(&state, &headers, &params).await {
        Ok(prepared) => prepared,
        Err(response) => return response,
    };
    let Some((session, user, cookie)) = live else { return finish(&state, &request) };
    if state.provider.logout_is_trusted(&request, &session) {
        return end(&state, &request, &session).await;
    }
    let ctx = context! {
        app_name => request.client.as_ref().map(|c| c.name.clone()),
        user_name => user.display_name(),
        csrf => logout_csrf(&cookie),
        client_id => request.client.as_ref().map(|c| c.client_id.clone()),
        post_logout_redirect_uri => request.post_logout_redirect_uri,
        state => request.state,
        action => format!("{}/logout/confirm", state.provider.issuer()),
    };
    page(&state, StatusCode::OK, "logout.html", ctx)
}

/// `POST /logout/confirm`: the user's answer on the confirmation page. The redirect target is
/// validated again: hidden fields are never trusted.
pub async fn confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    RequestParams(form): RequestParams,
) -> Response {
    let (Ok(Some(csrf)), Ok(Some(decision))) = (form.single("csrf"), form.single("decision"))
    else {
        return bad_form(&state);
    };
    let (request, live) = match prepare(&state, &headers, &form).await {
        Ok(prepared) => prepared,
        Err(response) => return response,
    };
    let Some((session, _, cookie)) = live else { return finish(&state, &request) };
    if !bool::from(logout_csrf(&cookie).as_bytes().ct_eq(csrf.as_bytes())) {
        return bad_form(&state);
    }
    if decision != "logout" {
        // The way back: the application's home page, when it registered one (RFC 7591 §2
        // `client_uri`); its post-logout URI would tell it the user signed out.
        let back = request.client.as_ref().and_then(|c| {
            c.metadata.client_uri.clone().map(|url| context! { name => c.name.clone(), url })
        });
        let ctx = context! {
            title => "You are still signed in", message => "Nothing was changed.", back,
        };
        return page(&state, StatusCode::OK, "logged_out.html", ctx);
    }
    end(&state, &request, &session).await
}

async fn end(state: &AppState, request: &LogoutRequest, session: &Session) -> Response {
    match state.provider.end_session(session).await {
        Ok(notices) => {
            tokio::spawn(deliver(state.http.clone(), notices));
        }
        Err(e) => return server_error(state, e.into()),
    }
    let mut response = match upstream_logout(state, request, session).await {
        Some(url) => see_other(&url),
        None => finish(state, request),
    };
    cookies::append(&mut response, &state.cookies.clear(state.cookies.session));
    response
}

/// For a session signed in through an upstream that logs out too: the upstream's end-session
/// URL, which comes back to Keygate and then goes where [`finish`] would.
async fn upstream_logout(
    state: &AppState,
    request: &LogoutRequest,
    session: &Session,
) -> Option<String> {
    let idp = session.idp.as_deref()?;
    let then = state.provider.post_logout_redirect(request);
    match state.provider.upstream_logout(idp, then).await {
        Ok(url) => url,
        Err(e) => {
            tracing::warn!(upstream = idp, error = %e, "upstream logout skipped");
            None
        }
    }
}

/// Back to the client's registered URI with `state`, or Keygate's signed-out page.
fn finish(state: &AppState, request: &LogoutRequest) -> Response {
    signed_out(state, state.provider.post_logout_redirect(request))
}

/// The end of a logout: to the client's post-logout redirect URI, or Keygate's signed-out page.
pub fn signed_out(state: &AppState, then: Option<Departure>) -> Response {
    const TITLE: &str = "You are signed out";
    match then {
        Some(departure) => leave(state, departure, TITLE, "The application asks to take you back."),
        None => {
            let ctx = context! { title => TITLE, message => "You can close this window." };
            page(state, StatusCode::OK, "logged_out.html", ctx)
        }
    }
}

fn server_error(state: &AppState, e: anyhow::Error) -> Response {
    tracing::error!(error = ?e, "logout failed");
    error_page(
        state,
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "Please try again.",
    )
}

/// POSTs each logout token (Back-Channel Logout §2.5); a client that does not answer 200 in
/// five seconds is logged and not retried.
pub async fn deliver(http: crate::outbound::Outbound, notices: Vec<BackchannelNotice>) {
    for notice in notices {
        let request = match http.post(&notice.uri) {
            Ok(request) => request,
            Err(e) => {
                tracing::warn!(client_id = %notice.client_id, error = %e, "back-channel logout refused by the outbound policy");
                continue;
            }
        };
        let sent = request
            .timeout(Duration::from_secs(5))
            .form(&[("logout_token", notice.logout_token.as_str())])
            .send()
            .await;
        match sent {
            Ok(r) if r.status().is_success() => {
                tracing::info!(client_id = %notice.client_id, "delivered back-channel logout");
            }
            Ok(r) => {
                tracing::warn!(client_id = %notice.client_id, status = %r.status(), "back-channel logout refused")
            }
            Err(e) => {
                tracing::warn!(client_id = %notice.client_id, error = %e, "back-channel logout failed")
            }
        }
    }
}
