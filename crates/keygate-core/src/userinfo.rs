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
    /// The DPoP proof is missing or invalid (`invalid_dpop_proof`, 401; RFC 9449 §7.1).
    InvalidDpopProof(std::borrow::Cow<'static, str>),
    /// An internal failure.
    Server(OAuthError),
}

/// How a token was presented: `Bearer` (RFC 6750), or `DPoP` with the request's proof and
/// method (RFC 9449 §7.1).
#[derive(Debug, Clone, Copy)]
pub enum Presented<'a> {
    /// `Authorization: Bearer`.
    Bearer,
    /// `Authorization: DPoP`, the `DPoP` header, and the request's method.
    Dpop {
        /// The proof, if sent.
        proof: Option<&'a str>,
        /// `GET` or `POST`.
        htm: &'a str,
    },
}

impl Provider {
    /// OIDC Core §5.3.2: the claims of the token's user, by its scope (which must include
    /// `openid`) and the grant's `claims` request.
    pub async fn userinfo(
        &self,
        token: &str,
        presented: Presented<'_>,
    ) -> Result<Map<String, Value>, BearerError> {
        let (claims, grant) = self
            .active_access_token_with_grant(token)
            .await
            .map_err(BearerError::Server)?
            .ok_or(BearerError::InvalidToken("the access token is invalid or expired"))?;
        self.check_presentation(token, claims.cnf.as_ref(), presented).await?;
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

impl Provider {
    /// RFC 9449 §7.1–7.2: a DPoP-bound token only with the DPoP scheme and a proof of its key
    /// (with `ath`, used once); a bearer token only as `Bearer`.
    async fn check_presentation(
        &self,
        token: &str,
        cnf: Option<&crate::access_token::Confirmation>,
        presented: Presented<'_>,
    ) -> Result<(), BearerError> {
        match (cnf, presented) {
            (None, Presented::Bearer) => Ok(()),
            (None, Presented::Dpop { .. }) => {
                Err(BearerError::InvalidToken("the access token is not DPoP-bound"))
            }
            (Some(_), Presented::Bearer) => Err(BearerError::InvalidToken(
                "the access token is DPoP-bound: present it with the DPoP scheme and a proof",
            )),
            (Some(cnf), Presented::Dpop { proof, htm }) => {
                let proof = proof
                    .ok_or(BearerError::InvalidDpopProof("a DPoP proof is required".into()))?;
                let checked = match self.dpop_proof(proof, htm, "/userinfo", Some(token)).await {
                    Ok(checked) => checked,
                    Err(OAuthError::Server(e)) => {
                        return Err(BearerError::Server(OAuthError::Server(e)));
                    }
                    Err(e) => {
                        let why = e.description().unwrap_or("invalid").to_owned();
                        return Err(BearerError::InvalidDpopProof(why.into()));
                    }
                };
                if checked.jkt != cnf.jkt {
                    return Err(BearerError::InvalidDpopProof(
                        "the proof's key is not the one the token is bound to".into(),
                    ));
                }
                Ok(())
            }
        }
    }
}
