//! The UserInfo endpoint (OIDC Core §5.3) with RFC 6750 bearer tokens and RFC 9449 §7
//! DPoP-bound ones.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use keygate_core::Params;
use keygate_core::userinfo::{BearerError, Presented};

use crate::state::AppState;

/// `GET /userinfo`: the token in the `Authorization` header (RFC 6750 §2.1).
pub async fn get(State(state): State<AppState>, headers: HeaderMap) -> Response {
    respond(&state, &headers, "GET", bearer_token(&headers, None)).await
}

/// `POST /userinfo`: the header, or `access_token` in a form body (RFC 6750 §2.2), not both.
pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = crate::extract::read_page_form(&headers, &body);
    respond(&state, &headers, "POST", bearer_token(&headers, form.as_ref())).await
}

/// The scheme a token came with: `DPoP` (RFC 9449 §7.1) or `Bearer` (RFC 6750 §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Bearer,
    Dpop,
}

/// The token of a request and its scheme; RFC 6750 §2: exactly one method.
fn bearer_token(
    headers: &HeaderMap,
    form: Option<&Params>,
) -> Result<(String, Scheme), BearerError> {
    let header = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let from_header = match header.and_then(|value| value.split_once(' ')) {
        Some((scheme, token)) => {
            let scheme = if scheme.eq_ignore_ascii_case("bearer") {
                Scheme::Bearer
            } else if scheme.eq_ignore_ascii_case("dpop") {
                Scheme::Dpop
            } else {
                // RFC 6750 §3.1: another scheme is "no authentication information".
                return from_body_only(form);
            };
            if token.trim().is_empty() {
                return Err(BearerError::Malformed("the token is empty"));
            }
            Some((token.trim().to_owned(), scheme))
        }
        None => None,
    };
    match (from_header, from_body(form)?) {
        (Some(_), Some(_)) => {
            Err(BearerError::Malformed("the token was sent in more than one way"))
        }
        (Some(found), None) => Ok(found),
        (None, Some(token)) => Ok((token, Scheme::Bearer)),
        (None, None) => Err(BearerError::Missing),
    }
}

fn from_body(form: Option<&Params>) -> Result<Option<String>, BearerError> {
    match form.map(|f| f.single("access_token")) {
        Some(Ok(token)) => Ok(token.map(str::to_owned)),
        Some(Err(_)) => Err(BearerError::Malformed("access_token is repeated")),
        None => Ok(None),
    }
}

fn from_body_only(form: Option<&Params>) -> Result<(String, Scheme), BearerError> {
    from_body(form)?.map(|t| (t, Scheme::Bearer)).ok_or(BearerError::Missing)
}

async fn respond(
    state: &AppState,
    headers: &HeaderMap,
    htm: &'static str,
    token: Result<(String, Scheme), BearerError>,
) -> Response {
    let scheme = token.as_ref().map(|(_, s)| *s).unwrap_or(Scheme::Bearer);
    let result = match token {
        Ok((token, scheme)) => match presented(headers, scheme, htm) {
            Ok(presented) => state.provider.userinfo(&token, presented).await,
            Err(e) => Err(e),
        },
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
        Err(e) => bearer_error(e, scheme),
    }
}

/// The presentation of a token: with the DPoP scheme, the request's one `DPoP` header.
fn presented<'a>(
    headers: &'a HeaderMap,
    scheme: Scheme,
    htm: &'a str,
) -> Result<Presented<'a>, BearerError> {
    if scheme == Scheme::Bearer {
        return Ok(Presented::Bearer);
    }
    let proof = crate::extract::single_dpop_header(headers)
        .map_err(|why| BearerError::InvalidDpopProof(why.into()))?;
    Ok(Presented::Dpop { proof, htm })
}

/// RFC 6750 §3: the challenge and status for each error.
fn bearer_error(err: BearerError, scheme: Scheme) -> Response {
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
        BearerError::InvalidDpopProof(d) => (
            StatusCode::UNAUTHORIZED,
            format!("DPoP error=\"invalid_dpop_proof\", error_description=\"{d}\""),
        ),
        BearerError::Server(e) => {
            tracing::error!(error = ?e, "userinfo failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    // RFC 9449 §7.1: a DPoP request is answered with the DPoP scheme and the accepted algs.
    let challenge = match scheme {
        Scheme::Dpop if challenge.starts_with("Bearer realm=\"keygate\"") => {
            let rest = challenge.trim_start_matches("Bearer realm=\"keygate\"");
            format!("DPoP algs=\"{}\"{rest}", keygate_core::dpop::DPOP_ALGS.join(" "))
        }
        _ => challenge,
    };
    let mut response = status.into_response();
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
