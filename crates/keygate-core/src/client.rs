//! Applications (OAuth clients): their types, the defaults each type gets, and the validation
//! of registered metadata.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::secret::SecretHash;

/// The kind of application, which fixes whether it can hold a secret (RFC 6749 §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClientType {
    /// A server-side web application: confidential, authorization code flow.
    Web,
    /// A single-page application in a browser: public, code flow with PKCE.
    Spa,
    /// A desktop, mobile or terminal application: public, PKCE, RFC 8252 redirects.
    Native,
    /// A machine-to-machine client: confidential, client credentials only.
    M2m,
}

impl ClientType {
    /// Whether the type can keep a secret (RFC 6749 §2.1).
    pub fn is_confidential(self) -> bool {
        matches!(self, Self::Web | Self::M2m)
    }

    /// The name used in the CLI, the database and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Spa => "spa",
            Self::Native => "native",
            Self::M2m => "m2m",
        }
    }
}

impl FromStr for ClientType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "web" => Ok(Self::Web),
            "spa" => Ok(Self::Spa),
            "native" => Ok(Self::Native),
            "m2m" => Ok(Self::M2m),
            _ => Err(format!("unknown client type '{s}' (web, spa, native, m2m)")),
        }
    }
}

/// How a client authenticates at the token endpoint (RFC 7591 §2 `token_endpoint_auth_method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    /// HTTP Basic (RFC 6749 §2.3.1).
    ClientSecretBasic,
    /// `client_id` and `client_secret` in the form body (RFC 6749 §2.3.1).
    ClientSecretPost,
    /// A JWT signed with the client's private key (RFC 7523 §2.2, OIDC Core §9).
    PrivateKeyJwt,
    /// A public client: identifies itself with `client_id` only.
    None,
}

impl AuthMethod {
    /// The registered name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ClientSecretBasic => "client_secret_basic",
            Self::ClientSecretPost => "client_secret_post",
            Self::PrivateKeyJwt => "private_key_jwt",
            Self::None => "none",
        }
    }
}

impl FromStr for AuthMethod {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "client_secret_basic" => Ok(Self::ClientSecretBasic),
            "client_secret_post" => Ok(Self::ClientSecretPost),
            "private_key_jwt" => Ok(Self::PrivateKeyJwt),
            "none" => Ok(Self::None),
            _ => Err(format!(
                "unknown auth method '{s}' (client_secret_basic, client_secret_post, \
                 private_key_jwt, none)"
            )),
        }
    }
}

/// A grant type a client may be allowed to use (RFC 6749 §4, §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantType {
    /// RFC 6749 §4.1.
    AuthorizationCode,
    /// RFC 6749 §6.
    RefreshToken,
    /// RFC 6749 §4.4.
    ClientCredentials,
    /// RFC 8628 §3.4: the device authorization grant.
    #[serde(rename = "urn:ietf:params:oauth:grant-type:device_code")]
    DeviceCode,
    /// RFC 8693 §2.1: token exchange.
    #[serde(rename = "urn:ietf:params:oauth:grant-type:token-exchange")]
    TokenExchange,
}

/// RFC 8628 §3.4: the `grant_type` of the device authorization grant.
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// RFC 8693 §2.1: the `grant_type` of token exchange.
pub const TOKEN_EXCHANGE_GRANT: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

impl GrantType {
    /// Every grant Keygate implements, in the order discovery and the console list them.
    pub const ALL: [Self; 5] = [
        Self::AuthorizationCode,
        Self::RefreshToken,
        Self::ClientCredentials,
        Self::DeviceCode,
        Self::TokenExchange,
    ];

    /// The `grant_type` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthorizationCode => "authorization_code",
            Self::RefreshToken => "refresh_token",
            Self::ClientCredentials => "client_credentials",
            Self::DeviceCode => DEVICE_CODE_GRANT,
            Self::TokenExchange => TOKEN_EXCHANGE_GRANT,
        }
    }

    /// A short name for metrics labels and the command line.
    pub fn short_name(self) -> &'static str {
        match self {
            Self::DeviceCode => "device_code",
            Self::TokenExchange => "token_exchange",
            other => other.as_str(),
        }
    }

    /// What the grant is for, in the console's words.
    pub fn description(self) -> &'static str {
        match self {
            Self::AuthorizationCode => "Authorization code (users sign in)",
            Self::RefreshToken => "Refresh tokens",
            Self::ClientCredentials => "Client credentials (machine to machine)",
            Self::DeviceCode => "Device code (TVs and terminals, RFC 8628)",
            Self::TokenExchange => "Token exchange (services acting for users, RFC 8693)",
        }
    }

    /// Whether a client of `client_type` may be allowed the grant: machine-to-machine clients
    /// have no user of their own but may exchange one's token; public clients cannot
    /// authenticate, so neither act as themselves (RFC 6749 §4.4.2) nor exchange tokens.
    pub fn fits(self, client_type: ClientType) -> bool {
        let confidential_only = matches!(self, Self::ClientCredentials | Self::TokenExchange);
        match client_type {
            ClientType::M2m => confidential_only,
            ClientType::Web => true,
            ClientType::Spa | ClientType::Native => !confidential_only,
        }
    }

    /// The grant a token request's `grant_type` names, exactly as on the wire (RFC 6749 §4).
    pub fn from_grant_type(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == value)
    }
}

