//! The token endpoint's successful response (RFC 6749 §5.1).

use serde::{Deserialize, Serialize};

/// A successful access token response (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    /// The access token.
    pub access_token: String,
    /// Always `Bearer` (RFC 6750).
    pub token_type: String,
    /// Lifetime of the access token in seconds.
    pub expires_in: u64,
    /// The granted scope, space-separated (RFC 6749 §3.3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// A refresh token, for grants that issue one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// An ID token, for OpenID Connect requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    /// RFC 9396 §7: the authorization details the access token carries.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub authorization_details: Option<Vec<crate::AuthorizationDetail>>,
    /// RFC 8693 §2.2.1: the type of the token a token exchange issued.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub issued_token_type: Option<String>,
}

/// The pushed authorization request endpoint's answer (RFC 9126 §2.2): the reference to use as
/// `request_uri` at the authorization endpoint, once, within `expires_in` seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushedAuthorizationResponse {
    /// `urn:ietf:params:oauth:request_uri:` followed by a random reference.
    pub request_uri: String,
    /// Seconds the reference lives.
    pub expires_in: i64,
}
