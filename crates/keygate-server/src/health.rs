//! Liveness (`/healthz`) and readiness (`/readyz`) for load balancers and orchestrators, and the
//! background cleanup of expired rows.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use keygate_core::Provider;
use serde_json::json;

use crate::state::AppState;

/// How often expired rows are cleaned up.
pub const CLEANUP_INTERVAL: Duration = Duration::from_secs(60);

/// `GET /healthz`: the process answers.
pub async fn healthz() -> Response {
    Json(json!({"status": "ok"})).into_response()
}

/// `GET /readyz`: 200 when the database answers and signing keys are loaded, else 503 with the
/// reason (no secret in it).
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.provider.not_ready().await {
        None => Json(json!({"status": "ready"})).into_response(),
        Some(reason) => {
            let body = json!({"status": "unavailable", "reason": reason});
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
    }
}

/// Deletes expired rows every [`CLEANUP_INTERVAL`], a bounded batch per table each time; on
/// PostgreSQL only one node cleans up at a time.
pub fn spawn_cleanup(provider: Arc<Provider>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(CLEANUP_INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match provider.purge_expired().await {
                Ok(Some(0)) | Ok(None) => {}
                Ok(Some(n)) => tracing::info!(rows = n, "deleted expired rows"),
                Err(e) => tracing::warn!(error = %e, "cleanup failed"),
            }
        }
    })
}