impl FromStr for GrantType {
    type Err = String;
    /// The `grant_type` value or the short name.
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|g| g.as_str() == s || g.short_name() == s)
            .ok_or_else(|| format!("unknown grant type '{s}'"))
    }
}

macro_rules! display_as_str {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    )*};
}
display_as_str!(ClientType, AuthMethod, GrantType);

/// A registered application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    /// The client identifier (RFC 6749 §2.2).
    pub client_id: String,
    /// Display name shown to users.
    pub name: String,
    /// The application type.
    pub client_type: ClientType,
    /// SHA-256 of the client secret; `None` for public clients.
    #[serde(skip)]
    pub secret_hash: Option<SecretHash>,
    /// The registered token endpoint authentication method.
    pub auth_method: AuthMethod,
    /// Registered redirect URIs, matched exactly.
    pub redirect_uris: Vec<String>,
    /// Registered post-logout redirect URIs.
    pub post_logout_redirect_uris: Vec<String>,
    /// Grant types the client may use.
    pub grant_types: Vec<GrantType>,
    /// Scopes the client may request.
    pub scopes: Vec<String>,
    /// RFC 8707 resources (token audiences) the client may request; the first is the default.
    pub resources: Vec<String>,
    /// A first-party application skips the consent page.
    pub first_party: bool,
    /// `id_token_signed_response_alg` (OIDC Registration §2); the provider default when `None`.
    pub id_token_alg: Option<crate::keys::SigningAlg>,
    /// OIDC Back-Channel Logout 1.0 §2.2 `backchannel_logout_uri`.
    pub backchannel_logout_uri: Option<String>,
    /// Presentation, CORS, lifetimes and keys: the metadata without a column of its own.
    pub metadata: ClientMetadata,
    /// SHA-256 of the RFC 7592 registration access token, for dynamically registered clients.
    #[serde(skip)]
    pub registration_token_hash: Option<SecretHash>,
    /// For an openly registered client not used yet: when it is deleted unless it gets a token
    /// first (RFC 9700 §4.11.2). `None` for every other client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unused_until: Option<i64>,
    /// Creation time, seconds since the epoch.
    pub created_at: i64,
    /// Last change, seconds since the epoch.
    pub updated_at: i64,
}

impl Client {
    /// Whether the client may use `grant`.
    pub fn allows_grant(&self, grant: GrantType) -> bool {
        self.grant_types.contains(&grant)
    }

    /// Where a redirect to `uri` on this client's behalf goes: straight there, or, for a client
    /// that anyone may have registered (open dynamic registration), through a page that names
    /// the destination host first, so Keygate is no open redirector (RFC 9700 §4.11.2).
    pub fn departure(&self, uri: String) -> Departure {
        let confirm_host = self.metadata.unverified.then(|| destination_host(&uri));
        Departure { url: uri, confirm_host }
    }
}

/// A redirect out of Keygate, and whether the user confirms it first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Departure {
    /// Where the browser goes.
    pub url: String,
    /// The host to name on the confirmation page, when the user must confirm (RFC 9700 §4.11.2).
    pub confirm_host: Option<String>,
}

impl Departure {
    /// A redirect that needs no confirmation (to Keygate itself, or a verified client).
    pub fn direct(url: String) -> Self {
        Self { url, confirm_host: None }
    }
}

/// The host a URI points at as a user would read it; the scheme for a private-use URI.
fn destination_host(uri: &str) -> String {
    match url::Url::parse(uri) {
        Ok(url) => match url.host_str() {
            Some(host) => host.to_owned(),
            None => format!("{}:", url.scheme()),
        },
        Err(_) => uri.to_owned(),
    }
}

