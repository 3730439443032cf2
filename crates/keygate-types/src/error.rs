//! OAuth 2.0 error codes and the JSON error body (RFC 6749 §5.2, RFC 7591 §3.2.2).

use serde::{Deserialize, Serialize};

/// An error code from the OAuth 2.0 registries, spelled as on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// RFC 6749 §5.2: missing, repeated or malformed parameter.
    InvalidRequest,
    /// RFC 6749 §5.2: client authentication failed.
    InvalidClient,
    /// RFC 6749 §5.2: the grant (code, refresh token, credentials) is invalid.
    InvalidGrant,
    /// RFC 6749 §5.2: the client may not use this grant type.
    UnauthorizedClient,
    /// RFC 6749 §5.2: the grant type is not supported by the server.
    UnsupportedGrantType,
    /// RFC 6749 §5.2: the requested scope is invalid, unknown or exceeds what was granted.
    InvalidScope,
    /// RFC 8707 §2: the requested resource is invalid or not allowed for this client.
    InvalidTarget,
    /// RFC 9396 §5: `authorization_details` is malformed, of an unknown type, or asks for more
    /// than the client may get or was granted.
    InvalidAuthorizationDetails,
    /// RFC 8628 §3.5: the user has not yet finished on the verification page; poll again.
    AuthorizationPending,
    /// RFC 8628 §3.5: polling too fast; wait 5 more seconds between requests from now on.
    SlowDown,
    /// RFC 8628 §3.5: the device code has expired; start over.
    ExpiredToken,
    /// RFC 7009 §2.2.1: the server cannot revoke this type of token.
    UnsupportedTokenType,
    /// RFC 6749 §4.1.2.1: the resource owner or server denied the request.
    AccessDenied,
    /// RFC 6749 §4.1.2.1: an unexpected condition on the server.
    ServerError,
    /// RFC 6749 §4.1.2.1: the server is temporarily unable to handle the request.
    TemporarilyUnavailable,
    /// RFC 6750 §3.1: the access token is expired, revoked, malformed or invalid.
    InvalidToken,
    /// RFC 7591 §3.2.2: one or more redirection URIs are invalid.
    InvalidRedirectUri,
    /// RFC 7591 §3.2.2: a client metadata field is invalid.
    InvalidClientMetadata,
    /// RFC 6749 §4.1.2.1: the authorization server does not support this `response_type`.
    UnsupportedResponseType,
    /// OIDC Core §3.1.2.6: `prompt=none`, and the user must sign in.
    LoginRequired,
    /// OIDC Core §3.1.2.6: `prompt=none`, and the user must consent.
    ConsentRequired,
    /// OIDC Core §3.1.2.6: `prompt=none`, and the user must interact otherwise (e.g. a step-up).
    InteractionRequired,
    /// OIDC Core §3.1.2.6, RFC 9101 §6.3: the `request` parameter is not supported.
    RequestNotSupported,
    /// OIDC Core §3.1.2.6, RFC 9101 §6.3: the `request_uri` parameter is not supported.
    RequestUriNotSupported,
    /// OIDC Core §3.1.2.6, RFC 9101 §6.2: the `request_uri` is unknown, used or expired.
    InvalidRequestUri,
    /// OIDC Core §3.1.2.6, RFC 9101 §6.1: the request object is invalid.
    InvalidRequestObject,
    /// RFC 9449 §5, §7.1: the DPoP proof is missing where required, or invalid.
    InvalidDpopProof,
    /// RFC 9449 §8, §9: the proof must carry the nonce the server sent.
    UseDpopNonce,
}

impl ErrorCode {
    /// The code as it appears in the `error` parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope => "invalid_scope",
            Self::InvalidTarget => "invalid_target",
            Self::InvalidAuthorizationDetails => "invalid_authorization_details",
            Self::AuthorizationPending => "authorization_pending",
            Self::SlowDown => "slow_down",
            Self::ExpiredToken => "expired_token",
            Self::UnsupportedTokenType => "unsupported_token_type",
            Self::AccessDenied => "access_denied",
            Self::ServerError => "server_error",
            Self::TemporarilyUnavailable => "temporarily_unavailable",
            Self::InvalidToken => "invalid_token",
            Self::InvalidRedirectUri => "invalid_redirect_uri",
            Self::InvalidClientMetadata => "invalid_client_metadata",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::LoginRequired => "login_required",
            Self::ConsentRequired => "consent_required",
            Self::InteractionRequired => "interaction_required",
            Self::RequestNotSupported => "request_not_supported",
            Self::RequestUriNotSupported => "request_uri_not_supported",
            Self::InvalidRequestUri => "invalid_request_uri",
            Self::InvalidRequestObject => "invalid_request_object",
            Self::InvalidDpopProof => "invalid_dpop_proof",
            Self::UseDpopNonce => "use_dpop_nonce",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The JSON body of an OAuth 2.0 error response (RFC 6749 §5.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorResponse {
    /// The error code.
    pub error: ErrorCode,
    /// Human-readable text for the client developer (never internal detail).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn oidc_core_3_1_2_6_and_rfc9101_6_error_codes_are_spelled_as_on_the_wire() {
        let codes = [
            (ErrorCode::UnsupportedResponseType, "unsupported_response_type"),
            (ErrorCode::LoginRequired, "login_required"),
            (ErrorCode::ConsentRequired, "consent_required"),
            (ErrorCode::InteractionRequired, "interaction_required"),
            (ErrorCode::RequestNotSupported, "request_not_supported"),
            (ErrorCode::RequestUriNotSupported, "request_uri_not_supported"),
            (ErrorCode::InvalidRequestUri, "invalid_request_uri"),
            (ErrorCode::InvalidRequestObject, "invalid_request_object"),
            (ErrorCode::InvalidDpopProof, "invalid_dpop_proof"),
            (ErrorCode::UseDpopNonce, "use_dpop_nonce"),
        ];
        for (code, wire) in codes {
            assert_eq!(code.as_str(), wire);
            assert_eq!(serde_json::to_value(code).ok(), Some(serde_json::json!(wire)));
            let parsed: Option<ErrorCode> = serde_json::from_value(serde_json::json!(wire)).ok();
            assert_eq!(parsed, Some(code));
        }
    }
}
