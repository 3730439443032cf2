//! Users: search, create, edit (profile, claims, admin role, disable), reset password, sessions,
//! consents, delete.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use keygate_core::Secret;
use keygate_core::admin::{AdminError, NewUser, UserSpec};
use keygate_core::store::UserQuery;
use keygate_core::user::{ADMIN_ROLE, User};
use minijinja::context;
use serde::Deserialize;

use super::form_errors;
use super::session::Console;
use super::{Confirm, confirm, console_url, failure, render, text, v, when};
use super::{redirect_after, urlencoding};
use crate::state::AppState;
use crate::ui::see_other;

const SECTION: &str = "users";
const PAGE: usize = 50;

/// `?q=&cursor=`.
#[derive(Debug, Deserialize)]
pub struct Search {
    q: Option<String>,
    cursor: Option<String>,
}

async fn list_page(
    state: &AppState,
    console: &Console,
    search: Search,
    form: BTreeMap<&str, String>,
    problems: &[String],
) -> Response {
    let admin = or_respond!(console.reader(state));
    let query = UserQuery {
        text: search.q.clone().filter(|q| !q.is_empty()),
        after: search.cursor,
        limit: PAGE as i64 + 1,
    };
    let mut users = match admin.search_users(&query).await {
        Ok(u) => u,
        Err(e) => return failure(state, e),
    };
    let next_cursor = crate::admin_api::next_page(&mut users, PAGE, |u| u.username.to_lowercase());
    let (errors, general, status) = form_errors(&form, problems);
    let invitations = state.provider.settings().signup.invitations();
    let languages: Vec<_> = state
        .provider
        .catalogs()
        .all()
        .iter()
        .map(|c| context! { tag => &c.tag, name => c.name() })
        .collect();
    let ctx = context! { title => "Users", users => v(&users), next_cursor, q => search.q, form, errors, general_errors => general, invitations, languages };
    render(state, console, SECTION, status, "users.html", ctx)
}

/// `GET /admin/users`.
pub async fn list(
    State(state): State<AppState>,
    console: Console,
    Query(search): Query<Search>,
) -> Response {
    list_page(&state, &console, search, BTreeMap::new(), &[]).await
}

/// `POST /admin/users`.
pub async fn create(
    State(state): State<AppState>,
    console: Console,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, admin) = or_respond!(console.post(&state, &headers, &body));
    let values = BTreeMap::from([
        ("username", text(&form, "username")),
        ("email", text(&form, "email")),
        ("name", text(&form, "name")),
        ("admin", text(&form, "admin")),
        // Never shown again; listed so that its problems sit at its field.
        ("password", String::new()),
    ]);
    let new = NewUser {
        username: values["username"].clone(),
        email: values["email"].clone(),
        name: Some(values["name"].clone()).filter(|n| !n.is_empty()),
        roles: if values["admin"].is_empty() { Vec::new() } else { vec![ADMIN_ROLE.to_owned()] },
        ..Default::default()
    };
    let password = Secret::new(form.single("password").ok().flatten().unwrap_or_default());
    let policy = state.provider.settings().passwords;
    match admin.create_user(new, &password, &policy).await {
        Ok(user) => see_other(&console_url(&state, &format!("/users/{}", user.id))),
        Err(AdminError::Invalid(problems)) => {
            let problems: Vec<String> = problems.into_iter().map(with_field).collect();
            list_page(&state, &console, Search { q: None, cursor: None }, values, &problems).await
        }
        Err(AdminError::Conflict(what)) => {
            list_page(
                &state,
                &console,
                Search { q: None, cursor: None },
                values,
                &[format!("username: {what}")],
            )
            .await
        }
        Err(e) => failure(&state, e),
    }
}

/// Core user problems named by their field.
fn with_field(problem: String) -> String {
    for (start, field) in [
        ("username", "username"),
        ("the password", "password"),
        ("claim", "claims"),
        ("role", "admin"),
        ("name", "name"),
        ("given name", "given_name"),
        ("family name", "family_name"),
    ] {
        if problem.starts_with(start) {
            return format!("{field}: {problem}");
        }
    }
    if problem.contains("email") { format!("email: {problem}") } else { problem }
}

