//! The account page (`/account`): where users see and change their own account. It is a
//! first-party client of Keygate, like the console ([`crate::first_party`]): signing in goes
//! through the authorization code flow, so the SSO session, `max_age`-style checks and the
//! sign-in log apply as for any application. Every change is a POST with the page's CSRF token
//! answered by a redirect (Post/Redirect/Get), and recorded in the audit log.

// Handlers answer with a `Response` either way; boxing the error side buys nothing here.
#![allow(clippy::result_large_err)]

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, RawQuery, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keygate_core::account::profile::ProfileChange;
use keygate_core::admin::AdminError;
use keygate_core::federation::OwnLink;
use keygate_core::{Params, Secret, User};
use minijinja::context;
use serde::Deserialize;

use crate::extract::read_page_form;
use crate::first_party::FirstParty;
use crate::serving::client_ip;
use crate::state::AppState;
use crate::ui::{cookies, error_page, page, see_other};

pub use keygate_core::admin::ACCOUNT_CLIENT_ID;

mod passkeys;

/// The account page as a client of Keygate.
pub const ACCOUNT: FirstParty = FirstParty {
    client_id: ACCOUNT_CLIENT_ID,
    name: "Your account",
    base: "/account",
    scopes: &["openid", "profile", "email"],
    admin_api: false,
    seal_context: "keygate-account-session",
    cookie: |c| c.account,
    flow_cookie: |c| c.account_flow,
};

/// The account page's routes.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/account", get(show))
        .route("/account/login", get(login))
        .route("/account/callback", get(callback))
        .route("/account/logout", post(logout))
        .route("/account/profile", post(profile))
        .route("/account/password", post(password))
        .route("/account/sessions/others/end", post(end_other_sessions))
        .route("/account/applications/{client_id}/revoke", post(revoke_application))
        .route("/account/email", post(email))
        .route("/account/identities/{provider}/link", post(link))
        .route("/account/identities/{provider}/{subject}/unlink", post(unlink))
        .route("/account/delete", post(delete))
        .route("/account/mfa/totp", post(totp_start))
        .route("/account/mfa/totp/confirm", post(totp_confirm))
        .route("/account/mfa/totp/remove", post(totp_remove))
        .route("/account/mfa/recovery", post(recovery_codes))
        .route("/account/passkeys", post(passkeys::add))
        .route("/account/passkeys/{id}/rename", post(passkeys::rename))
        .route("/account/passkeys/{id}/remove", post(passkeys::remove))
}

/// A signed-in user on their account page.
pub struct AccountUser {
    user: User,
    cookie: String,
    /// This browser's SSO session, if it still has one.
    sid: Option<String>,
    ip: Option<String>,
}

impl FromRequestParts<AppState> for AccountUser {
    type Rejection = Response;

    /// The user behind the account cookie (an active access token of an enabled user), or a
    /// redirect to sign in.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let ip = client_ip(&parts.extensions).map(|ip| ip.to_string());
        Self::signed_in(state, &parts.headers, ip).await.ok_or_else(|| ACCOUNT.to_login(state))
    }
}

impl AccountUser {
    /// The user whose account cookie `headers` carry, if any.
    async fn signed_in(state: &AppState, headers: &HeaderMap, ip: Option<String>) -> Option<Self> {
        let (tokens, cookie) = ACCOUNT.tokens(state, headers)?;
        let provider = &state.provider;
        let active = provider.active_access_token_with_grant(&tokens.access_token).await;
        let Ok(Some((_, Some(grant)))) = active else { return None };
        let user = provider.store().find_user(&grant.user_id).await.ok().flatten();
        let user = user.filter(|u| !u.disabled)?;
        let session = cookies::read(headers, state.cookies.session);
        let sid = provider.current_session(session).await.ok().flatten().map(|(s, _)| s.sid);
        Some(Self { user, cookie: cookie.to_owned(), sid, ip })
    }
}

/// A signed-in user's form post: the user, and the form, whose CSRF token is this session's
/// (else the "form has expired" page).
pub struct AccountPost {
    account: AccountUser,
    form: Params,
}

impl FromRequest<AppState> for AccountPost {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let account = AccountUser::from_request_parts(&mut parts, state).await?;
        let headers = parts.headers.clone();
        let body = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(axum::response::IntoResponse::into_response)?;
        match read_page_form(&headers, &body) {
            Some(form) if ACCOUNT.csrf_ok(&account.cookie, &form) => Ok(Self { account, form }),
            _ => Err(error_page(
                state,
                StatusCode::FORBIDDEN,
                "This form has expired",
                "Reload the page and try again.",
            )),
        }
    }
}

