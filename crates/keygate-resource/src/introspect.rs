//! Validation by RFC 7662 introspection, with a short cache of positive answers.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Map, Value};
use tokio::sync::Mutex;

use crate::validator::Validator;
use crate::{Caller, Error};

/// At most this many cached answers; the cache is emptied when full.
const MAX_CACHED: usize = 10_000;

/// Asks the issuer about tokens, as this API's client (RFC 7662 §2.1).
pub(crate) struct Introspector {
    http: reqwest::Client,
    endpoint: String,
    client_id: String,
    client_secret: String,
    cache_for: i64,
    cache: Mutex<HashMap<String, (Caller, i64)>>,
}

impl Introspector {
    pub(crate) fn new(
        http: reqwest::Client,
        endpoint: String,
        client_id: String,
        client_secret: String,
        cache_for: Duration,
    ) -> Self {
        let cache_for = i64::try_from(cache_for.as_secs()).unwrap_or(60);
        Self {
            http,
            endpoint,
            client_id,
            client_secret,
            cache_for,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// RFC 7662 §2.2: `active` must be true; then the same `iss`, `aud` and time checks as for
    /// a JWT. Positive answers are reused until `cache_for` passes or the token expires;
    /// negative ones are never cached.
    pub(crate) async fn validate(&self, v: &Validator, token: &str) -> Result<Caller, Error> {
        let now = v.now();
        if let Some((caller, until)) = self.cache.lock().await.get(token)
            && *until > now
        {
            return Ok(caller.clone());
        }
        let answer: Map<String, Value> = self
            .http
            .post(&self.endpoint)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(&[("token", token), ("token_type_hint", "access_token")])
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| Error::Unavailable(format!("introspection: {e}")))?
            .json()
            .await
            .map_err(|e| Error::Unavailable(format!("introspection: {e}")))?;
        if answer.get("active") != Some(&Value::Bool(true)) {
            return Err(Error::InvalidToken("the token is not active".into()));
        }
        if answer.get("iss").and_then(Value::as_str).is_some_and(|iss| iss != v.issuer) {
            return Err(Error::InvalidToken("the token is from another issuer".into()));
        }
        let aud_ok = match answer.get("aud") {
            Some(Value::String(aud)) => *aud == v.audience,
            Some(Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(&v.audience)),
            _ => false,
        };
        if !aud_ok {
            return Err(Error::InvalidToken("the token is not for this API".into()));
        }
        v.check_times(&answer)?;
        let caller = Caller::from_claims(answer)?;
        let mut cache = self.cache.lock().await;
        if cache.len() >= MAX_CACHED {
            cache.clear();
        }
        cache.insert(
            token.to_owned(),
            (caller.clone(), (now + self.cache_for).min(caller.expires_at)),
        );
        Ok(caller)
    }
}
