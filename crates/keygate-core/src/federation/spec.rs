//! An upstream as an operator writes it (configuration file, admin API, CLI): a preset plus
//! changes, or every field spelled out. Unset fields keep the preset's or Keygate's default.

use serde::Deserialize;

use super::presets::{PRESETS, preset};
use super::{ClaimMapping, TokenAuth, UpstreamKind, UpstreamProvider};
use crate::secret::Secret;

/// The settable fields of an upstream.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpstreamSpec {
    /// Its id (defaults to the preset's name).
    pub id: Option<String>,
    /// `google`, `microsoft`, `facebook`, `github` or `gitlab`.
    pub preset: Option<String>,
    /// Microsoft's tenant (default `common`).
    pub tenant: Option<String>,
    /// The button text.
    pub display_name: Option<String>,
    /// An OpenID Provider's issuer.
    pub issuer: Option<String>,
    /// Plain OAuth 2.0: the authorization endpoint.
    pub authorization_endpoint: Option<String>,
    /// Plain OAuth 2.0: the token endpoint.
    pub token_endpoint: Option<String>,
    /// Plain OAuth 2.0: the user API.
    pub userinfo_endpoint: Option<String>,
    /// Plain OAuth 2.0: a GitHub-style emails API.
    pub emails_endpoint: Option<String>,
    /// Keygate's client id at the upstream.
    pub client_id: Option<String>,
    /// Keygate's client secret at the upstream.
    pub client_secret: Option<String>,
    /// Configuration file only: the environment variable that holds the client secret (the
    /// server reads it into `client_secret` before building).
    pub client_secret_env: Option<String>,
    /// `client_secret_basic` or `client_secret_post`.
    pub token_auth: Option<TokenAuth>,
    /// Scopes to ask for.
    pub scopes: Option<Vec<String>>,
    /// Send PKCE.
    pub pkce: Option<bool>,
    /// Offered on the login page.
    pub enabled: Option<bool>,
    /// Create users on first sign-in.
    pub jit_provisioning: Option<bool>,
    /// Link to an existing account by a verified email.
    pub link_verified_email: Option<bool>,
    /// Log out at the upstream too.
    pub upstream_logout: Option<bool>,
    /// Claim mapping (replaces the default as a whole).
    pub mapping: Option<ClaimMapping>,
}

impl UpstreamSpec {
    /// A new upstream from the spec; every problem is listed.
    pub fn build(self) -> Result<UpstreamProvider, Vec<String>> {
        let client_id = self.client_id.clone().unwrap_or_default();
        let base = match (&self.preset, &self.issuer, &self.authorization_endpoint) {
            (Some(name), _, _) => {
                preset(name, &client_id, self.tenant.as_deref()).ok_or_else(|| {
                    vec![format!("unknown preset '{name}' (known: {})", PRESETS.join(", "))]
                })?
            }
            (None, Some(issuer), _) => {
                let kind = UpstreamKind::Oidc { issuer: issuer.trim_end_matches('/').to_owned() };
                UpstreamProvider::new("", "", kind, &client_id)
            }
            (None, None, Some(authorize)) => {
                let kind = UpstreamKind::Oauth2 {
                    authorization_endpoint: authorize.clone(),
                    token_endpoint: self.token_endpoint.clone().unwrap_or_default(),
                    userinfo_endpoint: self.userinfo_endpoint.clone().unwrap_or_default(),
                    emails_endpoint: self.emails_endpoint.clone(),
                };
                UpstreamProvider::new("", "", kind, &client_id)
            }
            (None, None, None) => {
                return Err(vec![
                    "an upstream needs a preset, an issuer (OpenID Connect), or an \
                     authorization_endpoint (plain OAuth 2.0)"
                        .to_owned(),
                ]);
            }
        };
        let mut upstream = base;
        if upstream.id.is_empty() {
            upstream.id = self.id.clone().unwrap_or_default();
        }
        if upstream.display_name.is_empty() {
            upstream.display_name =
                self.display_name.clone().unwrap_or_else(|| upstream.id.clone());
        }
        self.apply(upstream)
    }

    /// Changes an existing upstream by the fields set (an endpoint change keeps the kind).
    pub fn apply(self, mut u: UpstreamProvider) -> Result<UpstreamProvider, Vec<String>> {
        if let Some(id) = self.id {
            u.id = id;
        }
        if let Some(name) = self.display_name {
            u.display_name = name;
        }
        match &mut u.kind {
            UpstreamKind::Oidc { issuer } => {
                if let Some(new) = self.issuer {
                    *issuer = new.trim_end_matches('/').to_owned();
                }
            }
            UpstreamKind::Oauth2 {
                authorization_endpoint,
                token_endpoint,
                userinfo_endpoint,
                emails_endpoint,
            } => {
                set(authorization_endpoint, self.authorization_endpoint);
                set(token_endpoint, self.token_endpoint);
                set(userinfo_endpoint, self.userinfo_endpoint);
                if self.emails_endpoint.is_some() {
                    *emails_endpoint = self.emails_endpoint.filter(|e| !e.is_empty());
                }
            }
        }
        set(&mut u.client_id, self.client_id);
        if let Some(secret) = self.client_secret {
            u.client_secret = Some(Secret::new(secret));
        }
        set(&mut u.token_auth, self.token_auth);
        set(&mut u.scopes, self.scopes);
        set(&mut u.pkce, self.pkce);
        set(&mut u.enabled, self.enabled);
        set(&mut u.jit_provisioning, self.jit_provisioning);
        set(&mut u.link_verified_email, self.link_verified_email);
        set(&mut u.upstream_logout, self.upstream_logout);
        set(&mut u.mapping, self.mapping);
        let problems = u.problems();
        if problems.is_empty() { Ok(u) } else { Err(problems) }
    }
}

fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *field = v;
    }
}
