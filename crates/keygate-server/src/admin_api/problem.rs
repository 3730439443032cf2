//! RFC 9457 problem details: every admin API error is `application/problem+json`.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use keygate_core::OAuthError;
use keygate_core::admin::AdminError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

/// An RFC 9457 problem. `type` is `about:blank` (§4.2.1): the status and title say it all, and
/// `errors` lists every validation problem at once.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// RFC 9457 §3.1.1.
    #[serde(rename = "type")]
    pub problem_type: &'static str,
    /// RFC 9457 §3.1.3: the status phrase.
    pub title: &'static str,
    /// RFC 9457 §3.1.2.
    pub status: u16,
    /// RFC 9457 §3.1.4: what went wrong, for a person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Every problem found in the input (extension member, RFC 9457 §3.2).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
    /// A `WWW-Authenticate` challenge to send (RFC 6750 §3).
    #[serde(skip)]
    pub challenge: Option<String>,
}

impl Problem {
    /// A problem with `status` and a detail.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            problem_type: "about:blank",
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: Some(detail.into()),
            errors: Vec::new(),
            challenge: None,
        }
    }

    /// With a `WWW-Authenticate` challenge.
    pub fn with_challenge(mut self, challenge: String) -> Self {
        self.challenge = Some(challenge);
        self
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let challenge = self.challenge.clone();
        let mut response = (status, Json(self)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(value) = challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            headers.insert(header::WWW_AUTHENTICATE, value);
        }
        response
    }
}

impl From<AdminError> for Problem {
    fn from(err: AdminError) -> Self {
        match err {
            AdminError::Invalid(errors) => {
                let mut p = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "the input is invalid");
                p.errors = errors;
                p
            }
            AdminError::NotFound(what) => {
                Self::new(StatusCode::NOT_FOUND, format!("{what} not found"))
            }
            AdminError::Conflict(what) => Self::new(StatusCode::CONFLICT, what),
            AdminError::Internal(e) => internal(&e),
            _ => Self::new(StatusCode::INTERNAL_SERVER_ERROR, "unexpected error"),
        }
    }
}

impl From<OAuthError> for Problem {
    fn from(err: OAuthError) -> Self {
        match err {
            OAuthError::Server(e) => internal(&e),
            other => Self::new(StatusCode::BAD_REQUEST, other.to_string()),
        }
    }
}

fn internal(e: &anyhow::Error) -> Problem {
    tracing::error!(error = ?e, "admin API failure");
    Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "the server failed; see its log")
}

/// A JSON body whose rejection is a problem (400 for bad JSON, 415 for another content type).
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "send the body as application/json",
            )),
            Err(e) => Err(Problem::new(StatusCode::BAD_REQUEST, e.body_text())),
        }
    }
}
