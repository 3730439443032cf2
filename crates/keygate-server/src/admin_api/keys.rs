//! `/keys`, `/audit` and `/signins`.

use axum::Json;
use axum::extract::{Query, State};
use keygate_core::store::AuditQuery;

use super::auth::AdminCaller;
use super::problem::Problem;
use super::views::{AuditFilter, AuditView, KeyView, Page, Paging, SignInFilterView, SignInView};
use crate::state::AppState;

/// Signing keys, newest first: the active one per algorithm and retired ones still published.
#[utoipa::path(get, path = "/keys", tag = "keys",
    responses((status = 200, body = Vec<KeyView>)), security(("bearer" = ["admin:read"])))]
pub async fn list(
    State(state): State<AppState>,
    caller: AdminCaller,
) -> Result<Json<Vec<KeyView>>, Problem> {
    Ok(Json(caller.reader(&state)?.keys().await?.iter().map(KeyView::from).collect()))
}

/// Rotates every signing key; old public keys stay published until their tokens expire.
#[utoipa::path(post, path = "/keys/rotate", tag = "keys",
    responses((status = 200, body = Vec<KeyView>)), security(("bearer" = ["admin:write"])))]
pub async fn rotate(
    State(state): State<AppState>,
    caller: AdminCaller,
) -> Result<Json<Vec<KeyView>>, Problem> {
    let admin = caller.writer(&state)?;
    let made = admin.rotate_keys(state.provider.master_key()).await?;
    state
        .provider
        .sync()
        .await
        .map_err(|e| Problem::from(keygate_core::admin::AdminError::Internal(e)))?;
    Ok(Json(made.iter().map(KeyView::from).collect()))
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/audit", tag = "audit", params(Paging, AuditFilter),
    responses((status = 200, body = Page<AuditView>)), security(("bearer" = ["admin:read"])))]
pub async fn audit(
    State(state): State<AppState>,
    caller: AdminCaller,
    Query(paging): Query<Paging>,
    Query(filter): Query<AuditFilter>,
) -> Result<Json<Page<AuditView>>, Problem> {
    let limit = paging.limit();
    let query = AuditQuery {
        actor: filter.actor,
        action: filter.action,
        target: filter.target,
        before: paging.cursor.as_deref().and_then(|c| c.parse().ok()),
        limit: limit as i64 + 1,
    };
    let mut events = caller.reader(&state)?.audit(&query).await?;
    let next_cursor = super::next_page(&mut events, limit, |e| e.seq.to_string());
    Ok(Json(Page { items: events.into_iter().map(AuditView::from).collect(), next_cursor }))
}

/// The sign-in log, newest first: sign-ins, failed sign-ins and refused token reuse.
#[utoipa::path(get, path = "/signins", tag = "audit", params(Paging, SignInFilterView),
    responses((status = 200, body = Page<SignInView>), (status = 422, description = "A filter is invalid")),
    security(("bearer" = ["admin:read"])))]
pub async fn signins(
    State(state): State<AppState>,
    caller: AdminCaller,
    Query(paging): Query<Paging>,
    Query(filter): Query<SignInFilterView>,
) -> Result<Json<Page<SignInView>>, Problem> {
    let limit = paging.limit();
    let filter = keygate_core::admin::SignInFilter {
        user: filter.user,
        application: filter.application,
        outcomes: filter.outcome.into_iter().collect(),
        since: filter.since,
        until: filter.until,
        before: paging.cursor.as_deref().and_then(|c| c.parse().ok()),
        limit: limit as i64 + 1,
    };
    let mut events = caller.reader(&state)?.signins(&filter).await?;
    let next_cursor = super::next_page(&mut events, limit, |e| e.seq.to_string());
    Ok(Json(Page { items: events.into_iter().map(SignInView::from).collect(), next_cursor }))
}
