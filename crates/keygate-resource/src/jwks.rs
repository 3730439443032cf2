//! The issuer's signing keys: found through discovery, parsed once into verification keys,
//! and fetched again when a token names a key the cache does not have (rotation), at most once
//! per `min_refresh`. The common case is one read lock and a map lookup.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey};

use crate::Error;

/// A verification key and the algorithm its JWK names, if it names one.
#[derive(Clone)]
pub(crate) struct Key {
    pub(crate) alg: Option<Algorithm>,
    pub(crate) key: Arc<DecodingKey>,
}

#[derive(Default)]
struct Keys {
    by_kid: HashMap<String, Key>,
    fetched_at: Option<i64>,
}

/// The cached keys of one JWKS URI.
pub(crate) struct KeyCache {
    http: reqwest::Client,
    uri: String,
    min_refresh: i64,
    keys: RwLock<Arc<Keys>>,
    fetching: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyCache").field("uri", &self.uri).finish()
    }
}

impl KeyCache {
    pub(crate) fn new(http: reqwest::Client, uri: String, min_refresh: Duration) -> Self {
        let min_refresh = i64::try_from(min_refresh.as_secs()).unwrap_or(i64::MAX);
        Self {
            http,
            uri,
            min_refresh,
            keys: RwLock::new(Arc::default()),
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    fn current(&self) -> Arc<Keys> {
        match self.keys.read() {
            Ok(keys) => keys.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The key named `kid`, fetching the JWKS again when it is unknown and the last fetch is
    /// older than the minimum interval (one fetch at a time).
    pub(crate) async fn key(&self, kid: &str, now: i64) -> Result<Key, Error> {
        if let Some(key) = self.current().by_kid.get(kid) {
            return Ok(key.clone());
        }
        let _one_fetch = self.fetching.lock().await;
        let current = self.current();
        if let Some(key) = current.by_kid.get(kid) {
            return Ok(key.clone());
        }
        let unknown = || Error::InvalidToken("the token's key is not the issuer's".into());
        if current.fetched_at.is_some_and(|at| now - at < self.min_refresh) {
            return Err(unknown());
        }
        let set = match self.fetch().await {
            Ok(set) => set,
            Err(e) if current.fetched_at.is_none() => return Err(e),
            Err(e) => {
                tracing::warn!(error = %e, "could not refresh the JWKS; keeping the cached keys");
                return Err(unknown());
            }
        };
        let fresh = Arc::new(Keys { by_kid: parse(&set), fetched_at: Some(now) });
        let found = fresh.by_kid.get(kid).cloned();
        match self.keys.write() {
            Ok(mut keys) => *keys = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        found.ok_or_else(unknown)
    }

    async fn fetch(&self) -> Result<JwkSet, Error> {
        let unavailable = |e: reqwest::Error| Error::Unavailable(format!("JWKS: {e}"));
        self.http
            .get(&self.uri)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(unavailable)?
            .json::<JwkSet>()
            .await
            .map_err(unavailable)
    }
}

/// Signature keys with a `kid`, parsed once; others are left out.
fn parse(set: &JwkSet) -> HashMap<String, Key> {
    set.keys
        .iter()
        .filter(|jwk| !matches!(jwk.common.public_key_use, Some(ref u) if *u != jsonwebtoken::jwk::PublicKeyUse::Signature))
        .filter_map(|jwk| {
            let kid = jwk.common.key_id.clone()?;
            let key = DecodingKey::from_jwk(jwk).ok()?;
            let alg = jwk.common.key_algorithm.and_then(|a| Algorithm::from_str(&a.to_string()).ok());
            Some((kid, Key { alg, key: Arc::new(key) }))
        })
        .collect()
}
