//! Self-service sign-up: `GET`/`POST /signup` (reached from the login page's "Create account"
//! and by `prompt=create`), and `GET`/`POST /signup/confirm` behind the link in the message
//! ([`keygate_core::account::signup`]).

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keygate_core::Secret;
use keygate_core::account::signup::{Confirmed, SignUpForm, SignUpOrigin};
use keygate_core::authorize::csrf_token;
use keygate_core::secret::SecretHash;
use keygate_core::signin_log::SignInOutcome;
use minijinja::context;
use serde::Deserialize;

use super::{
    bad_form, browser_cookie, cookies, error_page, next_response, page, see_other, with_cookie,
};
use crate::extract::read_page_form;
use crate::serving::ClientIp;
use crate::state::AppState;

const CSRF_PURPOSE: &str = "signup";
const LINK_GONE: &str = "This link has expired or was already used. Sign up again to get a new \
     one: links work once, for a limited time.";

/// `?req=` (the sign-in that sent the person here) or `?token=` (the link in the message).
#[derive(Debug, Deserialize)]
pub struct SignUpQuery {
    req: Option<String>,
    token: Option<String>,
}

fn off(state: &AppState) -> Option<Response> {
    let signup = &state.provider.settings().signup;
    if signup.enabled() {
        return None;
    }
    let message = if signup.invitations() {
        "Accounts here are by invitation: ask an administrator to invite you."
    } else {
        "Accounts here are created by an administrator. Ask yours for one."
    };
    Some(error_page(state, StatusCode::NOT_FOUND, "Sign-up is closed", message))
}

fn csrf_ok(state: &AppState, headers: &HeaderMap, form: &keygate_core::Params) -> bool {
    super::page_csrf_ok(state, headers, form, CSRF_PURPOSE)
}

struct Filled<'a> {
    email: &'a str,
    name: &'a str,
    problems: Vec<String>,
    /// The invitation being accepted (its address is fixed).
    invite: Option<&'a str>,
}

async fn form_page(
    state: &AppState,
    status: StatusCode,
    browser: &str,
    req: Option<&str>,
    filled: Filled<'_>,
) -> Response {
    let issuer = state.provider.issuer();
    let settings = &state.provider.settings().signup;
    let domains = (settings.mode == keygate_core::settings::SignupMode::Domain)
        .then(|| settings.domains.join(", "));
    let ui_locales = super::request_ui_locales(state, Some(browser), req).await;
    let ctx = context! {
        csrf => csrf_token(browser, CSRF_PURPOSE),
        action => format!("{issuer}/signup"),
        ui_locales,
        req, domains,
        login => req.map(|r| format!("{issuer}/login?req={r}")),
        email => filled.email, name => filled.name, problems => filled.problems,
        invite => filled.invite,
        min_length => state.provider.settings().passwords.min_length,
        product => &state.provider.settings().mail.product_name,
    };
    page(state, status, "signup.html", ctx)
}

/// `GET /signup[?req=...]`: the sign-up form.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<SignUpQuery>,
) -> Response {
    if let Some(response) = off(&state) {
        return response;
    }
    let (browser, fresh) = browser_cookie(&state, &headers);
    let req = super::request_id_param(query.req.as_deref());
    let empty = Filled { email: "", name: "", problems: Vec::new(), invite: None };
    with_cookie(&state, form_page(&state, StatusCode::OK, &browser, req, empty).await, fresh)
}

/// `GET /signup/invite?token=...`: the sign-up form of an invitation, its address fixed.
pub async fn invitation(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<SignUpQuery>,
) -> Response {
    let (browser, fresh) = browser_cookie(&state, &headers);
    let token = query.token.unwrap_or_default();
    with_cookie(&state, invitation_page(&state, &browser, &token).await, fresh)
}

