//! The device authorization endpoint (RFC 8628 §3.1–3.2).

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, no_store};
use crate::extract::OAuthForm;
use crate::state::AppState;

/// `POST /device_authorization`: the device code, the user code and where to enter it.
pub async fn post(State(state): State<AppState>, form: OAuthForm) -> Result<Response, ApiError> {
    let answer =
        state.provider.device_authorization(form.authorization.as_deref(), &form.params).await?;
    let mut response = Json(answer).into_response();
    no_store(&mut response);
    Ok(response)
}
