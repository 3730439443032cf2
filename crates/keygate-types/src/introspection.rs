//! The token introspection response (RFC 7662 §2.2).

use serde::{Deserialize, Serialize};

/// RFC 7662 §2.2. An inactive token is only `{"active": false}`: nothing else is disclosed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IntrospectionResponse {
    /// Whether the token is currently active.
    pub active: bool,
    /// Space-separated scopes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The client the token was issued to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The kind of token (`Bearer` for access tokens).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// Expiry, seconds since the epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    /// Issue time, seconds since the epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    /// Subject of the token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// Audience: one string or an array.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aud: Option<serde_json::Value>,
    /// Issuer of the token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Unique identifier of the token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// RFC 9396 §9.2: the authorization details of the token.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub authorization_details: Option<Vec<crate::AuthorizationDetail>>,
    /// When the user last authenticated (RFC 9470 §3, for a resource server's `max_age`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub auth_time: Option<i64>,
    /// How the user authenticated (RFC 9470 §3, for a resource server's `acr_values`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub acr: Option<String>,
    /// RFC 9449 §6.2: the key a DPoP-bound token is bound to, as `{"jkt": ...}`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cnf: Option<serde_json::Value>,
    /// RFC 8693 §4.1: the actor of a token exchange, earlier actors nested.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub act: Option<serde_json::Value>,
}
