//! The resolved settings the protocol code needs (the server resolves them from config).

use crate::keys::SigningAlg;
use crate::user::PasswordPolicy;

/// Protocol settings, validated before they get here.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The issuer identifier, without a trailing slash.
    pub issuer: String,
    /// Access token lifetime in seconds.
    pub access_token_ttl: i64,
    /// Algorithm for RFC 9068 access tokens.
    pub access_token_alg: SigningAlg,
    /// ID token lifetime in seconds.
    pub id_token_ttl: i64,
    /// Default ID token algorithm (OIDC Core §15.1: RS256).
    pub id_token_alg: SigningAlg,
    /// Argon2id parameters for user passwords.
    pub passwords: PasswordPolicy,
}

impl Settings {
    /// Settings for `issuer` with Keygate's defaults.
    pub fn new(issuer: impl Into<String>) -> Self {
        Self {
            issuer: issuer.into().trim_end_matches('/').to_owned(),
            access_token_ttl: 3600,
            access_token_alg: SigningAlg::ES256,
            id_token_ttl: 3600,
            id_token_alg: SigningAlg::RS256,
            passwords: PasswordPolicy::default(),
        }
    }

    /// How long a retired key stays published: the longest token lifetime plus five minutes
    /// of clock skew, so that every token it signed verifies until it expires.
    pub fn key_retention(&self) -> i64 {
        self.access_token_ttl.max(self.id_token_ttl) + 300
    }
}
