//! The JWK Set (RFC 7517 §5): public keys only, the active ones and those retired recently
//! enough that tokens they signed may still be live.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::state::AppState;

/// `GET /jwks`.
pub async fn get(State(state): State<AppState>) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        state.provider.keyring().jwks_json().to_owned(),
    )
}