/// Client metadata stored together (RFC 7591 §2 names where one exists).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientMetadata {
    /// `logo_uri`, shown on the login and consent pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_uri: Option<String>,
    /// The application's primary color (`#rrggbb`) on its login and consent pages, instead
    /// of the operator's; checked for contrast ([`crate::branding`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_color: Option<String>,
    /// A picture behind the application's login and consent pages (an https URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background_uri: Option<String>,
    /// `client_uri`, the application's home page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_uri: Option<String>,
    /// `policy_uri`, the privacy policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_uri: Option<String>,
    /// `tos_uri`, the terms of service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tos_uri: Option<String>,
    /// `contacts`, people responsible for the client.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<String>,
    /// Web origins allowed to call the token, userinfo and revocation endpoints from a browser
    /// (CORS), e.g. `https://spa.example`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub web_origins: Vec<String>,
    /// Access token lifetime for this client; the provider or API default when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token_ttl: Option<i64>,
    /// Refresh token lifetime for this client; the provider default when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token_ttl: Option<i64>,
    /// `jwks_uri` for `private_key_jwt` (RFC 7591 §2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// `jwks`, the client's public keys inline, for `private_key_jwt`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwks: Option<serde_json::Value>,
    /// A legacy confidential client that may use the code flow without PKCE. PKCE is required
    /// of every other client (OAuth 2.1 §4.1.1, RFC 9700 §2.1.1); never of public clients.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pkce_optional: bool,
    /// Registered by anyone through open dynamic registration (no initial access token): users
    /// are always asked to consent and the consent page marks it unverified (RFC 9700 §4.11.2).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unverified: bool,
    /// Signing in to this application needs a second factor (where `[mfa] policy` is not
    /// `off`): users without one add it first.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub require_mfa: bool,
    /// RFC 9126 §6 `require_pushed_authorization_requests`: this client's authorization
    /// requests are accepted only through the pushed authorization request endpoint.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub require_pushed_authorization_requests: bool,
    /// RFC 9101 §10.5 `require_signed_request_object`: this client's authorization requests
    /// must come as a signed request object.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub require_signed_request_object: bool,
    /// OIDC Registration §2 `request_object_signing_alg`: the one algorithm this client's
    /// request objects may use; `none` accepts unsigned objects from it (and only those).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_object_signing_alg: Option<String>,
    /// RFC 9449 §5.2 `dpop_bound_access_tokens`: every token request of this client carries a
    /// DPoP proof, so its access tokens are always bound to its key.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dpop_bound_access_tokens: bool,
    /// The FAPI 2.0 Security Profile applies to this client (see
    /// [`crate::Provider::fapi2`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub fapi2: bool,
}

impl ClientMetadata {
    /// The application's own look on its login and consent pages.
    pub fn look(&self) -> crate::branding::Look {
        crate::branding::Look {
            primary_color: self.primary_color.clone(),
            background_color: None,
            background_image: self.background_uri.clone(),
        }
    }
}

/// The settable metadata of a client: `None` keeps the current value (or the type's default).
#[derive(Debug, Clone, Default)]
pub struct ClientSpec {
    /// Display name.
    pub name: Option<String>,
    /// Redirect URIs.
    pub redirect_uris: Option<Vec<String>>,
    /// Post-logout redirect URIs.
    pub post_logout_redirect_uris: Option<Vec<String>>,
    /// Allowed grant types.
    pub grant_types: Option<Vec<GrantType>>,
    /// Allowed scopes.
    pub scopes: Option<Vec<String>>,
    /// Allowed RFC 8707 resources.
    pub resources: Option<Vec<String>>,
    /// Token endpoint auth method.
    pub auth_method: Option<AuthMethod>,
    /// First-party flag.
    pub first_party: Option<bool>,
    /// ID token signing algorithm.
    pub id_token_alg: Option<crate::keys::SigningAlg>,
    /// Back-channel logout URI (`Some("")` clears it).
    pub backchannel_logout_uri: Option<String>,
    /// The grouped metadata, replaced as a whole.
    pub metadata: Option<ClientMetadata>,
}

/// The defaults a new client of `client_type` gets.
pub fn defaults_for(client_type: ClientType) -> (Vec<GrantType>, AuthMethod, Vec<String>) {
    let user_scopes =
        || ["openid", "profile", "email", "offline_access"].map(String::from).to_vec();
    match client_type {
        ClientType::Web => (
            vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
            AuthMethod::ClientSecretBasic,
            user_scopes(),
        ),
        ClientType::Spa | ClientType::Native => (
            vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
            AuthMethod::None,
            user_scopes(),
        ),
        ClientType::M2m => {
            (vec![GrantType::ClientCredentials], AuthMethod::ClientSecretBasic, Vec::new())
        }
    }
}

