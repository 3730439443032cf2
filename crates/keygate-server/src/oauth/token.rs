//! The token endpoint (RFC 6749 §3.2).

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, no_store};
use crate::extract::OAuthForm;
use crate::state::AppState;

/// `POST /token`.
pub async fn post(State(state): State<AppState>, form: OAuthForm) -> Response {
    let issued =
        state.provider.token(form.authorization.as_deref(), &form.params, form.dpop.as_deref());
    let mut response = match issued.await {
        Ok(token) => {
            state.serving.metrics.token_issued(form.params.single("grant_type").ok().flatten());
            let mut response = Json(token).into_response();
            no_store(&mut response);
            response
        }
        Err(e) => ApiError(e).into_response(),
    };
    super::dpop_nonce(&state, &mut response);
    response
}
