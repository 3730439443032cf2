//! The JSON the admin API speaks, with its OpenAPI schemas. Field names follow RFC 7591 where
//! one exists.
#![allow(missing_docs)] // Fields named as in RFC 7591 and the OpenAPI document need no prose.

use std::collections::BTreeMap;

use keygate_core::User;
use keygate_core::api::{Api, ApiScope, ApiSpec};
use keygate_core::authorization_details::DetailsType;
use keygate_core::client::{Client, ClientMetadata, ClientSpec};
use keygate_core::keys::StoredKey;
use keygate_core::store::{AuditEvent, Consent, Session, SignInEvent};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

/// `Some(None)` for an explicit `null`, `None` for an absent field.
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A page of results and the cursor of the next page (absent on the last page).
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The results.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Paging parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Results per page, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Text to look for (name, id, username or email).
    pub q: Option<String>,
}

impl Paging {
    /// The page size.
    pub fn limit(&self) -> usize {
        self.limit.unwrap_or(50).clamp(1, 200) as usize
    }
}

/// An application.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientView {
    pub client_id: String,
    pub client_name: String,
    /// `web`, `spa`, `native` or `m2m`.
    pub application_type: String,
    pub token_endpoint_auth_method: String,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backchannel_logout_uri: Option<String>,
    pub grant_types: Vec<String>,
    pub scopes: Vec<String>,
    /// RFC 8707 resources (APIs) the client may ask tokens for.
    pub resources: Vec<String>,
    /// Skips the consent page.
    pub first_party: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token_signed_response_alg: Option<String>,
    #[serde(flatten)]
    pub metadata: MetadataView,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Presentation, CORS, lifetimes and keys of an application.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct MetadataView {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_uri: Option<String>,
    /// The application's primary color (`#rrggbb`) on its login and consent pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_color: Option<String>,
    /// A picture (https URL) behind the application's login and consent pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tos_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<String>,
    /// Origins allowed to call the token, userinfo and revocation endpoints from a browser.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub web_origins: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token_ttl: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_ttl: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub jwks: Option<Value>,
    /// A legacy confidential client that may skip PKCE (required of every other client).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pkce_optional: bool,
    /// Signing in to this application needs a second factor.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub require_mfa: bool,
    /// RFC 9126 §6: authorization requests only through the pushed request endpoint.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub require_pushed_authorization_requests: bool,
    /// RFC 9101 §10.5: authorization requests only as signed request objects.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub require_signed_request_object: bool,
    /// The one algorithm of this client's request objects (`none`: unsigned ones only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_object_signing_alg: Option<String>,
    /// RFC 9449 §5.2: every token request carries a DPoP proof.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dpop_bound_access_tokens: bool,
    /// The FAPI 2.0 Security Profile applies.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fapi2: bool,
}

impl From<&ClientMetadata> for MetadataView {
    fn from(m: &ClientMetadata) -> Self {
        Self {
            logo_uri: m.logo_uri.clone(),
            primary_color: m.primary_color.clone(),
            background_uri: m.background_uri.clone(),
            client_uri: m.client_uri.clone(),
            policy_uri: m.policy_uri.clone(),
            tos_uri: m.tos_uri.clone(),
            contacts: m.contacts.clone(),
            web_origins: m.web_origins.clone(),
            access_token_ttl: m.access_token_ttl,
            refresh_token_ttl: m.refresh_token_ttl,
            jwks_uri: m.jwks_uri.clone(),
            jwks: m.jwks.clone(),
            pkce_optional: m.pkce_optional,
            require_mfa: m.require_mfa,
            require_pushed_authorization_requests: m.require_pushed_authorization_requests,
            require_signed_request_object: m.require_signed_request_object,
            request_object_signing_alg: m.request_object_signing_alg.clone(),
            dpop_bound_access_tokens: m.dpop_bound_access_tokens,
            fapi2: m.fapi2,
        }
    }
}

