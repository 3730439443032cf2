//! `/users`: accounts, passwords, sessions and consents.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keygate_core::Secret;
use keygate_core::admin::{AdminError, NewUser, UserSpec};
use keygate_core::store::UserQuery;

use super::auth::AdminCaller;
use super::problem::{JsonBody, Problem};
use super::views::{ConsentView, Page, Paging, PasswordInput, SessionView, UserInput, UserView};
use super::{check_if_match, created, with_etag};
use crate::state::AppState;

/// Lists users ordered by username; `q` searches username and email, or matches an id.
#[utoipa::path(get, path = "/users", tag = "users", params(Paging),
    responses((status = 200, body = Page<UserView>)), security(("bearer" = ["admin:read"])))]
pub async fn list(
    State(state): State<AppState>,
    caller: AdminCaller,
    Query(paging): Query<Paging>,
) -> Result<Json<Page<UserView>>, Problem> {
    let limit = paging.limit();
    let query = UserQuery {
        text: paging.q.clone().filter(|q| !q.is_empty()),
        after: paging.cursor.clone(),
        limit: limit as i64 + 1,
    };
    let mut users = caller.reader(&state)?.search_users(&query).await?;
    let next_cursor = super::next_page(&mut users, limit, |u| u.username.to_lowercase());
    Ok(Json(Page { items: users.iter().map(UserView::from).collect(), next_cursor }))
}

/// Creates a user with a password.
#[utoipa::path(post, path = "/users", tag = "users", request_body = UserInput,
    responses((status = 201, body = UserView), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn create(
    State(state): State<AppState>,
    caller: AdminCaller,
    JsonBody(input): JsonBody<UserInput>,
) -> Result<Response, Problem> {
    let admin = caller.writer(&state)?;
    let (Some(username), Some(email), Some(password)) =
        (input.username, input.email, input.password)
    else {
        return Err(AdminError::Invalid(vec![
            "username, email and password are required".to_owned(),
        ])
        .into());
    };
    let new = NewUser {
        username,
        email,
        email_verified: input.email_verified.unwrap_or(false),
        name: input.name.flatten(),
        given_name: input.given_name.flatten(),
        family_name: input.family_name.flatten(),
        roles: input.roles.unwrap_or_default(),
        claims: input.claims.unwrap_or_default(),
    };
    let policy = state.provider.settings().passwords;
    let user = admin.create_user(new, &Secret::new(password), &policy).await?;
    Ok(created(&state, &format!("users/{}", user.id), &UserView::from(&user)))
}

/// One user, by id, username or email.
#[utoipa::path(get, path = "/users/{id}", tag = "users",
    responses((status = 200, body = UserView), (status = 404, body = Problem)),
    security(("bearer" = ["admin:read"])))]
pub async fn get(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let user = caller.reader(&state)?.user(&id).await?;
    Ok(with_etag(StatusCode::OK, &UserView::from(&user)))
}

/// Changes a user: profile, `disabled` (which also revokes their grants), roles, claims.
#[utoipa::path(patch, path = "/users/{id}", tag = "users", request_body = UserInput,
    responses((status = 200, body = UserView), (status = 412, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn patch(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(input): JsonBody<UserInput>,
) -> Result<Response, Problem> {
    let admin = caller.writer(&state)?;
    let current = admin.user(&id).await?;
    check_if_match(&headers, &UserView::from(&current))?;
    if input.password.is_some() {
        return Err(AdminError::Invalid(vec![
            "set a password with PUT /users/{id}/password".to_owned(),
        ])
        .into());
    }
    let disabled = input.disabled;
    let spec = UserSpec {
        username: input.username,
        email: input.email,
        email_verified: input.email_verified,
        name: input.name,
        given_name: input.given_name,
        family_name: input.family_name,
        disabled: None,
        roles: input.roles,
        claims: input.claims,
        require_mfa: input.require_mfa,
    };
    let mut user = admin.update_user(&current.id, spec).await?;
    if let Some(disabled) = disabled.filter(|d| *d != user.disabled) {
        user = admin.set_disabled(&user.id, disabled).await?;
    }
    Ok(with_etag(StatusCode::OK, &UserView::from(&user)))
}

/// Deletes a user, their sessions, consents and grants.
#[utoipa::path(delete, path = "/users/{id}", tag = "users",
    responses((status = 204), (status = 404, body = Problem)), security(("bearer" = ["admin:write"])))]
pub async fn delete(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, Problem> {
    let admin = caller.writer(&state)?;
    check_if_match(&headers, &UserView::from(&admin.user(&id).await?))?;
    admin.delete_user(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets a user's password; their sessions end and their grants (and tokens) are revoked.
#[utoipa::path(put, path = "/users/{id}/password", tag = "users", request_body = PasswordInput,
    responses((status = 204), (status = 422, body = Problem)), security(("bearer" = ["admin:write"])))]
pub async fn set_password(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<PasswordInput>,
) -> Result<StatusCode, Problem> {
    let policy = state.provider.settings().passwords;
    caller.writer(&state)?.set_password(&id, &Secret::new(input.password), &policy).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A user's SSO sessions.
#[utoipa::path(get, path = "/users/{id}/sessions", tag = "users",
    responses((status = 200, body = Vec<SessionView>)), security(("bearer" = ["admin:read"])))]
pub async fn sessions(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
) -> Result<Json<Vec<SessionView>>, Problem> {
    let admin = caller.reader(&state)?;
    let user = admin.user(&id).await?;
    Ok(Json(admin.user_sessions(&user.id).await?.iter().map(SessionView::from).collect()))
}

/// Ends a session, revoking its grants and notifying clients by back-channel logout.
#[utoipa::path(delete, path = "/users/{id}/sessions/{sid}", tag = "users",
    responses((status = 204), (status = 404, body = Problem)), security(("bearer" = ["admin:write"])))]
pub async fn end_session(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path((id, sid)): Path<(String, String)>,
) -> Result<StatusCode, Problem> {
    let admin = caller.writer(&state)?;
    let user = admin.user(&id).await?;
    super::end_user_session(&state, &admin, &user.id, &sid).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A user's remembered consents.
#[utoipa::path(get, path = "/users/{id}/consents", tag = "users",
    responses((status = 200, body = Vec<ConsentView>)), security(("bearer" = ["admin:read"])))]
pub async fn consents(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
) -> Result<Json<Vec<ConsentView>>, Problem> {
    let admin = caller.reader(&state)?;
    let user = admin.user(&id).await?;
    Ok(Json(admin.user_consents(&user.id).await?.iter().map(ConsentView::from).collect()))
}

/// Withdraws a consent and revokes the client's grants from the user.
#[utoipa::path(delete, path = "/users/{id}/consents/{client_id}", tag = "users",
    responses((status = 204), (status = 404, body = Problem)), security(("bearer" = ["admin:write"])))]
pub async fn revoke_consent(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path((id, client_id)): Path<(String, String)>,
) -> Result<StatusCode, Problem> {
    let admin = caller.writer(&state)?;
    let user = admin.user(&id).await?;
    admin.revoke_consent(&user.id, &client_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
