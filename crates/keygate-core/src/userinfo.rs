//! The UserInfo endpoint (OIDC Core §5.3).

use serde_json::{Map, Value};

use crate::claims::user_claims;
use crate::scope::split_scope;
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
        let (claims, grant) = self
            .active_access_token_with_grant(token)
            .await
            .map_err(BearerError::Server)?
            .ok_or(BearerError::InvalidToken("the access token is invalid or expired"))?;
        let Some(grant) = grant else {
            return Err(BearerError::InsufficientScope("the token was not issued for a user"));
        };
        let scope = split_scope(claims.scope.as_deref().unwrap_or(""));
        if !scope.iter().any(|s| s == "openid") {
            return Err(BearerError::InsufficientScope("the openid scope is required"));
        }
        let user =
            self.store().find_user(&claims.sub).await.map_err(|e| BearerError::Server(e.into()))?;
        let user = match user {
            Some(user) if !user.disabled && user.id == claims.sub => user,
            _ => return Err(BearerError::InvalidToken("the access token is invalid or expired")),
        };
        let mut out = Map::new();
        out.insert("sub".to_owned(), Value::from(user.id.clone()));
        out.extend(user_claims(&user, &scope, grant.claims.as_deref(), "userinfo"));
        Ok(out)
    }
}
