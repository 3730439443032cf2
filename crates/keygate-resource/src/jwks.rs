//! The issuer's signing keys: found through discovery, cached, and fetched again when a token
//! names a key the cache does not have (rotation), at most once per `min_refresh`.

use std::time::Duration;

use jsonwebtoken::jwk::JwkSet;
use tokio::sync::Mutex;

use crate::Error;

/// A cached JWK Set and when it was fetched (seconds since the epoch).
#[derive(Debug)]
pub(crate) struct KeyCache {
    http: reqwest::Client,
    uri: String,
    min_refresh: i64,
    state: Mutex<Option<(JwkSet, i64)>>,
}

impl KeyCache {
    pub(crate) fn new(http: reqwest::Client, uri: String, min_refresh: Duration) -> Self {
        let min_refresh = i64::try_from(min_refresh.as_secs()).unwrap_or(i64::MAX);
        Self { http, uri, min_refresh, state: Mutex::new(None) }
    }

    /// The key set, fetched again when `kid` is unknown and the last fetch is old enough.
    pub(crate) async fn keys_for(&self, kid: &str, now: i64) -> Result<JwkSet, Error> {
        let mut state = self.state.lock().await;
        if let Some((set, fetched_at)) = state.as_ref()
            && (set.find(kid).is_some() || now - fetched_at < self.min_refresh)
        {
            return Ok(set.clone());
        }
        match self.fetch().await {
            Ok(set) => {
                *state = Some((set.clone(), now));
                Ok(set)
            }
            Err(e) => match state.as_ref() {
                Some((set, _)) => {
                    tracing::warn!(error = %e, "keeping the cached JWKS");
                    Ok(set.clone())
                }
                None => Err(e),
            },
        }
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
