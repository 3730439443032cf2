//! `/mail`: the outbox, test messages, resending; `/users/{id}/reset-link`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::AdminCaller;
use super::problem::{JsonBody, Problem};
use super::views::{Page, Paging};
use crate::state::AppState;
use keygate_core::mail::OutboxMessage;

/// A message in the outbox (its body is never shown: it may hold a link with a token).
#[derive(Debug, Serialize, ToSchema)]
pub struct MailView {
    pub id: i64,
    /// `test`, `password_reset`, `password_changed`, ...
    pub kind: String,
    pub to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    pub subject: String,
    /// `pending`, `sending`, `sent`, `failed` or `interrupted`.
    pub status: &'static str,
    pub attempts: i64,
    /// When the next attempt is due (pending messages).
    pub next_attempt_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    pub created_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<i64>,
}

impl From<OutboxMessage> for MailView {
    fn from(m: OutboxMessage) -> Self {
        Self {
            id: m.id,
            kind: m.kind,
            to: m.to,
            user_id: m.user_id,
            subject: m.subject,
            status: m.status.as_str(),
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at,
            last_error: m.last_error,
            created_at: m.created_at,
            sent_at: m.sent_at,
        }
    }
}

/// Outbox filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MailFilterView {
    /// Only these statuses, comma-separated (`problems`: failed and interrupted).
    pub status: Option<String>,
    /// Only messages about this user (id, username or email).
    pub user: Option<String>,
}

/// A test message's recipient.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestMailInput {
    pub address: String,
}

/// The outbox, newest first.
#[utoipa::path(get, path = "/mail", tag = "mail", params(Paging, MailFilterView),
    responses((status = 200, body = Page<MailView>), (status = 422, description = "A filter is invalid")),
    security(("bearer" = ["admin:read"])))]
pub async fn list(
    State(state): State<AppState>,
    caller: AdminCaller,
    Query(paging): Query<Paging>,
    Query(filter): Query<MailFilterView>,
) -> Result<Json<Page<MailView>>, Problem> {
    let limit = paging.limit();
    let filter = keygate_core::admin::MailFilter {
        statuses: filter.status.into_iter().collect(),
        user: filter.user,
        before: paging.cursor.as_deref().and_then(|c| c.parse().ok()),
        limit: limit as i64 + 1,
    };
    let mut messages = caller.reader(&state)?.mail(&filter).await?;
    let next_cursor = super::next_page(&mut messages, limit, |m| m.id.to_string());
    Ok(Json(Page { items: messages.into_iter().map(MailView::from).collect(), next_cursor }))
}

/// Queues a test message through the outbox; `GET /mail/{id}` tells how it went.
#[utoipa::path(post, path = "/mail/test", tag = "mail", request_body = TestMailInput,
    responses((status = 202, body = MailView), (status = 422, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn test(
    State(state): State<AppState>,
    caller: AdminCaller,
    JsonBody(input): JsonBody<TestMailInput>,
) -> Result<(StatusCode, Json<MailView>), Problem> {
    let actor = caller.write_actor()?;
    let id = state.provider.queue_test_mail(&input.address, actor).await?;
    Ok((StatusCode::ACCEPTED, Json(one(&state, id).await?)))
}

/// One message.
#[utoipa::path(get, path = "/mail/{id}", tag = "mail",
    responses((status = 200, body = MailView), (status = 404, body = Problem)),
    security(("bearer" = ["admin:read"])))]
pub async fn get(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<i64>,
) -> Result<Json<MailView>, Problem> {
    caller.reader(&state)?;
    Ok(Json(one(&state, id).await?))
}

async fn one(state: &AppState, id: i64) -> Result<MailView, Problem> {
    let found = state.provider.store().find_mail(id).await;
    let found = found.map_err(|e| Problem::from(keygate_core::admin::AdminError::from(e)))?;
    let message = found.ok_or_else(|| {
        Problem::from(keygate_core::admin::AdminError::NotFound(format!("message {id}")))
    })?;
    Ok(MailView::from(message))
}

/// Sends a failed or interrupted message again.
#[utoipa::path(post, path = "/mail/{id}/resend", tag = "mail",
    responses((status = 200, body = MailView), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn resend(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<i64>,
) -> Result<Json<MailView>, Problem> {
    let message = caller.writer(&state)?.resend_mail(id).await?;
    state.provider.wake_mail_sender();
    Ok(Json(MailView::from(message)))
}

/// Sends a user a link to choose a new password.
#[utoipa::path(post, path = "/users/{id}/reset-link", tag = "users",
    responses((status = 202), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn reset_link(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    let actor = caller.write_actor()?;
    state.provider.send_reset_link(&id, actor).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Sends a user a link to confirm their email address.
#[utoipa::path(post, path = "/users/{id}/verification-link", tag = "users",
    responses((status = 202), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn verification_link(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    let actor = caller.write_actor()?;
    state.provider.send_verification_link(&id, actor).await?;
    Ok(StatusCode::ACCEPTED)
}

/// An invitation's recipient.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationInput {
    pub email: String,
    /// The language of the message (a tag Keygate has a translation for, `ui_locales_supported`
    /// in discovery), which the new account keeps as its `locale` claim; English when absent.
    #[serde(default)]
    pub locale: Option<String>,
}

/// Emails an invitation to create an account (a week, single use). Refused when
/// `[signup] mode` is off or the address has an account.
#[utoipa::path(post, path = "/invitations", tag = "users", request_body = InvitationInput,
    responses((status = 202), (status = 422, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn invitation(
    State(state): State<AppState>,
    caller: AdminCaller,
    JsonBody(input): JsonBody<InvitationInput>,
) -> Result<StatusCode, Problem> {
    let actor = caller.write_actor()?;
    state.provider.invite(&input.email, input.locale.as_deref(), actor).await?;
    Ok(StatusCode::ACCEPTED)
}
