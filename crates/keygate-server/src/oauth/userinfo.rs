//! The UserInfo endpoint (OIDC Core §5.3) with RFC 6750 bearer token handling.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use keygate_core::Params;
use keygate_core::userinfo::BearerError;

use crate::state::AppState;

/// `GET /userinfo`: the token in the `Authorization` header (RFC 6750 §2.1).
pub async fn get(State(state): State<AppState>, headers: HeaderMap) -> Response {
    respond(&state, bearer_token(&headers, None)).await
}

/// `POST /userinfo`: the header, or `access_token` in a form body (RFC 6750 §2.2), not both.
pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = crate::extract::read_page_form(&headers, &body);
    respond(&state, bearer_token(&headers, form.as_ref())).await
}

/// The bearer token of a request; RFC 6750 §2: exactly one method.
fn bearer_token(headers: &HeaderMap, form: Option<&Params>) -> Result<String, BearerError> {
    let header = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let from_header = match header {
        Some(value) => match value.split_once(' ') {
            Some((scheme, token))
                if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
            {
                Some(token.trim().to_owned())
            }
            Some((scheme, _)) if scheme.eq_ignore_ascii_case("bearer") => {
                return Err(BearerError::Malformed("the Bearer token is empty"));
            }
            // RFC 6750 §3.1: another scheme is "no authentication information": a bare challenge.
            _ => None,
        },
        None => None,
    };
    let from_body = match form.map(|f| f.single("access_token")) {
        Some(Ok(token)) => token.map(str::to_owned),
        Some(Err(_)) => return Err(BearerError::Malformed("access_token is repeated")),
        None => None,
    };
    match (from_header, from_body) {
        (Some(_), Some(_)) => {
            Err(BearerError::Malformed("the token was sent in more than one way"))
        }
        (Some(token), None) | (None, Some(token)) => Ok(token),
        (None, None) => Err(BearerError::Missing),
    }
}

async fn respond(state: &AppState, token: Result<String, BearerError>) -> Response {
    let result = match token {
        Ok(token) => state.provider.userinfo(&token).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(claims) => {
            let mut response = Json(claims).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(e) => bearer_error(e),
    }
}

/// RFC 6750 §3: the challenge and status for each error.
pub fn bearer_error(err: BearerError) -> Response {
    let (status, challenge) = match &err {
        BearerError::Missing => (StatusCode::UNAUTHORIZED, "Bearer realm=\"keygate\"".to_owned()),
        BearerError::Malformed(d) => (
            StatusCode::BAD_REQUEST,
            format!(
                "Bearer realm=\"keygate\", error=\"invalid_request\", error_description=\"{d}\""
            ),
        ),
        BearerError::InvalidToken(d) => (
            StatusCode::UNAUTHORIZED,
            format!("Bearer realm=\"keygate\", error=\"invalid_token\", error_description=\"{d}\""),
        ),
        BearerError::InsufficientScope(d) => (
            StatusCode::FORBIDDEN,
            format!(
                "Bearer realm=\"keygate\", error=\"insufficient_scope\", error_description=\"{d}\", scope=\"openid\""
            ),
        ),
        BearerError::Server(e) => {
            tracing::error!(error = ?e, "userinfo failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut response = status.into_response();
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
