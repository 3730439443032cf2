//! Access tokens whose signature this node has verified, by the SHA-256 of the token, so that a
//! token introspected or presented again (an API checking every request) skips the signature
//! and JSON work. Expiry and the client are checked on every use; a check that the token is not
//! revoked is remembered with its [`crate::revocation_watch`] epoch, and stands only while that
//! watch says so. Bounded: when full, it starts over.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::access_token::AccessTokenClaims;
use crate::secret::SecretHash;
use crate::store::Grant;

/// How many verified tokens a node remembers.
const CAPACITY: usize = 16_384;

/// A database check that found a token, and its grant, active.
#[derive(Debug, Clone)]
pub struct Confirmed {
    /// The revocation watch's epoch when the check began.
    pub epoch: u64,
    /// The token's grant as read then (none for client credentials). Grants change only by
    /// being revoked or deleted, which the watch notes.
    pub grant: Option<Arc<Grant>>,
}

type Entry = (Arc<AccessTokenClaims>, Option<Confirmed>);

/// The cache.
#[derive(Default)]
pub struct VerifiedTokens(Mutex<HashMap<[u8; 32], Entry>>);

impl VerifiedTokens {
    fn key(token: &str) -> [u8; 32] {
        let mut key = [0u8; 32];
        key.copy_from_slice(SecretHash::of(token).as_bytes());
        key
    }

    /// The claims of a token verified before, and the last check that found it active.
    pub fn get(&self, token: &str) -> Option<Entry> {
        self.0.lock().ok()?.get(&Self::key(token)).cloned()
    }

    /// Remembers that a verified token was found active.
    pub fn confirm(&self, token: &str, confirmed: Confirmed) {
        if let Ok(mut map) = self.0.lock()
            && let Some(entry) = map.get_mut(&Self::key(token))
        {
            entry.1 = Some(confirmed);
        }
    }

    /// Remembers a verified token.
    pub fn put(&self, token: &str, claims: Arc<AccessTokenClaims>) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= CAPACITY {
                map.clear();
            }
            map.insert(Self::key(token), (claims, None));
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
        assert_eq!(cache.get("token-a").unwrap().0, claims);
        assert!(cache.get("token-a").unwrap().1.is_none());
        cache.confirm("token-a", Confirmed { epoch: 3, grant: None });
        assert_eq!(cache.get("token-a").unwrap().1.unwrap().epoch, 3);
        assert!(cache.get("token-b").is_none());
        for i in 0..CAPACITY {
            cache.put(&format!("t{i}"), claims.clone());
        }
        assert!(cache.0.lock().unwrap().len() <= CAPACITY);
    }
}
