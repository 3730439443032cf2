//! Dynamic client registration on the wire: the metadata a client sends (RFC 7591 §2, §3.1;
//! RFC 7592 §2.2; OpenID Connect Dynamic Client Registration 1.0 §2) and the client
//! information response (RFC 7591 §3.2.1, RFC 7592 §3).
//!
//! Neither type derives `Debug`: both can carry a client secret or a registration access token.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Client metadata as a client sends it. Every member is optional and `null` counts as omitted
/// (RFC 7592 §2.2); members Keygate does not know are ignored (RFC 7591 §2).
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ClientMetadataRequest {
    /// `redirect_uris`: required for flows with redirection (RFC 7591 §2).
    pub redirect_uris: Option<Vec<String>>,
    /// `token_endpoint_auth_method`; `client_secret_basic` when omitted (RFC 7591 §2).
    pub token_endpoint_auth_method: Option<String>,
    /// `grant_types`; `authorization_code` when omitted (RFC 7591 §2).
    pub grant_types: Option<Vec<String>>,
    /// `response_types`; `code` when omitted (RFC 7591 §2).
    pub response_types: Option<Vec<String>>,
    /// `client_name`, shown to users.
    pub client_name: Option<String>,
    /// `client_uri`, the client's home page.
    pub client_uri: Option<String>,
    /// `logo_uri`.
    pub logo_uri: Option<String>,
    /// `scope`: space-separated scopes the client may request (RFC 6749 §3.3).
    pub scope: Option<String>,
    /// `contacts`, typically email addresses.
    pub contacts: Option<Vec<String>>,
    /// `tos_uri`.
    pub tos_uri: Option<String>,
    /// `policy_uri`.
    pub policy_uri: Option<String>,
    /// `jwks_uri` (never together with `jwks`).
    pub jwks_uri: Option<String>,
    /// `jwks`, a JWK Set by value.
    pub jwks: Option<Value>,
    /// `software_id` (accepted, not stored).
    pub software_id: Option<String>,
    /// `software_version` (accepted, not stored).
    pub software_version: Option<String>,
    /// OIDC Registration §2 `application_type`: `web` (default) or `native`.
    pub application_type: Option<String>,
    /// RP-Initiated Logout 1.0 §3.1 `post_logout_redirect_uris`.
    pub post_logout_redirect_uris: Option<Vec<String>>,
    /// Back-Channel Logout 1.0 §2.2 `backchannel_logout_uri`.
    pub backchannel_logout_uri: Option<String>,
    /// OIDC Registration §2 `id_token_signed_response_alg`.
    pub id_token_signed_response_alg: Option<String>,
    /// RFC 9126 §6 `require_pushed_authorization_requests`.
    pub require_pushed_authorization_requests: Option<bool>,
    /// RFC 9101 §10.5 `require_signed_request_object`.
    pub require_signed_request_object: Option<bool>,
    /// OIDC Registration §2 `request_object_signing_alg`.
    pub request_object_signing_alg: Option<String>,
    /// RFC 9449 §5.2 `dpop_bound_access_tokens`.
    pub dpop_bound_access_tokens: Option<bool>,
    /// RFC 7592 §2.2: an update names the client it replaces.
    pub client_id: Option<String>,
    /// RFC 7592 §2.2: if an update carries the secret, it must be the current one.
    pub client_secret: Option<String>,
}

/// The client information response (RFC 7591 §3.2.1 with RFC 7592 §3): the registered
/// metadata, including what the server provisioned, and the management credentials.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientInformation {
    /// The issued client identifier.
    pub client_id: String,
    /// The client secret, for confidential clients, when issued in this response.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub client_secret: Option<String>,
    /// When the client id was issued, seconds since the epoch.
    pub client_id_issued_at: i64,
    /// `0`: Keygate's client secrets do not expire (required when a secret exists).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub client_secret_expires_at: Option<i64>,
    /// RFC 7592 §3: the bearer token for the client configuration endpoint.
    pub registration_access_token: String,
    /// RFC 7592 §3: the client configuration endpoint.
    pub registration_client_uri: String,
    /// `client_name`.
    pub client_name: String,
    /// `redirect_uris`.
    pub redirect_uris: Vec<String>,
    /// `token_endpoint_auth_method`.
    pub token_endpoint_auth_method: String,
    /// `grant_types`.
    pub grant_types: Vec<String>,
    /// `response_types`, consistent with `grant_types` (RFC 7591 §2.1).
    pub response_types: Vec<String>,
    /// `scope`, space-separated; absent when the client may request no scope.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub scope: Option<String>,
    /// `application_type`: `web` or `native`.
    pub application_type: String,
    /// `post_logout_redirect_uris`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub post_logout_redirect_uris: Vec<String>,
    /// `backchannel_logout_uri`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub backchannel_logout_uri: Option<String>,
    /// `id_token_signed_response_alg`, when the client chose one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id_token_signed_response_alg: Option<String>,
    /// `client_uri`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub client_uri: Option<String>,
    /// `logo_uri`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub logo_uri: Option<String>,
    /// `tos_uri`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tos_uri: Option<String>,
    /// `policy_uri`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub policy_uri: Option<String>,
    /// `contacts`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub contacts: Vec<String>,
    /// `jwks_uri`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub jwks_uri: Option<String>,
    /// `jwks`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub jwks: Option<Value>,
    /// RFC 9126 §6: requests only through the pushed authorization request endpoint.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub require_pushed_authorization_requests: bool,
    /// RFC 9101 §10.5: requests only as signed request objects.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub require_signed_request_object: bool,
    /// The one algorithm of the client's request objects.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub request_object_signing_alg: Option<String>,
    /// RFC 9449 §5.2: every access token is DPoP-bound.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub dpop_bound_access_tokens: bool,
}