impl From<MetadataView> for ClientMetadata {
    fn from(m: MetadataView) -> Self {
        Self {
            logo_uri: m.logo_uri,
            primary_color: m.primary_color,
            background_uri: m.background_uri,
            client_uri: m.client_uri,
            policy_uri: m.policy_uri,
            tos_uri: m.tos_uri,
            contacts: m.contacts,
            web_origins: m.web_origins,
            access_token_ttl: m.access_token_ttl,
            refresh_token_ttl: m.refresh_token_ttl,
            jwks_uri: m.jwks_uri,
            jwks: m.jwks,
            pkce_optional: m.pkce_optional,
            require_mfa: m.require_mfa,
            require_pushed_authorization_requests: m.require_pushed_authorization_requests,
            require_signed_request_object: m.require_signed_request_object,
            request_object_signing_alg: m.request_object_signing_alg,
            dpop_bound_access_tokens: m.dpop_bound_access_tokens,
            fapi2: m.fapi2,
            // Clients an operator writes are verified.
            unverified: false,
        }
    }
}

impl From<&Client> for ClientView {
    fn from(c: &Client) -> Self {
        Self {
            client_id: c.client_id.clone(),
            client_name: c.name.clone(),
            application_type: c.client_type.to_string(),
            token_endpoint_auth_method: c.auth_method.to_string(),
            redirect_uris: c.redirect_uris.clone(),
            post_logout_redirect_uris: c.post_logout_redirect_uris.clone(),
            backchannel_logout_uri: c.backchannel_logout_uri.clone(),
            grant_types: c.grant_types.iter().map(ToString::to_string).collect(),
            scopes: c.scopes.clone(),
            resources: c.resources.clone(),
            first_party: c.first_party,
            id_token_signed_response_alg: c.id_token_alg.map(|a| a.to_string()),
            metadata: MetadataView::from(&c.metadata),
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// A new application and, for a confidential one, its secret (shown this once).
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientCreated {
    #[serde(flatten)]
    pub client: ClientView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

/// The fields of an application to set; absent fields keep their value (or the type's default).
/// On `PATCH`, metadata fields given replace only themselves.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientInput {
    /// Required on create: `web`, `spa`, `native` or `m2m`.
    pub application_type: Option<String>,
    /// Only on create: an explicit id (generated otherwise).
    pub client_id: Option<String>,
    pub client_name: Option<String>,
    pub token_endpoint_auth_method: Option<String>,
    pub redirect_uris: Option<Vec<String>>,
    pub post_logout_redirect_uris: Option<Vec<String>>,
    /// `""` or `null` removes it.
    #[serde(default, deserialize_with = "nullable")]
    pub backchannel_logout_uri: Option<Option<String>>,
    pub grant_types: Option<Vec<String>>,
    pub scopes: Option<Vec<String>>,
    pub resources: Option<Vec<String>>,
    pub first_party: Option<bool>,
    pub id_token_signed_response_alg: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub logo_uri: Option<Option<String>>,
    /// `#rrggbb`; `""` or `null` removes it.
    #[serde(default, deserialize_with = "nullable")]
    pub primary_color: Option<Option<String>>,
    /// `""` or `null` removes it.
    #[serde(default, deserialize_with = "nullable")]
    pub background_uri: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub client_uri: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub policy_uri: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub tos_uri: Option<Option<String>>,
    pub contacts: Option<Vec<String>>,
    pub web_origins: Option<Vec<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub access_token_ttl: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    pub refresh_token_ttl: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    pub jwks_uri: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Object>)]
    pub jwks: Option<Option<Value>>,
    /// Let a legacy confidential client skip PKCE.
    pub pkce_optional: Option<bool>,
    /// Require a second factor of everyone signing in to this application.
    pub require_mfa: Option<bool>,
    /// Accept this application's authorization requests only when pushed (RFC 9126 §6).
    pub require_pushed_authorization_requests: Option<bool>,
    /// Accept only signed request objects from this application (RFC 9101 §10.5).
    pub require_signed_request_object: Option<bool>,
    /// `""` or `null` removes it.
    #[serde(default, deserialize_with = "nullable")]
    pub request_object_signing_alg: Option<Option<String>>,
    /// Bind every access token of this application to its DPoP key (RFC 9449 §5.2).
    pub dpop_bound_access_tokens: Option<bool>,
    /// Apply the FAPI 2.0 Security Profile to this application.
    pub fapi2: Option<bool>,
}

impl ClientInput {
    /// The core spec, with metadata merged over `current`; every unparsable value is listed.
    pub fn into_spec(self, current: &ClientMetadata) -> Result<ClientSpec, Vec<String>> {
        let mut problems = Vec::new();
        let grant_types = self.grant_types.map(|list| {
            list.iter().filter_map(|g| g.parse().map_err(|e| problems.push(e)).ok()).collect()
        });
        let auth_method = self
            .token_endpoint_auth_method
            .and_then(|m| m.parse().map_err(|e| problems.push(e)).ok());
        let id_token_alg = self
            .id_token_signed_response_alg
            .and_then(|a| a.parse().map_err(|e| problems.push(e)).ok());
        let mut m = current.clone();
        macro_rules! merge {
            ($($field:ident),*) => {$( if let Some(v) = self.$field { m.$field = v; } )*};
        }
        merge!(logo_uri, client_uri, policy_uri, tos_uri, access_token_ttl, refresh_token_ttl);
        merge!(jwks_uri, jwks, request_object_signing_alg, primary_color, background_uri);
        m.primary_color.take_if(|v| v.is_empty());
        m.background_uri.take_if(|v| v.is_empty());
        if let Some(v) = self.contacts {
            m.contacts = v;
        }
        if let Some(v) = self.web_origins {
            m.web_origins = v;
        }
        if let Some(v) = self.pkce_optional {
            m.pkce_optional = v;
        }
        if let Some(v) = self.require_mfa {
            m.require_mfa = v;
        }
        if let Some(v) = self.require_pushed_authorization_requests {
            m.require_pushed_authorization_requests = v;
        }
        if let Some(v) = self.require_signed_request_object {
            m.require_signed_request_object = v;
        }
        if let Some(v) = self.dpop_bound_access_tokens {
            m.dpop_bound_access_tokens = v;
        }
        if let Some(v) = self.fapi2 {
            m.fapi2 = v;
        }
        m.request_object_signing_alg = m.request_object_signing_alg.filter(|a| !a.is_empty());
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(ClientSpec {
            name: self.client_name,
            redirect_uris: self.redirect_uris,
            post_logout_redirect_uris: self.post_logout_redirect_uris,
            grant_types,
            scopes: self.scopes,
            resources: self.resources,
            auth_method,
            first_party: self.first_party,
            id_token_alg,
            backchannel_logout_uri: self.backchannel_logout_uri.map(Option::unwrap_or_default),
            metadata: Some(m),
        })
    }
}

/// A new client secret, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct SecretView {
    pub client_id: String,
    pub client_secret: String,
}