async fn invitation_page(state: &AppState, browser: &str, invite: &str) -> Response {
    if !state.provider.settings().signup.invitations() {
        return off(state).unwrap_or_else(|| link_gone(state));
    }
    match state.provider.invitation(invite).await {
        Ok(Some(invitation)) => {
            let filled = Filled {
                email: &invitation.email,
                name: "",
                problems: Vec::new(),
                invite: Some(invite),
            };
            form_page(state, StatusCode::OK, browser, None, filled).await
        }
        Ok(None) => link_gone(state),
        Err(e) => next_response(state, Err(e.into())),
    }
}

/// `POST /signup` with an invitation: creates the account and signs in this browser.
async fn accept(
    state: &AppState,
    browser: &str,
    invite: &str,
    signup: SignUpForm,
    again: &str,
) -> Response {
    use keygate_core::account::invite::Accepted;
    if !state.provider.settings().signup.invitations() {
        return off(state).unwrap_or_else(|| link_gone(state));
    }
    let mismatch = signup.password.expose_secret() != again;
    let name = signup.name.clone().unwrap_or_default();
    let accepted = if mismatch {
        Ok(Accepted::Rejected(vec!["password: the two passwords are not the same".to_owned()]))
    } else {
        state.provider.accept_invitation(invite, signup).await
    };
    match accepted {
        Ok(Accepted::Created(user)) => {
            let ctx =
                context! { created => true, username => &user.username, email => &user.email };
            let mut response = page(state, StatusCode::OK, "signup.html", ctx);
            let amr = [keygate_core::session::AMR_PASSWORD];
            match state.provider.start_session(&user, &amr).await {
                Ok((cookie, _)) => {
                    let ttl = state.provider.settings().session_ttl;
                    let set =
                        state.cookies.set(state.cookies.session, cookie.expose_secret(), Some(ttl));
                    cookies::append(&mut response, &set);
                    response
                }
                Err(e) => next_response(state, Err(e.into())),
            }
        }
        Ok(Accepted::Rejected(problems)) => {
            let email = state.provider.invitation(invite).await.ok().flatten().map(|i| i.email);
            let Some(email) = email else { return link_gone(state) };
            let filled = Filled { email: &email, name: &name, problems, invite: Some(invite) };
            form_page(state, StatusCode::UNPROCESSABLE_ENTITY, browser, None, filled).await
        }
        Ok(Accepted::InvalidLink) => link_gone(state),
        Err(e) => next_response(state, Err(e.into())),
    }
}

/// `POST /signup`: form problems are shown at once; otherwise the same "check your email"
/// page whether or not the address has an account, and the work happens after the answer.
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(form) = read_page_form(&headers, &body) else { return bad_form(&state) };
    let invite = form.single("invite").ok().flatten();
    if let Some(response) = off(&state).filter(|_| invite.is_none()) {
        return response;
    }
    let field = |name| form.single(name).ok().flatten().unwrap_or("");
    let (email, name, password, again) =
        (field("email"), field("name"), field("password"), field("password_again"));
    let Some(browser) = cookies::read(&headers, state.cookies.browser).map(str::to_owned) else {
        return bad_form(&state);
    };
    if !csrf_ok(&state, &headers, &form) || email.len() > 320 {
        return bad_form(&state);
    }
    let req = super::request_id_param(form.single("req").ok().flatten());
    let signup = SignUpForm {
        email: email.to_owned(),
        name: Some(name.to_owned()),
        password: Secret::new(password),
    };
    if let Some(invite) = invite {
        return accept(&state, &browser, invite, signup, again).await;
    }
    let mut problems = state.provider.sign_up_problems(&signup);
    if password != again {
        problems.push("password: the two passwords are not the same".to_owned());
    }
    if !problems.is_empty() {
        let filled = Filled { email, name, problems, invite: None };
        return form_page(&state, StatusCode::UNPROCESSABLE_ENTITY, &browser, req, filled).await;
    }
    let hash: String =
        SecretHash::of(&browser).as_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let origin = SignUpOrigin {
        request_id: req.map(str::to_owned),
        browser_hash: Some(hash),
        ip: Some(client.to_string()),
    };
    let provider = state.provider.clone();
    let languages = keygate_core::i18n::requested();
    tokio::spawn(keygate_core::i18n::speaking(languages, async move {
        if let Err(e) = provider.start_sign_up(signup, origin).await {
            tracing::error!(error = ?e, "sign-up failed");
        }
    }));
    let ui_locales = super::request_ui_locales(&state, Some(&browser), req).await;
    let ctx = context! { sent => true, email, ui_locales };
    page(&state, StatusCode::OK, "signup.html", ctx)
}

