//! Dynamic client registration (RFC 7591 §3) and the client configuration endpoint
//! (RFC 7592 §2), routed only when enabled. The protocol lives in
//! [`keygate_core::registration`]; this module reads the bearer token and address and maps
//! results to HTTP.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use keygate_core::registration::{self, Caller, RegistrationError};
use keygate_types::{ClientInformation, ErrorResponse};

use crate::error::no_store;
use crate::serving::client_ip;
use crate::state::AppState;

/// The caller: its bearer token (RFC 6750 §2.1) and IP address (for the audit log).
pub struct Registrant {
    bearer: Option<String>,
    ip: Option<String>,
}

impl Registrant {
    fn caller(&self) -> Caller<'_> {
        Caller { bearer: self.bearer.as_deref(), ip: self.ip.clone() }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Registrant {
    type Rejection = std::convert::Infallible;

    /// RFC 6750 §2.1 `Authorization: Bearer <token>`. Another scheme, or none, is no token
    /// (RFC 6750 §3.1).
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim().to_owned())
            .filter(|token| !token.is_empty());
        let ip = client_ip(&parts.extensions).map(|ip| ip.to_string());
        Ok(Self { bearer, ip })
    }
}

/// `POST /register` (RFC 7591 §3.1): 201 with the client information (RFC 7591 §3.2.1).
pub async fn post(State(state): State<AppState>, who: Registrant, body: Bytes) -> Response {
    let result = registration::register(&state.provider, who.caller(), &body).await;
    respond(result.map(|info| (StatusCode::CREATED, info)))
}

/// `GET /register/{client_id}` (RFC 7592 §2.1): 200 with the current registration.
pub async fn get(
    State(state): State<AppState>,
    Path(client_id): Path<String>,
    who: Registrant,
) -> Response {
    let result = registration::read(&state.provider, who.caller(), &client_id).await;
    respond(result.map(|info| (StatusCode::OK, info)))
}

/// `PUT /register/{client_id}` (RFC 7592 §2.2): 200 with the replaced registration.
pub async fn put(
    State(state): State<AppState>,
    Path(client_id): Path<String>,
    who: Registrant,
    body: Bytes,
) -> Response {
    let result = registration::update(&state.provider, who.caller(), &client_id, &body).await;
    respond(result.map(|info| (StatusCode::OK, info)))
}

/// `DELETE /register/{client_id}` (RFC 7592 §2.3): 204 No Content.
pub async fn delete(
    State(state): State<AppState>,
    Path(client_id): Path<String>,
    who: Registrant,
) -> Response {
    match registration::delete(&state.provider, who.caller(), &client_id).await {
        Ok(()) => {
            let mut response = StatusCode::NO_CONTENT.into_response();
            no_store(&mut response);
            response
        }
        Err(e) => error(e),
    }
}

/// RFC 7591 §3.2.1: JSON, never cached (it carries secrets).
fn respond(result: Result<(StatusCode, ClientInformation), RegistrationError>) -> Response {
    match result {
        Ok((status, info)) => {
            let mut response = (status, Json(info)).into_response();
            no_store(&mut response);
            response
        }
        Err(e) => error(e),
    }
}

/// RFC 7591 §3.2.2: 400 with a JSON error. A missing or invalid bearer token is 401 with an
/// RFC 6750 §3 challenge: bare when no token was sent (§3.1), `invalid_token` otherwise; the
/// body carries the JSON error as well.
fn error(err: RegistrationError) -> Response {
    let (status, challenge) = match &err {
        RegistrationError::MissingToken => {
            (StatusCode::UNAUTHORIZED, Some("Bearer realm=\"keygate\""))
        }
        RegistrationError::InvalidToken => {
            (StatusCode::UNAUTHORIZED, Some("Bearer realm=\"keygate\", error=\"invalid_token\""))
        }
        RegistrationError::Throttled => (StatusCode::TOO_MANY_REQUESTS, None),
        RegistrationError::Server(e) => {
            tracing::error!(error = ?e, "client registration failed");
            (StatusCode::INTERNAL_SERVER_ERROR, None)
        }
        _ => (StatusCode::BAD_REQUEST, None),
    };
    let body = ErrorResponse {
        error: err.code(),
        error_description: err.description().map(str::to_owned),
    };
    let mut response = (status, Json(body)).into_response();
    no_store(&mut response);
    if let Some(challenge) = challenge {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
    }
    response
}
