//! The device verification page (`GET`/`POST /device`, RFC 8628 §3.3): the user types the code
//! their device shows, signs in if needed, and approves or refuses on the consent page.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keygate_core::authorize::{BrowserCookies, DeviceOutcome, csrf_token};
use keygate_core::device::UserCodeFailure;
use keygate_core::device::{display_user_code, normalize_user_code};
use minijinja::context;
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::{bad_form, browser_cookie, cookies, next_response, page, with_cookie};
use crate::extract::read_page_form;
use crate::serving::ClientIp;
use crate::state::AppState;

/// The CSRF token of the page is bound to the browser cookie, like the other pages' tokens.
const CSRF_PURPOSE: &str = "device";
const WRONG_CODE: &str = "That code is not valid or has expired. Check the code on your device.";
const THROTTLED: &str = "Too many wrong codes. Please wait a few minutes and try again.";

/// `?user_code=` from `verification_uri_complete`.
#[derive(Debug, Deserialize)]
pub struct DeviceQuery {
    user_code: Option<String>,
}

fn render(
    state: &AppState,
    status: StatusCode,
    browser: &str,
    user_code: &str,
    error: Option<&str>,
) -> Response {
    let ctx = context! {
        csrf => csrf_token(browser, CSRF_PURPOSE),
        user_code => user_code,
        error => error,
        action => format!("{}/device", state.provider.issuer()),
    };
    page(state, status, "device.html", ctx)
}

/// `GET /device[?user_code=...]`: the code form, filled in from the link when there is one.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<DeviceQuery>,
) -> Response {
    let (browser, fresh) = browser_cookie(&state, &headers);
    let code = query.user_code.unwrap_or_default();
    let code = normalize_user_code(&code).map_or(code, |c| display_user_code(&c));
    let response = render(&state, StatusCode::OK, &browser, &code, None);
    with_cookie(&state, response, fresh)
}

/// `POST /device`: checks the form's CSRF token and the code (wrong codes count towards a
/// per-address limit, RFC 8628 §5.1), then continues to sign-in and consent.
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(form) = read_page_form(&headers, &body) else { return bad_form(&state) };
    let (Ok(Some(csrf)), Ok(Some(typed))) = (form.single("csrf"), form.single("user_code")) else {
        return bad_form(&state);
    };
    let Some(browser) = cookies::read(&headers, state.cookies.browser) else {
        return bad_form(&state);
    };
    let expected = csrf_token(browser, CSRF_PURPOSE);
    if !bool::from(expected.as_bytes().ct_eq(csrf.as_bytes())) {
        return bad_form(&state);
    }
    let ip = client.to_string();
    let checked = state.provider.check_user_code(typed, &ip).await;
    let user_code = match checked {
        Ok(Ok(code)) => code,
        Ok(Err(failure)) => {
            let (status, text) = match failure {
                UserCodeFailure::Throttled => (StatusCode::TOO_MANY_REQUESTS, THROTTLED),
                UserCodeFailure::Unknown => (StatusCode::OK, WRONG_CODE),
            };
            return render(&state, status, browser, typed, Some(text));
        }
        Err(e) => return next_response(&state, Err(e.into())),
    };
    let session = cookies::read(&headers, state.cookies.session);
    let cookies = BrowserCookies { session, browser: Some(browser) };
    let next = state.provider.authorize_device(&user_code, cookies).await;
    next_response(&state, next)
}

/// The last page of the device flow in the browser.
pub fn outcome_page(state: &AppState, outcome: DeviceOutcome) -> Response {
    let (status, title, message) = match outcome {
        DeviceOutcome::Approved => (
            StatusCode::OK,
            "Device connected",
            "You can return to your device: it will finish signing in by itself.",
        ),
        DeviceOutcome::Denied => (
            StatusCode::OK,
            "Access refused",
            "The device was not given access. You can close this page.",
        ),
        DeviceOutcome::Expired => (
            StatusCode::BAD_REQUEST,
            "This code has expired",
            "Start again on your device to get a new code.",
        ),
    };
    // The generic title-and-message page.
    page(state, status, "error.html", context! { title => title, message => message })
}
