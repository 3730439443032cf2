//! RFC 9068 JWT access tokens: minting, and checking one Keygate issued.

use keygate_types::AuthorizationDetail;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::jwt::{sign_jwt, verify_jwt};
use crate::secret::random_string;
use crate::store::Grant;
use crate::token_cache::Confirmed;
use crate::{Client, OAuthError, Provider};

/// RFC 9068 §2.1: the `typ` header of a JWT access token.
pub const AT_JWT_TYP: &str = "at+jwt";

/// The claims of a Keygate access token (RFC 9068 §2.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessTokenClaims {
    /// Issuer.
    pub iss: String,
    /// The resource owner, or the client itself for the client credentials grant
    /// (RFC 9068 §2.2).
    pub sub: String,
    /// The resource servers the token is for: a string when one, an array when several.
    #[serde(serialize_with = "one_or_many", deserialize_with = "from_one_or_many")]
    pub aud: Vec<String>,
    /// The client the token was issued to.
    pub client_id: String,
    /// Granted scopes, space-separated (RFC 8693 §4.2), absent when none.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub scope: Option<String>,
    /// Expiry.
    pub exp: i64,
    /// Issue time.
    pub iat: i64,
    /// Unique id, used to revoke the token.
    pub jti: String,
    /// RFC 9396 §9.1: the authorization details the token carries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorization_details: Vec<AuthorizationDetail>,
    /// RFC 9068 §2.2.1: when the user last authenticated (tokens of a user's grant), for the
    /// RFC 9470 `max_age` check of a resource server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_time: Option<i64>,
    /// RFC 9068 §2.2.1: how the user authenticated, for the RFC 9470 `acr_values` check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acr: Option<String>,
    /// RFC 9449 §6.1 (RFC 7800 §3.1): the key the token is bound to, by its thumbprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cnf: Option<Confirmation>,
    /// RFC 8693 §4.1: the actor a token exchange delegated to, earlier actors nested inside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act: Option<serde_json::Value>,
}

/// RFC 7800 §3.1 `cnf`, with RFC 9449 §6.1's `jkt` member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    /// The JWK SHA-256 thumbprint (RFC 7638) of the DPoP key.
    pub jkt: String,
}

/// RFC 9449 §5: `DPoP` for a token bound to a key, `Bearer` (RFC 6750) otherwise.
pub fn token_type(jkt: Option<&str>) -> &'static str {
    if jkt.is_some() { "DPoP" } else { "Bearer" }
}

fn one_or_many<S: Serializer>(values: &[String], s: S) -> Result<S::Ok, S::Error> {
    match values {
        [one] => s.serialize_str(one),
        many => many.serialize(s),
    }
}

fn from_one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    })
}

/// What an access token is for.
#[derive(Debug)]
pub struct AccessTokenGrant<'a> {
    /// Subject.
    pub sub: &'a str,
    /// Client.
    pub client_id: &'a str,
    /// Audience.
    pub aud: Vec<String>,
    /// Granted scopes.
    pub scope: &'a [String],
    /// The grant the token is issued under (none for client credentials).
    pub grant_id: Option<&'a str>,
    /// Lifetime and signing algorithm, from [`Provider::access_token_policy`].
    pub policy: TokenPolicy,
    /// RFC 9396 authorization details (empty when none).
    pub authorization_details: Vec<AuthorizationDetail>,
    /// The user's authentication: its time and methods (none for client credentials).
    pub authentication: Option<(i64, &'a [String])>,
    /// The DPoP key the token is bound to (RFC 9449 §6).
    pub jkt: Option<&'a str>,
    /// RFC 8693 §4.1 `act` (token exchange with an actor).
    pub act: Option<serde_json::Value>,
}

/// How an access token is made: its lifetime and signing algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenPolicy {
    /// Lifetime in seconds.
    pub ttl: i64,
    /// Signing algorithm.
    pub alg: crate::keys::SigningAlg,
}

impl Provider {
    /// The lifetime and algorithm of an access token for `client` and `audience`: the client's
    /// lifetime if it set one, else the API's when the token is for one registered API, else
    /// the provider's; the API's algorithm, else the provider's.
    pub async fn access_token_policy(
        &self,
        client: &Client,
        audience: &[String],
    ) -> Result<TokenPolicy, OAuthError> {
        let apis = self.apis().await?;
        let api = match audience {
            [one] => apis.iter().find(|a| a.identifier == *one),
            _ => None,
        };
        let api_ttl = api.and_then(|a| a.access_token_ttl);
        let alg = api.and_then(|a| a.signing_alg).unwrap_or(self.settings().access_token_alg);
        // FAPI 2.0 SP §5.4.1: not RS256 for a FAPI 2.0 client's tokens.
        let alg = match alg {
            crate::keys::SigningAlg::RS256 if self.fapi2(client) => crate::keys::SigningAlg::ES256,
            alg => alg,
        };
        Ok(TokenPolicy {
            ttl: client
                .metadata
                .access_token_ttl
                .or(api_ttl)
                .unwrap_or(self.settings().access_token_ttl),
            alg,
        })
    }

