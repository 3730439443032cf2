//! Sign-in through upstream identity providers ("sign in with Google/GitHub"): Keygate is the
//! relying party of an upstream OpenID Provider (OIDC Core §3.1, authorization code flow) or of
//! a plain OAuth 2.0 server with a user API (GitHub style), and the users it signs in this way
//! get Keygate accounts, linked by the upstream's `(provider, sub)`.
//!
//! - this module: the provider model, its validation and the claim mapping.
//! - `spec`: an upstream as the operator writes it (config file, admin API, CLI).
//! - `presets`: Google, Microsoft, Facebook, GitHub and GitLab, needing only a client id/secret.
//! - `upstream`: talking to the upstream (discovery, token request, ID token validation,
//!   user API) through the server's [`UpstreamHttp`].
//! - `flow`: the redirect out and the callback back (state, nonce, PKCE).
//! - `accounts`: which Keygate user an upstream identity is (links, email rule, JIT).

mod accounts;
mod flow;
mod mapping;
pub mod presets;
mod spec;
mod upstream;

pub use accounts::{AccountOutcome, LinkTicket, OwnLink};
pub use flow::{Callback, FederationError, PendingCallback};
pub use mapping::{ClaimMapping, UpstreamIdentity};
pub use spec::UpstreamSpec;
pub use upstream::{UpstreamHttp, UpstreamMetadata, Upstreams, discovery_problems};

use serde::{Deserialize, Serialize};

use crate::secret::Secret;

/// RFC 8176 has no value for federation; Keygate asserts `fed` (as several providers do) and
/// appends the upstream's own `amr` values when its ID token has them.
pub const AMR_FEDERATED: &str = "fed";

/// How Keygate authenticates to the upstream token endpoint (RFC 6749 §2.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TokenAuth {
    /// HTTP Basic (the method every server must support).
    #[default]
    ClientSecretBasic,
    /// In the form body.
    ClientSecretPost,
}

/// What kind of upstream it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UpstreamKind {
    /// An OpenID Provider, found through its discovery document (OIDC Discovery §4).
    Oidc {
        /// The upstream issuer identifier.
        issuer: String,
    },
    /// A plain OAuth 2.0 server without ID tokens: the user comes from its user API.
    Oauth2 {
        /// The authorization endpoint.
        authorization_endpoint: String,
        /// The token endpoint.
        token_endpoint: String,
        /// The user API, called with the access token (`Authorization: Bearer`).
        userinfo_endpoint: String,
        /// A GitHub-style list of `{email, verified, primary}`; the primary verified address
        /// becomes the verified email when the user API has none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        emails_endpoint: Option<String>,
    },
}

/// An upstream identity provider as the operator configured it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UpstreamProvider {
    /// Short id used in URLs and links (`google`, `corp-sso`): lower-case letters, digits, `-`.
    pub id: String,
    /// The button text: "Sign in with {display_name}".
    pub display_name: String,
    /// OIDC or plain OAuth 2.0, with its endpoints.
    #[serde(flatten)]
    pub kind: UpstreamKind,
    /// Keygate's client id at the upstream.
    pub client_id: String,
    /// Keygate's client secret at the upstream (sealed under the master key when stored).
    #[serde(skip)]
    pub client_secret: Option<Secret>,
    /// How to send the secret.
    #[serde(default)]
    pub token_auth: TokenAuth,
    /// Scopes to ask for.
    pub scopes: Vec<String>,
    /// Send a PKCE S256 challenge (RFC 7636; RFC 9700 §2.1.1 recommends it for every client).
    #[serde(default = "yes")]
    pub pkce: bool,
    /// Shown on the login page and usable.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Create a Keygate user on the first sign-in (just-in-time provisioning).
    #[serde(default = "yes")]
    pub jit_provisioning: bool,
    /// Link to an existing account with the same email without a password, when the upstream
    /// asserts `email_verified`. Off by default: the user signs in with the password once.
    #[serde(default)]
    pub link_verified_email: bool,
    /// On Keygate logout, also log out at the upstream (OIDC RP-Initiated Logout), when it
    /// publishes an `end_session_endpoint`.
    #[serde(default)]
    pub upstream_logout: bool,
    /// Where each Keygate claim comes from in the upstream's claims.
    #[serde(default)]
    pub mapping: ClaimMapping,
    /// The preset it was made from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// Defined in the configuration file (read-only elsewhere).
    #[serde(skip)]
    pub from_config: bool,
}

/// The configuration file's upstreams, then the stored ones; a stored one with the id of a
/// configured one is ignored (the file wins).
pub fn merge_upstreams(
    configured: &[UpstreamProvider],
    stored: Vec<UpstreamProvider>,
) -> Vec<UpstreamProvider> {
    let mut all = configured.to_vec();
    all.extend(stored.into_iter().filter(|s| !configured.iter().any(|c| c.id == s.id)));
    all
}

