//! Access tokens whose signature this node has verified, by the SHA-256 of the token, so that a
//! token introspected or presented again (an API checking every request) skips the signature
//! and JSON work. Only verification is cached: expiry, revocation and the client are checked on
//! every use. Bounded: when full, it starts over.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::access_token::AccessTokenClaims;
use crate::secret::SecretHash;

/// How many verified tokens a node remembers.
const CAPACITY: usize = 16_384;

/// The cache.
#[derive(Default)]
pub struct VerifiedTokens(Mutex<HashMap<[u8; 32], Arc<AccessTokenClaims>>>);

impl VerifiedTokens {
    fn key(token: &str) -> [u8; 32] {
        let mut key = [0u8; 32];
        key.copy_from_slice(SecretHash::of(token).as_bytes());
        key
    }

    /// The claims of a token verified before.
    pub fn get(&self, token: &str) -> Option<Arc<AccessTokenClaims>> {
        self.0.lock().ok()?.get(&Self::key(token)).cloned()
    }

    /// Remembers a verified token.
    pub fn put(&self, token: &str, claims: Arc<AccessTokenClaims>) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= CAPACITY {
                map.clear();
            }
            map.insert(Self::key(token), claims);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn remembers_by_token_and_starts_over_when_full() {
        let cache = VerifiedTokens::default();
        let claims: AccessTokenClaims = serde_json::from_value(serde_json::json!({
            "iss": "i", "sub": "s", "aud": "a", "client_id": "c", "exp": 2, "iat": 1, "jti": "j"
        }))
        .unwrap();
        let claims = Arc::new(claims);
        cache.put("token-a", claims.clone());
        assert_eq!(cache.get("token-a"), Some(claims.clone()));
        assert_eq!(cache.get("token-b"), None);
        for i in 0..CAPACITY {
            cache.put(&format!("t{i}"), claims.clone());
        }
        assert!(cache.0.lock().unwrap().len() <= CAPACITY);
    }
}