/// `GET /account/login`.
pub async fn login(State(state): State<AppState>) -> Response {
    ACCOUNT.login(&state)
}

/// `GET /account/callback`.
pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    match ACCOUNT.redeem(&state, &headers, query).await {
        Ok((_, cookie)) => {
            let (_, home) = ACCOUNT.urls(state.provider.issuer());
            let mut response = see_other(&home);
            ACCOUNT.keep(&state, &mut response, &cookie);
            response
        }
        Err(response) => response,
    }
}

/// `POST /account/logout`: signs out of Keygate.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    ACCOUNT.logout(&state, &headers, &body)
}

/// What the page says after a change.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "profile" => Some("Your profile is saved."),
        "password" => Some("Your password is changed. Your other devices are signed out."),
        "sessions" => Some("Your other devices are signed out."),
        "application" => Some("The application no longer has access to your account."),
        "email" => Some(
            "Check your new address: the change takes effect when you open the link we sent there.",
        ),
        "unlinked" => Some("That sign-in is no longer linked to your account."),
        "linked" => Some("You can now sign in with that account too."),
        "recovery" => Some("Two-step sign-in is on."),
        "totp" => Some("Two-step sign-in is on."),
        "totp_off" => Some("Two-step sign-in is off."),
        "passkey" => Some("Your passkey is added: you can sign in with it."),
        "passkey_renamed" => Some("The passkey is renamed."),
        "passkey_removed" => Some("The passkey is removed."),
        _ => None,
    }
}

/// `GET /account`.
pub async fn show(
    State(state): State<AppState>,
    account: AccountUser,
    Query(done): Query<Done>,
) -> Response {
    render(&state, &account, StatusCode::OK, notice(done.done.as_deref()), &[]).await
}

async fn render(
    state: &AppState,
    account: &AccountUser,
    status: StatusCode,
    notice: Option<&str>,
    problems: &[String],
) -> Response {
    let provider = &state.provider;
    let admin = provider.as_user(&account.user, account.ip.clone());
    let sessions = admin.user_sessions(&account.user.id).await.unwrap_or_default();
    let others = sessions.iter().filter(|s| account.sid.as_deref() != Some(s.sid.as_str())).count();
    let sessions: Vec<_> = sessions
        .iter()
        .map(|s| {
            let this = account.sid.as_deref() == Some(s.sid.as_str());
            context! { since => crate::console::when(s.auth_time), this, amr => &s.amr }
        })
        .collect();
    let consents = admin.user_consents(&account.user.id).await.unwrap_or_default();
    let mut applications = Vec::new();
    for consent in consents {
        let client = provider.client(&consent.client_id).await.ok().flatten();
        let resources = client.as_ref().map(|c| c.resources.clone()).unwrap_or_default();
        let name = client.map_or_else(|| consent.client_id.clone(), |c| c.name.clone());
        let lines = provider.scope_lines(&consent.scope, &resources).await.unwrap_or_default();
        let scopes = crate::ui::scope_view(&lines);
        applications.push(context! { id => &consent.client_id, name, scopes });
    }
    let identities = admin.linked_identities(&account.user.id).await.unwrap_or_default();
    let upstreams = provider.upstream_providers().await.unwrap_or_default();
    let can_link: Vec<_> = upstreams
        .iter()
        .filter(|u| u.enabled)
        .map(|u| {
            context! {
                name => &u.display_name,
                action => format!("{}/account/identities/{}/link", provider.issuer(),
                    crate::console::urlencoding(&u.id)),
            }
        })
        .collect();
    let factors = provider.factors(&account.user.id).await.unwrap_or_default();
    let policy = provider.settings().mfa_policy;
    let mfa = context! {
        offered => policy != keygate_core::settings::MfaPolicy::Off,
        required => policy == keygate_core::settings::MfaPolicy::Required || account.user.require_mfa,
        totp => factors.totp.is_some(),
        added => factors.totp.as_ref().map(|t| crate::console::when(t.created_at)),
        last_used => factors.totp.as_ref().and_then(|t| t.last_used_at).map(crate::console::when),
        recovery_codes => factors.recovery_codes,
    };
    let u = &account.user;
    let claims: Vec<_> = provider
        .settings()
        .editable_claims
        .iter()
        .map(|name| {
            let (label, hint, autocomplete, kind) = claim_field(name);
            let value = u.claims.get(name).and_then(|v| v.as_str()).unwrap_or_default();
            context! { name, label, hint, autocomplete, kind, value }
        })
        .collect();
    let ctx = context! {
        user => context! {
            username => &u.username, email => &u.email, email_verified => u.email_verified,
            name => &u.name, given_name => &u.given_name, family_name => &u.family_name,
            has_password => u.password_hash.is_some(),
        },
        claims,
        mfa,
        passkey => passkeys::section(state, account, &factors.passkeys),
        sessions, others,
        applications,
        identities => identities.iter().map(|i| context! {
            provider => &i.provider_id, email => &i.email,
            unlink => format!("{}/account/identities/{}/{}/unlink", provider.issuer(),
                crate::console::urlencoding(&i.provider_id), crate::console::urlencoding(&i.subject)),
        }).collect::<Vec<_>>(),
        can_link,
        allow_delete => provider.settings().allow_account_delete,
        notice, problems => problems.to_vec(),
        csrf => ACCOUNT.csrf_of(&account.cookie),
        base => format!("{}/account", provider.issuer()),
        min_length => provider.settings().passwords.min_length,
    };
    page(state, status, "account.html", ctx)
}