/// The sealing context of an upstream's client secret.
fn secret_context(id: &str) -> String {
    format!("upstream:{id}")
}

impl UpstreamProvider {
    /// From its stored row, the secret unsealed.
    pub fn from_stored(
        stored: &crate::store::StoredUpstream,
        master: &crate::keys::MasterKey,
    ) -> anyhow::Result<Self> {
        let mut upstream: Self = serde_json::from_str(&stored.config)?;
        upstream.id.clone_from(&stored.id);
        if let Some(sealed) = &stored.sealed_secret {
            let plain = master.open(sealed, &secret_context(&stored.id))?;
            upstream.client_secret = Some(Secret::new(String::from_utf8(plain)?));
        }
        Ok(upstream)
    }

    /// Its stored row, the secret sealed under the master key.
    pub fn to_stored(
        &self,
        master: &crate::keys::MasterKey,
        created_at: i64,
        updated_at: i64,
    ) -> anyhow::Result<crate::store::StoredUpstream> {
        let sealed_secret = match &self.client_secret {
            Some(secret) => {
                Some(master.seal(secret.expose_secret().as_bytes(), &secret_context(&self.id))?)
            }
            None => None,
        };
        Ok(crate::store::StoredUpstream {
            id: self.id.clone(),
            config: serde_json::to_string(self)?,
            sealed_secret,
            created_at,
            updated_at,
        })
    }
}

fn yes() -> bool {
    true
}

impl UpstreamProvider {
    /// A provider with Keygate's defaults.
    pub fn new(id: &str, display_name: &str, kind: UpstreamKind, client_id: &str) -> Self {
        let scopes = match kind {
            UpstreamKind::Oidc { .. } => vec!["openid".into(), "email".into(), "profile".into()],
            UpstreamKind::Oauth2 { .. } => Vec::new(),
        };
        Self {
            id: id.to_owned(),
            display_name: display_name.to_owned(),
            mapping: ClaimMapping::for_kind(&kind),
            kind,
            client_id: client_id.to_owned(),
            client_secret: None,
            token_auth: TokenAuth::default(),
            scopes,
            pkce: true,
            enabled: true,
            jit_provisioning: true,
            link_verified_email: false,
            upstream_logout: false,
            preset: None,
            from_config: false,
        }
    }

    /// Whether it is an OpenID Provider (ID tokens, nonce).
    pub fn is_oidc(&self) -> bool {
        matches!(self.kind, UpstreamKind::Oidc { .. })
    }

    /// Every problem with it, for the CLI, admin API, console and config file alike.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 40
            && self.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            problems.push(format!(
                "upstream id '{}' must be 1 to 40 lower-case letters, digits or '-'",
                self.id
            ));
        }
        if self.display_name.trim().is_empty() || self.display_name.len() > 80 {
            problems.push("display_name must be 1 to 80 characters".to_owned());
        }
        if self.client_id.trim().is_empty() {
            problems.push("client_id is required".to_owned());
        }
        let urls: Vec<(&str, &str)> = match &self.kind {
            UpstreamKind::Oidc { issuer } => vec![("issuer", issuer)],
            UpstreamKind::Oauth2 {
                authorization_endpoint,
                token_endpoint,
                userinfo_endpoint,
                emails_endpoint,
            } => {
                let mut urls = vec![
                    ("authorization_endpoint", authorization_endpoint.as_str()),
                    ("token_endpoint", token_endpoint.as_str()),
                    ("userinfo_endpoint", userinfo_endpoint.as_str()),
                ];
                urls.extend(emails_endpoint.as_deref().map(|e| ("emails_endpoint", e)));
                urls
            }
        };
        for (name, value) in urls {
            problems.extend(url_problem(name, value));
        }
        if self.is_oidc() && !self.scopes.iter().any(|s| s == "openid") {
            problems.push("an OpenID Connect upstream needs the 'openid' scope".to_owned());
        }
        if self.scopes.iter().any(|s| s.is_empty() || s.contains(' ')) {
            problems.push("scopes must be single words".to_owned());
        }
        problems.extend(self.mapping.problems());
        problems
    }
}

/// RFC 9700 §2.6 / RFC 6749 §3.1: endpoints over TLS; plain http only on loopback (development).
fn url_problem(name: &str, value: &str) -> Option<String> {
    let Ok(url) = url::Url::parse(value) else {
        return Some(format!("{name} '{value}' is not a URL"));
    };
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    match url.scheme() {
        "https" if url.fragment().is_none() => None,
        "http" if loopback && url.fragment().is_none() => None,
        _ => Some(format!("{name} '{value}' must be an https URL without a fragment")),
    }
}

#[cfg(test)]
mod tests;
