//! Provider metadata: OpenID Connect Discovery 1.0 §3 and RFC 8414 §2 share one document.

use serde::{Deserialize, Serialize};

/// Authorization server metadata. Only what Keygate implements is ever filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderMetadata {
    /// The issuer identifier (RFC 8414 §2: https, no query or fragment).
    pub issuer: String,
    /// The authorization endpoint, when a grant that uses it is supported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_endpoint: Option<String>,
    /// The token endpoint.
    pub token_endpoint: String,
    /// The UserInfo endpoint (OIDC Core §5.3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub userinfo_endpoint: Option<String>,
    /// RP-Initiated Logout 1.0 §2.1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_session_endpoint: Option<String>,
    /// Back-Channel Logout 1.0 §2.1.
    #[serde(default)]
    pub backchannel_logout_supported: bool,
    /// Back-Channel Logout 1.0 §2.1: logout tokens carry `sid`.
    #[serde(default)]
    pub backchannel_logout_session_supported: bool,
    /// The JWK Set with the public signing keys.
    pub jwks_uri: String,
    /// RFC 7662 introspection endpoint.
    pub introspection_endpoint: String,
    /// RFC 7009 revocation endpoint.
    pub revocation_endpoint: String,
    /// RFC 7591 §3 client registration endpoint (RFC 8414 §2), only when registration is on.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub registration_endpoint: Option<String>,
    /// Supported scopes, if published.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub scopes_supported: Vec<String>,
    /// `response_type` values (RFC 8414 §2: required; empty when no authorization endpoint).
    pub response_types_supported: Vec<String>,
    /// `response_mode` values (OAuth 2.0 Multiple Response Type Encoding Practices).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub response_modes_supported: Vec<String>,
    /// Supported grant types.
    pub grant_types_supported: Vec<String>,
    /// PKCE methods (RFC 7636 §4.3 via RFC 8414 §2).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub code_challenge_methods_supported: Vec<String>,
    /// `prompt` values (OpenID Connect Prompt Create 1.0 §4.1).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub prompt_values_supported: Vec<String>,
    /// Claims Keygate can release.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub claims_supported: Vec<String>,
    /// Authentication context class references (`acr`) Keygate asserts and steps up to
    /// (OIDC Discovery §3).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub acr_values_supported: Vec<String>,
    /// Whether the `claims` request parameter is supported (OIDC Discovery §3).
    #[serde(default)]
    pub claims_parameter_supported: bool,
    /// Whether request objects by value are supported.
    #[serde(default)]
    pub request_parameter_supported: bool,
    /// Whether request objects by reference are supported (defaults to true if absent, so it is
    /// always sent).
    #[serde(default)]
    pub request_uri_parameter_supported: bool,
    /// RFC 9101 §10.1 (OIDC Discovery §3): algorithms accepted for request objects.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub request_object_signing_alg_values_supported: Vec<String>,
    /// RFC 9101 §10.5: whether every request must be a signed request object.
    #[serde(default)]
    pub require_signed_request_object: bool,
    /// RFC 9449 §5.1: algorithms accepted for DPoP proofs.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub dpop_signing_alg_values_supported: Vec<String>,
    /// Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document §6): an
    /// https URL as `client_id` names the client's metadata.
    #[serde(default)]
    pub client_id_metadata_document_supported: bool,
    /// OpenID Connect Discovery §3: the languages of the user interface (BCP 47 tags).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub ui_locales_supported: Vec<String>,
    /// OpenID Connect Discovery §3: languages of claim values (OIDC Core §5.2) Keygate
    /// returns on request (`claims_locales`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub claims_locales_supported: Vec<String>,
    /// RFC 9207 §3: `iss` in authorization responses.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
    /// Token endpoint client authentication methods.
    pub token_endpoint_auth_methods_supported: Vec<String>,
    /// RFC 8414 §2: algorithms for `private_key_jwt` assertions at the token endpoint.
    pub token_endpoint_auth_signing_alg_values_supported: Vec<String>,
    /// RFC 9126 §5: the pushed authorization request endpoint.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub pushed_authorization_request_endpoint: Option<String>,
    /// RFC 9126 §5: whether every authorization request must be pushed first.
    #[serde(default)]
    pub require_pushed_authorization_requests: bool,
    /// RFC 8628 §4: the device authorization endpoint.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub device_authorization_endpoint: Option<String>,
    /// RFC 9396 §10: the authorization details types the APIs registered here define.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub authorization_details_types_supported: Vec<String>,
    /// Introspection endpoint client authentication methods.
    pub introspection_endpoint_auth_methods_supported: Vec<String>,
    /// RFC 8414 §2: algorithms for `private_key_jwt` assertions at the introspection endpoint
    /// (required when that method is listed).
    #[serde(default)]
    pub introspection_endpoint_auth_signing_alg_values_supported: Vec<String>,
    /// Revocation endpoint client authentication methods.
    pub revocation_endpoint_auth_methods_supported: Vec<String>,
    /// RFC 8414 §2: algorithms for `private_key_jwt` assertions at the revocation endpoint
    /// (required when that method is listed).
    #[serde(default)]
    pub revocation_endpoint_auth_signing_alg_values_supported: Vec<String>,
    /// Subject identifier types (OpenID Connect Discovery §3).
    pub subject_types_supported: Vec<String>,
    /// Algorithms Keygate can sign ID tokens with.
    pub id_token_signing_alg_values_supported: Vec<String>,
}