/// How the page asks for an editable claim: label, hint, `autocomplete` token and input type.
fn claim_field(name: &str) -> (&'static str, &'static str, &'static str, &'static str) {
    match name {
        "middle_name" => ("Middle name", "", "additional-name", "text"),
        "nickname" => ("Nickname", "", "nickname", "text"),
        "profile" => ("Profile page", "A web address, https://…", "url", "url"),
        "picture" => ("Picture", "The web address of an image, https://…", "photo", "url"),
        "website" => ("Website", "A web address, https://…", "url", "url"),
        "gender" => ("Gender", "", "sex", "text"),
        "birthdate" => ("Birthdate", "YYYY-MM-DD, or only the year", "bday", "text"),
        "zoneinfo" => ("Time zone", "For example Europe/Paris", "off", "text"),
        "locale" => ("Language", "For example en-GB", "language", "text"),
        "phone_number" => {
            ("Phone number", "+ and the country code, e.g. +14155550100", "tel", "tel")
        }
        _ => ("", "", "off", "text"),
    }
}

fn back(state: &AppState, done: &str) -> Response {
    see_other(&format!("{}/account?done={done}", state.provider.issuer()))
}

/// The answer to an administrative change: back to the page with `done`, the page with the
/// problems, or the failure page.
async fn after_admin<T>(
    state: &AppState,
    account: &AccountUser,
    result: Result<T, AdminError>,
    done: &str,
) -> Response {
    match result {
        Ok(_) => back(state, done),
        Err(AdminError::Invalid(problems)) => {
            render(state, account, StatusCode::UNPROCESSABLE_ENTITY, None, &problems).await
        }
        Err(e) => crate::console::failure(state, e),
    }
}

/// The answer to a change checked against the user's input: back with `done`, or the page
/// with the problems.
async fn after_check(
    state: &AppState,
    account: &AccountUser,
    result: Result<Result<(), Vec<String>>, keygate_core::OAuthError>,
    done: &str,
) -> Response {
    match result {
        Ok(Ok(())) => back(state, done),
        Ok(Err(problems)) => {
            render(state, account, StatusCode::UNPROCESSABLE_ENTITY, None, &problems).await
        }
        Err(e) => crate::ui::next_response(state, Err(e.into())),
    }
}

/// `POST /account/profile`.
pub async fn profile(
    State(state): State<AppState>,
    AccountPost { account, form }: AccountPost,
) -> Response {
    let field = |name| form.single(name).ok().flatten().map(str::to_owned);
    let settings = state.provider.settings();
    let claims = settings
        .editable_claims
        .iter()
        .filter_map(|c| Some((c.clone(), form.field(c)?.to_owned())))
        .collect();
    let change = ProfileChange {
        name: field("name"),
        given_name: field("given_name"),
        family_name: field("family_name"),
        claims,
    };
    let result = state.provider.update_own_profile(&account.user, change).await;
    after_admin(&state, &account, result, "profile").await
}

/// `POST /account/password`: the current password, then the new one twice.
pub async fn password(
    State(state): State<AppState>,
    AccountPost { account, form }: AccountPost,
) -> Response {
    let field = |name| form.single(name).ok().flatten().unwrap_or("");
    if field("new_password") != field("new_password_again") {
        let problems = ["new password: the two new passwords are not the same".to_owned()];
        return render(&state, &account, StatusCode::UNPROCESSABLE_ENTITY, None, &problems).await;
    }
    let (current, new) =
        (Secret::new(field("current_password")), Secret::new(field("new_password")));
    let changed = state
        .provider
        .change_own_password(&account.user, current, new, account.sid.as_deref())
        .await;
    after_check(&state, &account, changed, "password").await
}

