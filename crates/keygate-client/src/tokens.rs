//! [`Tokens`]: what a sign-in leaves the app with, as kept in a [`TokenStore`].
//!
//! [`TokenStore`]: crate::store::TokenStore

use serde::{Deserialize, Serialize};

use crate::id_token::IdTokenClaims;

/// The tokens of one sign-in, with what the app needs to use them: who issued them, to which
/// client, and when the access token expires.
///
/// `Debug` shows no token: secrets never reach logs.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    /// The issuer the tokens come from.
    pub issuer: String,
    /// The client they were issued to.
    pub client_id: String,
    /// The access token (RFC 6749 §1.4).
    pub access_token: String,
    /// When the access token expires, seconds since the epoch (from `expires_in`).
    pub expires_at: i64,
    /// The refresh token, replaced at each refresh (rotation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// The latest ID token, kept for `id_token_hint` at logout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    /// The validated claims of the ID token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims: Option<IdTokenClaims>,
    /// The granted scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl Tokens {
    /// Whether the access token expires within `margin` seconds of `now`.
    pub fn expires_within(&self, now: i64, margin: i64) -> bool {
        self.expires_at.saturating_sub(margin) <= now
    }
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("access_token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "<redacted>"))
            .field("id_token", &self.id_token.as_ref().map(|_| "<redacted>"))
            .field("claims", &self.claims)
            .field("scope", &self.scope)
            .finish()
    }
}
