//! [`Tokens`]: what a sign-in leaves the app with, as kept in a [`TokenStore`].
//!
//! [`TokenStore`]: crate::store::TokenStore

use serde::{Deserialize, Serialize};

use crate::dpop::DpopKey;
use crate::id_token::IdTokenClaims;

/// How the access token is presented (RFC 6749 §7.1 `token_type`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenType {
    /// `Bearer` (RFC 6750): whoever holds it may use it.
    #[default]
    Bearer,
    /// `DPoP` (RFC 9449): usable only with a proof by [`Tokens::dpop_key`].
    #[serde(rename = "DPoP")]
    Dpop,
}

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
    /// `Bearer`, or `DPoP` for tokens bound to [`Tokens::dpop_key`].
    #[serde(default)]
    pub token_type: TokenType,
    /// The DPoP key the tokens are bound to (RFC 9449), kept with them: in the same store,
    /// encrypted the same way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpop_key: Option<DpopKey>,
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
            .field("token_type", &self.token_type)
            .field("dpop_key", &self.dpop_key)
            .field("expires_at", &self.expires_at)
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "<redacted>"))
            .field("id_token", &self.id_token.as_ref().map(|_| "<redacted>"))
            .field("claims", &self.claims)
            .field("scope", &self.scope)
            .finish()
    }
}
