//! Protocol errors as HTTP responses, in one place (RFC 6749 §5.2).

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use keygate_core::OAuthError;
use keygate_types::ErrorResponse;

/// An [`OAuthError`] answered as JSON with `Cache-Control: no-store`.
#[derive(Debug)]
pub struct ApiError(pub OAuthError);

impl From<OAuthError> for ApiError {
    fn from(err: OAuthError) -> Self {
        Self(err)
    }
}

/// The headers every token, introspection and revocation response carries (RFC 6749 §5.1).
pub fn no_store(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self.0 {
            // RFC 6749 §5.2: 401 for a failed authentication, with a challenge (RFC 9110 §15.5.2
            // requires WWW-Authenticate on every 401).
            OAuthError::InvalidClient => StatusCode::UNAUTHORIZED,
            OAuthError::Server(detail) => {
                tracing::error!(error = ?detail, "server error");
                StatusCode::INTERNAL_SERVER_ERROR
            }
            _ => StatusCode::BAD_REQUEST,
        };
        let body = ErrorResponse {
            error: self.0.code(),
            error_description: self.0.description().map(str::to_owned),
        };
        let mut response = (status, Json(body)).into_response();
        no_store(&mut response);
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"keygate\", charset=\"UTF-8\""),
            );
        }
        response
    }
}
