//! `private_key_jwt` client authentication: a JWT the client signs with its own private key
//! (RFC 7521 §4.2, RFC 7523 §2.2 and §3, OIDC Core §9), verified with the public keys it
//! registered inline as `jwks` or published at its `jwks_uri` (fetched by the server's
//! [`JwksFetcher`], cached for five minutes, fetched again at most every ten seconds when an
//! assertion names a key the cache does not have, so a client can rotate its keys).

use std::collections::HashSet;

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;

use crate::{Client, OAuthError, Provider};

/// RFC 7523 §2.2: the `client_assertion_type` of a JWT client assertion.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How long a fetched JWK Set is used before it is fetched again.
const JWKS_TTL: i64 = 300;
/// The shortest time between two fetches of one `jwks_uri`.
const JWKS_MIN_REFETCH: i64 = 10;

/// Fetches a client's JWK Set from its `jwks_uri` (the server implements it over HTTPS).
#[async_trait::async_trait]
pub trait JwksFetcher: Send + Sync {
    /// The JSON document at `uri`.
    async fn fetch(&self, uri: &str) -> anyhow::Result<serde_json::Value>;
    /// The request object (a JWT, RFC 9101 §5.2) at `uri`.
    async fn fetch_request_object(&self, uri: &str) -> anyhow::Result<String>;
    /// The Client ID Metadata Document at `uri`, with its caching lifetime.
    async fn fetch_client_metadata(
        &self,
        uri: &str,
    ) -> anyhow::Result<crate::registration::document::FetchedDocument>;
}

/// Fetched JWK Sets by URI, with the time of the fetch.
#[derive(Default)]
pub struct RemoteJwks {
    fetcher: std::sync::OnceLock<std::sync::Arc<dyn JwksFetcher>>,
    cache: std::sync::Mutex<std::collections::HashMap<String, (JwkSet, i64)>>,
}

impl RemoteJwks {
    /// Installs the fetcher (once, at start-up).
    pub fn set_fetcher(&self, fetcher: std::sync::Arc<dyn JwksFetcher>) {
        let _ = self.fetcher.set(fetcher);
    }

    /// The request object at `uri`, never cached (RFC 9101 §5.2.3: it changes per request).
    pub(crate) async fn fetch_request_object(&self, uri: &str) -> anyhow::Result<String> {
        let fetcher = self.fetcher.get().ok_or_else(|| anyhow::anyhow!("no outbound HTTP"))?;
        fetcher.fetch_request_object(uri).await
    }

    /// The Client ID Metadata Document at `uri`.
    pub(crate) async fn fetch_client_metadata(
        &self,
        uri: &str,
    ) -> anyhow::Result<crate::registration::document::FetchedDocument> {
        let fetcher = self.fetcher.get().ok_or_else(|| anyhow::anyhow!("no outbound HTTP"))?;
        fetcher.fetch_client_metadata(uri).await
    }

    fn cached(&self, uri: &str) -> Option<(JwkSet, i64)> {
        self.cache.lock().ok()?.get(uri).cloned()
    }

    /// The key set at `uri` that has `kid` (or any, without a kid), fetching when the cache is
    /// stale or lacks the kid and the last fetch is old enough.
    pub(crate) async fn keys_for(&self, uri: &str, kid: Option<&str>, now: i64) -> Option<JwkSet> {
        let cached = self.cached(uri);
        let has_kid = |set: &JwkSet| kid.is_none_or(|k| set.find(k).is_some());
        if let Some((set, at)) = &cached
            && (now - at < JWKS_TTL && has_kid(set) || now - at < JWKS_MIN_REFETCH)
        {
            return Some(set.clone());
        }
        let fetcher = self.fetcher.get()?;
        match fetcher.fetch(uri).await.and_then(|v| Ok(serde_json::from_value::<JwkSet>(v)?)) {
            Ok(set) => {
                if let Ok(mut cache) = self.cache.lock() {
                    cache.insert(uri.to_owned(), (set.clone(), now));
                }
                Some(set)
            }
            Err(e) => {
                tracing::warn!(jwks_uri = uri, error = %e, "could not fetch a client's JWK Set");
                cached.map(|(set, _)| set)
            }
        }
    }
}