/// Checks a client's metadata as a whole and returns every problem found.
pub fn validate_client(client: &Client) -> Vec<String> {
    let mut problems = Vec::new();
    if client.name.trim().is_empty() {
        problems.push("name must not be empty".to_owned());
    }
    problems.extend(crate::text::too_long("name", &client.name, crate::text::MAX_NAME));
    if let Err(p) = validate_client_id(&client.client_id) {
        problems.push(p);
    }
    let confidential = client.client_type.is_confidential();
    match (confidential, client.auth_method) {
        (true, AuthMethod::None) => problems.push(format!(
            "a {} client is confidential and must authenticate (client_secret_basic or client_secret_post)",
            client.client_type
        )),
        (false, AuthMethod::ClientSecretBasic | AuthMethod::ClientSecretPost) => problems.push(
            format!("a {} client is public: its auth method must be none", client.client_type),
        ),
        (false, AuthMethod::PrivateKeyJwt) => problems.push(format!(
            "a {} client is public: it cannot hold a private key for private_key_jwt",
            client.client_type
        )),
        _ => {}
    }
    problems.extend(validate_metadata(client));
    for grant in &client.grant_types {
        if !grant.fits(client.client_type) {
            problems.push(format!("a {} client cannot use the {grant} grant", client.client_type));
        }
    }
    if client.allows_grant(GrantType::AuthorizationCode) && client.redirect_uris.is_empty() {
        problems.push("the authorization_code grant needs at least one --redirect-uri".to_owned());
    }
    for uri in client.redirect_uris.iter().chain(&client.post_logout_redirect_uris) {
        if let Err(p) = crate::redirect::validate_redirect_uri(uri, client.client_type) {
            problems.push(p);
        }
    }
    for scope in &client.scopes {
        if !crate::scope::is_scope_token(scope) {
            problems.push(format!("'{scope}' is not a valid scope (RFC 6749 §3.3)"));
        }
    }
    if let Some(uri) = &client.backchannel_logout_uri
        && let Err(p) = crate::redirect::validate_redirect_uri(uri, ClientType::Web)
    {
        problems.push(format!("backchannel logout: {p}"));
    }
    for resource in &client.resources {
        if let Err(p) = crate::resource::validate_resource(resource) {
            problems.push(p);
        }
    }
    problems
}

/// Checks the grouped metadata: https links, origins without paths, sane lifetimes, and keys
/// for `private_key_jwt`.
/// FAPI 2.0 Security Profile §5.3.2.1–5.3.2.2, what a client's registration must meet: a
/// confidential client with `private_key_jwt` (mutual TLS is not offered), PKCE never optional,
/// https redirect URIs, and ID tokens signed with ES256 or EdDSA (PS256 is not offered).
fn fapi2_problems(client: &Client) -> Vec<String> {
    let mut problems = Vec::new();
    if !client.metadata.fapi2 {
        return problems;
    }
    if client.auth_method != AuthMethod::PrivateKeyJwt {
        problems.push("a FAPI 2.0 client authenticates with private_key_jwt".to_owned());
    }
    if client.metadata.pkce_optional {
        problems.push("a FAPI 2.0 client cannot skip PKCE".to_owned());
    }
    if let Some(uri) = client.redirect_uris.iter().find(|u| !u.starts_with("https://")) {
        problems.push(format!("a FAPI 2.0 client's redirect URIs are https: '{uri}' is not"));
    }
    if matches!(client.id_token_alg, None | Some(crate::keys::SigningAlg::RS256)) {
        problems.push("a FAPI 2.0 client's ID tokens are signed with ES256 or EdDSA".to_owned());
    }
    problems
}

/// RFC 9101 §10.5 and OIDC Registration §2: a signing algorithm Keygate accepts, keys to verify
/// it with, and no `none` for a client that must sign.
fn request_object_problems(m: &ClientMetadata, has_keys: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let algs = crate::authorize::REQUEST_OBJECT_ALGS;
    match m.request_object_signing_alg.as_deref() {
        Some("none") if m.require_signed_request_object => problems.push(
            "request_object_signing_alg cannot be none when signed request objects are required"
                .to_owned(),
        ),
        Some(alg) if alg != "none" && !algs.contains(&alg) => problems.push(format!(
            "request_object_signing_alg '{alg}' is not one of none, {}",
            algs.join(", ")
        )),
        _ => {}
    }
    let signs = m.require_signed_request_object
        || m.request_object_signing_alg.as_deref().is_some_and(|a| a != "none");
    if signs && !has_keys {
        problems.push(
            "signed request objects are verified with the client's public keys: set jwks or \
             jwks_uri"
                .to_owned(),
        );
    }
    problems
}

