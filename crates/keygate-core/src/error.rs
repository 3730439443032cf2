//! The protocol error type. The text a client may see is separate from internal detail,
//! which is logged and never sent.

use std::borrow::Cow;

use keygate_types::ErrorCode;

/// An OAuth 2.0 error as the token, introspection and revocation endpoints report it
/// (RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 8707 §2).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OAuthError {
    /// A parameter is missing, repeated, or malformed.
    #[error("invalid_request: {0}")]
    InvalidRequest(Cow<'static, str>),
    /// Client authentication failed (RFC 6749 §5.2: 401 with `WWW-Authenticate`).
    #[error("invalid_client")]
    InvalidClient,
    /// The presented grant is invalid, expired, revoked or bound to another client.
    #[error("invalid_grant: {0}")]
    InvalidGrant(Cow<'static, str>),
    /// The authenticated client may not do this.
    #[error("unauthorized_client: {0}")]
    UnauthorizedClient(Cow<'static, str>),
    /// The grant type is unknown or not implemented.
    #[error("unsupported_grant_type: {0}")]
    UnsupportedGrantType(Cow<'static, str>),
    /// The requested scope is malformed or exceeds what the client may have.
    #[error("invalid_scope: {0}")]
    InvalidScope(Cow<'static, str>),
    /// The requested resource (RFC 8707) is malformed or not allowed.
    #[error("invalid_target: {0}")]
    InvalidTarget(Cow<'static, str>),
    /// `authorization_details` is malformed, of an unknown type, or asks for more than the
    /// client may get (RFC 9396 §5, §6).
    #[error("invalid_authorization_details: {0}")]
    InvalidAuthorizationDetails(Cow<'static, str>),
    /// RFC 8628 §3.5 `authorization_pending`: the user has not decided yet.
    #[error("authorization_pending")]
    AuthorizationPending,
    /// RFC 8628 §3.5 `slow_down`: the device polls too often.
    #[error("slow_down")]
    SlowDown,
    /// RFC 8628 §3.5 `expired_token`: the device code expired.
    #[error("expired_token")]
    ExpiredToken,
    /// RFC 8628 §3.5 `access_denied`: the user refused.
    #[error("access_denied")]
    AccessDenied,
    /// An authorization request refused with one of the other codes of RFC 6749 §4.1.2.1,
    /// OIDC Core §3.1.2.6 or RFC 9101 §6.2, answered as JSON where the request was pushed
    /// (RFC 9126 §2.3).
    #[error("{code}: {1}", code = .0.as_str())]
    Refused(ErrorCode, Cow<'static, str>),
    /// Anything unexpected: logged in full, reported as `server_error` without detail.
    #[error("server_error")]
    Server(#[source] anyhow::Error),
}

impl OAuthError {
    /// The RFC error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidRequest(_) => ErrorCode::InvalidRequest,
            Self::InvalidClient => ErrorCode::InvalidClient,
            Self::InvalidGrant(_) => ErrorCode::InvalidGrant,
            Self::UnauthorizedClient(_) => ErrorCode::UnauthorizedClient,
            Self::UnsupportedGrantType(_) => ErrorCode::UnsupportedGrantType,
            Self::InvalidScope(_) => ErrorCode::InvalidScope,
            Self::InvalidTarget(_) => ErrorCode::InvalidTarget,
            Self::InvalidAuthorizationDetails(_) => ErrorCode::InvalidAuthorizationDetails,
            Self::AuthorizationPending => ErrorCode::AuthorizationPending,
            Self::SlowDown => ErrorCode::SlowDown,
            Self::ExpiredToken => ErrorCode::ExpiredToken,
            Self::AccessDenied => ErrorCode::AccessDenied,
            Self::Refused(code, _) => *code,
            Self::Server(_) => ErrorCode::ServerError,
        }
    }

    /// The `error_description` a client may see.
    pub fn description(&self) -> Option<&str> {
        match self {
            Self::InvalidRequest(d)
            | Self::InvalidGrant(d)
            | Self::UnauthorizedClient(d)
            | Self::UnsupportedGrantType(d)
            | Self::InvalidScope(d)
            | Self::InvalidTarget(d)
            | Self::InvalidAuthorizationDetails(d)
            | Self::Refused(_, d) => Some(d),
            Self::InvalidClient => Some("client authentication failed"),
            Self::AuthorizationPending => Some("the user has not finished yet; keep polling"),
            Self::SlowDown => Some("polling too fast: wait 5 more seconds between requests"),
            Self::ExpiredToken => Some("the device code has expired; start again"),
            Self::AccessDenied => Some("the user refused access"),
            Self::Server(_) => None,
        }
    }
}

impl OAuthError {
    /// The error for `code`, through its own variant where it has one.
    pub fn from_code(code: ErrorCode, description: Cow<'static, str>) -> Self {
        match code {
            ErrorCode::InvalidRequest => Self::InvalidRequest(description),
            ErrorCode::InvalidScope => Self::InvalidScope(description),
            ErrorCode::InvalidTarget => Self::InvalidTarget(description),
            ErrorCode::UnauthorizedClient => Self::UnauthorizedClient(description),
            ErrorCode::InvalidAuthorizationDetails => {
                Self::InvalidAuthorizationDetails(description)
            }
            other => Self::Refused(other, description),
        }
    }
}

impl From<crate::store::StoreError> for OAuthError {
    fn from(err: crate::store::StoreError) -> Self {
        Self::Server(err.into())
    }
}