/// The client's key a JWT names by `kid`, or its only key when the JWT names none.
pub(crate) fn client_key(jwks: &JwkSet, kid: Option<&str>) -> Option<DecodingKey> {
    let jwk = match kid {
        Some(kid) => jwks.find(kid)?,
        None if jwks.keys.len() == 1 => jwks.keys.first()?,
        None => return None,
    };
    DecodingKey::from_jwk(jwk).ok()
}

/// The longest an assertion may be valid for: a short-lived credential, not a stored secret.
const MAX_LIFETIME: i64 = 3600;

#[derive(Debug, Deserialize)]
struct AssertionClaims {
    iss: String,
    sub: String,
    exp: i64,
    jti: String,
}

/// The `sub` (the client id, RFC 7523 §3 item 2) of an assertion, read before verification only
/// to find the client whose keys verify it.
pub fn assertion_subject(assertion: &str) -> Option<String> {
    crate::jwt::unverified_claim(assertion, "sub")
}

impl Provider {
    /// RFC 7523 §3: the assertion is signed by one of the client's registered keys with an
    /// asymmetric algorithm (never `none` or HMAC); `iss` and `sub` are the client id; `aud`
    /// names this server (its issuer or one of its endpoints); `exp` is in the future and not
    /// too far; `jti` is present and used only once (replays are refused, RFC 7523 §3 item 7).
    pub async fn verify_client_assertion(
        &self,
        client: &Client,
        assertion: &str,
    ) -> Result<bool, OAuthError> {
        let Some(jwks) = self.client_keys(client, assertion).await else { return Ok(false) };
        let Some(claims) = self.checked_assertion(client, &jwks, assertion) else {
            return Ok(false);
        };
        let now = self.now();
        if claims.exp <= now || claims.exp > now + MAX_LIFETIME {
            return Ok(false);
        }
        // RFC 7523 §3 item 7: single use, checked and recorded in one atomic insert, so that of
        // concurrent requests with the same assertion exactly one is accepted.
        let replay_key = format!("assertion:{}:{}", client.client_id, claims.jti);
        if !self.store().revoke_jti(&replay_key, &client.client_id, claims.exp).await? {
            tracing::info!(client_id = %client.client_id, "client assertion replayed");
            return Ok(false);
        }
        Ok(true)
    }

    /// The client's keys: inline `jwks`, or the set at its `jwks_uri`.
    pub(crate) async fn client_keys(&self, client: &Client, assertion: &str) -> Option<JwkSet> {
        if let Some(inline) = &client.metadata.jwks {
            return serde_json::from_value(inline.clone()).ok();
        }
        let uri = client.metadata.jwks_uri.as_deref()?;
        let kid = decode_header(assertion).ok()?.kid;
        self.remote_jwks().keys_for(uri, kid.as_deref(), self.now()).await
    }

    fn checked_assertion(
        &self,
        client: &Client,
        jwks: &JwkSet,
        assertion: &str,
    ) -> Option<AssertionClaims> {
        let header = decode_header(assertion).ok()?;
        if !crate::jwt::is_asymmetric(header.alg) {
            return None;
        }
        let key = client_key(jwks, header.kid.as_deref())?;
        let issuer = self.issuer();
        // RFC 9126 §2: the issuer, the token endpoint and the pushed authorization request
        // endpoint all name this server at `/par`.
        // FAPI 2.0 SP §5.3.2.1 item 8: for a FAPI 2.0 client, the issuer alone; nor RS256.
        let fapi2 = self.fapi2(client);
        if fapi2 && header.alg == Algorithm::RS256 {
            return None;
        }
        let endpoints = ["/token", "/introspect", "/revoke", "/par", "/device_authorization"];
        let audiences: Vec<String> = std::iter::once(issuer.to_owned())
            .chain(endpoints.iter().filter(|_| !fapi2).map(|p| format!("{issuer}{p}")))
            .collect();
        let mut validation = Validation::new(header.alg);
        validation.validate_exp = false; // checked against the provider's clock
        validation.set_audience(&audiences);
        validation.set_issuer(&[client.client_id.as_str()]);
        validation.sub = Some(client.client_id.clone());
        validation.required_spec_claims =
            HashSet::from(["exp", "iss", "sub", "aud"].map(str::to_owned));
        let claims = decode::<AssertionClaims>(assertion, &key, &validation).ok()?.claims;
        let bound = claims.iss == client.client_id && claims.sub == client.client_id;
        (bound && !claims.jti.is_empty()).then_some(claims)
    }
}
