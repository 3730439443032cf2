//! Who is calling: the identity and rights an access token carries.

use serde_json::{Map, Value};

use crate::Error;

/// The caller behind a valid access token, handed to request handlers.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    /// The subject: a user id, or the client's own id for client credentials (RFC 9068 §2.2).
    pub sub: String,
    /// The client the token was issued to.
    pub client_id: String,
    /// The granted scopes (RFC 9068 §2.2.3, space-separated in the token).
    pub scopes: Vec<String>,
    /// Expiry, seconds since the epoch.
    pub expires_at: i64,
    /// Every claim of the token (or of the introspection response).
    pub claims: Map<String, Value>,
}

impl Caller {
    /// Builds a caller from token claims; `sub` and `client_id` are required (RFC 9068 §2.2).
    pub fn from_claims(claims: Map<String, Value>) -> Result<Self, Error> {
        let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
        let missing = |name: &str| Error::InvalidToken(format!("the token has no {name}"));
        Ok(Self {
            sub: text("sub").ok_or_else(|| missing("sub"))?,
            client_id: text("client_id").ok_or_else(|| missing("client_id"))?,
            scopes: text("scope")
                .map(|s| s.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect())
                .unwrap_or_default(),
            expires_at: claims.get("exp").and_then(Value::as_i64).ok_or_else(|| missing("exp"))?,
            claims,
        })
    }

    /// Whether the token grants `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// RFC 6750 §3.1: `insufficient_scope` unless the token grants `scope`.
    pub fn require_scope(&self, scope: &str) -> Result<(), Error> {
        if self.has_scope(scope) {
            Ok(())
        } else {
            Err(Error::InsufficientScope { scope: scope.to_owned() })
        }
    }

    /// Whether the caller is a user (the subject is not the client itself).
    pub fn is_user(&self) -> bool {
        self.sub != self.client_id
    }

    /// RFC 9396 §9.1 `authorization_details` of the token, if any.
    pub fn authorization_details(&self) -> &[Value] {
        self.claims
            .get("authorization_details")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }
}
