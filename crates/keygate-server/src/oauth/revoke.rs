//! The revocation endpoint (RFC 7009 §2).

use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, no_store};
use crate::extract::OAuthForm;
use crate::state::AppState;

/// `POST /revoke`: RFC 7009 §2.2 answers 200 with an empty body.
pub async fn post(State(state): State<AppState>, form: OAuthForm) -> Result<Response, ApiError> {
    state.provider.revoke(form.authorization.as_deref(), &form.params).await?;
    let mut response = ().into_response();
    no_store(&mut response);
    Ok(response)
}
