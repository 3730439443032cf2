//! The UserInfo endpoint (OIDC Core §5.3).

use serde_json::{Map, Value};

use crate::claims::user_claims;
use crate::{OAuthError, Provider};

/// Why a bearer token was refused (RFC 6750 §3.1).
#[derive(Debug)]
pub enum BearerError {
    /// No token, or more than one way of sending it (`invalid_request`, 400 / 401 bare).
    Malformed(&'static str),
    /// No token at all: a bare `WWW-Authenticate: Bearer` challenge (RFC 6750 §3.1).
    Missing,
    /// Expired, revoked, unknown or otherwise invalid (`invalid_token`, 401).
    InvalidToken(&'static str),
    /// Valid, but without the needed scope (`insufficient_scope`, 403).
    InsufficientScope(&'static str),
    /// An internal failure.
    Server(OAuthError),
}

impl Provider {
    /// OIDC Core §5.3.2: the claims of the token's user, by its scope (which must include
    /// `openid`) and the grant's `claims` request.
    pub async fn userinfo(&self, token: &str) -> Result<Map<String, Value>, BearerError> {
        let claims = self
            .active_access_token(token)
            .await
            .map_err(BearerError::Server)?
            .ok_or(BearerError::InvalidToken("the access token is invalid or expired"))?;
        let Some(grant_id) = grant_of_jti(&claims.jti) else {
            return Err(BearerError::InsufficientScope("the token was not issued for a user"));
        };
        let scope: Vec<String> =
            claims.scope.as_deref().unwrap_or("").split(' ').map(str::to_owned).collect();
        if !scope.iter().any(|s| s == "openid") {
            return Err(BearerError::InsufficientScope("the openid scope is required"));
        }
        let store = self.store();
        let grant = store.find_grant(grant_id).await.map_err(|e| BearerError::Server(e.into()))?;
        let user = store.find_user(&claims.sub).await.map_err(|e| BearerError::Server(e.into()))?;
        let (Some(grant), Some(user)) = (grant, user) else {
            return Err(BearerError::InvalidToken("the access token is invalid or expired"));
        };
        if user.disabled || user.id != claims.sub {
            return Err(BearerError::InvalidToken("the access token is invalid or expired"));
        }
        let mut out = Map::new();
        out.insert("sub".to_owned(), Value::from(user.id.clone()));
        out.extend(user_claims(&user, &scope, grant.claims.as_deref(), "userinfo"));
        Ok(out)
    }
}

/// Access tokens issued under a grant have the `jti` `<grant id>.<random>`, so that revoking the
/// grant (code replay, refresh token reuse, logout) deactivates them without a lookup table.
pub fn grant_of_jti(jti: &str) -> Option<&str> {
    jti.split_once('.').map(|(grant, _)| grant)
}