/// A scope an API defines.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScopeView {
    /// e.g. `todo:read`.
    pub name: String,
    /// e.g. "Read your to-do list": what the consent page shows.
    pub description: String,
    /// The description in other languages, by BCP 47 tag: `{"de": "Ihre Aufgaben lesen"}`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub translations: std::collections::BTreeMap<String, String>,
}

/// An RFC 9396 authorization details type an API defines.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DetailsTypeView {
    /// The type, e.g. `folder_access`.
    #[serde(rename = "type")]
    pub name: String,
    /// What its locations are, e.g. "Folders in your drive".
    pub description: String,
    /// Its actions, each with the words the consent page shows.
    pub actions: Vec<ScopeView>,
}

impl From<&DetailsType> for DetailsTypeView {
    fn from(t: &DetailsType) -> Self {
        Self {
            name: t.name.clone(),
            description: t.description.clone(),
            actions: t.actions.iter().map(ScopeView::from).collect(),
        }
    }
}

impl From<DetailsTypeView> for DetailsType {
    fn from(t: DetailsTypeView) -> Self {
        Self {
            name: t.name,
            description: t.description,
            actions: t.actions.into_iter().map(ApiScope::from).collect(),
        }
    }
}

impl From<&ApiScope> for ScopeView {
    fn from(s: &ApiScope) -> Self {
        Self {
            name: s.name.clone(),
            description: s.description.clone(),
            translations: s.translations.clone(),
        }
    }
}