fn form_of(u: &User) -> BTreeMap<&'static str, String> {
    let flag = |b: bool| if b { "yes".to_owned() } else { String::new() };
    BTreeMap::from([
        ("username", u.username.clone()),
        ("email", u.email.clone()),
        ("email_verified", flag(u.email_verified)),
        ("name", u.name.clone().unwrap_or_default()),
        ("given_name", u.given_name.clone().unwrap_or_default()),
        ("family_name", u.family_name.clone().unwrap_or_default()),
        ("claims", serde_json::to_string_pretty(&u.claims).unwrap_or_default()),
        ("admin", flag(u.has_role(ADMIN_ROLE))),
        ("disabled", flag(u.disabled)),
        ("require_mfa", flag(u.require_mfa)),
        ("password", String::new()),
    ])
}

async fn show_page(
    state: &AppState,
    console: &Console,
    user: &User,
    form: BTreeMap<&str, String>,
    problems: &[String],
    notice: Option<&str>,
) -> Response {
    let admin = or_respond!(console.reader(state));
    let (sessions, consents) =
        match (admin.user_sessions(&user.id).await, admin.user_consents(&user.id).await) {
            (Ok(s), Ok(c)) => (s, c),
            (Err(e), _) | (_, Err(e)) => return failure(state, e),
        };
    let sessions: Vec<_> = sessions
        .iter()
        .map(|s| context! { sid => &s.sid, auth_time => when(s.auth_time), amr => &s.amr, expires_at => when(s.expires_at) })
        .collect();
    let (errors, general, status) = form_errors(&form, problems);
    let identities = admin.linked_identities(&user.id).await.unwrap_or_default();
    let consented = consents.iter().map(|c| c.client_id.as_str());
    let client_names = admin.client_names(consented).await.unwrap_or_default();
    let factors = admin.second_factors(&user.id).await.unwrap_or_default();
    let factors = context! {
        app => factors.totp.is_some(),
        added => factors.totp.as_ref().map(|t| when(t.created_at)),
        last_used => factors.totp.as_ref().and_then(|t| t.last_used_at).map(when),
        recovery_codes => factors.recovery_codes,
        passkeys => factors.passkeys.iter().map(|p| context! {
            name => &p.name, synced => p.backup_eligible, added => when(p.created_at),
            last_used => p.last_used_at.map(when),
        }).collect::<Vec<_>>(),
    };
    let ctx = context! { title => &user.username, user => v(user), form, errors, general_errors => general, sessions, consents => v(&consents), identities => v(&identities), factors, notice, client_names };
    render(state, console, SECTION, status, "user.html", ctx)
}

/// `GET /admin/users/{id}`.
pub async fn show(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
) -> Response {
    let admin = or_respond!(console.reader(&state));
    match admin.user(&id).await {
        Ok(user) => show_page(&state, &console, &user, form_of(&user), &[], None).await,
        Err(e) => failure(&state, e),
    }
}

/// `POST /admin/users/{id}`.
pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, admin) = or_respond!(console.post(&state, &headers, &body));
    let current = match admin.user(&id).await {
        Ok(u) => u,
        Err(e) => return failure(&state, e),
    };
    let mut values = form_of(&current);
    for (key, value) in values.iter_mut() {
        *value = text(&form, key);
    }
    let opt = |v: &str| Some(Some(v.to_owned()).filter(|v| !v.is_empty()));
    let claims = if values["claims"].is_empty() {
        Ok(Default::default())
    } else {
        serde_json::from_str(&values["claims"])
    };
    let Ok(claims) = claims else {
        let problem = "claims: must be a JSON object, e.g. {\"locale\": \"en-GB\"}".to_owned();
        return show_page(&state, &console, &current, values, &[problem], None).await;
    };
    let mut roles: Vec<String> =
        current.roles.iter().filter(|r| *r != ADMIN_ROLE).cloned().collect();
    if !values["admin"].is_empty() {
        roles.push(ADMIN_ROLE.to_owned());
    }
    let spec = UserSpec {
        username: Some(values["username"].clone()),
        email: Some(values["email"].clone()),
        email_verified: Some(!values["email_verified"].is_empty()),
        name: opt(&values["name"]),
        given_name: opt(&values["given_name"]),
        family_name: opt(&values["family_name"]),
        disabled: None,
        roles: Some(roles),
        claims: Some(claims),
        require_mfa: Some(!values["require_mfa"].is_empty()),
    };
    let mut result = admin.update_user(&current.id, spec).await;
    let disabled = !values["disabled"].is_empty();
    if let Ok(user) = &result
        && user.disabled != disabled
    {
        result = admin.set_disabled(&user.id, disabled).await;
    }
    match result {
        Ok(user) => {
            show_page(&state, &console, &user, form_of(&user), &[], Some("Changes saved.")).await
        }
        Err(AdminError::Invalid(problems)) => {
            let problems: Vec<String> = problems.into_iter().map(with_field).collect();
            show_page(&state, &console, &current, values, &problems, None).await
        }
        Err(AdminError::Conflict(what)) => {
            show_page(&state, &console, &current, values, &[format!("username: {what}")], None)
                .await
        }
        Err(e) => failure(&state, e),
    }
}

