//! Server-side sessions. The browser's cookie holds only a random id; the session (the
//! sign-in in progress, the user's claims and tokens) stays here, sealed with AES-256-GCM, so
//! neither the browser nor a look at the stored values reveals a token.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::oidc::TokenResponse;
use crate::seal::{KeyError, Sealer, SessionKey, random_token};

/// How long a session lives after its last change, in seconds.
pub const SESSION_TTL: i64 = 12 * 3600;

/// One browser's session.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Session {
    /// The token every form of this session carries (CSRF protection).
    pub csrf: String,
    /// A sign-in started with `/login` and not yet finished.
    pub pending: Option<PendingLogin>,
    /// The signed-in user.
    pub user: Option<SignedIn>,
    /// The `state` sent with the last sign-out, checked when Keygate sends the browser back.
    pub signed_out_state: Option<String>,
}

/// What `/callback` checks a sign-in against (OIDC Core §3.1.2.1, RFC 7636 §4.1).
#[derive(Debug, Serialize, Deserialize)]
pub struct PendingLogin {
    /// `state`, echoed by Keygate on the callback.
    pub state: String,
    /// `nonce`, expected in the ID token.
    pub nonce: String,
    /// The PKCE code verifier.
    pub verifier: String,
}

/// A signed-in user: the ID token, its claims and the tokens for todo-api.
#[derive(Serialize, Deserialize)]
pub struct SignedIn {
    /// The validated ID token's claims.
    pub claims: Map<String, Value>,
    /// The ID token itself, sent back as `id_token_hint` when signing out.
    pub id_token: String,
    /// The access and refresh tokens.
    pub tokens: Tokens,
}

impl std::fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedIn").field("sub", &self.claims.get("sub")).finish_non_exhaustive()
    }
}

impl SignedIn {
    /// The name to greet the user with: `name`, else `preferred_username`, else `sub`.
    pub fn display_name(&self) -> String {
        ["name", "preferred_username", "sub"]
            .iter()
            .find_map(|c| self.claims.get(*c).and_then(Value::as_str))
            .unwrap_or("you")
            .to_owned()
    }
}

/// The user's tokens for todo-api.
#[derive(Serialize, Deserialize)]
pub struct Tokens {
    /// The access token (an RFC 9068 JWT for todo-api).
    pub access_token: String,
    /// The newest refresh token; each refresh replaces it (rotation).
    pub refresh_token: Option<String>,
    /// When the access token expires by its `expires_in`, seconds since the epoch.
    pub expires_at: i64,
}

impl Tokens {
    /// The tokens of a token response received at `now`. A response without a refresh token
    /// keeps `previous_refresh`; one with a new refresh token replaces it (rotation).
    pub fn from_response(
        response: &TokenResponse,
        previous_refresh: Option<String>,
        now: i64,
    ) -> Self {
        Self {
            access_token: response.access_token.clone(),
            refresh_token: response.refresh_token.clone().or(previous_refresh),
            // Without expires_in, assume a short life; a 401 triggers a refresh anyway.
            expires_at: now + response.expires_in.unwrap_or(300),
        }
    }

    /// Whether the access token is expired, or will be within `margin` seconds.
    pub fn expired(&self, now: i64, margin: i64) -> bool {
        self.expires_at - margin <= now
    }
}

struct Entry {
    sealed: Vec<u8>,
    expires_at: i64,
}

/// The sessions, in memory, each sealed under the session key.
pub struct SessionStore {
    sealer: Sealer,
    entries: Mutex<HashMap<String, Entry>>,
}

/// The place a session is kept: the SHA-256 of its id, so the stored keys are not cookies.
fn place(id: &str) -> String {
    crate::seal::s256(id)
}

impl SessionStore {
    /// An empty store sealing with `key`.
    pub fn new(key: &SessionKey) -> Result<Self, KeyError> {
        Ok(Self { sealer: Sealer::new(key)?, entries: Mutex::default() })
    }

    fn entries(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stores a new session under a new random id, which it returns (for the cookie).
    pub fn create(&self, session: &Session, now: i64) -> Option<String> {
        let id = random_token(32)?;
        self.save(&id, session, now)?;
        self.entries().retain(|_, e| e.expires_at > now);
        Some(id)
    }

    /// The session with this id, unless it is unknown, expired or does not open.
    pub fn load(&self, id: &str, now: i64) -> Option<Session> {
        let place = place(id);
        let sealed = {
            let entries = self.entries();
            let entry = entries.get(&place).filter(|e| e.expires_at > now)?;
            entry.sealed.clone()
        };
        let plain = self.sealer.open(place.as_bytes(), &sealed)?;
        serde_json::from_slice(&plain).ok()
    }

    /// Replaces the session with this id and extends its life.
    pub fn save(&self, id: &str, session: &Session, now: i64) -> Option<()> {
        let place = place(id);
        let plain = serde_json::to_vec(session).ok()?;
        let sealed = self.sealer.seal(place.as_bytes(), &plain)?;
        self.entries().insert(place, Entry { sealed, expires_at: now + SESSION_TTL });
        Some(())
    }

    /// Forgets the session with this id.
    pub fn remove(&self, id: &str) {
        self.entries().remove(&place(id));
    }

    /// The bytes kept for this session: what anyone reading the store would see.
    pub fn sealed_bytes(&self, id: &str) -> Option<Vec<u8>> {
        self.entries().get(&place(id)).map(|e| e.sealed.clone())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn store() -> SessionStore {
        SessionStore::new(&SessionKey::generate().unwrap()).unwrap()
    }

    #[test]
    fn sessions_round_trip_sealed_and_expire() {
        let store = store();
        let session = Session { csrf: "c5rf-value".into(), ..Default::default() };
        let id = store.create(&session, 100).unwrap();
        assert_eq!(store.load(&id, 101).unwrap().csrf, "c5rf-value");
        let sealed = store.sealed_bytes(&id).unwrap();
        assert!(!sealed.windows(10).any(|w| w == b"c5rf-value"));
        assert!(store.load(&id, 100 + SESSION_TTL).is_none(), "expired");
        assert!(store.load("another-id", 101).is_none());
        store.remove(&id);
        assert!(store.sealed_bytes(&id).is_none());
    }
}