impl From<ScopeView> for ApiScope {
    fn from(s: ScopeView) -> Self {
        Self { name: s.name, description: s.description, translations: s.translations }
    }
}

/// An API (resource server).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiView {
    pub id: String,
    /// The token audience (RFC 8707 `resource`).
    pub identifier: String,
    pub name: String,
    pub scopes: Vec<ScopeView>,
    /// RFC 9396 authorization details types.
    pub authorization_details_types: Vec<DetailsTypeView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token_ttl: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signing_alg: Option<String>,
    /// Machine-to-machine clients allowed, with their scopes.
    pub client_grants: BTreeMap<String, Vec<String>>,
    /// The API's own credentials (client ids) for token introspection (RFC 7662 §4).
    pub introspection_clients: Vec<String>,
    /// Any application, self-registered ones included, may ask users for tokens to it.
    pub open: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<&Api> for ApiView {
    fn from(a: &Api) -> Self {
        Self {
            id: a.id.clone(),
            identifier: a.identifier.clone(),
            name: a.name.clone(),
            scopes: a.scopes.iter().map(ScopeView::from).collect(),
            authorization_details_types: a
                .authorization_details_types
                .iter()
                .map(DetailsTypeView::from)
                .collect(),
            access_token_ttl: a.access_token_ttl,
            signing_alg: a.signing_alg.map(|s| s.to_string()),
            client_grants: a.client_grants.clone(),
            introspection_clients: a.introspection_clients.clone(),
            open: a.open,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

/// The fields of an API to set; absent fields keep their value.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiInput {
    pub identifier: Option<String>,
    pub name: Option<String>,
    pub scopes: Option<Vec<ScopeView>>,
    pub authorization_details_types: Option<Vec<DetailsTypeView>>,
    #[serde(default, deserialize_with = "nullable")]
    pub access_token_ttl: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    pub signing_alg: Option<Option<String>>,
    /// Open to any application, self-registered ones included.
    pub open: Option<bool>,
}

impl ApiInput {
    /// The core spec; an unknown algorithm is a problem.
    pub fn into_spec(self) -> Result<ApiSpec, Vec<String>> {
        let signing_alg = match self.signing_alg {
            Some(Some(alg)) => Some(Some(alg.parse().map_err(|e: String| vec![e])?)),
            Some(None) => Some(None),
            None => None,
        };
        Ok(ApiSpec {
            identifier: self.identifier,
            name: self.name,
            scopes: self.scopes.map(|list| list.into_iter().map(ApiScope::from).collect()),
            authorization_details_types: self
                .authorization_details_types
                .map(|list| list.into_iter().map(DetailsType::from).collect()),
            access_token_ttl: self.access_token_ttl,
            signing_alg,
            open: self.open,
        })
    }
}

/// The scopes of an API a client may get.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientGrantInput {
    pub scopes: Vec<String>,
}

/// A user.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    /// The `sub` claim.
    pub id: String,
    pub username: String,
    pub email: String,
    pub email_verified: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    pub disabled: bool,
    pub roles: Vec<String>,
    /// Further standard claims (OIDC Core §5.1).
    #[schema(value_type = Object)]
    pub claims: serde_json::Map<String, Value>,
    pub has_password: bool,
    /// A second factor is required of this user.
    pub require_mfa: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        Self {
            id: u.id.clone(),
            username: u.username.clone(),
            email: u.email.clone(),
            email_verified: u.email_verified,
            name: u.name.clone(),
            given_name: u.given_name.clone(),
            family_name: u.family_name.clone(),
            disabled: u.disabled,
            roles: u.roles.clone(),
            claims: u.claims.clone(),
            has_password: u.password_hash.is_some(),
            require_mfa: u.require_mfa,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// The fields of a user to set; absent fields keep their value.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    pub username: Option<String>,
    pub email: Option<String>,
    pub email_verified: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub given_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub family_name: Option<Option<String>>,
    pub disabled: Option<bool>,
    pub roles: Option<Vec<String>>,
    #[schema(value_type = Option<Object>)]
    pub claims: Option<serde_json::Map<String, Value>>,
    /// Require a second factor of this user: without one, they add one at their next sign-in.
    pub require_mfa: Option<bool>,
    /// Only on create: the initial password.
    pub password: Option<String>,
}

/// A new password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordInput {
    pub password: String,
}

