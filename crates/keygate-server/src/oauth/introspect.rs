//! The introspection endpoint (RFC 7662 §2).

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, no_store};
use crate::extract::OAuthForm;
use crate::state::AppState;

/// `POST /introspect`.
pub async fn post(State(state): State<AppState>, form: OAuthForm) -> Result<Response, ApiError> {
    let answer = state.provider.introspect(form.authorization.as_deref(), &form.params).await?;
    let mut response = Json(answer).into_response();
    no_store(&mut response);
    Ok(response)
}
