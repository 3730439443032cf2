//! A user's second factors: what they have (never a key or a code), and removing them when a
//! phone is lost.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use keygate_core::mfa::Factors;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::AdminCaller;
use super::problem::Problem;
use crate::state::AppState;

/// A user's second factors.
#[derive(Debug, Serialize, ToSchema)]
pub struct FactorsView {
    /// Whether an authenticator app (RFC 6238) is asked for after the password.
    pub authenticator_app: bool,
    /// When the app was added.
    pub app_added_at: Option<i64>,
    /// When a code from it was last accepted.
    pub app_last_used_at: Option<i64>,
    /// Unused recovery codes.
    pub recovery_codes: i64,
    /// Passkeys (WebAuthn credentials).
    pub passkeys: Vec<PasskeyView>,
}

/// One passkey, as administrators see it (never its key).
#[derive(Debug, Serialize, ToSchema)]
pub struct PasskeyView {
    /// The user's name for it.
    pub name: String,
    /// Synced across the user's devices (backup eligible), or bound to one.
    pub synced: bool,
    /// When it was added.
    pub created_at: i64,
    /// When it last signed in.
    pub last_used_at: Option<i64>,
}

impl From<&Factors> for FactorsView {
    fn from(f: &Factors) -> Self {
        Self {
            authenticator_app: f.totp.is_some(),
            app_added_at: f.totp.as_ref().map(|t| t.created_at),
            app_last_used_at: f.totp.as_ref().and_then(|t| t.last_used_at),
            recovery_codes: f.recovery_codes,
            passkeys: f
                .passkeys
                .iter()
                .map(|p| PasskeyView {
                    name: p.name.clone(),
                    synced: p.backup_eligible,
                    created_at: p.created_at,
                    last_used_at: p.last_used_at,
                })
                .collect(),
        }
    }
}

/// A user's second factors.
#[utoipa::path(get, path = "/users/{id}/factors", tag = "users",
    responses((status = 200, body = FactorsView), (status = 404, body = Problem)),
    security(("bearer" = ["admin:read"])))]
pub async fn get(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
) -> Result<Json<FactorsView>, Problem> {
    let admin = caller.reader(&state)?;
    Ok(Json(FactorsView::from(&admin.second_factors(&id).await?)))
}

/// Removes a user's authenticator app and recovery codes (a lost phone): the password alone
/// signs them in until they enrol again.
#[utoipa::path(delete, path = "/users/{id}/factors", tag = "users",
    responses((status = 204), (status = 404, body = Problem)), security(("bearer" = ["admin:write"])))]
pub async fn delete(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    let admin = caller.writer(&state)?;
    admin.remove_second_factors(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}