/// An SSO session.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub sid: String,
    pub auth_time: i64,
    pub amr: Vec<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

impl From<&Session> for SessionView {
    fn from(s: &Session) -> Self {
        Self {
            sid: s.sid.clone(),
            auth_time: s.auth_time,
            amr: s.amr.clone(),
            created_at: s.created_at,
            expires_at: s.expires_at,
        }
    }
}

/// A remembered consent.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentView {
    pub client_id: String,
    pub scope: Vec<String>,
    pub updated_at: i64,
}

impl From<&Consent> for ConsentView {
    fn from(c: &Consent) -> Self {
        Self { client_id: c.client_id.clone(), scope: c.scope.clone(), updated_at: c.updated_at }
    }
}

/// A signing key (public part only).
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyView {
    pub kid: String,
    pub alg: String,
    pub created_at: i64,
    /// When it stopped signing; it stays published a while after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retired_at: Option<i64>,
}

impl From<&StoredKey> for KeyView {
    fn from(k: &StoredKey) -> Self {
        Self {
            kid: k.kid.clone(),
            alg: k.alg.to_string(),
            created_at: k.created_at,
            retired_at: k.retired_at,
        }
    }
}

/// An audit log entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    #[schema(value_type = Object)]
    pub details: Value,
}

impl From<AuditEvent> for AuditView {
    fn from(e: AuditEvent) -> Self {
        Self {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            target: e.target,
            ip: e.ip,
            details: e.details,
        }
    }
}

/// Audit log filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Only this actor (`user:ID`, `client:ID`, `cli`).
    pub actor: Option<String>,
    /// Only actions with this prefix (`client.` or `client.create`).
    pub action: Option<String>,
    /// Only this target (`client:ID`, `user:ID`, `api:ID`).
    pub target: Option<String>,
}

/// A sign-in log entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignInView {
    pub seq: i64,
    pub at: i64,
    /// `success`, `wrong_password`, `unknown_account`, `throttled`, `disabled`,
    /// `upstream_failure`, `consent_denied` or `token_reuse`.
    pub outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl From<SignInEvent> for SignInView {
    fn from(e: SignInEvent) -> Self {
        Self {
            seq: e.seq,
            at: e.at,
            outcome: e.outcome.as_str(),
            user_id: e.user_id,
            client_id: e.client_id,
            ip: e.ip,
            user_agent: e.user_agent,
            detail: e.detail,
        }
    }
}

/// Sign-in log filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SignInFilterView {
    /// Only this user (id, username or email).
    pub user: Option<String>,
    /// Only this application (client id or name).
    pub application: Option<String>,
    /// Only these outcomes, comma-separated (`failures`: every outcome but `success`).
    pub outcome: Option<String>,
    /// From this time (`2026-12-01` or `2026-12-01T10:00:00Z`, UTC).
    pub since: Option<String>,
    /// Before this time (a bare date includes that day).
    pub until: Option<String>,
}
