//! Our own extractors, so that a malformed request becomes an OAuth `invalid_request` and never
//! axum's default plain-text rejection.

use std::borrow::Cow;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use keygate_core::{OAuthError, Params};

use crate::error::ApiError;

/// The largest form body accepted by the protocol endpoints.
pub const MAX_FORM_BYTES: usize = 64 * 1024;

/// An `application/x-www-form-urlencoded` body (RFC 6749 §3.2, RFC 7662 §2.1, RFC 7009 §2.1)
/// and the `Authorization` header.
#[derive(Debug)]
pub struct OAuthForm {
    /// The decoded parameters.
    pub params: Params,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
    /// The `DPoP` header, if any (RFC 9449 §4.1); two of them are refused.
    pub dpop: Option<String>,
}

impl<S: Send + Sync> FromRequest<S> for OAuthForm {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_form(req.headers()) {
            return Err(ApiError(OAuthError::InvalidRequest(Cow::Borrowed(
                "the body must be application/x-www-form-urlencoded",
            ))));
        }
        let authorization = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let dpop = dpop_header(req.headers())?;
        let body = Bytes::from_request(req, state).await.map_err(|_| {
            ApiError(OAuthError::InvalidRequest(Cow::Borrowed(
                "the request body could not be read",
            )))
        })?;
        Ok(Self { params: Params::parse(&body), authorization, dpop })
    }
}

/// RFC 9449 §4.3 step 1: at most one `DPoP` header, in ASCII.
pub fn dpop_header(headers: &axum::http::HeaderMap) -> Result<Option<String>, ApiError> {
    single_dpop_header(headers).map(|proof| proof.map(str::to_owned)).map_err(|why| {
        ApiError(OAuthError::Refused(
            keygate_types::ErrorCode::InvalidDpopProof,
            Cow::Borrowed(why),
        ))
    })
}

/// RFC 9449 §4.3 step 1: the request's one `DPoP` header, borrowed; the error says why not.
pub fn single_dpop_header(headers: &axum::http::HeaderMap) -> Result<Option<&str>, &'static str> {
    let mut values = headers.get_all("dpop").iter();
    let first = values.next();
    if values.next().is_some() {
        return Err("more than one DPoP header");
    }
    first.map(|v| v.to_str().map_err(|_| "the DPoP header is not ASCII")).transpose()
}

/// The form of a page or of a browser-sent request: `None` unless the body is
/// `application/x-www-form-urlencoded`.
pub fn read_page_form(headers: &axum::http::HeaderMap, body: &[u8]) -> Option<Params> {
    is_form(headers).then(|| Params::parse(body))
}

/// Whether the body is `application/x-www-form-urlencoded` (parameters such as `charset` allowed).
fn is_form(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
}

/// The parameters of a browser-sent protocol request that allows both methods (the
/// authorization endpoint, OIDC Core §3.1.2.1; the end-session endpoint, RP-Initiated Logout §2):
/// the query of a GET, or the form body of a POST. Anything else is shown as an error page.
#[derive(Debug)]
pub struct RequestParams(pub Params);

impl axum::extract::FromRequest<crate::state::AppState> for RequestParams {
    type Rejection = axum::response::Response;

    async fn from_request(
        req: Request,
        state: &crate::state::AppState,
    ) -> Result<Self, Self::Rejection> {
        if req.method() == axum::http::Method::GET {
            let query = req.uri().query().unwrap_or_default();
            return Ok(Self(Params::parse(query.as_bytes())));
        }
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state).await.map_err(|_| crate::ui::bad_form(state))?;
        read_page_form(&headers, &body).map(Self).ok_or_else(|| crate::ui::bad_form(state))
    }
}
