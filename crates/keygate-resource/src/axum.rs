//! axum integration: a tower layer that admits only requests with a valid bearer token, the
//! [`Caller`] extractor, RFC 6750 rejections, and the RFC 9728 metadata route.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::{Caller, Error, ProtectedResourceMetadata, Validator};

/// An [`Error`] as an RFC 6750 §3 response for one validator's realm.
#[derive(Debug)]
pub struct Rejection {
    /// Why.
    pub error: Error,
    realm: String,
    resource_metadata: Option<String>,
    challenge_scope: Option<String>,
}

impl Rejection {
    /// `error` in the realm of `validator`.
    pub fn new(error: Error, validator: &Validator) -> Self {
        Self {
            error,
            realm: validator.realm.clone(),
            resource_metadata: validator.resource_metadata.clone(),
            challenge_scope: validator.challenge_scope.clone(),
        }
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.error.status()).unwrap_or(StatusCode::UNAUTHORIZED);
        let challenge = self.error.www_authenticate_scoped(
            &self.realm,
            self.resource_metadata.as_deref(),
            self.challenge_scope.as_deref(),
        );
        let body = serde_json::json!({
            "error": self.error.code().unwrap_or("unauthorized"),
            "error_description": self.error.to_string(),
        });
        let mut response = (status, Json(body)).into_response();
        if let Ok(value) = HeaderValue::from_str(&challenge)
            && matches!(status.as_u16(), 400 | 401 | 403)
        {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
        }
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

/// The tower layer: validates the bearer token of every request, rejects per RFC 6750, and
/// hands the [`Caller`] to handlers through the request's extensions.
#[derive(Clone, Debug)]
pub struct BearerLayer {
    validator: Arc<Validator>,
}

impl BearerLayer {
    /// Protects routes with `validator`.
    pub fn new(validator: Arc<Validator>) -> Self {
        Self { validator }
    }
}

impl<S> tower::Layer<S> for BearerLayer {
    type Service = Bearer<S>;
    fn layer(&self, inner: S) -> Bearer<S> {
        Bearer { inner, validator: self.validator.clone() }
    }
}

/// The service [`BearerLayer`] makes.
#[derive(Clone, Debug)]
pub struct Bearer<S> {
    inner: S,
    validator: Arc<Validator>,
}

impl<S> tower::Service<Request> for Bearer<S>
where
    S: tower::Service<Request, Response = Response> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        let ready = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, ready);
        let validator = self.validator.clone();
        Box::pin(async move {
            let (headers, method) = (request.headers(), request.method());
            let validated = validate(&validator, headers, method, request.uri().path()).await;
            match validated {
                Ok(caller) => {
                    request.extensions_mut().insert(caller);
                    inner.call(request).await
                }
                Err(error) => Ok(Rejection::new(error, &validator).into_response()),
            }
        })
    }
}

/// The request's token as presented (RFC 6750 §2.1, RFC 9449 §7.1): at most one `DPoP`
/// header (§4.3 step 1).
async fn validate(
    validator: &Validator,
    headers: &axum::http::HeaderMap,
    method: &axum::http::Method,
    path: &str,
) -> Result<Caller, Error> {
    let authorization = headers.get(header::AUTHORIZATION).map(|v| v.to_str().unwrap_or(""));
    let mut proofs = headers.get_all("dpop").iter();
    let dpop = proofs.next().map(|v| v.to_str().unwrap_or(""));
    if proofs.next().is_some() {
        return Err(Error::InvalidDpopProof("more than one DPoP header".into()));
    }
    let presentation = crate::Presentation { authorization, dpop, method: method.as_str(), path };
    validator.validate_request(presentation).await
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Response;

    /// The caller [`BearerLayer`] validated; without the layer, an internal error.
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Response> {
        parts.extensions.get::<Caller>().cloned().ok_or_else(|| {
            tracing::error!("Caller extracted on a route without BearerLayer");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        })
    }
}

/// A route serving RFC 9728 metadata at its well-known path.
pub fn metadata_router<S: Clone + Send + Sync + 'static>(
    metadata: ProtectedResourceMetadata,
) -> Router<S> {
    let path = metadata.path();
    let metadata = Arc::new(metadata);
    Router::new().route(&path, get(move || async move { Json((*metadata).clone()) }))
}

/// Checks a scope inside a handler: `Err` is the RFC 6750 `insufficient_scope` response.
pub fn require_scope(caller: &Caller, scope: &str, validator: &Validator) -> Result<(), Rejection> {
    caller.require_scope(scope).map_err(|e| Rejection::new(e, validator))
}

/// Checks the user's authentication inside a handler (RFC 9470 step-up): `Err` is the
/// `insufficient_user_authentication` response naming `acr_values` and `max_age`.
pub fn require_authentication(
    caller: &Caller,
    acr_values: &[&str],
    max_age: Option<i64>,
    validator: &Validator,
) -> Result<(), Rejection> {
    caller
        .require_authentication(acr_values, max_age, validator.now())
        .map_err(|e| Rejection::new(e, validator))
}