    /// Signs a new access token with the configured algorithm; returns it with its claims.
    pub fn mint_access_token(
        &self,
        grant: AccessTokenGrant<'_>,
    ) -> Result<(String, AccessTokenClaims), OAuthError> {
        let now = self.now();
        let claims = AccessTokenClaims {
            iss: self.issuer().to_owned(),
            sub: grant.sub.to_owned(),
            aud: grant.aud,
            client_id: grant.client_id.to_owned(),
            scope: (!grant.scope.is_empty()).then(|| grant.scope.join(" ")),
            exp: now + grant.policy.ttl,
            iat: now,
            jti: match grant.grant_id {
                Some(gid) => format!("{gid}.{}", random_string(12)),
                None => random_string(16),
            },
            authorization_details: grant.authorization_details,
            auth_time: grant.authentication.map(|(at, _)| at),
            acr: grant.authentication.map(|(_, amr)| crate::id_token::acr_of(amr).to_owned()),
            cnf: grant.jkt.map(|jkt| Confirmation { jkt: jkt.to_owned() }),
            act: grant.act,
        };
        let keyring = self.keyring();
        let alg = grant.policy.alg;
        let key = keyring
            .signer(alg)
            .ok_or_else(|| OAuthError::Server(anyhow::anyhow!("no active {alg} signing key")))?;
        let token = sign_jwt(key, AT_JWT_TYP, &claims).map_err(OAuthError::Server)?;
        Ok((token, claims))
    }

    /// The claims of `token` if it is an access token Keygate issued that is still active:
    /// valid signature from a published key, `typ` `at+jwt`, our issuer, not expired by the
    /// injected clock, not revoked (nor its grant), and its client still registered.
    pub async fn active_access_token(
        &self,
        token: &str,
    ) -> Result<Option<AccessTokenClaims>, OAuthError> {
        Ok(self.active_access_token_with_grant(token).await?.map(|(claims, _)| claims))
    }

    /// Like [`Provider::active_access_token`], with the grant the token was issued under (none
    /// for client credentials), read once for both the check and the caller.
    pub async fn active_access_token_with_grant(
        &self,
        token: &str,
    ) -> Result<Option<(AccessTokenClaims, Option<Grant>)>, OAuthError> {
        let (claims, confirmed) = match self.verified_tokens().get(token) {
            Some(entry) => entry,
            None => {
                let Some(claims) = self.verified_access_token(token) else { return Ok(None) };
                let claims = std::sync::Arc::new(claims);
                self.verified_tokens().put(token, claims.clone());
                (claims, None)
            }
        };
        let claims = std::sync::Arc::unwrap_or_clone(claims);
        if claims.exp <= self.now() || self.client(&claims.client_id).await?.is_none() {
            return Ok(None);
        }
        if let Some(confirmed) = confirmed
            && self.revocation_watch().still_active(confirmed.epoch, &claims.jti)
        {
            return Ok(Some((claims, confirmed.grant.map(std::sync::Arc::unwrap_or_clone))));
        }
        let epoch = self.revocation_watch().live_epoch();
        if self.store().is_jti_revoked(&claims.jti).await? {
            return Ok(None);
        }
        let grant = match grant_of_jti(&claims.jti) {
            Some(grant_id) => match self.store().find_grant(grant_id).await? {
                Some(grant) if grant.revoked_at.is_none() => Some(grant),
                _ => return Ok(None),
            },
            None => None,
        };
        if let Some(epoch) = epoch {
            let grant = grant.clone().map(std::sync::Arc::new);
            self.verified_tokens().confirm(token, Confirmed { epoch, grant });
        }
        Ok(Some((claims, grant)))
    }

    /// The claims of a Keygate access token whose signature verifies, expired or not.
    pub fn verified_access_token(&self, token: &str) -> Option<AccessTokenClaims> {
        // RFC 9068 §4: `application/at+jwt` is the same type with its prefix.
        let typ = [AT_JWT_TYP, "application/at+jwt"];
        verify_jwt(&self.keyring(), token, &typ, self.issuer())
    }
}

/// Access tokens issued under a grant have the `jti` `<grant id>.<random>`, so that revoking the
/// grant (code replay, refresh token reuse, logout) deactivates them without a lookup table.
pub fn grant_of_jti(jti: &str) -> Option<&str> {
    jti.split_once('.').map(|(grant, _)| grant)
}
