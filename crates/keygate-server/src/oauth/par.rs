//! The pushed authorization request endpoint (RFC 9126 §2).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, no_store};
use crate::extract::OAuthForm;
use crate::state::AppState;

/// `POST /par`: `201 Created` with the `request_uri` and `expires_in` (RFC 9126 §2.2), or a
/// JSON error as at the token endpoint (§2.3).
pub async fn post(State(state): State<AppState>, form: OAuthForm) -> Response {
    let pushed = state.provider.push_authorization_request(
        form.authorization.as_deref(),
        &form.params,
        form.dpop.as_deref(),
    );
    let mut response = match pushed.await {
        Ok(pushed) => {
            let mut response = (StatusCode::CREATED, Json(pushed)).into_response();
            no_store(&mut response);
            response
        }
        Err(e) => ApiError(e).into_response(),
    };
    super::dpop_nonce(&state, &mut response);
    response
}