/// `POST /account/sessions/others/end`: signs out every other device.
pub async fn end_other_sessions(
    State(state): State<AppState>,
    AccountPost { account, .. }: AccountPost,
) -> Response {
    let admin = state.provider.as_user(&account.user, account.ip.clone());
    let sessions = admin.user_sessions(&account.user.id).await.unwrap_or_default();
    for session in sessions.iter().filter(|s| account.sid.as_deref() != Some(s.sid.as_str())) {
        if let Err(e) = admin.end_session(&account.user.id, &session.sid).await {
            return crate::console::failure(&state, e);
        }
    }
    back(&state, "sessions")
}

/// `POST /account/applications/{client_id}/revoke`: withdraws the consent and revokes the
/// application's tokens.
pub async fn revoke_application(
    State(state): State<AppState>,
    Path(client_id): Path<String>,
    AccountPost { account, .. }: AccountPost,
) -> Response {
    let admin = state.provider.as_user(&account.user, account.ip.clone());
    let result = admin.revoke_consent(&account.user.id, &client_id).await;
    after_admin(&state, &account, result, "application").await
}

/// `POST /account/email`: a link to the new address; the change waits for it.
pub async fn email(
    State(state): State<AppState>,
    AccountPost { account, form }: AccountPost,
) -> Response {
    let field = |name| form.single(name).ok().flatten().unwrap_or("");
    let password = Secret::new(field("current_password"));
    let asked =
        state.provider.request_email_change(&account.user, password, field("new_email")).await;
    after_check(&state, &account, asked, "email").await
}

/// `POST /account/identities/{provider}/{subject}/unlink`.
pub async fn unlink(
    State(state): State<AppState>,
    Path((provider_id, subject)): Path<(String, String)>,
    AccountPost { account, .. }: AccountPost,
) -> Response {
    let ip = account.ip.clone();
    let result =
        state.provider.unlink_own_identity(&account.user, &provider_id, &subject, ip).await;
    after_admin(&state, &account, result, "unlinked").await
}

/// `POST /account/identities/{provider}/link`: off to the upstream to sign in there; its
/// callback comes back to [`finish_link`].
pub async fn link(
    State(state): State<AppState>,
    Path(provider_id): Path<String>,
    AccountPost { account, .. }: AccountPost,
) -> Response {
    match state.provider.start_federation_link(&provider_id, &account.user).await {
        Ok(url) => see_other(&url),
        Err(e) => {
            tracing::info!(upstream = %provider_id, error = %e, "linking could not start");
            let problem = format!("Linking could not start: {e}.");
            render(&state, &account, StatusCode::BAD_GATEWAY, None, &[problem]).await
        }
    }
}

