//! DPoP (RFC 9449) on the client's side: a key for each sign-in ([`DpopKey`]), stored with
//! the tokens it binds (so in the same encrypted store), proofs for the token endpoint and
//! for APIs, and the nonces servers hand out (§8, §9), remembered per server.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use keygate_dpop::{ProofFor, ProofKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::Url;

use crate::error::{Error, Result};

/// The algorithm of the keys made here.
pub const DPOP_ALG: &str = "ES256";

/// The DPoP key of one sign-in: ES256, its private part a secret kept (as PKCS#8) wherever
/// the tokens are. `Debug` shows only the thumbprint.
#[derive(Clone)]
pub struct DpopKey(Arc<ProofKey>);

impl DpopKey {
    /// A new key.
    pub fn generate() -> Result<Self> {
        ProofKey::generate().map(|key| Self(Arc::new(key))).map_err(key_error)
    }

    /// The RFC 7638 thumbprint (`dpop_jkt`, `cnf.jkt`).
    pub fn jkt(&self) -> &str {
        self.0.jkt()
    }

    /// A proof for `htm` `htu` at `iat`, with `ath` for `access_token` and the server's
    /// `nonce` (RFC 9449 §4.2).
    pub fn proof(
        &self,
        htm: &str,
        htu: &str,
        iat: i64,
        access_token: Option<&str>,
        nonce: Option<&str>,
    ) -> Result<String> {
        self.0.proof(ProofFor { htm, htu, iat, access_token, nonce }).map_err(key_error)
    }
}

fn key_error(e: keygate_dpop::KeyError) -> Error {
    Error::Storage(format!("DPoP key: {e}"))
}

impl PartialEq for DpopKey {
    fn eq(&self, other: &Self) -> bool {
        self.jkt() == other.jkt()
    }
}

impl Eq for DpopKey {}

impl std::fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("DpopKey").field(&self.jkt()).finish()
    }
}

impl Serialize for DpopKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&URL_SAFE_NO_PAD.encode(self.0.pkcs8()))
    }
}

impl<'de> Deserialize<'de> for DpopKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let der = URL_SAFE_NO_PAD.decode(text).map_err(serde::de::Error::custom)?;
        ProofKey::from_pkcs8(&der).map(|key| Self(Arc::new(key))).map_err(serde::de::Error::custom)
    }
}

/// The latest `DPoP-Nonce` of each server (RFC 9449 §8.2, §9), by origin.
#[derive(Debug, Default)]
pub(crate) struct Nonces(Mutex<HashMap<String, String>>);

impl Nonces {
    /// The nonce last given by the server of `url`.
    pub(crate) fn get(&self, url: &str) -> Option<String> {
        let origin = origin(url)?;
        self.0.lock().ok()?.get(&origin).cloned()
    }

    /// Keeps the `DPoP-Nonce` of a response from the server of `url`; whether there was one.
    pub(crate) fn remember(&self, url: &str, headers: &reqwest::header::HeaderMap) -> bool {
        let nonce = headers.get("dpop-nonce").and_then(|value| value.to_str().ok());
        let (Some(nonce), Some(origin)) = (nonce, origin(url)) else { return false };
        if let Ok(mut nonces) = self.0.lock() {
            nonces.insert(origin, nonce.to_owned());
        }
        true
    }
}

fn origin(url: &str) -> Option<String> {
    Some(Url::parse(url).ok()?.origin().ascii_serialization())
}

/// Whether a `401` challenge asks for a nonce (RFC 9449 §9: `WWW-Authenticate: DPoP
/// error="use_dpop_nonce"`).
pub(crate) fn asks_for_nonce(headers: &reqwest::header::HeaderMap) -> bool {
    headers.get_all("www-authenticate").iter().filter_map(|v| v.to_str().ok()).any(|value| {
        value.trim_start().get(..5).is_some_and(|s| s.eq_ignore_ascii_case("dpop "))
            && value.contains("use_dpop_nonce")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc9449_a_stored_key_reads_back_as_the_same_key() {
        let Ok(key) = DpopKey::generate() else { panic!("key") };
        let Ok(json) = serde_json::to_string(&key) else { panic!("serialize") };
        let Ok(back) = serde_json::from_str::<DpopKey>(&json) else { panic!("deserialize") };
        assert_eq!(back, key);
        assert!(!format!("{key:?}").contains(&json[1..20]), "Debug shows no private key");
    }

    #[test]
    fn rfc9449_9_the_nonce_challenge_is_recognized() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            "www-authenticate",
            reqwest::header::HeaderValue::from_static(
                "DPoP error=\"use_dpop_nonce\", error_description=\"fresh nonce\"",
            ),
        );
        assert!(asks_for_nonce(&headers));
        headers.insert(
            "www-authenticate",
            reqwest::header::HeaderValue::from_static("Bearer error=\"invalid_token\""),
        );
        assert!(!asks_for_nonce(&headers));
    }

    #[test]
    fn nonces_are_kept_per_origin() {
        let nonces = Nonces::default();
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("dpop-nonce", reqwest::header::HeaderValue::from_static("n1"));
        assert!(nonces.remember("https://as.example/token", &headers));
        assert_eq!(nonces.get("https://as.example/userinfo").as_deref(), Some("n1"));
        assert_eq!(nonces.get("https://api.example/x"), None);
    }
}