/// What the console says after a password change (core ended the user's access).
const PASSWORD_SET: &str = "Password set. The user was signed out everywhere, and applications \
     must ask them to sign in again.";

/// `POST /admin/users/{id}/password`.
pub async fn set_password(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, admin) = or_respond!(console.post(&state, &headers, &body));
    let password = Secret::new(form.single("password").ok().flatten().unwrap_or_default());
    let policy = state.provider.settings().passwords;
    match admin.set_password(&id, &password, &policy).await {
        Ok(user) => {
            show_page(&state, &console, &user, form_of(&user), &[], Some(PASSWORD_SET)).await
        }
        Err(AdminError::Invalid(problems)) => match admin.user(&id).await {
            Ok(user) => {
                let problems: Vec<String> = problems.into_iter().map(with_field).collect();
                show_page(&state, &console, &user, form_of(&user), &problems, None).await
            }
            Err(e) => failure(&state, e),
        },
        Err(e) => failure(&state, e),
    }
}

fn user_path(id: &str) -> String {
    format!("/users/{}", urlencoding(id))
}

/// `GET /admin/users/{id}/sessions/{sid}/end`: asks first.
pub async fn confirm_end_session(
    State(state): State<AppState>,
    console: Console,
    Path((id, sid)): Path<(String, String)>,
) -> Response {
    confirm(&state, &console, Confirm {
        title: "End this session?".into(),
        message: "The user is signed out of Keygate on that device, its tokens are revoked, and applications with back-channel logout are told.".into(),
        action: console_url(&state, &format!("{}/sessions/{}/end", user_path(&id), urlencoding(&sid))),
        cancel: console_url(&state, &user_path(&id)),
        button: "End session",
        section: SECTION,
    })
}

/// `POST /admin/users/{id}/sessions/{sid}/end`.
pub async fn end_session(
    State(state): State<AppState>,
    console: Console,
    Path((id, sid)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (_, admin) = or_respond!(console.post(&state, &headers, &body));
    let ended = crate::admin_api::end_user_session(&state, &admin, &id, &sid).await;
    redirect_after(&state, ended, &user_path(&id))
}

/// `GET /admin/users/{id}/consents/{client_id}/revoke`: asks first.
pub async fn confirm_revoke(
    State(state): State<AppState>,
    console: Console,
    Path((id, client_id)): Path<(String, String)>,
) -> Response {
    confirm(
        &state,
        &console,
        Confirm {
            title: "Revoke this consent?".into(),
            message: format!(
                "Application {client_id} loses access: its tokens for this user are revoked and it must ask again."
            ),
            action: console_url(
                &state,
                &format!("{}/consents/{}/revoke", user_path(&id), urlencoding(&client_id)),
            ),
            cancel: console_url(&state, &user_path(&id)),
            button: "Revoke",
            section: SECTION,
        },
    )
}

/// `POST /admin/users/{id}/consents/{client_id}/revoke`.
pub async fn revoke_consent(
    State(state): State<AppState>,
    console: Console,
    Path((id, client_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (_, admin) = or_respond!(console.post(&state, &headers, &body));
    redirect_after(&state, admin.revoke_consent(&id, &client_id).await, &user_path(&id))
}

/// `GET /admin/users/{id}/delete`: asks first.
pub async fn confirm_delete(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
) -> Response {
    confirm(&state, &console, Confirm {
        title: "Delete this user?".into(),
        message: "The account, its sessions and consents are deleted and its tokens revoked. This cannot be undone.".into(),
        action: console_url(&state, &format!("{}/delete", user_path(&id))),
        cancel: console_url(&state, &user_path(&id)),
        button: "Delete user",
        section: SECTION,
    })
}

/// `POST /admin/users/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (_, admin) = or_respond!(console.post(&state, &headers, &body));
    redirect_after(&state, admin.delete_user(&id).await, "/users")
}

/// `POST /admin/users/{id}/factors/remove`: a lost phone; the password alone signs in again.
pub async fn remove_factors(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (_, admin) = or_respond!(console.post(&state, &headers, &body));
    let result = admin.remove_second_factors(&id).await;
    redirect_after(&state, result, &format!("/users/{}", urlencoding(&id)))
}