fn validate_metadata(client: &Client) -> Vec<String> {
    let m = &client.metadata;
    let mut problems = Vec::new();
    let links = [
        ("logo_uri", &m.logo_uri),
        ("client_uri", &m.client_uri),
        ("policy_uri", &m.policy_uri),
        ("tos_uri", &m.tos_uri),
        ("jwks_uri", &m.jwks_uri),
    ];
    for (field, value) in links {
        if let Some(uri) = value
            && crate::redirect::validate_redirect_uri(uri, ClientType::Web).is_err()
        {
            problems.push(format!(
                "{field}: '{uri}' must be a full https URL (http only on 127.0.0.1 or [::1])"
            ));
        }
    }
    if let Some(color) = &m.primary_color {
        problems.extend(crate::branding::primary_color_problem("primary_color", color));
    }
    if let Some(uri) = &m.background_uri {
        problems.extend(crate::branding::picture_problem("background_uri", uri));
    }
    for origin in &m.web_origins {
        if let Err(p) = validate_web_origin(origin) {
            problems.push(p);
        }
    }
    if !m.web_origins.is_empty() && client.client_type == ClientType::M2m {
        problems.push("a machine-to-machine client has no web origins".to_owned());
    }
    let ttls =
        [("access_token_ttl", m.access_token_ttl), ("refresh_token_ttl", m.refresh_token_ttl)];
    for (field, ttl) in ttls {
        if let Some(ttl) = ttl {
            let max =
                if field == "refresh_token_ttl" { 365 * 86_400 } else { crate::api::MAX_TOKEN_TTL };
            if !(60..=max).contains(&ttl) {
                problems.push(format!("{field} must be between 60 and {max} seconds"));
            }
        }
    }
    if m.pkce_optional && client.auth_method == AuthMethod::None {
        problems
            .push("PKCE cannot be made optional for a public client (RFC 9700 §2.1.1)".to_owned());
    }
    let has_keys = m.jwks.is_some() || m.jwks_uri.is_some();
    problems.extend(request_object_problems(m, has_keys));
    problems.extend(fapi2_problems(client));
    match (client.auth_method == AuthMethod::PrivateKeyJwt, has_keys) {
        (true, false) => problems.push("private_key_jwt needs jwks or jwks_uri".to_owned()),
        (_, true) if m.jwks.is_some() && m.jwks_uri.is_some() => {
            problems.push("jwks and jwks_uri must not both be set (RFC 7591 §2)".to_owned());
        }
        _ => {}
    }
    if let Some(jwks) = &m.jwks {
        match jwks.get("keys").and_then(serde_json::Value::as_array) {
            None => problems.push("jwks must be a JWK Set: an object with a keys array".to_owned()),
            // RFC 7517 §6.2.2 / §6.4: `d` (private exponent or key) and `k` (symmetric key)
            // are secrets the application must never hand over.
            Some(keys) if keys.iter().any(|k| k.get("d").is_some() || k.get("k").is_some()) => {
                problems.push(
                    "jwks holds a private or secret key: give only the public keys".to_owned(),
                );
            }
            Some(_) => {}
        }
    }
    problems
}

/// A web origin: `scheme://host[:port]` with no path, query or fragment; https unless loopback.
pub fn validate_web_origin(origin: &str) -> Result<(), String> {
    let bad = || format!("web origin '{origin}' must be scheme://host[:port], without a path");
    let url = url::Url::parse(origin).map_err(|_| bad())?;
    if url.origin().ascii_serialization() != origin {
        return Err(bad());
    }
    crate::redirect::validate_redirect_uri(origin, ClientType::Web)
        .map_err(|_| format!("web origin '{origin}' must use https (http only on loopback)"))
}

/// A client id: 1 to 255 visible ASCII characters (RFC 6749 Appendix A.1 `VSCHAR`, less space).
pub fn validate_client_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > 255 || !id.bytes().all(|b| (0x21..=0x7E).contains(&b)) {
        return Err(format!(
            "client id '{id}' must be 1 to 255 visible ASCII characters without spaces"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6749_4_every_grant_reads_back_from_its_grant_type_and_short_name() {
        for grant in GrantType::ALL {
            assert_eq!(GrantType::from_grant_type(grant.as_str()), Some(grant));
            assert_eq!(grant.as_str().parse::<GrantType>().ok(), Some(grant));
            assert_eq!(grant.short_name().parse::<GrantType>().ok(), Some(grant));
        }
        // On the wire only the registered value names a grant.
        assert_eq!(GrantType::from_grant_type("device_code"), None);
        assert_eq!(GrantType::from_grant_type("password"), None);
    }
}