/// `GET /signup/confirm?token=...`: a button, not an action: mail scanners open links.
pub async fn confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<SignUpQuery>,
) -> Response {
    if let Some(response) = off(&state) {
        return response;
    }
    let token = query.token.unwrap_or_default();
    match state.provider.sign_up_link_works(&token).await {
        Ok(true) => {}
        Ok(false) => return link_gone(&state),
        Err(e) => return next_response(&state, Err(e.into())),
    }
    let (browser, fresh) = browser_cookie(&state, &headers);
    let ctx = context! {
        confirm => true, token, csrf => csrf_token(&browser, CSRF_PURPOSE),
        action => format!("{}/signup/confirm", state.provider.issuer()),
    };
    with_cookie(&state, page(&state, StatusCode::OK, "signup.html", ctx), fresh)
}

fn link_gone(state: &AppState) -> Response {
    let ctx = context! { gone => true, message => LINK_GONE };
    page(state, StatusCode::BAD_REQUEST, "signup.html", ctx)
}

/// `POST /signup/confirm`: creates the account; in the browser that signed up, signs in and
/// continues to the application that sent the person (Initiating User Registration §4.1).
pub async fn confirm_submit(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(response) = off(&state) {
        return response;
    }
    let Some(form) = read_page_form(&headers, &body) else { return bad_form(&state) };
    let Ok(Some(token)) = form.single("token") else { return bad_form(&state) };
    if !csrf_ok(&state, &headers, &form) {
        return bad_form(&state);
    }
    let (user, origin) = match state.provider.confirm_sign_up(token).await {
        Ok(Confirmed::Created(user, origin)) => (*user, origin),
        Ok(Confirmed::AddressTaken) => {
            let ctx =
                context! { taken => true, forgot => format!("{}/forgot", state.provider.issuer()) };
            return page(&state, StatusCode::CONFLICT, "signup.html", ctx);
        }
        Ok(Confirmed::InvalidLink) => return link_gone(&state),
        Err(e) => return next_response(&state, Err(e.into())),
    };
    let browser = cookies::read(&headers, state.cookies.browser);
    let same_browser = browser.is_some_and(|b| {
        let hash: String =
            SecretHash::of(b).as_bytes().iter().map(|x| format!("{x:02x}")).collect();
        origin.browser_hash.as_deref() == Some(hash.as_str())
    });
    let pending = match (same_browser, origin.request_id.as_deref()) {
        (true, Some(req)) => state.provider.pending_request(req, browser, None).await.ok(),
        _ => None,
    };
    let Some(pending) = pending else {
        let ctx = context! { created => true, username => &user.username, email => &user.email };
        return page(&state, StatusCode::OK, "signup.html", ctx);
    };
    let ip = client.to_string();
    let from = super::attempt(&ip, &headers, Some(&pending.client.client_id));
    state.provider.record_signin(SignInOutcome::Success, Some(&user.id), &from, None).await;
    super::sign_in_and_continue(&state, pending, user, browser).await
}

/// Where `prompt=create` sends the browser instead of the login page.
pub fn create_url(state: &AppState, request_id: &str) -> String {
    format!("{}/signup?req={request_id}", state.provider.issuer())
}

/// The login page's "Create account" link, when sign-up is on.
pub fn link_from_login(state: &AppState, request_id: &str) -> Option<String> {
    state.provider.settings().signup.enabled().then(|| create_url(state, request_id))
}

/// Keeps `see_other` in use for the `prompt=create` redirect.
pub fn to_sign_up(state: &AppState, request_id: &str) -> Response {
    see_other(&create_url(state, request_id))
}