/// The upstream's callback for a link started on the account page: the browser must still be
/// signed in there as the user who started it; then the identity is linked, unless another
/// account has it.
pub async fn finish_link(
    state: &AppState,
    headers: &HeaderMap,
    ip: String,
    pending: keygate_core::federation::PendingCallback,
) -> Response {
    let account = AccountUser::signed_in(state, headers, Some(ip)).await;
    let Some(account) = account.filter(|a| pending.link_user.as_deref() == Some(&a.user.id)) else {
        return error_page(
            state,
            StatusCode::FORBIDDEN,
            "This link was started by another sign-in",
            "Open your account page, sign in, and link the account again.",
        );
    };
    let identity = match state.provider.complete_federation(&pending).await {
        Ok(identity) => identity,
        Err(e) => {
            tracing::info!(upstream = %pending.upstream.id, error = %e, "linking failed");
            let problem = format!("Linking {} failed: {e}.", pending.upstream.display_name);
            return render(state, &account, StatusCode::BAD_GATEWAY, None, &[problem]).await;
        }
    };
    let ip = account.ip.clone();
    match state.provider.link_own_identity(&account.user, &identity, ip).await {
        Ok(OwnLink::Linked | OwnLink::AlreadyLinked) => back(state, "linked"),
        Ok(OwnLink::TakenByAnother) => {
            let problem = format!(
                "This {} account is linked to another account here; sign in with it to unlink it there first.",
                pending.upstream.display_name
            );
            render(state, &account, StatusCode::CONFLICT, None, &[problem]).await
        }
        Err(e) => {
            tracing::warn!(error = %e, "linking could not be stored");
            let message = "Keygate could not link the account. Please try again.";
            error_page(state, StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong", message)
        }
    }
}

/// `POST /account/delete`: with the current password, where the operator allows it.
pub async fn delete(
    State(state): State<AppState>,
    AccountPost { account, form }: AccountPost,
) -> Response {
    let password = Secret::new(form.single("current_password").ok().flatten().unwrap_or(""));
    let ip = account.ip.clone();
    match state.provider.delete_own_account(&account.user, password, ip).await {
        Ok(()) => {
            let ctx = context! {
                title => "Account deleted",
                message => "Your account and everything applications could reach with it are gone.",
            };
            let mut response = page(&state, StatusCode::OK, "logged_out.html", ctx);
            for name in [state.cookies.account, state.cookies.session] {
                cookies::append(&mut response, &state.cookies.clear(name));
            }
            response
        }
        Err(AdminError::Invalid(problems)) => {
            render(&state, &account, StatusCode::UNPROCESSABLE_ENTITY, None, &problems).await
        }
        Err(e) => crate::console::failure(&state, e),
    }
}

/// The page adding an authenticator app: the QR code, the key, and the form for the first
/// code (the key itself rides in a sealed ticket until that code confirms it).
fn totp_page(
    state: &AppState,
    account: &AccountUser,
    status: StatusCode,
    enrolment: keygate_core::mfa::TotpEnrolment,
    problems: &[String],
) -> Response {
    let ctx = context! {
        enrol => crate::ui::mfa::enrolment_view(enrolment),
        problems => problems.to_vec(),
        csrf => ACCOUNT.csrf_of(&account.cookie),
        base => format!("{}/account", state.provider.issuer()),
    };
    page(state, status, "account_totp.html", ctx)
}

/// The recovery codes, shown once.
fn codes_page(state: &AppState, codes: &[String]) -> Response {
    let ctx = context! {
        codes => codes.to_vec(),
        base => format!("{}/account", state.provider.issuer()),
    };
    page(state, StatusCode::OK, "account_totp.html", ctx)
}

/// `POST /account/mfa/totp`: a new key to scan.
pub async fn totp_start(
    State(state): State<AppState>,
    AccountPost { account, .. }: AccountPost,
) -> Response {
    match state.provider.begin_totp(&account.user) {
        Ok(enrolment) => totp_page(&state, &account, StatusCode::OK, enrolment, &[]),
        Err(e) => crate::ui::next_response(&state, Err(e.into())),
    }
}

/// `POST /account/mfa/totp/confirm`: the first code; then the recovery codes, if new.
pub async fn totp_confirm(
    State(state): State<AppState>,
    AccountPost { account, form }: AccountPost,
) -> Response {
    let field = |name| form.single(name).ok().flatten().unwrap_or("");
    let provider = &state.provider;
    let ip = account.ip.clone();
    match provider.confirm_totp(&account.user, field("ticket"), field("code"), ip).await {
        Ok(Ok(Some(codes))) => codes_page(&state, &codes),
        Ok(Ok(None)) => back(&state, "totp"),
        Ok(Err(problems)) => match provider.begin_totp(&account.user) {
            // A fresh key: the one that failed is not shown twice.
            Ok(again) => {
                totp_page(&state, &account, StatusCode::UNPROCESSABLE_ENTITY, again, &problems)
            }
            Err(e) => crate::ui::next_response(&state, Err(e.into())),
        },
        Err(e) => crate::ui::next_response(&state, Err(e.into())),
    }
}

/// `POST /account/mfa/totp/remove`: with the current password (or a code).
pub async fn totp_remove(
    State(state): State<AppState>,
    AccountPost { account, form }: AccountPost,
) -> Response {
    let proof = Secret::new(form.single("proof").ok().flatten().unwrap_or(""));
    let ip = account.ip.clone();
    let removed = state.provider.remove_own_totp(&account.user, proof, ip).await;
    after_check(&state, &account, removed, "totp_off").await
}

/// `POST /account/mfa/recovery`: ten new recovery codes, the old ones void.
pub async fn recovery_codes(
    State(state): State<AppState>,
    AccountPost { account, .. }: AccountPost,
) -> Response {
    if !matches!(state.provider.has_second_factor(&account.user.id).await, Ok(true)) {
        return back(&state, "profile");
    }
    match state.provider.new_recovery_codes(&account.user, account.ip.clone()).await {
        Ok(codes) => codes_page(&state, &codes),
        Err(e) => crate::ui::next_response(&state, Err(e.into())),
    }
}
